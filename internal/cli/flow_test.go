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

package cli_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/jackc/pgx/v5"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

const ordersV1 = `CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    note text DEFAULT 'n/a'
);
CREATE INDEX orders_customer_idx ON orders (customer);
`

// dbFixture is a namespace with a SchemaRepository on a real git server and a
// real PostgreSQL database, reconciled by the agent of TestMain.
type dbFixture struct {
	t    *testing.T
	ns   string
	git  *gittest.Server
	conn *pgx.Conn
}

// newDBFixture creates the source "schemas" (branch main, db/001_orders.sql)
// polled every sourceInterval, and the Secret "db" of a new database.
func newDBFixture(t *testing.T, sourceInterval time.Duration) *dbFixture {
	t.Helper()
	ctx := context.Background()
	f := &dbFixture{t: t, ns: newNamespace(t), git: gittest.NewServer(t, gittest.Options{})}
	f.git.CreateRepo(t, "schemas", map[string]string{"db/001_orders.sql": ordersV1}, "main")
	user, pass := f.git.BasicAuth()
	f.secret("git", map[string][]byte{"username": []byte(user), "password": []byte(pass)})
	src := &v1alpha1.SchemaRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "schemas"},
		Spec: v1alpha1.SchemaRepositorySpec{
			URL: f.git.HTTPURL("schemas"), Interval: metav1.Duration{Duration: sourceInterval},
			Timeout: &metav1.Duration{Duration: 20 * time.Second}, Reference: &v1alpha1.GitRepositoryRef{Branch: "main"},
			SecretRef: &meta.LocalObjectReference{Name: "git"},
		},
	}
	if err := testClient.Create(ctx, src); err != nil {
		t.Fatal(err)
	}
	url := pgtest.Shared(t).NewDatabase(t)
	f.secret("db", map[string][]byte{"url": []byte(url)})
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	f.conn = conn
	return f
}

func (f *dbFixture) secret(name string, data map[string][]byte) {
	f.t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: name}, Data: data}
	if err := testClient.Create(context.Background(), s); err != nil {
		f.t.Fatal(err)
	}
}

// database creates the Database "orders" on the source's db folder,
// compared every interval; a reconcile may take 30s (the default, the
// interval, is too short for a loaded test machine).
func (f *dbFixture) database(interval time.Duration) *v1alpha1.Database {
	f.t.Helper()
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "orders"},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db", SecretRef: meta.LocalObjectReference{Name: "db"},
			Interval: metav1.Duration{Duration: interval}, Timeout: &metav1.Duration{Duration: 30 * time.Second},
		},
	}
	if err := testClient.Create(context.Background(), obj); err != nil {
		f.t.Fatal(err)
	}
	return obj
}

func (f *dbFixture) exec(sql string) {
	f.t.Helper()
	if _, err := f.conn.Exec(context.Background(), sql); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *dbFixture) count(sql string) int {
	f.t.Helper()
	var n int
	if err := f.conn.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (f *dbFixture) get() *v1alpha1.Database {
	f.t.Helper()
	db := &v1alpha1.Database{}
	if err := testClient.Get(context.Background(), client.ObjectKey{Namespace: f.ns, Name: "orders"}, db); err != nil {
		f.t.Fatal(err)
	}
	return db
}

const indexCount = "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_customer_idx'"

// mustRun fails the test when err is not nil, showing what the command wrote.
func mustRun(t *testing.T, what string, out output, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v (exit %d)\nstdout:\n%s\nstderr:\n%s", what, err, cli.ExitCode(err), out.out.String(), out.err.String())
	}
}

// TestSuspendResume_database: reconcile waits until Ready; suspend stops
// all writes to the real database (an out-of-band change stays); resume
// brings it back to Ready and the change is corrected; --all on sources.
func TestSuspendResume_database(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDBFixture(t, 10*time.Minute)
	f.database(time.Second)
	head := "main@sha1:" + f.git.Head(t, "schemas", "main")

	g, out := globals(t, f.ns)
	mustRun(t, "reconcile", out, cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"database", "orders"}))
	// "applied revision" or, when the agent had applied it before handling
	// the request, "in sync with revision".
	if s := out.out.String(); !strings.HasPrefix(s, fmt.Sprintf("✔ Database %s/orders is ready: ", f.ns)) || !strings.HasSuffix(s, " revision "+head+"\n") {
		t.Errorf("reconcile: stdout %q", s)
	}
	if !strings.Contains(out.err.String(), "► annotating Database "+f.ns+"/orders for reconciliation") {
		t.Errorf("reconcile: stderr %q", out.err.String())
	}
	if f.count(indexCount) != 1 {
		t.Fatal("the schema was not applied")
	}

	g, out = globals(t, f.ns)
	mustRun(t, "suspend", out, cli.Suspend(ctx, g, cli.SuspendOptions{}, []string{"database", "orders"}))
	if want := fmt.Sprintf("✔ suspended Database %s/orders\n", f.ns); out.out.String() != want {
		t.Errorf("suspend: stdout %q, want %q", out.out.String(), want)
	}
	if !f.get().Spec.Suspend {
		t.Fatal("spec.suspend not set")
	}
	g, out = globals(t, f.ns)
	mustRun(t, "suspend again", out, cli.Suspend(ctx, g, cli.SuspendOptions{}, []string{"db", "orders"}))
	if want := fmt.Sprintf("✔ Database %s/orders is already suspended\n", f.ns); out.out.String() != want {
		t.Errorf("suspend again: stdout %q, want %q", out.out.String(), want)
	}
	g, out = globals(t, f.ns)
	mustRun(t, "get", out, cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, []string{"databases"}))
	if lines := strings.Split(out.out.String(), "\n"); len(lines) < 2 || !strings.Contains(lines[1], "   True        ") {
		t.Errorf("get does not show SUSPENDED True:\n%s", out.out.String())
	}

	// Out of band, the index goes; while suspended (interval 1s) nothing
	// puts it back.
	applies := f.count("SELECT count(*) FROM schemactl.apply_log")
	f.exec("DROP INDEX orders_customer_idx")
	time.Sleep(4 * time.Second)
	if f.count(indexCount) != 0 || f.count("SELECT count(*) FROM schemactl.apply_log") != applies {
		t.Fatal("the agent wrote to a suspended database")
	}

	g, out = globals(t, f.ns)
	mustRun(t, "resume", out, cli.Resume(ctx, g, cli.ResumeOptions{Wait: true}, []string{"database", "orders"}))
	// "applied revision", or "in sync" when the agent reconciled again
	// before the wait looked.
	if s := out.out.String(); !strings.HasPrefix(s, fmt.Sprintf("✔ resumed Database %s/orders\n✔ Database %s/orders is ready: ", f.ns, f.ns)) || !strings.HasSuffix(s, " revision "+head+"\n") {
		t.Errorf("resume: stdout %q", s)
	}
	if !strings.Contains(out.err.String(), "◎ Database "+f.ns+"/orders: ") {
		t.Errorf("resume: no progress on stderr: %q", out.err.String())
	}
	if f.count(indexCount) != 1 {
		t.Error("resume did not bring the index back")
	}
	if db := f.get(); db.Spec.Suspend || db.Status.ObservedGeneration != db.Generation {
		t.Errorf("after resume: suspend %v, observedGeneration %d of %d", db.Spec.Suspend, db.Status.ObservedGeneration, db.Generation)
	}

	// --all on the sources of the namespace.
	g, out = globals(t, f.ns)
	mustRun(t, "suspend --all", out, cli.Suspend(ctx, g, cli.SuspendOptions{All: true}, []string{"sources"}))
	if want := fmt.Sprintf("✔ suspended SchemaRepository %s/schemas\n", f.ns); out.out.String() != want {
		t.Errorf("suspend --all: stdout %q, want %q", out.out.String(), want)
	}
	g, out = globals(t, f.ns)
	mustRun(t, "resume --all", out, cli.Resume(ctx, g, cli.ResumeOptions{All: true, Wait: true}, []string{"source"}))
	if !strings.Contains(out.out.String(), fmt.Sprintf("✔ SchemaRepository %s/schemas is ready: ", f.ns)) || !strings.Contains(out.out.String(), head) {
		t.Errorf("resume --all: stdout %q", out.out.String())
	}

	// Usage errors.
	g, _ = globals(t, f.ns)
	if err := cli.Suspend(ctx, g, cli.SuspendOptions{}, []string{"database"}); err == nil || err.Error() != "name the database to suspend, or pass --all" {
		t.Errorf("suspend without a name: %v", err)
	}
	if err := cli.Suspend(ctx, g, cli.SuspendOptions{All: true}, []string{"database", "orders"}); err == nil || err.Error() != "--all takes no name" {
		t.Errorf("suspend --all NAME: %v", err)
	}
	if err := cli.Resume(ctx, g, cli.ResumeOptions{Wait: true}, []string{"frobs", "x"}); err == nil || !strings.Contains(err.Error(), "use one of database, source, alert, alert-provider") {
		t.Errorf("resume frobs: %v", err)
	}
}

// TestReconcile_withSource: a new commit is fetched and applied by
// reconcile --with-source, with nothing polling on its own; a suspended
// object is refused.
func TestReconcile_withSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDBFixture(t, 10*time.Minute)
	f.database(10 * time.Minute)
	g, out := globals(t, f.ns)
	mustRun(t, "reconcile", out, cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"database", "orders"}))

	commit := f.git.Push(t, "schemas", "main", map[string]string{"db/002_customers.sql": "CREATE TABLE customers (id bigint PRIMARY KEY, name text);\n"}, "add customers")
	rev := "main@sha1:" + commit
	g, out = globals(t, f.ns)
	mustRun(t, "reconcile --with-source", out, cli.Reconcile(ctx, g, cli.ReconcileOptions{WithSource: true}, []string{"database", "orders"}))
	lines := strings.Split(strings.TrimSpace(out.out.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], fmt.Sprintf("✔ SchemaRepository %s/schemas is ready: ", f.ns)) || !strings.Contains(lines[0], rev) ||
		!strings.HasPrefix(lines[1], fmt.Sprintf("✔ Database %s/orders is ready: ", f.ns)) || !strings.HasSuffix(lines[1], " revision "+rev) {
		t.Errorf("reconcile --with-source: stdout:\n%s", out.out.String())
	}
	if f.count("SELECT count(*) FROM pg_tables WHERE tablename = 'customers'") != 1 {
		t.Error("the new commit was not applied")
	}
	g, out = globals(t, f.ns)
	mustRun(t, "get", out, cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, []string{"database", "orders"}))
	if !strings.Contains(out.out.String(), "main@sha1:"+commit[:7]+"   False     False") {
		t.Errorf("get after reconcile:\n%s", out.out.String())
	}

	g, out = globals(t, f.ns)
	mustRun(t, "suspend source", out, cli.Suspend(ctx, g, cli.SuspendOptions{}, []string{"source", "schemas"}))
	g, _ = globals(t, f.ns)
	err := cli.Reconcile(ctx, g, cli.ReconcileOptions{WithSource: true}, []string{"database", "orders"})
	if want := fmt.Sprintf("SchemaRepository %s/schemas is suspended: run schemactl resume source git schemas -n %s", f.ns, f.ns); err == nil || err.Error() != want {
		t.Errorf("reconcile of a suspended source: %v, want %q", err, want)
	}
	if err := cli.Reconcile(ctx, g, cli.ReconcileOptions{WithSource: true}, []string{"source", "schemas"}); err == nil || err.Error() != "--with-source applies to databases and databasesets" {
		t.Errorf("reconcile source --with-source: %v", err)
	}
	if err := cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"database", "nope"}); err == nil || err.Error() != fmt.Sprintf(`Database "nope" not found in namespace %q`, f.ns) {
		t.Errorf("reconcile of a missing database: %v", err)
	}
}

// TestReconcile_timeout: a wait that does not end in time fails with the
// last condition, whether the agent handled the request (a Database whose
// source does not exist) or not (an object the agent does not watch).
func TestReconcile_timeout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := newNamespace(t)
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "orphan"},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "nope"},
			SecretRef: meta.LocalObjectReference{Name: "db"}, Interval: metav1.Duration{Duration: 10 * time.Minute},
		},
	}
	if err := testClient.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	g, out := globals(t, ns)
	g.Timeout = 3 * time.Second
	start := time.Now()
	err := cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"database", "orphan"})
	want := fmt.Sprintf("timed out after 3s waiting for Database %s/orphan to become ready; last status: Ready=False (SourceNotReady): ", ns)
	if err == nil || !strings.HasPrefix(err.Error(), want) || cli.ExitCode(err) != cli.ExitFailure {
		t.Errorf("error %v, want it to start with %q", err, want)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("took %s", d)
	}
	if !strings.Contains(out.err.String(), "◎ Database "+ns+"/orphan: ") {
		t.Errorf("no progress: %q", out.err.String())
	}

	createStatic(t, staticDatabase(ns, "ignored", v1alpha1.DatabaseStatus{}, true))
	g, _ = globals(t, ns)
	g.Timeout = 2 * time.Second
	err = cli.Resume(ctx, g, cli.ResumeOptions{Wait: true}, []string{"database", "ignored"})
	want = fmt.Sprintf("timed out after 2s waiting for Database %s/ignored: the agent did not handle the reconcile request (is it running? see schemactl check); last status: no Ready condition yet", ns)
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestApprove_destructivePlan: an out-of-band column makes a destructive
// plan that is blocked (reconcile exits 3, diff shows it, drift reports
// it); approving another plan id is refused; approve --wait applies it; the
// events tell the story, newest last, and --watch sees the approval.
func TestApprove_destructivePlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDBFixture(t, 10*time.Minute)
	f.database(time.Second)
	g, out := globals(t, f.ns)
	mustRun(t, "reconcile", out, cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"database", "orders"}))

	f.exec("ALTER TABLE orders ADD COLUMN extra int")
	var planID string
	eventually(t, 30*time.Second, func() bool {
		db := f.get()
		if conditions.GetReason(db, meta.ReadyCondition) != v1alpha1.DestructiveBlockedReason || conditions.IsReconciling(db) || db.Status.Plan == nil {
			return false
		}
		planID = db.Status.Plan.ID
		return true
	})

	g, _ = globals(t, f.ns)
	err := cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitBlocked || !strings.Contains(err.Error(), "is not ready: DestructiveBlocked: plan "+planID+" is blocked") {
		t.Errorf("reconcile of a blocked Database: exit %d, %v", cli.ExitCode(err), err)
	}

	g, out = globals(t, f.ns)
	err = cli.Diff(ctx, g, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitChanges {
		t.Errorf("diff: exit %d (%v)", cli.ExitCode(err), err)
	}
	for _, want := range []string{
		"-- plan " + planID + " for revision main@sha1:",
		"1 statement(s), destructive, hazards: AccessExclusiveLock, DataLoss",
		fmt.Sprintf("-- blocked (DestructiveBlocked): approve it with: schemactl approve database orders -n %s --plan %s\n", f.ns, planID),
		"ALTER TABLE public.orders DROP COLUMN extra;\n",
	} {
		if !strings.Contains(out.out.String(), want) {
			t.Errorf("diff does not contain %q:\n%s", want, out.out.String())
		}
	}
	g, out = globals(t, f.ns)
	err = cli.Drift(ctx, g, cli.DriftOptions{Output: cli.OutputTable}, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitChanges || !strings.HasPrefix(out.out.String(), "column public.orders.extra   ") {
		t.Errorf("drift: exit %d, stdout %q", cli.ExitCode(err), out.out.String())
	}

	wrong := "sha256:" + strings.Repeat("0", 64)
	g, _ = globals(t, f.ns)
	err = cli.Approve(ctx, g, cli.ApproveOptions{Plan: wrong}, []string{"database", "orders"})
	if want := fmt.Sprintf("plan %s is not the pending plan of Database %s/orders (pending: %s): nothing approved", wrong, f.ns, planID); err == nil || err.Error() != want {
		t.Errorf("approve of another plan: %v, want %q", err, want)
	}
	if db := f.get(); db.Spec.ApprovedPlan != "" {
		t.Errorf("approvedPlan = %q after a refused approval", db.Spec.ApprovedPlan)
	}

	// Watch the events while approving.
	wg, wout := globals(t, f.ns)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watched := make(chan error, 1)
	go func() {
		watched <- cli.Events(wctx, wg, cli.EventsOptions{For: "database/orders", Watch: true, Output: cli.OutputTable})
	}()

	g, out = globals(t, f.ns)
	mustRun(t, "approve --wait", out, cli.Approve(ctx, g, cli.ApproveOptions{Plan: planID, Wait: true}, []string{"database", "orders"}))
	if !strings.Contains(out.out.String(), fmt.Sprintf("✔ approved plan %s of Database %s/orders (1 statement(s), hazards: AccessExclusiveLock, DataLoss)\n", planID, f.ns)) ||
		!strings.Contains(out.out.String(), fmt.Sprintf("✔ plan %s applied to Database %s/orders: 1 statement(s) at revision main@sha1:", planID, f.ns)) {
		t.Errorf("approve: stdout:\n%s", out.out.String())
	}
	if f.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'extra'") != 0 {
		t.Error("the approved plan was not applied")
	}
	g, out = globals(t, f.ns)
	if err := cli.Diff(ctx, g, []string{"database", "orders"}); err != nil || !strings.HasPrefix(out.out.String(), "-- in sync: ") {
		t.Errorf("diff after approval: %v %q", err, out.out.String())
	}
	g, _ = globals(t, f.ns)
	if err := cli.Drift(ctx, g, cli.DriftOptions{Output: cli.OutputTable}, []string{"database", "orders"}); err != nil {
		t.Errorf("drift after approval: %v", err)
	}
	g, _ = globals(t, f.ns)
	if err := cli.Approve(ctx, g, cli.ApproveOptions{}, []string{"database", "orders"}); err == nil || err.Error() != fmt.Sprintf("Database %s/orders has no pending plan: nothing to approve", f.ns) {
		t.Errorf("approve without a plan: %v", err)
	}

	eventually(t, 10*time.Second, func() bool { return strings.Contains(wout.out.String(), v1alpha1.ApprovalAppliedReason) })
	cancel()
	if err := <-watched; err != nil {
		t.Errorf("events --watch: %v", err)
	}

	g, out = globals(t, f.ns)
	mustRun(t, "events", out, cli.Events(ctx, g, cli.EventsOptions{For: "database/orders", Output: cli.OutputTable}))
	s := out.out.String()
	if !strings.HasPrefix(s, "LAST SEEN   TYPE ") {
		t.Errorf("events header:\n%s", s)
	}
	applied, drifted, approved := strings.Index(s, " Applied "), strings.Index(s, " DriftDetected "), strings.Index(s, " ApprovalApplied ")
	if applied < 0 || drifted < applied || approved < drifted {
		t.Errorf("events not all there or not newest last:\n%s", s)
	}
	if !strings.Contains(s, "Database/orders") || strings.Contains(s, "SchemaRepository/") {
		t.Errorf("events of other objects:\n%s", s)
	}
	g, out = globals(t, f.ns)
	mustRun(t, "events", out, cli.Events(ctx, g, cli.EventsOptions{Output: cli.OutputTable}))
	if !strings.Contains(out.out.String(), "SchemaRepository/schemas") || !strings.Contains(out.out.String(), " NewArtifact ") {
		t.Errorf("events of the namespace:\n%s", out.out.String())
	}
	g, _ = globals(t, f.ns)
	if err := cli.Events(ctx, g, cli.EventsOptions{For: "orders", Output: cli.OutputTable}); err == nil || !strings.Contains(err.Error(), "use KIND/NAME") {
		t.Errorf("events --for orders: %v", err)
	}
}
