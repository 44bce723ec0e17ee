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
	"net"
	"net/url"
	"path"
	"strings"
)

// Transport is the protocol a repository URL is reached with.
type Transport string

// The transports a repository URL may use.
const (
	// TransportHTTPS is Git's smart HTTP protocol over TLS.
	TransportHTTPS Transport = "https"
	// TransportHTTP is Git's smart HTTP protocol in clear text.
	TransportHTTP Transport = "http"
	// TransportSSH is Git over SSH, from ssh:// or scp-like URLs.
	TransportSSH Transport = "ssh"
	// TransportFile is a repository on the local filesystem.
	TransportFile Transport = "file"
)

// URL is a validated repository URL.
type URL struct {
	// Transport is the protocol the repository is reached with.
	Transport Transport
	// User is the user name in the URL, if any (git in git@host:org/repo).
	User string
	// Host is the host name without port; empty for file URLs.
	Host string
	// Port is the port, empty for the transport's default.
	Port string
	// Path is the repository path on the host.
	Path string

	// endpoint is what go-git is given: the URL as written, or the
	// scp-like form, never with a password.
	endpoint string
}

// String returns the URL as it is given to Git. It never contains a
// password.
func (u *URL) String() string { return u.endpoint }

// HostPort returns host:port with the transport's default port filled in,
// the form known_hosts entries are matched against.
func (u *URL) HostPort() string {
	port := u.Port
	if port == "" {
		switch u.Transport {
		case TransportSSH:
			port = "22"
		case TransportHTTPS:
			port = "443"
		case TransportHTTP:
			port = "80"
		}
	}
	return net.JoinHostPort(u.Host, port)
}

// ParseURL validates a repository URL: https://, http://, ssh://, file://,
// or the scp-like user@host:path, which is taken as SSH. The error wraps
// ErrInvalidURL. A password in the URL is refused, so that it cannot end up
// in a status or a log: credentials belong in the Secret.
func ParseURL(raw string) (*URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("%w: empty", ErrInvalidURL)
	}
	if !strings.Contains(raw, "://") {
		return parseSCPLike(raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the input, which may hold a password.
		return nil, fmt.Errorf("%w: does not parse", ErrInvalidURL)
	}
	if _, ok := u.User.Password(); ok {
		return nil, fmt.Errorf("%w: it contains a password; put credentials in the Secret", ErrInvalidURL)
	}
	out := &URL{
		Transport: Transport(strings.ToLower(u.Scheme)),
		User:      u.User.Username(),
		Host:      u.Hostname(),
		Port:      u.Port(),
		Path:      u.Path,
		endpoint:  u.String(),
	}
	switch out.Transport {
	case TransportHTTPS, TransportHTTP, TransportSSH:
		if out.Host == "" {
			return nil, fmt.Errorf("%w: %q has no host", ErrInvalidURL, out.endpoint)
		}
		if out.Path == "" || out.Path == "/" {
			return nil, fmt.Errorf("%w: %q has no repository path", ErrInvalidURL, out.endpoint)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("%w: %q has a query or fragment", ErrInvalidURL, out.endpoint)
		}
	case TransportFile:
		if out.Host != "" && out.Host != "localhost" {
			return nil, fmt.Errorf("%w: file URL %q names a host", ErrInvalidURL, out.endpoint)
		}
		if !path.IsAbs(out.Path) {
			return nil, fmt.Errorf("%w: file URL %q needs an absolute path", ErrInvalidURL, out.endpoint)
		}
		out.Host = ""
	default:
		return nil, fmt.Errorf("%w: scheme %q is not one of https, http, ssh, file", ErrInvalidURL, u.Scheme)
	}
	return out, nil
}

// parseSCPLike parses [user@]host:path the way Git does: a colon before the
// first slash makes it SSH. The form is kept as written for Git, since its
// path is relative to the login directory, unlike that of an ssh:// URL.
func parseSCPLike(raw string) (*URL, error) {
	colon := strings.Index(raw, ":")
	slash := strings.Index(raw, "/")
	if colon < 0 || (slash >= 0 && slash < colon) {
		return nil, fmt.Errorf("%w: %q is neither a URL with a scheme nor scp-like user@host:path", ErrInvalidURL, raw)
	}
	var user string
	rest := raw
	if at := strings.Index(raw, "@"); at >= 0 && (slash < 0 || at < slash) {
		user, rest = raw[:at], raw[at+1:]
		if strings.Contains(user, ":") {
			return nil, fmt.Errorf("%w: it contains a password; put credentials in the Secret", ErrInvalidURL)
		}
		colon = strings.Index(rest, ":")
		if colon < 0 {
			return nil, fmt.Errorf("%w: %q is neither a URL with a scheme nor scp-like user@host:path", ErrInvalidURL, raw)
		}
	}
	host, p := rest[:colon], rest[colon+1:]
	switch {
	case host == "" || strings.ContainsAny(host, " \t[]"):
		return nil, fmt.Errorf("%w: %q has no valid host", ErrInvalidURL, raw)
	case p == "" || p == "/":
		return nil, fmt.Errorf("%w: %q has no repository path", ErrInvalidURL, raw)
	}
	return &URL{Transport: TransportSSH, User: user, Host: host, Path: p, endpoint: raw}, nil
}
