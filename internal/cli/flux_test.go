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
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	fluxlogger "github.com/fluxcd/pkg/runtime/logger"
	"github.com/go-logr/logr"
	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlzap "sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/yaml"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
)

// TestGet_fluxNouns lists the golden objects with the nouns, formats and
// filters Flux users type, compared with golden files (AGE normalized).
// It runs before the parallel tests, like TestGet_golden.
func TestGet_fluxNouns(t *testing.T) {
	createGoldenObjects(t)
	ctx := context.Background()
	for _, tt := range []struct {
		golden string
		args   []string
		o      cli.GetOptions
	}{
		{"get-sources-git.golden", []string{"sources", "git"}, cli.GetOptions{}},
		{"get-source-git-legacy.golden", []string{"source", "git", "legacy"}, cli.GetOptions{}},
		{"get-sources-all.golden", []string{"sources", "all"}, cli.GetOptions{}},
		{"get-alert-providers.golden", []string{"alert-providers"}, cli.GetOptions{}},
		{"get-all.golden", []string{"all"}, cli.GetOptions{}},
		{"get-databases-wide.golden", []string{"databases"}, cli.GetOptions{Output: cli.OutputWide}},
		{"get-sources-git-wide.golden", []string{"sources", "git"}, cli.GetOptions{Output: cli.OutputWide}},
		{"get-databases-no-header.golden", []string{"databases"}, cli.GetOptions{NoHeader: true}},
		{"get-databases-ready-false.golden", []string{"databases"}, cli.GetOptions{StatusSelector: "ready=false"}},
		{"get-databases-ready-unknown.golden", []string{"databases"}, cli.GetOptions{StatusSelector: "Ready=Unknown"}},
		{"get-databases-drifted.golden", []string{"databases"}, cli.GetOptions{StatusSelector: "drifted=true"}},
		{"get-all-ready-false.golden", []string{"all"}, cli.GetOptions{StatusSelector: "ready=false", NoHeader: true}},
		{"get-databases-name.golden", []string{"databases"}, cli.GetOptions{Output: cli.OutputName}},
		{"get-all-name.golden", []string{"all"}, cli.GetOptions{Output: cli.OutputName}},
		{"get-databases-jsonpath.golden", []string{"databases"}, cli.GetOptions{Output: `jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.lastAppliedRevision}{"\n"}{end}`}},
		{"get-database-orders-jsonpath.golden", []string{"database", "orders"}, cli.GetOptions{Output: `jsonpath={.status.drift.count}`}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			g, out := globals(t, "shop")
			if tt.o.Output == "" {
				tt.o.Output = cli.OutputTable
			}
			if err := cli.Get(ctx, g, tt.o, tt.args); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, normalizeAge(out.out.String()))
		})
	}

	t.Run("yaml list of every kind", func(t *testing.T) {
		g, out := globals(t, "shop")
		if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputYAML}, []string{"all"}); err != nil {
			t.Fatal(err)
		}
		var list unstructured.UnstructuredList
		if err := yaml.Unmarshal([]byte(out.out.String()), &list.Object); err != nil {
			t.Fatal(err)
		}
		items, _, _ := unstructured.NestedSlice(list.Object, "items")
		var kinds []string
		for _, it := range items {
			kinds = append(kinds, it.(map[string]any)["kind"].(string))
		}
		if list.Object["kind"] != "List" || strings.Join(kinds, ",") != "SchemaRepository,SchemaRepository,Database,Database,Database,Database,AlertRule,AlertProvider" {
			t.Errorf("got %v with kinds %v", list.Object["kind"], kinds)
		}
		if strings.Contains(out.out.String(), "managedFields") {
			t.Error("managedFields printed")
		}
	})
	t.Run("colors", func(t *testing.T) {
		g, out := globals(t, "shop")
		g.Color = true
		if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputWide}, []string{"databases"}); err != nil {
			t.Fatal(err)
		}
		// Painting after alignment keeps the columns where the plain table
		// has them.
		plain := strings.NewReplacer("\x1b[31m", "", "\x1b[32m", "", "\x1b[33m", "", "\x1b[0m", "").Replace(out.out.String())
		g2, out2 := globals(t, "shop")
		if err := cli.Get(ctx, g2, cli.GetOptions{Output: cli.OutputWide}, []string{"databases"}); err != nil {
			t.Fatal(err)
		}
		if plain != out2.out.String() {
			t.Errorf("colors moved the columns:\n%s\n%s", plain, out2.out.String())
		}
		for _, want := range []string{"\x1b[33mUnknown\x1b[0m", "\x1b[31mTrue\x1b[0m", "\x1b[33mTrue\x1b[0m"} {
			if !strings.Contains(out.out.String(), want) {
				t.Errorf("no %q in\n%q", want, out.out.String())
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			o    cli.GetOptions
			want string
		}{
			{[]string{"databases"}, cli.GetOptions{StatusSelector: "ready"}, `--status-selector "ready": want CONDITION=STATUS`},
			{[]string{"databases"}, cli.GetOptions{StatusSelector: "ready=maybe"}, "the status must be true, false or unknown"},
			{[]string{"databases"}, cli.GetOptions{LabelSelector: "a in (b"}, `--label-selector "a in (b"`},
			{[]string{"sources", "all", "x"}, cli.GetOptions{}, "a name needs one kind"},
			{[]string{"all"}, cli.GetOptions{Watch: true}, "--watch follows one kind"},
			{[]string{"source", "git", "a", "b"}, cli.GetOptions{}, `unexpected arguments ["b"]`},
		} {
			g, _ := globals(t, "shop")
			if tt.o.Output == "" {
				tt.o.Output = cli.OutputTable
			}
			err := cli.Get(ctx, g, tt.o, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("get %v %+v: error %v, want %q", tt.args, tt.o, err, tt.want)
			}
		}
	})
}

// TestGet_labelSelector lists objects by label with -l, alone and with
// --status-selector.
func TestGet_labelSelector(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name, team string
		ready      metav1.ConditionStatus
	}{{"a1", "a", metav1.ConditionTrue}, {"a2", "a", metav1.ConditionFalse}, {"b1", "b", metav1.ConditionFalse}} {
		db := staticDatabase(ns, tt.name, v1alpha1.DatabaseStatus{ObservedGeneration: 1, Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, tt.ready, v1alpha1.AppliedReason, "x"),
		}}, false)
		createStatic(t, db)
		patch := client.RawPatch(types.MergePatchType, []byte(`{"metadata":{"labels":{"team":"`+tt.team+`"}}}`))
		if err := testClient.Patch(ctx, db, patch); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		o    cli.GetOptions
		want string
	}{
		{cli.GetOptions{LabelSelector: "team=a"}, "database.schemactl.dev/a1\ndatabase.schemactl.dev/a2\n"},
		{cli.GetOptions{LabelSelector: "team!=a"}, "database.schemactl.dev/b1\n"},
		{cli.GetOptions{LabelSelector: "team=a", StatusSelector: "ready=false"}, "database.schemactl.dev/a2\n"},
		{cli.GetOptions{StatusSelector: "ready=true"}, "database.schemactl.dev/a1\n"},
	} {
		g, out := globals(t, ns)
		tt.o.Output = cli.OutputName
		if err := cli.Get(ctx, g, tt.o, []string{"databases"}); err != nil {
			t.Fatal(err)
		}
		if out.out.String() != tt.want {
			t.Errorf("get -l %q --status-selector %q: %q, want %q", tt.o.LabelSelector, tt.o.StatusSelector, out.out.String(), tt.want)
		}
	}
	g, out := globals(t, ns)
	if err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable, LabelSelector: "team=c"}, []string{"databases"}); err != nil {
		t.Fatal(err)
	}
	if out.out.String() != "" || !strings.Contains(out.err.String(), "no databases found") {
		t.Errorf("no match: stdout %q, stderr %q", out.out.String(), out.err.String())
	}
}

// TestExport_golden exports objects whose status the test wrote: no status,
// no server fields.
func TestExport_golden(t *testing.T) {
	createGoldenObjects(t)
	ctx := context.Background()
	for _, tt := range []struct {
		golden string
		args   []string
		all    bool
	}{
		{"export-source-git.golden", []string{"source", "git", "shop-schemas"}, false},
		{"export-database-orders.golden", []string{"database", "orders"}, false},
		{"export-alerts.golden", []string{"alert"}, true},
		{"export-all.golden", []string{"all"}, false},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			g, out := globals(t, "shop")
			if err := cli.Export(ctx, g, cli.ExportOptions{All: tt.all}, tt.args); err != nil {
				t.Fatal(err)
			}
			got := out.out.String()
			golden(t, tt.golden, got)
			for _, field := range []string{"status:", "managedFields", "uid:", "resourceVersion", "generation", "creationTimestamp", "finalizers"} {
				if strings.Contains(got, field) {
					t.Errorf("export prints %s", field)
				}
			}
		})
	}
	g, _ := globals(t, "shop")
	if err := cli.Export(ctx, g, cli.ExportOptions{}, []string{"database"}); err == nil || err.Error() != "name the database to export, or pass --all" {
		t.Errorf("export without a name: %v", err)
	}
}

// applyYAML applies each document of a multi-document YAML with
// server-side apply, as kubectl apply --server-side -f - does.
func applyYAML(t *testing.T, docs string) {
	t.Helper()
	for _, doc := range strings.Split(docs, "---\n") {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		if err := testClient.Apply(context.Background(), client.ApplyConfigurationFromUnstructured(u), client.FieldOwner("kubectl"), client.ForceOwnership); err != nil {
			t.Fatalf("applying %s: %v", u.GetName(), err)
		}
	}
}

// TestCreateExport_roundTrip pipes create --export of each kind into an
// apply, and exports the objects again: the output equals the input byte
// for byte, although the agent reconciled the source and the Database in
// between (finalizers, status, requestedAt).
func TestCreateExport_roundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := newNamespace(t)
	var input strings.Builder
	run := func(what string, f func(g *cli.GlobalOptions) error) {
		t.Helper()
		g, out := globals(t, ns)
		mustRun(t, what, out, f(g))
		input.WriteString(out.out.String())
	}
	run("create source git", func(g *cli.GlobalOptions) error {
		return cli.CreateSourceGit(ctx, g, cli.CreateSourceGitOptions{CreateOptions: cli.CreateOptions{Export: true, Labels: []string{"team=shop"}},
			URL: "https://git.invalid/acme/shop.git", Branch: "main", Interval: time.Minute, SecretRef: "shop-git", Ignore: "/docs/,*.md"}, "shop-schemas")
	})
	run("create database", func(g *cli.GlobalOptions) error {
		return cli.CreateDatabase(ctx, g, cli.CreateDatabaseOptions{CreateOptions: cli.CreateOptions{Export: true},
			Source: "SchemaRepository/shop-schemas", Path: "./db/orders", SecretRef: "orders-db", Interval: 5 * time.Minute,
			DriftPolicy: "Report", Schemas: []string{"public", "audit"}, Exclude: []string{"public.schema_migrations"}, DependsOn: []string{"accounts"}}, "orders")
	})
	run("create alert", func(g *cli.GlobalOptions) error {
		return cli.CreateAlert(ctx, g, cli.CreateAlertOptions{CreateOptions: cli.CreateOptions{Export: true},
			ProviderRef: "slack", EventSeverity: "error", EventSources: []string{"Database/*", "source/shop-schemas"}}, "drift")
	})
	run("create alert-provider", func(g *cli.GlobalOptions) error {
		return cli.CreateAlertProvider(ctx, g, cli.CreateAlertProviderOptions{CreateOptions: cli.CreateOptions{Export: true},
			Type: "slack", Channel: "#db-alerts", SecretRef: "slack-webhook"}, "slack")
	})
	golden(t, "create-export.golden", strings.ReplaceAll(input.String(), ns, "NAMESPACE"))
	applyYAML(t, input.String())

	// The agent reconciles the source and the Database: it adds its
	// finalizer and a status; a reconcile request adds the annotation.
	db := &v1alpha1.Database{}
	if err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "orders"}, db); err != nil {
		t.Fatal(err)
	}
	patch := client.MergeFrom(db.DeepCopy())
	db.Annotations = map[string]string{meta.ReconcileRequestAnnotation: "now"}
	if err := testClient.Patch(ctx, db, patch); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, func() bool {
		db := &v1alpha1.Database{}
		return testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "orders"}, db) == nil && len(db.Finalizers) > 0 && len(db.Status.Conditions) > 0
	})
	g, out := globals(t, ns)
	mustRun(t, "export all", out, cli.Export(ctx, g, cli.ExportOptions{}, []string{"all"}))
	if out.out.String() != input.String() {
		t.Errorf("export after apply differs from the input:\n--- input\n%s--- export\n%s", input.String(), out.out.String())
	}
}

// TestCreate_appliesAndWaits creates a source on the server, waits until the
// agent made it Ready, and updates it by running create again.
func TestCreate_appliesAndWaits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := newNamespace(t)
	git := gittest.NewServer(t, gittest.Options{})
	head := git.CreateRepo(t, "schemas", map[string]string{"db/001.sql": "CREATE TABLE t (id int);\n"}, "main")
	user, pass := git.BasicAuth()
	if err := testClient.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "git"},
		Data: map[string][]byte{"username": []byte(user), "password": []byte(pass)}}); err != nil {
		t.Fatal(err)
	}
	o := cli.CreateSourceGitOptions{URL: git.HTTPURL("schemas"), Branch: "main", Interval: time.Hour, SecretRef: "git"}
	g, out := globals(t, ns)
	mustRun(t, "create source git", out, cli.CreateSourceGit(ctx, g, o, "schemas"))
	if !strings.Contains(out.out.String(), fmt.Sprintf("✔ SchemaRepository %s/schemas is ready: ", ns)) || !strings.Contains(out.out.String(), head) {
		t.Errorf("create: stdout %q", out.out.String())
	}
	src := &v1alpha1.SchemaRepository{}
	if err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "schemas"}, src); err != nil {
		t.Fatal(err)
	}
	if src.Spec.Interval.Duration != time.Hour || src.Status.Artifact == nil || !strings.HasSuffix(src.Status.Artifact.Revision, head) {
		t.Errorf("created %+v, status %+v", src.Spec, src.Status)
	}
	owners := map[string]bool{}
	for _, m := range src.ManagedFields {
		owners[m.Manager] = true
	}
	if !owners[cli.FieldOwner] {
		t.Errorf("managers %v, want %s", owners, cli.FieldOwner)
	}

	// Create again with another interval: an update, waited for too.
	o.Interval = 30 * time.Minute
	g, out = globals(t, ns)
	mustRun(t, "create source git again", out, cli.CreateSourceGit(ctx, g, o, "schemas"))
	if err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "schemas"}, src); err != nil {
		t.Fatal(err)
	}
	if src.Spec.Interval.Duration != 30*time.Minute || src.Status.ObservedGeneration != src.Generation {
		t.Errorf("updated: interval %s, observed %d of %d", src.Spec.Interval.Duration, src.Status.ObservedGeneration, src.Generation)
	}

	// Bad flags are refused before anything is written.
	g, _ = globals(t, ns)
	for _, tt := range []struct {
		err  error
		want string
	}{
		{cli.CreateSourceGit(ctx, g, cli.CreateSourceGitOptions{URL: "https://x"}, "s"), "name what to follow"},
		{cli.CreateDatabase(ctx, g, cli.CreateDatabaseOptions{Source: "s", SecretRef: "d", DriftPolicy: "Ignore"}, "d"), `--drift-policy "Ignore"`},
		{cli.CreateDatabase(ctx, g, cli.CreateDatabaseOptions{Source: "Bucket/s", SecretRef: "d", DriftPolicy: "Correct"}, "d"), "the kind must be SchemaRepository"},
		{cli.CreateAlertProvider(ctx, g, cli.CreateAlertProviderOptions{Type: "pagerduty", SecretRef: "x"}, "p"), `--type "pagerduty"`},
		{cli.CreateAlert(ctx, g, cli.CreateAlertOptions{ProviderRef: "p", EventSeverity: "info", EventSources: []string{"Pod/x"}}, "a"), `--event-source "Pod/x"`},
		{cli.CreateSourceGit(ctx, g, cli.CreateSourceGitOptions{URL: "https://x", Branch: "main", CreateOptions: cli.CreateOptions{Labels: []string{"novalue"}}}, "s"), `--label "novalue"`},
		{cli.CreateSourceGit(ctx, g, cli.CreateSourceGitOptions{URL: "https://x", Branch: "main"}, "Bad_Name"), `name "Bad_Name"`},
	} {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("error %v, want %q", tt.err, tt.want)
		}
	}
	var list v1alpha1.SchemaRepositoryList
	if err := testClient.List(ctx, &list, client.InNamespace(ns)); err != nil || len(list.Items) != 1 {
		t.Errorf("refused creates wrote objects: %d, %v", len(list.Items), err)
	}
}

// TestSuspendResume_everyKind suspends and resumes an alert, an alert
// provider and a source spelled "source git", without waiting (the test's
// agent does not run the alert reconcilers).
func TestSuspendResume_everyKind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := newNamespace(t)
	createStatic(t, &v1alpha1.AlertProvider{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "slack"},
		Spec: v1alpha1.AlertProviderSpec{Type: v1alpha1.SlackProvider, SecretRef: meta.LocalObjectReference{Name: "w"}}})
	createStatic(t, &v1alpha1.AlertRule{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "drift"},
		Spec: v1alpha1.AlertRuleSpec{ProviderRef: meta.LocalObjectReference{Name: "slack"}, EventSources: []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}}}})
	createStatic(t, &v1alpha1.SchemaRepository{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "schemas"},
		Spec: v1alpha1.SchemaRepositorySpec{URL: "https://git.invalid/x.git", Interval: metav1.Duration{Duration: time.Hour}}})
	suspended := func(obj client.Object) bool {
		t.Helper()
		if err := testClient.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
			t.Fatal(err)
		}
		switch o := obj.(type) {
		case *v1alpha1.AlertRule:
			return o.Spec.Suspend
		case *v1alpha1.AlertProvider:
			return o.Spec.Suspend
		case *v1alpha1.SchemaRepository:
			return o.Spec.Suspend
		}
		return false
	}
	for _, tt := range []struct {
		args []string
		obj  client.Object
		what string
	}{
		{[]string{"alert", "drift"}, &v1alpha1.AlertRule{}, "AlertRule"},
		{[]string{"alert-provider", "slack"}, &v1alpha1.AlertProvider{}, "AlertProvider"},
		{[]string{"source", "git", "schemas"}, &v1alpha1.SchemaRepository{}, "SchemaRepository"},
	} {
		tt.obj.SetNamespace(ns)
		tt.obj.SetName(tt.args[len(tt.args)-1])
		g, out := globals(t, ns)
		mustRun(t, "suspend", out, cli.Suspend(ctx, g, cli.SuspendOptions{}, tt.args))
		if want := fmt.Sprintf("✔ suspended %s %s/%s\n", tt.what, ns, tt.obj.GetName()); out.out.String() != want || !suspended(tt.obj) {
			t.Errorf("suspend %v: %q, want %q", tt.args, out.out.String(), want)
		}
		g, out = globals(t, ns)
		mustRun(t, "resume", out, cli.Resume(ctx, g, cli.ResumeOptions{}, tt.args))
		if suspended(tt.obj) || tt.obj.GetAnnotations()[meta.ReconcileRequestAnnotation] == "" {
			t.Errorf("resume %v: still suspended, or no reconcile requested", tt.args)
		}
	}
	g, _ := globals(t, ns)
	if err := cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"sources", "all"}); err == nil || !strings.Contains(err.Error(), "name a source: source git NAME") {
		t.Errorf("reconcile sources all: %v", err)
	}
}

// TestDelete_confirmation deletes only after y or --silent.
func TestDelete_confirmation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := newNamespace(t)
	for _, name := range []string{"a", "b"} {
		createStatic(t, &v1alpha1.AlertRule{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.AlertRuleSpec{ProviderRef: meta.LocalObjectReference{Name: "slack"}, EventSources: []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}}}})
	}
	exists := func(name string) bool {
		err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &v1alpha1.AlertRule{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
		return err == nil
	}
	for _, answer := range []string{"", "n\n", "nope\n"} {
		g, out := globals(t, ns)
		g.Streams.In = strings.NewReader(answer)
		err := cli.Delete(ctx, g, cli.DeleteOptions{}, []string{"alert", "a"})
		if err == nil || !strings.Contains(err.Error(), "not confirmed") || !exists("a") {
			t.Errorf("answer %q: %v, exists %v", answer, err, exists("a"))
		}
		if want := fmt.Sprintf("Are you sure you want to delete AlertRule %s/a? [y/N] ", ns); !strings.HasPrefix(out.err.String(), want) {
			t.Errorf("prompt %q, want %q", out.err.String(), want)
		}
	}
	g, out := globals(t, ns)
	g.Streams.In = strings.NewReader("y\n")
	mustRun(t, "delete y", out, cli.Delete(ctx, g, cli.DeleteOptions{}, []string{"alert", "a"}))
	if exists("a") || out.out.String() != fmt.Sprintf("✔ deleted AlertRule %s/a\n", ns) {
		t.Errorf("delete y: %q, exists %v", out.out.String(), exists("a"))
	}
	g, out = globals(t, ns)
	g.Streams.In = strings.NewReader("")
	mustRun(t, "delete --silent", out, cli.Delete(ctx, g, cli.DeleteOptions{Silent: true}, []string{"alerts", "b"}))
	if exists("b") || strings.Contains(out.err.String(), "Are you sure") {
		t.Errorf("delete --silent: stderr %q, exists %v", out.err.String(), exists("b"))
	}
	g, _ = globals(t, ns)
	if err := cli.Delete(ctx, g, cli.DeleteOptions{Silent: true}, []string{"alert", "b"}); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("delete again: %v", err)
	}
}

// TestTree_golden draws the golden Database orders: its source, plan,
// schema and the drifted objects of its status.
func TestTree_golden(t *testing.T) {
	createGoldenObjects(t)
	g, out := globals(t, "shop")
	if err := cli.Tree(context.Background(), g, []string{"database", "orders"}); err != nil {
		t.Fatal(err)
	}
	golden(t, "tree-database-orders.golden", out.out.String())
	for _, want := range []string{"index public.orders_created_at_idx  drifted: exists in the database, not in Git", "column public.orders.note"} {
		if !strings.Contains(out.out.String(), want) {
			t.Errorf("tree lacks %q", want)
		}
	}
}

// TestTree_driftFromStatus sets a Database's drift report through the
// status subresource and finds its objects in the tree, under their
// schemas; a missing source is shown, not an error.
func TestTree_driftFromStatus(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	db := staticDatabase(ns, "inventory", v1alpha1.DatabaseStatus{
		ObservedGeneration: 1,
		Conditions: []metav1.Condition{
			condition(meta.ReadyCondition, metav1.ConditionTrue, v1alpha1.InSyncReason, "reported"),
			condition(v1alpha1.DriftedCondition, metav1.ConditionTrue, v1alpha1.DriftDetectedReason, "3 changes"),
		},
		Drift: &v1alpha1.DriftReport{DetectedAt: metav1.NewTime(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), Count: 3, Changes: []v1alpha1.DriftChange{
			{Object: "table audit.events", Change: "exists in the database, not in Git"},
			{Object: "column public.items.sku", Change: "type varchar(20) in the database, text in Git"},
			{Object: "extension pgcrypto", Change: "exists in the database, not in Git"},
		}},
	}, false)
	db.Spec.Schemas = []string{"public", "audit"}
	createStatic(t, db)
	g, out := globals(t, ns)
	if err := cli.Tree(context.Background(), g, []string{"database", "inventory"}); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`SchemaRepository/%[1]s/shop-schemas  (not found)
└── Database/%[1]s/inventory  Ready=True  Drifted
    ├── Schema/public
    │   └── column public.items.sku  drifted: type varchar(20) in the database, text in Git
    ├── Schema/audit
    │   └── table audit.events  drifted: exists in the database, not in Git
    └── extension pgcrypto  drifted: exists in the database, not in Git
`, ns)
	if out.out.String() != want {
		t.Errorf("tree:\n%s\nwant:\n%s", out.out.String(), want)
	}
}

// TestStats_golden counts the golden objects of namespace shop.
func TestStats_golden(t *testing.T) {
	createGoldenObjects(t)
	g, out := globals(t, "shop")
	if err := cli.Stats(context.Background(), g, cli.StatsOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "stats-shop.golden", out.out.String())
}

// fakeKubelet serves the agent pod's log as a kubelet does, at
// /containerLogs/NAMESPACE/POD/CONTAINER, for the API server's pods/log:
// the lines are what the agent's logger (Flux's JSON encoder, as
// cmd/schema-controller configures it) writes for reconcilers.
func fakeKubelet(t *testing.T, lines []string, follow chan string) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/containerLogs/") || !strings.HasSuffix(r.URL.Path, "/manager") {
			http.NotFound(w, r)
			return
		}
		for _, l := range lines {
			_, _ = io.WriteString(w, l+"\n")
		}
		if r.URL.Query().Get("follow") != "true" {
			return
		}
		w.(http.Flusher).Flush()
		for {
			select {
			case <-r.Context().Done():
				return
			case l := <-follow:
				_, _ = io.WriteString(w, l+"\n")
				w.(http.Flusher).Flush()
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// agentLogLines returns log lines as the agent writes them: Flux's logger
// options (JSON, ISO 8601 times, lowercase levels) and the keys
// controller-runtime adds for a reconciler.
func agentLogLines(t *testing.T) []string {
	t.Helper()
	var buf bytes.Buffer
	log := ctrlzap.New(ctrlzap.WriteTo(&buf), ctrlzap.Level(zapcore.DebugLevel), ctrlzap.JSONEncoder(func(c *zapcore.EncoderConfig) {
		c.EncodeTime = zapcore.ISO8601TimeEncoder
		c.EncodeLevel = fluxlogger.LowercaseLevelEncoder
	}))
	rec := func(kind, ns, name string) logr.Logger {
		return log.WithValues("controller", strings.ToLower(kind), "controllerGroup", "schemactl.dev", "controllerKind", kind,
			kind, map[string]string{"name": name, "namespace": ns}, "namespace", ns, "name", name, "reconcileID", "0000")
	}
	rec("Database", "shop", "orders").Info("drift detected", "changes", 2)
	rec("Database", "shop", "orders").Error(errors.New("connection refused"), "Reconciler error")
	rec("Database", "billing", "invoices").Info("applied revision", "revision", "main@sha1:1a2b3c4")
	rec("SchemaRepository", "shop", "shop-schemas").V(1).Info("no new commits")
	log.Info("starting manager")
	return strings.Split(strings.TrimSpace(buf.String()), "\n")
}

// TestLogs_filters reads the agent's log through the API server's pods/log
// from a kubelet served by the test, filtered by kind, name, namespace and
// level, and follows it with -f.
func TestLogs_filters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	agentNS := newNamespace(t)
	lines := agentLogLines(t)
	follow := make(chan string, 1)
	srv := fakeKubelet(t, lines, follow)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.ParseInt(u.Port(), 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "kubelet-" + agentNS}}
	if err := testClient.Create(ctx, node); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = testClient.Delete(context.Background(), node) })
	node.Status = corev1.NodeStatus{
		Addresses:       []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "127.0.0.1"}},
		DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: int32(port)}},
	}
	if err := testClient.Status().Update(ctx, node); err != nil {
		t.Fatal(err)
	}
	// The ServiceAccount admission wants the pod's account to exist; no
	// controller-manager creates "default" here.
	if err := testClient.Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: agentNS, Name: "default"}}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	noToken := false
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: agentNS, Name: "schema-controller-0", Labels: map[string]string{"app.kubernetes.io/name": "schema-controller"}},
		Spec:       corev1.PodSpec{NodeName: node.Name, AutomountServiceAccountToken: &noToken, Containers: []corev1.Container{{Name: "manager", Image: "schema-controller:test"}}},
	}
	if err := testClient.Create(ctx, pod); err != nil {
		t.Fatal(err)
	}
	logs := func(ns string, all bool, o cli.LogsOptions) (string, error) {
		g, out := globals(t, ns)
		g.AllNamespaces = all
		o.Namespace, o.Tail = agentNS, -1
		err := cli.Logs(ctx, g, o)
		return out.out.String(), err
	}
	for _, tt := range []struct {
		name string
		ns   string
		all  bool
		o    cli.LogsOptions
		want []string
	}{
		{"namespace", "shop", false, cli.LogsOptions{}, []string{
			"info Database/orders.shop - drift detected", "error Database/orders.shop - Reconciler error: connection refused",
			"debug SchemaRepository/shop-schemas.shop - no new commits"}},
		{"all namespaces, kind", "", true, cli.LogsOptions{Kind: "database"}, []string{
			"info Database/orders.shop - drift detected", "error Database/orders.shop - Reconciler error: connection refused",
			"info Database/invoices.billing - applied revision"}},
		{"kind by noun, name", "shop", false, cli.LogsOptions{Kind: "sources", Name: "shop-schemas"}, []string{
			"debug SchemaRepository/shop-schemas.shop - no new commits"}},
		{"level", "", true, cli.LogsOptions{Level: "error"}, []string{
			"error Database/orders.shop - Reconciler error: connection refused"}},
	} {
		got, err := logs(tt.ns, tt.all, tt.o)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var msgs []string
		for _, l := range strings.Split(strings.TrimSpace(got), "\n") {
			// Drop the timestamp, which the logger wrote.
			_, rest, _ := strings.Cut(l, " ")
			msgs = append(msgs, rest)
		}
		if strings.Join(msgs, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, strings.Join(msgs, "\n"), strings.Join(tt.want, "\n"))
		}
	}
	if _, err := logs("shop", false, cli.LogsOptions{Level: "warn"}); err == nil || !strings.Contains(err.Error(), `--level "warn"`) {
		t.Errorf("--level warn: %v", err)
	}

	// -f: a line logged after the start arrives; the --timeout ends the
	// follow without an error.
	g, out := globals(t, "shop")
	g.Timeout, g.TimeoutSet = 5*time.Second, true
	done := make(chan error, 1)
	go func() {
		done <- cli.Logs(ctx, g, cli.LogsOptions{AgentOptions: cli.AgentOptions{Namespace: agentNS}, Follow: true, Tail: -1, Name: "orders"})
	}()
	eventually(t, 10*time.Second, func() bool { return strings.Contains(out.out.String(), "Reconciler error") })
	follow <- `{"level":"info","ts":"2026-12-06T20:00:00.000Z","msg":"followed line","controllerKind":"Database","name":"orders","namespace":"shop"}`
	eventually(t, 10*time.Second, func() bool { return strings.Contains(out.out.String(), "Database/orders.shop - followed line") })
	if err := <-done; err != nil {
		t.Errorf("follow: %v", err)
	}
}
