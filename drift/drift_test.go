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

package drift_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// appSchema is a realistic schema with kinds the planner manages and kinds it only
// reports (a view, a function, a trigger), plus data, ownership and sequence values
// that a pg_dump carries.
const appSchema = `
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA billing;
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    "Display Name" varchar(80),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE customers IS 'people who buy';
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    status order_status NOT NULL DEFAULT 'new',
    total numeric(12,2) CHECK (total >= 0),
    total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,
    token uuid DEFAULT gen_random_uuid()
);
CREATE INDEX orders_status_idx ON orders ((CASE WHEN status = 'new' THEN 1 ELSE 0 END)) WHERE total > 0;
CREATE UNLOGGED TABLE billing.events (id int PRIMARY KEY, payload jsonb);
CREATE INDEX events_payload_idx ON billing.events USING gin (payload);
CREATE VIEW paid_orders AS SELECT id, total FROM orders WHERE status = 'paid';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE orders ENABLE REPLICA TRIGGER orders_touch;
CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE UNIQUE INDEX order_totals_customer ON order_totals (customer_id);
CREATE SEQUENCE billing.invoice_seq START 1000;
INSERT INTO customers (email) VALUES ('a@example.com'), ('b@example.com');
SELECT setval('billing.invoice_seq', 1234);
`

func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func execSQL(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

// TestPlan_pgDumpOfTheSameDatabasePlansNothing: a pg_dump --schema-only (with its SET
// lines, ownership, sequence values and \restrict lines) and a Rails-style
// structure.sql load as they are and plan nothing against the database they came from.
func TestPlan_pgDumpOfTheSameDatabasePlansNothing(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	execSQL(t, url, appSchema)
	// A full dump, with owners and privileges, as users have them.
	out, err := exec.CommandContext(t.Context(), "pg_dump", "--schema-only", "--dbname", url).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	ctx := context.Background()
	res, err := drift.Plan(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: writeDir(t, map[string]string{"schema.sql": string(out)})})
	if err != nil {
		t.Fatalf("plan of the pg_dump: %v", err)
	}
	if !res.Plan.Empty() {
		t.Fatalf("the dump of a database plans changes against it:\n%s\n%v", res.Plan.SQL(), res.Plan.Changes)
	}
	// The view, materialized view (pg_dump writes it WITH NO DATA), function and
	// trigger (its ENABLE REPLICA state included) are modeled, not unsupported.
	if len(res.Plan.Unsupported) != 0 {
		t.Errorf("listed as unsupported: %v", res.Plan.Unsupported)
	}
	var ownerWarning bool
	for _, w := range res.Warnings {
		if strings.Contains(w.String(), "OWNER") || strings.Contains(strings.ToLower(w.String()), "owner") {
			ownerWarning = true
		}
	}
	if !ownerWarning {
		t.Errorf("no warning for the skipped OWNER TO statements: %v", res.Warnings)
	}

	// A Rails structure.sql: SET lines, the schema, and the schema_migrations rows.
	rails := `SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET default_tablespace = '';
SET default_table_access_method = heap;

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);
CREATE TABLE public.ar_internal_metadata (
    key character varying NOT NULL,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
ALTER TABLE ONLY public.schema_migrations ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);
ALTER TABLE ONLY public.ar_internal_metadata ADD CONSTRAINT ar_internal_metadata_pkey PRIMARY KEY (key);

SET search_path TO "$user", public;

INSERT INTO "schema_migrations" (version) VALUES
('20240101000000'),
('20240102000000');
`
	railsDB := srv.NewDatabase(t)
	execSQL(t, railsDB, rails)
	res, err = drift.Plan(ctx, drift.Options{URL: railsDB, ScratchURL: srv.AdminURL(), Dir: writeDir(t, map[string]string{"structure.sql": rails})})
	if err != nil {
		t.Fatalf("plan of structure.sql: %v", err)
	}
	if !res.Plan.Empty() {
		t.Fatalf("structure.sql plans changes against its own database:\n%s", res.Plan.SQL())
	}
	var insertSkipped bool
	for _, w := range res.Warnings {
		if strings.HasPrefix(w.String(), "structure.sql:22") {
			insertSkipped = true
		}
	}
	if !insertSkipped {
		t.Errorf("the INSERT INTO schema_migrations at structure.sql:22 is not reported as skipped: %v", res.Warnings)
	}
}

// TestApply_idempotentAndBlocked: a database loaded from the same SQL plans nothing;
// a destructive plan is blocked and nothing is applied; with the flag it converges.
func TestApply_idempotentAndBlocked(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	execSQL(t, url, appSchema)
	dir := writeDir(t, map[string]string{"a.sql": appSchema})
	res, err := drift.Apply(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir})
	if err != nil || res.Applied || !res.Plan.Empty() {
		t.Fatalf("applying the schema a database was loaded from: applied=%v err=%v\n%s", res.Applied, err, res.Plan.SQL())
	}
	smaller := strings.Replace(appSchema, `    token uuid DEFAULT gen_random_uuid()`, `    note text`, 1)
	smaller = strings.Replace(smaller, "    total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,\n", "    total_cents bigint GENERATED ALWAYS AS ((total * 100)::bigint) STORED,\n", 1)
	dir = writeDir(t, map[string]string{"a.sql": smaller})
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	before, err := inspect.Inspect(ctx, conn, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = drift.Apply(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir})
	var blocked *drift.BlockedError
	if !errors.As(err, &blocked) {
		t.Fatalf("want BlockedError, got %v", err)
	}
	if !strings.Contains(err.Error(), "DROP COLUMN token") {
		t.Errorf("blocked error does not name the destructive statement: %v", err)
	}
	after, err := inspect.Inspect(ctx, conn, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if before.Fingerprint() != after.Fingerprint() {
		t.Fatal("a blocked apply changed the database")
	}
	res, err = drift.Apply(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir, AllowDestructive: true})
	if err != nil || !res.Applied {
		t.Fatalf("apply with AllowDestructive: %v", err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM customers").Scan(&n); err != nil || n != 2 {
		t.Errorf("rows of customers: %d, %v", n, err)
	}
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM schemactl.apply_log").Scan(&n); err != nil || n != 1 {
		t.Errorf("apply log rows: %d, %v", n, err)
	}
}

// TestApply_failureLeavesDatabaseUnchanged: a statement that fails in the middle of the
// transactional phase rolls back everything before it.
func TestApply_failureLeavesDatabaseUnchanged(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	execSQL(t, url, `CREATE TABLE a (id int PRIMARY KEY, v text); INSERT INTO a VALUES (1, 'x'), (2, 'not a number');`)
	// The new table b comes first in the plan; the type change of a.v fails on the data.
	dir := writeDir(t, map[string]string{"s.sql": `CREATE TABLE a (id int PRIMARY KEY, v int); CREATE TABLE b (id int);`})
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	before, _ := inspect.Inspect(ctx, conn, inspect.Options{})
	res, err := drift.Apply(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir, AllowDestructive: true})
	if err == nil {
		t.Fatalf("apply succeeded:\n%s", res.Plan.SQL())
	}
	if !strings.Contains(err.Error(), "invalid input syntax for type integer") {
		t.Errorf("error does not carry PostgreSQL's message: %v", err)
	}
	after, _ := inspect.Inspect(ctx, conn, inspect.Options{})
	if before.Fingerprint() != after.Fingerprint() {
		t.Fatal("a failed apply left changes behind")
	}
	var n int
	_ = conn.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = 'schemactl'").Scan(&n)
	if n != 0 {
		t.Error("a plan refused by pre-flight was recorded")
	}

	// Without pre-flight the conversion fails in the transaction: rolled back, and
	// the failure is recorded with each statement's outcome.
	_, err = drift.Apply(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir, AllowDestructive: true, PreflightTimeout: -1})
	var ae *drift.ApplyError
	if !errors.As(err, &ae) || ae.Partial() || !strings.Contains(err.Error(), "nothing was applied") {
		t.Fatalf("apply without pre-flight: want an ApplyError with nothing applied, got %v", err)
	}
	after, _ = inspect.Inspect(ctx, conn, inspect.Options{})
	if before.Fingerprint() != after.Fingerprint() {
		t.Fatal("a failed transaction left changes behind")
	}
	var outcomes []string
	var status string
	if err := conn.QueryRow(ctx, "SELECT outcomes, status FROM schemactl.apply_log ORDER BY id DESC LIMIT 1").Scan(&outcomes, &status); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || !slices.Contains(outcomes, "failed") || slices.Contains(outcomes, "committed") {
		t.Errorf("apply_log: outcomes %v status %q", outcomes, status)
	}
}

// TestApply_concurrentAppliesNeverInterleave: two applies of the same plan at once: one
// applies, the other waits for the advisory lock, plans again and finds nothing to do.
func TestApply_concurrentAppliesNeverInterleave(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	var stmts []string
	for i := 0; i < 40; i++ {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE t_%d (id int PRIMARY KEY, v text);", i))
	}
	dir := writeDir(t, map[string]string{"s.sql": strings.Join(stmts, "\n")})
	desired, _, err := drift.LoadDesired(ctx, dir, srv.AdminURL(), 0, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]*drift.Result, 2)
	errs := make([]error, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			conn, err := drift.Connect(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			defer func() { _ = conn.Close(ctx) }()
			results[i], errs[i] = drift.ApplyModel(ctx, conn, desired, drift.Options{LockWait: time.Minute}, "")
		}(i)
	}
	wg.Wait()
	applied := 0
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("apply %d: %v", i, errs[i])
		}
		if results[i].Applied {
			applied++
		}
	}
	if applied != 1 {
		t.Fatalf("%d applies executed statements, want exactly 1", applied)
	}
	conn, _ := drift.Connect(ctx, url)
	defer func() { _ = conn.Close(ctx) }()
	var n int
	_ = conn.QueryRow(ctx, "SELECT count(*) FROM schemactl.apply_log").Scan(&n)
	if n != 1 {
		t.Errorf("apply log has %d rows, want 1", n)
	}
}

// TestLoad_rejectsAndErrorsNameFileLine: cluster-wide statements are rejected with
// file:line before anything runs; SQL errors carry file:line:col; the target is never
// touched.
func TestLoad_rejectsAndErrorsNameFileLine(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	_, err := drift.Plan(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: writeDir(t, map[string]string{
		"01.sql": "CREATE TABLE ok (id int);\nCREATE ROLE evil;\n",
		"02.sql": "\n\nALTER SYSTEM SET work_mem = '1GB';\n",
	})})
	if err == nil || !strings.Contains(err.Error(), "01.sql:2") || !strings.Contains(err.Error(), "02.sql:3") {
		t.Fatalf("want both rejected statements with file:line, got %v", err)
	}
	_, err = drift.Plan(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: writeDir(t, map[string]string{
		"01.sql": "CREATE TABLE ok (id int);\nCREATE TABLE bad (id nosuchtype);\n",
	})})
	if err == nil || !strings.Contains(err.Error(), "01.sql:2:") || !strings.Contains(err.Error(), "nosuchtype") {
		t.Fatalf("want file:line:col and PostgreSQL's message, got %v", err)
	}
	var n int
	conn, _ := drift.Connect(ctx, url)
	defer func() { _ = conn.Close(ctx) }()
	_ = conn.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n)
	if n != 0 {
		t.Error("the target database was written to")
	}
	// The scratch databases of failed loads are dropped: proven with a private
	// name prefix in drift/load (TestLoad_cleanup*), where no parallel load of
	// another test can interfere.
}

// TestApply_passwordNeverInErrors: a connection error names the server, not the password.
func TestApply_passwordNeverInErrors(t *testing.T) {
	_, err := drift.Plan(context.Background(), drift.Options{
		URL: "postgres://someone:Sup3rSecret@127.0.0.1:1/db?connect_timeout=2",
		Dir: t.TempDir(),
	})
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), "Sup3rSecret") {
		t.Fatalf("password in error: %v", err)
	}
}
