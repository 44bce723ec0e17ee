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
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// The keys read from the data of a Secret. They are those of Flux's
// GitRepository, so that one Secret serves both.
const (
	// UsernameKey holds the user name of HTTP basic auth.
	UsernameKey = "username"
	// PasswordKey holds the password of HTTP basic auth, or the passphrase
	// of the SSH identity.
	PasswordKey = "password"
	// BearerTokenKey holds a token sent as an HTTP bearer token.
	BearerTokenKey = "bearerToken"
	// IdentityKey holds a PEM-encoded SSH private key.
	IdentityKey = "identity"
	// KnownHostsKey holds the known_hosts lines the SSH host key is checked
	// against.
	KnownHostsKey = "known_hosts"
	// CACertKey holds PEM certificates of the authorities an HTTPS server
	// certificate may be issued by, in addition to the system ones.
	CACertKey = "ca.crt"
	// TLSCertKey and TLSKeyKey hold a client certificate and its key for
	// mutual TLS over HTTPS.
	TLSCertKey = "tls.crt"
	// TLSKeyKey holds the private key of TLSCertKey.
	TLSKeyKey = "tls.key"
)

// Auth holds what is needed to reach a repository: credentials and the
// trust anchors of its server. Keys that the transport of the URL does not
// use are ignored, so that one Secret can serve several repositories.
type Auth struct {
	method   transport.AuthMethod
	caBundle []byte
	cert     []byte
	key      []byte
	// secrets are redacted from every error.
	secrets []string
}

// NewAuth builds the Auth for u from the data of a Secret; data may be nil
// when the repository needs no credentials. The error wraps ErrInvalidAuth
// when a key is missing or malformed, and never contains a secret value.
//
// Over SSH an identity and known_hosts are required: host keys are always
// verified, there is no way to accept an unknown host.
func NewAuth(u *URL, data map[string][]byte) (*Auth, error) {
	a := &Auth{}
	for _, k := range []string{PasswordKey, BearerTokenKey} {
		if v := string(data[k]); v != "" {
			a.secrets = append(a.secrets, v)
		}
	}
	var err error
	switch u.Transport {
	case TransportHTTP, TransportHTTPS:
		err = a.http(u, data)
	case TransportSSH:
		err = a.ssh(u, data)
	}
	if err != nil {
		return nil, redact(err, a.secrets...)
	}
	return a, nil
}

func (a *Auth) http(u *URL, data map[string][]byte) error {
	username, password, token := string(data[UsernameKey]), string(data[PasswordKey]), string(data[BearerTokenKey])
	switch {
	case token != "" && (username != "" || password != ""):
		return fmt.Errorf("%w: %s and %s/%s are mutually exclusive", ErrInvalidAuth, BearerTokenKey, UsernameKey, PasswordKey)
	case token != "":
		a.method = &githttp.TokenAuth{Token: token}
	case username != "" && password == "":
		return fmt.Errorf("%w: %s is set but %s is missing", ErrInvalidAuth, UsernameKey, PasswordKey)
	case password != "" && username == "":
		return fmt.Errorf("%w: %s is set but %s is missing", ErrInvalidAuth, PasswordKey, UsernameKey)
	case username != "":
		a.method = &githttp.BasicAuth{Username: username, Password: password}
	}
	if u.Transport != TransportHTTPS {
		return nil
	}
	if ca := data[CACertKey]; len(ca) > 0 {
		if !x509.NewCertPool().AppendCertsFromPEM(ca) {
			return fmt.Errorf("%w: %s holds no PEM certificate", ErrInvalidAuth, CACertKey)
		}
		a.caBundle = ca
	}
	cert, key := data[TLSCertKey], data[TLSKeyKey]
	if len(cert) > 0 || len(key) > 0 {
		if _, err := tls.X509KeyPair(cert, key); err != nil {
			return fmt.Errorf("%w: %s and %s do not form a key pair", ErrInvalidAuth, TLSCertKey, TLSKeyKey)
		}
		a.cert, a.key = cert, key
	}
	return nil
}

func (a *Auth) ssh(u *URL, data map[string][]byte) error {
	identity, knownHosts := data[IdentityKey], data[KnownHostsKey]
	switch {
	case len(identity) == 0 && len(knownHosts) == 0:
		return fmt.Errorf("%w: an SSH URL needs a Secret with %s and %s", ErrInvalidAuth, IdentityKey, KnownHostsKey)
	case len(identity) == 0:
		return fmt.Errorf("%w: %s is missing", ErrInvalidAuth, IdentityKey)
	case len(knownHosts) == 0:
		return fmt.Errorf("%w: %s is missing; host keys are always verified", ErrInvalidAuth, KnownHostsKey)
	}
	user := u.User
	if user == "" {
		user = string(data[UsernameKey])
	}
	if user == "" {
		user = "git"
	}
	passphrase := string(data[PasswordKey])
	if passphrase == "" {
		var missing *ssh.PassphraseMissingError
		if _, err := ssh.ParsePrivateKey(identity); errors.As(err, &missing) {
			return fmt.Errorf("%w: %s is encrypted and %s is missing", ErrInvalidAuth, IdentityKey, PasswordKey)
		}
	}
	pk, err := gitssh.NewPublicKeys(user, identity, passphrase)
	if err != nil {
		return fmt.Errorf("%w: %s is not a usable private key (wrong %s?)", ErrInvalidAuth, IdentityKey, PasswordKey)
	}
	callback, algos, err := hostKeyCallback(knownHosts, u.HostPort())
	if err != nil {
		return err
	}
	pk.HostKeyCallback = callback
	pk.HostKeyAlgorithms = algos
	a.method = pk
	return nil
}

// hostKeyCallback checks host keys against knownHosts, and returns the key
// algorithms known for hostPort so that the server is asked for a key that
// can be checked, not just for its preferred one.
func hostKeyCallback(knownHosts []byte, hostPort string) (ssh.HostKeyCallback, []string, error) {
	// The parsers of x/crypto and of skeema/knownhosts (which also tells the
	// algorithms) read files only.
	f, err := os.CreateTemp("", "known_hosts-")
	if err != nil {
		return nil, nil, fmt.Errorf("writing known_hosts: %w", err)
	}
	defer func() { _ = os.Remove(f.Name()) }()
	_, err = f.Write(knownHosts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("writing known_hosts: %w", err)
	}
	db, err := gitssh.NewKnownHostsDb(f.Name())
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s does not parse: %s", ErrInvalidAuth, KnownHostsKey, knownHostsError(err, f.Name()))
	}
	check := db.HostKeyCallback()
	callback := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := check(hostname, remote, key)
		var keyErr *knownhosts.KeyError
		switch {
		case err == nil:
			return nil
		case errors.As(err, &keyErr) && len(keyErr.Want) == 0:
			return fmt.Errorf("%w: %s presented %s key %s, which is not in %s",
				ErrHostKey, hostname, key.Type(), ssh.FingerprintSHA256(key), KnownHostsKey)
		case errors.As(err, &keyErr):
			return fmt.Errorf("%w: %s presented %s key %s, which differs from the one in %s",
				ErrHostKey, hostname, key.Type(), ssh.FingerprintSHA256(key), KnownHostsKey)
		default:
			return fmt.Errorf("%w: %w", ErrHostKey, err)
		}
	}
	return callback, db.HostKeyAlgorithms(hostPort), nil
}

// knownHostsError drops the name of the temporary file from a parse error.
func knownHostsError(err error, name string) string {
	return strings.ReplaceAll(err.Error(), name, KnownHostsKey)
}
