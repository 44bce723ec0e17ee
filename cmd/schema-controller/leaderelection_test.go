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
	"context"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/jackc/pgx/v5"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/internal/testsupport/proctest"
)

// TestAgents_leaderElection runs two agent processes against one API server, one
// database and one git source: only the lease holder runs controllers and writes;
// when it dies, the other takes over and corrects the next drift. Applies are
// recorded once each.
func TestAgents_leaderElection(t *testing.T) {
	env := kubetest.Start(t)
	kubeconfig := env.WriteKubeConfig(t)
	bin := proctest.Build(t, "cmd/schema-controller")
	ctx := context.Background()
	git := gittest.NewServer(t, gittest.Options{Anonymous: true})
	git.CreateRepo(t, "schemas", map[string]string{"db/schema.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nCREATE INDEX orders_note_idx ON orders (note);\n"}, "main")
	url := pgtest.NewServer(t).NewDatabase(t)

	type agent struct {
		*proctest.Process
		storageAddr string
	}
	start := func() *agent {
		a := &agent{storageAddr: freeAddr(t)}
		a.Process = proctest.Start(t, proctest.Options{Env: []string{"KUBECONFIG=/nonexistent", "RUNTIME_NAMESPACE=default"}}, bin,
			"--enable-leader-election", "--leader-election-lease-duration=4s",
			"--leader-election-renew-deadline=3s", "--leader-election-retry-period=1s",
			"--health-addr="+freeAddr(t), "--metrics-addr=0", "--storage-addr="+a.storageAddr, "--storage-adv-addr="+a.storageAddr, "--storage-path="+t.TempDir(), "--log-level=debug",
			"--kubeconfig="+kubeconfig) // kubectl's flag, out of the cluster
		return a
	}
	agents := []*agent{start(), start()}

	ns := env.CreateNamespace(t, "le")
	for _, o := range []client.Object{
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"}, StringData: map[string]string{"url": url}},
		&v1alpha1.SchemaRepository{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "schemas"}, Spec: v1alpha1.SchemaRepositorySpec{
			URL: git.HTTPURL("schemas"), Interval: metav1.Duration{Duration: time.Minute}, Reference: &v1alpha1.GitRepositoryRef{Branch: "main"}}},
		&v1alpha1.Database{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "orders"}, Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db", SecretRef: meta.LocalObjectReference{Name: "db"}, Interval: metav1.Duration{Duration: 2 * time.Second}}},
	} {
		if err := env.Client.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	count := func(sql string) int {
		var n int
		if err := conn.QueryRow(ctx, sql).Scan(&n); err != nil {
			return -1
		}
		return n
	}
	db := &v1alpha1.Database{}
	ready := func() error {
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "orders"}, db); err != nil {
			return err
		}
		if !conditions.IsReady(db) || count("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_note_idx'") != 1 {
			return fmt.Errorf("not ready: %v", db.Status.Conditions)
		}
		return nil
	}
	eventually(t, 90*time.Second, ready)

	// Exactly one agent holds the lease and runs controllers.
	lease := &coordinationv1.Lease{}
	if err := env.Client.Get(ctx, client.ObjectKey{Namespace: "default", Name: leaseName(Options{})}, lease); err != nil {
		t.Fatal(err)
	}
	if lease.Spec.HolderIdentity == nil || *lease.Spec.HolderIdentity == "" {
		t.Fatal("nobody holds the lease")
	}
	started := func(a *agent) bool { return strings.Contains(a.Out.String(), "Starting workers") }
	if started(agents[0]) == started(agents[1]) {
		t.Fatalf("want exactly one agent running controllers; a: %v, b: %v", started(agents[0]), started(agents[1]))
	}
	leader, follower := agents[0], agents[1]
	if started(agents[1]) {
		leader, follower = agents[1], agents[0]
	}

	// Every replica serves its artifacts; the leader's URL is in the status.
	repo := &v1alpha1.SchemaRepository{}
	artifact := func() *v1alpha1.Artifact {
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "schemas"}, repo); err != nil || repo.Status.Artifact == nil {
			t.Fatalf("no artifact: %v", err)
		}
		return repo.Status.Artifact
	}
	first := artifact()
	if !strings.HasPrefix(first.URL, "http://"+leader.storageAddr+"/schemarepository/"+ns+"/schemas/") {
		t.Errorf("url %q, want one on the leader's --storage-adv-addr %s", first.URL, leader.storageAddr)
	}
	if code, _ := getBody(t, first.URL); code != http.StatusOK {
		t.Errorf("GET %s from the leader: %d", first.URL, code)
	}
	// The follower starts its servers once its caches have synced, which
	// may come after the leader's first apply on a busy machine.
	eventually(t, 60*time.Second, func() error {
		code, _, err := get("http://" + follower.storageAddr + "/schemarepository/")
		if err != nil {
			return fmt.Errorf("the follower's artifact server: %w", err)
		}
		if code != http.StatusNotFound {
			return fmt.Errorf("the follower's artifact server answers %d, want it serving (404 for a listing)", code)
		}
		return nil
	})

	// The leader dies without releasing the lease; the follower takes over and
	// corrects the next drift.
	if err := leader.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "DROP INDEX orders_note_idx"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 90*time.Second, func() error {
		if !started(follower) {
			return fmt.Errorf("follower has not taken over")
		}
		return ready()
	})
	// The new leader stored the artifact again, with the same tarball: same
	// archiveDigest, its own URL.
	eventually(t, 60*time.Second, func() error {
		if a := artifact(); !strings.HasPrefix(a.URL, "http://"+follower.storageAddr+"/") {
			return fmt.Errorf("url %q", a.URL)
		}
		return nil
	})
	if second := artifact(); second.ArchiveDigest != first.ArchiveDigest || second.Digest != first.Digest {
		t.Errorf("after takeover archiveDigest %s digest %s, before %s %s: want the same tarball", second.ArchiveDigest, second.Digest, first.ArchiveDigest, first.Digest)
	} else if code, _ := getBody(t, second.URL); code != http.StatusOK {
		t.Errorf("GET %s from the new leader: %d", second.URL, code)
	}
	// Two applies happened (the first apply and the correction), each recorded
	// once. An attempt that failed on the loaded machine (a lock_timeout, say)
	// and was retried has a row of its own, not applied.
	if n := count("SELECT count(*) FROM schemactl.apply_log WHERE status = 'applied'"); n != 2 {
		var rows string
		_ = conn.QueryRow(ctx, `SELECT string_agg(format('%s %s %s %s', id, status, plan_id, coalesce(error, '')), E'\n' ORDER BY id) FROM schemactl.apply_log`).Scan(&rows)
		t.Errorf("apply log has %d applied rows, want 2:\n%s", n, rows)
	}
}
