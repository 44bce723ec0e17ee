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
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/fluxcd/pkg/runtime/logger"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/fluxtest"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestRun_fluxNotInstalled: the agent runs in a cluster without Flux. A Database
// whose sourceRef is a GitRepository waits with SourceKindNotInstalled and the
// agent keeps running (no watch of a kind the API server does not serve). Once
// Flux's CRDs are installed the agent watches GitRepositories, and the artifact
// of one applies without waiting for the Database's interval (an hour).
func TestRun_fluxNotInstalled(t *testing.T) {
	defer pgtest.UseShared()()
	ctrl.SetLogger(logger.NewLogger(logger.Options{LogEncoding: "console", LogLevel: "error"}))
	env := kubetest.Start(t)
	ns := env.CreateNamespace(t, "noflux")
	ctx := context.Background()
	url := pgtest.Shared(t).NewDatabase(t)
	if err := env.Client.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"},
		Data: map[string][]byte{"url": []byte(url)}}); err != nil {
		t.Fatal(err)
	}
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "orders"},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "schemas"},
			SecretRef: meta.LocalObjectReference{Name: "db"},
			Interval:  metav1.Duration{Duration: time.Hour},
			Timeout:   &metav1.Duration{Duration: 30 * time.Second},
		},
	}
	if err := env.Client.Create(ctx, obj); err != nil {
		t.Fatal(err)
	}

	old := fluxKindsPollInterval
	fluxKindsPollInterval = 500 * time.Millisecond
	defer func() { fluxKindsPollInterval = old }()
	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{"--health-addr=" + freeAddr(t), "--metrics-addr=0", "--storage-addr=" + freeAddr(t), "--storage-path=" + t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(runCtx, env.Config, opts) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent: %v", err)
		}
	}()
	getDB := func() (*v1alpha1.Database, error) {
		select {
		case err := <-done:
			t.Fatalf("the agent stopped: %v", err)
		default:
		}
		got := &v1alpha1.Database{}
		return got, env.Client.Get(ctx, client.ObjectKeyFromObject(obj), got)
	}
	eventually(t, 60*time.Second, func() error {
		got, err := getDB()
		if err != nil {
			return err
		}
		if r := conditions.GetReason(got, meta.ReadyCondition); r != v1alpha1.SourceKindNotInstalledReason {
			return fmt.Errorf("ready reason %q, conditions %v", r, got.Status.Conditions)
		}
		if msg := conditions.GetMessage(got, meta.ReadyCondition); !strings.Contains(msg, "GitRepository.source.toolkit.fluxcd.io is not served by the API server") {
			return fmt.Errorf("message %q", msg)
		}
		return nil
	})
	// Still running a while later.
	time.Sleep(2 * time.Second)
	if _, err := getDB(); err != nil {
		t.Fatal(err)
	}

	// Flux is installed; source-controller publishes an artifact.
	dir, err := kubetest.FluxSourceCRDDirectory()
	if err != nil {
		t.Fatal(err)
	}
	if err := env.InstallCRDs(dir); err != nil {
		t.Fatal(err)
	}
	srv := fluxtest.NewArtifactServer(t)
	data := fluxtest.Tarball(t, map[string]string{"001_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n"})
	repo := &sourcev1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "schemas"},
		Spec:       sourcev1.GitRepositorySpec{URL: "https://git.example.com/acme/schemas", Interval: metav1.Duration{Duration: time.Minute}},
	}
	if err := env.Client.Create(ctx, repo); err != nil {
		t.Fatal(err)
	}
	revision := "main@sha1:" + strings.Repeat("ab", 20)
	repo.Status.Artifact = &meta.Artifact{Path: "a.tar.gz", URL: srv.Put("/a.tar.gz", data), Revision: revision,
		Digest: fluxtest.Digest(data), LastUpdateTime: metav1.Now()}
	if err := env.Client.Status().Update(ctx, repo); err != nil {
		t.Fatal(err)
	}
	eventually(t, 60*time.Second, func() error {
		got, err := getDB()
		if err != nil {
			return err
		}
		if !conditions.IsReady(got) || got.Status.LastAppliedRevision != revision {
			return fmt.Errorf("conditions %v, applied %q", got.Status.Conditions, got.Status.LastAppliedRevision)
		}
		return nil
	})
}
