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

package load

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// The statements of a file go to the server in pipelines of pipelineWindow; a
// failure deep in the third window is still named by its file:line:col, what
// the statements sent after it raise is not reported, and the settings of one
// file do not leak into the next (the RESET ALL between files is pipelined
// too).
func TestLoad_pipelinedErrorKeepsItsPosition(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	var a strings.Builder
	for i := range 2*pipelineWindow + 30 {
		fmt.Fprintf(&a, "CREATE TABLE a%d (x int);\n", i)
	}
	a.WriteString("SET search_path = nowhere;\n")
	var b strings.Builder
	b.WriteString("CREATE TABLE b0 (x a0);\n") // a0 is a table type in public: the search_path was reset
	for i := 1; i < 2*pipelineWindow+40; i++ {
		fmt.Fprintf(&b, "CREATE TABLE b%d (x int);\n", i)
	}
	b.WriteString("CREATE TABLE bad (\n  x int,\n  y nosuchtype\n);\n")
	b.WriteString("DO $$ BEGIN RAISE WARNING 'after the failure'; END $$;\n")
	for i := range 50 {
		fmt.Fprintf(&b, "CREATE TABLE c%d (x int);\n", i)
	}
	dir := writeFiles(t, map[string]string{"a.sql": a.String(), "b.sql": b.String()})
	line := 2*pipelineWindow + 41 // CREATE TABLE bad
	warnings, err := Load(testContext(t), dir, opts, nil)
	if want := fmt.Sprintf(`b.sql:%d:5: type "nosuchtype" does not exist (SQLSTATE 42704)`, line+2); err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %v, want none", warnings)
	}
	assertNoScratch(t, opts.Prefix)

	// The same files without the failure load entirely, in order, with the
	// warning of the DO block at its line.
	dir = writeFiles(t, map[string]string{"a.sql": a.String(), "b.sql": strings.Replace(b.String(), "nosuchtype", "text", 1)})
	var tables int
	warnings, err = Load(testContext(t), dir, opts, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'").Scan(&tables)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*pipelineWindow + 30 + 2*pipelineWindow + 40 + 1 + 50; tables != want {
		t.Errorf("%d tables loaded, want %d", tables, want)
	}
	if got := warningStrings(warnings); len(got) != 1 || got[0] != fmt.Sprintf("b.sql:%d: PostgreSQL warning: after the failure", line+4) {
		t.Errorf("warnings %q, want the DO block's", got)
	}
	assertNoScratch(t, opts.Prefix)
}

// With DropInBackground the load returns before its scratch database is
// dropped, its role already unable to log in; WaitDrops waits for the drop,
// and the steps are timed.
func TestLoad_dropInBackground(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	opts.DropInBackground = true
	opts.Timings = &Timings{}
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE TABLE t (a int);\n"})
	var role string
	if _, err := Load(testContext(t), dir, opts, func(ctx context.Context, conn *pgx.Conn) error {
		role = conn.Config().User
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var login bool
	err := adminConn(t).QueryRow(context.Background(), "SELECT rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = $1", role).Scan(&login)
	if err == nil && login {
		t.Errorf("scratch role %s can still log in after the load returned", role)
	}
	if err := WaitDrops(testContext(t)); err != nil {
		t.Fatal(err)
	}
	assertNoScratch(t, opts.Prefix)
	var names []string
	for _, s := range opts.Timings.Steps() {
		names = append(names, s.Step)
	}
	for _, want := range []string{"parse files", "classify", "scratch: create role and database", "load statements", "drop scratch"} {
		if !strings.Contains(strings.Join(names, ","), want) {
			t.Errorf("steps %q lack %q", names, want)
		}
	}
}

// A window of statements runs as one transaction, and again one statement per
// transaction when that fails: statements that need a transaction of their own
// load as they would alone, and what the first run raised is not reported
// twice.
func TestLoad_pipelineFallsBackToOneTransactionPerStatement(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	// The enum exists before the window (the SET ends the one before): a value
	// added to it cannot be used in the transaction that added it.
	sql := `CREATE TYPE mood AS ENUM ('sad');
SET client_min_messages = notice;
DO $$ BEGIN RAISE WARNING 'once'; END $$;
ALTER TYPE mood ADD VALUE 'happy';
CREATE TABLE t (m mood DEFAULT 'happy');
CREATE INDEX CONCURRENTLY t_m ON t (m);
CREATE TABLE u (x int);
`
	dir := writeFiles(t, map[string]string{"a.sql": sql})
	var tables, indexes int
	warnings, err := Load(testContext(t), dir, opts, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'),
			(SELECT count(*) FROM pg_catalog.pg_indexes WHERE schemaname = 'public')`).Scan(&tables, &indexes)
	})
	if err != nil {
		t.Fatal(err)
	}
	if tables != 2 || indexes != 1 {
		t.Errorf("%d tables and %d indexes loaded, want 2 and 1", tables, indexes)
	}
	if got := warningStrings(warnings); len(got) != 1 || got[0] != "a.sql:3: PostgreSQL warning: once" {
		t.Errorf("warnings %q, want the DO block's once", got)
	}
	assertNoScratch(t, opts.Prefix)
}
