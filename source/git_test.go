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
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"
	. "github.com/onsi/gomega"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
)

var schemaFiles = map[string]string{
	"db/orders/001_tables.sql": "create table orders (id bigint primary key);\n",
	"db/orders/002_index.sql":  "create index on orders (id);\n",
	"docs/README.md":           "# docs\n",
}

// httpSecret returns the Secret data of the server's basic auth.
func httpSecret(srv *gittest.Server) map[string][]byte {
	user, pass := srv.BasicAuth()
	return map[string][]byte{UsernameKey: []byte(user), PasswordKey: []byte(pass)}
}

// sshSecret returns the Secret data of the server's SSH key and host key.
func sshSecret(srv *gittest.Server) map[string][]byte {
	return map[string][]byte{IdentityKey: srv.SSHIdentity(), KnownHostsKey: srv.KnownHosts()}
}

func syncRepo(t *testing.T, repo *Repository, store *Store, ref Reference, ignore string) (*SyncResult, error) {
	t.Helper()
	return Sync(context.Background(), repo, store, SyncRequest{Owner: "ns/schemas", Reference: ref, Ignore: ignore})
}

func readArtifact(t *testing.T, a *Artifact) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range listFiles(t, a.Path) {
		p, _, _ = strings.Cut(p, " -> ") // read symlinks through
		b, err := os.ReadFile(filepath.Join(a.Path, p))
		if err != nil {
			t.Fatal(err)
		}
		out[p] = string(b)
	}
	return out
}

func TestSync_HTTPBasicAuth_newCommitAndNoop(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	first := srv.CreateRepo(t, "schemas.git", schemaFiles, "main")
	repo, err := NewRepository(srv.HTTPURL("schemas.git"), httpSecret(srv))
	g.Expect(err).NotTo(HaveOccurred())
	store := newTestStore(t)

	res, err := syncRepo(t, repo, store, Reference{Branch: "main"}, "/docs/")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Fetched).To(BeTrue())
	g.Expect(res.Artifact.Revision).To(Equal("main@sha1:" + first))
	g.Expect(readArtifact(t, res.Artifact)).To(Equal(map[string]string{
		"db/orders/001_tables.sql": schemaFiles["db/orders/001_tables.sql"],
		"db/orders/002_index.sql":  schemaFiles["db/orders/002_index.sql"],
	}))
	g.Expect(srv.Counts().UploadPacks).To(Equal(int64(1)), "one shallow fetch")

	// Unchanged remote: one ref advertisement, no fetch, same artifact.
	srv.ResetCounts()
	again, err := syncRepo(t, repo, store, Reference{Branch: "main"}, "/docs/")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(again.Fetched).To(BeFalse())
	g.Expect(again.Artifact).To(Equal(res.Artifact))
	g.Expect(srv.Counts()).To(Equal(gittest.Counts{RefAdvertisements: 1}))

	// New commit: a new artifact.
	second := srv.Push(t, "schemas.git", "main", map[string]string{"db/orders/003_more.sql": "select 1;\n"}, "more")
	srv.ResetCounts()
	res2, err := syncRepo(t, repo, store, Reference{Branch: "main"}, "/docs/")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res2.Fetched).To(BeTrue())
	g.Expect(res2.Artifact.Revision).To(Equal("main@sha1:" + second))
	g.Expect(res2.Artifact.Digest).NotTo(Equal(res.Artifact.Digest))
	g.Expect(readArtifact(t, res2.Artifact)).To(HaveKey("db/orders/003_more.sql"))
	g.Expect(srv.Counts().UploadPacks).To(Equal(int64(1)))

	// Other ignore patterns on the same commit: a new artifact.
	res3, err := syncRepo(t, repo, store, Reference{Branch: "main"}, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res3.Fetched).To(BeTrue())
	g.Expect(readArtifact(t, res3.Artifact)).To(HaveKey("docs/README.md"))
}

func TestSync_HTTPBasicAuth_wrongPassword(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	srv.CreateRepo(t, "schemas.git", schemaFiles, "main")
	user, _ := srv.BasicAuth()
	const wrong = "not-the-password-7f3a"
	repo, err := NewRepository(srv.HTTPURL("schemas.git"), map[string][]byte{UsernameKey: []byte(user), PasswordKey: []byte(wrong)})
	g.Expect(err).NotTo(HaveOccurred())

	_, err = syncRepo(t, repo, newTestStore(t), Reference{Branch: "main"}, "")
	g.Expect(err).To(MatchError(ErrAuthenticationFailed))
	g.Expect(err.Error()).NotTo(ContainSubstring(wrong))
	g.Expect(err.Error()).To(ContainSubstring(srv.HTTPURL("schemas.git")))
	g.Expect(IsStalling(err)).To(BeFalse())

	// No credentials at all.
	repo, err = NewRepository(srv.HTTPURL("schemas.git"), nil)
	g.Expect(err).NotTo(HaveOccurred())
	_, err = syncRepo(t, repo, newTestStore(t), Reference{Branch: "main"}, "")
	g.Expect(err).To(MatchError(ErrAuthenticationFailed))
}

func TestSync_references(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	c1 := srv.CreateRepo(t, "schemas.git", map[string]string{"v.sql": "1"}, "trunk")
	srv.Tag(t, "schemas.git", "v1.0.0", c1)
	c2 := srv.Push(t, "schemas.git", "trunk", map[string]string{"v.sql": "2"}, "two")
	srv.AnnotatedTag(t, "schemas.git", "v1.1.0", c2, "release 1.1.0")
	c3 := srv.Push(t, "schemas.git", "trunk", map[string]string{"v.sql": "3"}, "three")
	srv.Tag(t, "schemas.git", "v2.0.0", c3)
	dev := srv.Push(t, "schemas.git", "dev", map[string]string{"v.sql": "dev"}, "dev")
	c4 := srv.Push(t, "schemas.git", "trunk", map[string]string{"v.sql": "4"}, "four")
	repo, err := NewRepository(srv.HTTPURL("schemas.git"), httpSecret(srv))
	g.Expect(err).NotTo(HaveOccurred())

	tests := []struct {
		name     string
		ref      Reference
		revision string
		content  string
	}{
		{"default branch", Reference{}, "trunk@sha1:" + c4, "4"},
		{"branch", Reference{Branch: "dev"}, "dev@sha1:" + dev, "dev"},
		{"lightweight tag", Reference{Tag: "v1.0.0"}, "v1.0.0@sha1:" + c1, "1"},
		{"annotated tag", Reference{Tag: "v1.1.0"}, "v1.1.0@sha1:" + c2, "2"},
		{"semver", Reference{SemVer: "1.x"}, "v1.1.0@sha1:" + c2, "2"},
		{"semver highest", Reference{SemVer: ">=1.0.0"}, "v2.0.0@sha1:" + c3, "3"},
		{"name", Reference{Name: "refs/heads/dev"}, "refs/heads/dev@sha1:" + dev, "dev"},
		{"name of an annotated tag", Reference{Name: "refs/tags/v1.1.0"}, "refs/tags/v1.1.0@sha1:" + c2, "2"},
		{"commit", Reference{Commit: c2}, "sha1:" + c2, "2"},
		{"commit on a branch", Reference{Commit: c1, Branch: "trunk"}, "trunk@sha1:" + c1, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			res, err := syncRepo(t, repo, newTestStore(t), tt.ref, "")
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(res.Artifact.Revision).To(Equal(tt.revision))
			g.Expect(readArtifact(t, res.Artifact)).To(Equal(map[string]string{"v.sql": tt.content}))
		})
	}

	for _, ref := range []Reference{{Branch: "nope"}, {Tag: "v9"}, {SemVer: ">=3"}, {Name: "refs/heads/nope"}, {Commit: strings.Repeat("ab", 20)}} {
		_, err := syncRepo(t, repo, newTestStore(t), ref, "")
		g.Expect(err).To(MatchError(ErrReferenceNotFound), ref.String())
		g.Expect(IsStalling(err)).To(BeFalse())
	}
	_, err = syncRepo(t, repo, newTestStore(t), Reference{SemVer: "not a range"}, "")
	g.Expect(err).To(MatchError(ErrInvalidReference))
	g.Expect(IsStalling(err)).To(BeTrue())
}

// TestRepository_Fetch_commitByHash checks both ways a pinned commit is
// fetched: shallowly by hash where the server allows it, by a full fetch of
// its history where it does not (the default of git upload-pack over
// protocol v0).
func TestRepository_Fetch_commitByHash(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not on PATH")
	}
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	c1 := srv.CreateRepo(t, "schemas.git", map[string]string{"v.sql": "1"}, "main")
	srv.Push(t, "schemas.git", "main", map[string]string{"v.sql": "2"}, "two")
	repo, err := NewRepository(srv.HTTPURL("schemas.git"), httpSecret(srv))
	g.Expect(err).NotTo(HaveOccurred())
	commit, err := repo.Resolve(context.Background(), Reference{Commit: c1})
	g.Expect(err).NotTo(HaveOccurred())

	fetch := func() (shallow bool) {
		snap, err := repo.Fetch(context.Background(), commit, t.TempDir())
		g.Expect(err).NotTo(HaveOccurred())
		defer func() { _ = snap.Close() }()
		g.Expect(snap.Commit.Hash).To(Equal(c1))
		f, err := snap.Tree.File("v.sql")
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(f.Contents()).To(Equal("1"))
		_, err = os.Stat(filepath.Join(snap.dir, "shallow"))
		return err == nil
	}
	g.Expect(fetch()).To(BeFalse(), "full history when fetching by hash is not allowed")

	out, err := exec.CommandContext(t.Context(), "git", "-C", filepath.Join(srv.Root(), "schemas.git"),
		"config", "uploadpack.allowReachableSHA1InWant", "true").CombinedOutput()
	g.Expect(err).NotTo(HaveOccurred(), string(out))
	g.Expect(fetch()).To(BeTrue(), "depth 1 by hash when allowed")
}

func TestSync_forcePush(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	srv.CreateRepo(t, "schemas.git", map[string]string{"a.sql": "a"}, "main")
	srv.Push(t, "schemas.git", "main", map[string]string{"b.sql": "b"}, "b")
	repo, err := NewRepository(srv.HTTPURL("schemas.git"), httpSecret(srv))
	g.Expect(err).NotTo(HaveOccurred())
	store := newTestStore(t)
	_, err = syncRepo(t, repo, store, Reference{Branch: "main"}, "")
	g.Expect(err).NotTo(HaveOccurred())

	rewritten := srv.ForcePush(t, "schemas.git", "main", "", map[string]string{"c.sql": "c"}, "rewrite")
	res, err := syncRepo(t, repo, store, Reference{Branch: "main"}, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Fetched).To(BeTrue())
	g.Expect(res.Artifact.Revision).To(Equal("main@sha1:" + rewritten))
	g.Expect(readArtifact(t, res.Artifact)).To(Equal(map[string]string{"c.sql": "c"}))
}

func TestSync_SSH(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	head := srv.CreateRepo(t, "org/schemas.git", schemaFiles, "main")

	repo, err := NewRepository(srv.SSHURL("org/schemas.git"), sshSecret(srv))
	g.Expect(err).NotTo(HaveOccurred())
	store := newTestStore(t)
	res, err := syncRepo(t, repo, store, Reference{Branch: "main"}, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Artifact.Revision).To(Equal("main@sha1:" + head))
	g.Expect(readArtifact(t, res.Artifact)).To(HaveLen(3))

	srv.ResetCounts()
	res, err = syncRepo(t, repo, store, Reference{Branch: "main"}, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Fetched).To(BeFalse())
	g.Expect(srv.Counts().SSHConnections).To(Equal(int64(1)), "one ls-remote, nothing else")

	// The scp-like form of the same URL.
	host, port, _ := strings.Cut(srv.SSHAddress(), ":")
	g.Expect(port).NotTo(BeEmpty())
	_, err = NewRepository("git@"+host+":org/schemas.git", sshSecret(srv))
	g.Expect(err).NotTo(HaveOccurred())

	// An encrypted identity with its passphrase in the password key.
	const passphrase = "correct-horse-battery"
	raw, err := ssh.ParseRawPrivateKey(srv.SSHIdentity())
	g.Expect(err).NotTo(HaveOccurred())
	block, err := ssh.MarshalPrivateKeyWithPassphrase(raw, "", []byte(passphrase))
	g.Expect(err).NotTo(HaveOccurred())
	secret := sshSecret(srv)
	secret[IdentityKey] = pem.EncodeToMemory(block)
	secret[PasswordKey] = []byte(passphrase)
	repo, err = NewRepository(srv.SSHURL("org/schemas.git"), secret)
	g.Expect(err).NotTo(HaveOccurred())
	_, err = syncRepo(t, repo, newTestStore(t), Reference{Branch: "main"}, "")
	g.Expect(err).NotTo(HaveOccurred())
}

func TestSync_SSH_hostKeyVerification(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	srv.CreateRepo(t, "schemas.git", schemaFiles, "main")
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	g.Expect(err).NotTo(HaveOccurred())
	otherPub, err := ssh.NewSignerFromKey(priv)
	g.Expect(err).NotTo(HaveOccurred())

	tests := map[string]struct {
		knownHosts string
		want       string
	}{
		"unknown host": {
			knownHosts: knownhosts.Line([]string{"example.com"}, otherPub.PublicKey()) + "\n",
			want:       "which is not in known_hosts",
		},
		"other key for the host": {
			knownHosts: knownhosts.Line([]string{knownhosts.Normalize(srv.SSHAddress())}, otherPub.PublicKey()) + "\n",
			want:       "which differs from the one in known_hosts",
		},
		"only comments": {knownHosts: "# nothing\n", want: "which is not in known_hosts"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			secret := sshSecret(srv)
			secret[KnownHostsKey] = []byte(tt.knownHosts)
			repo, err := NewRepository(srv.SSHURL("schemas.git"), secret)
			g.Expect(err).NotTo(HaveOccurred())
			_, err = syncRepo(t, repo, newTestStore(t), Reference{Branch: "main"}, "")
			g.Expect(err).To(MatchError(ErrHostKey))
			g.Expect(err.Error()).To(ContainSubstring(tt.want))
		})
	}

	t.Run("client key the server does not accept", func(t *testing.T) {
		g := NewWithT(t)
		key, _, _ := testIdentity(t, "x")
		secret := sshSecret(srv)
		secret[IdentityKey] = key
		repo, err := NewRepository(srv.SSHURL("schemas.git"), secret)
		g.Expect(err).NotTo(HaveOccurred())
		_, err = syncRepo(t, repo, newTestStore(t), Reference{Branch: "main"}, "")
		g.Expect(err).To(MatchError(ErrAuthenticationFailed))
	})
}

func TestSync_fileURL(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	head := srv.CreateRepo(t, "schemas.git", schemaFiles, "main")
	repo, err := NewRepository("file://"+filepath.ToSlash(filepath.Join(srv.Root(), "schemas.git")), nil)
	g.Expect(err).NotTo(HaveOccurred())
	res, err := syncRepo(t, repo, newTestStore(t), Reference{}, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Artifact.Revision).To(Equal("main@sha1:" + head))
}

// PushSymlinks pushes a commit adding symlinks (path → target) and files to
// branch of the bare repository dir, through the file transport.
func PushSymlinks(t testing.TB, dir, branch string, links, files map[string]string) string {
	t.Helper()
	r, err := gogit.Clone(memory.NewStorage(), memfs.New(), &gogit.CloneOptions{
		URL: dir, ReferenceName: plumbing.NewBranchReferenceName(branch), SingleBranch: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for p, target := range links {
		_ = w.Filesystem.MkdirAll(filepath.Dir(p), 0o755)
		if err := w.Filesystem.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	for p, content := range files {
		if err := util.WriteFile(w.Filesystem, p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddWithOptions(&gogit.AddOptions{All: true}); err != nil {
		t.Fatal(err)
	}
	h, err := w.Commit("links", &gogit.CommitOptions{Author: gittest.Signature()})
	if err != nil {
		t.Fatal(err)
	}
	spec := config.RefSpec("+refs/heads/" + branch + ":refs/heads/" + branch)
	if err := r.Push(&gogit.PushOptions{RefSpecs: []config.RefSpec{spec}}); err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func TestSync_symlinksAndSizeLimit(t *testing.T) {
	g := NewWithT(t)
	srv := gittest.NewServer(t, gittest.Options{})
	srv.CreateRepo(t, "schemas.git", schemaFiles, "main")
	PushSymlinks(t, filepath.Join(srv.Root(), "schemas.git"), "main",
		map[string]string{"db/orders/passwd.sql": "/etc/passwd", "db/orders/up.sql": "../../db/orders/001_tables.sql"}, nil)
	repo, err := NewRepository(srv.HTTPURL("schemas.git"), httpSecret(srv))
	g.Expect(err).NotTo(HaveOccurred())

	res, err := syncRepo(t, repo, newTestStore(t), Reference{Branch: "main"}, "")
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(res.Artifact.Warnings).To(ConsistOf("symlink db/orders/passwd.sql -> /etc/passwd left out: it points outside the repository"))
	files := readArtifact(t, res.Artifact)
	g.Expect(files).NotTo(HaveKey("db/orders/passwd.sql"))
	g.Expect(files).To(HaveKeyWithValue("db/orders/up.sql", schemaFiles["db/orders/001_tables.sql"]))

	srv.Push(t, "schemas.git", "main", map[string]string{"big.bin": strings.Repeat("0123456789abcdef", 128<<10)}, "2 MiB")
	_, err = syncRepo(t, repo, newTestStore(t, WithSizeLimit(1<<20)), Reference{Branch: "main"}, "")
	g.Expect(err).To(MatchError(ErrSizeLimitExceeded))
	g.Expect(err.Error()).To(ContainSubstring("exceed 1 MiB"))
	_, err = syncRepo(t, repo, newTestStore(t, WithSizeLimit(1<<20)), Reference{Branch: "main"}, "*.bin")
	g.Expect(err).NotTo(HaveOccurred())
}

// TestRepository_timeout checks that the context bounds every transport,
// also an SSH server that accepts connections and never answers, which
// go-git alone would wait for forever.
func TestRepository_timeout(t *testing.T) {
	silent, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = silent.Close() })
	var conns []net.Conn
	var mu gosync.Mutex
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	hanging := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hanging.Close)

	key, _, _ := testIdentity(t, "x")
	tests := map[string]struct {
		url    string
		secret map[string][]byte
	}{
		"ssh server that never answers":  {"ssh://git@" + silent.Addr().String() + "/r.git", map[string][]byte{IdentityKey: key, KnownHostsKey: []byte("# none\n")}},
		"http server that never answers": {hanging.URL + "/r.git", nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewWithT(t)
			repo, err := NewRepository(tt.url, tt.secret)
			g.Expect(err).NotTo(HaveOccurred())
			for op, call := range map[string]func(context.Context) error{
				"list": func(ctx context.Context) error { _, err := repo.ListRefs(ctx); return err },
				"fetch": func(ctx context.Context) error {
					_, err := repo.Fetch(ctx, Commit{Hash: strings.Repeat("ab", 20), Reference: "refs/heads/main"}, t.TempDir())
					return err
				},
			} {
				ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
				start := time.Now()
				err := call(ctx)
				cancel()
				g.Expect(err).To(MatchError(context.DeadlineExceeded), op)
				g.Expect(time.Since(start)).To(BeNumerically("<", 5*time.Second), op)
			}
		})
	}
}
