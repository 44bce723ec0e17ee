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
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Repository is a remote Git repository together with the credentials to
// read it.
type Repository struct {
	url  *URL
	auth *Auth
}

// NewRepository validates rawURL and reads credentials from secretData
// (nil when the repository needs none). Its errors wrap ErrInvalidURL or
// ErrInvalidAuth.
func NewRepository(rawURL string, secretData map[string][]byte) (*Repository, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	a, err := NewAuth(u, secretData)
	if err != nil {
		return nil, err
	}
	return &Repository{url: u, auth: a}, nil
}

// URL returns the repository URL.
func (r *Repository) URL() *URL { return r.url }

func (r *Repository) remoteConfig() *config.RemoteConfig {
	return &config.RemoteConfig{Name: git.DefaultRemoteName, URLs: []string{r.url.String()}}
}

// ListRefs returns the references the remote advertises, with the commits
// of annotated tags as extra entries named <tag>^{}. It is Git's ls-remote:
// one round trip, no objects.
func (r *Repository) ListRefs(ctx context.Context) ([]*plumbing.Reference, error) {
	remote := git.NewRemote(memory.NewStorage(), r.remoteConfig())
	proxyOpts, release := r.proxyOptions(ctx)
	defer release()
	refs, err := remote.ListContext(ctx, &git.ListOptions{
		Auth:          r.auth.method,
		CABundle:      r.auth.caBundle,
		ClientCert:    r.auth.cert,
		ClientKey:     r.auth.key,
		PeelingOption: git.AppendPeeled,
		ProxyOptions:  proxyOpts,
	})
	if err != nil {
		return nil, r.wrap(ctx, "listing references of", err)
	}
	return refs, nil
}

// Resolve returns the commit ref points at on the remote. A commit given
// by hash is returned without asking the remote; anything else costs one
// ListRefs.
func (r *Repository) Resolve(ctx context.Context, ref Reference) (Commit, error) {
	if err := ref.Validate(); err != nil {
		return Commit{}, err
	}
	if ref.Name == "" && ref.Commit != "" {
		return resolve(nil, ref)
	}
	refs, err := r.ListRefs(ctx)
	if err != nil {
		return Commit{}, err
	}
	c, err := resolve(refs, ref)
	if err != nil {
		return Commit{}, fmt.Errorf("%s: %w", r.url, err)
	}
	return c, nil
}

// Snapshot is a fetched commit, held in a temporary folder until Close.
type Snapshot struct {
	// Commit is the commit fetched. For a branch it is where the branch
	// was when fetched, which may be newer than what Resolve saw.
	Commit Commit
	// Tree is the tree of the commit.
	Tree *object.Tree

	dir string
}

// Close removes the fetched objects.
func (s *Snapshot) Close() error { return os.RemoveAll(s.dir) }

// Fetch fetches the objects of c, and only those: a shallow fetch (depth 1)
// of its reference, or of the commit itself when it is Pinned. When
// the server does not allow fetching a commit by hash, its history is
// fetched in full (that of the branch, if one was given) and the commit
// looked up in it. The objects are kept in a temporary folder under tmpDir
// ("" for the system default) until the Snapshot is closed.
func (r *Repository) Fetch(ctx context.Context, c Commit, tmpDir string) (*Snapshot, error) {
	dir, err := os.MkdirTemp(tmpDir, "fetch-")
	if err != nil {
		return nil, fmt.Errorf("fetching: %w", err)
	}
	snap, err := r.fetch(ctx, c, dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return snap, nil
}

func (r *Repository) fetch(ctx context.Context, c Commit, dir string) (*Snapshot, error) {
	storage := filesystem.NewStorage(osfs.New(dir), cache.NewObjectLRUDefault())
	repo, err := git.Init(storage, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching: %w", err)
	}
	remote, err := repo.CreateRemote(r.remoteConfig())
	if err != nil {
		return nil, fmt.Errorf("fetching: %w", err)
	}
	proxyOpts, release := r.proxyOptions(ctx)
	defer release()
	opts := func(depth int, specs ...config.RefSpec) *git.FetchOptions {
		return &git.FetchOptions{
			RemoteName:   git.DefaultRemoteName,
			RefSpecs:     specs,
			Depth:        depth,
			Auth:         r.auth.method,
			CABundle:     r.auth.caBundle,
			ClientCert:   r.auth.cert,
			ClientKey:    r.auth.key,
			Tags:         git.NoTags,
			ProxyOptions: proxyOpts,
		}
	}

	var hash plumbing.Hash
	if c.Pinned {
		hash = plumbing.NewHash(c.Hash)
		err = remote.FetchContext(ctx, opts(1, config.RefSpec("+"+c.Hash+":refs/schemactl/fetched")))
		if errors.Is(err, git.ErrExactSHA1NotSupported) {
			specs := []config.RefSpec{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"}
			if c.Reference != "" {
				specs = []config.RefSpec{config.RefSpec("+" + c.Reference + ":" + c.Reference)}
			}
			err = remote.FetchContext(ctx, opts(0, specs...))
		}
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return nil, r.wrap(ctx, "fetching commit "+c.Hash+" from", err)
		}
	} else {
		name := c.Reference
		if name == "" {
			name = "HEAD"
		}
		local := plumbing.ReferenceName("refs/schemactl/fetched")
		err = remote.FetchContext(ctx, opts(1, config.RefSpec("+"+name+":"+local.String())))
		if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
			return nil, r.wrap(ctx, "fetching "+name+" from", err)
		}
		ref, err := repo.Reference(local, true)
		if err != nil {
			return nil, fmt.Errorf("fetching %s from %s: %w", name, r.url, err)
		}
		hash = ref.Hash()
	}

	commit, err := peelToCommit(repo, hash)
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, fmt.Errorf("%s: %w: commit %s", r.url, ErrReferenceNotFound, hash)
	}
	if err != nil {
		return nil, fmt.Errorf("reading commit %s: %w", hash, err)
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("reading the tree of %s: %w", hash, err)
	}
	c.Hash = commit.Hash.String()
	return &Snapshot{Commit: c, Tree: tree, dir: dir}, nil
}

// proxyOptions binds the SSH connections of an operation to ctx (see
// sshdial.go); other transports honour ctx by themselves.
func (r *Repository) proxyOptions(ctx context.Context) (transport.ProxyOptions, func()) {
	if r.url.Transport != TransportSSH {
		return transport.ProxyOptions{}, func() {}
	}
	return sshProxyOptions(ctx)
}

// peelToCommit follows annotated tags, nested or not, to their commit.
func peelToCommit(repo *git.Repository, h plumbing.Hash) (*object.Commit, error) {
	for range 10 {
		tag, err := repo.TagObject(h)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return repo.CommitObject(h)
		}
		if err != nil {
			return nil, err
		}
		h = tag.Target
	}
	return nil, fmt.Errorf("too many nested tags at %s", h)
}

// wrap adds context to a go-git error, classifies it and removes secrets.
// When ctx ended, that is the error: what go-git saw then is a consequence
// (a closed connection).
func (r *Repository) wrap(ctx context.Context, what string, err error) error {
	ctxErr := ctx.Err()
	if deadline, ok := ctx.Deadline(); ok && ctxErr == nil && !time.Now().Before(deadline) {
		// The connection's deadline, which is the context's, may fire
		// before the context's own timer.
		ctxErr = context.DeadlineExceeded
	}
	if ctxErr != nil {
		return fmt.Errorf("%s %s: %w", what, r.url, ctxErr)
	}
	return redact(fmt.Errorf("%s %s: %w", what, r.url, classify(err)), r.auth.secrets...)
}
