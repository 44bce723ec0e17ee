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

package reconcile

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/jackc/pgx/v5"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// Server faults and concurrency at the controller level (issue 13 items 4 and 5):
// the scratch server and the git server go down and come back, and the agent and a
// CLI apply contend for the same database.

// tcpFront forwards a fixed local port to a backend address. Stop closes the
// listener and every open connection — clients get "connection refused", as from
// a server that is down — and Start listens on the same port again.
type tcpFront struct {
	addr, backend string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func newTCPFront(t *testing.T, backend string) *tcpFront {
	t.Helper()
	f := &tcpFront{backend: backend, conns: map[net.Conn]bool{}}
	if err := f.listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	f.addr = f.ln.Addr().String()
	t.Cleanup(f.Stop)
	return f
}

func (f *tcpFront) listen(addr string) error {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.ln = ln
	f.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.forward(c)
		}
	}()
	return nil
}

func (f *tcpFront) forward(c net.Conn) {
	b, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", f.backend)
	if err != nil {
		_ = c.Close()
		return
	}
	f.mu.Lock()
	f.conns[c], f.conns[b] = true, true
	f.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(b, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, b); done <- struct{}{} }()
	<-done
	_ = c.Close()
	_ = b.Close()
	f.mu.Lock()
	delete(f.conns, c)
	delete(f.conns, b)
	f.mu.Unlock()
}

// Stop takes the front down: no listener, no connection.
func (f *tcpFront) Stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ln != nil {
		_ = f.ln.Close()
		f.ln = nil
	}
	for c := range f.conns {
		_ = c.Close()
	}
}

// Start listens on the front's port again.
func (f *tcpFront) Start(t *testing.T) {
	t.Helper()
	NewWithT(t).Eventually(func() error { return f.listen(f.addr) }, 10*time.Second, 100*time.Millisecond).Should(Succeed())
}

func getRepoObj(g Gomega, obj *v1alpha1.SchemaRepository) *v1alpha1.SchemaRepository {
	out := &v1alpha1.SchemaRepository{}
	g.Expect(testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), out)).To(Succeed())
	return out
}

// repoEventCount sums the counts of the SchemaRepository's events of reason (the
// event recorder counts repeats of one event instead of creating new ones).
func repoEventCount(g Gomega, obj client.Object, reason string) int32 {
	var n int32
	for _, e := range repoEvents(g, obj, reason) {
		n += max(e.Count, 1)
	}
	return n
}

// TestDatabaseReconciler_gitServerDown: the git server goes down for several
// intervals. The SchemaRepository says why (FetchFailed=True, GitOperationFailed,
// Ready=False, Reconciling with retry, not Stalled), keeps its artifact and retries;
// the Database keeps enforcing the last good revision — a change by hand is
// corrected meanwhile. When the server is back, a new commit is fetched and
// applied.
func TestDatabaseReconciler_gitServerDown(t *testing.T) {
	ctx := context.Background()
	git := gittest.NewServer(t, gittest.Options{})
	git.CreateRepo(t, "schemas", map[string]string{"db/001_orders.sql": ordersV1}, "main")
	front := newTCPFront(t, strings.TrimPrefix(strings.SplitN(git.HTTPURL("schemas"), "/schemas", 2)[0], "http://"))
	f := &dbFixture{t: t, ns: newDBNamespace(t), git: git, repo: "schemas"}
	createSecret(t, f.ns, "git", basicAuthSecret(git))
	repo := newSchemaRepository(f.ns, "schemas", "http://"+front.addr+"/schemas", "git")
	repo.Spec.Interval = metav1.Duration{Duration: 2 * time.Second}
	repo.Spec.Timeout = &metav1.Duration{Duration: 5 * time.Second}
	NewWithT(t).Expect(testClient.Create(ctx, repo)).To(Succeed())
	f.url = pgtest.Shared(t).NewDatabase(t)
	createSecret(t, f.ns, "db", map[string][]byte{"url": []byte(f.url)})
	conn, err := pgx.Connect(ctx, f.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	f.conn = conn

	rev1 := "main@sha1:" + git.Head(t, "schemas", "main")
	obj := f.database("orders", nil)
	eventuallyDB(t, obj, readyAt(rev1))

	front.Stop()
	g := NewWithT(t)
	g.Eventually(func(g Gomega) {
		r := getRepoObj(g, repo)
		g.Expect(conditions.IsTrue(r, v1alpha1.FetchFailedCondition)).To(BeTrue(), "conditions: %v", r.Status.Conditions)
		g.Expect(conditions.GetReason(r, v1alpha1.FetchFailedCondition)).To(Equal(v1alpha1.GitOperationFailedReason))
		g.Expect(conditions.GetMessage(r, v1alpha1.FetchFailedCondition)).To(ContainSubstring("connection refused"))
		g.Expect(conditions.IsReady(r)).To(BeFalse())
		g.Expect(conditions.GetReason(r, meta.ReconcilingCondition)).To(Equal(meta.ProgressingWithRetryReason))
		g.Expect(conditions.IsStalled(r)).To(BeFalse())
		g.Expect(r.Status.Artifact).NotTo(BeNil())
		g.Expect(r.Status.Artifact.Revision).To(Equal(rev1))
	}, testTimeout, testInterval).Should(Succeed())
	failures := repoEventCount(g, repo, v1alpha1.GitOperationFailedReason)

	// The last good revision keeps being enforced while git is down.
	f.exec("DROP INDEX public.orders_customer_idx")
	g.Eventually(func() string {
		return f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'orders_customer_idx'")
	}, testTimeout, testInterval).Should(Equal("1"), "the drift is corrected from the last good revision while git is down")
	db := eventuallyDB(t, obj, readyAt(rev1))
	g.Expect(db.Status.LastAttemptedRevision).To(Equal(rev1))
	g.Eventually(func(g Gomega) { dbHasEvent(g, obj, v1alpha1.DriftCorrectedReason) }, testTimeout, testInterval).Should(Succeed())

	// Several intervals later it is still retrying, and still down.
	time.Sleep(3 * repo.Spec.Interval.Duration)
	g.Eventually(func(g Gomega) int32 { return repoEventCount(g, repo, v1alpha1.GitOperationFailedReason) }, testTimeout, testInterval).
		Should(BeNumerically(">=", failures+2), "the source retries while the git server is down")
	g.Expect(conditions.IsTrue(getRepoObj(g, repo), v1alpha1.FetchFailedCondition)).To(BeTrue())

	// Back: a new commit is fetched and applied.
	front.Start(t)
	git.Push(t, "schemas", "main", map[string]string{"db/002_more.sql": "ALTER TABLE orders ADD COLUMN more int;\n"}, "more")
	rev2 := "main@sha1:" + git.Head(t, "schemas", "main")
	g.Eventually(func(g Gomega) {
		r := getRepoObj(g, repo)
		g.Expect(conditions.IsReady(r)).To(BeTrue(), "conditions: %v", r.Status.Conditions)
		g.Expect(conditions.Has(r, v1alpha1.FetchFailedCondition)).To(BeFalse())
		g.Expect(r.Status.Artifact.Revision).To(Equal(rev2))
	}, testTimeout, testInterval).Should(Succeed())
	eventuallyDB(t, obj, readyAt(rev2))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'more'")).To(Equal("1"))
}

// TestDatabaseReconciler_scratchServerDown: the scratch server of a Database goes
// down before a new revision arrives. The Database says why (Ready=False with
// ScratchUnavailable, Reconciling, not Stalled), keeps its last applied revision,
// leaves the database alone and retries; when the scratch server is back the new
// revision is applied.
func TestDatabaseReconciler_scratchServerDown(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	scratch := pgtest.NewCluster(t)
	createSecret(t, f.ns, "scratch", map[string][]byte{"url": []byte(scratch.URL())})
	obj := f.database("orders", func(db *v1alpha1.Database) {
		db.Spec.Scratch = &v1alpha1.ScratchServer{SecretRef: meta.LocalObjectReference{Name: "scratch"}}
	})
	rev1 := "main@sha1:" + f.git.Head(t, f.repo, "main")
	eventuallyDB(t, obj, readyAt(rev1))

	if err := scratch.Stop(); err != nil {
		t.Fatal(err)
	}
	f.git.Push(t, f.repo, "main", map[string]string{"db/002_more.sql": "ALTER TABLE orders ADD COLUMN more int;\n"}, "more")
	rev2 := "main@sha1:" + f.git.Head(t, f.repo, "main")
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(db.Status.LastAttemptedRevision).To(Equal(rev2))
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.ScratchUnavailableReason), "conditions: %v", db.Status.Conditions)
		g.Expect(conditions.IsReconciling(db)).To(BeTrue())
	})
	g := NewWithT(t)
	g.Expect(conditions.IsStalled(db)).To(BeFalse())
	g.Expect(db.Status.LastAppliedRevision).To(Equal(rev1), "the last applied revision is kept")
	g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(And(ContainSubstring("loading desired schema of "+rev2), ContainSubstring("scratch server")))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'more'")).To(Equal("0"))

	if err := scratch.Start(); err != nil {
		t.Fatal(err)
	}
	eventuallyDB(t, obj, readyAt(rev2))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'more'")).To(Equal("1"))
}

// slowCheckSQL is a table whose CHECK calls a function that sleeps: validating it
// online takes about a second over the rows seeded by slowCheckSeed.
const slowCheckSQL = `CREATE FUNCTION public.slow(n int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_catalog.pg_sleep(0.002) IS NOT NULL';
CREATE TABLE public.t (id int PRIMARY KEY, CONSTRAINT t_slow CHECK (public.slow(id)));
`

const slowCheckSeed = `CREATE FUNCTION public.slow(n int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_catalog.pg_sleep(0.002) IS NOT NULL';
CREATE TABLE public.t (id int PRIMARY KEY);
INSERT INTO public.t SELECT generate_series(1, 500);
`

// TestDatabaseReconciler_agentAndCLINeverInterleave: the agent and a `schemactl
// apply` of another desired state (Git's plus an index) reach the database's
// advisory lock together (the test holds it until both wait for it). They run one
// after the other — no two apply_log rows overlap in time —, whichever runs second
// plans against what the first left (the slow CHECK is added once), and the agent
// ends with Git's schema: the CLI's extra index is corrected away as drift.
func TestDatabaseReconciler_agentAndCLINeverInterleave(t *testing.T) {
	ctx := context.Background()
	f := newDBFixture(t, map[string]string{"db/001_t.sql": slowCheckSQL})
	f.exec(slowCheckSeed)
	holder, err := pgx.Connect(ctx, f.url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Close(ctx) }()
	if _, err := holder.Exec(ctx, "SELECT pg_catalog.pg_advisory_lock($1)", drift.LockKey); err != nil {
		t.Fatal(err)
	}

	obj := f.database("t", nil)
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetMessage(db, meta.ReconcilingCondition)).To(HavePrefix("applying "))
	})

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.sql"), []byte(slowCheckSQL+"CREATE INDEX t_cli ON public.t (id);\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	cliDone := make(chan error, 1)
	go func() {
		cliDone <- cli.RunApply(ctx, cli.LocalOptions{
			Options: drift.Options{URL: f.url, ScratchURL: pgtest.Shared(t).AdminURL(), Dir: dir, LockWait: time.Minute},
			Output:  "sql", Timeout: 2 * time.Minute,
		}, &out, &errOut)
	}()
	g := NewWithT(t)
	g.Eventually(func() string {
		return f.query(`SELECT count(*)::text FROM pg_catalog.pg_stat_activity
WHERE datname = current_database() AND application_name = 'schemactl' AND query LIKE '%pg_try_advisory_lock%'`)
	}, testTimeout, 20*time.Millisecond).Should(Equal("2"), "the agent and the CLI both wait for the lock")
	if _, err := holder.Exec(ctx, "SELECT pg_catalog.pg_advisory_unlock($1)", drift.LockKey); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-cliDone:
		g.Expect(err).NotTo(HaveOccurred(), "schemactl apply: %s", errOut.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("schemactl apply did not end")
	}

	// The agent converges on Git: the CLI's index is drift, corrected.
	eventuallyDB(t, obj, readyAt(rev))
	g.Eventually(func() string {
		return f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 't_cli'")
	}, testTimeout, testInterval).Should(Equal("0"))
	g.Expect(f.query("SELECT count(*)::text FROM pg_catalog.pg_constraint WHERE conname = 't_slow' AND convalidated")).To(Equal("1"))

	type logRow struct {
		id                int64
		stmts             []string
		source            string
		applied, finished time.Time
	}
	rows, err := holder.Query(ctx, "SELECT id, statements, source, applied_at, finished_at FROM schemactl.apply_log WHERE status = 'applied' ORDER BY applied_at")
	g.Expect(err).NotTo(HaveOccurred())
	var log []logRow
	for rows.Next() {
		var r logRow
		g.Expect(rows.Scan(&r.id, &r.stmts, &r.source, &r.applied, &r.finished)).To(Succeed())
		log = append(log, r)
	}
	g.Expect(rows.Err()).NotTo(HaveOccurred())
	g.Expect(f.query("SELECT count(*)::text FROM schemactl.apply_log WHERE status IS DISTINCT FROM 'applied'")).To(Equal("0"))
	g.Expect(len(log)).To(BeNumerically(">=", 2), "the agent and the CLI each applied")
	sources := map[bool]int{}
	adds := 0
	for i, r := range log {
		sources[r.source == dir]++
		for _, s := range r.stmts {
			if strings.Contains(s, "ADD CONSTRAINT t_slow") {
				adds++
			}
		}
		if i > 0 {
			g.Expect(log[i-1].finished.Before(r.applied)).To(BeTrue(), "apply_log rows %d (%s–%s) and %d (from %s) overlap",
				log[i-1].id, log[i-1].applied, log[i-1].finished, r.id, r.applied)
		}
	}
	g.Expect(sources[true]).To(Equal(1), "one apply of the CLI")
	g.Expect(sources[false]).To(BeNumerically(">=", 1), "an apply of the agent")
	g.Expect(adds).To(Equal(1), "the second apply planned under the lock, after the first added the CHECK")
}
