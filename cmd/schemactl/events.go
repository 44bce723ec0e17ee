/*
Copyright 2026 The schema-controller Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package main

import (
	"github.com/spf13/cobra"

	"github.com/schemactl/schema-controller/internal/cli"
)

func newEventsCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.EventsOptions{}
	cmd := &cobra.Command{
		Use:   "events [--for KIND/NAME]",
		Short: "Print the agent's events, newest last",
		Long: `events prints the Kubernetes events about schemactl.dev objects in the
namespace (all namespaces with -A), oldest first and newest last: applies,
drift detected and corrected, blocked plans, fetched revisions.`,
		Example: `  schemactl events -n shop
  schemactl events -n shop --for database/orders --watch`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Events(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	completeOutput(cmd)
	_ = cmd.RegisterFlagCompletionFunc("for", func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		values, err := cli.CompleteFor(completionContext(cmd), g, toComplete)
		c, d := completions(values, err)
		return c, d | cobra.ShellCompDirectiveNoSpace
	})
	return cmd
}
