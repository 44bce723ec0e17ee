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

package apply_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/apply"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func connect(ctx context.Context, t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// TestLock: one holder of the advisory lock per database; a second waits, gives up
// after its wait, and gets the lock once the first lets go.
func TestLock(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, b := connect(ctx, t, url), connect(ctx, t, url)
	unlock, err := apply.Lock(ctx, a, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := apply.Lock(ctx, b, 600*time.Millisecond); err == nil || !strings.Contains(err.Error(), "another apply holds the advisory lock") {
		t.Fatalf("second lock: want a refusal, got %v", err)
	}
	if waited := time.Since(start); waited < 600*time.Millisecond {
		t.Errorf("the second lock gave up after %s, before its wait", waited)
	}
	// The lock is the advisory lock PostgreSQL shows, held by a's backend.
	var holders int
	if err := b.QueryRow(ctx, `SELECT count(*) FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
  AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 AND l.pid = $2`, apply.LockKey, a.PgConn().PID()).Scan(&holders); err != nil {
		t.Fatal(err)
	}
	if holders != 1 {
		t.Errorf("pg_locks shows %d holders of the advisory lock on a's backend", holders)
	}
	// A cancelled context stops the wait at once.
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	if _, err := apply.Lock(cctx, b, time.Minute); err == nil {
		t.Error("a lock with a cancelled context succeeded")
	}
	unlock()
	unlockB, err := apply.Lock(ctx, b, time.Second)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlockB()
}

type logRow struct {
	planID, source, appliedBy, status string
	approvalID, errText               *string
	statements, outcomes              []string
	finished                          bool
}

func readLog(ctx context.Context, t *testing.T, conn *pgx.Conn) []logRow {
	t.Helper()
	rows, err := conn.Query(ctx, `SELECT plan_id, source, applied_by, coalesce(status, ''), approval_id, error, statements, outcomes, finished_at IS NOT NULL
FROM schemactl.apply_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (logRow, error) {
		var l logRow
		err := r.Scan(&l.planID, &l.source, &l.appliedBy, &l.status, &l.approvalID, &l.errText, &l.statements, &l.outcomes, &l.finished)
		return l, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func exists(ctx context.Context, t *testing.T, conn *pgx.Conn, rel string) bool {
	t.Helper()
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", rel).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestExecute_records: a successful apply is recorded in schemactl.apply_log with
// the plan's id and statements, every outcome committed, in the same database.
func TestExecute_records(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn := connect(ctx, t, url)
	if _, err := conn.Exec(ctx, "CREATE TABLE public.a (x text)"); err != nil {
		t.Fatal(err)
	}
	col := func(n, typ string) model.Column { return model.Column{Name: n, Type: typ, Statistics: -1} }
	a := model.Table{Schema: "public", Name: "a", ReplicaIdentity: "d", Columns: []model.Column{col("x", "text")}}
	b := model.Table{Schema: "public", Name: "b", ReplicaIdentity: "d", Columns: []model.Column{col("id", "integer")}}
	live := &model.Schema{Namespaces: []model.Namespace{{Name: "public"}}, Tables: []model.Table{a}}
	desired := &model.Schema{Namespaces: []model.Namespace{{Name: "public"}}, Tables: []model.Table{a, b},
		Indexes: []model.Index{{Schema: "public", Name: "a_x", Table: "public.a", Definition: "CREATE INDEX a_x ON public.a USING btree (x)", Valid: true}}}
	p, err := plan.Build(desired, live, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A transactional and an online statement.
	if len(p.Statements) != 2 || p.Statements[0].Phase != plan.PhaseTransactional || p.Statements[1].Phase != plan.PhaseOnline {
		t.Fatalf("unexpected plan:\n%s", p.SQL())
	}
	unlock, err := apply.Lock(ctx, conn, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if err := apply.Execute(ctx, conn, p, apply.Options{Record: true, Source: "git@example:repo//db", ApprovalID: "sha256:approved"}); err != nil {
		t.Fatal(err)
	}
	if !exists(ctx, t, conn, "public.b") || !exists(ctx, t, conn, "public.a_x") {
		t.Fatal("the plan was not applied")
	}
	logs := readLog(ctx, t, conn)
	if len(logs) != 1 {
		t.Fatalf("want one apply_log row, got %d", len(logs))
	}
	l := logs[0]
	if l.planID != p.ID || l.source != "git@example:repo//db" || l.approvalID == nil || *l.approvalID != "sha256:approved" ||
		l.status != "applied" || l.errText != nil || !l.finished || l.appliedBy != "postgres" {
		t.Errorf("apply_log row %+v", l)
	}
	if !slices.Equal(l.statements, []string{p.Statements[0].SQL, p.Statements[1].SQL}) {
		t.Errorf("recorded statements %q", l.statements)
	}
	if !slices.Equal(l.outcomes, []string{string(apply.Committed), string(apply.Committed)}) {
		t.Errorf("recorded outcomes %q", l.outcomes)
	}
	// Without Record nothing more is written.
	p2, err := plan.Build(live, desired, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := apply.Execute(ctx, conn, p2, apply.Options{}); err != nil {
		t.Fatal(err)
	}
	if exists(ctx, t, conn, "public.b") {
		t.Error("the reverse plan was not applied")
	}
	if n := len(readLog(ctx, t, conn)); n != 1 {
		t.Errorf("an apply without Record wrote to apply_log: %d rows", n)
	}
}

// TestExecute_failureRecorded: a statement that fails rolls the transaction back;
// the failure and each statement's outcome are recorded.
func TestExecute_failureRecorded(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn := connect(ctx, t, url)
	p := &plan.Plan{ID: "sha256:failing", Statements: []plan.Statement{
		{SQL: "CREATE TABLE public.first (id integer)", Phase: plan.PhaseTransactional, PhaseName: "transactional"},
		{SQL: "ALTER TABLE public.first ADD COLUMN id integer", Phase: plan.PhaseTransactional, PhaseName: "transactional"},
	}}
	err := apply.Execute(ctx, conn, p, apply.Options{Record: true, Source: "test"})
	var ae *apply.Error
	if !errors.As(err, &ae) {
		t.Fatalf("want *apply.Error, got %v", err)
	}
	if ae.PlanID != p.ID || ae.Partial() || len(ae.With(apply.Committed)) != 0 {
		t.Errorf("error %+v", ae)
	}
	var se *apply.StatementError
	if !errors.As(err, &se) || se.Index != 1 || se.Phase != plan.PhaseTransactional {
		t.Errorf("want the second statement's error, got %v", err)
	}
	if got := []apply.Outcome{ae.Statements[0].Outcome, ae.Statements[1].Outcome}; !slices.Equal(got, []apply.Outcome{apply.RolledBack, apply.Failed}) {
		t.Errorf("outcomes %v", got)
	}
	if exists(ctx, t, conn, "public.first") {
		t.Error("the rolled back transaction left its table")
	}
	logs := readLog(ctx, t, conn)
	if len(logs) != 1 {
		t.Fatalf("want one apply_log row, got %d", len(logs))
	}
	l := logs[0]
	if l.planID != p.ID || l.status != "failed" || l.errText == nil || !strings.Contains(*l.errText, "already exists") || !l.finished {
		t.Errorf("apply_log row %+v", l)
	}
	if !slices.Equal(l.outcomes, []string{string(apply.RolledBack), string(apply.Failed)}) {
		t.Errorf("recorded outcomes %q", l.outcomes)
	}
}
