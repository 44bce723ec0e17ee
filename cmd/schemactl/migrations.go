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
	"os"

	"github.com/spf13/cobra"

	"github.com/schemactl/schema-controller/internal/cli"
)

// bindMigrationFlags adds the flags of --format migrations to plan and apply.
func bindMigrationFlags(cmd *cobra.Command, o *cli.LocalOptions) {
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", cli.FormatDeclarative, "what --dir holds: declarative (the desired schema) or migrations (versioned migrations; see docs/migrations.md)")
	f.StringVar(&o.Layout, "layout", "auto", "with --format migrations: the folder's layout: auto, golang-migrate, flyway, dbmate or atlas")
	f.BoolVar(&o.AllowOutOfOrder, "allow-out-of-order", false, "with --format migrations: run a pending migration older than the newest applied one instead of refusing")
}

func newMigrationsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrations",
		Short: "Inspect a folder of versioned migrations against a database",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newMigrationsStatusCmd())
	return cmd
}

func newMigrationsStatusCmd() *cobra.Command {
	o := cli.MigrationStatusOptions{Output: "table"}
	cmd := &cobra.Command{
		Use:   "status --url URL --dir DIR",
		Short: "List the applied, pending, changed and missing migrations of a database",
		Long: `status reads the folder of versioned migrations (golang-migrate, Flyway,
dbmate or Atlas) and the database's history (schemactl.migrations, and the
history tables of golang-migrate, Flyway and dbmate), and prints every migration
with its state: applied, pending, out-of-order (pending and older than the
newest applied), changed (applied, and its file changed since), dirty (failed
half-way) or missing (applied, and its file is gone). It never writes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.URL == "" {
				o.URL = os.Getenv("SCHEMACTL_URL")
			}
			return cli.RunMigrationStatus(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.URL, "url", "", "target database URL (default $SCHEMACTL_URL)")
	f.StringVar(&o.Dir, "dir", "", "folder of versioned migrations")
	f.StringVar(&o.Layout, "layout", "auto", "the folder's layout: auto, golang-migrate, flyway, dbmate or atlas")
	f.StringVarP(&o.Output, "output", "o", "table", "output format: table or json")
	return cmd
}
