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
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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
	"github.com/schemactl/schema-controller/source"
)

// TestRun_servesArtifacts: the agent run with --storage-addr and
// --storage-adv-addr sets status.artifact.url of a Ready SchemaRepository to
// http://<adv>/schemarepository/<namespace>/<name>/<hex>.tar.gz and
// status.artifact.archiveDigest to the digest of what a GET of it returns;
// source.FetchArchive (the consumer of Flux artifacts) fetches and verifies it
// and extracts the files the agent stored, with the same content digest
// (status.artifact.digest). Listings and traversal are 404.
func TestRun_servesArtifacts(t *testing.T) {
	ctrl.SetLogger(logger.NewLogger(logger.Options{LogEncoding: "console", LogLevel: "error"}))
	env := kubetest.Start(t)
	srv := gittest.NewServer(t, gittest.Options{})
	srv.CreateRepo(t, "schemas.git", map[string]string{
		"db/001.sql": "CREATE TABLE t (id int);\n",
		"db/002.sql": "CREATE TABLE u (id int);\n",
	}, "main")
	ns := env.CreateNamespace(t, "artifacts")
	obj := &v1alpha1.SchemaRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "schemas"},
		Spec: v1alpha1.SchemaRepositorySpec{
			URL:       "file://" + filepath.ToSlash(filepath.Join(srv.Root(), "schemas.git")),
			Reference: &v1alpha1.GitRepositoryRef{Branch: "main"},
			Interval:  metav1.Duration{Duration: time.Minute},
		},
	}
	if err := env.Client.Create(context.Background(), obj); err != nil {
		t.Fatal(err)
	}

	storageAddr, storagePath := freeAddr(t), t.TempDir()
	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{"--health-addr=" + freeAddr(t), "--metrics-addr=0", "--storage-path=" + storagePath,
		"--allow-file-urls", "--storage-addr=" + storageAddr, "--storage-adv-addr=" + storageAddr}); err != nil {
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
	var art *v1alpha1.Artifact
	eventually(t, 60*time.Second, func() error {
		got := &v1alpha1.SchemaRepository{}
		if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(obj), got); err != nil {
			return err
		}
		if !conditions.IsReady(got) || got.Status.Artifact == nil || got.Status.Artifact.URL == "" {
			return fmt.Errorf("conditions %v, artifact %+v", got.Status.Conditions, got.Status.Artifact)
		}
		art = got.Status.Artifact
		return nil
	})

	prefix := "http://" + storageAddr + "/schemarepository/" + ns + "/schemas/"
	hexDigest, ok := strings.CutPrefix(art.ArchiveDigest, "sha256:")
	if !ok || art.URL != prefix+hexDigest+".tar.gz" {
		t.Fatalf("url %q, archiveDigest %q: want %s<hex of archiveDigest>.tar.gz", art.URL, art.ArchiveDigest, prefix)
	}
	if art.Digest == art.ArchiveDigest {
		t.Errorf("digest and archiveDigest are both %s: digest is the files', archiveDigest the tarball's", art.Digest)
	}

	code, body := getBody(t, art.URL)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", art.URL, code)
	}
	if sum := sha256.Sum256(body); "sha256:"+hex.EncodeToString(sum[:]) != art.ArchiveDigest {
		t.Fatalf("GET %s: content has digest sha256:%x, status says %s", art.URL, sum, art.ArchiveDigest)
	}

	consumer, err := source.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fetched, err := consumer.FetchArchive(context.Background(), nil, "consumer/schemas", art.Revision, art.URL, art.ArchiveDigest)
	if err != nil {
		t.Fatalf("FetchArchive: %v", err)
	}
	if fetched.Digest != art.Digest {
		t.Errorf("extracted files have content digest %s, status.artifact.digest is %s", fetched.Digest, art.Digest)
	}
	stored := filepath.Join(storagePath, "schemarepositories", filepath.FromSlash(art.Path))
	for _, name := range []string{"db/001.sql", "db/002.sql"} {
		want, err := os.ReadFile(filepath.Join(stored, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(fetched.Path, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: fetched %q, stored %q", name, got, want)
		}
	}

	for _, p := range []string{"/", "/schemarepository/", "/schemarepository/" + ns + "/schemas/",
		"/schemarepository/" + ns + "/schemas/" + filepath.Base(filepath.Dir(art.Path)) + "/artifact.json",
		"/schemarepository/" + ns + "/schemas/%2e%2e/%2e%2e/" + hexDigest + ".tar.gz",
		"/" + art.Path + "/db/001.sql"} {
		if code, _ := getBody(t, "http://"+storageAddr+p); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
	}
}

// TestAdvertisedStorageAddr: --storage-adv-addr wins; without it the host of
// --storage-addr, else the pod's hostname in a cluster, else localhost, with
// the port of --storage-addr.
func TestAdvertisedStorageAddr(t *testing.T) {
	hostname, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{StorageAddr: ":9090", StorageAdvAddr: "schema-controller.flux-system.svc.cluster.local."}, "schema-controller.flux-system.svc.cluster.local."},
		{Options{StorageAddr: ":9090"}, "localhost:9090"},
		{Options{StorageAddr: "0.0.0.0:9191"}, "localhost:9191"},
		{Options{StorageAddr: "127.0.0.1:9090"}, "127.0.0.1:9090"},
		{Options{StorageAddr: ":9090", RuntimeNamespace: "schema-system"}, hostname + ":9090"},
	} {
		got, err := advertisedStorageAddr(tc.opts)
		if err != nil || got != tc.want {
			t.Errorf("%+v: %q, %v; want %q", tc.opts, got, err, tc.want)
		}
	}
	if _, err := advertisedStorageAddr(Options{StorageAddr: "9090"}); err == nil || !strings.Contains(err.Error(), "--storage-addr") {
		t.Errorf("--storage-addr=9090: err %v, want one naming --storage-addr", err)
	}
	var defaults Options
	defaults.BindFlags(pflag.NewFlagSet("defaults", pflag.ContinueOnError))
	if defaults.StorageAddr != ":9090" || defaults.StorageAdvAddr != "" {
		t.Errorf("defaults --storage-addr=%q --storage-adv-addr=%q, want :9090 and empty", defaults.StorageAddr, defaults.StorageAdvAddr)
	}
}

// getBody returns the status code and body of a GET of url, the URL sent as
// written.
func getBody(t *testing.T, url string) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}
