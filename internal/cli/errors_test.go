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
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

// TestErrors_crdsNotInstalled runs the commands against an API server
// without the schemactl.dev CRDs.
func TestErrors_crdsNotInstalled(t *testing.T) {
	t.Parallel()
	assets, err := kubetest.AssetsDir()
	if err != nil {
		t.Fatal(err)
	}
	env := &envtest.Environment{BinaryAssetsDirectory: assets}
	if _, err := env.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, env.KubeConfig, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bare := func() (*cli.GlobalOptions, output) {
		g, out := globals(t, "default")
		*g.ConfigFlags.KubeConfig = kubeconfig
		return g, out
	}
	for name, run := range map[string]func(*cli.GlobalOptions) error{
		"get": func(g *cli.GlobalOptions) error {
			return cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, []string{"databases"})
		},
		"suspend": func(g *cli.GlobalOptions) error {
			return cli.Suspend(ctx, g, cli.SuspendOptions{}, []string{"database", "orders"})
		},
		"reconcile": func(g *cli.GlobalOptions) error {
			return cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"source", "x"})
		},
		"diff": func(g *cli.GlobalOptions) error { return cli.Diff(ctx, g, []string{"database", "orders"}) },
		"events": func(g *cli.GlobalOptions) error {
			return cli.Events(ctx, g, cli.EventsOptions{Output: cli.OutputTable})
		},
	} {
		g, _ := bare()
		if err := run(g); !errors.Is(err, cli.ErrCRDsNotInstalled) {
			t.Errorf("%s: %v, want %v", name, err, cli.ErrCRDsNotInstalled)
		}
	}
	g, out := bare()
	err = cli.Check(ctx, g, cli.CheckOptions{AgentOptions: cli.AgentOptions{Namespace: cli.DefaultAgentNamespace}})
	if !errors.Is(err, cli.ErrCRDsNotInstalled) || !strings.Contains(err.Error(), "the schemactl.dev CRDs are not installed: run schemactl install --export | kubectl apply -f -") {
		t.Errorf("check: %v", err)
	}
	if !strings.Contains(out.out.String(), "✗ databases.schemactl.dev (v1alpha1): not installed\n") {
		t.Errorf("check output:\n%s", out.out.String())
	}
}

// TestErrors_noCluster: no kubeconfig at all, and a cluster that does not
// answer.
func TestErrors_noCluster(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("apiVersion: v1\nkind: Config\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	g, _ := globals(t, "")
	*g.ConfigFlags.KubeConfig = empty
	err := cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, []string{"databases"})
	if err == nil || err.Error() != "no cluster configured: no kubeconfig found (pass --kubeconfig or set KUBECONFIG) and not running in a pod" {
		t.Errorf("no kubeconfig: %v", err)
	}

	closed := filepath.Join(dir, "closed")
	if err := os.WriteFile(closed, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: shop}}]
users: [{name: u, user: {token: t}}]
current-context: c
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, run := range map[string]func(*cli.GlobalOptions) error{
		"get": func(g *cli.GlobalOptions) error {
			return cli.Get(ctx, g, cli.GetOptions{Output: cli.OutputTable}, []string{"databases"})
		},
		"resume": func(g *cli.GlobalOptions) error {
			return cli.Resume(ctx, g, cli.ResumeOptions{Wait: true}, []string{"db", "x"})
		},
		"approve": func(g *cli.GlobalOptions) error {
			return cli.Approve(ctx, g, cli.ApproveOptions{}, []string{"database", "x"})
		},
		"check": func(g *cli.GlobalOptions) error { return cli.Check(ctx, g, cli.CheckOptions{}) },
	} {
		g, _ := globals(t, "")
		*g.ConfigFlags.KubeConfig = closed
		err := run(g)
		if err == nil || !strings.HasPrefix(err.Error(), "cannot reach the cluster at https://127.0.0.1:1: ") || !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("%s: %v", name, err)
		}
	}
	g, out := globals(t, "")
	*g.ConfigFlags.KubeConfig = closed
	mustRun(t, "version", out, cli.Version(ctx, g, cli.VersionOptions{}))
	if !strings.Contains(out.out.String(), "\nagent: unknown (cannot reach the cluster at https://127.0.0.1:1: ") {
		t.Errorf("version: %q", out.out.String())
	}
}
