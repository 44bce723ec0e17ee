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

package gittest

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// DefaultBranch is the branch CreateRepo uses when given none.
const DefaultBranch = "main"

// pushRef is the local branch a change is pushed from.
const pushRef = plumbing.ReferenceName("refs/heads/gittest-push")

// Signature is the author and committer of the commits this package makes.
func Signature() *object.Signature {
	return &object.Signature{Name: "gittest", Email: "gittest@example.com", When: time.Now()}
}

type change struct {
	files  map[string]string
	remove []string
	msg    string
	parent plumbing.Hash // the commit to build on; zero makes a root commit
	force  bool
}

// CreateRepo creates the bare repository name (a slash-separated path such as
// "schemas.git" or "org/schemas.git") with one commit holding files on branch
// ("" means DefaultBranch), makes branch its default branch (HEAD), and returns
// the commit's hash.
func (s *Server) CreateRepo(t testing.TB, name string, files map[string]string, branch string) string {
	t.Helper()
	if branch == "" {
		branch = DefaultBranch
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dir := s.repoDir(t, name)
	bare, err := gogit.PlainInit(dir, true)
	if err != nil {
		t.Fatalf("creating repository %s: %v", name, err)
	}
	head := plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(branch))
	if err := bare.Storer.SetReference(head); err != nil {
		t.Fatalf("setting default branch of %s: %v", name, err)
	}
	return s.commit(t, name, branch, change{files: files, msg: "Initial commit"})
}

// Push pushes a commit that writes files (path → content, slash-separated
// paths, parent directories created) on top of branch and returns its hash. A
// branch that does not exist yet starts from the default branch. The commit is
// made even when nothing changes.
func (s *Server) Push(t testing.TB, name, branch string, files map[string]string, msg string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commit(t, name, branch, change{files: files, msg: msg, parent: s.base(t, name, branch)})
}

// Remove pushes a commit that deletes paths (files, or directories with
// everything under them) on top of branch and returns its hash.
func (s *Server) Remove(t testing.TB, name, branch string, paths []string, msg string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commit(t, name, branch, change{remove: paths, msg: msg, parent: s.base(t, name, branch)})
}

// ForcePush rewrites history: it makes a commit that writes files on top of
// parent (a commit hash reachable from a branch or tag; "" makes a root commit
// holding only files), force-updates branch to it, and returns its hash.
func (s *Server) ForcePush(t testing.TB, name, branch, parent string, files map[string]string, msg string) string {
	t.Helper()
	var p plumbing.Hash
	if parent != "" {
		p = plumbing.NewHash(parent)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commit(t, name, branch, change{files: files, msg: msg, parent: p, force: true})
}

// Tag creates the lightweight tag tag pointing at commit.
func (s *Server) Tag(t testing.TB, name, tag, commit string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.open(t, name).CreateTag(tag, plumbing.NewHash(commit), nil); err != nil {
		t.Fatalf("tagging %s in %s: %v", tag, name, err)
	}
}

// AnnotatedTag creates the annotated tag tag pointing at commit and returns the
// tag object's hash.
func (s *Server) AnnotatedTag(t testing.TB, name, tag, commit, msg string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, err := s.open(t, name).CreateTag(tag, plumbing.NewHash(commit), &gogit.CreateTagOptions{Tagger: Signature(), Message: msg})
	if err != nil {
		t.Fatalf("tagging %s in %s: %v", tag, name, err)
	}
	return ref.Hash().String()
}

// Head returns the commit branch points at ("" means the default branch).
func (s *Server) Head(t testing.TB, name, branch string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	refName := plumbing.HEAD
	if branch != "" {
		refName = plumbing.NewBranchReferenceName(branch)
	}
	ref, err := s.open(t, name).Reference(refName, true)
	if err != nil {
		t.Fatalf("resolving %s in %s: %v", refName, name, err)
	}
	return ref.Hash().String()
}

func (s *Server) repoDir(t testing.TB, name string) string {
	t.Helper()
	if name == "" || !filepath.IsLocal(filepath.FromSlash(name)) {
		t.Fatalf("repository name %q must be a relative path inside the server root", name)
	}
	return filepath.Join(s.Root(), filepath.FromSlash(name))
}

func (s *Server) open(t testing.TB, name string) *gogit.Repository {
	t.Helper()
	r, err := gogit.PlainOpen(s.repoDir(t, name))
	if err != nil {
		t.Fatalf("opening repository %s: %v", name, err)
	}
	return r
}

// base returns the tip of branch, else of the default branch, else zero for an
// empty repository.
func (s *Server) base(t testing.TB, name, branch string) plumbing.Hash {
	t.Helper()
	r := s.open(t, name)
	for _, n := range []plumbing.ReferenceName{plumbing.NewBranchReferenceName(branch), plumbing.HEAD} {
		ref, err := r.Reference(n, true)
		if err == nil {
			return ref.Hash()
		}
		if !errors.Is(err, plumbing.ErrReferenceNotFound) {
			t.Fatalf("resolving %s in %s: %v", n, name, err)
		}
	}
	return plumbing.ZeroHash
}

// commit builds c in an in-memory clone and pushes it to branch over the file
// transport, which the request counts do not see. Callers hold s.mu.
func (s *Server) commit(t testing.TB, name, branch string, c change) string {
	t.Helper()
	h, err := s.commitErr(name, branch, c)
	if err != nil {
		t.Fatalf("pushing to %s %s: %v", name, branch, err)
	}
	return h
}

func (s *Server) commitErr(name, branch string, c change) (string, error) {
	if branch == "" {
		return "", errors.New("no branch")
	}
	dir := filepath.Join(s.Root(), filepath.FromSlash(name))
	repo, err := gogit.Init(memory.NewStorage(), memfs.New())
	if err != nil {
		return "", err
	}
	if _, err := repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{dir}}); err != nil {
		return "", err
	}
	w, err := repo.Worktree()
	if err != nil {
		return "", err
	}
	if !c.parent.IsZero() {
		err := repo.Fetch(&gogit.FetchOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{
			"+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*",
		}})
		if err != nil && !errors.Is(err, gogit.NoErrAlreadyUpToDate) {
			return "", fmt.Errorf("fetching: %w", err)
		}
		if err := w.Checkout(&gogit.CheckoutOptions{Hash: c.parent, Force: true}); err != nil {
			return "", fmt.Errorf("checking out %s: %w", c.parent, err)
		}
	}
	paths := make([]string, 0, len(c.files))
	for p := range c.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := w.Filesystem.MkdirAll(path.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := util.WriteFile(w.Filesystem, p, []byte(c.files[p]), 0o644); err != nil {
			return "", fmt.Errorf("writing %s: %w", p, err)
		}
	}
	for _, p := range c.remove {
		if _, err := w.Filesystem.Lstat(p); err != nil {
			return "", fmt.Errorf("removing %s: %w", p, err)
		}
		if err := util.RemoveAll(w.Filesystem, p); err != nil {
			return "", fmt.Errorf("removing %s: %w", p, err)
		}
	}
	// Like git add -A: stage writes and deletions alike.
	if err := w.AddWithOptions(&gogit.AddOptions{All: true}); err != nil {
		return "", fmt.Errorf("staging: %w", err)
	}
	msg := c.msg
	if msg == "" {
		msg = "Update " + branch
	}
	hash, err := w.Commit(msg, &gogit.CommitOptions{Author: Signature(), Committer: Signature(), AllowEmptyCommits: true})
	if err != nil {
		return "", fmt.Errorf("committing: %w", err)
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(pushRef, hash)); err != nil {
		return "", err
	}
	spec := config.RefSpec(pushRef.String() + ":" + plumbing.NewBranchReferenceName(branch).String())
	if c.force {
		spec = "+" + spec
	}
	if err := repo.Push(&gogit.PushOptions{RemoteName: "origin", RefSpecs: []config.RefSpec{spec}}); err != nil {
		return "", err
	}
	return hash.String(), nil
}
