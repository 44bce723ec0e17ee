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

package faults_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/internal/testsupport/proctest"
)

// agentLog is the end of an agent's output, for failure messages.
func agentLog(p *proctest.Process) string {
	out := p.Out.String()
	if len(out) > 4000 {
		out = "…" + out[len(out)-4000:]
	}
	return out
}

// TestFaults_agentKilled is the crash-safety suite of issue 13 for the agent: the
// real schema-controller binary, against a real API server (envtest) and a git
// server, reconciles a Database with driftPolicy Correct and allowDestructive while
// a writer inserts; Git alternates between the two desired states, and during each
// apply the agent is killed with SIGKILL — alternately in the online phase and at a
// random moment of the apply — and started again. Then it must converge: the
// Database Ready at the last revision, the re-plan empty, nothing left behind,
// every acknowledged write found, no writer transaction failed.
func TestFaults_agentKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("fault injection: not in -short")
	}
	if os.Getenv("SCHEMACTL_FAULTS_AGENT") == "0" {
		// make test: the agent run (envtest, two builds, a full reconcile before
		// the first kill) is make faults' alone.
		t.Skip("SCHEMACTL_FAULTS_AGENT=0: the agent fault run is in make faults")
	}
	t.Parallel()
	kills := killCount(t)
	env := kubetest.Start(t)
	kubeconfig := env.WriteKubeConfig(t)
	agentBin := proctest.Build(t, "cmd/schema-controller")
	ctlBin := proctest.Build(t, "cmd/schemactl")
	url := pgtest.Shared(t).NewDatabase(t)
	loadStateA(t, url)
	dirA, dirB := writeState(t, stateA()), writeState(t, stateB())
	git := gittest.NewServer(t, gittest.Options{Anonymous: true})
	rev := git.CreateRepo(t, "schemas", map[string]string{"db/schema.sql": stateA()}, "main")

	storage := t.TempDir()
	startAgent := func() *proctest.Process {
		return proctest.Start(t, proctest.Options{}, agentBin, "--metrics-addr=0", "--health-addr=127.0.0.1:0", "--storage-addr=127.0.0.1:0", "--storage-path="+storage,
			"--log-level=info", "--kubeconfig="+kubeconfig)
	}
	agent := startAgent()

	ctx := t.Context()
	ns := env.CreateNamespace(t, "faults")
	for _, obj := range []client.Object{
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"}, StringData: map[string]string{"url": url}},
		&v1alpha1.SchemaRepository{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "schemas"}, Spec: v1alpha1.SchemaRepositorySpec{
			URL: git.HTTPURL("schemas"), Interval: metav1.Duration{Duration: 2 * time.Second}, Reference: &v1alpha1.GitRepositoryRef{Branch: "main"}}},
		&v1alpha1.Database{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "shop"}, Spec: v1alpha1.DatabaseSpec{
			SourceRef:        v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:             "db",
			SecretRef:        meta.LocalObjectReference{Name: "db"},
			Interval:         metav1.Duration{Duration: time.Minute},
			RetryInterval:    &metav1.Duration{Duration: 2 * time.Second},
			Timeout:          &metav1.Duration{Duration: patience},
			LockTimeout:      &metav1.Duration{Duration: 2 * time.Second},
			DriftPolicy:      v1alpha1.DriftPolicyCorrect,
			AllowDestructive: true,
		}},
	} {
		if err := env.Client.Create(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	db := &v1alpha1.Database{}
	// readyAt reports whether the Database is Ready with revision rev applied.
	readyAt := func(rev string) bool {
		if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "shop"}, db); err != nil {
			t.Fatal(err)
		}
		return conditions.IsReady(db) && strings.HasSuffix(db.Status.LastAppliedRevision, rev)
	}
	waitReady := func(rev string) {
		t.Helper()
		deadline := time.Now().Add(patience)
		for !readyAt(rev) {
			if agent.Exited() {
				t.Fatalf("the agent exited: %v\n%s", agent.Err(), agentLog(agent))
			}
			if time.Now().After(deadline) {
				t.Fatalf("the Database is not Ready at %s after %s; conditions %v\n%s", rev, patience, db.Status.Conditions, agentLog(agent))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	// The database holds state A: the first reconcile finds nothing to do.
	waitReady(rev)
	o := newObserver(t, url)
	w := startWriter(t, url)

	push := func(dir string) string {
		content := stateA()
		if dir == dirB {
			content = stateB()
		}
		return git.Push(t, "schemas", "main", map[string]string{"db/schema.sql": content}, "state "+dir)
	}
	// waitLocked waits for an apply of a session started after since, or for the
	// Database to be Ready at rev without one (the database already held it).
	waitLocked := func(since time.Time, rev string) (locked bool) {
		t.Helper()
		deadline := time.Now().Add(patience)
		for i := 0; ; i++ {
			if _, ok := o.holder(since); ok {
				return true
			}
			if i%10 == 0 && readyAt(rev) {
				return false
			}
			if agent.Exited() {
				t.Fatalf("the agent exited: %v\n%s", agent.Err(), agentLog(agent))
			}
			if time.Now().After(deadline) {
				t.Fatalf("the agent took no advisory lock for revision %s within %s:\n%s", rev, patience, agentLog(agent))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	// An uninterrupted reconcile A → B gives the typical duration of an apply
	// (from its advisory lock to the Database Ready); random kills fall within it.
	pushed := time.Now()
	rev = push(dirB)
	if !waitLocked(pushed, rev) {
		t.Fatal("the Database was Ready at state B without an apply")
	}
	locked := time.Now()
	waitReady(rev)
	typical := time.Since(locked)
	t.Logf("uninterrupted reconcile A → B: Ready %s after its lock", typical.Round(time.Millisecond))

	var (
		killed, attempts, nothingToDo int
		landed                        tally
		dir                           = dirB
		rng                           = newRand(t)
	)
	for killed < kills {
		if dir == dirA {
			dir = dirB
		} else {
			dir = dirA
		}
		before := o.lastLogID()
		pushed := time.Now()
		rev = push(dir)
		if !waitLocked(pushed, rev) {
			// A kill before the commit left the database at this state.
			nothingToDo++
			continue
		}
		how := "in the online phase"
		if attempts%2 == 0 {
			if !o.waitOnline(before, agent, rng) {
				how = "after its online phase (missed)"
			}
		} else {
			delay := time.Duration(rng.Int64N(int64(max(typical, time.Millisecond))))
			how = fmt.Sprintf("%s after its lock", delay.Round(time.Millisecond))
			time.Sleep(delay)
		}
		attempts++
		s, held := o.holder(agent.Started)
		if !agent.Kill(t) {
			t.Fatalf("the agent exited by itself: %v\n%s", agent.Err(), agentLog(agent))
		}
		killed++
		where := o.landed(s, held)
		landed[where]++
		t.Logf("kill %d: agent killed during the reconcile of revision %.12s %s; landed %s", killed, rev, how, where)
		agent = startAgent()
	}
	// The last agent converges to the last revision.
	waitReady(rev)
	planInSync(t, ctlBin, dir, url)
	assertClean(t, url)
	checkLog(t, url, landed[online])
	if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "shop"}, db); err != nil {
		t.Fatal(err)
	}
	if c := conditions.Get(db, meta.ReadyCondition); c == nil || c.Status != metav1.ConditionTrue {
		t.Errorf("the Database is not Ready after convergence: %v", db.Status.Conditions)
	}
	acked, found := w.checkWrites(t, url)
	report(t, fmt.Sprintf("faults (agent): kills %d (%s), restarts %d, converged %v (Ready at the last revision, re-plan empty, nothing left behind), revisions already in place %d, acknowledged writes %d, rows found %d, failed writer transactions %d",
		killed, &landed, killed, !t.Failed(), nothingToDo, acked, found, w.failed))
	if landed[online] == 0 {
		t.Errorf("no kill of the agent landed in the online phase (%s)", &landed)
	}
}
