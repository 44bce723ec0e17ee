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

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/cli"
)

// bindLocalFlags adds the flags shared by the local plan and apply commands.
func bindLocalFlags(cmd *cobra.Command, o *cli.LocalOptions) {
	f := cmd.Flags()
	f.StringVar(&o.URL, "url", "", "target database URL (default $SCHEMACTL_URL; prefer the variable: it keeps the password out of process lists)")
	f.StringVar(&o.ScratchURL, "scratch-url", "", "server for the scratch database the desired SQL is loaded into (default $SCHEMACTL_SCRATCH_URL, else the target's server); its user needs CREATEDB and CREATEROLE")
	f.StringVar(&o.Dir, "dir", "", "folder of .sql files with the desired schema, loaded in lexical order")
	f.StringSliceVar(&o.Schemas, "schema", nil, "managed schema (repeatable; default: every non-system schema)")
	f.StringSliceVar(&o.Exclude, "exclude", nil, `objects to leave alone, as "schema.name" glob patterns (repeatable), e.g. public.schema_migrations`)
	f.BoolVar(&o.ManagePrivileges, "manage-privileges", false, "compare and converge GRANTs on tables, columns, sequences, functions and schemas (ownership is reported, never changed)")
	f.StringArrayVar(&o.AllowedExtensions, "allow-extension", nil, "let the desired SQL create extension `NAME` although PostgreSQL does not mark it trusted, e.g. dblink (repeatable; trusted extensions and those the target already has need no flag)")
	f.StringSliceVar(&o.ScratchTrustedStatements, "scratch-trusted-statements", nil, "let the scratch server's admin complete these superuser-only statements of the desired SQL, each with one statement it names from the catalog (repeatable; known: leakproof = CREATE/ALTER FUNCTION ... LEAKPROOF, run NOT LEAKPROOF as the scratch role, then ALTER FUNCTION <identity> LEAKPROOF as the admin, which must be a superuser); see docs/security.md")
	f.BoolVar(&o.AllowDestructive, "allow-destructive", false, "allow statements that can lose data (drop table/column/type, narrowing type changes)")
	f.BoolVar(&o.SoftDrop, "soft-drop", false, "move the tables an allowed or approved plan drops into the schema schemactl_graveyard (renamed <table>__<planid12>_<yyyymmddhhmmss>) instead of dropping them; see schemactl graveyard")
	f.Int64Var(&o.SoftDropRowBudget, "soft-drop-row-budget", 1_000_000, "with --soft-drop, the most rows of a table whose dropped column's values are kept (with the primary key) in the graveyard; above it the plan is refused")
	f.DurationVar(&o.StatementTimeout, "statement-timeout", 0, "statement_timeout for each statement (default 30s when loading desired SQL, 5m when applying)")
	f.DurationVar(&o.Timeout, "timeout", 0, "give up after this long (default: no limit)")
	bindMigrationFlags(cmd, o)
	f.DurationVar(&o.Preflight, "preflight-timeout", drift.DefaultPreflightTimeout, "time budget of the pre-flight checks of the existing data (NULLs under a new NOT NULL, duplicates under a new unique key, rows violating a new CHECK, values a type change cannot convert); a check that does not finish is noted in the plan; 0 turns the checks off")
}

// fromEnv fills the URLs from SCHEMACTL_URL and SCHEMACTL_SCRATCH_URL when the flags
// are not given. They are not flag defaults, so --help never prints a password.
func fromEnv(o *cli.LocalOptions) {
	if o.URL == "" {
		o.URL = os.Getenv("SCHEMACTL_URL")
	}
	if o.ScratchURL == "" {
		o.ScratchURL = os.Getenv("SCHEMACTL_SCRATCH_URL")
	}
}

// passwordHelp is the part of plan's and apply's help about connection strings.
//
//nolint:gosec // G101: help text about passwords; it holds none
const passwordHelp = `

--url and --scratch-url take a postgres:// URL or libpq keyword/value pairs
(host=db user=app password='...'). Percent-encode special characters of a
password in a URL (@ is %40, / is %2F, : is %3A, ? is %3F, # is %23, % is %25,
space is %20); an unencoded password is accepted when the URL can be read only
one way, else refused with a hint. Passwords are never printed: errors and
output show the URL with everything between "postgres://" and its last "@",
and any password= value, replaced by xxxxx.`

func newPlanCmd() *cobra.Command {
	o := cli.LocalOptions{Output: "sql"}
	cmd := &cobra.Command{
		Use:   "plan --url URL --dir DIR",
		Short: "Print the plan that would make a database match a folder of SQL files",
		Long: `plan loads the .sql files of --dir into a scratch database, inspects it and the
target database, and prints the statements that would make the target match,
each with its hazards. It never writes to the target.

When the target role can do more than own its schemas (SUPERUSER, membership of
pg_execute_server_program or another server-file role, ...), a warning goes to
stderr: SQL from Git runs with that role's rights during apply. -o json carries
targetRole and dangerousPrivileges (empty for a least-privileged role).

Pre-flight checks read the existing data (within --preflight-timeout) and refuse
a plan that would fail on it: the plan is printed with "-- preflight refused:"
lines and the command exits 1. A check that does not finish in time is noted
("-- preflight not checked:").

With --format migrations, --dir is a folder of versioned migrations
(golang-migrate, Flyway, dbmate or Atlas; see docs/migrations.md): plan lists
the pending migrations, their destructive statements and the id that approves
them, and the drift of the database from its applied migrations (replayed into a
scratch database), each difference with the migration that last touched it.

Exit codes: 0 = in sync, 2 = changes pending (with --format migrations: a
migration is pending or the database drifted), 1 = error or refused by
pre-flight (or a changed, dirty or out-of-order migration).` + passwordHelp,

		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fromEnv(&o)
			return cli.RunPlan(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	bindLocalFlags(cmd, &o)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "sql", "output format: sql or json")
	return cmd
}

func newApplyCmd() *cobra.Command {
	o := cli.LocalOptions{Output: "sql"}
	cmd := &cobra.Command{
		Use:   "apply --url URL --dir DIR",
		Short: "Make a database match a folder of SQL files",
		Long: `apply plans like 'schemactl plan', then executes the plan under the database's
advisory lock: every transactional statement in one transaction, then online
steps (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT) one by one, and verifies
that the database matches afterwards. It warns like plan when the target role
is dangerously privileged.

Before anything runs, pre-flight checks read the existing data (within
--preflight-timeout) and refuse a plan that would fail on it, with the reason,
e.g. "column public.t.more has 3 NULLs; NOT NULL cannot be added".

On failure: a failed transaction is rolled back; a failed online step is cleaned
up (its helper constraint, INVALID index or NOT VALID constraint is dropped) and
the steps after it do not run. The error lists what was committed, reverted,
rolled back and not run (-o json: "result"); schemactl.apply_log records each
statement's outcome. If the connection to the database is lost while a statement
or the COMMIT is in flight (a restart, a failover), that outcome is "unknown":
apply again once the database is back; it plans only what is missing.

Exit codes: 0 = converged (or nothing to do), 1 = error: nothing is left applied
(or a cleanup failed: see the message), or the pre-flight checks refused the plan,
3 = blocked: the plan has destructive statements and they are not allowed
(nothing applied), 4 = partially applied: statements before the failed online
step were committed, the database is consistent, run apply again to finish.

With --format migrations, apply runs the pending migrations in version order
under the same advisory lock and --lock-timeout, each in a transaction of its
own (statement by statement when it holds CREATE INDEX CONCURRENTLY, VACUUM...
or the "-- schemactl:no-transaction" marker), records them in
schemactl.migrations, adopts the history of golang-migrate, Flyway and dbmate,
never runs down migrations, then reports drift (never corrects it). It exits 1
when an applied migration changed, a pending one is older than the newest
applied (unless --allow-out-of-order) or a migration fails (named at its
file:line), and 3 when the pending set has destructive statements (DROP
TABLE/COLUMN/TYPE, a column type change, TRUNCATE, DELETE or UPDATE without
WHERE) unless --allow-destructive or --approve ID.` + passwordHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fromEnv(&o)
			return cli.RunApply(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	bindLocalFlags(cmd, &o)
	cmd.Flags().DurationVar(&o.LockTimeout, "lock-timeout", drift.DefaultLockTimeout, "lock_timeout for each statement")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "sql", "output format: sql or json")
	cmd.Flags().BoolVar(&o.NoRecord, "no-record", false, "do not record the apply in schemactl.apply_log")
	cmd.Flags().StringVar(&o.Approve, "approve", "", "with --format migrations: apply the destructive statements of the pending set whose id (printed by plan) is `ID`, and only of that set")
	return cmd
}
