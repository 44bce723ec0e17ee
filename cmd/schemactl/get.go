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

func newGetCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.GetOptions{}
	cmd := &cobra.Command{
		Use:   "get sources|databases|alerts|providers [NAME]",
		Short: "List sources, Databases, alerts or alert providers with their status",
		Long: `get lists the objects of a kind in the namespace (all namespaces with -A),
or shows one by name: READY and STATUS are the Ready condition's status and
message, REVISION the revision a source fetched or a Database last applied,
DRIFTED whether a Database differs from Git. The table abbreviates commits to
7 hex digits and plan ids to 12, and cuts STATUS at 80 characters; -o yaml or
-o json show everything.

Kinds: sources (SchemaRepository), databases (Database), alerts (AlertRule),
providers (AlertProvider); singular names and short names (srepo, sdb, arule,
aprov) work too.`,
		Example: `  schemactl get databases -n shop
  schemactl get databases -A
  schemactl get database orders -n shop -o yaml
  schemactl get sources -n shop --watch`,
		Args:              cobra.RangeArgs(1, 2),
		ValidArgsFunction: completeTarget(g, cli.GetKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Get(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	completeOutput(cmd)
	return cmd
}
