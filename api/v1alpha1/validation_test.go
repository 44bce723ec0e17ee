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

package v1alpha1_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

// testEnv is the API server shared by the tests of this package; each test
// works in a namespace of its own.
var testEnv *kubetest.Environment

func TestMain(m *testing.M) {
	var err error
	testEnv, err = kubetest.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if err := testEnv.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

func context30s(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fromYAML decodes a manifest into an unstructured object, so that tests can
// send what the Go types cannot express (a malformed duration, say).
func fromYAML(t *testing.T, doc, namespace string) *unstructured.Unstructured {
	t.Helper()
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
		t.Fatalf("decoding manifest: %v", err)
	}
	u.SetNamespace(namespace)
	return u
}

func TestSamples_create_accepted(t *testing.T) {
	ctx := context30s(t)
	ns := testEnv.CreateNamespace(t, "samples")
	root, err := kubetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "config", "samples")
	kustomization, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Resources []string `json:"resources"`
	}
	if err := yaml.Unmarshal(kustomization, &k); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, name := range k.Resources {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		obj := fromYAML(t, string(data), ns)
		// Strict field validation: a misspelt field in a sample is an error,
		// not silently pruned.
		if err := testEnv.Client.Create(ctx, obj, client.FieldValidation("Strict")); err != nil {
			t.Errorf("sample %s rejected: %v", name, err)
			continue
		}
		kinds[obj.GetKind()] = true
	}
	for _, kind := range []string{v1alpha1.SchemaRepositoryKind, v1alpha1.DatabaseKind, v1alpha1.AlertProviderKind, v1alpha1.AlertRuleKind, v1alpha1.DatabaseSetKind} {
		if !kinds[kind] {
			t.Errorf("config/samples has no valid %s", kind)
		}
	}
}

func TestDatabase_create_defaults(t *testing.T) {
	ctx := context30s(t)
	ns := testEnv.CreateNamespace(t, "defaults")
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Name: "orders", Namespace: ns},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Name: "shop"},
			SecretRef: meta.LocalObjectReference{Name: "orders-db"},
			Interval:  metav1.Duration{Duration: 5 * time.Minute},
			ApplyWindow: &v1alpha1.ApplyWindow{
				Schedule: "@daily",
				Duration: metav1.Duration{Duration: time.Hour},
			},
		},
	}
	if err := testEnv.Client.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	got := &v1alpha1.Database{}
	if err := testEnv.Client.Get(ctx, client.ObjectKeyFromObject(obj), got); err != nil {
		t.Fatal(err)
	}
	if got.Spec.SourceRef.Kind != v1alpha1.SchemaRepositoryKind {
		t.Errorf("sourceRef.kind = %q, want %q", got.Spec.SourceRef.Kind, v1alpha1.SchemaRepositoryKind)
	}
	// driftPolicy has no schema default: it depends on the format (Correct for
	// Declarative, Report for Migrations).
	if got.Spec.Format != v1alpha1.FormatDeclarative || got.GetDriftPolicy() != v1alpha1.DriftPolicyCorrect {
		t.Errorf("format = %q, driftPolicy = %q; want Declarative, Correct", got.Spec.Format, got.GetDriftPolicy())
	}
	got.Spec.Format = v1alpha1.FormatMigrations
	if got.GetDriftPolicy() != v1alpha1.DriftPolicyReport {
		t.Errorf("driftPolicy of format Migrations = %q, want Report", got.GetDriftPolicy())
	}
	if got.Spec.LockTimeout == nil || got.Spec.LockTimeout.Duration != 5*time.Second {
		t.Errorf("lockTimeout = %v, want 5s", got.Spec.LockTimeout)
	}
	if len(got.Spec.Schemas) != 1 || got.Spec.Schemas[0] != "public" {
		t.Errorf("schemas = %v, want [public]", got.Spec.Schemas)
	}
	if got.Spec.ApplyWindow.TimeZone != "UTC" {
		t.Errorf("applyWindow.timeZone = %q, want UTC", got.Spec.ApplyWindow.TimeZone)
	}
	if got.Status.ObservedGeneration != -1 {
		t.Errorf("status.observedGeneration = %d, want -1", got.Status.ObservedGeneration)
	}
}

func TestValidation_create_rejected(t *testing.T) {
	ns := testEnv.CreateNamespace(t, "invalid")
	const repo = `
apiVersion: schemactl.dev/v1alpha1
kind: SchemaRepository
metadata: {name: r}
spec:
`
	const db = `
apiVersion: schemactl.dev/v1alpha1
kind: Database
metadata: {name: d}
spec:
  sourceRef: {name: shop}
  secretRef: {name: orders-db}
`
	const provider = `
apiVersion: schemactl.dev/v1alpha1
kind: AlertProvider
metadata: {name: p}
spec:
`
	const rule = `
apiVersion: schemactl.dev/v1alpha1
kind: AlertRule
metadata: {name: a}
spec:
  providerRef: {name: slack}
`
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{
			name: "database with an unknown format",
			doc:  db + "  interval: 1m\n  format: Liquibase\n",
			want: []string{"spec.format", "Unsupported value"},
		},
		{
			name: "database with an unknown migrations layout",
			doc:  db + "  interval: 1m\n  format: Migrations\n  migrations: {layout: goose}\n",
			want: []string{"spec.migrations.layout", "Unsupported value"},
		},
		{
			name: "repository without url",
			doc:  repo + "  interval: 1m\n",
			want: []string{"spec.url: Required value"},
		},
		{
			name: "repository with an unsupported url scheme",
			doc:  repo + "  url: ftp://example.com/repo.git\n  interval: 1m\n",
			want: []string{"spec.url", "url must start with http://, https://, ssh:// or file://, or be scp-like"},
		},
		{
			name: "repository with two refs at once",
			doc:  repo + "  url: https://example.com/repo.git\n  interval: 1m\n  ref: {branch: main, tag: v1.0.0}\n",
			want: []string{"spec.ref", "at most one of branch, tag, semver, commit and name may be set, except branch with commit"},
		},
		{
			name: "repository with a commit and a tag",
			doc:  repo + "  url: https://example.com/repo.git\n  interval: 1m\n  ref: {commit: 1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d, tag: v1.0.0}\n",
			want: []string{"spec.ref", "except branch with commit"},
		},
		{
			name: "database whose Flux source has the apiVersion of another group",
			doc:  "apiVersion: schemactl.dev/v1alpha1\nkind: Database\nmetadata: {name: d2}\nspec:\n  sourceRef: {apiVersion: schemactl.dev/v1alpha1, kind: GitRepository, name: shop}\n  secretRef: {name: orders-db}\n  interval: 5m\n",
			want: []string{"spec.sourceRef", "apiVersion must be schemactl.dev/<version> for SchemaRepository, source.toolkit.fluxcd.io/<version> for Flux's kinds"},
		},
		{
			name: "repository with a malformed interval",
			doc:  repo + "  url: https://example.com/repo.git\n  interval: 5 minutes\n",
			want: []string{`spec.interval: Invalid value: "5 minutes"`, "should match"},
		},
		{
			name: "repository with a zero interval",
			doc:  repo + "  url: https://example.com/repo.git\n  interval: 0s\n",
			want: []string{"spec.interval", "interval must be at least 1s"},
		},
		{
			name: "repository with a short commit",
			doc:  repo + "  url: git@github.com:acme/shop.git\n  interval: 1m\n  ref: {commit: 1a2b3c}\n",
			want: []string{`spec.ref.commit: Invalid value: "1a2b3c"`},
		},
		{
			name: "database with an unknown driftPolicy",
			doc:  db + "  interval: 5m\n  driftPolicy: Ignore\n",
			want: []string{`spec.driftPolicy: Unsupported value: "Ignore"`, `"Correct", "Report"`},
		},
		{
			name: "database with applyWindow without duration",
			doc:  db + "  interval: 5m\n  applyWindow: {schedule: \"0 2 * * *\"}\n",
			want: []string{"spec.applyWindow.duration: Required value"},
		},
		{
			name: "database with applyWindow without schedule",
			doc:  db + "  interval: 5m\n  applyWindow: {duration: 2h}\n",
			want: []string{"spec.applyWindow.schedule: Required value"},
		},
		{
			name: "database with a malformed schedule",
			doc:  db + "  interval: 5m\n  applyWindow: {schedule: \"at two\", duration: 2h}\n",
			want: []string{`spec.applyWindow.schedule: Invalid value: "at two"`},
		},
		{
			name: "database without interval",
			doc:  db,
			want: []string{"spec.interval: Required value"},
		},
		{
			name: "database with a path escaping the source",
			doc:  db + "  interval: 5m\n  path: ./db/../../etc\n",
			want: []string{"spec.path", "path must not contain '..'"},
		},
		{
			name: "database with a malformed approvedPlan",
			doc:  db + "  interval: 5m\n  approvedPlan: sha256:9f1c\n",
			want: []string{`spec.approvedPlan: Invalid value: "sha256:9f1c"`},
		},
		{
			name: "database with a source of an unsupported kind",
			doc:  db + "  interval: 5m\n  sourceRef: {kind: HelmChart, name: shop}\n",
			want: []string{`spec.sourceRef.kind: Unsupported value: "HelmChart"`, `"SchemaRepository", "GitRepository", "OCIRepository", "Bucket", "ExternalArtifact"`},
		},
		{
			name: "alert provider of an unknown type",
			doc:  provider + "  type: pagerduty\n  secretRef: {name: hook}\n",
			want: []string{`spec.type: Unsupported value: "pagerduty"`, `"slack", "generic", "generic-hmac", "msteams", "discord"`},
		},
		{
			name: "alert provider without secretRef",
			doc:  provider + "  type: slack\n",
			want: []string{"spec.secretRef: Required value"},
		},
		{
			name: "alert rule with an unknown severity",
			doc:  rule + "  eventSeverity: warning\n  eventSources: [{kind: Database, name: orders}]\n",
			want: []string{`spec.eventSeverity: Unsupported value: "warning"`},
		},
		{
			name: "alert rule without event sources",
			doc:  rule + "  eventSources: []\n",
			want: []string{"spec.eventSources", "should have at least 1 items"},
		},
		{
			name: "alert rule with matchLabels on a named source",
			doc:  rule + "  eventSources: [{kind: Database, name: orders, matchLabels: {team: shop}}]\n",
			want: []string{"spec.eventSources[0]", "matchLabels may only be used with name '*'"},
		},
		{
			name: "alert rule with a source of an unknown kind",
			doc:  rule + "  eventSources: [{kind: Kustomization, name: '*'}]\n",
			want: []string{`spec.eventSources[0].kind: Unsupported value: "Kustomization"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context30s(t)
			err := testEnv.Client.Create(ctx, fromYAML(t, tt.doc, ns))
			if err == nil {
				t.Fatal("created, want rejected")
			}
			if !apierrors.IsInvalid(err) {
				t.Fatalf("error is not Invalid: %v", err)
			}
			t.Log(err)
			// A rule that fails to evaluate is no message for a user.
			if strings.Contains(err.Error(), "evaluating rule") {
				t.Errorf("a validation rule failed to evaluate:\n%v", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not say %q:\n%v", want, err)
				}
			}
		})
	}
}

func TestValidation_create_acceptsEveryRefAndURLForm(t *testing.T) {
	ns := testEnv.CreateNamespace(t, "valid")
	urls := []string{
		"https://github.com/acme/shop.git",
		"http://gitea.local:3000/acme/shop",
		"ssh://git@github.com/acme/shop.git",
		"git@github.com:acme/shop.git",
		"file:///srv/git/shop",
	}
	refs := []string{
		"",
		"  ref: {branch: main}\n",
		"  ref: {tag: v1.2.0}\n",
		"  ref: {semver: \">=1.0.0 <2.0.0\"}\n",
		"  ref: {commit: 1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d}\n",
		"  ref: {name: refs/pull/42/head}\n",
		"  ref: {branch: main, commit: 1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d}\n", // as Flux's GitRepository
	}
	for i, url := range urls {
		for j, ref := range refs {
			ctx := context30s(t)
			doc := fmt.Sprintf("apiVersion: schemactl.dev/v1alpha1\nkind: SchemaRepository\nmetadata: {name: r%d-%d}\nspec:\n  url: %q\n  interval: 90s\n%s", i, j, url, ref)
			if err := testEnv.Client.Create(ctx, fromYAML(t, doc, ns)); err != nil {
				t.Errorf("url %s, ref %q rejected: %v", url, ref, err)
			}
		}
	}
}

func TestDatabase_update_statusOnlyThroughSubresource(t *testing.T) {
	ctx := context30s(t)
	ns := testEnv.CreateNamespace(t, "status")
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Name: "orders", Namespace: ns},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Name: "shop"},
			SecretRef: meta.LocalObjectReference{Name: "orders-db"},
			Interval:  metav1.Duration{Duration: 5 * time.Minute},
		},
	}
	if err := testEnv.Client.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	key := client.ObjectKeyFromObject(obj)

	// An update of the main resource ignores status.
	obj.Status.LastAppliedRevision = "main@sha1:1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"
	obj.Spec.Suspend = true
	if err := testEnv.Client.Update(ctx, obj); err != nil {
		t.Fatal(err)
	}
	got := &v1alpha1.Database{}
	if err := testEnv.Client.Get(ctx, key, got); err != nil {
		t.Fatal(err)
	}
	if !got.Spec.Suspend {
		t.Error("spec.suspend not updated")
	}
	if got.Status.LastAppliedRevision != "" {
		t.Errorf("status written through the main resource: lastAppliedRevision = %q", got.Status.LastAppliedRevision)
	}

	// The status subresource writes status, and ignores spec.
	got.Status.LastAppliedRevision = "main@sha1:1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d"
	got.Status.Drift = &v1alpha1.DriftReport{
		DetectedAt: metav1.Now(),
		Count:      1,
		Changes:    []v1alpha1.DriftChange{{Object: "index public.orders_created_at_idx", Change: "exists in the database, not in Git"}},
	}
	got.Status.Conditions = []metav1.Condition{{
		Type: v1alpha1.DriftedCondition, Status: metav1.ConditionTrue, Reason: v1alpha1.DriftDetectedReason,
		Message: "1 object differs", LastTransitionTime: metav1.Now(),
	}}
	got.Spec.Suspend = false
	if err := testEnv.Client.Status().Update(ctx, got); err != nil {
		t.Fatal(err)
	}
	after := &v1alpha1.Database{}
	if err := testEnv.Client.Get(ctx, key, after); err != nil {
		t.Fatal(err)
	}
	if after.Status.LastAppliedRevision != got.Status.LastAppliedRevision || after.Status.Drift == nil || after.Status.Drift.Count != 1 {
		t.Errorf("status not written through the subresource: %+v", after.Status)
	}
	if !after.Spec.Suspend {
		t.Error("spec changed through the status subresource")
	}
	if after.Generation != 2 {
		t.Errorf("generation = %d, want 2 (one spec change)", after.Generation)
	}
}

func TestDatabase_updateStatus_capsLists(t *testing.T) {
	ctx := context30s(t)
	ns := testEnv.CreateNamespace(t, "caps")
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Name: "orders", Namespace: ns},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Name: "shop"},
			SecretRef: meta.LocalObjectReference{Name: "orders-db"},
			Interval:  metav1.Duration{Duration: 5 * time.Minute},
		},
	}
	if err := testEnv.Client.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}
	obj.Status.Plan = &v1alpha1.PendingPlan{ID: "sha256:00", Statements: v1alpha1.MaxPlanSQL + 1}
	for i := 0; i < v1alpha1.MaxPlanSQL; i++ {
		obj.Status.Plan.SQL = append(obj.Status.Plan.SQL, fmt.Sprintf("SELECT %d;", i))
	}
	if err := testEnv.Client.Status().Update(ctx, obj); err != nil {
		t.Fatalf("plan of MaxPlanSQL statements refused: %v", err)
	}
	obj.Status.Plan.SQL = append(obj.Status.Plan.SQL, "SELECT;")
	err := testEnv.Client.Status().Update(ctx, obj)
	if err == nil || !strings.Contains(err.Error(), "status.plan.sql: Too many") {
		t.Errorf("plan of MaxPlanSQL+1 statements: err = %v, want Too many", err)
	}
}
