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
	"strings"
	"testing"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
)

// TestDiff_golden prints the pending plans of Databases whose status the
// test wrote: one outside its apply window, one blocked (colored, too), one
// in sync and one never reconciled.
func TestDiff_golden(t *testing.T) {
	createGoldenObjects(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name, golden string
		color        bool
		wantCode     int
	}{
		{"orders", "diff-orders.golden", false, cli.ExitChanges},
		{"ledger", "diff-ledger.golden", false, cli.ExitChanges},
		{"ledger", "diff-ledger-color.golden", true, cli.ExitChanges},
		{"payments", "diff-payments.golden", false, cli.ExitOK},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			g, out := globals(t, "shop")
			g.Color = tt.color
			err := cli.Diff(ctx, g, []string{"database", tt.name})
			if code := cli.ExitCode(err); code != tt.wantCode || cli.Message(err) != "" {
				t.Errorf("exit code %d (%v), want %d", code, err, tt.wantCode)
			}
			golden(t, tt.golden, out.out.String())
		})
	}
	t.Run("not reconciled", func(t *testing.T) {
		ns := newNamespace(t)
		createStatic(t, staticDatabase(ns, "fresh", v1alpha1.DatabaseStatus{}, false))
		g, _ := globals(t, ns)
		err := cli.Diff(ctx, g, []string{"database", "fresh"})
		if cli.ExitCode(err) != cli.ExitFailure || !strings.Contains(err.Error(), "has not been reconciled yet") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("wrong kind", func(t *testing.T) {
		g, _ := globals(t, "shop")
		err := cli.Diff(ctx, g, []string{"source", "shop-schemas"})
		if err == nil || !strings.Contains(err.Error(), `unknown kind "source": use one of database`) {
			t.Errorf("error %v", err)
		}
	})
}

// TestDrift_golden prints the drift report of a Database whose status the
// test wrote, as in EXAMPLES.md, and as JSON.
func TestDrift_golden(t *testing.T) {
	createGoldenObjects(t)
	ctx := context.Background()
	g, out := globals(t, "shop")
	err := cli.Drift(ctx, g, cli.DriftOptions{Output: cli.OutputTable}, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitChanges {
		t.Errorf("exit code %d (%v), want %d", cli.ExitCode(err), err, cli.ExitChanges)
	}
	golden(t, "drift-orders.golden", out.out.String())
	if !strings.Contains(out.err.String(), "2 change(s) made outside Git since revision "+goldenRevision) {
		t.Errorf("stderr: %q", out.err.String())
	}

	g, out = globals(t, "shop")
	err = cli.Drift(ctx, g, cli.DriftOptions{Output: cli.OutputJSON}, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitChanges {
		t.Errorf("json: exit code %d", cli.ExitCode(err))
	}
	var report struct {
		Drifted bool                   `json:"drifted"`
		Count   int                    `json:"count"`
		Changes []v1alpha1.DriftChange `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out.out.String()), &report); err != nil || !report.Drifted || report.Count != 2 || len(report.Changes) != 2 {
		t.Errorf("json: %v %+v\n%s", err, report, out.out.String())
	}

	g, out = globals(t, "shop")
	if err := cli.Drift(ctx, g, cli.DriftOptions{Output: cli.OutputTable}, []string{"database", "payments"}); err != nil {
		t.Fatal(err)
	}
	if want := "✔ no drift: Database shop/payments holds the desired schema of revision " + goldenRevision + "\n"; out.out.String() != want {
		t.Errorf("no drift: %q, want %q", out.out.String(), want)
	}
}

// TestComplete_names completes kinds, object names, --for and --plan.
func TestComplete_names(t *testing.T) {
	createGoldenObjects(t)
	ctx := context.Background()
	g, _ := globals(t, "shop")
	if got := cli.CompleteKinds(cli.GetKinds, "a"); strings.Join(got, ",") != "alerts,alert-providers" {
		t.Errorf("kinds: %v", got)
	}
	for _, tt := range []struct {
		kind, prefix, want string
	}{
		{"databases", "", "fresh,ledger,orders,payments"},
		{"database", "p", "payments"},
		{"sources", "", "legacy,shop-schemas"},
		{"providers", "", "slack"},
		{"alerts", "x", ""},
	} {
		got, err := cli.CompleteNames(ctx, g, cli.GetKinds, tt.kind, tt.prefix)
		if err != nil || strings.Join(got, ",") != tt.want {
			t.Errorf("names of %s %q: %v %v, want %s", tt.kind, tt.prefix, got, err, tt.want)
		}
	}
	if got, err := cli.CompleteFor(ctx, g, "so"); err != nil || strings.Join(got, ",") != "source/" {
		t.Errorf("--for so: %v %v", got, err)
	}
	if got, err := cli.CompleteFor(ctx, g, "database/o"); err != nil || strings.Join(got, ",") != "database/orders" {
		t.Errorf("--for database/o: %v %v", got, err)
	}
	if got, err := cli.CompletePlan(ctx, g, []string{"database", "ledger"}); err != nil || strings.Join(got, ",") != goldenPlanID {
		t.Errorf("--plan: %v %v", got, err)
	}
	if got, err := cli.CompleteNamespaces(ctx, g, "sh"); err != nil || strings.Join(got, ",") != "shop" {
		t.Errorf("-n sh: %v %v", got, err)
	}
}
