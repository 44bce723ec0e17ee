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

func newExportCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.ExportOptions{}
	cmd := &cobra.Command{
		Use:   "export source git|database|alert|alert-provider|all NAME|--all",
		Short: "Print objects as YAML to commit: no status, no server fields",
		Long: `export prints objects as the YAML a user commits to Git: without status
and without what the API server sets (managedFields, uid, resourceVersion,
generation, creationTimestamp, finalizers) or the reconcile.fluxcd.io/requestedAt
annotation. Each object follows a "---" line. Applying the output gives the
same objects back: export after apply prints the input again.`,
		Example: `  schemactl export source git shop-schemas -n shop
  schemactl export database --all -n shop > databases.yaml
  schemactl export all -n shop`,
		Args:              cobra.RangeArgs(1, 3),
		ValidArgsFunction: completeTarget(g, cli.GetKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Export(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newDeleteCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.DeleteOptions{}
	cmd := &cobra.Command{
		Use:   "delete source git|database|alert|alert-provider NAME",
		Short: "Delete an object after a confirmation",
		Long: `delete asks for a confirmation on the terminal (y or yes; --silent skips
the question), then deletes the object. Deleting a Database leaves the
database's schema as it is: the agent stops managing it.`,
		Example: `  schemactl delete database orders -n shop
  schemactl delete source git shop-schemas -n shop --silent`,
		Args:              cobra.RangeArgs(2, 3),
		ValidArgsFunction: completeTarget(g, cli.ReconcilableKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Delete(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}
