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
	"path/filepath"
	"testing"
	"time"

	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/fluxcd/pkg/runtime/logger"
	"github.com/spf13/pflag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

// TestRun_allowFileURLs: the agent run with --allow-file-urls fetches a file://
// source (Ready with its artifact); without the flag, which is off by default,
// the SchemaRepository controller stalls it with FileURLNotAllowed
// (TestSchemaRepositoryReconciler_stalled in reconcile/). Controller names are
// unique per process, so one agent runs here.
func TestRun_allowFileURLs(t *testing.T) {
	var defaults Options
	defaults.BindFlags(pflag.NewFlagSet("defaults", pflag.ContinueOnError))
	if defaults.AllowFileURLs {
		t.Fatal("--allow-file-urls is on by default")
	}

	ctrl.SetLogger(logger.NewLogger(logger.Options{LogEncoding: "console", LogLevel: "error"}))
	env := kubetest.Start(t)
	srv := gittest.NewServer(t, gittest.Options{})
	head := srv.CreateRepo(t, "schemas.git", map[string]string{"db/001.sql": "CREATE TABLE t (id int);\n"}, "main")
	ns := env.CreateNamespace(t, "fileurl")
	obj := &v1alpha1.SchemaRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "local"},
		Spec: v1alpha1.SchemaRepositorySpec{
			URL:       "file://" + filepath.ToSlash(filepath.Join(srv.Root(), "schemas.git")),
			Reference: &v1alpha1.GitRepositoryRef{Branch: "main"},
			Interval:  metav1.Duration{Duration: time.Minute},
		},
	}
	if err := env.Client.Create(context.Background(), obj); err != nil {
		t.Fatal(err)
	}

	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{"--health-addr=" + freeAddr(t), "--metrics-addr=0", "--storage-addr=" + freeAddr(t), "--storage-path=" + t.TempDir(), "--allow-file-urls"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, env.Config, opts) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent: %v", err)
		}
	}()
	eventually(t, 30*time.Second, func() error {
		got := &v1alpha1.SchemaRepository{}
		if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(obj), got); err != nil {
			return err
		}
		if !conditions.IsReady(got) || got.Status.Artifact == nil || got.Status.Artifact.Revision != "main@sha1:"+head {
			return fmt.Errorf("conditions %v", got.Status.Conditions)
		}
		return nil
	})
}

// Several tests of this package run the agent in the test process: controller
// names repeat across those managers.
func init() { skipControllerNameValidation = true }
