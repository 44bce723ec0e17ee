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

package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// Keys of the Secrets an AlertProvider refers to.
const (
	// AddressKey is the key of the webhook address in spec.secretRef, and
	// of the proxy address in spec.proxySecretRef.
	AddressKey = "address"

	// TokenKey is the key of the token in spec.secretRef: the HMAC key of
	// generic-hmac, a bearer token for slack (chat.postMessage).
	TokenKey = "token"

	// UsernameKey and PasswordKey are the optional proxy credentials in
	// spec.proxySecretRef.
	UsernameKey = "username"

	// PasswordKey is the optional proxy password in spec.proxySecretRef.
	PasswordKey = "password"

	// CACertKey is the key of the PEM CA certificate in spec.certSecretRef.
	CACertKey = "ca.crt"
)

// InvalidProviderError reports an AlertProvider that cannot be used as it is
// configured: a missing Secret or key, or an invalid address. Its message
// names Secrets and keys, never their values, so it may go into a condition.
type InvalidProviderError struct {
	msg string
}

// Error returns the message.
func (e *InvalidProviderError) Error() string { return e.msg }

func invalidf(format string, args ...any) error {
	return &InvalidProviderError{msg: fmt.Sprintf(format, args...)}
}

// target is a resolved AlertProvider: where and how to send. It holds
// credentials: never log or print it.
type target struct {
	providerType string
	channel      string
	username     string
	address      string
	token        string
	proxy        *url.URL
	caPool       *x509.CertPool
	timeout      time.Duration
}

// ValidateProvider checks that p can be used: its Secrets exist and hold an
// absolute http(s) address, generic-hmac has a token, the proxy address and
// CA certificate parse. It returns an *InvalidProviderError when the user
// must act, and another error when the Secrets cannot be read.
func ValidateProvider(ctx context.Context, c client.Reader, p *v1alpha1.AlertProvider) error {
	_, err := resolveProvider(ctx, c, p)
	return err
}

// resolveProvider reads the Secrets of p and returns its target.
func resolveProvider(ctx context.Context, c client.Reader, p *v1alpha1.AlertProvider) (*target, error) {
	t := &target{
		providerType: p.Spec.Type,
		channel:      p.Spec.Channel,
		username:     p.Spec.Username,
		timeout:      p.GetTimeout(),
	}
	switch p.Spec.Type {
	case v1alpha1.SlackProvider, v1alpha1.GenericProvider, v1alpha1.GenericHMACProvider,
		v1alpha1.MSTeamsProvider, v1alpha1.DiscordProvider:
	default:
		return nil, invalidf("unsupported provider type %q", p.Spec.Type)
	}

	data, err := secretData(ctx, c, p.Namespace, p.Spec.SecretRef.Name)
	if err != nil {
		return nil, err
	}
	addr, ok := data[AddressKey]
	if !ok || len(addr) == 0 {
		return nil, invalidf("secret %q has no key %q", p.Spec.SecretRef.Name, AddressKey)
	}
	if err := checkAddress(string(addr)); err != nil {
		return nil, invalidf("the address in secret %q is invalid: %s", p.Spec.SecretRef.Name, err)
	}
	t.address = string(addr)
	t.token = string(data[TokenKey])
	if p.Spec.Type == v1alpha1.GenericHMACProvider && t.token == "" {
		return nil, invalidf("secret %q has no key %q (the HMAC key of generic-hmac)", p.Spec.SecretRef.Name, TokenKey)
	}

	if ref := p.Spec.ProxySecretRef; ref != nil {
		data, err := secretData(ctx, c, p.Namespace, ref.Name)
		if err != nil {
			return nil, err
		}
		addr, ok := data[AddressKey]
		if !ok || len(addr) == 0 {
			return nil, invalidf("proxy secret %q has no key %q", ref.Name, AddressKey)
		}
		if err := checkAddress(string(addr)); err != nil {
			return nil, invalidf("the proxy address in secret %q is invalid: %s", ref.Name, err)
		}
		u, _ := url.Parse(string(addr))
		if user := string(data[UsernameKey]); user != "" {
			u.User = url.UserPassword(user, string(data[PasswordKey]))
		}
		t.proxy = u
	}

	if ref := p.Spec.CertSecretRef; ref != nil {
		data, err := secretData(ctx, c, p.Namespace, ref.Name)
		if err != nil {
			return nil, err
		}
		pem, ok := data[CACertKey]
		if !ok || len(pem) == 0 {
			return nil, invalidf("certificate secret %q has no key %q", ref.Name, CACertKey)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, invalidf("certificate secret %q: %q holds no PEM certificate", ref.Name, CACertKey)
		}
		t.caPool = pool
	}
	return t, nil
}

// secretData returns the data of a Secret; a missing Secret is an
// *InvalidProviderError.
func secretData(ctx context.Context, c client.Reader, namespace, name string) (map[string][]byte, error) {
	var s corev1.Secret
	if err := c.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, &s); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, invalidf("secret %q not found", name)
		}
		return nil, fmt.Errorf("reading secret %q: %w", name, err)
	}
	return s.Data, nil
}

// checkAddress checks that addr is an absolute http or https URL. Its error
// never repeats the address, which may carry a token in its path.
func checkAddress(addr string) error {
	u, err := url.Parse(addr)
	if err != nil {
		return fmt.Errorf("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("the scheme must be http or https")
	}
	if u.Host == "" {
		return fmt.Errorf("no host")
	}
	return nil
}

// httpClient returns an HTTP client for t: its proxy (or the environment's),
// CA certificate and timeout of one attempt. Redirects are not followed, so
// that a body signed for one address is not posted to another.
func (t *target) httpClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if t.proxy != nil {
		tr.Proxy = http.ProxyURL(t.proxy)
	}
	if t.caPool != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: t.caPool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{
		Transport: tr,
		Timeout:   t.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
