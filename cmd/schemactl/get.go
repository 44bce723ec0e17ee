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
		Use:   "get sources git|sources all|databases|alerts|alert-providers|all [NAME]",
		Short: "List sources, Databases, alerts or alert providers with their status",
		Long: `get lists the objects of a kind in the namespace (all namespaces with -A),
or shows one by name: READY and STATUS are the Ready condition's status and
message, REVISION the revision a source fetched or a Database last applied,
DRIFTED whether a Database differs from Git. The table abbreviates commits to
7 hex digits and plan ids to 12, and cuts STATUS at 80 characters; -o yaml or
-o json show everything. -o wide adds the source URL and ref, a Database's
source, path and drift policy, an alert's provider and severity, a provider's
type and channel.

Nouns as Flux spells them: source git (SchemaRepository; "sources all" lists
every source kind), databases (Database), alerts (AlertRule), alert-providers
(AlertProvider), all (every kind, names printed as kind/name). Singular names
and short names (srepo, sdb, arule, aprov; source, providers) work too.

Tables and the other formats (-o name, json, yaml, jsonpath=...,
go-template=...) are printed by kubectl's printers (k8s.io/cli-runtime); a
list prints as a v1 List. -l selects by label, --status-selector by a
condition's status (ready=false, drifted=true, stalled=true; a Database that
was never reconciled has ready=unknown).`,
		Example: `  schemactl get databases -n shop
  schemactl get sources git -A
  schemactl get all -n shop
  schemactl get databases -A --status-selector ready=false
  schemactl get databases -l team=shop -o wide --no-header
  schemactl get database orders -n shop -o yaml
  schemactl get databases -o jsonpath='{.items[*].metadata.name}'
  schemactl get sources git -n shop --watch`,
		Args:              cobra.RangeArgs(1, 3),
		ValidArgsFunction: completeTarget(g, cli.GetKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Get(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(cli.GetOutputFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}
