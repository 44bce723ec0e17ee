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

func newSuspendCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.SuspendOptions{}
	cmd := &cobra.Command{
		Use:   "suspend source git|database|databaseset|alert|alert-provider NAME|--all",
		Short: "Stop the agent from reconciling a Database, DatabaseSet, source, alert or alert provider",
		Long: `suspend sets spec.suspend: the agent stops reconciling the object. A
suspended Database is neither read nor written; a suspended DatabaseSet
changes none of its members (they keep their revision, which the agent keeps
enforcing: suspend them too to stop that); a suspended source is not fetched;
a suspended alert or alert provider sends nothing. It prints what was
suspended.`,
		Example: `  schemactl suspend database orders -n shop
  schemactl suspend database --all -n shop
  schemactl suspend source git shop-schemas -n shop
  schemactl suspend databaseset tenants -n saas
  schemactl suspend alert drift -n shop`,
		Args:              cobra.RangeArgs(1, 3),
		ValidArgsFunction: completeTarget(g, cli.ReconcilableKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Suspend(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newResumeCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.ResumeOptions{}
	cmd := &cobra.Command{
		Use:   "resume source git|database|databaseset|alert|alert-provider NAME|--all",
		Short: "Resume a suspended object and wait until it is Ready",
		Long: `resume unsets spec.suspend, requests a reconcile (the
reconcile.fluxcd.io/requestedAt annotation) and waits until the agent has
handled it and the object is Ready for its new generation, showing progress on
stderr. It reports the applied revision, or why the object is not ready.

It fails when --timeout passes first, with the last condition; a Database
whose plan waits for an approval exits with code 3.`,
		Example: `  schemactl resume database orders -n shop
  schemactl resume source git shop-schemas -n shop
  schemactl resume databaseset tenants -n saas
  schemactl resume database --all -n shop --timeout 10m`,
		Args:              cobra.RangeArgs(1, 3),
		ValidArgsFunction: completeTarget(g, cli.ReconcilableKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Resume(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newReconcileCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.ReconcileOptions{}
	cmd := &cobra.Command{
		Use:   "reconcile source git|database|databaseset|alert|alert-provider NAME",
		Short: "Reconcile an object now and wait for the outcome",
		Long: `reconcile sets the reconcile.fluxcd.io/requestedAt annotation, waits until
status.lastHandledReconcileAt echoes it and the object is Ready, and reports
the revision. With --with-source the SchemaRepository of the Database or
DatabaseSet is reconciled first, so that the newest commit is fetched and
applied (a Flux source is Flux's to reconcile: flux reconcile source git NAME).
A DatabaseSet passes the request on to its members and is Ready when they
are.

It fails when --timeout passes first, with the last condition; a Database
whose plan waits for an approval exits with code 3. A suspended object is
refused: resume it instead.`,
		Example: `  schemactl reconcile database orders -n shop --with-source
  schemactl reconcile databaseset tenants -n saas
  schemactl reconcile source git shop-schemas -n shop`,
		Args:              cobra.RangeArgs(2, 3),
		ValidArgsFunction: completeTarget(g, cli.ReconcilableKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Reconcile(cmd.Context(), g, o, args)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}
