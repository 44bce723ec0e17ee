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

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/apply"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// Server faults (issue 13 item 4): a throwaway cluster is stopped (fast shutdown:
// every session is terminated) while the apply or the inspection waits on a lock
// that another session holds, which makes the moment deterministic; the test then
// starts the cluster again and checks what the error said against what the
// database and schemactl.apply_log hold, and that the next run converges.

// TestServerFaults runs the server-fault tests on one throwaway cluster (initdb
// costs more than the tests on a busy machine), one database each.
func TestServerFaults(t *testing.T) {
	c := pgtest.NewCluster(t)
	for _, tc := range []struct {
		name string
		test func(t *testing.T, c *pgtest.Cluster)
	}{
		{"applyStoppedInTheTransaction", testApplyServerStoppedInTheTransaction},
		{"applyStoppedInAnOnlineStep", testApplyServerStoppedInAnOnlineStep},
		{"applyStoppedWhileCommitting", testApplyServerStoppedWhileCommitting},
		{"planStoppedDuringInspection", testPlanServerStoppedDuringInspection},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			tc.test(t, c)
		})
	}
}

// faultDatabase creates a database of the cluster set up by setup and returns its
// URL.
func faultDatabase(t *testing.T, c *pgtest.Cluster, setup string) string {
	t.Helper()
	name := pgtest.DatabaseName(t.Name())
	execSQL(t, c.URL(), "CREATE DATABASE "+name)
	url := c.URLFor(name)
	if setup != "" {
		execSQL(t, url, setup)
	}
	return url
}

// waitForSession waits until a session of schemactl in the database matches cond
// (a condition on pg_stat_activity), and fails t after a minute.
func waitForSession(t *testing.T, url, cond string, applyDone <-chan struct{}) {
	t.Helper()
	waitForSessions(t, url, cond, 1, applyDone)
}

// waitForSessions waits until at least min sessions of schemactl in the database
// match cond.
func waitForSessions(t *testing.T, url, cond string, min int, applyDone <-chan struct{}) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	deadline := time.Now().Add(time.Minute)
	for {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_catalog.pg_stat_activity
WHERE application_name = 'schemactl' AND datname = current_database() AND `+cond).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= min {
			return
		}
		select {
		case <-applyDone:
			t.Fatalf("the apply ended before a session matched %s", cond)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no schemactl session matched %s within a minute", cond)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// holdInTx opens a session on url that runs sql in a transaction left open; the
// session ends with the server.
func holdInTx(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, "BEGIN; "+sql); err != nil {
		t.Fatal(err)
	}
}

type applyOutcome struct {
	res *drift.Result
	err error
}

// applyAsync runs drift.Apply in a goroutine.
func applyAsync(ctx context.Context, opts drift.Options) (<-chan applyOutcome, <-chan struct{}) {
	out := make(chan applyOutcome, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err := drift.Apply(ctx, opts)
		out <- applyOutcome{res, err}
	}()
	return out, done
}

func numbers(ss []apply.StatementOutcome) []int {
	var out []int
	for _, s := range ss {
		out = append(out, s.Number)
	}
	return out
}

func queryString(t *testing.T, conn *pgx.Conn, sql string) string {
	t.Helper()
	var s string
	if err := conn.QueryRow(context.Background(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// mustConverge applies opts again and requires it to succeed and a plan after it
// to be empty.
func mustConverge(t *testing.T, ctx context.Context, opts drift.Options) *drift.Result {
	t.Helper()
	res, err := drift.Apply(ctx, opts)
	if err != nil {
		t.Fatalf("the apply after the restart: %v", err)
	}
	again, err := drift.Plan(ctx, opts)
	if err != nil || !again.Plan.Empty() {
		t.Fatalf("not converged after the re-run: %v %v", err, again.Plan.SQL())
	}
	return res
}

// testApplyServerStoppedInTheTransaction: the server stops while the apply's
// transaction waits for a table lock. The error says nothing was applied (the
// failing statement failed, none committed or unknown); after the restart the
// column is not there and apply_log has no row (the row is written in the
// transaction); the re-run converges and records one applied row.
func testApplyServerStoppedInTheTransaction(t *testing.T, c *pgtest.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := faultDatabase(t, c, "CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t SELECT generate_series(1, 100);")
	dir := writeDir(t, map[string]string{"s.sql": "CREATE TABLE public.t (id int PRIMARY KEY, a int DEFAULT 1);"})
	opts := drift.Options{URL: url, ScratchURL: pgtest.Shared(t).AdminURL(), Dir: dir, LockTimeout: time.Minute}

	holdInTx(t, url, "SELECT count(*) FROM public.t")
	out, done := applyAsync(ctx, opts)
	waitForSession(t, url, "wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%'", done)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	got := <-out
	var ae *drift.ApplyError
	if !errors.As(got.err, &ae) {
		t.Fatalf("want an ApplyError, got %v", got.err)
	}
	if ae.Partial() || len(ae.With(apply.Unknown)) > 0 || len(ae.With(apply.Failed)) != 1 {
		t.Fatalf("want nothing committed or unknown and one failed statement, got %+v", ae.Statements)
	}
	for _, want := range []string{"terminating connection due to administrator command", "nothing was applied", "recording the failure in schemactl.apply_log failed"} {
		if !strings.Contains(got.err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, got.err)
		}
	}

	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, ctx, url)
	if n := queryString(t, conn, "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 't' AND column_name = 'a'"); n != "0" {
		t.Fatalf("the rolled back column is in the database")
	}
	if r := queryString(t, conn, "SELECT coalesce(to_regclass('schemactl.apply_log')::text, 'none')"); r != "none" {
		t.Fatalf("apply_log exists (%s) although the transaction that writes it did not commit", r)
	}
	mustConverge(t, ctx, opts)
	if rows := queryString(t, conn, "SELECT string_agg(status || ':' || array_to_string(outcomes, ','), ';' ORDER BY id) FROM schemactl.apply_log"); rows != "applied:committed" {
		t.Fatalf("apply_log after the re-run: %s", rows)
	}
}

// testApplyServerStoppedInAnOnlineStep: the server stops while CREATE INDEX
// CONCURRENTLY waits for a writer's open transaction, after the transaction
// committed. The error lists the committed statement, the failed build and the
// cleanup that could not run (no connection), so it says the database is not
// consistent; after the restart the database holds exactly that — the column, an
// INVALID index — and apply_log says committed, running (the last outcome it could
// record). The re-run rebuilds the index and converges.
func testApplyServerStoppedInAnOnlineStep(t *testing.T, c *pgtest.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := faultDatabase(t, c, `CREATE TABLE public.t (id int PRIMARY KEY, a int);
CREATE TABLE public.u (id int PRIMARY KEY);
INSERT INTO public.t SELECT g, g FROM generate_series(1, 1000) g;`)
	dir := writeDir(t, map[string]string{"s.sql": `CREATE TABLE public.t (id int PRIMARY KEY, a int);
CREATE INDEX t_a ON public.t (a);
CREATE TABLE public.u (id int PRIMARY KEY, b int);`})
	opts := drift.Options{URL: url, ScratchURL: pgtest.Shared(t).AdminURL(), Dir: dir, LockTimeout: time.Minute}

	// A writer's open transaction: the concurrent build waits for it.
	holdInTx(t, url, "INSERT INTO public.t VALUES (100000, 1)")
	out, done := applyAsync(ctx, opts)
	waitForSession(t, url, "wait_event_type = 'Lock' AND query LIKE 'CREATE INDEX CONCURRENTLY%'", done)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	got := <-out
	var ae *drift.ApplyError
	if !errors.As(got.err, &ae) {
		t.Fatalf("want an ApplyError, got %v", got.err)
	}
	if !slices.Equal(numbers(ae.With(apply.Committed)), []int{1}) || !slices.Equal(numbers(ae.With(apply.Failed)), []int{2}) {
		t.Fatalf("want statement 1 committed and 2 failed, got %+v", ae.Statements)
	}
	if !strings.HasPrefix(ae.Statements[0].SQL, "ALTER TABLE public.u ADD COLUMN b") || !strings.HasPrefix(ae.Statements[1].SQL, "CREATE INDEX CONCURRENTLY t_a") {
		t.Fatalf("unexpected plan: %+v", ae.Statements)
	}
	if ae.Consistent() || len(ae.Cleanup) != 1 || ae.Cleanup[0].Error == "" {
		t.Fatalf("the cleanup cannot run without a connection; want it reported failed, got %+v", ae.Cleanup)
	}
	for _, want := range []string{"terminating connection due to administrator command", "cleanup FAILED", "DROP INDEX CONCURRENTLY IF EXISTS public.t_a",
		"partially applied; a cleanup failed", "committed (1):"} {
		if !strings.Contains(got.err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, got.err)
		}
	}

	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, ctx, url)
	if n := queryString(t, conn, "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'u' AND column_name = 'b'"); n != "1" {
		t.Fatalf("the committed column is not in the database")
	}
	if left := leftovers(t, ctx, conn); !slices.Equal(left, []string{"invalid index t_a"}) {
		t.Fatalf("want exactly the reported leftover (the INVALID index of the interrupted build), got %v", left)
	}
	_, outcomes, status := lastLog(t, ctx, conn)
	if !slices.Equal(outcomes, []string{"committed", "running"}) || status != "running" {
		t.Fatalf("apply_log: want committed, running / running, got %v / %s", outcomes, status)
	}

	res := mustConverge(t, ctx, opts)
	if left := leftovers(t, ctx, conn); len(left) > 0 {
		t.Fatalf("left after the re-run: %v", left)
	}
	if !strings.Contains(res.Plan.SQL(), "t_a") || strings.Contains(res.Plan.SQL(), "public.u") {
		t.Fatalf("the re-run should redo only the index:\n%s", res.Plan.SQL())
	}
	_, outcomes, status = lastLog(t, ctx, conn)
	if status != "applied" || slices.ContainsFunc(outcomes, func(o string) bool { return o != "committed" }) {
		t.Fatalf("apply_log of the re-run: %v / %s", outcomes, status)
	}
}

// testApplyServerStoppedWhileCommitting: the server stops while the apply's COMMIT
// waits for a synchronous standby that never answers — the transaction is committed
// locally, only the reply is lost, as in a failover. The apply must not claim the
// statements were rolled back: their outcome is unknown, the error names the
// apply_log row that tells, and after the restart the row and the column are there
// and the re-run has nothing left to do.
func testApplyServerStoppedWhileCommitting(t *testing.T, c *pgtest.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := faultDatabase(t, c, "CREATE TABLE public.t (id int PRIMARY KEY);")
	dir := writeDir(t, map[string]string{"s.sql": "CREATE TABLE public.t (id int PRIMARY KEY, a int);"})
	opts := drift.Options{URL: url, ScratchURL: pgtest.Shared(t).AdminURL(), Dir: dir}
	setSyncStandby(t, c, "absent_standby")
	t.Cleanup(func() {
		// Whatever happened, the next test needs a cluster whose commits do not wait.
		if err := c.Start(); err == nil {
			setSyncStandby(t, c, "")
		}
	})

	out, done := applyAsync(ctx, opts)
	waitForSession(t, url, "wait_event = 'SyncRep'", done)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	got := <-out
	var ae *drift.ApplyError
	if !errors.As(got.err, &ae) {
		t.Fatalf("want an ApplyError, got %v", got.err)
	}
	if len(ae.With(apply.RolledBack)) > 0 || len(ae.With(apply.Unknown)) != len(ae.Statements) || ae.Consistent() {
		t.Fatalf("want every statement of the transaction unknown, got %+v", ae.Statements)
	}
	for _, want := range []string{"the transaction committed if schemactl.apply_log has a row with id 1", "unknown: the connection was lost", "re-run apply once the database is back"} {
		if !strings.Contains(got.err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, got.err)
		}
	}

	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	setSyncStandby(t, c, "")
	conn := connect(t, ctx, url)
	if n := queryString(t, conn, "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 't' AND column_name = 'a'"); n != "1" {
		t.Fatalf("the column committed before the reply was lost is not there")
	}
	if rows := queryString(t, conn, "SELECT string_agg(id || ':' || status, ';') FROM schemactl.apply_log"); rows != "1:running" {
		t.Fatalf("apply_log: want the row of the committed transaction, got %s", rows)
	}
	res := mustConverge(t, ctx, opts)
	if !res.Plan.Empty() {
		t.Fatalf("the re-run found work:\n%s", res.Plan.SQL())
	}
}

// setSyncStandby sets synchronous_standby_names of the cluster (ALTER SYSTEM,
// reload) and waits until new sessions see it.
func setSyncStandby(t *testing.T, c *pgtest.Cluster, name string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "ALTER SYSTEM SET synchronous_standby_names = '"+name+"'"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_catalog.pg_reload_conf()"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		s, err := pgx.Connect(ctx, c.URL())
		if err != nil {
			t.Fatal(err)
		}
		var v string
		err = s.QueryRow(ctx, "SHOW synchronous_standby_names").Scan(&v)
		_ = s.Close(ctx)
		if err == nil && v == name {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("synchronous_standby_names is %q, not %q, 30s after the reload (%v)", v, name, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testPlanServerStoppedDuringInspection: the server stops while the inspection of
// the live schema waits for a catalog another session locked. Plan returns a clear
// error (no panic, nothing written) and works once the server is back.
func testPlanServerStoppedDuringInspection(t *testing.T, c *pgtest.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := faultDatabase(t, c, "CREATE TABLE public.t (id int PRIMARY KEY); COMMENT ON TABLE public.t IS 'orders';")
	dir := writeDir(t, map[string]string{"s.sql": "CREATE TABLE public.t (id int PRIMARY KEY, a int); COMMENT ON TABLE public.t IS 'orders';"})
	opts := drift.Options{URL: url, ScratchURL: pgtest.Shared(t).AdminURL(), Dir: dir}

	holdInTx(t, url, "LOCK TABLE pg_catalog.pg_description IN ACCESS EXCLUSIVE MODE")
	type planOutcome struct {
		res *drift.Result
		err error
	}
	out := make(chan planOutcome, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err := drift.Plan(ctx, opts)
		out <- planOutcome{res, err}
	}()
	waitForSession(t, url, "wait_event_type = 'Lock'", done)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	got := <-out
	if got.err == nil {
		t.Fatal("plan succeeded although the server stopped during the inspection")
	}
	for _, want := range []string{"inspecting the live schema", "terminating connection due to administrator command"} {
		if !strings.Contains(got.err.Error(), want) {
			t.Errorf("the error does not say %q: %v", want, got.err)
		}
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	res, err := drift.Plan(ctx, opts)
	if err != nil {
		t.Fatalf("plan after the restart: %v", err)
	}
	if sql := res.Plan.SQL(); !strings.Contains(sql, "ALTER TABLE public.t ADD COLUMN a integer") {
		t.Fatalf("plan after the restart:\n%s", sql)
	}
}

// TestApply_twoAppliesAtOnceNeverInterleave: two applies of different desired
// states start together and contend for the database's advisory lock (the test
// holds it until both are polling for it). Each has a slow online validation. They
// run one after the other — their apply_log rows do not overlap in time — and the
// second plans against what the first left (it drops the first one's column), so
// the database ends in the second one's desired state.
func TestApply_twoAppliesAtOnceNeverInterleave(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	const slow = `CREATE FUNCTION public.slow(n int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_catalog.pg_sleep(0.002) IS NOT NULL';
`
	execSQL(t, url, slow+"CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t SELECT generate_series(1, 400);")
	desired := func(col string) drift.Options {
		dir := writeDir(t, map[string]string{"s.sql": slow + "CREATE TABLE public.t (id int PRIMARY KEY, " + col + " int, CONSTRAINT t_" + col + " CHECK (public.slow(id)));"})
		return drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir, AllowDestructive: true, PreflightTimeout: -1, LockWait: 2 * time.Minute}
	}

	holder := connect(t, ctx, url)
	if _, err := holder.Exec(ctx, "SELECT pg_catalog.pg_advisory_lock($1)", apply.LockKey); err != nil {
		t.Fatal(err)
	}
	outA, doneA := applyAsync(ctx, desired("a"))
	outB, doneB := applyAsync(ctx, desired("b"))
	both := make(chan struct{})
	go func() { <-doneA; <-doneB; close(both) }()
	waitForSessions(t, url, "query LIKE '%pg_try_advisory_lock%'", 2, both)
	if _, err := holder.Exec(ctx, "SELECT pg_catalog.pg_advisory_unlock($1)", apply.LockKey); err != nil {
		t.Fatal(err)
	}
	for _, o := range []applyOutcome{<-outA, <-outB} {
		if o.err != nil {
			t.Fatalf("apply: %v", o.err)
		}
	}

	type logRow struct {
		stmts             []string
		status            string
		applied, finished time.Time
	}
	rows, err := holder.Query(ctx, "SELECT statements, status, applied_at, finished_at FROM schemactl.apply_log ORDER BY applied_at")
	if err != nil {
		t.Fatal(err)
	}
	var log []logRow
	for rows.Next() {
		var r logRow
		if err := rows.Scan(&r.stmts, &r.status, &r.applied, &r.finished); err != nil {
			t.Fatal(err)
		}
		log = append(log, r)
	}
	if rows.Err() != nil || len(log) != 2 {
		t.Fatalf("want two apply_log rows, got %d (%v)", len(log), rows.Err())
	}
	first, second := log[0], log[1]
	if first.status != "applied" || second.status != "applied" {
		t.Fatalf("statuses: %s, %s", first.status, second.status)
	}
	if !first.finished.Before(second.applied) {
		t.Fatalf("the applies interleaved: the first ran %s–%s, the second began at %s", first.applied, first.finished, second.applied)
	}
	// The first added its column; the second, planned under the lock after it,
	// drops that column and adds its own.
	firstCol := "a"
	if !slices.ContainsFunc(first.stmts, func(s string) bool { return strings.Contains(s, "ADD COLUMN a ") }) {
		firstCol = "b"
	}
	secondCol := map[string]string{"a": "b", "b": "a"}[firstCol]
	joined := strings.Join(second.stmts, "\n")
	if !strings.Contains(joined, "DROP COLUMN "+firstCol) || !strings.Contains(joined, "ADD COLUMN "+secondCol+" ") {
		t.Fatalf("the second apply was not planned against the first one's result:\n%s", joined)
	}
	cols := queryString(t, holder, "SELECT string_agg(column_name::text, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 't'")
	if want := map[string]string{"a": "a,id", "b": "b,id"}[secondCol]; cols != want {
		t.Fatalf("final columns %s, want those of the second apply (%s)", cols, want)
	}
	if left := leftovers(t, ctx, holder); len(left) > 0 {
		t.Fatalf("left behind: %v", left)
	}
	var notValid int
	if err := holder.QueryRow(ctx, "SELECT count(*) FROM pg_catalog.pg_constraint WHERE NOT convalidated").Scan(&notValid); err != nil || notValid != 0 {
		t.Fatalf("constraints not validated: %d (%v)", notValid, err)
	}
}
