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

// Package charts_test renders the Helm chart with the real helm binary (built
// from the Go module proxy into bin/ by hack/tools.sh helm) and checks it
// against the kustomize bases in config/, which are the one source of both.
package charts_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

const chartDir = "schema-controller"

// tool returns the path of a binary: bin/<name>, or the envtest assets' kubectl.
func tool(t *testing.T, name string) string {
	t.Helper()
	if name == "kubectl" {
		assets, err := kubetest.AssetsDir()
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(assets, "kubectl")
	}
	p, err := filepath.Abs(filepath.Join("..", "bin", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("bin/%s is missing: run hack/tools.sh %s (make test does): %v", name, name, err)
	}
	return p
}

// run runs a tool and returns its stdout; a failure returns stderr in the error.
func run(t *testing.T, stdin []byte, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool(t, name), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	// helm keeps its caches and config under HOME; the test owns them.
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+home, "HELM_CONFIG_HOME="+home, "HELM_DATA_HOME="+home)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.String(), errors.New(err.Error() + ": " + errOut.String())
	}
	return out.String(), nil
}

func mustRun(t *testing.T, stdin []byte, name string, args ...string) string {
	t.Helper()
	out, err := run(t, stdin, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out
}

// template renders the chart as release schema-controller in schema-system.
func template(t *testing.T, args ...string) string {
	t.Helper()
	return mustRun(t, nil, "helm", append([]string{"template", "schema-controller", chartDir, "--namespace", "schema-system", "--include-crds"}, args...)...)
}

func decode(t *testing.T, manifests string) []*unstructured.Unstructured {
	t.Helper()
	var objs []*unstructured.Unstructured
	d := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifests), 4096)
	for {
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return objs
			}
			t.Fatalf("decoding manifests: %v\n%s", err, manifests)
		}
		if m != nil {
			objs = append(objs, &unstructured.Unstructured{Object: m})
		}
	}
}

func key(o *unstructured.Unstructured) string {
	return o.GetKind() + "/" + o.GetNamespace() + "/" + o.GetName()
}

func index(t *testing.T, objs []*unstructured.Unstructured) map[string]*unstructured.Unstructured {
	t.Helper()
	m := map[string]*unstructured.Unstructured{}
	for _, o := range objs {
		if _, dup := m[key(o)]; dup {
			t.Errorf("%s rendered twice", key(o))
		}
		m[key(o)] = o
	}
	return m
}

func field(t *testing.T, o *unstructured.Unstructured, path ...string) any {
	t.Helper()
	v, ok, err := unstructured.NestedFieldNoCopy(o.Object, path...)
	if err != nil || !ok {
		t.Fatalf("%s has no %s (%v)", key(o), strings.Join(path, "."), err)
	}
	return v
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := yaml.Marshal(got)
		w, _ := yaml.Marshal(want)
		t.Errorf("%s differs\nchart:\n%s\nconfig/:\n%s", what, g, w)
	}
}

// With its default values the chart renders what config/default describes:
// the same CRDs, RBAC rules and bindings, and the same pod (image aside); and
// nothing else but the Namespace, which Helm leaves to --create-namespace.
func TestChart_defaultValuesAgreeWithKustomize(t *testing.T) {
	chart := index(t, decode(t, template(t)))
	kust := decode(t, mustRun(t, nil, "kubectl", "kustomize", filepath.Join("..", "config", "default")))
	seen := map[string]bool{}
	for _, k := range kust {
		if k.GetKind() == "Namespace" {
			continue
		}
		c, ok := chart[key(k)]
		if !ok {
			t.Errorf("config/default has %s, the chart does not", key(k))
			continue
		}
		seen[key(k)] = true
		for l, v := range k.GetLabels() {
			if c.GetLabels()[l] != v {
				t.Errorf("%s: label %s=%q in config/default, %q in the chart", key(k), l, v, c.GetLabels()[l])
			}
		}
		switch k.GetKind() {
		case "CustomResourceDefinition":
			equal(t, key(k), c.Object, k.Object)
		case "ClusterRole", "Role":
			equal(t, key(k)+" rules", field(t, c, "rules"), field(t, k, "rules"))
		case "ClusterRoleBinding", "RoleBinding":
			equal(t, key(k)+" roleRef", field(t, c, "roleRef"), field(t, k, "roleRef"))
			equal(t, key(k)+" subjects", field(t, c, "subjects"), field(t, k, "subjects"))
		case "ServiceAccount":
		case "Service":
			equal(t, key(k)+" spec", field(t, c, "spec"), field(t, k, "spec"))
		case "Deployment":
			equal(t, key(k)+" replicas", field(t, c, "spec", "replicas"), field(t, k, "spec", "replicas"))
			equal(t, key(k)+" selector", field(t, c, "spec", "selector"), field(t, k, "spec", "selector"))
			cpod := field(t, c, "spec", "template", "spec").(map[string]any)
			kpod := field(t, k, "spec", "template", "spec").(map[string]any)
			cimg := cpod["containers"].([]any)[0].(map[string]any)
			kimg := kpod["containers"].([]any)[0].(map[string]any)
			if got := cimg["image"]; got != "ghcr.io/schemactl/schema-controller:v0.1.0" {
				t.Errorf("chart image %v, want ghcr.io/schemactl/schema-controller:<appVersion>", got)
			}
			cimg["image"], kimg["image"] = nil, nil
			equal(t, key(k)+" pod spec", cpod, kpod)
		default:
			t.Errorf("the test does not know how to compare %s", key(k))
		}
	}
	for k := range chart {
		if !seen[k] {
			t.Errorf("the chart renders %s, config/default does not", k)
		}
	}
}

// The monitoring objects, when enabled, are those of config/monitoring.
func TestChart_monitoringAgreesWithConfig(t *testing.T) {
	chart := index(t, decode(t, template(t,
		"--set", "monitoring.podMonitor.enabled=true",
		"--set", "monitoring.prometheusRule.enabled=true",
		"--set", "monitoring.dashboard.enabled=true")))
	kust := decode(t, mustRun(t, nil, "kubectl", "kustomize", filepath.Join("..", "config", "monitoring")))
	if len(kust) != 3 {
		t.Fatalf("config/monitoring renders %d objects, the test expects 3", len(kust))
	}
	for _, k := range kust {
		name := k.GetName()
		c, ok := chart[key(k)]
		if !ok {
			t.Errorf("config/monitoring has %s, the chart does not (as %s)", key(k), name)
			continue
		}
		switch k.GetKind() {
		case "PodMonitor", "PrometheusRule":
			equal(t, key(k)+" spec", field(t, c, "spec"), field(t, k, "spec"))
		case "ConfigMap":
			equal(t, key(k)+" data", field(t, c, "data"), field(t, k, "data"))
			equal(t, key(k)+" grafana label", c.GetLabels()["grafana_dashboard"], "1")
		}
	}
	// Off by default: a cluster without the Prometheus Operator installs cleanly.
	for _, o := range decode(t, template(t)) {
		if o.GetAPIVersion() == "monitoring.coreos.com/v1" || o.GetKind() == "ConfigMap" {
			t.Errorf("default values render %s", key(o))
		}
	}
}

// Non-default values reach the objects they name.
func TestChart_values(t *testing.T) {
	objs := index(t, decode(t, template(t,
		"--set", "image.repository=registry.example/sc",
		"--set", "image.tag=v9.9.9",
		"--set", "replicas=3",
		"--set", "logLevel=debug",
		"--set", "watchAllNamespaces=false",
		"--set", "extraArgs={--concurrent=8,--no-cross-namespace-refs}",
		"--set", "extraEnv[0].name=SCHEMACTL_SCRATCH_URL",
		"--set", "extraEnv[0].valueFrom.secretKeyRef.name=scratch-admin",
		"--set", "extraEnv[0].valueFrom.secretKeyRef.key=url",
		"--set", "resources.limits.memory=1Gi",
		"--set", "serviceAccount.create=false",
		"--set", "serviceAccount.name=existing-sa",
		"--set", "nodeSelector.disk=ssd")))
	d := objs["Deployment/schema-system/schema-controller"]
	if d == nil {
		t.Fatal("no Deployment")
	}
	if _, ok := objs["ServiceAccount/schema-system/existing-sa"]; ok {
		t.Error("serviceAccount.create=false still renders a ServiceAccount")
	}
	equal(t, "replicas", fmt.Sprint(field(t, d, "spec", "replicas")), "3")
	pod := field(t, d, "spec", "template", "spec").(map[string]any)
	equal(t, "serviceAccountName", pod["serviceAccountName"], "existing-sa")
	equal(t, "nodeSelector", pod["nodeSelector"], map[string]any{"disk": "ssd"})
	c := pod["containers"].([]any)[0].(map[string]any)
	equal(t, "image", c["image"], "registry.example/sc:v9.9.9")
	equal(t, "args", c["args"], []any{
		"--watch-all-namespaces=false", "--log-level=debug", "--log-encoding=json",
		"--enable-leader-election", "--storage-path=/data", "--metrics-addr=:8080", "--health-addr=:9440",
		"--storage-addr=:9090", "--storage-adv-addr=schema-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.",
		"--concurrent=8", "--no-cross-namespace-refs",
	})
	env := c["env"].([]any)
	equal(t, "extra env", env[len(env)-1], map[string]any{"name": "SCHEMACTL_SCRATCH_URL",
		"valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "scratch-admin", "key": "url"}}})
	equal(t, "memory limit", c["resources"].(map[string]any)["limits"].(map[string]any)["memory"], "1Gi")
	for _, k := range []string{"ClusterRoleBinding//schema-controller", "RoleBinding/schema-system/schema-controller-leader-election"} {
		s := field(t, objs[k], "subjects").([]any)[0].(map[string]any)
		equal(t, k+" subject", s["name"], "existing-sa")
	}

	// A digest pins the image; leader election off drops the flag and the Role.
	objs = index(t, decode(t, template(t, "--set", "image.digest=sha256:0123", "--set", "leaderElection.enabled=false")))
	c = field(t, objs["Deployment/schema-system/schema-controller"], "spec", "template", "spec").(map[string]any)["containers"].([]any)[0].(map[string]any)
	equal(t, "image by digest", c["image"], "ghcr.io/schemactl/schema-controller@sha256:0123")
	for _, a := range c["args"].([]any) {
		if a == "--enable-leader-election" {
			t.Error("leaderElection.enabled=false still passes --enable-leader-election")
		}
	}
	if _, ok := objs["Role/schema-system/schema-controller-leader-election"]; ok {
		t.Error("leaderElection.enabled=false still renders the leader-election Role")
	}

	// Values that cannot work are refused with the reason.
	for _, bad := range []struct{ set, want string }{
		{"replicas=2,leaderElection.enabled=false", "replicas > 1 needs leaderElection.enabled"},
		{"serviceAccount.create=false", "serviceAccount.name is required"},
	} {
		_, err := run(t, nil, "helm", "template", "schema-controller", chartDir, "--set", bad.set)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("--set %s: error %v, want one saying %q", bad.set, err, bad.want)
		}
	}
	// A release with another name gets its own objects' names.
	other := index(t, decode(t, mustRun(t, nil, "helm", "template", "tenant-a", chartDir, "--namespace", "ops")))
	if _, ok := other["Deployment/ops/tenant-a-schema-controller"]; !ok {
		t.Errorf("release tenant-a: no Deployment ops/tenant-a-schema-controller, got %v", reflect.ValueOf(other).MapKeys())
	}
}

// What the chart renders, with default and with non-default values, is
// accepted by a real API server (server-side dry run, CRDs created first).
func TestChart_serverSideDryRun(t *testing.T) {
	env := kubetest.Start(t)
	kubeconfig := env.WriteKubeConfig(t)
	mustRun(t, nil, "kubectl", "--kubeconfig", kubeconfig, "create", "namespace", "schema-system")
	for _, args := range [][]string{
		nil,
		{"--set", "replicas=2", "--set", "image.tag=v9.9.9", "--set", "extraArgs={--concurrent=8}",
			"--set", "monitoring.dashboard.enabled=true", "--set", "serviceAccount.annotations.team=db"},
	} {
		out := mustRun(t, []byte(template(t, args...)), "kubectl", "--kubeconfig", kubeconfig,
			"apply", "--server-side", "--dry-run=server", "--field-manager=helm-test", "-f", "-")
		for _, want := range []string{"deployment.apps/schema-controller serverside-applied", "clusterrole.rbac.authorization.k8s.io/schema-controller serverside-applied"} {
			if !strings.Contains(out, want) {
				t.Errorf("values %v: kubectl apply said\n%s\nwant %q", args, out, want)
			}
		}
	}
}

// make manifests keeps the chart's copies of config/ fresh; a stale copy here
// means the chart would install something config/ no longer describes.
func TestChart_sharedFilesAreFresh(t *testing.T) {
	for copyPath, src := range map[string]string{
		"files/role.yaml":                 "../config/rbac/role.yaml",
		"files/leader_election_role.yaml": "../config/rbac/leader_election_role.yaml",
		"files/prometheusrule.yaml":       "../config/monitoring/prometheusrule.yaml",
		"files/dashboard.json":            "../config/monitoring/dashboard.json",
	} {
		sameFile(t, filepath.Join(chartDir, copyPath), src)
	}
	crds, err := filepath.Glob(filepath.Join("..", "config", "crd", "bases", "*.yaml"))
	if err != nil || len(crds) == 0 {
		t.Fatalf("no CRDs in config/crd/bases: %v", err)
	}
	copies, _ := filepath.Glob(filepath.Join(chartDir, "crds", "*.yaml"))
	if len(copies) != len(crds) {
		t.Errorf("chart has %d CRDs, config/crd/bases %d: run make manifests", len(copies), len(crds))
	}
	for _, c := range crds {
		sameFile(t, filepath.Join(chartDir, "crds", filepath.Base(c)), c)
	}
}

func sameFile(t *testing.T, copyPath, src string) {
	t.Helper()
	a, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("%s is not a copy of %s: run make manifests", copyPath, src)
	}
}
