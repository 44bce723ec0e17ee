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
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

const goldenPreviousRevision = "main@sha1:9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"

// createGoldenSet creates, in namespace fleet, a DatabaseSet whose rollout
// halted on its canary, and three members: the failed canary, one Ready at the
// previous revision, one blocked on a destructive plan.
func createGoldenSet(t *testing.T) {
	t.Helper()
	ns := "fleet"
	// A fixed name: it is in the goldens.
	if err := testClient.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	set := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "tenants"},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "shop-schemas"},
			Path:      "./db/tenant",
			Members:   v1alpha1.DatabaseSetMembers{SecretSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"fleet": "tenants"}}},
			Template:  v1alpha1.DatabaseSetTemplate{Interval: metav1.Duration{Duration: 5 * time.Minute}},
		},
		Status: v1alpha1.DatabaseSetStatus{
			ObservedGeneration: 1,
			Conditions: []metav1.Condition{condition(meta.ReadyCondition, metav1.ConditionFalse, v1alpha1.RolloutHaltedReason,
				"3 member(s), 1 ready; rollout of "+goldenRevision+" Halted (1/3 updated): member tenants-a ApplyFailed: check constraint violated")},
			Members: 3, Ready: 1, Failed: 1, Blocked: 1,
			Rollout: &v1alpha1.RolloutStatus{
				Revision: goldenRevision, PreviousRevision: goldenPreviousRevision, Phase: v1alpha1.RolloutHalted,
				Wave: 1, Updated: 1, Failed: 1,
				Message: "member tenants-a ApplyFailed: check constraint violated",
				Failures: []v1alpha1.MemberFailure{{Database: "tenants-a", Reason: v1alpha1.ApplyFailedReason,
					Message: `applying revision main@sha1:1a2b3c4d failed: check constraint "items_qty_check" of relation "items" is violated by some row`}},
			},
		},
	}
	createStatic(t, set)
	member := func(name, pin string, st v1alpha1.DatabaseStatus) {
		db := staticDatabase(ns, name, st, false)
		db.Spec.SourceRevision = pin
		createStatic(t, db)
		// createStatic sets only its own label; the set's is added after.
		patched := db.DeepCopy()
		patched.Labels[v1alpha1.DatabaseSetLabel] = "tenants"
		if err := testClient.Patch(context.Background(), patched, client.MergeFrom(db)); err != nil {
			t.Fatal(err)
		}
	}
	member("tenants-a", goldenRevision, v1alpha1.DatabaseStatus{ObservedGeneration: 1, LastAppliedRevision: goldenPreviousRevision,
		Conditions: []metav1.Condition{condition(meta.ReadyCondition, metav1.ConditionFalse, v1alpha1.ApplyFailedReason, "applying revision failed: check constraint violated")}})
	member("tenants-b", goldenPreviousRevision, v1alpha1.DatabaseStatus{ObservedGeneration: 1, LastAppliedRevision: goldenPreviousRevision,
		Conditions: []metav1.Condition{condition(meta.ReadyCondition, metav1.ConditionTrue, v1alpha1.InSyncReason, "in sync")}})
	member("tenants-c", goldenPreviousRevision, v1alpha1.DatabaseStatus{ObservedGeneration: 1, LastAppliedRevision: goldenPreviousRevision,
		Conditions: []metav1.Condition{condition(meta.ReadyCondition, metav1.ConditionFalse, v1alpha1.DestructiveBlockedReason, "plan is blocked")},
		Plan:       &v1alpha1.PendingPlan{ID: goldenPlanID, Revision: goldenPreviousRevision, Statements: 1, Destructive: true}})
}

// TestDatabaseSet_getTreeRolloutStatus_golden: get databasesets, tree
// databaseset and rollout status of a halted rollout.
func TestDatabaseSet_getTreeRolloutStatus_golden(t *testing.T) {
	createGoldenSet(t)
	g, out := globals(t, "fleet")
	if err := cli.Get(context.Background(), g, cli.GetOptions{Output: cli.OutputTable}, []string{"databasesets"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "get-databasesets.golden", normalizeAge(out.out.String()))

	g, out = globals(t, "fleet")
	if err := cli.Tree(context.Background(), g, []string{"databaseset", "tenants"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "tree-databaseset-tenants.golden", out.out.String())

	g, out = globals(t, "fleet")
	if err := cli.Rollout(context.Background(), g, cli.RolloutStatus, []string{"databaseset", "tenants"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "rollout-status-tenants.golden", out.out.String())
}

// TestDatabaseSet_rolloutResumeAbortApprove: resume and abort set the request
// annotation (refused in a phase they do not apply to); approve databaseset
// adds a plan id some member has pending, and refuses one no member has.
func TestDatabaseSet_rolloutResumeAbortApprove(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	set := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "tenants"},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "shop-schemas"},
			Members:   v1alpha1.DatabaseSetMembers{List: []meta.LocalObjectReference{{Name: "a"}}},
			Template:  v1alpha1.DatabaseSetTemplate{Interval: metav1.Duration{Duration: 5 * time.Minute}},
		},
		Status: v1alpha1.DatabaseSetStatus{Members: 1, Rollout: &v1alpha1.RolloutStatus{Revision: goldenRevision,
			PreviousRevision: goldenPreviousRevision, Phase: v1alpha1.RolloutComplete}},
	}
	createStatic(t, set)
	ctx := context.Background()
	g, _ := globals(t, ns)
	if err := cli.Rollout(ctx, g, cli.RolloutResume, []string{"databaseset", "tenants"}); err == nil || !strings.Contains(err.Error(), "only a Halted or Aborted rollout resumes") {
		t.Errorf("resume of a complete rollout: %v", err)
	}
	cur := &v1alpha1.DatabaseSet{}
	if err := testClient.Get(ctx, client.ObjectKeyFromObject(set), cur); err != nil {
		t.Fatal(err)
	}
	cur.Status.Rollout.Phase = v1alpha1.RolloutHalted
	if err := testClient.Status().Update(ctx, cur); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{cli.RolloutResume, cli.RolloutAbort} {
		g, out := globals(t, ns)
		if err := cli.Rollout(ctx, g, action, []string{"databaseset", "tenants"}); err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		if err := testClient.Get(ctx, client.ObjectKeyFromObject(set), cur); err != nil {
			t.Fatal(err)
		}
		if v := cur.Annotations[v1alpha1.RolloutRequestAnnotation]; !strings.HasPrefix(v, action+" ") {
			t.Errorf("%s: annotation %q", action, v)
		}
		if !strings.Contains(out.out.String(), action+" of the rollout of revision") {
			t.Errorf("%s printed %q", action, out.out.String())
		}
	}

	if err := cli.ApproveSet(ctx, g, cli.ApproveOptions{Plan: goldenPlanID}, []string{"databaseset", "tenants"}); err == nil || !strings.Contains(err.Error(), "no member") {
		t.Errorf("approve of a plan no member has: %v", err)
	}
	db := staticDatabase(ns, "tenants-a", v1alpha1.DatabaseStatus{ObservedGeneration: 1,
		Plan: &v1alpha1.PendingPlan{ID: goldenPlanID, Statements: 1, Destructive: true}}, false)
	createStatic(t, db)
	patched := db.DeepCopy()
	patched.Labels[v1alpha1.DatabaseSetLabel] = "tenants"
	if err := testClient.Patch(ctx, patched, client.MergeFrom(db)); err != nil {
		t.Fatal(err)
	}
	g, out := globals(t, ns)
	if err := cli.ApproveSet(ctx, g, cli.ApproveOptions{Plan: goldenPlanID}, []string{"databaseset", "tenants"}); err != nil {
		t.Fatal(err)
	}
	if err := testClient.Get(ctx, client.ObjectKeyFromObject(set), cur); err != nil {
		t.Fatal(err)
	}
	if len(cur.Spec.ApprovedPlans) != 1 || cur.Spec.ApprovedPlans[0] != goldenPlanID {
		t.Errorf("approvedPlans %v", cur.Spec.ApprovedPlans)
	}
	if !strings.Contains(out.out.String(), "1 member(s) pending with it (tenants-a)") {
		t.Errorf("approve printed %q", out.out.String())
	}
}

// TestSuspendResumeReconcile_databaseset: reconcile databaseset passes the
// request on to the members and waits until they handled it; suspend stops
// the set from changing its members (a member added to its list gets no
// Database); resume waits until the set is Ready, its members with it.
func TestSuspendResumeReconcile_databaseset(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDBFixture(t, 10*time.Minute)
	second := pgtest.Shared(t).NewDatabase(t)
	f.secret("db-2", map[string][]byte{"url": []byte(second)})
	third := pgtest.Shared(t).NewDatabase(t)
	set := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "tenants"},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db",
			Members:   v1alpha1.DatabaseSetMembers{List: []meta.LocalObjectReference{{Name: "db"}, {Name: "db-2"}, {Name: "db-3"}}},
			Template: v1alpha1.DatabaseSetTemplate{Interval: metav1.Duration{Duration: 10 * time.Minute},
				Timeout: &metav1.Duration{Duration: 30 * time.Second}},
		},
	}
	if err := testClient.Create(ctx, set); err != nil {
		t.Fatal(err)
	}
	// db-3 has no Secret yet: its member stalls (InvalidSecret), so the set
	// is not Ready; the Secret comes while the set is suspended, and resume
	// brings the member in.
	members := func() []v1alpha1.Database {
		var list v1alpha1.DatabaseList
		if err := testClient.List(ctx, &list, client.InNamespace(f.ns), client.MatchingLabels{v1alpha1.DatabaseSetLabel: "tenants"}); err != nil {
			t.Fatal(err)
		}
		return list.Items
	}
	g, out := globals(t, f.ns)
	g.Timeout = 2 * time.Minute
	mustRun(t, "suspend", out, cli.Suspend(ctx, g, cli.SuspendOptions{}, []string{"databaseset", "tenants"}))
	if want := fmt.Sprintf("✔ suspended DatabaseSet %s/tenants\n", f.ns); out.out.String() != want {
		t.Errorf("suspend: stdout %q, want %q", out.out.String(), want)
	}
	f.secret("db-3", map[string][]byte{"url": []byte(third)})
	// While suspended, a member added to the list gets no Database.
	setList := func(names ...string) {
		t.Helper()
		cur := &v1alpha1.DatabaseSet{}
		if err := testClient.Get(ctx, client.ObjectKeyFromObject(set), cur); err != nil {
			t.Fatal(err)
		}
		before := cur.DeepCopy()
		cur.Spec.Members.List = nil
		for _, n := range names {
			cur.Spec.Members.List = append(cur.Spec.Members.List, meta.LocalObjectReference{Name: n})
		}
		if err := testClient.Patch(ctx, cur, client.MergeFrom(before)); err != nil {
			t.Fatal(err)
		}
	}
	setList("db", "db-2", "db-3", "db-4")
	time.Sleep(3 * time.Second)
	for _, db := range members() {
		if db.Name == "tenants-db-4" {
			t.Error("a suspended set created a member")
		}
	}
	setList("db", "db-2", "db-3")
	g, _ = globals(t, f.ns)
	if err := cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"databaseset", "tenants"}); err == nil ||
		err.Error() != fmt.Sprintf("DatabaseSet %s/tenants is suspended: run schemactl resume databaseset tenants -n %s", f.ns, f.ns) {
		t.Errorf("reconcile of a suspended set: %v", err)
	}

	g, out = globals(t, f.ns)
	g.Timeout = 3 * time.Minute
	mustRun(t, "resume", out, cli.Resume(ctx, g, cli.ResumeOptions{Wait: true}, []string{"databaseset", "tenants"}))
	if s := out.out.String(); !strings.HasPrefix(s, fmt.Sprintf("✔ resumed DatabaseSet %s/tenants\n✔ DatabaseSet %s/tenants is ready: 3 member(s), 3 ready", f.ns, f.ns)) {
		t.Errorf("resume: stdout %q", s)
	}
	if n := len(members()); n != 3 {
		t.Fatalf("%d members after resume, want 3", n)
	}

	// reconcile: every member handles the request before the set is Ready.
	g, out = globals(t, f.ns)
	g.Timeout = 3 * time.Minute
	mustRun(t, "reconcile", out, cli.Reconcile(ctx, g, cli.ReconcileOptions{WithSource: true}, []string{"databaseset", "tenants"}))
	lines := strings.Split(strings.TrimSpace(out.out.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], fmt.Sprintf("✔ SchemaRepository %s/schemas is ready: ", f.ns)) ||
		!strings.HasPrefix(lines[1], fmt.Sprintf("✔ DatabaseSet %s/tenants is ready: 3 member(s), 3 ready", f.ns)) {
		t.Errorf("reconcile: stdout:\n%s", out.out.String())
	}
	cur := &v1alpha1.DatabaseSet{}
	if err := testClient.Get(ctx, client.ObjectKeyFromObject(set), cur); err != nil {
		t.Fatal(err)
	}
	token := "set " + cur.Status.LastHandledReconcileAt
	for _, db := range members() {
		if db.Status.LastHandledReconcileAt != token {
			t.Errorf("member %s handled %q, want %q", db.Name, db.Status.LastHandledReconcileAt, token)
		}
	}
}
