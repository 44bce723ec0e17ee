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
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// dedupForgetAfter is how long the events sent about an object are
// remembered after the object last recorded an event.
const dedupForgetAfter = 24 * time.Hour

// dedup remembers, per object, AlertRule and reason, the fingerprint of the
// last event sent, so that the same drift is sent once rather than at every
// interval, and a failure that repeats is sent once per repeat window.
//
// A Normal event without a drift fingerprint (DriftCorrected, Applied,
// ApprovalApplied, NewArtifact, ...) is a recovery: it resets what was
// remembered about its object, so that a drift or failure that comes back
// afterwards is sent again. State lives in memory: after a restart the
// current drift is sent once more.
type dedup struct {
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	objects map[string]*dedupObject
}

type dedupObject struct {
	seenAt time.Time
	sent   map[string]*dedupEntry
}

type dedupEntry struct {
	fp     string
	drift  bool
	sentAt time.Time
}

func newDedup(window time.Duration) *dedup {
	return &dedup{window: window, now: time.Now, objects: map[string]*dedupObject{}}
}

// objectKey identifies the involved object of e.
func objectKey(e *Event) string {
	o := e.InvolvedObject
	return o.Kind + "/" + o.Namespace + "/" + o.Name
}

// ruleKey identifies rule and the reason of e within an object's entries.
func ruleKey(rule *v1alpha1.AlertRule, e *Event) string {
	return rule.Namespace + "/" + rule.Name + "\x00" + e.Reason
}

// eventFingerprint returns what identifies e for dedup, and whether it is a
// drift fingerprint (sent once while it lasts) rather than a hash of the
// whole event (sent once per repeat window).
func eventFingerprint(e *Event) (string, bool) {
	if fp := e.Metadata[MetaDriftFingerprintKey]; fp != "" {
		return fp, true
	}
	var b strings.Builder
	b.WriteString(e.Severity + "\x00" + e.Message)
	keys := make([]string, 0, len(e.Metadata))
	for k := range e.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString("\x00" + k + "=" + e.Metadata[k])
	}
	return Fingerprint(b.String()), false
}

// observe records that the object of e recorded e, before e is matched
// against rules: a recovery resets the object's entries.
func (d *dedup) observe(e *Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := objectKey(e)
	o := d.objects[key]
	if o == nil {
		o = &dedupObject{sent: map[string]*dedupEntry{}}
		d.objects[key] = o
	}
	o.seenAt = d.now()
	if _, drift := eventFingerprint(e); e.Severity == SeverityInfo && !drift {
		clear(o.sent)
	}
}

// shouldSend reports whether e, matched by rule, is sent, and records it
// as sent if so.
func (d *dedup) shouldSend(rule *v1alpha1.AlertRule, e *Event) bool {
	fp, drift := eventFingerprint(e)
	d.mu.Lock()
	defer d.mu.Unlock()
	key := objectKey(e)
	o := d.objects[key]
	if o == nil {
		o = &dedupObject{sent: map[string]*dedupEntry{}}
		d.objects[key] = o
	}
	now := d.now()
	o.seenAt = now
	rk := ruleKey(rule, e)
	if en, ok := o.sent[rk]; ok && en.fp == fp && (en.drift || now.Sub(en.sentAt) < d.window) {
		return false
	}
	o.sent[rk] = &dedupEntry{fp: fp, drift: drift, sentAt: now}
	return true
}

// forget removes what shouldSend recorded for e and rule, when it still
// holds e's fingerprint, so that the next identical event is tried again
// after a delivery failed or was dropped.
func (d *dedup) forget(objKey, rk, fp string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if o := d.objects[objKey]; o != nil {
		if en, ok := o.sent[rk]; ok && en.fp == fp {
			delete(o.sent, rk)
		}
	}
}

// prune removes the objects that recorded no event for dedupForgetAfter.
func (d *dedup) prune() {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	for k, o := range d.objects {
		if now.Sub(o.seenAt) > dedupForgetAfter {
			delete(d.objects, k)
		}
	}
}

// pruneLoop prunes every hour until ctx is done.
func (d *dedup) pruneLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			d.prune()
		}
	}
}
