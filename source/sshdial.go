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
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/url"
	"sync"

	"github.com/go-git/go-git/v5/plumbing/transport"
	"golang.org/x/net/proxy"
)

// go-git dials SSH servers without a context and runs the SSH handshake
// without a deadline, so a server that accepts the connection and then says
// nothing would hold a reconciliation forever, whatever spec.timeout says.
// Its only hook into the dial is the proxy URL: SSH operations are given a
// proxy URL of a scheme of ours that names their context, and the dialer of
// that scheme connects directly, with the context's deadline on the
// connection and a close when the context ends.

// ctxDialScheme is the proxy URL scheme of dials bound to a context.
const ctxDialScheme = "schemactl-ctx"

// ctxDials maps the host part of such proxy URLs to their contexts.
var ctxDials sync.Map

func init() {
	proxy.RegisterDialerType(ctxDialScheme, func(u *url.URL, _ proxy.Dialer) (proxy.Dialer, error) {
		v, ok := ctxDials.Load(u.Host)
		if !ok {
			return nil, errors.New("ssh: the operation's context is gone")
		}
		return ctxDialer{ctx: v.(context.Context)}, nil
	})
}

// sshProxyOptions binds the SSH dials of one operation to ctx. Call release
// when the operation is over.
func sshProxyOptions(ctx context.Context) (opts transport.ProxyOptions, release func()) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	token := hex.EncodeToString(b)
	ctxDials.Store(token, ctx)
	return transport.ProxyOptions{URL: ctxDialScheme + "://" + token}, func() { ctxDials.Delete(token) }
}

// ctxDialer dials directly, bound to the context of an operation.
type ctxDialer struct{ ctx context.Context }

// Dial implements proxy.Dialer.
func (d ctxDialer) Dial(network, addr string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, addr)
}

// DialContext implements proxy.ContextDialer: the connection ends at the
// operation's deadline or cancellation, and the dial at either context's.
func (d ctxDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopDial := context.AfterFunc(d.ctx, cancel)
	defer stopDial()
	var nd net.Dialer
	conn, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		if d.ctx.Err() != nil {
			return nil, d.ctx.Err()
		}
		return nil, err
	}
	if deadline, ok := d.ctx.Deadline(); ok {
		if err := conn.SetDeadline(deadline); err != nil {
			_ = conn.Close()
			return nil, err
		}
	}
	stop := context.AfterFunc(d.ctx, func() { _ = conn.Close() })
	return &ctxConn{Conn: conn, stop: stop}, nil
}

// ctxConn stops watching the context once closed.
type ctxConn struct {
	net.Conn
	stop func() bool
}

func (c *ctxConn) Close() error {
	c.stop()
	return c.Conn.Close()
}
