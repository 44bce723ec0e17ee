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
	"github.com/spf13/pflag"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/cli"
)

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit install|uninstall --url URL",
		Short: "Install or remove the DDL audit that says who made a drift",
		Long: `audit installs, in the schemactl schema of a database, an event trigger on
ddl_command_end and sql_drop that records every DDL statement: time, session
user, current user, client address, application_name, command tag, object
identity and the statement (truncated), in the bounded table
schemactl.ddl_audit (--retention, --max-rows). plan, the Database's drift
report, its DriftDetected event and alerts then say who changed each drifted
object, from where, when and with what. Changes made by schemactl's own applies
are recorded as such and never attributed.

PostgreSQL lets only a superuser create event triggers: a DBA runs 'schemactl
audit install' once as a superuser; the roles that plan and apply need no more
rights (the table is readable by every role). Everything else works without it.`,
	}
	cmd.AddCommand(newAuditInstallCmd(), newAuditUninstallCmd())
	return cmd
}

func bindAuditFlags(f *pflag.FlagSet, o *cli.AuditOptions) {
	f.StringVar(&o.URL, "url", "", "database URL (default $SCHEMACTL_URL); the role must be a superuser")
	f.DurationVar(&o.Timeout, "timeout", 0, "give up after this long (default: no limit)")
}

func newAuditInstallCmd() *cobra.Command {
	o := cli.AuditOptions{}
	cmd := &cobra.Command{
		Use:   "install --url URL",
		Short: "Install the DDL audit in a database (as a superuser)",
		Long: `install creates (or updates) the DDL audit: the table schemactl.ddl_audit and
its settings, the functions that record into it and the event triggers
schemactl_ddl_audit_end and schemactl_ddl_audit_drop. Records older than
--retention, and the oldest beyond --max-rows, are removed as new ones come.
A role that is not a superuser is refused with a message saying so.` + passwordHelp,
		Example: `  SCHEMACTL_URL=postgres://postgres@db/orders schemactl audit install --retention 720h --max-rows 10000`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.URL == "" {
				o.URL = os.Getenv("SCHEMACTL_URL")
			}
			return cli.RunAuditInstall(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	bindAuditFlags(cmd.Flags(), &o)
	cmd.Flags().DurationVar(&o.Retention, "retention", drift.DefaultAuditRetention, "how long an audit record is kept")
	cmd.Flags().IntVar(&o.MaxRows, "max-rows", drift.DefaultAuditMaxRows, "the most audit records kept; the oldest go first")
	cmd.Flags().IntVar(&o.StatementBytes, "statement-bytes", drift.DefaultAuditStatementBytes, "statements are recorded truncated to this many characters")
	return cmd
}

func newAuditUninstallCmd() *cobra.Command {
	o := cli.AuditOptions{}
	cmd := &cobra.Command{
		Use:   "uninstall --url URL",
		Short: "Remove the DDL audit and its records from a database",
		Long: `uninstall drops the event triggers, functions and tables of the DDL audit, and
the schemactl schema when nothing else is in it (the apply log lives there too).` + passwordHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.URL == "" {
				o.URL = os.Getenv("SCHEMACTL_URL")
			}
			return cli.RunAuditUninstall(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	bindAuditFlags(cmd.Flags(), &o)
	return cmd
}
