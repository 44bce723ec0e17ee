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

package reconcile

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/connstr"
)

// inSyncMemo remembers, per Database, the catalog fingerprint of the last pass
// that found the database in sync and the identity of the desired schema it was
// compared with (desiredIdentity). It lives in the agent's memory only (one small
// entry per Database; a restart starts with full checks) and never in status.
type inSyncMemo struct {
	mu      sync.Mutex
	entries map[types.NamespacedName]inSyncEntry
}

type inSyncEntry struct {
	identity [sha256.Size]byte
	digest   string
	// counters are the catalog counters (drift.CatalogCounters) read with
	// digest, or last time digest was found unchanged; "" when the server has
	// none to trust.
	counters string
	// verified is when digest was last read and found equal; counterPasses
	// counts the passes that ended on equal counters since (countersTrust).
	verified      time.Time
	counterPasses int
	// graveyard is the number of graveyard tables digest was read with.
	graveyard int64
	// unchanged counts the passes that ended on this entry.
	unchanged int
}

// countersTrust bounds how long, and for how many passes, equal catalog counters
// alone end a pass before the catalog fingerprint is read again: the counters
// move with every DDL once its backend publishes its statistics, but a
// superuser may switch track_counts off for a session; the fingerprint sees
// what such a session did within this bound.
const (
	countersTrust       = 10 * time.Minute
	countersTrustPasses = 20
)

func (m *inSyncMemo) get(key types.NamespacedName) (inSyncEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	return e, ok
}

func (m *inSyncMemo) set(key types.NamespacedName, e inSyncEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.entries = map[types.NamespacedName]inSyncEntry{}
	}
	m.entries[key] = e
}

// hit counts a pass that ended on the entry of key: on equal catalog counters
// (byCounters), or on an equal fingerprint, read with counters.
func (m *inSyncMemo) hit(key types.NamespacedName, byCounters bool, counters string, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok {
		e.unchanged++
		if byCounters {
			e.counterPasses++
		} else {
			e.counters, e.verified, e.counterPasses = counters, now, 0
		}
		m.entries[key] = e
	}
}

func (m *inSyncMemo) forget(key types.NamespacedName) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
}

// desiredIdentity identifies what a pass compares the database with: the
// Database object (its UID, and its generation, which every spec change
// advances), the source revision, and the connection and scratch URLs (another
// Secret may name another role or database). The URLs are hashed with the
// rest, never kept.
func desiredIdentity(obj *v1alpha1.Database, run *dbRun) [sha256.Size]byte {
	return sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%s", obj.UID, obj.Generation, run.revision, run.url, run.scratchURL)))
}

// reconcileUnchanged ends the pass when nothing the last full check saw can have
// changed: the same desired identity, the status still saying in sync for this
// generation, and the same catalog. It reads first the catalog counters
// (drift.CatalogCounters: no catalog table read, under a millisecond); equal
// counters end the pass, within countersTrust of the last fingerprint read.
// Otherwise it reads the catalog fingerprint (drift.Fingerprint, one query over
// the catalogs); an equal fingerprint ends the pass too (a temporary table of
// another session moves the counters, not the fingerprint). The status is then
// left as it is (no write). Otherwise the pass goes on to the full check, which
// records both when it finds the database in sync (reconcileDecide). Graveyard
// entries are purged by age, which no catalog change announces: with entries in
// the graveyard, an unchanged pass still purges it. Databases of format
// Migrations always take the full path. It sets no condition; a failed read is
// transient (InspectFailed).
func (r *DatabaseReconciler) reconcileUnchanged(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	key := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}
	if obj.GetFormat() == v1alpha1.FormatMigrations {
		return nil
	}
	started := time.Now()
	counters, err := drift.CatalogCounters(ctx, run.conn)
	passPhase.WithLabelValues("counters").Observe(time.Since(started).Seconds())
	if err != nil {
		return transient(v1alpha1.InspectFailedReason, err)
	}
	run.counters = counters
	run.identity = desiredIdentity(obj, run)
	prev, ok := r.inSync.get(key)
	same := ok && prev.identity == run.identity && statusInSync(obj)
	graveyard := prev.graveyard
	byCounters := same && counters != "" && prev.counters == counters &&
		time.Since(prev.verified) < countersTrust && prev.counterPasses < countersTrustPasses
	if !byCounters {
		started = time.Now()
		fp, err := drift.Fingerprint(ctx, run.conn)
		passPhase.WithLabelValues("fingerprint").Observe(time.Since(started).Seconds())
		if err != nil {
			return transient(v1alpha1.InspectFailedReason, err)
		}
		run.fingerprint, run.graveyard, graveyard = fp.Digest, fp.GraveyardEntries, fp.GraveyardEntries
		if !same || prev.digest != fp.Digest {
			r.inSync.forget(key)
			driftChecks.WithLabelValues("inspected").Inc()
			return nil
		}
	}
	driftChecks.WithLabelValues("unchanged").Inc()
	r.inSync.hit(key, byCounters, counters, time.Now())
	if graveyard > 0 {
		if err := r.reconcileGraveyard(ctx, obj, run); err != nil {
			return err
		}
	}
	run.done = true
	return nil
}

// statusInSync tells whether the status of obj says what the last full check
// found: Ready and in sync for the current generation, no drift, not stalled.
func statusInSync(obj *v1alpha1.Database) bool {
	c := conditions.Get(obj, meta.ReadyCondition)
	return c != nil && c.Status == "True" && c.Reason == v1alpha1.InSyncReason &&
		obj.Status.ObservedGeneration == obj.Generation &&
		!conditions.Has(obj, v1alpha1.DriftedCondition) && !conditions.Has(obj, meta.StalledCondition) &&
		!conditions.Has(obj, meta.ReconcilingCondition)
}

// recordInSync remembers that the full check of this pass found the database in
// sync, with the counters and fingerprint read before the inspection: a change
// made after those reads changes what the next pass reads.
func (r *DatabaseReconciler) recordInSync(obj *v1alpha1.Database, run *dbRun) {
	if run.fingerprint == "" {
		return
	}
	r.inSync.set(types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}, inSyncEntry{identity: run.identity, digest: run.fingerprint,
		counters: run.counters, verified: time.Now(), graveyard: run.graveyard})
}

// serverSlots bounds the connections the agent holds open to each PostgreSQL
// server (host:port) at once: a fleet of databases on one server is reconciled
// MaxConcurrentReconciles at a time, and every pass holds one connection to its
// database (and, on a cache miss, the load's connections to the scratch server,
// which are not counted here).
type serverSlots struct {
	// size is the number of connections per server; 0 is unbounded.
	size int

	mu    sync.Mutex
	slots map[string]chan struct{}
}

// acquire waits for a slot of the server of url and returns its release.
func (s *serverSlots) acquire(ctx context.Context, url string) (func(), error) {
	if s == nil || s.size <= 0 {
		return func() {}, nil
	}
	server := ""
	if cfg, err := connstr.Parse(url); err == nil {
		server = net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	}
	s.mu.Lock()
	if s.slots == nil {
		s.slots = map[string]chan struct{}{}
	}
	ch, ok := s.slots[server]
	if !ok {
		ch = make(chan struct{}, s.size)
		s.slots[server] = ch
	}
	s.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for a connection slot of %s: %w", server, ctx.Err())
	}
}

// connect opens the pass's connection to the database within the server's
// connection slots (serverSlots); the slot is released with the connection at the
// end of the pass.
func (r *DatabaseReconciler) connect(ctx context.Context, run *dbRun) error {
	started := time.Now()
	defer func() { passPhase.WithLabelValues("connect").Observe(time.Since(started).Seconds()) }()
	release, err := r.slots.acquire(ctx, run.url)
	if err != nil {
		return transient(v1alpha1.ConnectionFailedReason, err)
	}
	conn, err := drift.Connect(ctx, run.url)
	if err != nil {
		release()
		return transient(v1alpha1.ConnectionFailedReason, err)
	}
	run.conn, run.release = conn, release
	return nil
}

// closeConn closes the pass's connection and releases its slot.
func (run *dbRun) closeConn(ctx context.Context) {
	if run.conn != nil {
		_ = run.conn.Close(context.WithoutCancel(ctx))
		run.conn = nil
	}
	if run.release != nil {
		run.release()
		run.release = nil
	}
}

// secretURLCache keeps the connection URL read from each Secret with the
// Secret's resourceVersion. An entry is used while the manager's metadata cache
// of Secrets (the controller watches their metadata) shows the same version; a
// Secret changed or no longer in the cache is read again. It lives in the agent's
// memory only, like the connections it opens.
type secretURLCache struct {
	// metadata reads Secrets' metadata from the manager's cache; nil disables
	// the cache.
	metadata client.Reader

	mu      sync.Mutex
	entries map[types.NamespacedName]secretURLEntry
}

type secretURLEntry struct {
	resourceVersion string
	url             string
}

func (c *secretURLCache) get(ctx context.Context, key types.NamespacedName) (string, bool) {
	if c.metadata == nil {
		return "", false
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if !ok {
		return "", false
	}
	m := &metav1.PartialObjectMetadata{}
	m.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	if err := c.metadata.Get(ctx, key, m); err != nil || m.ResourceVersion != e.resourceVersion {
		return "", false
	}
	return e.url, true
}

func (c *secretURLCache) set(key types.NamespacedName, resourceVersion, url string) {
	if c.metadata == nil || resourceVersion == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[types.NamespacedName]secretURLEntry{}
	}
	c.entries[key] = secretURLEntry{resourceVersion: resourceVersion, url: url}
}

func (c *secretURLCache) forget(key types.NamespacedName) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
}
