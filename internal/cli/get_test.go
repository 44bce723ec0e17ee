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
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
)

const (
	goldenRevision = "main@sha1:1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
	goldenPlanID   = "sha256:9f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
)

func condition(typ string, status metav1.ConditionStatus, reason, msg string) metav1.Condition {
	return metav1.Condition{Type: typ, Status: status, Reason: reason, Message: msg,
		LastTransitionTime: metav1.NewTime(time.Date(2026, 11, 25, 3, 12, 9, 0, time.UTC))}
}

// createStatic creates obj with the static label (the agent never sees it)
// and then writes its status as given.
func createStatic(t *testing.T, obj client.Object) {
	t.Helper()
	ctx := context.Background()
	obj.SetLabels(map[string]string{staticLabel: "true"})
	status := obj.DeepCopyObject().(client.Object)
	if err := testClient.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	status.SetResourceVersion(obj.GetResourceVersion())
	status.SetUID(obj.GetUID())
	status.SetGeneration(obj.GetGeneration())
	status.SetCreationTimestamp(obj.GetCreationTimestamp())
	if err := testClient.Status().Update(ctx, status); err != nil {
		t.Fatal(err)
	}
}

func staticDatabase(ns, name string, status v1alpha1.DatabaseStatus, suspend bool) *v1alpha1.Database {
	return &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "shop-schemas"},
			Path:      "./db/" + name, SecretRef: meta.LocalObjectReference{Name: name + "-db"},
			Interval: metav1.Duration{Duration: 5 * time.Minute}, Suspend: suspend,
		},
		Status: status,
	}
}

// createGoldenObjects creates the objects of the golden tables: in shop,
// two sources, four Databases, an alert and a provider; in billing, one
// Database. Their status is the test's, as in docs/EXAMPLES.
//
// Tests that list them run sequentially, before the parallel tests create
// objects of their own, so that -A sees only these.
func createGoldenObjects(t *testing.T) {
	t.Helper()
	goldenOnce.Do(func() { goldenErr = createGoldenObjectsOnce(t) })
	if goldenErr != nil {
		t.Fatal(goldenErr)
	}
}

var (
	goldenOnce sync.Once
	goldenErr  error
)

func createGoldenObjectsOnce(t *testing.T) (err error) {
	defer func() {
		if t.Failed() {
			err = errors.New("creating the golden objects failed")
		}
	}()
	for _, ns := range []string{"shop", "billing"} {
		if err := testClient.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
	}
	size := int64(18231)
	createStatic(t, &v1alpha1.SchemaRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "shop-schemas"},
		Spec:       v1alpha1.SchemaRepositorySpec{URL: "https://git.example/acme/shop.git", Interval: metav1.Duration{Duration: time.Minute}},
		Status: v1alpha1.SchemaRepositoryStatus{
			ObservedGeneration: 1,
			Conditions:         []metav1.Condition{condition(meta.ReadyCondition, metav1.ConditionTrue, meta.SucceededReason, "stored artifact for revision '"+goldenRevision+"'")},
			Artifact: &v1alpha1.Artifact{Revision: goldenRevision, Digest: "sha256:" + strings.Repeat("ab", 32), Size: &size,
				LastUpdateTime: metav1.NewTime(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))},
		},
	})
	createStatic(t, &v1alpha1.SchemaRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "legacy"},
		Spec:       v1alpha1.SchemaRepositorySpec{URL: "ssh://git@git.example/acme/legacy.git", Interval: metav1.Duration{Duration: time.Minute}, Suspend: true},
		Status: v1alpha1.SchemaRepositoryStatus{
			ObservedGeneration: 1,
			Conditions: []metav1.Condition{
				condition(meta.ReadyCondition, metav1.ConditionFalse, v1alpha1.AuthenticationFailedReason, "listing refs of ssh://git@git.example/acme/legacy.git:\nauthentication required"),
				condition(meta.StalledCondition, metav1.ConditionTrue, v1alpha1.AuthenticationFailedReason, "authentication required"),
			},
		},
	})
	createStatic(t, staticDatabase("shop", "orders", v1alpha1.DatabaseStatus{
		ObservedGeneration: 1,
		Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, metav1.ConditionFalse, v1alpha1.OutsideApplyWindowReason, "drift: 2 changes, corrected in window 02:00"),
			condition(v1alpha1.DriftedCondition, metav1.ConditionTrue, v1alpha1.DriftDetectedReason, "2 change(s) made outside Git since revision "+goldenRevision+" was applied"),
		},
		LastAppliedRevision: goldenRevision, LastAttemptedRevision: goldenRevision,
		Drift: &v1alpha1.DriftReport{DetectedAt: metav1.NewTime(time.Date(2026, 11, 25, 3, 12, 9, 0, time.UTC)), Count: 2, Changes: []v1alpha1.DriftChange{
			{Object: "index public.orders_created_at_idx", Change: "exists in the database, not in Git"},
			{Object: "column public.orders.note", Change: "default 'n/a' in the database, none in Git"},
		}},
		Plan: &v1alpha1.PendingPlan{ID: goldenPlanID, Revision: goldenRevision, Statements: 2, Hazards: []string{"IndexBuild"}, SQL: []string{
			"-- hazards: IndexBuild\nDROP INDEX CONCURRENTLY public.orders_created_at_idx",
			"ALTER TABLE public.orders ALTER COLUMN note DROP DEFAULT",
		}},
	}, false))
	createStatic(t, staticDatabase("shop", "ledger", v1alpha1.DatabaseStatus{
		ObservedGeneration: 1,
		Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, metav1.ConditionFalse, v1alpha1.DestructiveBlockedReason, "plan "+goldenPlanID+" is blocked: it has destructive statements and allowDestructive is false; resolve it in Git or approve it: schemactl approve database ledger -n shop --plan "+goldenPlanID),
		},
		LastAppliedRevision: "main@sha1:0000111122223333444455556666777788889999",
		Plan: &v1alpha1.PendingPlan{ID: goldenPlanID, Revision: goldenRevision, Statements: 51, Destructive: true, Hazards: []string{"DataLoss", "AccessExclusiveLock"}, SQL: []string{
			"-- hazards: DataLoss, AccessExclusiveLock\nALTER TABLE public.ledger DROP COLUMN legacy_total",
			"CREATE TABLE public.entries (\n    id bigint NOT NULL\n)",
			"-- … and 49 more statement(s)",
		}},
	}, false))
	createStatic(t, staticDatabase("shop", "payments", v1alpha1.DatabaseStatus{
		ObservedGeneration: 1,
		Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, metav1.ConditionTrue, v1alpha1.InSyncReason, "in sync with revision "+goldenRevision),
			condition(v1alpha1.DriftedCondition, metav1.ConditionFalse, v1alpha1.InSyncReason, "no drift"),
		},
		LastAppliedRevision: goldenRevision,
	}, true))
	createStatic(t, staticDatabase("shop", "fresh", v1alpha1.DatabaseStatus{}, false))
	createStatic(t, staticDatabase("billing", "invoices", v1alpha1.DatabaseStatus{
		ObservedGeneration: 1,
		Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, metav1.ConditionTrue, v1alpha1.AppliedReason, "applied revision v1.2.0@sha1:abcdefabcdefabcdefabcdefabcdefabcdefabcd"),
		},
		LastAppliedRevision: "v1.2.0@sha1:abcdefabcdefabcdefabcdefabcdefabcdefabcd",
	}, false))
	createStatic(t, &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "slack"},
		Spec:       v1alpha1.AlertProviderSpec{Type: v1alpha1.SlackProvider, Channel: "#db-alerts", SecretRef: meta.LocalObjectReference{Name: "slack-webhook"}},
		Status: v1alpha1.AlertProviderStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, metav1.ConditionTrue, meta.SucceededReason, "provider is ready"),
		}},
	})
	createStatic(t, &v1alpha1.AlertRule{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "drift"},
		Spec: v1alpha1.AlertRuleSpec{ProviderRef: meta.LocalObjectReference{Name: "slack"}, EventSeverity: v1alpha1.EventSeverityInfo,
			EventSources: []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}}},
		Status: v1alpha1.AlertRuleStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, metav1.ConditionFalse, v1alpha1.ProviderNotReadyReason, "alert provider shop/slack is not ready"),
		}},
	})
	return nil
}

// TestGet_golden lists objects whose status the test wrote as tables,
// compared with golden files (AGE normalized), and as JSON and YAML.
// It runs before the parallel tests, so that -A sees only these objects.
func TestGet_golden(t *testing.T) {
	createGoldenObjects(t)
	ctx := context.Background()
	tables := []struct {
		golden string
		ns     string
		all    bool
		args   []string
	}{
		{"get-databases.golden", "shop", false, []string{"databases"}},
		{"get-database-orders.golden", "shop", false, []string{"database", "orders"}},
		{"get-databases-all-namespaces.golden", "", true, []string{"sdb"}},
		{"get-sources.golden", "shop", false, []string{"sources"}},
		{"get-alerts.golden", "shop", false, []string{"alerts"}},
		{"get-providers.golden", "shop", false, []string{"providers"}},
	}
	for _, tt := range tables {
		t.Run(tt.golden, func(t *testing.T) {
			g, out := globals(t, tt.ns)
			g.AllNamespaces = tt.all
			if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, tt.args); err != nil {
				t.Fatal(err)
			}
			got := normalizeAge(out.out.String())
			if tt.all {
				got = onlyGoldenNamespaces(got)
			}
			golden(t, tt.golden, got)
			if strings.Contains(out.out.String(), "\x1b[") {
				t.Error("colors written to a stream that is not a terminal")
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		g, out := globals(t, "shop")
		if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputJSON}, []string{"database", "orders"}); err != nil {
			t.Fatal(err)
		}
		var db v1alpha1.Database
		if err := json.Unmarshal([]byte(out.out.String()), &db); err != nil {
			t.Fatalf("%v\n%s", err, out.out.String())
		}
		if db.APIVersion != "schemactl.dev/v1alpha1" || db.Kind != "Database" || db.Status.Plan == nil || db.Status.Plan.ID != goldenPlanID {
			t.Errorf("got %s %s, plan %+v", db.APIVersion, db.Kind, db.Status.Plan)
		}
		if strings.Contains(out.out.String(), "managedFields") {
			t.Error("managedFields printed")
		}
	})
	t.Run("yaml list", func(t *testing.T) {
		g, out := globals(t, "shop")
		if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputYAML}, []string{"sources"}); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Kind  string                      `json:"kind"`
			Items []v1alpha1.SchemaRepository `json:"items"`
		}
		if err := yaml.Unmarshal([]byte(out.out.String()), &list); err != nil {
			t.Fatal(err)
		}
		if list.Kind != "List" || len(list.Items) != 2 || list.Items[0].Name != "legacy" || list.Items[1].Kind != v1alpha1.SchemaRepositoryKind {
			t.Errorf("got %s with %d items:\n%s", list.Kind, len(list.Items), out.out.String())
		}
	})
	t.Run("colors", func(t *testing.T) {
		g, out := globals(t, "shop")
		g.Color = true
		if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, []string{"databases"}); err != nil {
			t.Fatal(err)
		}
		s := out.out.String()
		if !strings.Contains(s, "\x1b[32mTrue\x1b[0m") || !strings.Contains(s, "\x1b[31mFalse\x1b[0m") {
			t.Errorf("no colored READY cells:\n%q", s)
		}
		if strings.HasPrefix(s, "\x1b") {
			t.Errorf("header colored:\n%q", s)
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			all  bool
			o    string
			want string
		}{
			{[]string{"databases", "nope"}, false, "table", `Database "nope" not found in namespace "shop"`},
			{[]string{"gitrepositories"}, false, "table", `unknown kind "gitrepositories": use one of sources, databases, alerts, alert-providers`},
			{[]string{"databases", "orders"}, true, "table", "cannot be looked up across all namespaces"},
			{[]string{"databases"}, false, "bogus", `unknown output format "bogus"`},
			{[]string{"all", "orders"}, false, "table", "a name needs one kind"},
		} {
			g, _ := globals(t, "shop")
			g.AllNamespaces = tt.all
			err := cli.Get(ctx, g, cli.GetOptions{Output: tt.o}, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) || cli.ExitCode(err) != cli.ExitFailure {
				t.Errorf("get %v: error %v, want %q", tt.args, err, tt.want)
			}
		}
		g, out := globals(t, "default")
		if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, []string{"alerts"}); err != nil {
			t.Fatal(err)
		}
		if out.out.String() != "" || out.err.String() != "no alertrules found in namespace \"default\"\n" {
			t.Errorf("empty list: stdout %q, stderr %q", out.out.String(), out.err.String())
		}
	})
	t.Run("watch", func(t *testing.T) {
		ns := newNamespace(t)
		createStatic(t, staticDatabase(ns, "fresh", v1alpha1.DatabaseStatus{}, false))
		createStatic(t, staticDatabase(ns, "payments", v1alpha1.DatabaseStatus{}, true))
		g, out := globals(t, ns)
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			done <- cli.Get(wctx, g, cli.GetOptions{Output: cli.OutputTable, Watch: true}, []string{"databases"})
		}()
		eventually(t, 10*time.Second, func() bool { return strings.Contains(out.out.String(), "payments") })
		db := &v1alpha1.Database{}
		if err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "fresh"}, db); err != nil {
			t.Fatal(err)
		}
		db.Status.ObservedGeneration = db.Generation
		db.Status.Conditions = []metav1.Condition{condition(meta.ReadyCondition, metav1.ConditionTrue, v1alpha1.AppliedReason, "applied revision "+goldenRevision)}
		db.Status.LastAppliedRevision = goldenRevision
		if err := testClient.Status().Update(ctx, db); err != nil {
			t.Fatal(err)
		}
		eventually(t, 10*time.Second, func() bool { return strings.Count(out.out.String(), "fresh ") == 2 })
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.out.String()), "\n")
		last := lines[len(lines)-1]
		if strings.Count(out.out.String(), "NAME") != 1 || !strings.HasPrefix(last, "fresh ") || !strings.Contains(last, "applied revision main@sha1:1a2b3c4   main@sha1:1a2b3c4 ") {
			t.Errorf("watch output:\n%s", out.out.String())
		}
	})
}

// onlyGoldenNamespaces keeps the header and the rows of the golden
// namespaces of a table listing all namespaces, where other tests may have
// created objects too; as those widen the columns, the cells are joined
// with " | " instead of aligned.
func onlyGoldenNamespaces(table string) string {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSuffix(table, "\n"), "\n") {
		if i == 0 || strings.HasPrefix(line, "shop ") || strings.HasPrefix(line, "billing ") {
			b.WriteString(cellGap.ReplaceAllString(line, " | ") + "\n")
		}
	}
	return b.String()
}

var cellGap = regexp.MustCompile(` {3,}`)

// eventually polls cond until it holds or d passes.
func eventually(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
