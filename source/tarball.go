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
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tarballFile sits next to the files folder of an artifact of a store made
// WithTarballs: the files as a gzip-compressed tarball, served over HTTP.
const tarballFile = "artifact.tar.gz"

// WithTarballs makes the store write, next to the files of every artifact, a
// deterministic gzip-compressed tarball of them (Artifact.TarballDigest), the
// shape of the artifacts of Flux's source-controller, so that other tools can
// fetch them (ArchiveHandler).
func WithTarballs() StoreOption { return func(s *Store) { s.tarballs = true } }

// writeTarball writes the files under filesDir as a gzip-compressed tarball to
// dst (created, never overwritten) and returns its digest, sha256:<hex>. The
// archive depends on the files only, as Flux's: entries in lexical order,
// relative names (folders with a trailing slash), modes 0644, 0755 for
// executables and folders, zero times, uid and gid, no user or group names,
// and a gzip header without name or time. Symlinks are kept as symlinks.
func writeTarball(filesDir, dst string) (digest string, err error) {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644) //nolint:gosec // G302,G304: a new archive (O_EXCL) in a directory of this store; readable like the files it holds
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	h := sha256.New()
	zw := gzip.NewWriter(io.MultiWriter(out, h))
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(filesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(filesDir, p)
		if err != nil || rel == "." {
			return err
		}
		name := filepath.ToSlash(rel)
		// Mtime 0 (the epoch), uid and gid 0: nothing of the machine.
		hdr := &tar.Header{Name: name, ModTime: time.Unix(0, 0)}
		switch t := d.Type(); {
		case t.IsDir():
			hdr.Typeflag, hdr.Name, hdr.Mode = tar.TypeDir, name+"/", 0o755
		case t&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			hdr.Typeflag, hdr.Linkname, hdr.Mode = tar.TypeSymlink, target, 0o777
		case t.IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			hdr.Typeflag, hdr.Size, hdr.Mode = tar.TypeReg, info.Size(), 0o644
			if info.Mode()&0o111 != 0 {
				hdr.Mode = 0o755
			}
		default:
			return nil // writeFiles writes files, folders and symlinks only
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil
		}
		f, err := os.Open(p) //nolint:gosec // G304: a file of an artifact of this store, found by walking it
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		if _, err := io.CopyN(tw, f, hdr.Size); err != nil {
			return fmt.Errorf("archiving %s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	if err := out.Sync(); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// TarballPath returns the path of the tarball of a, "" when it has none.
func (a *Artifact) TarballPath() string {
	if a.TarballDigest == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(a.Path), tarballFile)
}

// TarballName returns the name under which the tarball of a is served,
// <hex of its digest>.tar.gz, "" when it has none.
func (a *Artifact) TarballName() string {
	_, hexDigest, ok := strings.Cut(a.TarballDigest, ":")
	if !ok {
		return ""
	}
	return hexDigest + ".tar.gz"
}

// EnsureTarball returns a with its tarball, writing it first when the store
// writes tarballs and a, stored by an agent that did not, has none. The
// tarball and the new metadata are written under temporary names and renamed
// into place, so a reader never sees half of them.
func (s *Store) EnsureTarball(a *Artifact) (*Artifact, error) {
	if !s.tarballs || a.TarballDigest != "" {
		return a, nil
	}
	dir := filepath.Dir(a.Path)
	tmp, err := os.MkdirTemp(dir, tempPrefix+"tarball-")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	digest, err := writeTarball(a.Path, filepath.Join(tmp, tarballFile))
	if err != nil {
		return nil, fmt.Errorf("%w: writing the tarball: %w", ErrStorage, err)
	}
	updated := *a
	updated.TarballDigest = digest
	if err := writeJSON(filepath.Join(tmp, metadataFile), &updated); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	if err := os.Rename(filepath.Join(tmp, tarballFile), filepath.Join(dir, tarballFile)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	if err := os.Rename(filepath.Join(tmp, metadataFile), filepath.Join(dir, metadataFile)); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	syncDir(dir)
	return s.load(dir)
}
