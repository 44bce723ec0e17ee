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

package config_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// promtool returns the path of bin/promtool, built by hack/tools.sh promtool
// (make test builds it first).
func promtool(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "bin", "promtool"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("bin/promtool is missing: run hack/tools.sh promtool (make test does): %v", err)
	}
	return p
}

func runPromtool(t *testing.T, dir string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, promtool(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

type ruleGroup struct {
	Name  string `json:"name"`
	Rules []struct {
		Alert  string `json:"alert,omitempty"`
		Record string `json:"record,omitempty"`
		Expr   string `json:"expr"`
	} `json:"rules"`
}

// prometheusRule reads config/monitoring/prometheusrule.yaml and returns its
// spec, the rule file promtool reads.
func prometheusRule(t *testing.T) (spec []byte, groups []ruleGroup) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("monitoring", "prometheusrule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var obj struct {
		APIVersion string          `json:"apiVersion"`
		Kind       string          `json:"kind"`
		Metadata   json.RawMessage `json:"metadata"`
		Spec       json.RawMessage `json:"spec"`
	}
	if err := yaml.UnmarshalStrict(data, &obj); err != nil {
		t.Fatal(err)
	}
	if obj.APIVersion != "monitoring.coreos.com/v1" || obj.Kind != "PrometheusRule" {
		t.Fatalf("prometheusrule.yaml is %s %s", obj.APIVersion, obj.Kind)
	}
	var s struct {
		Groups []ruleGroup `json:"groups"`
	}
	if err := json.Unmarshal(obj.Spec, &s); err != nil {
		t.Fatal(err)
	}
	spec, err = yaml.JSONToYAML(obj.Spec)
	if err != nil {
		t.Fatal(err)
	}
	return spec, s.Groups
}

// The alerts are valid rules (promtool check rules) and each fires on the
// series that should fire it, only after its `for`, with the annotations
// expected (promtool test rules over testdata/rules_test.yaml).
func TestMonitoring_alertRules(t *testing.T) {
	spec, groups := prometheusRule(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rules.yaml"), spec, 0o600); err != nil {
		t.Fatal(err)
	}
	tests, err := os.ReadFile(filepath.Join("monitoring", "testdata", "rules_test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules_test.yaml"), tests, 0o600); err != nil {
		t.Fatal(err)
	}
	out := runPromtool(t, dir, "check", "rules", "rules.yaml")
	t.Log(out)
	out = runPromtool(t, dir, "test", "rules", "rules_test.yaml")
	t.Log(out)

	// Every alert has a unit test that expects it to fire.
	var cases struct {
		Tests []struct {
			AlertRuleTest []struct {
				Alertname string            `json:"alertname"`
				ExpAlerts []json.RawMessage `json:"exp_alerts"`
			} `json:"alert_rule_test"`
		} `json:"tests"`
	}
	if err := yaml.Unmarshal(tests, &cases); err != nil {
		t.Fatal(err)
	}
	fired := map[string]bool{}
	for _, tc := range cases.Tests {
		for _, a := range tc.AlertRuleTest {
			if len(a.ExpAlerts) > 0 {
				fired[a.Alertname] = true
			}
		}
	}
	known := knownMetrics(t)
	for _, g := range groups {
		for _, r := range g.Rules {
			if r.Alert != "" && !fired[r.Alert] {
				t.Errorf("alert %s has no test in testdata/rules_test.yaml where it fires", r.Alert)
			}
			checkMetricNames(t, "alert "+r.Alert, r.Expr, known)
		}
	}
}

// The dashboard is valid JSON of a Grafana dashboard whose queries are valid
// PromQL over metrics the agent exports.
func TestMonitoring_dashboard(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("monitoring", "dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID        string `json:"uid"`
		Title      string `json:"title"`
		Templating struct {
			List []struct {
				Name string `json:"name"`
			} `json:"list"`
		} `json:"templating"`
		Panels []struct {
			ID         int    `json:"id"`
			Title      string `json:"title"`
			Type       string `json:"type"`
			Datasource struct {
				Type string `json:"type"`
				UID  string `json:"uid"`
			} `json:"datasource"`
			GridPos struct{ X, Y, W, H int } `json:"gridPos"`
			Targets []struct {
				RefID string `json:"refId"`
				Expr  string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&dash); err != nil {
		t.Fatal(err)
	}
	if dash.UID == "" || dash.Title == "" || len(dash.Panels) == 0 {
		t.Fatalf("dashboard needs a uid, a title and panels: %+v", dash)
	}
	vars := map[string]bool{}
	for _, v := range dash.Templating.List {
		vars[v.Name] = true
	}
	if !vars["datasource"] || !vars["namespace"] {
		t.Errorf("dashboard variables %v: want datasource and namespace", vars)
	}
	known := knownMetrics(t)
	ids := map[int]bool{}
	var rules strings.Builder
	rules.WriteString("groups:\n  - name: dashboard\n    rules:\n")
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d twice", p.ID)
		}
		ids[p.ID] = true
		if p.Datasource.Type != "prometheus" || p.Datasource.UID != "${datasource}" {
			t.Errorf("panel %q: datasource %+v, want the ${datasource} variable", p.Title, p.Datasource)
		}
		if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q: grid position %+v", p.Title, p.GridPos)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			// Grafana's variables, replaced by what Grafana would put there.
			expr := strings.NewReplacer("$__rate_interval", "5m", "$namespace", ".*").Replace(q.Expr)
			checkMetricNames(t, fmt.Sprintf("panel %q", p.Title), expr, known)
			fmt.Fprintf(&rules, "      - record: panel_%d_%s\n        expr: %s\n", p.ID, q.RefID, strconv.Quote(expr))
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dashboard.rules.yaml"), []byte(rules.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	runPromtool(t, dir, "check", "rules", "dashboard.rules.yaml")
}

// The kustomization renders the PodMonitor, the PrometheusRule and the
// dashboard's ConfigMap for Grafana's sidecar.
func TestMonitoring_kustomize(t *testing.T) {
	out, _ := kubectl(t, nil, "kustomize", "monitoring")
	for _, want := range []string{"kind: PodMonitor", "kind: PrometheusRule", "kind: ConfigMap", "grafana_dashboard: \"1\"",
		"schema-controller.json:", "namespace: schema-system", "port: http-prom"} {
		if !strings.Contains(out, want) {
			t.Errorf("kustomize monitoring: no %q in\n%s", want, out)
		}
	}
	// The PodMonitor selects the pods of the Deployment, on its metrics port.
	dep, err := os.ReadFile(filepath.Join("manager", "deployment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dep), "app: schema-controller") || !strings.Contains(string(dep), "name: http-prom") {
		t.Errorf("config/manager/deployment.yaml no longer has the label app: schema-controller or the port http-prom the PodMonitor selects")
	}
}

var metricName = regexp.MustCompile(`\b(gotk|schemactl)_[a-z_]+\b`)

// checkMetricNames fails when expr names a metric the agent does not export.
func checkMetricNames(t *testing.T, what, expr string, known map[string]bool) {
	t.Helper()
	for _, m := range metricName.FindAllString(expr, -1) {
		base := m
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(m, suffix); ok && known[b] {
				base = b
			}
		}
		if !known[base] {
			t.Errorf("%s: metric %s is not exported by the agent (known: %v)", what, m, keys(known))
		}
	}
}

// knownMetrics returns the metrics the agent exports: those the Go code of
// this repository names (string literals schemactl_*), and Flux's gotk_*
// metrics of fluxcd/pkg/runtime.
func knownMetrics(t *testing.T) map[string]bool {
	t.Helper()
	known := map[string]bool{"gotk_reconcile_condition": true, "gotk_suspend_status": true, "gotk_reconcile_duration_seconds": true}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bin" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if k, ok := kv.Key.(*ast.Ident); !ok || k.Name != "Name" {
				return true
			}
			if lit, ok := kv.Value.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && strings.HasPrefix(s, "schemactl_") {
					known[s] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return known
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
