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
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/go-git/go-git/v5/plumbing"
)

// Reference selects what to check out of a repository. Precedence follows
// Flux: Name, then Commit (with Branch, if set, naming the revision), then
// SemVer, Tag and Branch. An empty Reference follows the remote's default
// branch, the one its HEAD points at.
type Reference struct {
	// Branch to follow, e.g. main.
	Branch string
	// Tag to check out, e.g. v1.2.0.
	Tag string
	// SemVer is a range; the highest tag in it is checked out.
	SemVer string
	// Name is a full reference name, e.g. refs/pull/42/head.
	Name string
	// Commit is an exact 40-hex commit SHA-1.
	Commit string
}

var commitPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Validate checks what can be checked without asking the remote. The error
// wraps ErrInvalidReference.
func (r Reference) Validate() error {
	switch {
	case r.Name != "":
		if !strings.HasPrefix(r.Name, "refs/") || plumbing.ReferenceName(r.Name).Validate() != nil {
			return fmt.Errorf("%w: name %q is not a full reference name such as refs/heads/main", ErrInvalidReference, r.Name)
		}
	case r.Commit != "":
		if !commitPattern.MatchString(r.Commit) {
			return fmt.Errorf("%w: commit %q is not a 40-character lowercase hex SHA-1", ErrInvalidReference, r.Commit)
		}
	case r.SemVer != "":
		if _, err := semver.NewConstraint(r.SemVer); err != nil {
			return fmt.Errorf("%w: semver range %q: %w", ErrInvalidReference, r.SemVer, err)
		}
	case r.Tag != "":
		if plumbing.NewTagReferenceName(r.Tag).Validate() != nil {
			return fmt.Errorf("%w: %q is not a valid tag name", ErrInvalidReference, r.Tag)
		}
	}
	if r.Branch != "" && plumbing.NewBranchReferenceName(r.Branch).Validate() != nil {
		return fmt.Errorf("%w: %q is not a valid branch name", ErrInvalidReference, r.Branch)
	}
	return nil
}

// String describes the reference for messages.
func (r Reference) String() string {
	switch {
	case r.Name != "":
		return "reference " + r.Name
	case r.Commit != "" && r.Branch != "":
		return "commit " + r.Commit + " on branch " + r.Branch
	case r.Commit != "":
		return "commit " + r.Commit
	case r.SemVer != "":
		return "semver range " + r.SemVer
	case r.Tag != "":
		return "tag " + r.Tag
	case r.Branch != "":
		return "branch " + r.Branch
	}
	return "default branch"
}

// Commit is a reference resolved to a commit.
type Commit struct {
	// Hash is the commit's 40-hex SHA-1.
	Hash string
	// Reference is the full name of the reference the commit was found
	// through, e.g. refs/heads/main; empty for a bare commit.
	Reference string
	// Absolute makes the revision carry the full reference name, as Flux
	// does for references given by name.
	Absolute bool
	// Pinned is set for a commit given by hash: it is fetched by hash, and
	// Reference (the branch, if any) only names the revision.
	Pinned bool
}

// Revision returns the commit in Flux's revision format:
// main@sha1:<hex> for refs/heads/main, v1.2.0@sha1:<hex> for refs/tags/v1.2.0,
// the full name when Absolute (refs/pull/1/head@sha1:<hex>), and sha1:<hex>
// without a reference.
func (c Commit) Revision() string {
	digest := "sha1:" + c.Hash
	if c.Reference == "" {
		return digest
	}
	if c.Absolute {
		return c.Reference + "@" + digest
	}
	if parts := strings.SplitN(c.Reference, "/", 3); len(parts) == 3 {
		return parts[2] + "@" + digest
	}
	return digest
}

// RevisionHash returns the commit hash of a revision in Flux's format
// (main@sha1:<hex>, sha1:<hex>), or "" when it has none.
func RevisionHash(revision string) string {
	if i := strings.LastIndex(revision, "@"); i >= 0 {
		revision = revision[i+1:]
	}
	if h, ok := strings.CutPrefix(revision, "sha1:"); ok && commitPattern.MatchString(h) {
		return h
	}
	return ""
}

// resolve picks the commit ref points at among refs, the advertisement of
// a remote with its peeled tags (names ending in ^{}).
func resolve(refs []*plumbing.Reference, ref Reference) (Commit, error) {
	if err := ref.Validate(); err != nil {
		return Commit{}, err
	}
	hashes := make(map[string]string, len(refs))
	peeled := make(map[string]string)
	var head *plumbing.Reference
	for _, r := range refs {
		name := r.Name().String()
		switch {
		case name == "HEAD":
			head = r
		case strings.HasSuffix(name, "^{}"):
			peeled[strings.TrimSuffix(name, "^{}")] = r.Hash().String()
		case r.Type() == plumbing.HashReference:
			hashes[name] = r.Hash().String()
		}
	}
	lookup := func(name string) (string, bool) {
		if h, ok := peeled[name]; ok {
			return h, true
		}
		h, ok := hashes[name]
		return h, ok
	}
	notFound := func() error { return fmt.Errorf("%w: %s", ErrReferenceNotFound, ref) }

	switch {
	case ref.Name != "":
		h, ok := lookup(ref.Name)
		if !ok {
			return Commit{}, notFound()
		}
		return Commit{Hash: h, Reference: ref.Name, Absolute: true}, nil
	case ref.Commit != "":
		c := Commit{Hash: ref.Commit, Pinned: true}
		if ref.Branch != "" {
			c.Reference = plumbing.NewBranchReferenceName(ref.Branch).String()
		}
		return c, nil
	case ref.SemVer != "":
		return resolveSemVer(ref, lookup, hashes)
	case ref.Tag != "":
		name := plumbing.NewTagReferenceName(ref.Tag).String()
		h, ok := lookup(name)
		if !ok {
			return Commit{}, notFound()
		}
		return Commit{Hash: h, Reference: name}, nil
	case ref.Branch != "":
		name := plumbing.NewBranchReferenceName(ref.Branch).String()
		h, ok := hashes[name]
		if !ok {
			return Commit{}, notFound()
		}
		return Commit{Hash: h, Reference: name}, nil
	}
	return resolveHead(head, hashes)
}

func resolveSemVer(ref Reference, lookup func(string) (string, bool), hashes map[string]string) (Commit, error) {
	constraint, _ := semver.NewConstraint(ref.SemVer) // validated
	var (
		best     *semver.Version
		bestName string
	)
	for name := range hashes {
		tag, ok := strings.CutPrefix(name, "refs/tags/")
		if !ok {
			continue
		}
		v, err := semver.NewVersion(tag)
		if err != nil || !constraint.Check(v) {
			continue
		}
		// Ties (v1.0.0 and 1.0.0) go to the greater name, so that the
		// choice does not depend on map order.
		if best == nil || v.GreaterThan(best) || (v.Equal(best) && name > bestName) {
			best, bestName = v, name
		}
	}
	if best == nil {
		return Commit{}, fmt.Errorf("%w: no tag matches semver range %q", ErrReferenceNotFound, ref.SemVer)
	}
	h, _ := lookup(bestName)
	return Commit{Hash: h, Reference: bestName}, nil
}

// resolveHead follows the symbolic HEAD of the remote. Servers that do not
// advertise symbolic refs only say which commit HEAD is; then the branch at
// that commit is taken, preferring main and master, then the first by name.
func resolveHead(head *plumbing.Reference, hashes map[string]string) (Commit, error) {
	if head == nil {
		return Commit{}, fmt.Errorf("%w: the remote advertises no HEAD; set a branch", ErrReferenceNotFound)
	}
	if head.Type() == plumbing.SymbolicReference {
		name := head.Target().String()
		h, ok := hashes[name]
		if !ok {
			return Commit{}, fmt.Errorf("%w: HEAD points at %s, which does not exist", ErrReferenceNotFound, name)
		}
		return Commit{Hash: h, Reference: name}, nil
	}
	want := head.Hash().String()
	var candidates []string
	for name, h := range hashes {
		if h == want && strings.HasPrefix(name, "refs/heads/") {
			candidates = append(candidates, name)
		}
	}
	sort.Slice(candidates, func(i, j int) bool {
		rank := func(n string) int {
			switch n {
			case "refs/heads/main":
				return 0
			case "refs/heads/master":
				return 1
			}
			return 2
		}
		if ri, rj := rank(candidates[i]), rank(candidates[j]); ri != rj {
			return ri < rj
		}
		return candidates[i] < candidates[j]
	})
	if len(candidates) == 0 {
		return Commit{Hash: want}, nil
	}
	return Commit{Hash: want, Reference: candidates[0]}, nil
}
