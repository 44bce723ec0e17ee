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

// Package config_test checks the kustomize manifests of config/ against a
// real API server: they render, are accepted, and the Deployment passes the
// restricted Pod Security Standard.
package config_test

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

func kubectl(t *testing.T, stdin []byte, args ...string) (stdout, stderr string) {
	t.Helper()
	assets, err := kubetest.AssetsDir()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(assets, "kubectl"), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), errOut.String()
}

func TestDefault_apply_acceptedAndRestricted(t *testing.T) {
	env := kubetest.Start(t)
	kubeconfig := env.WriteKubeConfig(t)

	manifests, _ := kubectl(t, nil, "kustomize", "default")
	_, stderr := kubectl(t, []byte(manifests), "--kubeconfig", kubeconfig, "apply", "--server-side", "--field-manager=test", "-f", "-")
	if strings.Contains(stderr, "PodSecurity") {
		t.Errorf("the Deployment violates the namespace's Pod Security Standard:\n%s", stderr)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	deploy := &appsv1.Deployment{}
	if err := env.Client.Get(ctx, client.ObjectKey{Namespace: "schema-system", Name: "schema-controller"}, deploy); err != nil {
		t.Fatal(err)
	}
	c := deploy.Spec.Template.Spec.Containers[0]
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
		t.Errorf("container security context not hardened: %+v", sc)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
		t.Error("no resource requests")
	}
	if c.LivenessProbe == nil || c.ReadinessProbe == nil {
		t.Error("no probes")
	}
	if deploy.Spec.Template.Spec.ServiceAccountName != "schema-controller" {
		t.Errorf("serviceAccountName = %q", deploy.Spec.Template.Spec.ServiceAccountName)
	}

	binding := &rbacv1.ClusterRoleBinding{}
	if err := env.Client.Get(ctx, client.ObjectKey{Name: "schema-controller"}, binding); err != nil {
		t.Fatal(err)
	}
	if s := binding.Subjects[0]; s.Namespace != "schema-system" || s.Name != "schema-controller" {
		t.Errorf("ClusterRoleBinding subject = %+v", s)
	}
}
