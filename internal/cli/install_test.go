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
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/version"
)

// TestInstall_export prints the manifests: every object of config/default,
// with the agent's image set.
func TestInstall_export(t *testing.T) {
	var b bytes.Buffer
	if err := cli.Install(&b, cli.InstallOptions{}); err == nil || !strings.Contains(err.Error(), "schemactl install --export | kubectl apply -f -") {
		t.Errorf("install without --export: %v", err)
	}
	if n := strings.Count(cli.Manifests(""), "image: "+cli.ManifestImage+"\n"); n != 1 {
		t.Fatalf("the manifests hold the agent's image %d times, want once", n)
	}
	if err := cli.Install(&b, cli.InstallOptions{Export: true, Image: "registry.example/schema-controller:v0.3.1"}); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var deploy *appsv1.Deployment
	for doc := range strings.SplitSeq(b.String(), "\n---\n") {
		var obj metav1.PartialObjectMetadata
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, obj.Kind)
		if obj.Kind == "Deployment" {
			deploy = &appsv1.Deployment{}
			if err := yaml.Unmarshal([]byte(doc), deploy); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, k := range []string{"Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("no %s in the manifests (kinds: %v)", k, kinds)
		}
	}
	if n := strings.Count(strings.Join(kinds, " "), "CustomResourceDefinition"); n != 4 {
		t.Errorf("%d CRDs, want 4", n)
	}
	if deploy == nil || deploy.Namespace != cli.DefaultAgentNamespace || deploy.Spec.Template.Spec.Containers[0].Image != "registry.example/schema-controller:v0.3.1" {
		t.Errorf("Deployment: %+v", deploy)
	}
}

func TestInstall_defaultImageFollowsRelease(t *testing.T) {
	old := version.Version
	t.Cleanup(func() { version.Version = old })
	for v, want := range map[string]string{
		"v0.3.1":            "schema-controller:v0.3.1",
		"v1.0.0-rc.1":       "schema-controller:v1.0.0-rc.1",
		"dev":               cli.ManifestImage,
		"69f7eb3-dirty":     cli.ManifestImage,
		"v0.3.1-2-g69f7eb3": cli.ManifestImage,
		"v0.3.1-dirty":      cli.ManifestImage,
	} {
		version.Version = v
		if got := cli.DefaultImage(); got != want {
			t.Errorf("version %s: image %s, want %s", v, got, want)
		}
	}
}

// TestVersionCheck_agent: version and check without an agent, with one that
// is not available, and with one running.
func TestVersionCheck_agent(t *testing.T) {
	ctx := context.Background()
	g, out := globals(t, "default")
	mustRun(t, "version --client", out, cli.Version(ctx, g, cli.VersionOptions{Client: true}))
	if want := "client: " + version.Version + "\n"; out.out.String() != want {
		t.Errorf("version --client: %q, want %q", out.out.String(), want)
	}
	g, out = globals(t, "default")
	mustRun(t, "version", out, cli.Version(ctx, g, cli.VersionOptions{AgentOptions: cli.AgentOptions{Namespace: cli.DefaultAgentNamespace}}))
	if want := "client: " + version.Version + "\nagent: not found\n"; out.out.String() != want {
		t.Errorf("version without an agent: %q, want %q", out.out.String(), want)
	}
	check := func(wantErr string) string {
		t.Helper()
		g, out := globals(t, "default")
		err := cli.Check(ctx, g, cli.CheckOptions{AgentOptions: cli.AgentOptions{Namespace: cli.DefaultAgentNamespace}})
		switch {
		case wantErr == "" && err != nil:
			t.Errorf("check: %v\n%s", err, out.out.String())
		case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("check: error %v, want %q\n%s", err, wantErr, out.out.String())
		}
		for _, crd := range []string{"schemarepositories", "databases", "alertproviders", "alertrules"} {
			if !strings.Contains(out.out.String(), "✔ "+crd+".schemactl.dev (v1alpha1)\n") {
				t.Errorf("check does not report the CRD %s:\n%s", crd, out.out.String())
			}
		}
		return out.out.String()
	}
	if s := check("the agent is not installed"); !strings.Contains(s, "✗ no schema-controller Deployment found") || !strings.HasPrefix(s, "✔ Kubernetes v1.37.2 at ") {
		t.Errorf("check without an agent:\n%s", s)
	}

	// The agent's Deployment, as config/default installs it; envtest runs no
	// controllers, so the test writes its status.
	if err := testClient.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: cli.DefaultAgentNamespace}}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	labels := map[string]string{"app": "schema-controller", "app.kubernetes.io/name": "schema-controller"}
	deploy := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Namespace: cli.DefaultAgentNamespace, Name: "schema-controller", Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "schema-controller"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{
					{Name: "manager", Image: "registry.example/schema-controller:v0.3.1@sha256:" + strings.Repeat("0", 64)},
				}},
			},
		},
	}
	if err := testClient.Create(ctx, deploy); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = testClient.Delete(context.Background(), deploy) })
	g, out = globals(t, "default")
	mustRun(t, "version", out, cli.Version(ctx, g, cli.VersionOptions{AgentOptions: cli.AgentOptions{Namespace: "elsewhere"}}))
	if want := "client: " + version.Version + "\nagent: v0.3.1 (deployment schema-system/schema-controller)\n"; out.out.String() != want {
		t.Errorf("version: %q, want %q", out.out.String(), want)
	}
	if s := check("the agent is not running"); !strings.Contains(s, "✗ deployment schema-system/schema-controller (version v0.3.1): not running: 0/1 replicas available") {
		t.Errorf("check with an agent not running:\n%s", s)
	}
	deploy.Status.Replicas, deploy.Status.ReadyReplicas, deploy.Status.AvailableReplicas = 1, 1, 1
	if err := testClient.Status().Update(ctx, deploy); err != nil {
		t.Fatal(err)
	}
	if s := check(""); !strings.Contains(s, "✔ deployment schema-system/schema-controller (version v0.3.1): 1/1 replicas available\n✔ all checks passed\n") {
		t.Errorf("check with a running agent:\n%s", s)
	}
}
