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
)

// newRootCmd returns the schemactl command with all its subcommands.
//
// Each subcommand lives in a file of its own with a constructor
// newXCmd() *cobra.Command, and is added below with one AddCommand line.
// Commands write to cmd.OutOrStdout() and cmd.ErrOrStderr(), and return
// errors instead of exiting; cli.WithExitCode sets a specific exit code
// (e.g. cli.ExitChanges when a plan is pending).
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "schemactl",
		Short: "Declarative PostgreSQL schemas, reconciled from Git",
		Long: `schemactl drives schema-controller: it shows and changes the Databases and
sources in a cluster, and plans and applies a folder of SQL files against a
database directly, without a cluster.`,
		// Errors are printed once by main; usage is for usage errors only,
		// which cobra reports before RunE is reached.
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.HiddenDefaultCmd = true

	root.AddCommand(newVersionCmd())
	root.AddCommand(newPlanCmd(), newApplyCmd())

	return root
}
