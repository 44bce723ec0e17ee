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
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
	. "github.com/onsi/gomega"
)

const testRev = "main@sha1:" + hashA

// listFiles returns the files under dir as slash paths, with symlinks as
// "path -> target".
func listFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.Type()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			rel += " -> " + target
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func newTestStore(t testing.TB, opts ...StoreOption) *Store {
	t.Helper()
	s, err := NewStore(t.TempDir(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStore_Put_ignoreRules(t *testing.T) {
	tree := buildTree(t, map[string]tf{
		"db/orders/001.sql":       file("create table a();"),
		"db/orders/002.sql":       file("create table b();"),
		"db/orders/README.md":     file("docs"),
		"db/scratch/tmp.sql":      file("x"),
		"docs/guide.md":           file("guide"),
		"docs/keep.md":            file("keep"),
		"build/out.bin":           file("bin"),
		"sub/build/nested.bin":    file("nested"),
		"sub/.sourceignore":       file("# leave drafts out\n*.draft\n"),
		"sub/a.draft":             file("draft"),
		"sub/a.sql":               file("ok"),
		"a.draft":                 file("not under sub"),
		".git/config":             file("[core]"),
		"vendor/.git/HEAD":        file("ref"),
		"scripts/run.sh":          exe("#!/bin/sh"),
		"windows.sql":             file("crlf"),
		"space in name/file.sql":  file("s"),
		"db/orders/generated.sql": file("gen"),
	})
	ignore := "/docs/\n!/docs/keep.md\n# a comment\n\nbuild/\n**/README.md\ndb/scratch\n*generated*\r\n"
	g := NewWithT(t)
	s := newTestStore(t)
	a, err := s.Put(context.Background(), "ns/repo", testRev, ignore, tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(listFiles(t, a.Path)).To(Equal([]string{
		"a.draft",
		"db/orders/001.sql",
		"db/orders/002.sql",
		"scripts/run.sh",
		"space in name/file.sql",
		"sub/.sourceignore",
		"sub/a.sql",
		"windows.sql",
	}), "docs/ is excluded as a folder, so docs/keep.md cannot come back, as in Git")
	g.Expect(a.Files).To(Equal(8))
	info, err := os.Stat(filepath.Join(a.Path, "scripts/run.sh"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(info.Mode().Perm()).To(Equal(os.FileMode(0o755)))
	g.Expect(a.Revision).To(Equal(testRev))
	g.Expect(a.Ignore).To(Equal(ignore))
	g.Expect(a.Digest).To(MatchRegexp(`^sha256:[0-9a-f]{64}$`))
	g.Expect(a.RelPath).To(HavePrefix("ns/repo/" + hashA + "-"))
	g.Expect(a.RelPath).To(HaveSuffix("/files"))
}

func TestStore_Put_symlinks(t *testing.T) {
	tree := buildTree(t, map[string]tf{
		"schema/001.sql":      file("create table a();"),
		"schema/v2/001.sql":   file("create table b();"),
		"current":             link("schema/v2"),
		"alias.sql":           link("schema/001.sql"),
		"schema/up.sql":       link("../schema/001.sql"),
		"chain.sql":           link("alias.sql"),
		"passwd":              link("/etc/passwd"),
		"escape":              link("../../etc/passwd"),
		"deep/d":              link("../schema/v2"),
		"through-dir":         link("deep/d/../../.."),
		"loop-a":              link("loop-b"),
		"loop-b":              link("loop-a"),
		"dangling":            link("missing.sql"),
		"to-ignored":          link("secret.txt"),
		"secret.txt":          file("ignored"),
		"via-escaping":        link("passwd"),
		"through-file":        link("schema/001.sql/x"),
		"dir-link-parent":     link("current/.."),
		"schema/v2/sibling":   link("../001.sql"),
		"schema/v2/to-parent": link("../../current/001.sql"),
		// Lexically inside, physically outside: a/b/c/d is the folder
		// top, so three ".." climb above the root.
		"top/t.sql":     file("create table t();"),
		"a/b/c/d":       link("../../../top"),
		"kernel-escape": link("a/b/c/d/../../.."),
		"kernel-inside": link("a/b/c/d/../top/t.sql"),
		"deeplink":      link("a/b/c"),
		"lexically-out": link("deeplink/../../b/c/d/t.sql"),
	})
	g := NewWithT(t)
	s := newTestStore(t)
	a, err := s.Put(context.Background(), "ns/repo", testRev, "secret.txt", tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(listFiles(t, a.Path)).To(Equal([]string{
		"a/b/c/d -> ../../../top",
		"alias.sql -> schema/001.sql",
		"chain.sql -> alias.sql",
		"current -> schema/v2",
		"deep/d -> ../schema/v2",
		"deeplink -> a/b/c",
		"dir-link-parent -> current/..",
		"kernel-inside -> a/b/c/d/../top/t.sql",
		"lexically-out -> deeplink/../../b/c/d/t.sql",
		"schema/001.sql",
		"schema/up.sql -> ../schema/001.sql",
		"schema/v2/001.sql",
		"schema/v2/sibling -> ../001.sql",
		"schema/v2/to-parent -> ../../current/001.sql",
		"top/t.sql",
	}))
	g.Expect(a.Warnings).To(ConsistOf(
		"symlink dangling -> missing.sql left out: it points at nothing in the artifact",
		"symlink escape -> ../../etc/passwd left out: it points outside the repository",
		"symlink kernel-escape -> a/b/c/d/../../.. left out: it points outside the repository",
		"symlink loop-a -> loop-b left out: too many levels of symlinks",
		"symlink loop-b -> loop-a left out: too many levels of symlinks",
		"symlink passwd -> /etc/passwd left out: it points outside the repository",
		"symlink through-dir -> deep/d/../../.. left out: it points outside the repository",
		"symlink through-file -> schema/001.sql/x left out: it points through a file",
		"symlink to-ignored -> secret.txt left out: it points at nothing in the artifact",
		"symlink via-escaping -> passwd left out: it points outside the repository",
	))
	// What stays resolves, and resolves inside the artifact.
	for _, p := range []string{"alias.sql", "chain.sql", "current/001.sql", "schema/up.sql", "schema/v2/to-parent", "kernel-inside", "lexically-out"} {
		content, err := os.ReadFile(filepath.Join(a.Path, p))
		g.Expect(err).NotTo(HaveOccurred(), p)
		g.Expect(string(content)).To(HavePrefix("create table"), p)
	}
}

func TestStore_Put_sizeLimit(t *testing.T) {
	big := strings.Repeat("x", 600)
	tree := buildTree(t, map[string]tf{"a.sql": file(big), "b.sql": file(big), "docs/c.bin": file(big)})
	g := NewWithT(t)
	s := newTestStore(t, WithSizeLimit(1000))

	_, err := s.Put(context.Background(), "ns/repo", testRev, "", tree)
	g.Expect(err).To(MatchError(ErrSizeLimitExceeded))
	g.Expect(err.Error()).To(ContainSubstring("exceed 1000 bytes"))
	g.Expect(s.List("ns/repo")).To(BeEmpty())
	entries, _ := os.ReadDir(filepath.Join(s.Root(), "ns/repo"))
	g.Expect(entries).To(BeEmpty(), "nothing is written before the size is known")

	// Ignored files do not count.
	a, err := s.Put(context.Background(), "ns/repo", testRev, "*.bin\nb.sql", tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a.Size).To(Equal(int64(600)))

	g.Expect((&SizeLimitError{Limit: DefaultSizeLimit, AtLeast: 60 << 20}).Error()).To(
		ContainSubstring("exceed 50 MiB (at least 60 MiB)"))
}

func TestStore_Put_digest(t *testing.T) {
	g := NewWithT(t)
	s := newTestStore(t)
	files := map[string]tf{"b.sql": file("b"), "a/x.sql": file("x"), "l": link("b.sql")}
	put := func(rev, ignore string, files map[string]tf) *Artifact {
		a, err := s.Put(context.Background(), "ns/repo", rev, ignore, buildTree(t, files))
		g.Expect(err).NotTo(HaveOccurred())
		return a
	}
	a1 := put(testRev, "", files)
	a2 := put("v1.0.0@sha1:"+hashB, "", files)
	g.Expect(a2.Digest).To(Equal(a1.Digest), "equal content, equal digest, whatever the revision")
	g.Expect(a2.RelPath).NotTo(Equal(a1.RelPath))

	a3 := put(testRev, "# only a comment", files)
	g.Expect(a3.Digest).To(Equal(a1.Digest))
	g.Expect(a3.RelPath).NotTo(Equal(a1.RelPath), "other ignore patterns, other artifact")

	for name, changed := range map[string]map[string]tf{
		"content": {"b.sql": file("B"), "a/x.sql": file("x"), "l": link("b.sql")},
		"path":    {"b.sql": file("b"), "a/y.sql": file("x"), "l": link("b.sql")},
		"mode":    {"b.sql": exe("b"), "a/x.sql": file("x"), "l": link("b.sql")},
		"link":    {"b.sql": file("b"), "a/x.sql": file("x"), "l": link("a/x.sql")},
		"split":   {"b.sql": file(""), "a/x.sql": file("xb"), "l": link("b.sql")},
	} {
		a := put("main@sha1:"+hashC, name, changed)
		g.Expect(a.Digest).NotTo(Equal(a1.Digest), name)
	}
}

func TestStore_Put_atomic(t *testing.T) {
	g := NewWithT(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := newTestStore(t, withClock(func() time.Time { return now }))
	tree := buildTree(t, map[string]tf{"a.sql": file("a")})

	// A crash while writing leaves a temporary folder: it is never an
	// artifact, even with complete metadata in it.
	key := artifactKey(testRev, "")
	partial := filepath.Join(s.Root(), "ns/repo", tempPrefix+key+"-123")
	g.Expect(os.MkdirAll(filepath.Join(partial, filesDir), 0o755)).To(Succeed())
	g.Expect(os.WriteFile(filepath.Join(partial, metadataFile), []byte(`{"revision":"`+testRev+`"}`), 0o644)).To(Succeed())
	g.Expect(s.Lookup("ns/repo", testRev, "")).To(BeNil())
	g.Expect(s.List("ns/repo")).To(BeEmpty())

	// A cancelled write leaves nothing behind.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Put(ctx, "ns/repo", testRev, "", tree)
	g.Expect(err).To(MatchError(context.Canceled))
	g.Expect(s.Lookup("ns/repo", testRev, "")).To(BeNil())

	a, err := s.Put(context.Background(), "ns/repo", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a.LastUpdateTime).To(Equal(now))
	got, err := s.Lookup("ns/repo", testRev, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(got).To(Equal(a))
	byPath, err := s.Get(a.RelPath)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(byPath).To(Equal(a))

	// Putting it again returns the stored one.
	again, err := s.Put(context.Background(), "ns/repo", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(again).To(Equal(a))

	// The leftover of the crash goes once it is old.
	g.Expect(os.Chtimes(partial, now.Add(-2*time.Hour), now.Add(-2*time.Hour))).To(Succeed())
	_, err = s.GC("ns/repo", a.RelPath)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(partial).NotTo(BeADirectory())
	g.Expect(a.Path).To(BeADirectory())
	entries, _ := os.ReadDir(filepath.Join(s.Root(), "ns/repo"))
	g.Expect(entries).To(HaveLen(1))
}

func TestStore_GC(t *testing.T) {
	g := NewWithT(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := newTestStore(t, WithRetain(2), withClock(func() time.Time { return now }))
	tree := buildTree(t, map[string]tf{"a.sql": file("a")})
	var arts []*Artifact
	for i, h := range []string{hashA, hashB, hashC, hashD} {
		now = now.Add(time.Minute)
		a, err := s.Put(context.Background(), "ns/repo", "main@sha1:"+h, "", tree)
		g.Expect(err).NotTo(HaveOccurred(), "put %d", i)
		arts = append(arts, a)
	}
	other, err := s.Put(context.Background(), "ns/other", testRev, "", tree)
	g.Expect(err).NotTo(HaveOccurred())

	// The current artifact is kept even when it is not the newest (a
	// rollback to an older commit), and counts towards the retained ones.
	removed, err := s.GC("ns/repo", arts[1].RelPath)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(removed).To(ConsistOf(arts[0].RelPath, arts[2].RelPath))
	left, err := s.List("ns/repo")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(left).To(HaveLen(2))
	g.Expect(left[0].Revision).To(Equal(arts[3].Revision), "newest first")
	g.Expect(left[1].Revision).To(Equal(arts[1].Revision))
	g.Expect(other.Path).To(BeADirectory(), "other owners are left alone")

	g.Expect(s.Remove("ns/repo")).To(Succeed())
	g.Expect(s.List("ns/repo")).To(BeEmpty())
	g.Expect(other.Path).To(BeADirectory())
}

// TestStore_GCPinned: pinned revisions (Databases' spec.sourceRevision) are
// kept beyond the retained ones and do not use up the retention; FindRevision
// finds a retained artifact by revision, and nothing for one that is gone.
func TestStore_GCPinned(t *testing.T) {
	g := NewWithT(t)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := newTestStore(t, WithRetain(2), withClock(func() time.Time { return now }))
	tree := buildTree(t, map[string]tf{"a.sql": file("a")})
	var arts []*Artifact
	for i, h := range []string{hashA, hashB, hashC, hashD} {
		now = now.Add(time.Minute)
		a, err := s.Put(context.Background(), "ns/repo", "main@sha1:"+h, "", tree)
		g.Expect(err).NotTo(HaveOccurred(), "put %d", i)
		arts = append(arts, a)
	}
	pinned := func(rev string) bool { return rev == arts[0].Revision }
	removed, err := s.GCPinned("ns/repo", arts[3].RelPath, pinned)
	g.Expect(err).NotTo(HaveOccurred())
	// Kept: the current (D), the one before (C), and the pinned A.
	g.Expect(removed).To(ConsistOf(arts[1].RelPath))
	a, err := s.FindRevision("ns/repo", arts[0].Revision)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(a).NotTo(BeNil())
	g.Expect(a.Path).To(Equal(arts[0].Path))
	g.Expect(a.Path).To(BeADirectory())
	gone, err := s.FindRevision("ns/repo", arts[1].Revision)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(gone).To(BeNil())

	// Unpinned, it goes like any old artifact.
	removed, err = s.GC("ns/repo", arts[3].RelPath)
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(removed).To(ConsistOf(arts[0].RelPath))
}

func TestStore_invalidPaths(t *testing.T) {
	g := NewWithT(t)
	s := newTestStore(t)
	tree := buildTree(t, map[string]tf{"a.sql": file("a")})
	for _, owner := range []string{"", "..", "ns/..", "../x", "/abs", "ns//x", ".fetch", "ns/.tmp-x"} {
		_, err := s.Put(context.Background(), owner, testRev, "", tree)
		g.Expect(err).To(HaveOccurred(), owner)
	}
	for _, rel := range []string{"", ".", "../x/files", "/etc/files", "ns/repo/key", "ns/../../files"} {
		_, err := s.Get(rel)
		g.Expect(err).To(HaveOccurred(), rel)
	}
}

// rawTree stores a tree of one blob entry named name inside a folder "sub"
// (or at the root when atRoot), bypassing every check a git client makes,
// as a hostile server could send it.
func rawTree(t testing.TB, name string, mode filemode.FileMode, atRoot bool) *object.Tree {
	t.Helper()
	s := memory.NewStorage()
	encode := func(o plumbing.EncodedObject) plumbing.Hash {
		h, err := s.SetEncodedObject(o)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	blob := s.NewEncodedObject()
	blob.SetType(plumbing.BlobObject)
	w, err := blob.Writer()
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("create table pwned();"))
	_ = w.Close()
	bh := encode(blob)
	entries := []object.TreeEntry{{Name: name, Mode: mode, Hash: bh}}
	if mode == filemode.Dir {
		inner := &object.Tree{Entries: []object.TreeEntry{{Name: "x.sql", Mode: filemode.Regular, Hash: bh}}}
		o := s.NewEncodedObject()
		if err := inner.Encode(o); err != nil {
			t.Fatal(err)
		}
		entries[0].Hash = encode(o)
	}
	tree := &object.Tree{Entries: entries}
	if !atRoot {
		o := s.NewEncodedObject()
		if err := tree.Encode(o); err != nil {
			t.Fatal(err)
		}
		tree = &object.Tree{Entries: []object.TreeEntry{
			{Name: "a.sql", Mode: filemode.Regular, Hash: bh},
			{Name: "sub", Mode: filemode.Dir, Hash: encode(o)},
		}}
	}
	o := s.NewEncodedObject()
	if err := tree.Encode(o); err != nil {
		t.Fatal(err)
	}
	root, err := object.GetTree(s, encode(o))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// A tree entry named "..", or holding a slash, would be written outside the
// artifact's folder: the store refuses the commit and writes nothing.
func TestStore_Put_unsafeTreeEntries(t *testing.T) {
	for _, name := range []string{"..", ".", "../../escape.sql", "a/../../b.sql", "/etc/x.sql"} {
		for _, mode := range []filemode.FileMode{filemode.Regular, filemode.Dir, filemode.Symlink} {
			for _, atRoot := range []bool{true, false} {
				g := NewWithT(t)
				base := t.TempDir()
				s, err := NewStore(filepath.Join(base, "store"))
				g.Expect(err).NotTo(HaveOccurred())
				_, err = s.Put(context.Background(), "ns/repo", testRev, "", rawTree(t, name, mode, atRoot))
				g.Expect(err).To(MatchError(ErrUnsafePath), "%q mode %v root %v", name, mode, atRoot)
				g.Expect(err.Error()).To(ContainSubstring("unsafe path"))
				// Nothing was written anywhere, inside the store or next to it.
				g.Expect(listFiles(t, base)).To(BeEmpty(), "%q", name)
			}
		}
	}
	// A name that merely looks odd is fine.
	g := NewWithT(t)
	s := newTestStore(t)
	a, err := s.Put(context.Background(), "ns/repo", testRev, "", rawTree(t, "..odd name.sql", filemode.Regular, false))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(listFiles(t, a.Path)).To(ContainElement("sub/..odd name.sql"))
}
