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
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// event returns an event of Database ns/name.
func event(ns, name, reason, severity, message string, metadata map[string]string) *Event {
	return &Event{
		InvolvedObject: corev1.ObjectReference{Kind: v1alpha1.DatabaseKind, APIVersion: "schemactl.dev/v1alpha1", Namespace: ns, Name: name},
		Severity:       severity,
		Timestamp:      time.Now(),
		Reason:         reason,
		Message:        message,
		Metadata:       metadata,
	}
}

// drift returns a DriftDetected event of Database ns/orders with a drift
// report whose fingerprint is that of report.
func drift(ns, message, report string) *Event {
	return event(ns, "orders", v1alpha1.DriftDetectedReason, SeverityError, message, map[string]string{
		MetaDriftReportKey: report, MetaDriftFingerprintKey: Fingerprint(report), MetaRevisionKey: "main@sha1:1a2b",
	})
}

// sent is what a generic receiver got, in short.
type sent struct {
	Object, Reason, Message, Fingerprint string
}

// sentEvents parses the generic requests of rc.
func sentEvents(rc *receiver) []sent {
	var out []sent
	for _, r := range rc.requests() {
		var e struct {
			InvolvedObject struct{ Name string } `json:"involvedObject"`
			Reason         string                `json:"reason"`
			Message        string                `json:"message"`
			Metadata       map[string]string     `json:"metadata"`
		}
		if err := json.Unmarshal(r.body, &e); err != nil {
			out = append(out, sent{Message: "unparsable: " + err.Error()})
			continue
		}
		out = append(out, sent{e.InvolvedObject.Name, e.Reason, e.Message, e.Metadata[MetaDriftFingerprintKey]})
	}
	return out
}

// TestDispatcher_dedup_driftSentOncePerFingerprint records the same drift
// at several intervals, then a changed drift, a correction, the drift again
// and a repeated failure, and checks what reaches the receiver.
func TestDispatcher_dedup_driftSentOncePerFingerprint(t *testing.T) {
	g := NewWithT(t)
	rc := newReceiver(t, nil)
	f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, nil)
	f.addRule(t, "all", nil)
	d, _ := startDispatcher(t, fastOptions())

	reportA := "index public.a: exists in the database, not in Git"
	reportB := reportA + "\ncolumn public.orders.note: type text in the database, integer in Git"
	for i := range 3 {
		d.Enqueue(drift(f.ns, fmt.Sprintf("drift detected at interval %d", i), reportA))
	}
	d.Enqueue(drift(f.ns, "drift changed", reportB))
	d.Enqueue(drift(f.ns, "drift changed, next interval", reportB))
	d.Enqueue(event(f.ns, "orders", v1alpha1.DriftCorrectedReason, SeverityInfo, "drift corrected", nil))
	d.Enqueue(drift(f.ns, "drift is back", reportB))
	d.Enqueue(event(f.ns, "orders", v1alpha1.ApplyFailedReason, SeverityError, "apply failed: lock timeout", nil))
	d.Enqueue(event(f.ns, "orders", v1alpha1.ApplyFailedReason, SeverityError, "apply failed: lock timeout", nil))
	// Another object with the same drift is another alert.
	d.Enqueue(event(f.ns, "billing", v1alpha1.DriftDetectedReason, SeverityError, "billing drift",
		map[string]string{MetaDriftFingerprintKey: Fingerprint(reportA)}))

	want := []sent{
		{"orders", "DriftDetected", "drift detected at interval 0", Fingerprint(reportA)},
		{"orders", "DriftDetected", "drift changed", Fingerprint(reportB)},
		{"orders", "DriftCorrected", "drift corrected", ""},
		{"orders", "DriftDetected", "drift is back", Fingerprint(reportB)},
		{"orders", "ApplyFailed", "apply failed: lock timeout", ""},
		{"billing", "DriftDetected", "billing drift", Fingerprint(reportA)},
	}
	g.Eventually(func() []sent { return sentEvents(rc) }, testTimeout, testInterval).Should(HaveLen(len(want)))
	g.Consistently(func() []sent { return sentEvents(rc) }, 300*time.Millisecond, testInterval).Should(Equal(want))
	g.Expect(f.deliveryCount(t, ResultSuccess)).To(Equal(float64(len(want))))
}

// TestDispatcher_retry_500Then200 has the receiver answer 500 twice, then
// 200: the message arrives on the third attempt, after growing delays.
func TestDispatcher_retry_500Then200(t *testing.T) {
	g := NewWithT(t)
	rc := newReceiver(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, nil)
	f.addRule(t, "all", nil)
	opts := fastOptions()
	opts.RetryMinDelay, opts.RetryMaxDelay = 100*time.Millisecond, time.Second
	d, logs := startDispatcher(t, opts)
	d.Enqueue(drift(f.ns, "drift", "table public.t: exists in the database, not in Git"))

	g.Eventually(func() float64 { return f.deliveryCount(t, ResultSuccess) }, testTimeout, testInterval).Should(Equal(1.0), func() string { return logs.String() })
	reqs := rc.requests()
	g.Expect(reqs).To(HaveLen(3))
	g.Expect(reqs[0].body).To(Equal(reqs[2].body), "a retry sends the same body")
	g.Expect(reqs[1].at.Sub(reqs[0].at)).To(BeNumerically(">=", 100*time.Millisecond))
	g.Expect(reqs[2].at.Sub(reqs[1].at)).To(BeNumerically(">=", 200*time.Millisecond), "the delay doubles")
	g.Expect(f.deliveryCount(t, ResultFailure)).To(BeZero())
	g.Expect(counterValue(t, deliveryAttempts.WithLabelValues(f.ns, f.provider.Name, f.provider.Spec.Type))).To(Equal(3.0))
}

// TestDispatcher_retry_bounded has the receiver always fail: a 5xx is
// retried Retries times and then given up, a 4xx is not retried, and the
// message is tried again at the next identical event. Neither the address
// nor the token reaches the logs.
func TestDispatcher_retry_bounded(t *testing.T) {
	g := NewWithT(t)
	status := http.StatusServiceUnavailable
	var mu sync.Mutex
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.WriteHeader(status)
	})
	f := newFixture(t, v1alpha1.GenericHMACProvider, map[string]string{AddressKey: rc.URL + "/hook-T0K3N-path", TokenKey: testHMACKey}, nil)
	f.addRule(t, "all", nil)
	opts := fastOptions()
	opts.Retries = 2
	d, logs := startDispatcher(t, opts)

	ev := drift(f.ns, "drift", "table public.t: exists in the database, not in Git")
	d.Enqueue(ev)
	g.Eventually(func() float64 { return f.deliveryCount(t, ResultFailure) }, testTimeout, testInterval).Should(Equal(1.0))
	g.Expect(rc.requests()).To(HaveLen(3), "one attempt and two retries")

	// A failed delivery is not remembered: the same drift is tried again.
	mu.Lock()
	status = http.StatusBadRequest
	mu.Unlock()
	d.Enqueue(ev.DeepCopy())
	g.Eventually(func() float64 { return f.deliveryCount(t, ResultFailure) }, testTimeout, testInterval).Should(Equal(2.0))
	g.Consistently(rc.requests, 200*time.Millisecond, testInterval).Should(HaveLen(4), "a 4xx answer is not retried")

	g.Expect(logs.String()).To(ContainSubstring("alert not delivered"))
	g.Expect(logs.String()).To(ContainSubstring("503 Service Unavailable"))
	g.Expect(logs.String()).NotTo(ContainSubstring("T0K3N"))
	g.Expect(logs.String()).NotTo(ContainSubstring(testHMACKey))
}

// TestDispatcher_networkError_addressNotLogged posts to a closed port: the
// error is retried and logged without the address, whose path holds a
// token.
func TestDispatcher_networkError_addressNotLogged(t *testing.T) {
	g := NewWithT(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	addr := closed.URL + "/services/T0K3N"
	closed.Close()
	f := newFixture(t, v1alpha1.SlackProvider, map[string]string{AddressKey: addr}, nil)
	f.addRule(t, "all", nil)
	opts := fastOptions()
	opts.Retries = 1
	d, logs := startDispatcher(t, opts)
	d.Enqueue(drift(f.ns, "drift", "table public.t: exists in the database, not in Git"))
	g.Eventually(func() float64 { return f.deliveryCount(t, ResultFailure) }, testTimeout, testInterval).Should(Equal(1.0))
	g.Expect(logs.String()).To(ContainSubstring("connection refused"))
	g.Expect(logs.String()).NotTo(ContainSubstring("T0K3N"))
}

// TestRecorder_hangingReceiver_neverBlocks sends to a receiver that never
// answers: each recording returns at once, the attempt times out after the
// provider's timeout, and what does not fit in the provider's queue is
// dropped and counted.
func TestRecorder_hangingReceiver_neverBlocks(t *testing.T) {
	g := NewWithT(t)
	release := make(chan struct{})
	rc := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before the receiver closes
	f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, func(p *v1alpha1.AlertProvider) {
		p.Spec.Timeout = &metav1.Duration{Duration: 300 * time.Millisecond}
	})
	f.addRule(t, "all", nil)
	opts := fastOptions()
	opts.Retries = 1
	opts.ProviderQueueSize = 5
	d, _ := startDispatcher(t, opts)
	rec := NewRecorder(nil, d, "prod-eu")

	const n = 500
	var slowest, total time.Duration
	for i := range n {
		start := time.Now()
		rec.Eventf(database(f.ns, "orders", nil), nil, corev1.EventTypeWarning, v1alpha1.ApplyFailedReason, "Reconcile", "apply failed, attempt %d", i)
		el := time.Since(start)
		total += el
		slowest = max(slowest, el)
	}
	t.Logf("%d recordings against a hanging receiver: %s in all, slowest %s", n, total, slowest)
	// Had a recording waited for the receiver, the 500 would take at least
	// 500 × 300 ms (the provider timeout): a generous bound stays far below that
	// and holds on a busy machine.
	g.Expect(total).To(BeNumerically("<", 15*time.Second))

	// Nearly all are dropped: the queue holds 5 and the worker, stuck on the
	// receiver, takes a few more while the 500 are recorded (more on a busy machine).
	g.Eventually(func() float64 { return f.deliveryCount(t, ResultDropped) }, testTimeout, testInterval).Should(BeNumerically(">=", n-25))
	g.Eventually(func() float64 { return f.deliveryCount(t, ResultFailure) }, testTimeout, testInterval).Should(BeNumerically(">=", 1))
	first := rc.requests()
	g.Expect(len(first)).To(BeNumerically(">=", 2))
	g.Expect(first[1].at.Sub(first[0].at)).To(BeNumerically(">=", 300*time.Millisecond), "the first attempt timed out")
}

// TestDispatcher_Enqueue_fullQueueDrops fills the queue of a dispatcher
// that is not running: Enqueue returns false at once and counts the drop.
func TestDispatcher_Enqueue_fullQueueDrops(t *testing.T) {
	g := NewWithT(t)
	d := NewDispatcher(testEnv.Client, testEnv.Scheme, Options{QueueSize: 3, Logger: &discardLogger})
	before := counterValue(t, eventsDropped)
	for i := range 5 {
		ok := d.Enqueue(event("ns", "orders", v1alpha1.AppliedReason, SeverityInfo, fmt.Sprint(i), nil))
		g.Expect(ok).To(Equal(i < 3))
	}
	g.Expect(counterValue(t, eventsDropped) - before).To(Equal(2.0))
}

// TestDispatcher_rateLimit_perProvider sends four messages to a provider
// limited to four per second with a burst of one: they arrive a quarter of
// a second apart.
func TestDispatcher_rateLimit_perProvider(t *testing.T) {
	g := NewWithT(t)
	rc := newReceiver(t, nil)
	f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, nil)
	f.addRule(t, "all", nil)
	opts := fastOptions()
	opts.RateLimit, opts.RateBurst = 4, 1
	d, _ := startDispatcher(t, opts)
	for i := range 4 {
		d.Enqueue(event(f.ns, "orders", v1alpha1.AppliedReason, SeverityInfo, fmt.Sprintf("applied %d", i), nil))
	}
	g.Eventually(rc.requests, testTimeout, testInterval).Should(HaveLen(4))
	reqs := rc.requests()
	for i := 1; i < len(reqs); i++ {
		g.Expect(reqs[i].at.Sub(reqs[i-1].at)).To(BeNumerically(">=", 200*time.Millisecond), "gap %d", i)
	}
}

// TestDispatcher_matching_rules checks which events each kind of rule
// selects. Every case ends with an event of Database "marker", selected by
// a rule of its own: messages to one provider arrive in order, so once the
// marker is there, everything selected before it is too.
func TestDispatcher_matching_rules(t *testing.T) {
	d, _ := startDispatcher(t, fastOptions())
	type ev struct {
		ns     string // "" for the fixture's namespace
		kind   string // "" for Database
		name   string
		labels map[string]string
		warn   bool
		msg    string
	}
	cases := []struct {
		name   string
		rule   func(ns string, r *v1alpha1.AlertRule)
		events []ev
		want   []string
	}{
		{
			name:   "severity info selects everything",
			rule:   func(string, *v1alpha1.AlertRule) {},
			events: []ev{{name: "orders", msg: "applied"}, {name: "orders", warn: true, msg: "apply failed"}},
			want:   []string{"applied", "apply failed"},
		},
		{
			name:   "severity error selects warnings",
			rule:   func(_ string, r *v1alpha1.AlertRule) { r.Spec.EventSeverity = v1alpha1.EventSeverityError },
			events: []ev{{name: "orders", msg: "applied"}, {name: "orders", warn: true, msg: "apply failed"}},
			want:   []string{"apply failed"},
		},
		{
			name: "exclusion expressions drop matching messages",
			rule: func(_ string, r *v1alpha1.AlertRule) {
				r.Spec.ExclusionList = []string{`^revision .* applied`, `lock timeout$`}
			},
			events: []ev{
				{name: "orders", msg: "revision main@sha1:1a2b applied: 3 statement(s)"},
				{name: "orders", warn: true, msg: "apply failed: lock timeout"},
				{name: "orders", msg: "drift corrected: 1 statement(s) applied"},
			},
			want: []string{"drift corrected: 1 statement(s) applied"},
		},
		{
			name: "matchLabels selects by the object's labels",
			rule: func(_ string, r *v1alpha1.AlertRule) {
				r.Spec.EventSources[0].MatchLabels = map[string]string{"team": "orders"}
			},
			events: []ev{
				{name: "a", labels: map[string]string{"team": "orders", "tier": "db"}, msg: "a"},
				{name: "b", labels: map[string]string{"team": "billing"}, msg: "b"},
				{name: "c", msg: "c"},
			},
			want: []string{"a"},
		},
		{
			name:   "a name selects one object",
			rule:   func(_ string, r *v1alpha1.AlertRule) { r.Spec.EventSources[0].Name = "orders" },
			events: []ev{{name: "orders", msg: "orders"}, {name: "billing", msg: "billing"}},
			want:   []string{"orders"},
		},
		{
			name: "kind selects",
			rule: func(_ string, r *v1alpha1.AlertRule) {
				r.Spec.EventSources[0].Kind = v1alpha1.SchemaRepositoryKind
			},
			events: []ev{{name: "orders", msg: "database"}, {kind: v1alpha1.SchemaRepositoryKind, name: "shop", msg: "source"}},
			want:   []string{"source"},
		},
		{
			name: "another namespace, when named",
			rule: func(ns string, r *v1alpha1.AlertRule) { r.Spec.EventSources[0].Namespace = ns + "-other" },
			events: []ev{
				{name: "orders", msg: "own namespace"},
				{ns: "-other", name: "orders", msg: "other namespace"},
			},
			want: []string{"other namespace"},
		},
		{
			name:   "a suspended rule selects nothing",
			rule:   func(_ string, r *v1alpha1.AlertRule) { r.Spec.Suspend = true },
			events: []ev{{name: "orders", warn: true, msg: "apply failed"}},
			want:   nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			rc := newReceiver(t, nil)
			f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, nil)
			f.addRule(t, "case", func(r *v1alpha1.AlertRule) { tc.rule(f.ns, r) })
			f.addRule(t, "marker", func(r *v1alpha1.AlertRule) { r.Spec.EventSources[0].Name = "marker" })
			for _, e := range tc.events {
				ns := f.ns
				if e.ns != "" {
					ns = f.ns + e.ns
				}
				obj := database(ns, e.name, e.labels)
				x := event(ns, e.name, "Test", SeverityInfo, e.msg, nil)
				x.Labels = obj.Labels
				if e.kind != "" {
					x.InvolvedObject.Kind = e.kind
				}
				if e.warn {
					x.Severity = SeverityError
				}
				d.Enqueue(x)
			}
			d.Enqueue(event(f.ns, "marker", "Marker", SeverityInfo, "marker", nil))
			g.Eventually(func() []sent { return sentEvents(rc) }, testTimeout, testInterval).Should(ContainElement(HaveField("Object", "marker")))
			var got []string
			for _, s := range sentEvents(rc) {
				if s.Object != "marker" {
					got = append(got, s.Message)
				}
			}
			g.Expect(got).To(Equal(tc.want))
		})
	}
}

// TestDispatcher_noCrossNamespaceRefs ignores event sources in another
// namespace when cross-namespace references are refused.
func TestDispatcher_noCrossNamespaceRefs(t *testing.T) {
	g := NewWithT(t)
	opts := fastOptions()
	opts.NoCrossNamespaceRefs = true
	d, _ := startDispatcher(t, opts)
	rc := newReceiver(t, nil)
	f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, nil)
	f.addRule(t, "other", func(r *v1alpha1.AlertRule) { r.Spec.EventSources[0].Namespace = f.ns + "-other" })
	f.addRule(t, "marker", func(r *v1alpha1.AlertRule) { r.Spec.EventSources[0].Name = "marker" })
	d.Enqueue(event(f.ns+"-other", "orders", "Test", SeverityInfo, "other namespace", nil))
	d.Enqueue(event(f.ns, "marker", "Marker", SeverityInfo, "marker", nil))
	g.Eventually(func() []sent { return sentEvents(rc) }, testTimeout, testInterval).Should(HaveLen(1))
	g.Expect(sentEvents(rc)[0].Object).To(Equal("marker"))
}

// TestDispatcher_suspendedProvider_sendsNothing suspends the provider: no
// message goes out until it is resumed.
func TestDispatcher_suspendedProvider_sendsNothing(t *testing.T) {
	g := NewWithT(t)
	rc := newReceiver(t, nil)
	f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, func(p *v1alpha1.AlertProvider) { p.Spec.Suspend = true })
	f.addRule(t, "all", nil)
	d, _ := startDispatcher(t, fastOptions())
	d.Enqueue(event(f.ns, "orders", v1alpha1.ApplyFailedReason, SeverityError, "while suspended", nil))
	g.Consistently(rc.requests, 500*time.Millisecond, testInterval).Should(BeEmpty())

	update(t, f.provider, func(p *v1alpha1.AlertProvider) { p.Spec.Suspend = false })
	d.Enqueue(event(f.ns, "orders", v1alpha1.ApplyFailedReason, SeverityError, "after resume", nil))
	g.Eventually(func() []sent { return sentEvents(rc) }, testTimeout, testInterval).Should(HaveLen(1))
	g.Expect(sentEvents(rc)[0].Message).To(Equal("after resume"))
}

// TestRecorder_AnnotatedEventf_toGenericPayload records through the
// Recorder, as a reconciler does, and checks what the receiver gets: the
// object's kind, the severity, the schemactl.dev annotations as metadata
// without their prefix (others dropped), and the cluster name.
func TestRecorder_AnnotatedEventf_toGenericPayload(t *testing.T) {
	g := NewWithT(t)
	rc := newReceiver(t, nil)
	f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: rc.URL}, nil)
	f.addRule(t, "labelled", func(r *v1alpha1.AlertRule) {
		r.Spec.EventSources[0].MatchLabels = map[string]string{"team": "orders"}
	})
	d, _ := startDispatcher(t, fastOptions())
	rec := NewRecorder(nil, d, "prod-eu")

	obj := database(f.ns, "orders", map[string]string{"team": "orders"})
	ann := map[string]string{
		v1alpha1.RevisionAnnotation:       "main@sha1:1a2b",
		v1alpha1.PlanIDAnnotation:         "sha256:77ab",
		v1alpha1.StatementsAnnotation:     "5",
		v1alpha1.ApproveCommandAnnotation: "schemactl approve database orders -n " + f.ns + " --plan sha256:77ab",
		"example.com/other":               "dropped",
	}
	rec.AnnotatedEventf(obj, nil, ann, corev1.EventTypeWarning, v1alpha1.DestructiveBlockedReason, "Reconcile", "plan %s drops %d column(s)", "sha256:77ab", 1)
	rec.Legacy().Eventf(obj, corev1.EventTypeNormal, v1alpha1.AppliedReason, "revision %s applied", "main@sha1:1a2b")

	g.Eventually(rc.requests, testTimeout, testInterval).Should(HaveLen(2))
	var got struct {
		InvolvedObject      corev1.ObjectReference `json:"involvedObject"`
		Severity            string                 `json:"severity"`
		Reason              string                 `json:"reason"`
		Message             string                 `json:"message"`
		Action              string                 `json:"action"`
		Metadata            map[string]string      `json:"metadata"`
		ReportingController string                 `json:"reportingController"`
		Timestamp           metav1.Time            `json:"timestamp"`
	}
	g.Expect(json.Unmarshal(rc.requests()[0].body, &got)).To(Succeed())
	g.Expect(got.InvolvedObject).To(Equal(corev1.ObjectReference{
		Kind: "Database", APIVersion: "schemactl.dev/v1alpha1", Namespace: f.ns, Name: "orders", UID: obj.UID,
	}))
	g.Expect(got.Severity).To(Equal("error"))
	g.Expect(got.Reason).To(Equal("DestructiveBlocked"))
	g.Expect(got.Message).To(Equal("plan sha256:77ab drops 1 column(s)"))
	g.Expect(got.Action).To(Equal("Reconcile"))
	g.Expect(got.ReportingController).To(Equal("schema-controller"))
	g.Expect(time.Since(got.Timestamp.Time)).To(BeNumerically("<", time.Minute))
	g.Expect(got.Metadata).To(Equal(map[string]string{
		"revision":        "main@sha1:1a2b",
		"plan-id":         "sha256:77ab",
		"statements":      "5",
		"approve-command": "schemactl approve database orders -n " + f.ns + " --plan sha256:77ab",
		"cluster":         "prod-eu",
	}))
	g.Expect(json.Unmarshal(rc.requests()[1].body, &got)).To(Succeed())
	g.Expect(got.Severity).To(Equal("info"))
	g.Expect(got.Message).To(Equal("revision main@sha1:1a2b applied"))
}

// TestDispatcher_tlsAndProxy delivers over TLS with the CA certificate of
// the provider's certSecretRef, and through the proxy of its
// proxySecretRef with its credentials.
func TestDispatcher_tlsAndProxy(t *testing.T) {
	d, _ := startDispatcher(t, fastOptions())

	t.Run("CA certificate", func(t *testing.T) {
		g := NewWithT(t)
		var got sync.WaitGroup
		got.Add(1)
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { got.Done() }))
		t.Cleanup(srv.Close)
		f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: srv.URL}, func(p *v1alpha1.AlertProvider) {
			p.Spec.CertSecretRef = &meta.LocalObjectReference{Name: "ca"}
		})
		ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		g.Expect(testEnv.Client.Create(context.Background(), &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: "ca", Namespace: f.ns}, Data: map[string][]byte{CACertKey: ca},
		})).To(Succeed())
		f.addRule(t, "all", nil)
		d.Enqueue(event(f.ns, "orders", v1alpha1.AppliedReason, SeverityInfo, "applied", nil))
		g.Eventually(func() float64 { return f.deliveryCount(t, ResultSuccess) }, testTimeout, testInterval).Should(Equal(1.0))
		got.Wait()
	})

	t.Run("proxy", func(t *testing.T) {
		g := NewWithT(t)
		var mu sync.Mutex
		var target, auth string
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			target, auth = r.URL.String(), r.Header.Get("Proxy-Authorization")
			mu.Unlock()
		}))
		t.Cleanup(proxy.Close)
		f := newFixture(t, v1alpha1.GenericProvider, map[string]string{AddressKey: "http://receiver.invalid/hook"}, func(p *v1alpha1.AlertProvider) {
			p.Spec.ProxySecretRef = &meta.LocalObjectReference{Name: "proxy"}
		})
		g.Expect(testEnv.Client.Create(context.Background(), &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: "proxy", Namespace: f.ns},
			StringData: map[string]string{AddressKey: proxy.URL, UsernameKey: "alice", PasswordKey: "pw"},
		})).To(Succeed())
		f.addRule(t, "all", nil)
		d.Enqueue(event(f.ns, "orders", v1alpha1.AppliedReason, SeverityInfo, "applied", nil))
		g.Eventually(func() float64 { return f.deliveryCount(t, ResultSuccess) }, testTimeout, testInterval).Should(Equal(1.0))
		mu.Lock()
		defer mu.Unlock()
		g.Expect(target).To(Equal("http://receiver.invalid/hook"))
		g.Expect(auth).To(Equal("Basic " + base64.StdEncoding.EncodeToString([]byte("alice:pw"))))
	})
}
