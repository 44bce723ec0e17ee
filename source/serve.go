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
	"net/http"
	"os"
	"regexp"
	"strings"
)

// tarballName is the last segment of the URL of a tarball: the hex of its
// SHA-256 digest.
var tarballName = regexp.MustCompile(`^[0-9a-f]{64}\.tar\.gz$`)

// ArchiveHandler serves the tarballs of the artifacts of s (a store made
// WithTarballs, its owners namespace/name) read-only at
// <prefix><namespace>/<name>/<hex of the tarball's digest>.tar.gz, the URL
// shape of Flux's source-controller. Nothing else is served: no listing, no
// files folder, no metadata; every other path, one with "..", an encoded
// slash or an unknown digest is 404, a method other than GET or HEAD 405. The
// file is found by looking the digest up among the owner's artifacts, never by
// joining the request's path to the store's.
func (s *Store) ArchiveHandler(prefix string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		a := s.tarballFor(prefix, r)
		if a == nil {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(a.TarballPath()) //nolint:gosec // G703: the path of an artifact of this store, found by digest; nothing of the request is in it
		if err != nil {
			// Removed by garbage collection meanwhile.
			http.NotFound(w, r)
			return
		}
		defer func() { _ = f.Close() }()
		w.Header().Set("Content-Type", "application/gzip")
		http.ServeContent(w, r, a.TarballName(), a.LastUpdateTime, f)
	})
}

// tarballFor returns the artifact whose tarball the request names, or nil.
func (s *Store) tarballFor(prefix string, r *http.Request) *Artifact {
	if r.URL.RawPath != "" { // an escaped slash or the like: not a URL we write
		return nil
	}
	rest, ok := strings.CutPrefix(r.URL.Path, prefix)
	if !ok {
		return nil
	}
	segs := strings.Split(rest, "/")
	if len(segs) != 3 || !tarballName.MatchString(segs[2]) {
		return nil
	}
	owner := segs[0] + "/" + segs[1]
	if _, err := s.ownerDir(owner); err != nil {
		return nil
	}
	artifacts, err := s.List(owner)
	if err != nil {
		return nil
	}
	for _, a := range artifacts {
		if a.TarballName() == segs[2] {
			return a
		}
	}
	return nil
}
