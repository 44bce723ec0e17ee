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
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/go-logr/logr"
	"github.com/go-logr/logr/funcr"
	. "github.com/onsi/gomega"
	dto "github.com/prometheus/client_model/go"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

// Timeouts shared by the Eventually assertions of the tests.
const (
	testTimeout  = 20 * time.Second
	testInterval = 20 * time.Millisecond
)

// testEnv is the API server shared by the tests of the package; its client
// has no cache, so the dispatchers under test read what the tests wrote.
var testEnv *kubetest.Environment

func TestMain(m *testing.M) {
	os.Exit(runTestMain(m))
}

func runTestMain(m *testing.M) int {
	env, err := kubetest.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping envtest:", err)
		}
	}()
	testEnv = env
	return m.Run()
}

// request is one request a receiver got.
type request struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver is a real HTTP server that records the requests it gets and
// answers them with respond (200 when nil).
type receiver struct {
	*httptest.Server
	respond func(n int, w http.ResponseWriter, r *http.Request)

	mu   sync.Mutex
	reqs []request
}

// newReceiver starts a receiver, closed when the test ends.
func newReceiver(t *testing.T, respond func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	rc := &receiver{respond: respond}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, request{header: r.Header.Clone(), body: body, at: time.Now()})
	n := len(rc.reqs)
	rc.mu.Unlock()
	if rc.respond != nil {
		rc.respond(n, w, r)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// requests returns a copy of the requests so far.
func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.reqs...)
}

// fixture is a namespace with an AlertProvider and its Secret.
type fixture struct {
	ns       string
	provider *v1alpha1.AlertProvider
	secret   *corev1.Secret
}

// newFixture creates a namespace, a Secret with data and an AlertProvider
// of type ptype using it, changed by mutate when not nil.
func newFixture(t *testing.T, ptype string, data map[string]string, mutate func(*v1alpha1.AlertProvider)) *fixture {
	t.Helper()
	g := NewWithT(t)
	ns := testEnv.CreateNamespace(t, "notify")
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "webhook", Namespace: ns}, StringData: data}
	g.Expect(testEnv.Client.Create(context.Background(), s)).To(Succeed())
	p := &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "receiver", Namespace: ns},
		Spec: v1alpha1.AlertProviderSpec{
			Type:      ptype,
			SecretRef: meta.LocalObjectReference{Name: "webhook"},
			Timeout:   &metav1.Duration{Duration: 2 * time.Second},
		},
	}
	if mutate != nil {
		mutate(p)
	}
	g.Expect(testEnv.Client.Create(context.Background(), p)).To(Succeed())
	return &fixture{ns: ns, provider: p, secret: s}
}

// addRule creates an AlertRule named name sending every Database event of
// the fixture's namespace to its provider, changed by mutate when not nil.
func (f *fixture) addRule(t *testing.T, name string, mutate func(*v1alpha1.AlertRule)) *v1alpha1.AlertRule {
	t.Helper()
	r := &v1alpha1.AlertRule{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: f.ns},
		Spec: v1alpha1.AlertRuleSpec{
			ProviderRef:  meta.LocalObjectReference{Name: f.provider.Name},
			EventSources: []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}},
		},
	}
	if mutate != nil {
		mutate(r)
	}
	NewWithT(t).Expect(testEnv.Client.Create(context.Background(), r)).To(Succeed())
	return r
}

// update changes obj with mutate and writes it.
func update[T client.Object](t *testing.T, obj T, mutate func(T)) {
	t.Helper()
	mutate(obj)
	NewWithT(t).Expect(testEnv.Client.Update(context.Background(), obj)).To(Succeed())
}

// fastOptions are dispatcher options for tests: short retry delays, no
// rate limit to speak of.
func fastOptions() Options {
	return Options{RetryMinDelay: 20 * time.Millisecond, RetryMaxDelay: 100 * time.Millisecond, RateLimit: 1000, RateBurst: 1000}
}

// logLines collects what a dispatcher logs.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// startDispatcher starts a dispatcher reading through the test client with
// opts, stopped when the test ends, and returns it with what it logs.
func startDispatcher(t *testing.T, opts Options) (*Dispatcher, *logLines) {
	t.Helper()
	logs := &logLines{}
	log := funcr.New(func(prefix, args string) {
		logs.mu.Lock()
		logs.lines = append(logs.lines, prefix+" "+args)
		logs.mu.Unlock()
	}, funcr.Options{Verbosity: 1})
	opts.Logger = &log
	d := NewDispatcher(testEnv.Client, testEnv.Scheme, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("dispatcher: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("dispatcher did not stop")
		}
	})
	return d, logs
}

// discardLogger is a logger for dispatchers whose logs do not matter.
var discardLogger = logr.Discard()

// database returns an in-memory Database in ns; events only need its
// metadata.
func database(ns, name string, labels map[string]string) *v1alpha1.Database {
	return &v1alpha1.Database{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels, UID: "6f1c2a9e-0000-4000-8000-000000000001"}}
}

// counter returns the value of a counter of a vector with the given labels.
func counterValue(t *testing.T, c interface {
	Write(*dto.Metric) error
}) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// deliveryCount returns schemactl_alert_deliveries_total for the provider of
// f and result.
func (f *fixture) deliveryCount(t *testing.T, result string) float64 {
	return counterValue(t, deliveries.WithLabelValues(f.ns, f.provider.Name, f.provider.Spec.Type, result))
}
