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
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/apply"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// leftovers returns the helper constraints and INVALID indexes in the database: what
// a failed online step must never leave behind.
func leftovers(t *testing.T, ctx context.Context, conn *pgx.Conn) []string {
	t.Helper()
	rows, err := conn.Query(ctx, `
SELECT 'constraint ' || conname FROM pg_catalog.pg_constraint WHERE conname LIKE '%schemactl%'
UNION ALL
SELECT 'invalid index ' || c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
WHERE NOT i.indisvalid OR c.relname LIKE '%schemactl%'
ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// lastLog returns the outcomes and status of the newest apply_log row.
func lastLog(t *testing.T, ctx context.Context, conn *pgx.Conn) (stmts, outcomes []string, status string) {
	t.Helper()
	if err := conn.QueryRow(ctx, "SELECT statements, outcomes, status FROM schemactl.apply_log ORDER BY id DESC LIMIT 1").Scan(&stmts, &outcomes, &status); err != nil {
		t.Fatalf("reading schemactl.apply_log: %v", err)
	}
	return stmts, outcomes, status
}

func connect(t *testing.T, ctx context.Context, url string) *pgx.Conn {
	t.Helper()
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// TestApply_notNullOverNULLs: Git adds NOT NULL to a column that holds NULLs. The
// pre-flight check refuses the plan with the number of NULLs before anything runs;
// with the checks off the online validation fails, and its helper CHECK (... IS NOT
// NULL) NOT VALID — which would refuse the application's NULLs — is dropped again.
// apply_log records the helper as reverted, the validation as failed, the rest as
// not run; the error says nothing is left applied.
func TestApply_notNullOverNULLs(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	execSQL(t, url, `CREATE TABLE public.t (id int PRIMARY KEY, more text);
INSERT INTO public.t SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'x' END FROM generate_series(1, 30) g;`)
	dir := writeDir(t, map[string]string{"s.sql": "CREATE TABLE public.t (id int PRIMARY KEY, more text NOT NULL);"})
	opts := drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir}
	conn := connect(t, ctx, url)

	const reason = "column public.t.more has 3 NULLs; NOT NULL cannot be added"
	res, err := drift.Plan(ctx, opts)
	var refused *drift.RefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), reason) {
		t.Fatalf("plan: want a refusal %q, got %v", reason, err)
	}
	if res == nil || res.Plan == nil || !strings.Contains(res.Plan.SQL(), "-- preflight refused: "+reason) {
		t.Fatalf("the plan output does not say why it is refused")
	}
	if _, err := drift.Apply(ctx, opts); !errors.As(err, &refused) {
		t.Fatalf("apply: want a refusal, got %v", err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = 'schemactl'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("a refused apply ran something (schemactl schema: %d, %v)", n, err)
	}

	off := opts
	off.PreflightTimeout = -1
	_, err = drift.Apply(ctx, off)
	var ae *drift.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("apply without pre-flight: want an ApplyError, got %v", err)
	}
	if left := leftovers(t, ctx, conn); len(left) > 0 {
		t.Fatalf("a failed apply left %v behind", left)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO public.t VALUES (100, NULL)"); err != nil {
		t.Fatalf("after the failed apply the application cannot insert NULL: %v", err)
	}
	if ae.Partial() || !ae.Consistent() {
		t.Errorf("partial %v, consistent %v: want nothing left applied, cleanup done", ae.Partial(), ae.Consistent())
	}
	for _, want := range []string{"VALIDATE CONSTRAINT", "cleaned up: ALTER TABLE public.t DROP CONSTRAINT IF EXISTS more__schemactl_not_null", "nothing was applied", "not run (2):", "reverted by the cleanup (1):"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	stmts, outcomes, status := lastLog(t, ctx, conn)
	want := []string{"reverted", "failed", "not run", "not run"}
	if !slices.Equal(outcomes, want) || status != "failed" {
		t.Errorf("apply_log: outcomes %v status %q, want %v failed\n%s", outcomes, status, want, strings.Join(stmts, "\n"))
	}
}

// TestApply_newColumnAndUniqueIndexOverDuplicates: a new column and a unique index on
// a column with duplicated values. Pre-flight refuses it with the number of
// duplicated values; with the checks off, the column is committed, the unique index
// built CONCURRENTLY fails and is dropped (no INVALID index), the error lists the
// committed column and says re-running finishes, apply_log records committed / failed.
func TestApply_newColumnAndUniqueIndexOverDuplicates(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	execSQL(t, url, `CREATE TABLE public.t (id int PRIMARY KEY, email text);
INSERT INTO public.t VALUES (1, 'a'), (2, 'a'), (3, 'a'), (4, 'b'), (5, 'b'), (6, 'c'), (7, NULL), (8, NULL);`)
	dir := writeDir(t, map[string]string{"s.sql": `CREATE TABLE public.t (id int PRIMARY KEY, email text, note text);
CREATE UNIQUE INDEX t_email ON public.t (email);`})
	opts := drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir}
	conn := connect(t, ctx, url)

	const reason = "key (email) of public.t has 2 duplicated values (the most frequent in 3 rows); index public.t_email cannot be built"
	_, err := drift.Apply(ctx, opts)
	var refused *drift.RefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), reason) {
		t.Fatalf("apply: want a refusal %q, got %v", reason, err)
	}

	off := opts
	off.PreflightTimeout = -1
	_, err = drift.Apply(ctx, off)
	var ae *drift.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("apply without pre-flight: want an ApplyError, got %v", err)
	}
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "23505" {
		t.Errorf("the cause should be PostgreSQL's unique_violation: %v", err)
	}
	if left := leftovers(t, ctx, conn); len(left) > 0 {
		t.Fatalf("a failed apply left %v behind", left)
	}
	if !ae.Partial() || !ae.Consistent() {
		t.Errorf("partial %v, consistent %v: want partial and consistent", ae.Partial(), ae.Consistent())
	}
	committed := ae.With(apply.Committed)
	if len(committed) != 1 || !strings.Contains(committed[0].SQL, "ADD COLUMN note") {
		t.Errorf("committed: %+v", committed)
	}
	for _, want := range []string{"committed (1):", "ADD COLUMN note", "cleaned up: DROP INDEX CONCURRENTLY IF EXISTS public.t_email", "re-run apply to finish"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	_, outcomes, status := lastLog(t, ctx, conn)
	if !slices.Equal(outcomes, []string{"committed", "failed"}) || status != "partial" {
		t.Errorf("apply_log: outcomes %v status %q", outcomes, status)
	}

	// The data fixed, a re-run plans only the index and finishes.
	execSQL(t, url, "UPDATE public.t SET email = email || id WHERE email IN ('a', 'b')")
	res, err := drift.Apply(ctx, opts)
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if len(res.Plan.Statements) != 1 || !strings.Contains(res.Plan.Statements[0].SQL, "CREATE UNIQUE INDEX CONCURRENTLY t_email") {
		t.Errorf("the re-run should plan only the index:\n%s", res.Plan.SQL())
	}
	_, outcomes, status = lastLog(t, ctx, conn)
	if !slices.Equal(outcomes, []string{"committed"}) || status != "applied" {
		t.Errorf("apply_log after the re-run: outcomes %v status %q", outcomes, status)
	}
}

// TestApply_uniqueBuildFailsOnConcurrentDuplicate: a failure pre-flight cannot see.
// The data is unique when the check runs; a writer's transaction, open while the
// index is built CONCURRENTLY (which waits for it), inserts a duplicate and commits.
// The build fails, and the INVALID index it leaves is dropped.
func TestApply_uniqueBuildFailsOnConcurrentDuplicate(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	execSQL(t, url, `CREATE TABLE public.t (id int PRIMARY KEY, email text);
INSERT INTO public.t SELECT g, 'u' || g FROM generate_series(1, 1000) g;`)
	dir := writeDir(t, map[string]string{"s.sql": `CREATE TABLE public.t (id int PRIMARY KEY, email text);
CREATE UNIQUE INDEX t_email ON public.t (email);`})
	conn := connect(t, ctx, url)

	writer, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = writer.Close(context.Background()) }()
	wtx, err := writer.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wtx.Exec(ctx, "INSERT INTO public.t VALUES (5000, 'u1')"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := drift.Apply(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir, LockTimeout: 30 * time.Second})
		done <- err
	}()
	// The build has created its (not yet valid) index and waits for the writer.
	for {
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_catalog.pg_class WHERE relname = 't_email'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("apply ended before building the index: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := wtx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	err = <-done
	var ae *drift.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("want an ApplyError, got %v", err)
	}
	if !strings.Contains(err.Error(), "cleaned up: DROP INDEX CONCURRENTLY IF EXISTS public.t_email") || !ae.Consistent() {
		t.Errorf("the failed build was not cleaned up:\n%v", err)
	}
	if left := leftovers(t, ctx, conn); len(left) > 0 {
		t.Fatalf("a failed apply left %v behind", left)
	}
	_, outcomes, status := lastLog(t, ctx, conn)
	if !slices.Equal(outcomes, []string{"failed"}) || status != "failed" {
		t.Errorf("apply_log: outcomes %v status %q", outcomes, status)
	}
}

// TestPreflight_refusals: each kind of check refuses the plan with its reason, and a
// check that does not finish within --preflight-timeout is noted in the plan instead.
func TestPreflight_refusals(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for _, tc := range []struct {
		name, old, desired, reason string
	}{
		{"check", `CREATE TABLE public.t (id int PRIMARY KEY, n int); INSERT INTO public.t VALUES (1, 5), (2, -1), (3, -2), (4, NULL);`,
			`CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT t_n_check CHECK (n > 0));`,
			"table public.t has 2 rows violating CHECK ((n > 0)); constraint t_n_check on public.t cannot be added"},
		{"type", `CREATE TABLE public.t (id int PRIMARY KEY, v text); INSERT INTO public.t VALUES (1, '1'), (2, 'abc');`,
			`CREATE TABLE public.t (id int PRIMARY KEY, v int);`,
			"column public.t.v has values that cannot be converted to integer (invalid input syntax for type integer); the type cannot be changed"},
		{"unique-constraint", `CREATE TABLE public.t (id int PRIMARY KEY, a int, b int); INSERT INTO public.t VALUES (1, 1, 1), (2, 1, 1), (3, 1, 2);`,
			`CREATE TABLE public.t (id int PRIMARY KEY, a int, b int, CONSTRAINT t_a_b_key UNIQUE (a, b));`,
			"key (a, b) of public.t has 1 duplicated value (the most frequent in 2 rows); constraint t_a_b_key on public.t cannot be built"},
		{"identity", `CREATE TABLE public.t (id int, v int); INSERT INTO public.t VALUES (1, 1), (NULL, 2);`,
			`CREATE TABLE public.t (id int GENERATED BY DEFAULT AS IDENTITY, v int);`,
			"column public.t.id has 1 NULL; NOT NULL cannot be added"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := srv.NewDatabase(t)
			execSQL(t, url, tc.old)
			opts := drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: writeDir(t, map[string]string{"s.sql": tc.desired}), AllowDestructive: true}
			res, err := drift.Apply(ctx, opts)
			var refused *drift.RefusedError
			if !errors.As(err, &refused) || !strings.Contains(err.Error(), tc.reason) {
				t.Fatalf("want a refusal %q, got %v", tc.reason, err)
			}
			found := false
			for _, r := range res.Plan.Preflight {
				found = found || r.Outcome == plan.PreflightRefused && r.Message == tc.reason
			}
			if !found {
				t.Errorf("plan.Preflight lacks the refusal: %+v", res.Plan.Preflight)
			}
			// Fix the data: the same plan passes.
			execSQL(t, url, "DELETE FROM public.t WHERE id <> 1 OR id IS NULL")
			if _, err := drift.Apply(ctx, opts); err != nil {
				t.Fatalf("apply once the data allows it: %v", err)
			}
		})
	}

	t.Run("timeout-noted", func(t *testing.T) {
		url := srv.NewDatabase(t)
		const fn = `CREATE FUNCTION public.slow(n int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT pg_sleep(0.01) IS NOT NULL AND n > 0';`
		execSQL(t, url, fn+`CREATE TABLE public.t (id int PRIMARY KEY, n int); INSERT INTO public.t SELECT g, g FROM generate_series(1, 2000) g;`)
		opts := drift.Options{URL: url, ScratchURL: srv.AdminURL(), PreflightTimeout: 300 * time.Millisecond,
			Dir: writeDir(t, map[string]string{"s.sql": fn + `CREATE TABLE public.t (id int PRIMARY KEY, n int CONSTRAINT t_slow CHECK (public.slow(n)));`})}
		start := time.Now()
		res, err := drift.Plan(ctx, opts)
		if err != nil {
			t.Fatalf("a check that does not finish must not fail the plan: %v", err)
		}
		if took := time.Since(start); took > 15*time.Second {
			t.Errorf("plan took %s: the pre-flight budget was not kept", took)
		}
		if len(res.Plan.Preflight) != 1 || res.Plan.Preflight[0].Outcome != plan.PreflightNotChecked ||
			!strings.Contains(res.Plan.Preflight[0].Message, "too expensive") {
			t.Fatalf("preflight: %+v", res.Plan.Preflight)
		}
		if !strings.Contains(res.Plan.SQL(), "-- preflight not checked: check of constraint t_slow on public.t not checked: too expensive") {
			t.Errorf("the plan text does not note the unchecked constraint:\n%s", res.Plan.SQL())
		}
	})
}

// TestApply_migratesOldApplyLog: a database with the apply_log of an older version
// (no outcomes, status, error, finished_at) keeps its rows and gets the new columns.
func TestApply_migratesOldApplyLog(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	execSQL(t, url, `CREATE SCHEMA schemactl;
CREATE TABLE schemactl.apply_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id text NOT NULL,
    source text NOT NULL DEFAULT '',
    applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    applied_by text NOT NULL DEFAULT CURRENT_USER,
    statements text[] NOT NULL
);
INSERT INTO schemactl.apply_log (plan_id, statements) VALUES ('sha256:old', '{"CREATE TABLE public.a (id int)"}');
CREATE TABLE public.a (id int);`)
	conn := connect(t, ctx, url)
	res, err := drift.Apply(ctx, drift.Options{URL: url, ScratchURL: srv.AdminURL(),
		Dir: writeDir(t, map[string]string{"s.sql": "CREATE TABLE public.a (id int, b text);"})})
	if err != nil {
		t.Fatal(err)
	}
	var old int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM schemactl.apply_log WHERE plan_id = 'sha256:old' AND outcomes IS NULL AND status IS NULL").Scan(&old); err != nil || old != 1 {
		t.Fatalf("the old row: %d, %v", old, err)
	}
	_, outcomes, status := lastLog(t, ctx, conn)
	if !slices.Equal(outcomes, []string{"committed"}) || status != "applied" {
		t.Errorf("new row: outcomes %v status %q", outcomes, status)
	}
	var finished bool
	if err := conn.QueryRow(ctx, "SELECT finished_at IS NOT NULL FROM schemactl.apply_log ORDER BY id DESC LIMIT 1").Scan(&finished); err != nil || !finished {
		t.Errorf("finished_at not set: %v", err)
	}
	// The approval id of the executed plan is recorded next to the plan's own id,
	// and is the one the result (and so a Database's lastApplied) carries.
	var approval string
	if err := conn.QueryRow(ctx, "SELECT coalesce(approval_id, '') FROM schemactl.apply_log ORDER BY id DESC LIMIT 1").Scan(&approval); err != nil {
		t.Fatal(err)
	}
	if res == nil || approval == "" || approval != res.ApprovalID {
		t.Errorf("approval_id %q, want the result's %q", approval, res.ApprovalID)
	}
}

// TestApply_deadApplyInterrupted: an apply whose connection dies while an online
// step runs (as when its process is killed) leaves its apply_log row "running" and,
// here, an INVALID index (its CREATE INDEX CONCURRENTLY was terminated). The next
// apply rebuilds the index and records the dead apply as interrupted: status
// interrupted, the step it was running interrupted, the steps after it not run.
func TestApply_deadApplyInterrupted(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	execSQL(t, url, `CREATE TABLE public.t (id int PRIMARY KEY, b text, c int);
INSERT INTO public.t SELECT g, 'x' || g, g FROM generate_series(1, 100) g;`)
	opts := drift.Options{URL: url, ScratchURL: srv.AdminURL(), LockTimeout: time.Minute,
		Dir: writeDir(t, map[string]string{"s.sql": `CREATE TABLE public.t (id int PRIMARY KEY, b text, c int);
CREATE INDEX t_b_idx ON public.t (b);
CREATE INDEX t_c_idx ON public.t (c);`})}
	conn := connect(t, ctx, url)

	// A writer's open transaction makes the concurrent build wait for it.
	blocker := connect(t, ctx, url)
	if _, err := blocker.Exec(ctx, "BEGIN; INSERT INTO public.t VALUES (1000, 'y', 1)"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := drift.Apply(ctx, opts)
		done <- err
	}()
	var pid int
	for pid == 0 {
		select {
		case err := <-done:
			t.Fatalf("the apply ended before its build could be stopped: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		// The build is marked running in apply_log and waits for the writer.
		_ = conn.QueryRow(ctx, `SELECT a.pid FROM pg_catalog.pg_stat_activity a, schemactl.apply_log l
WHERE a.datname = current_database() AND a.query LIKE 'CREATE INDEX CONCURRENTLY%' AND l.status = 'running' AND 'running' = ANY (l.outcomes)`).Scan(&pid)
	}
	var terminated bool
	if err := conn.QueryRow(ctx, "SELECT pg_catalog.pg_terminate_backend($1)", pid).Scan(&terminated); err != nil || !terminated {
		t.Fatalf("terminating the apply's session: %v, %v", terminated, err)
	}
	if err := <-done; err == nil {
		t.Fatal("the apply whose session was terminated succeeded")
	}
	if _, err := blocker.Exec(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	var deadID int64
	var outcomes []string
	if err := conn.QueryRow(ctx, "SELECT id, outcomes FROM schemactl.apply_log WHERE status = 'running'").Scan(&deadID, &outcomes); err != nil {
		t.Fatalf("the dead apply's row, left running: %v", err)
	}
	if left := leftovers(t, ctx, conn); len(left) != 1 || !strings.HasPrefix(left[0], "invalid index t_b_idx") {
		t.Fatalf("after the terminated build: leftovers %v, want the INVALID index t_b_idx", left)
	}

	if _, err := drift.Apply(ctx, opts); err != nil {
		t.Fatalf("the next apply: %v", err)
	}
	if left := leftovers(t, ctx, conn); len(left) > 0 {
		t.Errorf("the next apply left %v", left)
	}
	res, err := drift.Plan(ctx, opts)
	if err != nil || !res.Plan.Empty() {
		t.Errorf("plan after the next apply: %v, %v", err, res.Plan.SQL())
	}
	var status, errText string
	var after []string
	if err := conn.QueryRow(ctx, "SELECT status, outcomes, coalesce(error, '') FROM schemactl.apply_log WHERE id = $1", deadID).Scan(&status, &after, &errText); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(outcomes)
	for i, o := range want {
		if o == string(apply.Running) {
			want[i] = string(apply.Interrupted)
		}
	}
	if status != apply.StatusInterrupted || !slices.Equal(after, want) || !slices.Contains(after, string(apply.Interrupted)) || !strings.Contains(errText, "interrupted") {
		t.Errorf("the dead apply's row: status %q outcomes %v error %q; want interrupted, %v", status, after, errText, want)
	}
	var running int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM schemactl.apply_log WHERE status = 'running'").Scan(&running); err != nil || running != 0 {
		t.Errorf("%d apply_log rows still running (%v)", running, err)
	}
}
