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
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

var update = flag.Bool("update", false, "rewrite docs/cli.md")

// TestDocs_upToDate generates the command reference from the command tree
// and compares it with docs/cli.md; -update rewrites the file.
func TestDocs_upToDate(t *testing.T) {
	got := cli.GenMarkdown(newRootCmd())
	path := filepath.Join("..", "..", "docs", "cli.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Error("docs/cli.md is stale: run go test ./cmd/schemactl -run TestDocs_upToDate -update")
	}
	for _, cmd := range []string{"get", "suspend", "resume", "reconcile", "export", "delete", "create source git", "create database", "create alert-provider", "create alert", "tree", "stats", "logs", "diff", "drift", "approve", "events", "version", "install", "check", "completion", "plan", "apply", "migrations", "migrations status", "adopt", "audit"} {
		if !strings.Contains(got, "\n## schemactl "+cmd+"\n") {
			t.Errorf("docs/cli.md has no section for %s", cmd)
		}
	}
}

// TestCommands_cluster runs the commands through the command tree against an
// API server (no agent: the test writes the status), checking flags, exit
// codes, errors and shell completion.
func TestCommands_cluster(t *testing.T) {
	env := kubetest.Start(t)
	kubeconfig := env.WriteKubeConfig(t)
	ctx := context.Background()
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}); err != nil {
		t.Fatal(err)
	}
	planID := "sha256:" + strings.Repeat("9f", 32)
	for _, name := range []string{"orders", "payments"} {
		db := &v1alpha1.Database{
			ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: name},
			Spec: v1alpha1.DatabaseSpec{
				SourceRef: v1alpha1.CrossNamespaceSourceReference{Name: "shop-schemas"}, SecretRef: meta.LocalObjectReference{Name: name},
				Interval: metav1.Duration{Duration: time.Minute},
			},
		}
		if err := env.Client.Create(ctx, db); err != nil {
			t.Fatal(err)
		}
		ready := metav1.Condition{Type: meta.ReadyCondition, Status: metav1.ConditionTrue, Reason: v1alpha1.InSyncReason, Message: "in sync with revision main@sha1:abc", LastTransitionTime: metav1.Now()}
		db.Status.ObservedGeneration = db.Generation
		db.Status.LastAppliedRevision = "main@sha1:abc"
		if name == "orders" {
			ready.Status, ready.Reason, ready.Message = metav1.ConditionFalse, v1alpha1.DestructiveBlockedReason, "plan "+planID+" is blocked"
			db.Status.Plan = &v1alpha1.PendingPlan{ID: planID, Statements: 1, Destructive: true, Hazards: []string{"DataLoss"}, SQL: []string{"ALTER TABLE public.orders DROP COLUMN extra"}}
			db.Status.Drift = &v1alpha1.DriftReport{DetectedAt: metav1.Now(), Count: 1, Changes: []v1alpha1.DriftChange{{Object: "column public.orders.extra", Change: "exists in the database, not in Git"}}}
		}
		db.Status.Conditions = []metav1.Condition{ready}
		if err := env.Client.Status().Update(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	schemactl := func(args ...string) (int, string, string) {
		t.Helper()
		return run(t, newRootCmd(), append([]string{"--kubeconfig", kubeconfig}, args...)...)
	}

	for _, tt := range []struct {
		args       []string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{[]string{"get", "databases", "-n", "shop"}, cli.ExitOK, "orders     False   plan sha256:9f9f9f9f9f9f… is blocked     main@sha1:abc   False     False ", ""},
		{[]string{"get", "db", "payments", "--namespace=shop"}, cli.ExitOK, "payments   True    in sync with revision main@sha1:abc", ""},
		{[]string{"get", "databases", "-A"}, cli.ExitOK, "NAMESPACE   NAME ", ""},
		{[]string{"get", "databases", "-n", "shop", "--watch", "--timeout", "1s"}, cli.ExitOK, "payments ", ""},
		{[]string{"get", "sources", "-n", "shop"}, cli.ExitOK, "", "no schemarepositories found in namespace \"shop\"\n"},
		{[]string{"get", "databases", "nope", "-n", "shop"}, cli.ExitFailure, "", "Error: Database \"nope\" not found in namespace \"shop\"\n"},
		{[]string{"get", "frobs"}, cli.ExitFailure, "", "Error: unknown kind \"frobs\": use one of sources, databases, alerts, alert-providers, databasesets\n"},
		{[]string{"get"}, cli.ExitFailure, "", "Error: accepts between 1 and 3 arg(s), received 0\n"},
		{[]string{"diff", "database", "orders", "-n", "shop"}, cli.ExitChanges, "ALTER TABLE public.orders DROP COLUMN extra;\n", ""},
		{[]string{"diff", "database", "payments", "-n", "shop"}, cli.ExitOK, "-- in sync: Database shop/payments", ""},
		{[]string{"drift", "database", "orders", "-n", "shop"}, cli.ExitChanges, "column public.orders.extra   exists in the database, not in Git\n", ""},
		{[]string{"approve", "database", "orders", "-n", "shop", "--plan", "sha256:" + strings.Repeat("0", 64)}, cli.ExitFailure, "", "Error: plan sha256:" + strings.Repeat("0", 64) + " is not the pending plan"},
		{[]string{"reconcile", "database", "payments", "-n", "shop", "--timeout", "1s"}, cli.ExitFailure, "", "Error: timed out after 1s waiting for Database shop/payments: the agent did not handle the reconcile request"},
		{[]string{"version"}, cli.ExitOK, "client: dev\nagent: not found\n", ""},
		{[]string{"check"}, cli.ExitFailure, "✔ databases.schemactl.dev (v1alpha1)\n", "Error: the agent is not installed: run schemactl install --export | kubectl apply -f -\n"},
		{[]string{"install", "--export"}, cli.ExitOK, "kind: CustomResourceDefinition\n", ""},
		{[]string{"events", "-n", "shop", "--for", "database/orders"}, cli.ExitOK, "", "no events found in namespace \"shop\"\n"},
		{[]string{"suspend", "database", "orders", "-n", "shop"}, cli.ExitOK, "✔ suspended Database shop/orders\n", ""},
		{[]string{"get", "databases", "-n", "shop", "-o", "name", "--status-selector", "ready=true"}, cli.ExitOK, "database.schemactl.dev/payments\n", ""},
		{[]string{"get", "all", "-n", "shop", "--no-header", "-l", "app=none"}, cli.ExitOK, "", "no objects found in namespace \"shop\"\n"},
		{[]string{"export", "database", "payments", "-n", "shop"}, cli.ExitOK, "---\napiVersion: schemactl.dev/v1alpha1\nkind: Database\nmetadata:\n  name: payments\n", ""},
		{[]string{"create", "source", "git", "s", "--url", "https://x", "--branch", "main", "--export", "-n", "shop"}, cli.ExitOK, "  ref:\n    branch: main\n", ""},
		{[]string{"tree", "database", "orders", "-n", "shop"}, cli.ExitOK, "└── Database/shop/orders  Ready=False", ""},
		{[]string{"stats", "-A", "--no-header"}, cli.ExitOK, "Database ", ""},
		{[]string{"logs", "-n", "shop"}, cli.ExitFailure, "", "Error: no agent pod (label app.kubernetes.io/name=schema-controller) in namespace \"schema-system\""},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := schemactl(tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errOut, tt.wantStderr) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\nwant stdout to contain %q and stderr %q", code, tt.wantCode, out, errOut, tt.wantOut, tt.wantStderr)
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		code, out, _ := schemactl("get", "databases", "-A", "-o", "json")
		var list struct {
			Kind  string              `json:"kind"`
			Items []v1alpha1.Database `json:"items"`
		}
		if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || list.Kind != "List" || len(list.Items) != 2 {
			t.Errorf("exit %d, %v, %+v", code, err, list)
		}
	})

	t.Run("completion", func(t *testing.T) {
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"get", ""}, "sources\ndatabases\nalerts\nalert-providers\ndatabasesets\n:4\n"},
			{[]string{"get", "databases", "-n", "shop", ""}, "orders\npayments\n:4\n"},
			{[]string{"-n", "shop", "suspend", "database", "p"}, "payments\n:4\n"},
			{[]string{"reconcile", ""}, "database\nsource\nalert\nalert-provider\ndatabaseset\n:4\n"},
			{[]string{"suspend", "source", "-n", "shop", ""}, "git\n:4\n"},
			{[]string{"get", "sources", "git", "-n", "shop", ""}, ":4\n"},
			{[]string{"diff", "database", "-n", "shop", ""}, "orders\npayments\n:4\n"},
			{[]string{"approve", "database", "orders", "-n", "shop", "--plan", ""}, planID + "\n:4\n"},
			{[]string{"events", "-n", "shop", "--for", "database/"}, "database/orders\ndatabase/payments\n:6\n"},
			{[]string{"get", "databases", "-n", "sh"}, "shop\n:4\n"},
			{[]string{"get", "databases", "-o", ""}, "table\nwide\nname\njson\nyaml\njsonpath=\njsonpath-file=\ngo-template=\ngo-template-file=\n:4\n"},
		} {
			code, out, errOut := schemactl(append([]string{"__complete"}, tt.args...)...)
			if code != 0 || out != tt.want {
				t.Errorf("__complete %v: exit %d, stdout %q, want %q; stderr %q", tt.args, code, out, tt.want, errOut)
			}
		}
		code, out, _ := run(t, newRootCmd(), "completion", "bash")
		if code != 0 || !strings.Contains(out, "__start_schemactl") {
			t.Errorf("completion bash: exit %d, %d bytes", code, len(out))
		}
	})

	t.Run("delete", func(t *testing.T) {
		// The question and its answers are tested in internal/cli, with
		// the input the test gives; here stdin is the test process's.
		code, out, errOut := schemactl("delete", "database", "payments", "-n", "shop", "--silent")
		if code != cli.ExitOK || out != "✔ deleted Database shop/payments\n" {
			t.Errorf("delete --silent: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
}
