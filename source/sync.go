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
	"fmt"
)

// SyncRequest is what Sync brings into a store.
type SyncRequest struct {
	// Owner is who the artifact belongs to, e.g. namespace/name.
	Owner string
	// Reference selects the commit.
	Reference Reference
	// Ignore holds gitignore patterns of files to leave out.
	Ignore string
	// BeforeFetch, when set, is called once the remote is known to have a
	// revision the store lacks, before the fetch starts, e.g. to report
	// progress. An error stops Sync.
	BeforeFetch func(ctx context.Context, c Commit) error
}

// SyncResult is the outcome of Sync.
type SyncResult struct {
	// Artifact is the stored artifact of the resolved commit.
	Artifact *Artifact
	// Commit is the commit the artifact holds.
	Commit Commit
	// Fetched is false when the store already held the artifact of the
	// commit the remote advertises, so nothing was fetched.
	Fetched bool
}

// Sync makes store hold the artifact of req.Reference for req.Owner. It asks
// the remote for its references first (one round trip, nothing else when a
// commit is given by hash) and fetches only when the store has no artifact
// of the resolved revision and ignore patterns: an unchanged remote costs one
// ls-remote, no clone and no checkout.
func Sync(ctx context.Context, repo *Repository, store *Store, req SyncRequest) (*SyncResult, error) {
	c, err := repo.Resolve(ctx, req.Reference)
	if err != nil {
		return nil, err
	}
	a, err := store.Lookup(req.Owner, c.Revision(), req.Ignore)
	if err != nil {
		return nil, err
	}
	if a != nil {
		return &SyncResult{Artifact: a, Commit: c}, nil
	}
	if req.BeforeFetch != nil {
		if err := req.BeforeFetch(ctx, c); err != nil {
			return nil, err
		}
	}
	tmp, err := store.tempDir()
	if err != nil {
		return nil, err
	}
	snap, err := repo.Fetch(ctx, c, tmp)
	if err != nil {
		return nil, err
	}
	defer func() { _ = snap.Close() }()
	a, err = store.Put(ctx, req.Owner, snap.Commit.Revision(), req.Ignore, snap.Tree)
	if err != nil {
		return nil, fmt.Errorf("storing %s: %w", snap.Commit.Revision(), err)
	}
	return &SyncResult{Artifact: a, Commit: snap.Commit, Fetched: true}, nil
}
