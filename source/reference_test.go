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
	"errors"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	. "github.com/onsi/gomega"
)

const (
	hashA = "1111111111111111111111111111111111111111"
	hashB = "2222222222222222222222222222222222222222"
	hashC = "3333333333333333333333333333333333333333"
	hashD = "4444444444444444444444444444444444444444"
)

func TestCommit_Revision_fluxFormat(t *testing.T) {
	tests := []struct {
		name   string
		commit Commit
		want   string
	}{
		{"branch", Commit{Hash: hashA, Reference: "refs/heads/main"}, "main@sha1:" + hashA},
		{"branch with slash", Commit{Hash: hashA, Reference: "refs/heads/feature/x"}, "feature/x@sha1:" + hashA},
		{"tag", Commit{Hash: hashA, Reference: "refs/tags/v1.2.0"}, "v1.2.0@sha1:" + hashA},
		{"bare commit", Commit{Hash: hashA}, "sha1:" + hashA},
		{"commit on a branch", Commit{Hash: hashA, Reference: "refs/heads/main", Pinned: true}, "main@sha1:" + hashA},
		{"name of a branch", Commit{Hash: hashA, Reference: "refs/heads/x", Absolute: true}, "refs/heads/x@sha1:" + hashA},
		{"name of a pull request", Commit{Hash: hashA, Reference: "refs/pull/42/head", Absolute: true}, "refs/pull/42/head@sha1:" + hashA},
		{"HEAD only", Commit{Hash: hashA, Reference: "HEAD"}, "sha1:" + hashA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			g.Expect(tt.commit.Revision()).To(Equal(tt.want))
			g.Expect(RevisionHash(tt.want)).To(Equal(hashA))
		})
	}
}

func TestRevisionHash_invalid(t *testing.T) {
	g := NewWithT(t)
	for _, rev := range []string{"", "main", "main@sha1:abc", "sha256:" + hashA, "main@" + hashA} {
		g.Expect(RevisionHash(rev)).To(BeEmpty(), rev)
	}
}

// advertised is what a remote with main, dev, a lightweight tag, annotated
// tags and a pull request ref advertises.
func advertised() []*plumbing.Reference {
	return []*plumbing.Reference{
		plumbing.NewSymbolicReference("HEAD", "refs/heads/main"),
		plumbing.NewReferenceFromStrings("refs/heads/main", hashA),
		plumbing.NewReferenceFromStrings("refs/heads/dev", hashB),
		plumbing.NewReferenceFromStrings("refs/tags/v1.0.0", hashA),
		plumbing.NewReferenceFromStrings("refs/tags/v1.2.0", hashC), // annotated
		plumbing.NewReferenceFromStrings("refs/tags/v1.2.0^{}", hashB),
		plumbing.NewReferenceFromStrings("refs/tags/v2.0.0-rc.1", hashD),
		plumbing.NewReferenceFromStrings("refs/tags/not-a-version", hashD),
		plumbing.NewReferenceFromStrings("refs/pull/42/head", hashD),
	}
}

func TestResolve_references(t *testing.T) {
	tests := []struct {
		name    string
		ref     Reference
		refs    []*plumbing.Reference
		want    string
		wantErr error
	}{
		{name: "default branch from the HEAD symref", want: "main@sha1:" + hashA},
		{name: "branch", ref: Reference{Branch: "dev"}, want: "dev@sha1:" + hashB},
		{name: "lightweight tag", ref: Reference{Tag: "v1.0.0"}, want: "v1.0.0@sha1:" + hashA},
		{name: "annotated tag resolves to its commit", ref: Reference{Tag: "v1.2.0"}, want: "v1.2.0@sha1:" + hashB},
		{name: "semver picks the highest match", ref: Reference{SemVer: ">=1.0.0"}, want: "v1.2.0@sha1:" + hashB},
		{name: "semver range", ref: Reference{SemVer: "~1.0"}, want: "v1.0.0@sha1:" + hashA},
		{name: "semver with pre-releases", ref: Reference{SemVer: ">=2.0.0-0"}, want: "v2.0.0-rc.1@sha1:" + hashD},
		{name: "name keeps the full reference", ref: Reference{Name: "refs/pull/42/head"}, want: "refs/pull/42/head@sha1:" + hashD},
		{name: "name of a branch", ref: Reference{Name: "refs/heads/main"}, want: "refs/heads/main@sha1:" + hashA},
		{name: "name takes precedence", ref: Reference{Name: "refs/heads/dev", Branch: "main"}, want: "refs/heads/dev@sha1:" + hashB},
		{name: "bare commit", ref: Reference{Commit: hashC}, want: "sha1:" + hashC},
		{name: "commit on a branch", ref: Reference{Commit: hashC, Branch: "main"}, want: "main@sha1:" + hashC},
		{
			name: "HEAD without symref: the branch at HEAD, main first",
			refs: []*plumbing.Reference{
				plumbing.NewReferenceFromStrings("HEAD", hashA),
				plumbing.NewReferenceFromStrings("refs/heads/aaa", hashA),
				plumbing.NewReferenceFromStrings("refs/heads/main", hashA),
			},
			want: "main@sha1:" + hashA,
		},
		{name: "missing branch", ref: Reference{Branch: "nope"}, wantErr: ErrReferenceNotFound},
		{name: "missing tag", ref: Reference{Tag: "v9"}, wantErr: ErrReferenceNotFound},
		{name: "no tag in range", ref: Reference{SemVer: ">=3.0.0"}, wantErr: ErrReferenceNotFound},
		{name: "invalid semver range", ref: Reference{SemVer: ">=x.y"}, wantErr: ErrInvalidReference},
		{name: "short commit", ref: Reference{Commit: "abc123"}, wantErr: ErrInvalidReference},
		{name: "name that is not a ref", ref: Reference{Name: "main"}, wantErr: ErrInvalidReference},
		{name: "empty remote", refs: []*plumbing.Reference{}, wantErr: ErrReferenceNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			refs := tt.refs
			if refs == nil {
				refs = advertised()
			}
			c, err := resolve(refs, tt.ref)
			if tt.wantErr != nil {
				g.Expect(err).To(MatchError(tt.wantErr))
				g.Expect(IsStalling(err)).To(Equal(errors.Is(tt.wantErr, ErrInvalidReference)))
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(c.Revision()).To(Equal(tt.want))
			g.Expect(c.Pinned).To(Equal(tt.ref.Commit != "" && tt.ref.Name == ""))
		})
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw       string
		transport Transport
		hostPort  string
		wantErr   string
	}{
		{raw: "https://github.com/acme/shop.git", transport: TransportHTTPS, hostPort: "github.com:443"},
		{raw: "http://127.0.0.1:8080/acme/shop.git", transport: TransportHTTP, hostPort: "127.0.0.1:8080"},
		{raw: "ssh://git@github.com/acme/shop.git", transport: TransportSSH, hostPort: "github.com:22"},
		{raw: "ssh://git@127.0.0.1:2222/shop.git", transport: TransportSSH, hostPort: "127.0.0.1:2222"},
		{raw: "git@github.com:acme/shop.git", transport: TransportSSH, hostPort: "github.com:22"},
		{raw: "github.com:acme/shop.git", transport: TransportSSH, hostPort: "github.com:22"},
		{raw: "file:///srv/git/shop.git", transport: TransportFile},
		{raw: "", wantErr: "empty"},
		{raw: "ftp://host/repo", wantErr: "scheme"},
		{raw: "git://host/repo", wantErr: "scheme"},
		{raw: "https://user:s3cret@github.com/acme/shop.git", wantErr: "password"},
		{raw: "user:s3cret@github.com:acme/shop.git", wantErr: "password"},
		{raw: "https:///acme", wantErr: "no host"},
		{raw: "https://github.com", wantErr: "no repository path"},
		{raw: "https://github.com/a?x=1", wantErr: "query"},
		{raw: "file://remote/srv/repo", wantErr: "names a host"},
		{raw: "/srv/git/shop.git", wantErr: "neither"},
		{raw: "git@github.com:", wantErr: "no repository path"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			g := NewWithT(t)
			u, err := ParseURL(tt.raw)
			if tt.wantErr != "" {
				g.Expect(err).To(MatchError(ErrInvalidURL))
				g.Expect(err.Error()).To(ContainSubstring(tt.wantErr))
				g.Expect(err.Error()).NotTo(ContainSubstring("s3cret"))
				g.Expect(IsStalling(err)).To(BeTrue())
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(u.Transport).To(Equal(tt.transport))
			g.Expect(u.String()).To(Equal(tt.raw))
			if tt.hostPort != "" {
				g.Expect(u.HostPort()).To(Equal(tt.hostPort))
			}
		})
	}
}

func TestNewAuth_validation(t *testing.T) {
	key, encKey, _ := testIdentity(t, "pass-phrase-42")
	knownHosts := []byte("github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n")
	https, _ := ParseURL("https://example.com/r.git")
	sshURL, _ := ParseURL("ssh://git@example.com/r.git")
	tests := []struct {
		name    string
		u       *URL
		data    map[string][]byte
		wantErr string
	}{
		{name: "https without secret", u: https},
		{name: "basic auth", u: https, data: map[string][]byte{"username": []byte("u"), "password": []byte("hunter2-secret")}},
		{name: "bearer token", u: https, data: map[string][]byte{"bearerToken": []byte("tok-secret")}},
		{name: "username without password", u: https, data: map[string][]byte{"username": []byte("u")}, wantErr: "password is missing"},
		{name: "password without username", u: https, data: map[string][]byte{"password": []byte("hunter2-secret")}, wantErr: "username is missing"},
		{name: "token and basic auth", u: https, data: map[string][]byte{"username": []byte("u"), "password": []byte("hunter2-secret"), "bearerToken": []byte("tok-secret")}, wantErr: "mutually exclusive"},
		{name: "bad ca.crt", u: https, data: map[string][]byte{"ca.crt": []byte("not pem")}, wantErr: "ca.crt"},
		{name: "ssh keys are ignored over https", u: https, data: map[string][]byte{"identity": []byte("junk")}},
		{name: "ssh", u: sshURL, data: map[string][]byte{"identity": key, "known_hosts": knownHosts}},
		{name: "ssh with encrypted key", u: sshURL, data: map[string][]byte{"identity": encKey, "password": []byte("pass-phrase-42"), "known_hosts": knownHosts}},
		{name: "ssh without secret", u: sshURL, wantErr: "identity and known_hosts"},
		{name: "ssh without known_hosts", u: sshURL, data: map[string][]byte{"identity": key}, wantErr: "known_hosts is missing"},
		{name: "ssh without identity", u: sshURL, data: map[string][]byte{"known_hosts": knownHosts}, wantErr: "identity is missing"},
		{name: "ssh with encrypted key and no password", u: sshURL, data: map[string][]byte{"identity": encKey, "known_hosts": knownHosts}, wantErr: "encrypted"},
		{name: "ssh with wrong passphrase", u: sshURL, data: map[string][]byte{"identity": encKey, "password": []byte("wrong-phrase-99"), "known_hosts": knownHosts}, wantErr: "not a usable private key"},
		{name: "ssh with bad known_hosts", u: sshURL, data: map[string][]byte{"identity": key, "known_hosts": []byte("example.com ssh-ed25519 !!!\n")}, wantErr: "known_hosts does not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			a, err := NewAuth(tt.u, tt.data)
			if tt.wantErr != "" {
				g.Expect(err).To(MatchError(ErrInvalidAuth))
				g.Expect(err.Error()).To(ContainSubstring(tt.wantErr))
				for _, secret := range []string{"hunter2-secret", "tok-secret", "pass-phrase-42", "wrong-phrase-99"} {
					g.Expect(err.Error()).NotTo(ContainSubstring(secret))
				}
				g.Expect(strings.Contains(err.Error(), "known_hosts-")).To(BeFalse(), "temporary file name in %q", err)
				return
			}
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(a).NotTo(BeNil())
		})
	}
}

func TestRedact(t *testing.T) {
	g := NewWithT(t)
	base := errors.New("auth failed for user:hunter2 at host")
	err := redact(base, "hunter2", "")
	g.Expect(err.Error()).To(Equal("auth failed for user:*** at host"))
	g.Expect(errors.Is(err, base)).To(BeTrue())
	g.Expect(redact(base, "absent")).To(BeIdenticalTo(base))
	g.Expect(redact(nil, "x")).To(BeNil())
}
