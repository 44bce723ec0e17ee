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
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
)

const (
	// DefaultSizeLimit is the default limit of the files of one artifact.
	DefaultSizeLimit int64 = 50 << 20

	// DefaultRetain is how many artifacts are kept per owner by default:
	// the current one and the one before, which a consumer may still be
	// reading.
	DefaultRetain = 2

	// metadataFile sits next to the files folder of an artifact.
	metadataFile = "artifact.json"
	// filesDir holds the files of an artifact.
	filesDir = "files"
	// tempPrefix marks folders that are being written; they are never
	// taken for artifacts.
	tempPrefix = ".tmp-"
	// tempMaxAge is the age after which a temporary folder is taken for
	// the leftover of a crash and removed.
	tempMaxAge = time.Hour
)

// Artifact is the files of a repository at one revision, as stored.
type Artifact struct {
	// Owner is who the artifact belongs to, e.g. namespace/name.
	Owner string `json:"owner"`
	// Revision is the revision in Flux's format.
	Revision string `json:"revision"`
	// Digest is the SHA-256 of the content: sha256:<hex>.
	Digest string `json:"digest"`
	// Size is the total size of the files in bytes.
	Size int64 `json:"size"`
	// Files is the number of regular files.
	Files int `json:"files"`
	// Ignore is the ignore patterns the artifact was produced with.
	Ignore string `json:"ignore,omitempty"`
	// ArchiveDigest is the digest of the archive the files were extracted
	// from (FetchArchive, PutArchive); empty for a Git commit.
	ArchiveDigest string `json:"archiveDigest,omitempty"`
	// TarballDigest is the digest of the tarball of the files the store
	// wrote next to them (WithTarballs), sha256:<hex>; empty when it wrote
	// none.
	TarballDigest string `json:"tarballDigest,omitempty"`
	// LastUpdateTime is when the artifact was written.
	LastUpdateTime time.Time `json:"lastUpdateTime"`
	// Warnings lists what was left out and why, e.g. a symlink that points
	// outside the repository.
	Warnings []string `json:"warnings,omitempty"`

	// Path is the absolute path of the folder holding the files.
	Path string `json:"-"`
	// RelPath is Path relative to the root of the store.
	RelPath string `json:"-"`
}

// Store keeps artifacts in a folder: <root>/<owner>/<key>/files, with the
// metadata in <root>/<owner>/<key>/artifact.json. An artifact is written in
// a temporary folder and renamed into place when complete, so a crash never
// leaves a partial artifact under a name that Lookup would return.
//
// One owner must not be written by two goroutines at once; a controller
// reconciles one object at a time, which gives that. Different owners are
// independent, as long as all owners of a store have the same number of
// segments (namespace/name), so that none is the folder of another.
type Store struct {
	root      string
	sizeLimit int64
	retain    int
	tarballs  bool
	now       func() time.Time
}

// StoreOption configures a Store.
type StoreOption func(*Store)

// WithSizeLimit sets the limit of the files of one artifact in bytes; 0
// means no limit.
func WithSizeLimit(n int64) StoreOption { return func(s *Store) { s.sizeLimit = n } }

// WithRetain sets how many artifacts GC keeps per owner, at least 1.
func WithRetain(n int) StoreOption {
	return func(s *Store) {
		if n < 1 {
			n = 1
		}
		s.retain = n
	}
}

// withClock replaces time.Now, for tests.
func withClock(now func() time.Time) StoreOption { return func(s *Store) { s.now = now } }

// NewStore creates the root folder if needed and returns a Store on it.
func NewStore(root string, opts ...StoreOption) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	s := &Store{root: abs, sizeLimit: DefaultSizeLimit, retain: DefaultRetain, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	s.removeStale(filepath.Join(abs, fetchDir))
	return s, nil
}

// fetchDir under the root holds the objects of fetches in progress. Its
// name cannot be that of an owner.
const fetchDir = ".fetch"

// tempDir returns the folder fetches keep their objects in, on the same
// filesystem as the artifacts and not in a /tmp that may be read-only.
func (s *Store) tempDir() (string, error) {
	dir := filepath.Join(s.root, fetchDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("%w: %w", ErrStorage, err)
	}
	return dir, nil
}

// removeStale removes what a crash left in dir: entries older than
// tempMaxAge. Errors are ignored; the next call tries again.
func (s *Store) removeStale(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && s.now().Sub(info.ModTime()) > tempMaxAge {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// Root returns the absolute root folder of the store.
func (s *Store) Root() string { return s.root }

// SizeLimit returns the size limit of one artifact in bytes, 0 for none.
func (s *Store) SizeLimit() int64 { return s.sizeLimit }

var ownerSegment = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ownerDir validates owner (one or more slash-separated segments of
// letters, digits, dots, dashes and underscores, such as namespace/name)
// and returns its folder.
func (s *Store) ownerDir(owner string) (string, error) {
	segs := strings.Split(owner, "/")
	for _, seg := range segs {
		if !ownerSegment.MatchString(seg) || seg == ".." {
			return "", fmt.Errorf("%w: invalid owner %q", ErrStorage, owner)
		}
	}
	return filepath.Join(append([]string{s.root}, segs...)...), nil
}

// artifactKey names the folder of an artifact: the commit, so that a person
// can find it, and a hash of the revision and ignore patterns, since both
// change what is stored.
func artifactKey(revision, ignore string) string {
	sum := sha256.Sum256([]byte(revision + "\x00" + ignore))
	commit := RevisionHash(revision)
	if commit == "" {
		commit = "rev"
	}
	return commit + "-" + hex.EncodeToString(sum[:8])
}

// Lookup returns the stored artifact of owner for revision and ignore, or
// nil when there is none.
func (s *Store) Lookup(owner, revision, ignore string) (*Artifact, error) {
	dir, err := s.ownerDir(owner)
	if err != nil {
		return nil, err
	}
	a, err := s.load(filepath.Join(dir, artifactKey(revision, ignore)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return a, err
}

// Get returns the artifact at relPath, the RelPath of an artifact (as kept
// in a status), checking that it is inside the store and complete.
func (s *Store) Get(relPath string) (*Artifact, error) {
	clean := filepath.Clean(filepath.FromSlash(relPath))
	if filepath.IsAbs(clean) || clean == "." || strings.HasPrefix(clean, "..") || filepath.Base(clean) != filesDir {
		return nil, fmt.Errorf("%w: invalid artifact path %q", ErrStorage, relPath)
	}
	return s.load(filepath.Join(s.root, filepath.Dir(clean)))
}

func (s *Store) load(dir string) (*Artifact, error) {
	data, err := os.ReadFile(filepath.Join(dir, metadataFile)) //nolint:gosec // G304: dir is an artifact directory of this store, named by the store
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	a := &Artifact{}
	if err := json.Unmarshal(data, a); err != nil {
		return nil, fmt.Errorf("%w: reading %s: %w", ErrStorage, dir, err)
	}
	a.Path = filepath.Join(dir, filesDir)
	rel, err := filepath.Rel(s.root, a.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	a.RelPath = filepath.ToSlash(rel)
	return a, nil
}

// Put writes the files of tree, minus those that ignore (gitignore syntax)
// and .sourceignore files leave out, as the artifact of owner at revision.
// Symlinks that do not resolve inside the artifact are left out with a
// warning. The error wraps ErrSizeLimitExceeded when the kept files exceed
// the size limit. When the artifact exists already, it is returned as it
// is.
func (s *Store) Put(ctx context.Context, owner, revision, ignore string, tree *object.Tree) (*Artifact, error) {
	dir, err := s.ownerDir(owner)
	if err != nil {
		return nil, err
	}
	key := artifactKey(revision, ignore)
	final := filepath.Join(dir, key)
	if a, err := s.load(final); err == nil {
		return a, nil
	}
	w, err := walkTree(ctx, tree, ignore, s.sizeLimit)
	if err != nil {
		return nil, err
	}
	w.checkSymlinks()
	return s.commit(dir, key, &Artifact{Owner: owner, Revision: revision, Ignore: ignore}, w)
}

// commit writes the nodes of w as the artifact a (owner, revision and its key
// fields set by the caller) into dir/key: in a temporary folder, flushed, then
// renamed into place.
func (s *Store) commit(dir, key string, a *Artifact, w *treeWalk) (*Artifact, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	final := filepath.Join(dir, key)
	tmp, err := os.MkdirTemp(dir, tempPrefix+key+"-")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = os.RemoveAll(tmp)
		}
	}()
	st, err := w.writeFiles(filepath.Join(tmp, filesDir))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	a.Digest, a.Size, a.Files = st.digest, st.size, st.files
	a.LastUpdateTime = s.now().UTC().Truncate(time.Second)
	a.Warnings = w.warnings
	if s.tarballs {
		if a.TarballDigest, err = writeTarball(filepath.Join(tmp, filesDir), filepath.Join(tmp, tarballFile)); err != nil {
			return nil, fmt.Errorf("%w: writing the tarball: %w", ErrStorage, err)
		}
	}
	if err := writeJSON(filepath.Join(tmp, metadataFile), a); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		// Another writer got there first with the same content.
		if existing, lerr := s.load(final); lerr == nil {
			return existing, nil
		}
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	committed = true
	syncDir(dir)
	return s.load(final)
}

func writeJSON(name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644) //nolint:gosec // G302,G304: a new metadata file (O_EXCL) in a directory of this store; readable like the artifact it describes
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename in dir durable; a failure only weakens that.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil { //nolint:gosec // G304: a directory of this store, opened to fsync it
		_ = d.Sync()
		_ = d.Close()
	}
}

// List returns the artifacts of owner, newest first.
func (s *Store) List(owner string) ([]*Artifact, error) {
	dir, err := s.ownerDir(owner)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	var out []*Artifact
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		a, err := s.load(filepath.Join(dir, e.Name()))
		if err != nil {
			continue // not an artifact of ours
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].LastUpdateTime.Equal(out[j].LastUpdateTime) {
			return out[i].LastUpdateTime.After(out[j].LastUpdateTime)
		}
		return out[i].RelPath > out[j].RelPath
	})
	return out, nil
}

// FindRevision returns the newest stored artifact of owner at revision
// (whatever its ignore patterns), or nil when none is retained.
func (s *Store) FindRevision(owner, revision string) (*Artifact, error) {
	artifacts, err := s.List(owner)
	if err != nil {
		return nil, err
	}
	for _, a := range artifacts {
		if a.Revision == revision {
			return a, nil
		}
	}
	return nil, nil
}

// GC removes the artifacts of owner beyond the newest ones the store
// retains, never the one at keepRelPath (the current artifact), and
// temporary folders left by a crash. It returns the relative paths of the
// removed artifacts.
func (s *Store) GC(owner, keepRelPath string) ([]string, error) {
	return s.GCPinned(owner, keepRelPath, nil)
}

// GCPinned is GC that also keeps, beyond the retained ones, every artifact
// whose revision pinned reports true (the revisions Databases are pinned to
// by spec.sourceRevision); nil pins nothing.
func (s *Store) GCPinned(owner, keepRelPath string, pinned func(revision string) bool) ([]string, error) {
	dir, err := s.ownerDir(owner)
	if err != nil {
		return nil, err
	}
	artifacts, err := s.List(owner)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	budget := s.retain
	if keepRelPath != "" {
		budget-- // the current artifact counts towards the retained ones
	}
	for _, a := range artifacts {
		if a.RelPath == keepRelPath || (pinned != nil && pinned(a.Revision)) {
			continue
		}
		if budget > 0 {
			budget--
			continue
		}
		if err := os.RemoveAll(filepath.Dir(a.Path)); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, a.RelPath)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		if info, err := e.Info(); err == nil && s.now().Sub(info.ModTime()) > tempMaxAge {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				errs = append(errs, err)
			}
		}
	}
	s.removeStale(filepath.Join(s.root, fetchDir))
	if len(errs) > 0 {
		return removed, fmt.Errorf("%w: garbage collection: %w", ErrStorage, errors.Join(errs...))
	}
	return removed, nil
}

// Remove deletes every artifact of owner.
func (s *Store) Remove(owner string) error {
	dir, err := s.ownerDir(owner)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("%w: %w", ErrStorage, err)
	}
	return nil
}
