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
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
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
