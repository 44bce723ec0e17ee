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

func newGraveyardCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "graveyard list|restore|purge --url URL",
		Short: "List, restore or purge what soft drop kept",
		Long: `With --soft-drop (spec.softDrop on a Database), an allowed or approved DROP
TABLE moves the table into the schema schemactl_graveyard, renamed
<table>__<planid12>_<yyyymmddhhmmss>, and a dropped column's values are copied
with the primary key into schemactl_graveyard.<table>__<column>__<planid12>_<time>
before the drop. The graveyard is never reported as drift. graveyard lists,
restores and purges these entries.`,
	}
	cmd.AddCommand(newGraveyardListCmd(), newGraveyardRestoreCmd(), newGraveyardPurgeCmd())
	return cmd
}

func bindGraveyardFlags(cmd *cobra.Command, o *cli.GraveyardOptions) {
	cmd.Flags().StringVar(&o.URL, "url", "", "database URL (default $SCHEMACTL_URL)")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 0, "give up after this long (default: no limit)")
}

func graveyardURL(o *cli.GraveyardOptions) {
	if o.URL == "" {
		o.URL = os.Getenv("SCHEMACTL_URL")
	}
}

func newGraveyardListCmd() *cobra.Command {
	o := cli.GraveyardOptions{}
	cmd := &cobra.Command{
		Use:   "list --url URL",
		Short: "List the graveyard: kind, original name, plan id, time and rows of each entry",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			graveyardURL(&o)
			return cli.RunGraveyardList(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	bindGraveyardFlags(cmd, &o)
	return cmd
}

func newGraveyardRestoreCmd() *cobra.Command {
	o := cli.GraveyardOptions{}
	cmd := &cobra.Command{
		Use:   "restore NAME --url URL",
		Short: "Put a table or a column back with its data",
		Long: `restore moves a table back to its schema under its name (ALTER TABLE ... SET
SCHEMA and RENAME; refused when the name is taken), with its indexes' and owned
sequences' names; or adds a column back with its recorded type and copies its
values back by primary key (refused when the column exists). Foreign keys and
the indexes Git declares are re-created by the next apply or reconcile, which
drops the table or column again unless Git has it back.`,
		Example: `  schemactl graveyard restore orders__3f9a1c2b4d5e_20261206204500`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			graveyardURL(&o)
			return cli.RunGraveyardRestore(cmd.Context(), o, args[0], cmd.OutOrStdout())
		},
	}
	bindGraveyardFlags(cmd, &o)
	return cmd
}

func newGraveyardPurgeCmd() *cobra.Command {
	o := cli.GraveyardOptions{}
	cmd := &cobra.Command{
		Use:   "purge [NAME] --url URL [--older-than 168h]",
		Short: "Drop graveyard entries for good",
		Long: `purge drops the graveyard entries older than --older-than (every entry when it
is 0), or entry NAME only.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			graveyardURL(&o)
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			return cli.RunGraveyardPurge(cmd.Context(), o, name, cmd.OutOrStdout())
		},
	}
	bindGraveyardFlags(cmd, &o)
	cmd.Flags().DurationVar(&o.OlderThan, "older-than", 0, "purge only the entries older than this, e.g. 168h (default: all)")
	return cmd
}
