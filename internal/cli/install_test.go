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
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	fluxmeta "github.com/fluxcd/pkg/apis/meta"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/version"
)

// TestInstall_export prints the manifests: every object of config/default,
// with the agent's image set; -n and --components change what is printed.
func TestInstall_export(t *testing.T) {
	ctx := context.Background()
	if n := strings.Count(cli.Manifests(""), "image: "+cli.ManifestImage+"\n"); n != 1 {
		t.Fatalf("the manifests hold the agent's image %d times, want once", n)
	}
	g, out := globals(t, "")
	if err := cli.Install(ctx, g, cli.InstallOptions{Export: true, Image: "registry.example/schema-controller:v0.3.1", Components: cli.InstallComponents}); err != nil {
		t.Fatal(err)
	}
	if out.out.String() != cli.Manifests("registry.example/schema-controller:v0.3.1") {
		t.Error("install --export does not print the embedded manifests as they are")
	}
	kinds, deploy := manifestKinds(t, out.out.String())
	for _, k := range []string{"Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("no %s in the manifests (kinds: %v)", k, kinds)
		}
	}
	if n := strings.Count(strings.Join(kinds, " "), "CustomResourceDefinition"); n != 5 {
		t.Errorf("%d CRDs, want 5", n)
	}
	if deploy == nil || deploy.Namespace != cli.DefaultAgentNamespace || deploy.Spec.Template.Spec.Containers[0].Image != "registry.example/schema-controller:v0.3.1" {
		t.Errorf("Deployment: %+v", deploy)
	}

	// -n moves every namespaced object, the Namespace and the subjects.
	g, out = globals(t, "db-agent")
	if err := cli.Install(ctx, g, cli.InstallOptions{Export: true, Components: cli.InstallComponents}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.out.String(), cli.DefaultAgentNamespace) {
		t.Errorf("install --export -n db-agent still names %s", cli.DefaultAgentNamespace)
	}
	kinds, deploy = manifestKinds(t, out.out.String())
	if deploy == nil || deploy.Namespace != "db-agent" || len(kinds) != 13 || !strings.Contains(out.out.String(), "  name: db-agent\n") {
		t.Errorf("-n db-agent: kinds %v, Deployment %+v", kinds, deploy)
	}

	// --components crds prints the CRDs only.
	g, out = globals(t, "")
	if err := cli.Install(ctx, g, cli.InstallOptions{Export: true, Components: []string{cli.ComponentCRDs}}); err != nil {
		t.Fatal(err)
	}
	if kinds, _ := manifestKinds(t, out.out.String()); strings.Join(kinds, ",") != strings.Repeat("CustomResourceDefinition,", 4)+"CustomResourceDefinition" {
		t.Errorf("--components crds: %v", kinds)
	}
	g, _ = globals(t, "")
	if err := cli.Install(ctx, g, cli.InstallOptions{Export: true, Components: []string{"webhooks"}}); err == nil || !strings.Contains(err.Error(), `unknown component "webhooks"`) {
		t.Errorf("--components webhooks: %v", err)
	}
}

// manifestKinds returns the kinds of a multi-document YAML and its
// Deployment.
func manifestKinds(t *testing.T, docs string) ([]string, *appsv1.Deployment) {
	t.Helper()
	var kinds []string
	var deploy *appsv1.Deployment
	for doc := range strings.SplitSeq(strings.TrimPrefix(docs, "---\n"), "\n---\n") {
		var obj metav1.PartialObjectMetadata
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
			t.Fatal(err)
		}
		if obj.Kind == "" {
			continue
		}
		kinds = append(kinds, obj.Kind)
		if obj.Kind == "Deployment" {
			deploy = &appsv1.Deployment{}
			if err := yaml.Unmarshal([]byte(doc), deploy); err != nil {
				t.Fatal(err)
			}
		}
	}
	return kinds, deploy
}

// TestInstall_applyWaitUninstall installs into a namespace of its own with
// server-side apply, waits for the Deployment (whose status the test
// writes: envtest runs no controllers), installs again (an upgrade), and
// uninstalls, which keeps the CRDs, the objects and the namespace.
func TestInstall_applyWaitUninstall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := "schemactl-install-test"
	g, out := globals(t, ns)
	g.Timeout = 10 * time.Second
	err := cli.Install(ctx, g, cli.InstallOptions{Image: "registry.example/schema-controller:v0.3.1", Components: cli.InstallComponents, Wait: true})
	if err == nil || !strings.Contains(err.Error(), "waiting for deployment "+ns+"/schema-controller: 0/1 replicas updated, 0 available") {
		t.Fatalf("install without a running agent: %v\n%s", err, out.err.String())
	}
	deploy := &appsv1.Deployment{}
	if err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "schema-controller"}, deploy); err != nil {
		t.Fatal(err)
	}
	if deploy.Spec.Template.Spec.Containers[0].Image != "registry.example/schema-controller:v0.3.1" {
		t.Errorf("image %s", deploy.Spec.Template.Spec.Containers[0].Image)
	}
	var crb rbacv1.ClusterRoleBinding
	if err := testClient.Get(ctx, client.ObjectKey{Name: "schema-controller"}, &crb); err != nil || crb.Subjects[0].Namespace != ns {
		t.Errorf("ClusterRoleBinding subjects %+v, %v", crb.Subjects, err)
	}

	// The agent becomes available while install waits.
	g, out = globals(t, ns)
	done := make(chan error, 1)
	go func() {
		done <- cli.Install(ctx, g, cli.InstallOptions{Components: cli.InstallComponents, Wait: true})
	}()
	eventually(t, 20*time.Second, func() bool {
		if err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "schema-controller"}, deploy); err != nil {
			return false
		}
		return deploy.Spec.Template.Spec.Containers[0].Image == cli.DefaultImage()
	})
	deploy.Status = appsv1.DeploymentStatus{ObservedGeneration: deploy.Generation, Replicas: 1, UpdatedReplicas: 1, ReadyReplicas: 1, AvailableReplicas: 1}
	if err := testClient.Status().Update(ctx, deploy); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("install: %v\n%s", err, out.err.String())
	}
	if want := "✔ deployment " + ns + "/schema-controller is ready: 1/1 replicas available\n"; !strings.HasSuffix(out.out.String(), want) {
		t.Errorf("install: stdout %q", out.out.String())
	}
	owners := map[string]bool{}
	for _, m := range deploy.ManagedFields {
		owners[m.Manager] = true
	}
	if !owners[cli.FieldOwner] {
		t.Errorf("managers %v", owners)
	}

	// uninstall without confirmation does nothing; with --silent it deletes
	// the agent and keeps the CRDs and the namespace.
	g, _ = globals(t, ns)
	g.Streams.In = strings.NewReader("n\n")
	if err := cli.Uninstall(ctx, g, cli.UninstallOptions{}); err == nil || !strings.Contains(err.Error(), "not confirmed") {
		t.Errorf("uninstall, answer n: %v", err)
	}
	g, out = globals(t, ns)
	mustRun(t, "uninstall", out, cli.Uninstall(ctx, g, cli.UninstallOptions{Silent: true}))
	if err := testClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: "schema-controller"}, &appsv1.Deployment{}); !apierrors.IsNotFound(err) {
		t.Errorf("Deployment after uninstall: %v", err)
	}
	if err := testClient.Get(ctx, client.ObjectKey{Name: ns}, &corev1.Namespace{}); err != nil {
		t.Errorf("namespace after uninstall: %v", err)
	}
	crd := &unstructured.Unstructured{}
	crd.SetGroupVersionKind(schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"})
	if err := testClient.Get(ctx, client.ObjectKey{Name: "databases.schemactl.dev"}, crd); err != nil {
		t.Errorf("CRD after uninstall: %v", err)
	}
	if !strings.Contains(out.out.String(), "✔ deleted Deployment "+ns+"/schema-controller\n") || strings.Contains(out.out.String(), "CustomResourceDefinition") {
		t.Errorf("uninstall: %s", out.out.String())
	}
}

// TestCheck_pre checks the prerequisites as the envtest administrator: all
// allowed, a recent Kubernetes.
func TestCheck_pre(t *testing.T) {
	t.Parallel()
	g, out := globals(t, "")
	mustRun(t, "check --pre", out, cli.Check(context.Background(), g, cli.CheckOptions{Pre: true}))
	for _, want := range []string{"✔ Kubernetes v1.37.2 >=" + cli.MinKubernetesVersion, "✔ create customresourcedefinitions.apiextensions.k8s.io: allowed", "✔ create deployments.apps in namespace schema-system: allowed", "✔ prerequisites checks passed"} {
		if !strings.Contains(out.out.String(), want) {
			t.Errorf("check --pre lacks %q:\n%s", want, out.out.String())
		}
	}
}

func TestInstall_defaultImageFollowsRelease(t *testing.T) {
	old := version.Version
	t.Cleanup(func() { version.Version = old })
	for v, want := range map[string]string{
		"v0.3.1":            "ghcr.io/schemactl/schema-controller:v0.3.1",
		"v1.0.0-rc.1":       "ghcr.io/schemactl/schema-controller:v1.0.0-rc.1",
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
		for _, crd := range []string{"schemarepositories", "databases", "alertproviders", "alertrules", "databasesets"} {
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

// TestUninstall_resourcesCRDsNamespace runs `uninstall --crds
// --delete-namespace` (which implies --resources) against an API server of
// its own, since it removes what other tests share: every object of our
// kinds goes (their finalizers removed first), then the agent, the CRDs and
// the namespace.
func TestUninstall_resourcesCRDsNamespace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := kubetest.Start(t)
	g, out := globals(t, "schemactl-uninstall")
	*g.ConfigFlags.KubeConfig = env.WriteKubeConfig(t)
	if err := cli.Install(ctx, g, cli.InstallOptions{Components: cli.InstallComponents}); err != nil {
		t.Fatalf("install: %v\n%s", err, out.err.String())
	}
	tenant := env.CreateNamespace(t, "tenant")
	objs := []client.Object{
		&v1alpha1.SchemaRepository{ObjectMeta: metav1.ObjectMeta{Name: "repo", Namespace: tenant, Finalizers: []string{"finalizers.schemactl.dev"}},
			Spec: v1alpha1.SchemaRepositorySpec{URL: "https://git.example/schema.git", Interval: metav1.Duration{Duration: time.Minute}}},
		&v1alpha1.AlertProvider{ObjectMeta: metav1.ObjectMeta{Name: "hook", Namespace: tenant, Finalizers: []string{"finalizers.schemactl.dev"}},
			Spec: v1alpha1.AlertProviderSpec{Type: "generic", SecretRef: fluxmeta.LocalObjectReference{Name: "hook"}}},
	}
	for _, o := range objs {
		if err := env.Client.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}

	g.Streams.In = strings.NewReader("y\n")
	if err := cli.Uninstall(ctx, g, cli.UninstallOptions{CRDs: true, DeleteNamespace: true}); err != nil {
		t.Fatalf("uninstall --crds --delete-namespace: %v\n%s", err, out.err.String())
	}
	for _, o := range objs {
		err := env.Client.Get(ctx, client.ObjectKeyFromObject(o), o)
		if !apierrors.IsNotFound(err) && !meta.IsNoMatchError(err) {
			t.Errorf("%T %s after uninstall: %v", o, o.GetName(), err)
		}
	}
	for _, name := range []string{"databases.schemactl.dev", "schemarepositories.schemactl.dev", "alertproviders.schemactl.dev", "alertrules.schemactl.dev", "databasesets.schemactl.dev"} {
		crd := &unstructured.Unstructured{}
		crd.SetGroupVersionKind(schema.GroupVersionKind{Group: "apiextensions.k8s.io", Version: "v1", Kind: "CustomResourceDefinition"})
		err := env.Client.Get(ctx, client.ObjectKey{Name: name}, crd)
		if err == nil && crd.GetDeletionTimestamp() == nil {
			t.Errorf("CRD %s is still there and not being deleted", name)
		} else if err != nil && !apierrors.IsNotFound(err) {
			t.Errorf("CRD %s: %v", name, err)
		}
	}
	// envtest runs no namespace controller: the namespace is being deleted.
	ns := &corev1.Namespace{}
	if err := env.Client.Get(ctx, client.ObjectKey{Name: "schemactl-uninstall"}, ns); err == nil && ns.DeletionTimestamp == nil {
		t.Error("the agent's namespace is not being deleted")
	}
	if err := env.Client.Get(ctx, client.ObjectKey{Name: "schema-controller"}, &rbacv1.ClusterRole{}); !apierrors.IsNotFound(err) {
		t.Errorf("ClusterRole after uninstall: %v", err)
	}
	for _, want := range []string{"✔ deleted SchemaRepository " + tenant + "/repo", "✔ deleted CustomResourceDefinition databases.schemactl.dev", "✔ deleted Namespace schemactl-uninstall"} {
		if !strings.Contains(out.out.String(), want) {
			t.Errorf("uninstall output lacks %q:\n%s", want, out.out.String())
		}
	}
}
