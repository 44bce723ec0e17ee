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

package source

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
)

var tarballTestFiles = map[string]tf{
	"db/001.sql":     file("CREATE TABLE a (id int);\n"),
	"db/002.sql":     file("CREATE TABLE b (id int);\n"),
	"db/current.sql": link("001.sql"),
	"bin/check.sh":   exe("#!/bin/sh\nexit 0\n"),
}

// readTar returns the headers of a gzip-compressed tarball.
func readTar(t *testing.T, name string) []*tar.Header {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out []*tar.Header
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, hdr)
	}
}

func fileDigest(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// TestStore_tarball_deterministic: a store made WithTarballs writes, next to
// the files, a tarball whose digest (TarballDigest, that of the file) depends
// on the files only: the same tree stored by two stores at different times
// gives the same bytes; entries are sorted, with zero times, uid and gid and
// normalized modes. A store without WithTarballs writes none.
func TestStore_tarball_deterministic(t *testing.T) {
	g := NewWithT(t)
	tree := buildTree(t, tarballTestFiles)
	s1 := newTestStore(t, WithTarballs(), withClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
	s2 := newTestStore(t, WithTarballs())
	a1, err := s1.Put(context.Background(), "shop/schemas", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())
	a2, err := s2.Put(context.Background(), "shop/schemas", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())

	g.Expect(a1.TarballDigest).To(MatchRegexp(`^sha256:[0-9a-f]{64}$`))
	g.Expect(a1.TarballDigest).To(Equal(a2.TarballDigest))
	g.Expect(fileDigest(t, a1.TarballPath())).To(Equal(a1.TarballDigest))
	g.Expect(a1.TarballName()).To(Equal(a1.TarballDigest[len("sha256:"):] + ".tar.gz"))

	var names []string
	for _, h := range readTar(t, a1.TarballPath()) {
		names = append(names, h.Name)
		g.Expect(h.ModTime.Unix()).To(BeZero(), h.Name)
		g.Expect(h.Uid).To(BeZero(), h.Name)
		g.Expect(h.Gid).To(BeZero(), h.Name)
		g.Expect(h.Uname+h.Gname).To(BeEmpty(), h.Name)
		switch h.Name {
		case "bin/check.sh":
			g.Expect(h.Mode).To(Equal(int64(0o755)))
		case "db/001.sql":
			g.Expect(h.Mode).To(Equal(int64(0o644)))
		case "db/current.sql":
			g.Expect(h.Typeflag).To(Equal(byte(tar.TypeSymlink)))
			g.Expect(h.Linkname).To(Equal("001.sql"))
		}
	}
	g.Expect(names).To(Equal([]string{"bin/", "bin/check.sh", "db/", "db/001.sql", "db/002.sql", "db/current.sql"}))

	plain := newTestStore(t)
	a3, err := plain.Put(context.Background(), "shop/schemas", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a3.TarballDigest).To(BeEmpty())
	g.Expect(a3.TarballPath()).To(BeEmpty())
	_, err = os.Stat(filepath.Join(filepath.Dir(a3.Path), tarballFile))
	g.Expect(os.IsNotExist(err)).To(BeTrue())
}

// TestStore_EnsureTarball_storedWithout: an artifact stored by an agent that
// wrote no tarballs gets one, the same as a new artifact's, when the store
// now writes them; the metadata on disk records it.
func TestStore_EnsureTarball_storedWithout(t *testing.T) {
	g := NewWithT(t)
	tree := buildTree(t, tarballTestFiles)
	root := t.TempDir()
	old, err := NewStore(root)
	g.Expect(err).NotTo(HaveOccurred())
	a, err := old.Put(context.Background(), "shop/schemas", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a.TarballDigest).To(BeEmpty())

	s, err := NewStore(root, WithTarballs())
	g.Expect(err).NotTo(HaveOccurred())
	got, err := s.EnsureTarball(a)
	g.Expect(err).NotTo(HaveOccurred())
	fresh, err := newTestStore(t, WithTarballs()).Put(context.Background(), "shop/schemas", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got.TarballDigest).To(Equal(fresh.TarballDigest))
	g.Expect(fileDigest(t, got.TarballPath())).To(Equal(got.TarballDigest))
	again, err := s.Lookup("shop/schemas", testRev, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(again.TarballDigest).To(Equal(got.TarballDigest))
	g.Expect(again.Digest).To(Equal(a.Digest))
	entries, err := os.ReadDir(filepath.Dir(a.Path))
	g.Expect(err).NotTo(HaveOccurred())
	for _, e := range entries {
		g.Expect(e.Name()).To(BeElementOf(filesDir, metadataFile, tarballFile))
	}
}

// TestStore_ArchiveHandler_roundTrip: the tarball served by ArchiveHandler,
// fetched and verified by FetchArchive (the code that consumes the artifacts
// of Flux's source-controller) with the URL and digest the store gives,
// extracts to the same files, with the same content digest, as stored.
func TestStore_ArchiveHandler_roundTrip(t *testing.T) {
	g := NewWithT(t)
	s := newTestStore(t, WithTarballs())
	a, err := s.Put(context.Background(), "shop/schemas", testRev, "", buildTree(t, tarballTestFiles))
	g.Expect(err).NotTo(HaveOccurred())
	srv := httptest.NewServer(s.ArchiveHandler("/schemarepository/"))
	t.Cleanup(srv.Close)
	url := srv.URL + "/schemarepository/shop/schemas/" + a.TarballName()

	consumer := newTestStore(t)
	got, err := consumer.FetchArchive(context.Background(), srv.Client(), "consumer/schemas", a.Revision, url, a.TarballDigest)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got.Warnings).To(BeEmpty())
	g.Expect(listFiles(t, got.Path)).To(Equal(listFiles(t, a.Path)))
	g.Expect(got.Digest).To(Equal(a.Digest), "content digest of the extracted files")
	for _, name := range []string{"db/001.sql", "db/002.sql", "bin/check.sh"} {
		want, err := os.ReadFile(filepath.Join(a.Path, filepath.FromSlash(name)))
		g.Expect(err).NotTo(HaveOccurred())
		have, err := os.ReadFile(filepath.Join(got.Path, filepath.FromSlash(name)))
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(have).To(Equal(want), name)
	}
	info, err := os.Stat(filepath.Join(got.Path, "bin", "check.sh"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(info.Mode().Perm() & 0o111).NotTo(BeZero())

	// A digest that is not the tarball's is refused by the consumer.
	_, err = newTestStore(t).FetchArchive(context.Background(), srv.Client(), "consumer/schemas", a.Revision, url,
		"sha256:"+hex.EncodeToString(make([]byte, 32)))
	g.Expect(err).To(MatchError(ErrDigestMismatch))
}

// TestStore_ArchiveHandler_refuses: only tarballs are served. Listings, the
// files and metadata of an artifact, unknown digests, traversal (plain or
// percent-encoded, sent as is on the wire) and other methods are refused.
func TestStore_ArchiveHandler_refuses(t *testing.T) {
	g := NewWithT(t)
	s := newTestStore(t, WithTarballs())
	a, err := s.Put(context.Background(), "shop/schemas", testRev, "", buildTree(t, tarballTestFiles))
	g.Expect(err).NotTo(HaveOccurred())
	if err := os.WriteFile(filepath.Join(s.Root(), "secret.txt"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.ArchiveHandler("/schemarepository/"))
	t.Cleanup(srv.Close)

	// raw sends the request line as written, without the client's cleaning.
	raw := func(method, target string) int {
		t.Helper()
		conn, err := (&net.Dialer{}).DialContext(context.Background(), "tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = conn.Close() }()
		if _, err := io.WriteString(conn, method+" "+target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(context.Background(), method, srv.URL, nil)
		resp, err := http.ReadResponse(bufio.NewReader(conn), req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}

	good := "/schemarepository/shop/schemas/" + a.TarballName()
	g.Expect(raw(http.MethodGet, good)).To(Equal(http.StatusOK))
	g.Expect(raw(http.MethodHead, good)).To(Equal(http.StatusOK))
	for _, target := range []string{
		"/",
		"/schemarepository/",
		"/schemarepository/shop/",
		"/schemarepository/shop/schemas/",
		"/schemarepository/shop/schemas/" + filepath.Base(filepath.Dir(a.Path)) + "/",
		"/schemarepository/shop/schemas/" + filepath.Base(filepath.Dir(a.Path)) + "/artifact.json",
		"/schemarepository/shop/schemas/" + filepath.Base(filepath.Dir(a.Path)) + "/files/db/001.sql",
		"/schemarepository/shop/schemas/" + hex.EncodeToString(make([]byte, 32)) + ".tar.gz",
		"/schemarepository/../secret.txt",
		"/schemarepository/shop/../../secret.txt",
		"/schemarepository/%2e%2e/%2e%2e/" + a.TarballName(),
		"/schemarepository/shop%2Fschemas/x/" + a.TarballName(),
		"/schemarepository/shop/schemas/" + a.TarballName() + "/",
		"/secret.txt",
		"/schemarepository/shop/schemas/..%2f..%2fsecret.txt",
	} {
		g.Expect(raw(http.MethodGet, target)).To(Equal(http.StatusNotFound), target)
	}
	g.Expect(raw(http.MethodPost, good)).To(Equal(http.StatusMethodNotAllowed))
	g.Expect(raw(http.MethodDelete, good)).To(Equal(http.StatusMethodNotAllowed))
	_, err = os.Stat(a.TarballPath())
	g.Expect(err).NotTo(HaveOccurred())
}
