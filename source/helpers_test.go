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
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
	"golang.org/x/crypto/ssh"
)

// tf is a file of a test tree: content, and a mode (regular when zero).
type tf struct {
	content string
	mode    filemode.FileMode
}

// file, exe and link make tree entries.
func file(content string) tf { return tf{content: content, mode: filemode.Regular} }
func exe(content string) tf  { return tf{content: content, mode: filemode.Executable} }
func link(target string) tf  { return tf{content: target, mode: filemode.Symlink} }

// buildTree writes files (slash paths) as Git objects into memory and
// returns the root tree; it can hold what a worktree cannot, such as a .git
// entry.
func buildTree(t testing.TB, files map[string]tf) *object.Tree {
	t.Helper()
	s := memory.NewStorage()
	put := func(typ plumbing.ObjectType, data []byte) plumbing.Hash {
		o := s.NewEncodedObject()
		o.SetType(typ)
		w, err := o.Writer()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
		_ = w.Close()
		h, err := s.SetEncodedObject(o)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	children := map[string]map[string]object.TreeEntry{"": {}}
	var ensureDir func(dir string)
	ensureDir = func(dir string) {
		if _, ok := children[dir]; ok {
			return
		}
		children[dir] = map[string]object.TreeEntry{}
		parent := path.Dir(dir)
		if parent == "." {
			parent = ""
		}
		ensureDir(parent)
	}
	for p, f := range files {
		dir := path.Dir(p)
		if dir == "." {
			dir = ""
		}
		ensureDir(dir)
		children[dir][path.Base(p)] = object.TreeEntry{Name: path.Base(p), Mode: f.mode, Hash: put(plumbing.BlobObject, []byte(f.content))}
	}
	var dirs []string
	for d := range children {
		dirs = append(dirs, d)
	}
	// Deepest first, so that subtrees exist before their parents.
	sort.Slice(dirs, func(i, j int) bool { return depth(dirs[i]) > depth(dirs[j]) })
	var root plumbing.Hash
	for _, d := range dirs {
		var entries []object.TreeEntry
		for _, e := range children[d] {
			entries = append(entries, e)
		}
		sort.Slice(entries, func(i, j int) bool { return gitName(entries[i]) < gitName(entries[j]) })
		tree := &object.Tree{Entries: entries}
		o := s.NewEncodedObject()
		if err := tree.Encode(o); err != nil {
			t.Fatal(err)
		}
		h, err := s.SetEncodedObject(o)
		if err != nil {
			t.Fatal(err)
		}
		if d == "" {
			root = h
			continue
		}
		parent := path.Dir(d)
		if parent == "." {
			parent = ""
		}
		children[parent][path.Base(d)] = object.TreeEntry{Name: path.Base(d), Mode: filemode.Dir, Hash: h}
	}
	tree, err := object.GetTree(s, root)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func depth(d string) int {
	if d == "" {
		return 0
	}
	return strings.Count(d, "/") + 1
}

// gitName sorts tree entries as Git does: folders as if their name ended
// in a slash.
func gitName(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

// testIdentity returns a fresh ed25519 SSH key as PEM, the same key
// encrypted with passphrase, and its public key.
func testIdentity(t testing.TB, passphrase string) (plain, encrypted []byte, pub ssh.PublicKey) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "test")
	if err != nil {
		t.Fatal(err)
	}
	encBlock, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "test", []byte(passphrase))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(block), pem.EncodeToMemory(encBlock), signer.PublicKey()
}
