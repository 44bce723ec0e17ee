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
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Errors of archives (the tarballs Flux's source-controller serves).
var (
	// ErrDigestMismatch marks an archive whose content does not have the
	// digest its source announced: altered in storage or on the way. Nothing
	// of it is extracted.
	ErrDigestMismatch = errors.New("artifact digest mismatch")

	// ErrArchiveFetch marks an archive that could not be downloaded (network
	// error, HTTP status other than 200).
	ErrArchiveFetch = errors.New("fetching artifact")
)

// maxArchiveEntries bounds the entries of one archive, so that a tarball of
// millions of empty files (a few kilobytes compressed) cannot exhaust memory.
const maxArchiveEntries = 100_000

// archiveKey is what LookupArchive and PutArchive key an artifact by besides
// its revision: the digest of the archive it was extracted from.
func archiveKey(digest string) string { return "archive\x00" + digest }

// LookupArchive returns the stored artifact of owner extracted from the archive
// with the given digest at revision, or nil when there is none.
func (s *Store) LookupArchive(owner, revision, digest string) (*Artifact, error) {
	return s.Lookup(owner, revision, archiveKey(digest))
}

// FetchArchive downloads the gzip-compressed tarball at url with hc, verifies
// that its content has digest (<algorithm>:<hex>, algorithm sha256, sha384 or
// sha512, as Flux's source-controller writes it) and stores its files as the
// artifact of owner at revision, with the path and size safety of Put (see
// PutArchive). An archive already stored under that digest is returned without
// a download: the cache is keyed by digest. The archive is verified in full
// before anything of it is extracted; the error wraps ErrDigestMismatch when it
// does not match, ErrArchiveFetch when it cannot be downloaded.
func (s *Store) FetchArchive(ctx context.Context, hc *http.Client, owner, revision, url, digest string) (*Artifact, error) {
	if a, err := s.LookupArchive(owner, revision, digest); err != nil || a != nil {
		return a, err
	}
	h, want, err := parseDigest(digest)
	if err != nil {
		return nil, err
	}
	tmpDir, err := s.tempDir()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(tmpDir, "archive-")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	defer func() {
		_ = f.Close()
		_ = os.Remove(f.Name())
	}()
	if err := download(ctx, hc, url, io.MultiWriter(f, h), s.archiveLimit()); err != nil {
		return nil, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		algo, _, _ := strings.Cut(digest, ":")
		return nil, fmt.Errorf("%w: the archive at %s has digest %s:%s, its source announced %s", ErrDigestMismatch, url, algo, got, digest)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	return s.PutArchive(ctx, owner, revision, digest, f)
}

// archiveLimit bounds the bytes of a download: the compressed archive of files
// within the size limit, with room for tar headers; 0 for no limit.
func (s *Store) archiveLimit() int64 {
	if s.sizeLimit <= 0 {
		return 0
	}
	return 2*s.sizeLimit + 1<<20
}

func parseDigest(digest string) (hash.Hash, string, error) {
	algo, want, ok := strings.Cut(digest, ":")
	if !ok || want == "" {
		return nil, "", fmt.Errorf("%w: invalid digest %q: want <algorithm>:<hex>", ErrDigestMismatch, digest)
	}
	switch algo {
	case "sha256":
		return sha256.New(), strings.ToLower(want), nil
	case "sha384":
		return sha512.New384(), strings.ToLower(want), nil
	case "sha512":
		return sha512.New(), strings.ToLower(want), nil
	}
	return nil, "", fmt.Errorf("%w: digest algorithm %q is not supported (sha256, sha384, sha512)", ErrDigestMismatch, algo)
}

func download(ctx context.Context, hc *http.Client, url string, w io.Writer, limit int64) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrArchiveFetch, err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrArchiveFetch, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: GET %s: %s", ErrArchiveFetch, url, resp.Status)
	}
	body := io.Reader(resp.Body)
	if limit > 0 {
		body = io.LimitReader(resp.Body, limit+1)
	}
	n, err := io.Copy(w, body)
	if err != nil {
		return fmt.Errorf("%w: GET %s: %w", ErrArchiveFetch, url, err)
	}
	if limit > 0 && n > limit {
		return &SizeLimitError{Limit: limit, AtLeast: n}
	}
	return nil
}

// PutArchive stores the files of the gzip-compressed tarball r as the artifact
// of owner at revision, keyed by digest (the archive's, which the caller has
// verified). The entries get the safety of Put: a name that is absolute, holds
// "..", or conflicts with another entry fails with ErrUnsafePath and nothing is
// written; symlinks that do not resolve inside the artifact, hard links and
// special files are left out with a warning; the files may total at most the
// size limit (ErrSizeLimitExceeded). The ignore rules of the source were applied
// by whoever built the archive and are not applied again.
func (s *Store) PutArchive(ctx context.Context, owner, revision, digest string, r io.Reader) (*Artifact, error) {
	dir, err := s.ownerDir(owner)
	if err != nil {
		return nil, err
	}
	key := artifactKey(revision, archiveKey(digest))
	if a, err := s.load(filepath.Join(dir, key)); err == nil {
		return a, nil
	}
	w, err := readArchive(ctx, r, s.sizeLimit)
	if err != nil {
		return nil, err
	}
	w.checkSymlinks()
	return s.commit(dir, key, &Artifact{Owner: owner, Revision: revision, ArchiveDigest: digest}, w)
}

// readArchive gathers the entries of a gzip-compressed tarball as the nodes of a
// treeWalk, their content in memory (bounded by limit, or by maxArchiveEntries
// when there is none).
func readArchive(ctx context.Context, r io.Reader, limit int64) (*treeWalk, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: reading the archive: %w", ErrArchiveFetch, err)
	}
	defer func() { _ = zr.Close() }()
	tr := tar.NewReader(zr)
	w := &treeWalk{ctx: ctx, limit: limit, nodes: map[string]*node{}, dirs: map[string]bool{"": true}}
	for entries := 0; ; entries++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: reading the archive: %w", ErrArchiveFetch, err)
		}
		if entries >= maxArchiveEntries {
			return nil, fmt.Errorf("%w: reading the archive: more than %d entries", ErrArchiveFetch, maxArchiveEntries)
		}
		p, err := archivePath(hdr.Name)
		if err != nil {
			return nil, err
		}
		if p == "" || p == ".git" || strings.HasPrefix(p, ".git/") {
			continue
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := w.addDir(p); err != nil {
				return nil, err
			}
		case tar.TypeReg:
			if err := w.addDir(path.Dir(p)); err != nil {
				return nil, err
			}
			if w.dirs[p] {
				return nil, fmt.Errorf("%w: %q is both a folder and a file", ErrUnsafePath, p)
			}
			if old := w.nodes[p]; old != nil {
				w.size -= old.size
			}
			w.size += hdr.Size
			if limit > 0 && w.size > limit {
				return nil, &SizeLimitError{Limit: limit, AtLeast: w.size}
			}
			data, err := io.ReadAll(io.LimitReader(tr, hdr.Size))
			if err != nil {
				return nil, fmt.Errorf("%w: reading %s of the archive: %w", ErrArchiveFetch, p, err)
			}
			mode := filemode.Regular
			if hdr.Mode&0o111 != 0 {
				mode = filemode.Executable
			}
			w.nodes[p] = &node{path: p, mode: mode, size: int64(len(data)), data: data}
		case tar.TypeSymlink:
			if err := w.addDir(path.Dir(p)); err != nil {
				return nil, err
			}
			if w.dirs[p] {
				return nil, fmt.Errorf("%w: %q is both a folder and a symlink", ErrUnsafePath, p)
			}
			w.nodes[p] = &node{path: p, mode: filemode.Symlink, target: hdr.Linkname}
		default:
			w.warnings = append(w.warnings, fmt.Sprintf("%s left out: entry type %q is not a file, folder or symlink", p, string(hdr.Typeflag)))
		}
	}
	return w, nil
}

// archivePath turns the name of a tar entry into a slash-separated path relative
// to the artifact's root ("" for the root itself), refusing what could land
// outside it: absolute names, "..", and components git would refuse.
func archivePath(name string) (string, error) {
	p := strings.TrimSuffix(strings.TrimPrefix(name, "./"), "/")
	if p == "" || p == "." {
		return "", nil
	}
	if strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("%w: absolute name %q in the artifact", ErrUnsafePath, name)
	}
	for _, c := range strings.Split(p, "/") {
		if !safeEntryName(c) {
			return "", fmt.Errorf("%w: %q in the artifact", ErrUnsafePath, name)
		}
	}
	return p, nil
}

// addDir records p and its parents as folders, refusing a folder where a file
// or symlink is.
func (w *treeWalk) addDir(p string) error {
	for ; p != "." && p != "" && !w.dirs[p]; p = path.Dir(p) {
		if w.nodes[p] != nil {
			return fmt.Errorf("%w: %q is both a file and a folder", ErrUnsafePath, p)
		}
		w.dirs[p] = true
	}
	return nil
}
