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

package gittest_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io/fs"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"github.com/go-git/go-git/v5/storage/memory"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
)

// clone clones ref (a branch or tag name, "" for the default branch) and returns
// the files of its tree and the commit hash.
func clone(t *testing.T, url string, auth transport.AuthMethod, ref plumbing.ReferenceName) (map[string]string, string) {
	t.Helper()
	r, err := gogit.Clone(memory.NewStorage(), memfs.New(), &gogit.CloneOptions{URL: url, Auth: auth, ReferenceName: ref, SingleBranch: ref != ""})
	if err != nil {
		t.Fatalf("cloning %s: %v", url, err)
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return readFiles(t, w.Filesystem), head.Hash().String()
}

func readFiles(t *testing.T, fsys billy.Filesystem) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := util.Walk(fsys, "/", func(p string, fi fs.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := util.ReadFile(fsys, p)
		files[strings.TrimPrefix(p, "/")] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// clientPush pushes a commit writing files to branch the way a user would: clone,
// write, commit, push, all through the server's transport.
func clientPush(t *testing.T, url string, auth transport.AuthMethod, branch string, files map[string]string) string {
	t.Helper()
	r, err := gogit.Clone(memory.NewStorage(), memfs.New(), &gogit.CloneOptions{URL: url, Auth: auth,
		ReferenceName: plumbing.NewBranchReferenceName(branch), SingleBranch: true})
	if err != nil {
		t.Fatalf("cloning %s: %v", url, err)
	}
	w, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for p, c := range files {
		if err := util.WriteFile(w.Filesystem, p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	h, err := w.Commit("client change", &gogit.CommitOptions{Author: gittest.Signature()})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Push(&gogit.PushOptions{Auth: auth}); err != nil {
		t.Fatalf("pushing to %s: %v", url, err)
	}
	return h.String()
}

func assertFiles(t *testing.T, got, want map[string]string) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
}

var initial = map[string]string{
	"schema/001_tables.sql": "CREATE TABLE widgets (id bigint PRIMARY KEY);\n",
	"README.md":             "schemas\n",
}

func TestServer_HTTP_pushAndClone(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{Username: "alice", Password: "s3cret"})
	first := s.CreateRepo(t, "org/schemas.git", initial, "")
	if u, p := s.BasicAuth(); u != "alice" || p != "s3cret" {
		t.Fatalf("BasicAuth = %s, %s", u, p)
	}
	url := s.HTTPURL("org/schemas.git")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("HTTPURL = %s", url)
	}

	files, head := clone(t, url, s.HTTPAuth(), "")
	assertFiles(t, files, initial)
	if head != first {
		t.Fatalf("cloned %s, created %s", head, first)
	}

	change := map[string]string{"schema/002_index.sql": "CREATE INDEX ON widgets (id);\n"}
	pushed := clientPush(t, url, s.HTTPAuth(), gittest.DefaultBranch, change)
	if got := s.Head(t, "org/schemas.git", gittest.DefaultBranch); got != pushed {
		t.Fatalf("server head %s, pushed %s", got, pushed)
	}
	want := maps.Clone(initial)
	maps.Copy(want, change)
	files, head = clone(t, url, s.HTTPAuth(), plumbing.NewBranchReferenceName(gittest.DefaultBranch))
	assertFiles(t, files, want)
	if head != pushed {
		t.Fatalf("cloned %s, pushed %s", head, pushed)
	}
	if c := s.Counts(); c.ReceivePacks != 1 || c.UploadPacks != 3 || c.SSHConnections != 0 {
		t.Fatalf("counts = %+v, want 1 push and 3 fetches over HTTP", c)
	}
}

func TestServer_SSH_pushAndClone(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{})
	first := s.CreateRepo(t, "schemas.git", initial, "trunk")
	url := s.SSHURL("schemas.git")
	if !strings.HasPrefix(url, "ssh://git@127.0.0.1:") || !strings.HasPrefix(string(s.KnownHosts()), "[127.0.0.1]:") {
		t.Fatalf("SSHURL = %s, KnownHosts = %s", url, s.KnownHosts())
	}

	// Authenticate the way a Flux git secret would: identity and known_hosts.
	auth, err := gitssh.NewPublicKeys("git", s.SSHIdentity(), "")
	if err != nil {
		t.Fatal(err)
	}
	auth.HostKeyCallback = knownHostsFile(t, s.KnownHosts())

	files, head := clone(t, url, auth, "")
	assertFiles(t, files, initial)
	if head != first {
		t.Fatalf("cloned %s, created %s", head, first)
	}
	change := map[string]string{"schema/001_tables.sql": "CREATE TABLE widgets (id bigint PRIMARY KEY, name text);\n"}
	pushed := clientPush(t, url, auth, "trunk", change)
	files, head = clone(t, url, s.SSHAuth(t), plumbing.NewBranchReferenceName("trunk"))
	want := maps.Clone(initial)
	maps.Copy(want, change)
	assertFiles(t, files, want)
	if head != pushed || s.Head(t, "schemas.git", "") != pushed {
		t.Fatalf("cloned %s, server has %s, pushed %s", head, s.Head(t, "schemas.git", ""), pushed)
	}
	if c := s.Counts(); c.SSHConnections < 3 || c.UploadPacks != 0 || c.ReceivePacks != 0 {
		t.Fatalf("counts = %+v, want SSH connections only", c)
	}
}

// knownHostsFile verifies host keys with x/crypto's knownhosts against content.
func knownHostsFile(t *testing.T, content []byte) ssh.HostKeyCallback {
	t.Helper()
	p := t.TempDir() + "/known_hosts"
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	cb, err := knownhosts.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

func TestServer_HTTP_wrongPasswordRefused(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{})
	s.CreateRepo(t, "schemas.git", initial, "")
	user, _ := s.BasicAuth()
	for _, auth := range []transport.AuthMethod{nil, &githttp.BasicAuth{Username: user, Password: "wrong"}} {
		_, err := gogit.Clone(memory.NewStorage(), memfs.New(), &gogit.CloneOptions{URL: s.HTTPURL("schemas.git"), Auth: auth})
		if !errors.Is(err, transport.ErrAuthenticationRequired) && !errors.Is(err, transport.ErrAuthorizationFailed) {
			t.Fatalf("clone with auth %v: err = %v, want an authentication error", auth, err)
		}
	}
	if c := s.Counts(); c != (gittest.Counts{}) {
		t.Fatalf("refused requests were counted: %+v", c)
	}
}

func TestServer_SSH_unknownKeyOrHostRefused(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{})
	s.CreateRepo(t, "schemas.git", initial, "")
	other := gittest.NewServer(t, gittest.Options{})
	url := s.SSHURL("schemas.git")
	cloneErr := func(auth transport.AuthMethod) error {
		_, err := gogit.Clone(memory.NewStorage(), memfs.New(), &gogit.CloneOptions{URL: url, Auth: auth})
		return err
	}

	// Another server's client key.
	auth, err := gitssh.NewPublicKeys("git", other.SSHIdentity(), "")
	if err != nil {
		t.Fatal(err)
	}
	auth.HostKeyCallback = knownHostsFile(t, s.KnownHosts())
	if err := cloneErr(auth); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("clone with an unknown client key: err = %v, want an authentication error", err)
	}

	// The right client key, but a known_hosts entry with another host key.
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	auth = s.SSHAuth(t)
	auth.HostKeyCallback = knownHostsFile(t, []byte(knownhosts.Line([]string{knownhosts.Normalize(s.SSHAddress())}, signer.PublicKey())+"\n"))
	var keyErr *knownhosts.KeyError
	if err := cloneErr(auth); !errors.As(err, &keyErr) || len(keyErr.Want) == 0 {
		t.Fatalf("clone with a mismatching known_hosts: err = %v, want a key mismatch", err)
	}
	// The host key is checked before the client authenticates, so neither
	// attempt got a connection.
	if c := s.Counts(); c != (gittest.Counts{}) {
		t.Fatalf("refused connections were counted: %+v", c)
	}
}

func TestServer_Push_Remove_ForcePush_Tag(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{})
	const repo = "schemas.git"
	c1 := s.CreateRepo(t, repo, initial, "")
	c2 := s.Push(t, repo, gittest.DefaultBranch, map[string]string{"schema/sub/002.sql": "SELECT 2;\n"}, "add 002")
	c3 := s.Remove(t, repo, gittest.DefaultBranch, []string{"README.md", "schema/sub"}, "drop readme and sub")
	s.Tag(t, repo, "v1.0.0", c2)
	tagObj := s.AnnotatedTag(t, repo, "v1.1.0", c3, "release 1.1.0")
	// A new branch starts from the default branch.
	f1 := s.Push(t, repo, "feature", map[string]string{"schema/003.sql": "SELECT 3;\n"}, "")
	// Rewrite main to a root commit holding one file.
	r1 := s.ForcePush(t, repo, gittest.DefaultBranch, "", map[string]string{"schema/001_tables.sql": "SELECT 1;\n"}, "rewrite")
	// Rewrite feature onto the first commit.
	f2 := s.ForcePush(t, repo, "feature", c1, map[string]string{"schema/004.sql": "SELECT 4;\n"}, "rebase")
	empty := s.Push(t, repo, "feature", nil, "empty commit")

	auth := s.HTTPAuth()
	url := s.HTTPURL(repo)
	files, head := clone(t, url, auth, plumbing.NewTagReferenceName("v1.0.0"))
	want := maps.Clone(initial)
	want["schema/sub/002.sql"] = "SELECT 2;\n"
	assertFiles(t, files, want)
	if head != c2 {
		t.Fatalf("v1.0.0 is %s, want %s", head, c2)
	}
	files, head = clone(t, url, auth, plumbing.NewTagReferenceName("v1.1.0"))
	assertFiles(t, files, map[string]string{"schema/001_tables.sql": initial["schema/001_tables.sql"]})
	if head != c3 || tagObj == c3 {
		t.Fatalf("v1.1.0 resolves to %s (tag object %s), want commit %s", head, tagObj, c3)
	}
	files, head = clone(t, url, auth, "")
	assertFiles(t, files, map[string]string{"schema/001_tables.sql": "SELECT 1;\n"})
	if head != r1 {
		t.Fatalf("main is %s, want %s", head, r1)
	}
	files, head = clone(t, url, auth, plumbing.NewBranchReferenceName("feature"))
	want = maps.Clone(initial)
	want["schema/004.sql"] = "SELECT 4;\n"
	assertFiles(t, files, want)
	if head != empty || f1 == f2 || f2 == empty {
		t.Fatalf("feature is %s, want %s", head, empty)
	}

	r, err := gogit.Clone(memory.NewStorage(), nil, &gogit.CloneOptions{URL: url, Auth: auth, NoCheckout: true})
	if err != nil {
		t.Fatal(err)
	}
	commit, err := r.CommitObject(plumbing.NewHash(r1))
	if err != nil {
		t.Fatal(err)
	}
	if commit.NumParents() != 0 {
		t.Fatalf("force-pushed root commit has %d parents", commit.NumParents())
	}
}

func TestServer_Counts_distinguishesListingFromFetching(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{})
	s.CreateRepo(t, "schemas.git", initial, "")
	if c := s.Counts(); c != (gittest.Counts{}) {
		t.Fatalf("server-side changes were counted: %+v", c)
	}
	remote := gogit.NewRemote(memory.NewStorage(), &config.RemoteConfig{Name: "origin", URLs: []string{s.HTTPURL("schemas.git")}})
	if _, err := remote.List(&gogit.ListOptions{Auth: s.HTTPAuth()}); err != nil {
		t.Fatal(err)
	}
	if c := s.Counts(); c.RefAdvertisements != 1 || c.UploadPacks != 0 {
		t.Fatalf("after ls-remote counts = %+v, want 1 listing and no fetch", c)
	}
	r, err := gogit.Clone(memory.NewStorage(), nil, &gogit.CloneOptions{URL: s.HTTPURL("schemas.git"), Auth: s.HTTPAuth(), NoCheckout: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Counts(); c.UploadPacks != 1 {
		t.Fatalf("after clone counts = %+v, want 1 fetch", c)
	}
	if err := r.Fetch(&gogit.FetchOptions{Auth: s.HTTPAuth()}); !errors.Is(err, gogit.NoErrAlreadyUpToDate) {
		t.Fatalf("fetch: %v", err)
	}
	if c := s.Counts(); c.UploadPacks != 1 || c.RefAdvertisements != 3 {
		t.Fatalf("after an up-to-date fetch counts = %+v, want no new fetch", c)
	}
	s.ResetCounts()
	if c := s.Counts(); c != (gittest.Counts{}) {
		t.Fatalf("after ResetCounts counts = %+v", c)
	}
}

func TestServer_Anonymous(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{Anonymous: true})
	s.CreateRepo(t, "public.git", initial, "")
	files, _ := clone(t, s.HTTPURL("public.git"), nil, "")
	assertFiles(t, files, initial)
}

func TestServer_SSHIdentity_isOpenSSHEd25519(t *testing.T) {
	t.Parallel()
	s := gittest.NewServer(t, gittest.Options{})
	block, _ := pem.Decode(s.SSHIdentity())
	if block == nil || block.Type != "OPENSSH PRIVATE KEY" {
		t.Fatalf("identity is not an OpenSSH PEM key: %q", s.SSHIdentity())
	}
	signer, err := ssh.ParsePrivateKey(s.SSHIdentity())
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))); got != strings.TrimSpace(string(s.SSHPublicKey())) {
		t.Fatalf("public key %s does not match identity %s", s.SSHPublicKey(), got)
	}
}
