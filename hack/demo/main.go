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

// Command demo runs the main job of schema-controller end to end on this machine: a
// local control plane (kube-apiserver and etcd built by `make testbin`), a throwaway
// PostgreSQL cluster, a local git repository with an example schema, and the agent
// (bin/schema-controller) against them. It narrates: the initial apply, a manual
// out-of-band change detected as drift and corrected, and a destructive change in Git
// blocked until its exact plan is approved. It cleans up after itself.
//
// Run it with `make demo`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/jackc/pgx/v5"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

const (
	ns      = "shop"
	timeout = 90 * time.Second
)

const schemaV1 = `-- The orders database of the demo shop.
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL
);

CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped')),
    note text DEFAULT 'n/a',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
COMMENT ON TABLE orders IS 'one row per order';
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func step(format string, args ...any) {
	fmt.Printf("\n==> "+format+"\n", args...)
}

func info(format string, args ...any) {
	fmt.Printf("    "+format+"\n", args...)
}

func run(ctx context.Context) error {
	work, err := os.MkdirTemp("", "schemactl-demo-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(work) }()

	step("starting a local control plane (kube-apiserver + etcd from bin/k8s) with the CRDs")
	env, err := kubetest.New()
	if err != nil {
		return err
	}
	defer func() { _ = env.Stop() }()
	kubeconfig := filepath.Join(work, "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig, 0o600); err != nil {
		return err
	}
	c := env.Client
	info("API server %s; kubeconfig %s", env.Config.Host, kubeconfig)

	step("starting a throwaway PostgreSQL cluster")
	pg, err := pgtest.StartCluster()
	if err != nil {
		return err
	}
	defer func() { _ = pg.Close() }()
	admin, err := pgx.Connect(ctx, pg.URL())
	if err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE orders"); err != nil {
		return err
	}
	_ = admin.Close(ctx)
	dbURL := pg.URLFor("orders")
	info("PostgreSQL on port %d, database orders", pg.Port())

	step("creating a git repository with the desired schema (db/orders/001_schema.sql)")
	repoDir := filepath.Join(work, "shop-schemas")
	repo, err := git.PlainInit(repoDir, false)
	if err != nil {
		return err
	}
	commit := func(msg string, files map[string]string) (string, error) {
		wt, err := repo.Worktree()
		if err != nil {
			return "", err
		}
		for name, content := range files {
			p := filepath.Join(repoDir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
				return "", err
			}
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				return "", err
			}
			if _, err := wt.Add(name); err != nil {
				return "", err
			}
		}
		h, err := wt.Commit(msg, &git.CommitOptions{Author: &object.Signature{Name: "demo", Email: "demo@example.com", When: time.Now()}})
		return h.String(), err
	}
	if _, err := commit("orders schema", map[string]string{"db/orders/001_schema.sql": schemaV1}); err != nil {
		return err
	}
	head, _ := repo.Head()
	branch := head.Name().Short()

	// --allow-file-urls: the demo's repository is a local folder; a real install
	// leaves the flag off, so that sources cannot read the agent's filesystem.
	step("starting the agent: bin/schema-controller --allow-file-urls (logs in %s)", filepath.Join(work, "agent.log"))
	logFile, err := os.Create(filepath.Join(work, "agent.log")) //nolint:gosec // G304: a file in the demo's own temporary directory
	if err != nil {
		return err
	}
	//nolint:gosec // G204: runs the agent `make build` made, with paths the demo created
	agent := exec.CommandContext(ctx, "bin/schema-controller", "--metrics-addr=127.0.0.1:0", "--health-addr=127.0.0.1:0", "--storage-addr=",
		"--storage-path="+filepath.Join(work, "storage"), "--log-level=info", "--cluster-name=demo", "--allow-file-urls")
	agent.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	agent.Stdout, agent.Stderr = logFile, logFile
	if err := agent.Start(); err != nil {
		return fmt.Errorf("starting bin/schema-controller (run `make build` first): %w", err)
	}
	defer func() {
		_ = agent.Process.Signal(syscall.SIGTERM)
		_ = agent.Wait()
		_ = logFile.Close()
	}()

	step("applying the objects of config/samples' shape: a SchemaRepository, a Secret and a Database in namespace %s", ns)
	objs := []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}},
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "orders-db"}, StringData: map[string]string{"url": dbURL}},
		&v1alpha1.SchemaRepository{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "shop-schemas"},
			Spec: v1alpha1.SchemaRepositorySpec{
				URL:       "file://" + repoDir,
				Reference: &v1alpha1.GitRepositoryRef{Branch: branch},
				Interval:  metav1.Duration{Duration: 3 * time.Second},
			},
		},
		&v1alpha1.Database{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "orders"},
			Spec: v1alpha1.DatabaseSpec{
				SourceRef:   v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "shop-schemas"},
				Path:        "./db/orders",
				SecretRef:   meta.LocalObjectReference{Name: "orders-db"},
				Interval:    metav1.Duration{Duration: 3 * time.Second},
				DriftPolicy: v1alpha1.DriftPolicyCorrect,
			},
		},
	}
	for _, o := range objs {
		if err := c.Create(ctx, o); err != nil {
			return fmt.Errorf("creating %T: %w", o, err)
		}
	}
	db := &v1alpha1.Database{}
	key := client.ObjectKey{Namespace: ns, Name: "orders"}
	wait := func(what string, ok func(*v1alpha1.Database) bool) error {
		deadline := time.Now().Add(timeout)
		for time.Now().Before(deadline) {
			if err := c.Get(ctx, key, db); err == nil && ok(db) {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(300 * time.Millisecond):
			}
		}
		return fmt.Errorf("timed out waiting for %s; last conditions: %v", what, db.Status.Conditions)
	}
	if err := wait("the initial apply", func(d *v1alpha1.Database) bool {
		return conditions.IsReady(d) && d.Status.LastAppliedRevision != ""
	}); err != nil {
		return err
	}
	info("Ready: %s", conditions.GetMessage(db, meta.ReadyCondition))
	if db.Status.LastApplied != nil {
		info("applied %d statement(s) of revision %s", db.Status.LastApplied.Statements, db.Status.LastAppliedRevision)
	}

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()

	step("a DBA changes the database by hand (out of band):")
	manual := []string{
		"CREATE INDEX orders_created_at_idx ON orders (created_at)",
		"ALTER TABLE orders ALTER COLUMN note DROP DEFAULT",
	}
	for _, s := range manual {
		info("psql> %s;", s)
		if _, err := conn.Exec(ctx, s); err != nil {
			return err
		}
	}
	if err := wait("drift to be detected", func(d *v1alpha1.Database) bool {
		return d.Status.LastApplied != nil && hasEvent(ctx, c, v1alpha1.DriftDetectedReason)
	}); err != nil {
		return err
	}
	info("the agent detected the drift (Warning event DriftDetected):")
	printEvent(ctx, c, v1alpha1.DriftDetectedReason)
	if err := wait("the drift to be corrected", func(d *v1alpha1.Database) bool {
		return conditions.IsReady(d) && hasEvent(ctx, c, v1alpha1.DriftCorrectedReason)
	}); err != nil {
		return err
	}
	info("and corrected it (event DriftCorrected):")
	printEvent(ctx, c, v1alpha1.DriftCorrectedReason)
	var n int
	_ = conn.QueryRow(ctx, "SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_created_at_idx'").Scan(&n)
	info("orders_created_at_idx exists: %v", n == 1)

	step("a destructive change lands in Git: the column note is removed")
	rev, err := commit("drop orders.note", map[string]string{"db/orders/001_schema.sql": strings.Replace(schemaV1, "    note text DEFAULT 'n/a',\n", "", 1)})
	if err != nil {
		return err
	}
	info("commit %s", rev[:12])
	if err := wait("the destructive plan to be blocked", func(d *v1alpha1.Database) bool {
		return conditions.GetReason(d, meta.ReadyCondition) == v1alpha1.DestructiveBlockedReason && d.Status.Plan != nil
	}); err != nil {
		return err
	}
	info("Ready=False, %s", conditions.GetMessage(db, meta.ReadyCondition))
	info("pending plan %s (%d statement(s), hazards %v):", db.Status.Plan.ID, db.Status.Plan.Statements, db.Status.Plan.Hazards)
	for _, s := range db.Status.Plan.SQL {
		for _, l := range strings.Split(s, "\n") {
			info("  %s", l)
		}
	}
	_ = conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'").Scan(&n)
	info("column note still exists: %v", n == 1)

	step("approving exactly that plan (spec.approvedPlan = status.plan.id)")
	db.Spec.ApprovedPlan = db.Status.Plan.ID
	if err := c.Update(ctx, db); err != nil {
		return err
	}
	if err := wait("the approved plan to be applied", func(d *v1alpha1.Database) bool {
		return conditions.IsReady(d) && strings.HasSuffix(d.Status.LastAppliedRevision, rev)
	}); err != nil {
		return err
	}
	printEvent(ctx, c, v1alpha1.ApprovalAppliedReason)
	_ = conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'").Scan(&n)
	info("column note exists: %v; Ready: %s", n == 1, conditions.GetMessage(db, meta.ReadyCondition))

	step("done: the database holds revision %s; cleaning up", db.Status.LastAppliedRevision)
	return nil
}

func events(ctx context.Context, c client.Client, reason string) []corev1.Event {
	var list corev1.EventList
	if err := c.List(ctx, &list, client.InNamespace(ns)); err != nil {
		return nil
	}
	var out []corev1.Event
	for _, e := range list.Items {
		if e.Reason == reason {
			out = append(out, e)
		}
	}
	return out
}

func hasEvent(ctx context.Context, c client.Client, reason string) bool {
	return len(events(ctx, c, reason)) > 0
}

func printEvent(ctx context.Context, c client.Client, reason string) {
	es := events(ctx, c, reason)
	if len(es) == 0 {
		return
	}
	e := es[len(es)-1]
	info("%s %s: %s", e.Type, e.Reason, e.Message)
	if r := e.Annotations["schemactl.dev/drift-report"]; r != "" {
		for _, l := range strings.Split(r, "\n") {
			info("  - %s", l)
		}
	}
}
