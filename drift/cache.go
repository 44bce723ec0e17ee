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
	"sync"

	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/drift/model"
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
	// Scope is the managed schemas, exclude patterns and privilege management.
	Scope string
	// Extensions are the untrusted extensions the load may create (allowed, or
	// installed in the target), comma-separated: a load refused for one set may
	// succeed for another.
	Extensions string
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
	loads   int
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

// Loads returns how many times the cache called a loader (misses that loaded).
func (c *Cache) Loads() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loads
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
	c.loads++
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
