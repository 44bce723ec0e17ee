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

func newDiffCmd(g *cli.GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "diff database NAME",
		Short: "Print the plan pending for a Database as SQL",
		Long: `diff prints the plan the agent computed for a Database and has not applied
(outside the apply window, blocked as destructive, or reported only), as SQL
with the hazards of each statement, and how to approve it when it is blocked.

Exit codes: 0 = in sync, 2 = a plan is pending, 1 = error.`,
		Example:           `  schemactl diff database orders -n shop`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeTarget(g, cli.DatabaseKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Diff(cmd.Context(), g, args)
		},
	}
}

func newDriftCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.DriftOptions{}
	cmd := &cobra.Command{
		Use:   "drift database NAME",
		Short: "Print the drift report of a Database",
		Long: `drift prints the objects of a Database that were changed outside Git since
its revision was applied, one per line with how it differs.

Exit codes: 0 = no drift, 2 = drift, 1 = error.`,
		Example: `  schemactl drift database orders -n shop
  schemactl drift database orders -n shop -o json`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeTarget(g, cli.DatabaseKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Drift(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	completeOutput(cmd)
	return cmd
}

func newApproveCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.ApproveOptions{}
	cmd := &cobra.Command{
		Use:   "approve database|databaseset NAME [--plan ID]",
		Short: "Approve the pending plan of a Database, or a plan id across a DatabaseSet",
		Long: `approve sets spec.approvedPlan to the id of the Database's pending plan, so
that the agent applies that exact plan once, destructive statements
included. With --plan it refuses unless ID is the pending plan; without, it
approves the pending plan. Look at the plan first with schemactl diff.

With --wait it waits until the plan is applied and the Database is Ready.

For a DatabaseSet, --plan is required: the id is added to the set's
spec.approvedPlans and reaches every member whose pending plan has that id
(members with the same live schema share it): one approval per distinct plan,
not one per member. --wait does not apply to a set.`,
		Example: `  schemactl diff database orders -n shop
  schemactl approve database orders -n shop --plan sha256:9f1c... --wait
  schemactl approve databaseset tenants -n shop --plan sha256:9f1c...`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeTarget(g, cli.TreeKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cli.IsDatabaseSetNoun(args) {
				return cli.ApproveSet(cmd.Context(), g, o, args)
			}
			return cli.Approve(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	_ = cmd.RegisterFlagCompletionFunc("plan", func(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return completions(cli.CompletePlan(completionContext(cmd), g, args))
	})
	return cmd
}
