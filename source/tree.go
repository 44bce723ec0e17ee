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
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// SourceIgnoreFile is the name of the files whose gitignore patterns leave
// files of their folder out of the artifact, as in Flux.
const SourceIgnoreFile = ".sourceignore"

// maxSymlinkHops bounds the symlinks followed while resolving one, as the
// kernel does (40 on Linux), so that cycles end.
const maxSymlinkHops = 40

// node is one file or symlink of a tree that goes into the artifact.
type node struct {
	path   string // slash-separated, relative to the root
	mode   filemode.FileMode
	size   int64
	target string // of a symlink
	file   *object.File
	data   []byte // the content when file is nil (an entry of an archive)
}

// treeWalk gathers the nodes of a tree that the ignore rules keep.
type treeWalk struct {
	ctx      context.Context
	limit    int64
	size     int64
	nodes    map[string]*node
	dirs     map[string]bool
	warnings []string
}

// ParseIgnore parses patterns in gitignore syntax, one a line; blank lines
// and comments are skipped. domain is the folder the patterns apply to, nil
// for the root.
func ParseIgnore(patterns string, domain []string) []gitignore.Pattern {
	var ps []gitignore.Pattern
	for _, line := range strings.Split(patterns, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// walkTree collects the files and symlinks of tree that neither the ignore
// patterns nor .sourceignore files leave out. It stops with an error wrapping
// ErrSizeLimitExceeded as soon as the kept files exceed limit (0: none).
func walkTree(ctx context.Context, tree *object.Tree, ignore string, limit int64) (*treeWalk, error) {
	w := &treeWalk{ctx: ctx, limit: limit, nodes: map[string]*node{}, dirs: map[string]bool{"": true}}
	if err := w.walk(tree, nil, ParseIgnore(ignore, nil)); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *treeWalk) walk(tree *object.Tree, dir []string, patterns []gitignore.Pattern) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	for _, e := range tree.Entries {
		if !safeEntryName(e.Name) {
			return fmt.Errorf("%w: %q in folder %q", ErrUnsafePath, e.Name, "/"+path.Join(dir...))
		}
	}
	for _, e := range tree.Entries {
		if e.Name == SourceIgnoreFile && e.Mode.IsFile() {
			f, err := tree.TreeEntryFile(&e)
			if err != nil {
				return fmt.Errorf("reading %s: %w", path.Join(append(dir, e.Name)...), err)
			}
			content, err := f.Contents()
			if err != nil {
				return fmt.Errorf("reading %s: %w", path.Join(append(dir, e.Name)...), err)
			}
			// Copy before appending: the slice is shared with the caller.
			patterns = append(append([]gitignore.Pattern(nil), patterns...), ParseIgnore(content, dir)...)
		}
	}
	matcher := gitignore.NewMatcher(patterns)
	for _, e := range tree.Entries {
		if e.Name == ".git" {
			continue
		}
		parts := append(append(make([]string, 0, len(dir)+1), dir...), e.Name)
		p := path.Join(parts...)
		isDir := e.Mode == filemode.Dir
		if matcher.Match(parts, isDir) {
			continue
		}
		switch e.Mode {
		case filemode.Dir:
			sub, err := tree.Tree(e.Name)
			if err != nil {
				return fmt.Errorf("reading folder %s: %w", p, err)
			}
			w.dirs[p] = true
			if err := w.walk(sub, parts, patterns); err != nil {
				return err
			}
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			f, err := tree.TreeEntryFile(&e)
			if err != nil {
				return fmt.Errorf("reading %s: %w", p, err)
			}
			w.size += f.Size
			if w.limit > 0 && w.size > w.limit {
				return &SizeLimitError{Limit: w.limit, AtLeast: w.size}
			}
			w.nodes[p] = &node{path: p, mode: e.Mode, size: f.Size, file: f}
		case filemode.Symlink:
			f, err := tree.TreeEntryFile(&e)
			if err != nil {
				return fmt.Errorf("reading %s: %w", p, err)
			}
			target, err := f.Contents()
			if err != nil {
				return fmt.Errorf("reading %s: %w", p, err)
			}
			w.nodes[p] = &node{path: p, mode: e.Mode, target: target}
		case filemode.Submodule:
			w.warnings = append(w.warnings, fmt.Sprintf("submodule %s left out: submodules are not fetched", p))
		}
	}
	return nil
}

// safeEntryName reports whether name can be one component of a path under
// the artifact's folder: git's own fsck rejects the rest (verify_path), but
// a tree comes from a remote that need not be git.
func safeEntryName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}

// SizeLimitError reports files that exceed the artifact size limit. It
// wraps ErrSizeLimitExceeded.
type SizeLimitError struct {
	// Limit is the size limit in bytes.
	Limit int64
	// AtLeast is the size reached when the walk stopped; the files may be
	// larger still.
	AtLeast int64
}

func (e *SizeLimitError) Error() string {
	return fmt.Sprintf("%s: the files exceed %s (at least %s); leave some out with ignore patterns",
		ErrSizeLimitExceeded, formatBytes(e.Limit), formatBytes(e.AtLeast))
}

// Unwrap returns ErrSizeLimitExceeded.
func (e *SizeLimitError) Unwrap() error { return ErrSizeLimitExceeded }

func formatBytes(n int64) string {
	const mib = 1 << 20
	if n >= mib {
		return strconv.FormatFloat(float64(n)/mib, 'f', -1, 64) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// checkSymlinks drops every symlink that does not resolve to a file or
// folder of the artifact, with a warning: those that point outside the tree
// (absolute, or climbing above the root, also through other symlinks) and
// those that point at nothing that is kept. The resolution is that of the
// kernel, component by component, so that a symlinked folder followed by
// ".." is judged where it really leads.
func (w *treeWalk) checkSymlinks() {
	var links []string
	for p, n := range w.nodes {
		if n.mode == filemode.Symlink {
			links = append(links, p)
		}
	}
	sort.Strings(links)
	var drop []string
	for _, p := range links {
		if reason := w.resolve(p); reason != "" {
			drop = append(drop, p)
			w.warnings = append(w.warnings, fmt.Sprintf("symlink %s -> %s left out: %s", p, w.nodes[p].target, reason))
		}
	}
	for _, p := range drop {
		delete(w.nodes, p)
	}
}

// resolve returns why the symlink at p cannot stay, or "" when it resolves
// inside the artifact.
func (w *treeWalk) resolve(p string) string {
	cur := splitPath(path.Dir(p))
	pending := []string{w.nodes[p].target}
	hops := 0
outer:
	for len(pending) > 0 {
		target := pending[0]
		pending = pending[1:]
		if strings.HasPrefix(target, "/") {
			return "it points outside the repository"
		}
		comps := splitPath(target)
		for i, c := range comps {
			switch c {
			case ".":
				continue
			case "..":
				if len(cur) == 0 {
					return "it points outside the repository"
				}
				cur = cur[:len(cur)-1]
				continue
			}
			next := path.Join(append(append([]string(nil), cur...), c)...)
			n, isNode := w.nodes[next]
			switch {
			case isNode && n.mode == filemode.Symlink:
				hops++
				if hops > maxSymlinkHops {
					return "too many levels of symlinks"
				}
				// The link's own target is resolved from the folder it is
				// in (cur), then the rest of this path.
				rest := path.Join(comps[i+1:]...)
				pending = append([]string{n.target}, append(nonEmpty(rest), pending...)...)
				continue outer
			case isNode:
				if i != len(comps)-1 || len(pending) > 0 {
					return "it points through a file"
				}
				return ""
			case w.dirs[next]:
				cur = append(cur, c)
			default:
				return "it points at nothing in the artifact"
			}
		}
	}
	return ""
}

func splitPath(p string) []string {
	var out []string
	for _, c := range strings.Split(p, "/") {
		if c != "" && c != "." {
			out = append(out, c)
		}
	}
	return out
}

func nonEmpty(s string) []string {
	if s == "" || s == "." {
		return nil
	}
	return []string{s}
}

// contentStats describes what writeFiles wrote.
type contentStats struct {
	digest string
	size   int64
	files  int
}

// writeFiles writes the kept nodes under dir, in path order, and digests
// them: SHA-256 over each path, kind, size or target, and content, so that
// equal files give equal digests whatever the commit or the ref.
func (w *treeWalk) writeFiles(dir string) (contentStats, error) {
	paths := make([]string, 0, len(w.nodes))
	for p := range w.nodes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha256.New()
	var st contentStats
	written := make([]string, 0, len(paths))
	for i, p := range paths {
		if i%64 == 0 {
			if err := w.ctx.Err(); err != nil {
				return st, err
			}
		}
		n := w.nodes[p]
		dst := filepath.Join(dir, filepath.FromSlash(p))
		// walk refuses unsafe names; this keeps a later change from
		// writing outside dir all the same.
		if rel, err := filepath.Rel(dir, dst); err != nil || !filepath.IsLocal(rel) {
			return st, fmt.Errorf("%w: %q", ErrUnsafePath, p)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return st, err
		}
		if n.mode == filemode.Symlink {
			_, _ = fmt.Fprintf(h, "link %s\x00%s\x00", p, n.target)
			if err := os.Symlink(n.target, dst); err != nil {
				return st, err
			}
			continue
		}
		kind, perm := "file", os.FileMode(0o644)
		if n.mode == filemode.Executable {
			kind, perm = "exec", 0o755
		}
		_, _ = fmt.Fprintf(h, "%s %s\x00%d\x00", kind, p, n.size)
		if err := n.write(dst, perm, h); err != nil {
			return st, fmt.Errorf("writing %s: %w", p, err)
		}
		written = append(written, dst)
		st.size += n.size
		st.files++
	}
	if err := syncFiles(written); err != nil {
		return st, err
	}
	st.digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return st, nil
}

// syncWorkers is how many files are flushed at once. Concurrent fsyncs
// share journal commits, which makes flushing a few hundred small files
// several times faster than one after the other.
const syncWorkers = 16

// syncFiles flushes files to disk, so that after a power loss an artifact
// that was renamed into place never has empty or partial files.
func syncFiles(names []string) error {
	work := make(chan string)
	errs := make(chan error, syncWorkers)
	var wg sync.WaitGroup
	for range min(syncWorkers, len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var firstErr error
			for name := range work {
				if firstErr != nil {
					continue
				}
				f, err := os.Open(name) //nolint:gosec // G304: a file this function's caller just wrote, opened to fsync it
				if err == nil {
					err = f.Sync()
					_ = f.Close()
				}
				firstErr = err
			}
			errs <- firstErr
		}()
	}
	for _, name := range names {
		work <- name
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return fmt.Errorf("flushing files: %w", err)
		}
	}
	return nil
}

// write writes the content of a file node to dst (created, never overwritten)
// and into h.
func (n *node) write(dst string, perm os.FileMode, h hash.Hash) error {
	if n.file != nil {
		return writeBlob(n.file, dst, perm, h)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm) //nolint:gosec // G304: creates (O_EXCL, never overwrites) a file of the archive under the new artifact directory, its path checked by writeFiles
	if err != nil {
		return err
	}
	_, err = out.Write(n.data)
	h.Write(n.data)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func writeBlob(f *object.File, dst string, perm os.FileMode, h hash.Hash) error {
	r, err := f.Reader()
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm) //nolint:gosec // G304: creates (O_EXCL, never overwrites) a file of the git tree under the new checkout directory
	if err != nil {
		return err
	}
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if err == nil && n != f.Size {
		err = fmt.Errorf("read %d bytes of %d", n, f.Size)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
