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
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// testMgrClient is the manager's client: cached, with the controllers' indexes,
// as the agent hands it to the Receiver.
var testMgrClient client.Client

func init() {
	testSetups = append(testSetups, func(_ context.Context, mgr ctrl.Manager, _ testDependencies) error {
		testMgrClient = mgr.GetClient()
		return nil
	})
}

const webhookToken = "s3cr3t-webhook-token"

// hookFixture is a SchemaRepository and a Database that poll every 10 minutes, a
// push webhook in front of them, a real git server and a real database.
type hookFixture struct {
	ns   string
	git  *gittest.Server
	hook *httptest.Server
	db   *v1alpha1.Database
	url  string
}

func newHookFixture(t testing.TB) *hookFixture {
	t.Helper()
	ctx := context.Background()
	f := &hookFixture{ns: testEnv.CreateNamespace(t, "hook"), git: gittest.NewServer(t, gittest.Options{})}
	f.git.CreateRepo(t, "schemas", map[string]string{"db/001_orders.sql": ordersV1}, "main")
	f.hook = httptest.NewServer(&Receiver{Client: testMgrClient})
	t.Cleanup(f.hook.Close)
	f.url = pgtest.Shared(t).NewDatabase(t)
	user, pass := f.git.BasicAuth()
	for name, data := range map[string]map[string][]byte{
		"git":     {"username": []byte(user), "password": []byte(pass)},
		"webhook": {"token": []byte(webhookToken)},
		"db":      {"url": []byte(f.url)},
	} {
		if err := testClient.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: name}, Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	repo := newSchemaRepository(f.ns, "schemas", f.git.HTTPURL("schemas"), "git")
	repo.Spec.Webhook = &v1alpha1.WebhookSpec{SecretRef: meta.LocalObjectReference{Name: "webhook"}}
	if err := testClient.Create(ctx, repo); err != nil {
		t.Fatal(err)
	}
	f.db = &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "orders"},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db",
			SecretRef: meta.LocalObjectReference{Name: "db"},
			Interval:  metav1.Duration{Duration: 10 * time.Minute},
			Timeout:   &metav1.Duration{Duration: 30 * time.Second},
		},
	}
	if err := testClient.Create(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	f.waitApplied(t, "main@sha1:"+f.git.Head(t, "schemas", "main"), testTimeout)
	return f
}

// waitApplied polls until the Database is Ready at revision.
func (f *hookFixture) waitApplied(t testing.TB, revision string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := &v1alpha1.Database{}
		err := testClient.Get(context.Background(), client.ObjectKeyFromObject(f.db), got)
		if err == nil && conditions.IsReady(got) && got.Status.LastAppliedRevision == revision {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("revision %s not applied after %s: %v %v", revision, timeout, err, got.Status.Conditions)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFetched polls until the SchemaRepository's artifact is at revision.
func (f *hookFixture) waitFetched(t testing.TB, revision string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := &v1alpha1.SchemaRepository{}
		err := testClient.Get(context.Background(), client.ObjectKey{Namespace: f.ns, Name: "schemas"}, got)
		if err == nil && got.Status.Artifact.HasRevision(revision) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("revision %s not fetched after %s: %v", revision, timeout, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func hmacHex(newHash func() hash.Hash, key, body []byte) string {
	m := hmac.New(newHash, key)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// post sends body to the webhook of the fixture's repository (or path) with
// headers and returns the status code.
func (f *hookFixture) post(t testing.TB, path string, body []byte, headers map[string]string) int {
	t.Helper()
	if path == "" {
		path = ReceiverPathPrefix + f.ns + "/schemas"
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, f.hook.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func githubHeaders(body []byte, token string) map[string]string {
	return map[string]string{
		"X-GitHub-Event":      "push",
		"X-Hub-Signature-256": "sha256=" + hmacHex(sha256.New, []byte(token), body),
	}
}

// TestReceiver_pushApplies: the webhook refuses requests without a credential
// (401) or with a wrong one (403), for GitHub, GitLab and generic HMAC, and for
// a repository without a webhook (404); a good one (200) makes the Database
// apply the pushed commit long before the 10 minute interval.
func TestReceiver_pushApplies(t *testing.T) {
	f := newHookFixture(t)
	g := NewWithT(t)
	commit := f.git.Push(t, "schemas", "main", map[string]string{"db/002_customers.sql": "CREATE TABLE customers (id bigint PRIMARY KEY);\n"}, "add customers")
	body := []byte(`{"ref":"refs/heads/main","after":"` + commit + `"}`)

	g.Expect(f.post(t, "", body, nil)).To(Equal(http.StatusUnauthorized))
	g.Expect(f.post(t, "", body, githubHeaders(body, "wrong-token"))).To(Equal(http.StatusForbidden))
	g.Expect(f.post(t, "", body, map[string]string{"X-Hub-Signature-256": "sha256=zz"})).To(Equal(http.StatusForbidden))
	g.Expect(f.post(t, "", body, map[string]string{"X-Hub-Signature-256": "sha1=" + hmacHex(sha256.New, []byte(webhookToken), body)})).To(Equal(http.StatusForbidden))
	g.Expect(f.post(t, "", body, map[string]string{"X-Gitlab-Token": "wrong-token"})).To(Equal(http.StatusForbidden))
	g.Expect(f.post(t, "", body, map[string]string{"X-Signature": "sha256=" + hmacHex(sha256.New, []byte("wrong"), body)})).To(Equal(http.StatusForbidden))
	// A signature of another body.
	g.Expect(f.post(t, "", append(body, ' '), githubHeaders(body, webhookToken))).To(Equal(http.StatusForbidden))
	g.Expect(f.post(t, ReceiverPathPrefix+f.ns+"/unknown", body, githubHeaders(body, webhookToken))).To(Equal(http.StatusNotFound))
	// Nothing was requested by the refused calls.
	repo := &v1alpha1.SchemaRepository{}
	g.Expect(testClient.Get(context.Background(), client.ObjectKey{Namespace: f.ns, Name: "schemas"}, repo)).To(Succeed())
	g.Expect(repo.Annotations).NotTo(HaveKey(meta.ReconcileRequestAnnotation))

	start := time.Now()
	g.Expect(f.post(t, "", body, githubHeaders(body, webhookToken))).To(Equal(http.StatusOK))
	f.waitApplied(t, "main@sha1:"+commit, testTimeout)
	t.Logf("push applied %s after the webhook", time.Since(start).Round(time.Millisecond))
	g.Expect(testClient.Get(context.Background(), client.ObjectKey{Namespace: f.ns, Name: "schemas"}, repo)).To(Succeed())
	g.Expect(repo.Annotations).To(HaveKey(meta.ReconcileRequestAnnotation))

	// GitLab's token and a generic HMAC are accepted too.
	commit = f.git.Push(t, "schemas", "main", map[string]string{"db/003_invoices.sql": "CREATE TABLE invoices (id bigint PRIMARY KEY);\n"}, "add invoices")
	g.Expect(f.post(t, "", body, map[string]string{"X-Gitlab-Token": webhookToken, "X-Gitlab-Event": "Push Hook"})).To(Equal(http.StatusOK))
	f.waitApplied(t, "main@sha1:"+commit, testTimeout)
	commit = f.git.Push(t, "schemas", "main", map[string]string{"db/004_notes.sql": "CREATE TABLE notes (id bigint PRIMARY KEY);\n"}, "add notes")
	g.Expect(f.post(t, "", body, map[string]string{"X-Signature": "sha512=" + hmacHex(sha512.New, []byte(webhookToken), body)})).To(Equal(http.StatusOK))
	f.waitApplied(t, "main@sha1:"+commit, testTimeout)
}

// BenchmarkReceiver_pushToApplied measures a Git push to the Database holding it:
// push, a GitHub-signed webhook, the SchemaRepository fetching the commit, the
// Database loading and applying it. Both poll every 10 minutes, so only the
// webhook can make it this fast. The target is 2 s on the project's machine.
func BenchmarkReceiver_pushToApplied(b *testing.B) {
	f := newHookFixture(b)
	var (
		total, fetched time.Duration
		n              int
	)
	for i := 0; b.Loop(); i++ {
		commit := f.git.Push(b, "schemas", "main", map[string]string{
			fmt.Sprintf("db/1%03d_t.sql", i): fmt.Sprintf("CREATE TABLE bench_%d (id bigint PRIMARY KEY);\n", i),
		}, "bench")
		body := []byte(`{"ref":"refs/heads/main","after":"` + commit + `"}`)
		start := time.Now()
		if code := f.post(b, "", body, githubHeaders(body, webhookToken)); code != http.StatusOK {
			b.Fatalf("webhook: %d", code)
		}
		f.waitFetched(b, "main@sha1:"+commit, testTimeout)
		fetched += time.Since(start)
		f.waitApplied(b, "main@sha1:"+commit, testTimeout)
		total += time.Since(start)
		n++
	}
	b.ReportMetric(float64(fetched.Milliseconds())/float64(n), "ms/fetched")
	b.ReportMetric(float64(total.Milliseconds())/float64(n), "ms/push")
}
