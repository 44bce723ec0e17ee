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

// Package gittest runs a real git server for tests, around Flux's gittestserver:
// HTTP with basic auth and SSH with a generated host key (and its known_hosts
// line) and a generated client key, on 127.0.0.1. Tests create repositories and
// push commits, tags and force-pushes to them, and count the fetches clients made.
//
// It needs the git binary on PATH: the server runs git upload-pack and
// receive-pack.
package gittest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/fluxcd/gitkit"
	"github.com/fluxcd/pkg/gittestserver"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Options configures a Server. The zero value is a server with authentication,
// user "git" and a random password.
type Options struct {
	// Username and Password are the HTTP basic-auth credentials; empty values get
	// "git" and a random password.
	Username, Password string

	// Anonymous turns authentication off for HTTP and SSH.
	Anonymous bool

	// HTTPMiddleware, when set, wraps the HTTP handler outside the request
	// counting, for fault injection (delays, errors).
	HTTPMiddleware func(http.Handler) http.Handler
}

// Server is a git server on 127.0.0.1 serving the same repositories over HTTP
// and SSH. Its methods are safe for concurrent use.
type Server struct {
	git      *gittestserver.GitServer
	username string
	password string
	auth     bool

	identity   []byte // client private key, OpenSSH PEM
	authorized string // client public key, authorized_keys format without comment
	knownHosts []byte

	refAdvertisements, uploadPacks, receivePacks, sshConnections atomic.Int64

	// mu serializes the server-side repository changes of this package.
	mu sync.Mutex
}

// sshSetupMu guards gittestserver's package-global public key lookup function,
// which ListenSSH copies into the new SSH server: holding it from setting the
// function to listening lets servers with different keys start in parallel.
// Code that calls gittestserver's PublicKeyLookupFunc directly must not run in
// parallel with NewServer.
var sshSetupMu sync.Mutex

// NewServer starts a git server for t, serving HTTP and SSH, and stops it and
// removes its repositories when t ends.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{username: opts.Username, password: opts.Password, auth: !opts.Anonymous}
	if s.username == "" {
		s.username = "git"
	}
	if s.password == "" {
		s.password = randomHex(12)
	}

	hostKeyDir := t.TempDir()
	hostPub, err := writeHostKey(hostKeyDir)
	if err != nil {
		t.Fatalf("generating SSH host key: %v", err)
	}
	clientPub, clientPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatalf("generating SSH client key: %v", err)
	}
	block, err := ssh.MarshalPrivateKey(clientPriv, "gittest client")
	if err != nil {
		t.Fatalf("encoding SSH client key: %v", err)
	}
	s.identity = pem.EncodeToMemory(block)
	sshClientPub, err := ssh.NewPublicKey(clientPub)
	if err != nil {
		t.Fatal(err)
	}
	s.authorized = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshClientPub)))

	s.git = gittestserver.NewGitServer(t.TempDir()).KeyDir(hostKeyDir)
	if s.auth {
		s.git.Auth(s.username, s.password)
	}
	s.git.AddHTTPMiddlewares(s.countHTTP)
	if opts.HTTPMiddleware != nil {
		s.git.AddHTTPMiddlewares(opts.HTTPMiddleware)
	}
	if err := s.git.StartHTTP(); err != nil {
		t.Fatalf("starting git HTTP server: %v", err)
	}
	t.Cleanup(s.git.StopHTTP)

	sshSetupMu.Lock()
	s.git.PublicKeyLookupFunc(s.lookupKey)
	err = s.git.ListenSSH()
	sshSetupMu.Unlock()
	if err != nil {
		t.Fatalf("starting git SSH server: %v", err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = s.git.StartSSH()
	}()
	t.Cleanup(func() {
		// gitkit's Stop clears the listener field that Serve reads, without
		// synchronization (a data race under -race). Closing the listener first
		// and waiting for Serve to return orders Serve's reads before that write.
		if closeSSHListener(s.git) {
			select {
			case <-served:
			case <-time.After(10 * time.Second):
			}
		}
		_ = s.git.StopSSH()
	})

	addr := strings.TrimPrefix(s.git.SSHAddress(), "ssh://git@")
	s.knownHosts = []byte(knownhosts.Line([]string{knownhosts.Normalize(addr)}, hostPub) + "\n")
	return s
}

// writeHostKey writes an ed25519 host key where gitkit looks for its host key,
// so that the server does not generate an RSA key, and returns its public half.
func writeHostKey(dir string) (ssh.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "gittest host")
	if err != nil {
		return nil, err
	}
	// gitkit's fixed file name says rsa, but it parses any key type.
	if err := os.WriteFile(filepath.Join(dir, "gitkit.rsa"), pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewPublicKey(pub)
}

// lookupKey accepts only this server's client key.
func (s *Server) lookupKey(content string) (*gitkit.PublicKey, error) {
	if strings.TrimSpace(content) != s.authorized {
		return nil, fmt.Errorf("unknown public key")
	}
	s.sshConnections.Add(1)
	return &gitkit.PublicKey{Id: "gittest"}, nil
}

// countHTTP counts the authenticated git requests by kind.
func (s *Server) countHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		if !s.auth || (user == s.username && pass == s.password) {
			switch p := r.URL.Path; {
			case r.Method == http.MethodGet && strings.HasSuffix(p, "/info/refs") &&
				r.URL.Query().Get("service") == "git-upload-pack":
				s.refAdvertisements.Add(1)
			case r.Method == http.MethodPost && strings.HasSuffix(p, "/git-upload-pack"):
				s.uploadPacks.Add(1)
			case r.Method == http.MethodPost && strings.HasSuffix(p, "/git-receive-pack"):
				s.receivePacks.Add(1)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Counts is a snapshot of the client requests a Server received. Changes made
// through Server's own methods (CreateRepo, Push, Tag, ...) are not counted.
type Counts struct {
	// RefAdvertisements counts authenticated HTTP ref listings for fetching
	// (GET info/refs?service=git-upload-pack): every clone, fetch or ls-remote
	// over HTTP makes one.
	RefAdvertisements int64
	// UploadPacks counts authenticated HTTP fetch negotiations (POST
	// git-upload-pack): a clone, or a fetch that downloads objects, makes one; a
	// ls-remote or an up-to-date fetch makes none. Zero proves nothing was
	// cloned or fetched over HTTP.
	UploadPacks int64
	// ReceivePacks counts authenticated HTTP pushes (POST git-receive-pack).
	ReceivePacks int64
	// SSHConnections counts SSH connections authenticated with the client key:
	// go-git opens one per clone, fetch, ls-remote or push over SSH. gitkit does
	// not tell fetches from pushes over SSH.
	SSHConnections int64
}

// Counts returns the requests received since the start or the last ResetCounts.
func (s *Server) Counts() Counts {
	return Counts{
		RefAdvertisements: s.refAdvertisements.Load(),
		UploadPacks:       s.uploadPacks.Load(),
		ReceivePacks:      s.receivePacks.Load(),
		SSHConnections:    s.sshConnections.Load(),
	}
}

// ResetCounts sets all counts to zero.
func (s *Server) ResetCounts() {
	s.refAdvertisements.Store(0)
	s.uploadPacks.Store(0)
	s.receivePacks.Store(0)
	s.sshConnections.Store(0)
}

// Root returns the directory holding the bare repositories.
func (s *Server) Root() string { return s.git.Root() }

// HTTPURL returns the HTTP URL of the named repository, without credentials.
func (s *Server) HTTPURL(name string) string {
	return s.git.HTTPAddress() + "/" + name
}

// SSHURL returns the SSH URL of the named repository, ssh://git@127.0.0.1:<port>/<name>.
func (s *Server) SSHURL(name string) string {
	return s.git.SSHAddress() + "/" + name
}

// SSHAddress returns the host:port of the SSH server.
func (s *Server) SSHAddress() string {
	return strings.TrimPrefix(s.git.SSHAddress(), "ssh://git@")
}

// BasicAuth returns the HTTP credentials the server accepts.
func (s *Server) BasicAuth() (username, password string) { return s.username, s.password }

// SSHIdentity returns the client private key the server accepts, an unencrypted
// ed25519 key in OpenSSH PEM format (as in a Flux git secret's identity).
func (s *Server) SSHIdentity() []byte { return append([]byte(nil), s.identity...) }

// SSHPublicKey returns the client public key in authorized_keys format.
func (s *Server) SSHPublicKey() []byte { return []byte(s.authorized + "\n") }

// KnownHosts returns the known_hosts line for the SSH server's host key,
// [127.0.0.1]:<port> ssh-ed25519 ..., newline-terminated.
func (s *Server) KnownHosts() []byte { return append([]byte(nil), s.knownHosts...) }

// HTTPAuth returns go-git basic-auth credentials for the server.
func (s *Server) HTTPAuth() *githttp.BasicAuth {
	return &githttp.BasicAuth{Username: s.username, Password: s.password}
}

// SSHAuth returns go-git public-key credentials for the server that verify its
// host key against KnownHosts with golang.org/x/crypto/ssh/knownhosts.
func (s *Server) SSHAuth(t testing.TB) *gitssh.PublicKeys {
	t.Helper()
	auth, err := gitssh.NewPublicKeys("git", s.identity, "")
	if err != nil {
		t.Fatalf("parsing SSH identity: %v", err)
	}
	cb, err := HostKeyCallback(s.knownHosts)
	if err != nil {
		t.Fatal(err)
	}
	auth.HostKeyCallback = cb
	return auth
}

// HostKeyCallback returns an SSH host key callback that accepts only the hosts
// and keys of the given known_hosts content.
func HostKeyCallback(knownHostsContent []byte) (ssh.HostKeyCallback, error) {
	f, err := os.CreateTemp("", "gittest-known-hosts-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.Remove(f.Name()) }()
	if _, err := f.Write(knownHostsContent); err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	// knownhosts.New reads the file once, so it can go right away.
	cb, err := knownhosts.New(f.Name())
	if err != nil {
		return nil, fmt.Errorf("parsing known_hosts: %w", err)
	}
	return cb, nil
}

// closeSSHListener closes the listener of gittestserver's gitkit SSH server,
// reached by reflection because neither package exposes it. It reports false
// when the fields are not where gittestserver v0.25 and gitkit v0.6 keep them;
// TestCloseSSHListener catches that on a dependency upgrade.
func closeSSHListener(g *gittestserver.GitServer) bool {
	srv := reflect.ValueOf(g).Elem().FieldByName("sshServer")
	if !srv.IsValid() || srv.Kind() != reflect.Pointer || srv.IsNil() {
		return false
	}
	f := srv.Elem().FieldByName("listener")
	if !f.IsValid() || f.Type() != reflect.TypeFor[net.Listener]() {
		return false
	}
	l, _ := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(net.Listener) //nolint:gosec // G103: reads gittestserver's unexported SSH listener, checked by type above and by TestCloseSSHListener
	if l == nil {
		return false
	}
	_ = l.Close()
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
