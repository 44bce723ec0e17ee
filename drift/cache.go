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

package drift

import (
	"container/list"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/internal/connstr"
)

// CacheKey identifies a desired model: the same files of the same revision, inspected
// with the same options, on the same server major version, give the same model.
type CacheKey struct {
	// Revision is the source revision, e.g. "main@sha1:<hex>".
	Revision string
	// Path is the folder within the revision.
	Path string
	// ServerMajor is the major version of the server the model is compared with.
	ServerMajor int
	// Scratch is the server the SQL is loaded on (host:port), whose version and
	// extensions shape the model.
	Scratch string
	// Scope is the managed schemas, exclude patterns and privilege management.
	Scope string
	// Extensions are the untrusted extensions the load may create (allowed, or
	// installed in the target), comma-separated: a load refused for one set may
	// succeed for another.
	Extensions string
	// Trusted are the statement kinds the scratch server's admin completes
	// (load.Options.TrustedStatements), comma-separated.
	Trusted string
}

// ScopeKey renders inspect options for a CacheKey.
func ScopeKey(o inspect.Options) string {
	return fmt.Sprintf("%q|%q|%v", o.Schemas, o.Exclude, o.ManagePrivileges)
}

// Cache keeps desired models so that many databases on one source load the SQL once.
// Concurrent loads of the same key wait for one load. It holds at most Size models
// and evicts the least recently used.
type Cache struct {
	// Size is the number of models kept, default 64.
	Size int

	mu      sync.Mutex
	entries map[CacheKey]*list.Element
	lru     list.List
	loading map[CacheKey]*cacheCall
}

type cacheEntry struct {
	key      CacheKey
	model    *model.Schema
	warnings []load.Warning
}

type cacheCall struct {
	done     chan struct{}
	model    *model.Schema
	warnings []load.Warning
	err      error
}

// Get returns the model of key, calling loadFn once when it is not cached. Errors are
// not cached: a broken revision is loaded again at the next try (it may have been a
// scratch server outage).
func (c *Cache) Get(ctx context.Context, key CacheKey, loadFn func(context.Context) (*model.Schema, []load.Warning, error)) (*model.Schema, []load.Warning, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[CacheKey]*list.Element{}
		c.loading = map[CacheKey]*cacheCall{}
	}
	if e, ok := c.entries[key]; ok {
		c.lru.MoveToFront(e)
		ent := e.Value.(*cacheEntry)
		c.mu.Unlock()
		return ent.model, ent.warnings, nil
	}
	if call, ok := c.loading[key]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.model, call.warnings, call.err
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
	call := &cacheCall{done: make(chan struct{})}
	c.loading[key] = call
	c.mu.Unlock()

	call.model, call.warnings, call.err = loadFn(ctx)

	c.mu.Lock()
	delete(c.loading, key)
	if call.err == nil {
		c.entries[key] = c.lru.PushFront(&cacheEntry{key: key, model: call.model, warnings: call.warnings})
		size := c.Size
		if size <= 0 {
			size = 64
		}
		for c.lru.Len() > size {
			old := c.lru.Back()
			c.lru.Remove(old)
			delete(c.entries, old.Value.(*cacheEntry).key)
		}
	}
	c.mu.Unlock()
	close(call.done)
	return call.model, call.warnings, call.err
}

// DesiredSource is where a desired schema comes from, for Cache.Desired.
type DesiredSource struct {
	// Revision is the source revision, e.g. "main@sha1:<hex>".
	Revision string
	// Path is the folder within the revision (part of the key).
	Path string
	// Dir is that folder on disk.
	Dir string
}

// Desired returns the desired model of src for the target behind conn, loading the
// SQL into a scratch database (on opts.ScratchURL, else the target's server) on a
// miss. It derives the key itself: the target's server major version, the scratch
// server, the scope of opts and the untrusted extensions the load may create
// (opts.AllowedExtensions and those the target already has). loaded reports whether
// this call loaded the SQL (a miss).
func (c *Cache) Desired(ctx context.Context, conn *pgx.Conn, src DesiredSource, opts Options) (desired *model.Schema, warnings []load.Warning, loaded bool, err error) {
	lopts, err := opts.loadOptions(ctx, conn)
	if err != nil {
		return nil, nil, false, err
	}
	key := CacheKey{Revision: src.Revision, Path: src.Path, ServerMajor: serverMajor(conn), Scratch: serverIdentity(lopts.AdminURL),
		Scope: opts.Scope().key(), Extensions: strings.Join(lopts.AllowedExtensions, ","),
		Trusted: strings.Join(lopts.TrustedStatements, ",")}
	desired, warnings, err = c.Get(ctx, key, func(ctx context.Context) (*model.Schema, []load.Warning, error) {
		loaded = true
		return LoadDesiredWith(ctx, src.Dir, lopts, opts.inspectOptions())
	})
	return desired, warnings, loaded, err
}

// serverMajor is the major version of the server behind conn, 0 when unknown.
func serverMajor(conn *pgx.Conn) int {
	v := conn.PgConn().ParameterStatus("server_version")
	if f := strings.Fields(v); len(f) > 0 {
		major, _ := strconv.Atoi(strings.SplitN(f[0], ".", 2)[0])
		return major
	}
	return 0
}

// serverIdentity is host:port of a server URL, without credentials; "" when the URL
// does not parse (the load then fails with the reason).
func serverIdentity(url string) string {
	cfg, err := connstr.Parse(url)
	if err != nil {
		return ""
	}
	return net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
}
