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

// newRootCmd returns the schemactl command with all its subcommands.
//
// Each subcommand lives in a file of its own with a constructor
// newXCmd(...) *cobra.Command, and is added below with one AddCommand line.
// Commands write to cmd.OutOrStdout() and cmd.ErrOrStderr(), and return
// errors instead of exiting; cli.WithExitCode sets a specific exit code
// (e.g. cli.ExitChanges when a plan is pending).
func newRootCmd() *cobra.Command {
	g := cli.NewGlobalOptions()
	root := &cobra.Command{
		Use:   "schemactl",
		Short: "Declarative PostgreSQL schemas, reconciled from Git",
		Long: `schemactl drives schema-controller: it shows and changes the Databases and
sources in a cluster, and plans and applies a folder of SQL files against a
database directly, without a cluster.

The cluster commands take kubectl's connection flags (--kubeconfig, --context,
-n, -A). Colors are used on a terminal unless NO_COLOR is set.

` + cli.ExitCodesHelp + `

` + cli.FluxExitCodesHelp,
		// Errors are printed once by main; usage is for usage errors only,
		// which cobra reports before RunE is reached.
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, _ []string) {
			g.SetStreams(cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	g.BindFlags(root.PersistentFlags())
	registerGlobalCompletions(root, g)

	root.AddCommand(newGetCmd(g))
	root.AddCommand(newSuspendCmd(g))
	root.AddCommand(newResumeCmd(g))
	root.AddCommand(newReconcileCmd(g))
	root.AddCommand(newExportCmd(g))
	root.AddCommand(newDeleteCmd(g))
	root.AddCommand(newCreateCmd(g))
	root.AddCommand(newTreeCmd(g), newStatsCmd(g), newLogsCmd(g), newRolloutCmd(g))
	root.AddCommand(newDiffCmd(g))
	root.AddCommand(newDriftCmd(g))
	root.AddCommand(newApproveCmd(g))
	root.AddCommand(newEventsCmd(g))
	root.AddCommand(newCheckCmd(g))
	root.AddCommand(newInstallCmd(g), newUninstallCmd(g))
	root.AddCommand(newVersionCmd(g))
	root.AddCommand(newPlanCmd(), newApplyCmd(), newAdoptCmd(g), newAuditCmd(), newGraveyardCmd())
	root.AddCommand(newMigrationsCmd())

	return root
}
