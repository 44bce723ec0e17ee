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

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1"
	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/logger"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/fluxtest"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// eventReceiver is an HTTP server that decodes what it is posted as Flux's
// event/v1 Event, as notification-controller's event endpoint does.
type eventReceiver struct {
	*httptest.Server
	mu     sync.Mutex
	events []eventv1.Event
	bad    []string
}

func newEventReceiver(t *testing.T) *eventReceiver {
	r := &eventReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var e eventv1.Event
		dec := json.NewDecoder(req.Body)
		dec.DisallowUnknownFields()
		err := dec.Decode(&e)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil || req.Method != http.MethodPost || req.Header.Get("Content-Type") != "application/json" {
			r.bad = append(r.bad, fmt.Sprintf("%s %s: %v", req.Method, req.Header.Get("Content-Type"), err))
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.events = append(r.events, e)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *eventReceiver) find(kind, name, reason string) (eventv1.Event, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e.InvolvedObject.Kind == kind && e.InvolvedObject.Name == name && e.Reason == reason {
			return e, true
		}
	}
	return eventv1.Event{}, false
}

// TestRun_eventsAddr: the agent run with --events-addr posts its events to a
// notification-controller in Flux's event format: a Database applying a Flux
// GitRepository's artifact sends Applied (severity info, the revision in the
// metadata under our group's prefix, which notification-controller strips), and
// a Database without its Secret sends InvalidSecret (severity error).
func TestRun_eventsAddr(t *testing.T) {
	defer pgtest.UseShared()()
	ctrl.SetLogger(logger.NewLogger(logger.Options{LogEncoding: "console", LogLevel: "error"}))
	env := kubetest.Start(t, kubetest.WithFluxSourceCRDs())
	ns := env.CreateNamespace(t, "events")
	ctx := context.Background()
	receiver := newEventReceiver(t)

	srv := fluxtest.NewArtifactServer(t)
	data := fluxtest.Tarball(t, map[string]string{"db/001_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n"})
	repo := &sourcev1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "schemas"},
		Spec:       sourcev1.GitRepositorySpec{URL: "https://git.example.com/acme/schemas", Interval: metav1.Duration{Duration: time.Minute}},
	}
	if err := env.Client.Create(ctx, repo); err != nil {
		t.Fatal(err)
	}
	revision := "main@sha1:" + strings.Repeat("cd", 20)
	repo.Status.Artifact = &meta.Artifact{Path: "a.tar.gz", URL: srv.Put("/a.tar.gz", data), Revision: revision,
		Digest: fluxtest.Digest(data), LastUpdateTime: metav1.Now()}
	if err := env.Client.Status().Update(ctx, repo); err != nil {
		t.Fatal(err)
	}
	url := pgtest.Shared(t).NewDatabase(t)
	if err := env.Client.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "db"},
		Data: map[string][]byte{"url": []byte(url)}}); err != nil {
		t.Fatal(err)
	}
	for name, secret := range map[string]string{"orders": "db", "broken": "missing"} {
		if err := env.Client.Create(ctx, &v1alpha1.Database{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.DatabaseSpec{
				SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.GitRepositoryKind, Name: "schemas"},
				Path:      "db",
				SecretRef: meta.LocalObjectReference{Name: secret},
				Interval:  metav1.Duration{Duration: time.Hour},
				Timeout:   &metav1.Duration{Duration: 30 * time.Second},
			},
		}); err != nil {
			t.Fatal(err)
		}
	}

	// A SchemaRepository with a push webhook, served by --receiver-addr.
	if err := env.Client.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "hook"},
		Data: map[string][]byte{"token": []byte("t0ken")}}); err != nil {
		t.Fatal(err)
	}
	if err := env.Client.Create(ctx, &v1alpha1.SchemaRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "hooked"},
		Spec: v1alpha1.SchemaRepositorySpec{URL: "https://git.example.invalid/acme/shop.git", Interval: metav1.Duration{Duration: time.Hour},
			Webhook: &v1alpha1.WebhookSpec{SecretRef: meta.LocalObjectReference{Name: "hook"}}},
	}); err != nil {
		t.Fatal(err)
	}
	receiverAddr := freeAddr(t)

	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{"--health-addr=" + freeAddr(t), "--metrics-addr=0", "--storage-addr=" + freeAddr(t), "--storage-path=" + t.TempDir(),
		"--events-addr=" + receiver.URL + "/", "--receiver-addr=" + receiverAddr}); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- run(runCtx, env.Config, opts) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent: %v", err)
		}
	}()

	host, _ := os.Hostname()
	var applied, invalid eventv1.Event
	eventually(t, 60*time.Second, func() error {
		var ok1, ok2 bool
		applied, ok1 = receiver.find(v1alpha1.DatabaseKind, "orders", v1alpha1.AppliedReason)
		invalid, ok2 = receiver.find(v1alpha1.DatabaseKind, "broken", v1alpha1.InvalidSecretReason)
		if !ok1 || !ok2 {
			receiver.mu.Lock()
			defer receiver.mu.Unlock()
			return fmt.Errorf("events so far: %+v", receiver.events)
		}
		return nil
	})
	receiver.mu.Lock()
	bad := receiver.bad
	receiver.mu.Unlock()
	if len(bad) > 0 {
		t.Fatalf("requests that are not Flux events: %v", bad)
	}
	for _, c := range []struct{ got, want string }{
		{applied.InvolvedObject.APIVersion, v1alpha1.GroupVersion.String()},
		{applied.InvolvedObject.Namespace, ns},
		{applied.Severity, eventv1.EventSeverityInfo},
		{applied.ReportingController, controllerName},
		{applied.ReportingInstance, host},
		{applied.Action, "Reconcile"},
		{applied.Metadata[v1alpha1.RevisionAnnotation], revision},
		{invalid.Severity, eventv1.EventSeverityError},
		{invalid.Message, "secret " + ns + "/missing not found"},
		{invalid.InvolvedObject.Namespace, ns},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if !strings.Contains(applied.Message, "revision "+revision+" applied") {
		t.Errorf("message %q", applied.Message)
	}
	if applied.Metadata[v1alpha1.PlanIDAnnotation] == "" {
		t.Errorf("no plan id in the metadata: %v", applied.Metadata)
	}

	// The agent serves the push webhook on --receiver-addr.
	hookURL := "http://" + receiverAddr + "/hook/" + ns + "/hooked"
	post := func(token string) int {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hookURL, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("X-Gitlab-Token", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	for token, want := range map[string]int{"": http.StatusUnauthorized, "wrong": http.StatusForbidden, "t0ken": http.StatusOK} {
		if got := post(token); got != want {
			t.Errorf("webhook with token %q: %d, want %d", token, got, want)
		}
	}
	hooked := &v1alpha1.SchemaRepository{}
	if err := env.Client.Get(ctx, client.ObjectKey{Namespace: ns, Name: "hooked"}, hooked); err != nil {
		t.Fatal(err)
	}
	if hooked.Annotations[meta.ReconcileRequestAnnotation] == "" {
		t.Errorf("the accepted webhook requested no reconcile: %v", hooked.Annotations)
	}
}
