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

// Package fluxtest serves artifacts the way Flux's source-controller does: a
// gzip-compressed tarball at an HTTP URL, announced with its digest. It has no
// Kubernetes import, so the source package's tests use it too.
package fluxtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Entry is one entry of a tarball besides regular files: a symlink (Linkname
// set) or another type (Typeflag set).
type Entry struct {
	Name     string
	Typeflag byte
	Linkname string
	Body     string
}

// Tarball returns a gzip-compressed tarball holding files (path → content,
// folders implied) and then the extra entries, in the layout of Flux's
// artifacts: paths relative to the root, without a leading "./".
func Tarball(t testing.TB, files map[string]string, extra ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	dirs := map[string]bool{}
	for _, n := range names {
		parts := strings.Split(n, "/")
		for i := 1; i < len(parts); i++ {
			d := strings.Join(parts[:i], "/") + "/"
			if !dirs[d] {
				dirs[d] = true
				must(t, tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755}))
			}
		}
		must(t, tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(files[n]))}))
		_, err := tw.Write([]byte(files[n]))
		must(t, err)
	}
	for _, e := range extra {
		h := &tar.Header{Name: e.Name, Typeflag: e.Typeflag, Linkname: e.Linkname, Mode: 0o644, Size: int64(len(e.Body))}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeSymlink
		}
		if h.Typeflag != tar.TypeReg {
			h.Size = 0
		}
		must(t, tw.WriteHeader(h))
		if h.Size > 0 {
			_, err := tw.Write([]byte(e.Body))
			must(t, err)
		}
	}
	must(t, tw.Close())
	must(t, zw.Close())
	return buf.Bytes()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Digest returns the digest of data as Flux writes it: sha256:<hex>.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ArtifactServer serves tarballs over HTTP at paths chosen by the test, like
// source-controller's storage server, and counts the requests per path.
type ArtifactServer struct {
	*httptest.Server

	mu       sync.Mutex
	files    map[string][]byte
	requests map[string]int
}

// NewArtifactServer starts an ArtifactServer, closed when the test ends.
func NewArtifactServer(t testing.TB) *ArtifactServer {
	t.Helper()
	s := &ArtifactServer{files: map[string][]byte{}, requests: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		data, ok := s.files[r.URL.Path]
		s.requests[r.URL.Path]++
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/x-gzip")
		_, _ = w.Write(data)
	}))
	t.Cleanup(s.Close)
	return s
}

// Put serves data at path (which starts with "/") and returns its URL.
func (s *ArtifactServer) Put(path string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = data
	return s.URL + path
}

// Requests returns how many times path was requested.
func (s *ArtifactServer) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}
