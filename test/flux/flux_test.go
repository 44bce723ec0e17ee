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

package flux

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1"
	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/go-logr/logr"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	gcrv1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/jackc/pgx/v5"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/fluxtest"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/internal/testsupport/proctest"
)

func TestMain(m *testing.M) {
	// envtest logs through controller-runtime, the git server and the registry
	// through the standard logger; the tests read the processes' own logs.
	ctrllog.SetLogger(logr.Discard())
	log.SetOutput(io.Discard)
	os.Exit(pgtest.Main(m))
}

const (
	// patience bounds each wait for a controller (a busy two-core machine).
	patience = 3 * time.Minute
	// The media types of `flux push artifact` (fluxcd/pkg/oci).
	fluxConfigMediaType  = "application/vnd.cncf.flux.config.v1+json"
	fluxContentMediaType = "application/vnd.cncf.flux.content.v1.tar+gzip"
)

// fluxEnv is an API server with Flux's CRDs and ours, with Flux's
// source-controller and notification-controller and the agent running against
// it, a git server and PostgreSQL.
type fluxEnv struct {
	env          *kubetest.Environment
	git          *gittest.Server
	pg           *pgtest.Server
	storage      string // source-controller's --storage-path
	receiverAddr string // notification-controller's webhook receiver
	source       *proctest.Process
	notification *proctest.Process
	agent        *proctest.Process
}

func startFlux(t *testing.T) *fluxEnv {
	t.Helper()
	root, err := kubetest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	scVersion, ncVersion, err := fluxVersions(root)
	if err != nil {
		t.Fatal(err)
	}
	assets, err := fluxAssets(root, scVersion, ncVersion)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("source-controller %s, notification-controller %s from %s", scVersion, ncVersion, assets)
	scCRDs, err := moduleCRDs(t.Context(), sourceControllerModule, scVersion)
	if err != nil {
		t.Fatal(err)
	}
	ncCRDs, err := moduleCRDs(t.Context(), notificationControllerModule, ncVersion)
	if err != nil {
		t.Fatal(err)
	}
	f := &fluxEnv{
		env:     kubetest.Start(t, kubetest.WithCRDDirectory(scCRDs, patchedNotificationCRDs(t, root, ncCRDs))),
		git:     gittest.NewServer(t, gittest.Options{}),
		pg:      pgtest.Shared(t),
		storage: t.TempDir(),
	}
	kubeconfig := f.env.WriteKubeConfig(t)
	fluxEnvVars := []string{"KUBECONFIG=" + kubeconfig, "RUNTIME_NAMESPACE=flux-system"}
	eventsAddr := freeAddr(t)
	f.receiverAddr = freeAddr(t)

	ncHealth := freeAddr(t)
	f.notification = proctest.Start(t, proctest.Options{Name: "notification-controller", Env: fluxEnvVars, Graceful: true, LogOnFailure: true}, filepath.Join(assets, "notification-controller"),
		"--events-addr="+eventsAddr, "--receiverAddr="+f.receiverAddr, "--health-addr="+ncHealth,
		"--metrics-addr=0", "--log-encoding=json")
	storageAddr, scHealth := freeAddr(t), freeAddr(t)
	f.source = proctest.Start(t, proctest.Options{Name: "source-controller", Env: fluxEnvVars, Graceful: true, LogOnFailure: true}, filepath.Join(assets, "source-controller"),
		"--storage-path="+f.storage, "--storage-addr="+storageAddr, "--storage-adv-addr="+storageAddr,
		"--health-addr="+scHealth, "--metrics-addr=0", "--events-addr=http://"+eventsAddr, "--log-encoding=json")
	agentBin := proctest.Build(t, "cmd/schema-controller")
	agentHealth := freeAddr(t)
	f.agent = proctest.Start(t, proctest.Options{Name: "schema-controller", Env: []string{"RUNTIME_NAMESPACE=schemactl-system"}, Graceful: true, LogOnFailure: true}, agentBin,
		"--kubeconfig="+kubeconfig, "--health-addr="+agentHealth, "--metrics-addr=0",
		"--storage-addr="+freeAddr(t), "--storage-path="+t.TempDir(), "--events-addr=http://"+eventsAddr+"/")
	f.notification.WaitReady(t, ncHealth, patience)
	f.source.WaitReady(t, scHealth, patience)
	f.agent.WaitReady(t, agentHealth, patience)
	return f
}

// alive fails when one of the processes has exited.
func (f *fluxEnv) alive() error {
	for _, p := range []*proctest.Process{f.source, f.notification, f.agent} {
		if err := p.Check(); err != nil {
			return err
		}
	}
	return nil
}

func (f *fluxEnv) create(t *testing.T, objs ...client.Object) {
	t.Helper()
	for _, o := range objs {
		if err := f.env.Client.Create(t.Context(), o); err != nil {
			t.Fatalf("creating %T %s: %v", o, o.GetName(), err)
		}
	}
}

// gitRepository creates a GitRepository of the git server's repo (basic auth
// through Flux's own Secret), polled every hour: only a request makes it fetch.
func (f *fluxEnv) gitRepository(t *testing.T, ns, name, repo string) *sourcev1.GitRepository {
	t.Helper()
	user, pass := f.git.BasicAuth()
	f.create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name + "-git"},
		Data: map[string][]byte{"username": []byte(user), "password": []byte(pass)}})
	obj := &sourcev1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: sourcev1.GitRepositorySpec{
			URL:       f.git.HTTPURL(repo),
			Reference: &sourcev1.GitRepositoryRef{Branch: "main"},
			SecretRef: &meta.LocalObjectReference{Name: name + "-git"},
			Interval:  metav1.Duration{Duration: time.Hour},
			Timeout:   &metav1.Duration{Duration: time.Minute},
		},
	}
	f.create(t, obj)
	return obj
}

// database creates a Database of the source kind/name at path with its own
// PostgreSQL database and an interval of an hour, and returns its URL.
func (f *fluxEnv) database(t *testing.T, ns, name, kind, source, path string) string {
	t.Helper()
	url := f.pg.NewDatabase(t)
	f.create(t,
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name + "-db"}, Data: map[string][]byte{"url": []byte(url)}},
		&v1alpha1.Database{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.DatabaseSpec{
				SourceRef: v1alpha1.CrossNamespaceSourceReference{APIVersion: sourcev1.GroupVersion.String(), Kind: kind, Name: source},
				Path:      path,
				SecretRef: meta.LocalObjectReference{Name: name + "-db"},
				Interval:  metav1.Duration{Duration: time.Hour},
				Timeout:   &metav1.Duration{Duration: time.Minute},
			},
		})
	return url
}

// waitApplied waits until the Database is Ready with revision applied.
func (f *fluxEnv) waitApplied(t *testing.T, ns, name, revision string) time.Duration {
	t.Helper()
	start := time.Now()
	eventually(t, patience, func() error {
		if err := f.alive(); err != nil {
			t.Fatal(err)
		}
		db := &v1alpha1.Database{}
		if err := f.env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: name}, db); err != nil {
			return err
		}
		if !conditions.IsReady(db) || db.Status.LastAppliedRevision != revision {
			return fmt.Errorf("database %s: want %s applied; applied %q, conditions %v", name, revision, db.Status.LastAppliedRevision, db.Status.Conditions)
		}
		return nil
	})
	return time.Since(start)
}

// waitArtifact waits until source-controller has stored an artifact of the
// source with a revision for which want returns true, and returns it.
func (f *fluxEnv) waitArtifact(t *testing.T, obj interface {
	client.Object
	GetArtifact() *meta.Artifact
}, want func(revision string) bool) *meta.Artifact {
	t.Helper()
	var got *meta.Artifact
	eventually(t, patience, func() error {
		if err := f.alive(); err != nil {
			t.Fatal(err)
		}
		if err := f.env.Client.Get(t.Context(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		got = obj.GetArtifact()
		if got == nil || !want(got.Revision) {
			return fmt.Errorf("%s: artifact %v", obj.GetName(), got)
		}
		return nil
	})
	return got
}

// tableExists reports whether the table exists in the database at url.
func tableExists(t *testing.T, url, table string) bool {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	var ok bool
	if err := conn.QueryRow(t.Context(), "SELECT to_regclass($1) IS NOT NULL", "public."+table).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestFlux runs the agent inside a real Flux (see the package's doc). The
// subtests share the controllers and the API server; each works in its own
// namespace.
func TestFlux(t *testing.T) {
	f := startFlux(t)

	t.Run("GitRepository", func(t *testing.T) { testGitRepository(t, f) })
	t.Run("TamperedArtifact", func(t *testing.T) { testTamperedArtifact(t, f) })
	t.Run("OCIRepository", func(t *testing.T) { testOCIRepository(t, f) })
	t.Run("Alert", func(t *testing.T) { testAlert(t, f) })
}

// testGitRepository: a GitRepository of the git server → source-controller
// fetches → the Database applies it to PostgreSQL. A new commit, fetched on
// request (as `flux reconcile source git` asks), applies without waiting for the
// Database's interval of an hour; so does one fetched through Flux's Receiver
// (generic-hmac), which rejects a bad signature first.
func testGitRepository(t *testing.T, f *fluxEnv) {
	ns := f.env.CreateNamespace(t, "flux-git")
	first := f.git.CreateRepo(t, "shop.git", map[string]string{
		"README.md":             "shop\n",
		"db/001_orders.sql":     "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
		"other/001_ignored.sql": "CREATE TABLE ignored (id bigint);\n",
	}, "main")
	f.gitRepository(t, ns, "shop", "shop.git")
	url := f.database(t, ns, "orders", v1alpha1.GitRepositoryKind, "shop", "db")
	took := f.waitApplied(t, ns, "orders", "main@sha1:"+first)
	t.Logf("first commit applied %s after the Database was created", took.Round(time.Millisecond))
	if !tableExists(t, url, "orders") || tableExists(t, url, "ignored") {
		t.Fatal("want table orders (db/) and not ignored (other/)")
	}

	// A new commit, and a request to fetch, as `flux reconcile source git shop`.
	second := f.git.Push(t, "shop.git", "main", map[string]string{
		"db/002_items.sql": "CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders);\n",
	}, "items")
	pushed := time.Now()
	repo := &sourcev1.GitRepository{}
	if err := f.env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "shop"}, repo); err != nil {
		t.Fatal(err)
	}
	patch := client.MergeFrom(repo.DeepCopy())
	if repo.Annotations == nil {
		repo.Annotations = map[string]string{}
	}
	repo.Annotations[meta.ReconcileRequestAnnotation] = time.Now().Format(time.RFC3339Nano)
	if err := f.env.Client.Patch(t.Context(), repo, patch); err != nil {
		t.Fatal(err)
	}
	f.waitApplied(t, ns, "orders", "main@sha1:"+second)
	t.Logf("second commit applied %s after the push (Database interval 1h)", time.Since(pushed).Round(time.Millisecond))
	if !tableExists(t, url, "items") {
		t.Fatal("table items missing")
	}

	// Flux's Receiver makes source-controller fetch.
	token := "webhook-" + strings.Repeat("s3cr3t", 4)
	f.create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "webhook-token"},
		Data: map[string][]byte{"token": []byte(token)}})
	receiver := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "notification.toolkit.fluxcd.io/v1",
		"kind":       "Receiver",
		"metadata":   map[string]any{"namespace": ns, "name": "shop"},
		"spec": map[string]any{
			"type":      "generic-hmac",
			"secretRef": map[string]any{"name": "webhook-token"},
			"resources": []any{map[string]any{"apiVersion": sourcev1.GroupVersion.String(), "kind": sourcev1.GitRepositoryKind, "name": "shop"}},
		},
	}}
	f.create(t, receiver)
	var hookPath string
	eventually(t, patience, func() error {
		if err := f.env.Client.Get(t.Context(), client.ObjectKeyFromObject(receiver), receiver); err != nil {
			return err
		}
		hookPath, _, _ = unstructured.NestedString(receiver.Object, "status", "webhookPath")
		if hookPath == "" {
			return fmt.Errorf("receiver without webhookPath: %v", receiver.Object["status"])
		}
		return nil
	})
	third := f.git.Push(t, "shop.git", "main", map[string]string{
		"db/003_customers.sql": "CREATE TABLE customers (id bigint PRIMARY KEY);\n",
	}, "customers")
	body := []byte(`{"ref":"refs/heads/main","after":"` + third + `"}`)
	post := func(signature string) int {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://"+f.receiverAddr+hookPath, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature", signature)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	mac := func(key string) string {
		h := hmac.New(sha256.New, []byte(key))
		h.Write(body)
		return "sha256=" + hex.EncodeToString(h.Sum(nil))
	}
	if code := post(mac("not-the-token")); code == http.StatusOK {
		t.Fatalf("a bad signature got %d", code)
	}
	// Rejected: nothing fetches the third commit (source-controller polls hourly).
	time.Sleep(3 * time.Second)
	if err := f.env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "shop"}, repo); err != nil {
		t.Fatal(err)
	}
	if a := repo.GetArtifact(); a == nil || a.Revision != "main@sha1:"+second {
		t.Fatalf("after a rejected webhook the artifact is %v, want the second commit", a)
	}
	pushed = time.Now()
	if code := post(mac(token)); code != http.StatusOK {
		t.Fatalf("a good signature got %d", code)
	}
	f.waitApplied(t, ns, "orders", "main@sha1:"+third)
	t.Logf("third commit applied %s after the webhook", time.Since(pushed).Round(time.Millisecond))
	if !tableExists(t, url, "customers") {
		t.Fatal("table customers missing")
	}
}

// testTamperedArtifact: an artifact of source-controller changed in its storage
// after source-controller announced its digest is refused: the Database is not
// Ready (ArtifactDigestMismatch) and nothing of it runs.
func testTamperedArtifact(t *testing.T, f *fluxEnv) {
	ns := f.env.CreateNamespace(t, "flux-tamper")
	head := f.git.CreateRepo(t, "tamper.git", map[string]string{"db/001_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n"}, "main")
	repo := f.gitRepository(t, ns, "tamper", "tamper.git")
	artifact := f.waitArtifact(t, repo, func(r string) bool { return r == "main@sha1:"+head })
	// The artifact's file in source-controller's storage, replaced by another.
	path := filepath.Join(f.storage, filepath.FromSlash(artifact.Path))
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the artifact is not in source-controller's storage: %v", err)
	}
	evil := fluxtest.Tarball(t, map[string]string{"db/001_orders.sql": "CREATE TABLE evil (id bigint);\n"})
	if err := os.WriteFile(path, evil, 0o600); err != nil {
		t.Fatal(err)
	}
	url := f.database(t, ns, "orders", v1alpha1.GitRepositoryKind, "tamper", "db")
	eventually(t, patience, func() error {
		db := &v1alpha1.Database{}
		if err := f.env.Client.Get(t.Context(), client.ObjectKey{Namespace: ns, Name: "orders"}, db); err != nil {
			return err
		}
		if r := conditions.GetReason(db, meta.ReadyCondition); r != v1alpha1.ArtifactDigestMismatchReason {
			return fmt.Errorf("ready reason %q, conditions %v", r, db.Status.Conditions)
		}
		if msg := conditions.GetMessage(db, meta.ReadyCondition); !strings.Contains(msg, artifact.Digest) {
			return fmt.Errorf("message %q does not name the announced digest %s", msg, artifact.Digest)
		}
		return nil
	})
	if tableExists(t, url, "evil") || tableExists(t, url, "orders") {
		t.Fatal("the tampered artifact ran")
	}
}

// testOCIRepository: a schema folder pushed as `flux push artifact` does to an
// OCI registry (go-containerregistry's, on this machine, over plain HTTP) →
// source-controller pulls it (insecure: true) → the Database applies it.
func testOCIRepository(t *testing.T, f *fluxEnv) {
	ns := f.env.CreateNamespace(t, "flux-oci")
	reg := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(reg.Close)
	host := strings.TrimPrefix(reg.URL, "http://")
	ref, err := name.ParseReference(host+"/acme/shop-schemas:v1", name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	content := fluxtest.Tarball(t, map[string]string{
		"orders/001_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n",
		"orders/002_lines.sql":  "CREATE TABLE order_lines (order_id bigint REFERENCES orders, n int);\n",
	})
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, fluxConfigMediaType)
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Created = gcrv1.Time{Time: time.Now().UTC().Truncate(time.Second)}
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		t.Fatal(err)
	}
	img, _ = mutate.Annotations(img, map[string]string{
		"org.opencontainers.image.created":  cfg.Created.Format(time.RFC3339),
		"org.opencontainers.image.source":   "https://git.example.com/acme/shop",
		"org.opencontainers.image.revision": "main@sha1:" + strings.Repeat("ab", 20),
	}).(gcrv1.Image)
	if img, err = mutate.Append(img, mutate.Addendum{Layer: static.NewLayer(content, fluxContentMediaType)}); err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img, remote.WithContext(t.Context())); err != nil {
		t.Fatal(err)
	}
	digest, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	f.create(t, &sourcev1.OCIRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "shop"},
		Spec: sourcev1.OCIRepositorySpec{
			URL:       "oci://" + host + "/acme/shop-schemas",
			Reference: &sourcev1.OCIRepositoryRef{Tag: "v1"},
			Insecure:  true,
			Interval:  metav1.Duration{Duration: time.Hour},
			Timeout:   &metav1.Duration{Duration: time.Minute},
		},
	})
	url := f.database(t, ns, "orders", v1alpha1.OCIRepositoryKind, "shop", "orders")
	took := f.waitApplied(t, ns, "orders", "v1@"+digest.String())
	t.Logf("OCI artifact applied %s after the Database was created", took.Round(time.Millisecond))
	if !tableExists(t, url, "order_lines") {
		t.Fatal("table order_lines missing")
	}
}

// webhook is an HTTP server that records the Flux events notification-controller
// forwards to a Provider of type generic.
type webhook struct {
	*httptest.Server
	mu     sync.Mutex
	events []eventv1.Event
}

func newWebhook(t *testing.T) *webhook {
	w := &webhook{}
	w.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var e eventv1.Event
		if err := json.NewDecoder(r.Body).Decode(&e); err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		w.mu.Lock()
		w.events = append(w.events, e)
		w.mu.Unlock()
	}))
	t.Cleanup(w.Close)
	return w
}

func (w *webhook) find(kind, name, reason string) (eventv1.Event, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.events {
		if e.InvolvedObject.Kind == kind && e.InvolvedObject.Name == name && e.Reason == reason {
			return e, true
		}
	}
	return eventv1.Event{}, false
}

// testAlert: the agent's events reach notification-controller (--events-addr),
// which dispatches those of a Database to the Provider of an Alert naming our
// kind (allowed by docs/flux.md's CRD patch): the Provider's HTTP endpoint
// receives the Applied event with Flux's revision, and notification-controller
// logs the dispatch.
func testAlert(t *testing.T, f *fluxEnv) {
	ns := f.env.CreateNamespace(t, "flux-alert")
	hook := newWebhook(t)
	provider := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "notification.toolkit.fluxcd.io/v1beta3",
		"kind":       "Provider",
		"metadata":   map[string]any{"namespace": ns, "name": "hook"},
		"spec":       map[string]any{"type": "generic", "address": hook.URL},
	}}
	alert := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "notification.toolkit.fluxcd.io/v1beta3",
		"kind":       "Alert",
		"metadata":   map[string]any{"namespace": ns, "name": "databases"},
		"spec": map[string]any{
			"providerRef":   map[string]any{"name": "hook"},
			"eventSeverity": "info",
			"eventSources":  []any{map[string]any{"kind": v1alpha1.DatabaseKind, "name": "*"}},
		},
	}}
	f.create(t, provider, alert)

	head := f.git.CreateRepo(t, "alert.git", map[string]string{"db/001_orders.sql": "CREATE TABLE orders (id bigint PRIMARY KEY);\n"}, "main")
	f.gitRepository(t, ns, "shop", "alert.git")
	f.database(t, ns, "orders", v1alpha1.GitRepositoryKind, "shop", "db")
	revision := "main@sha1:" + head
	f.waitApplied(t, ns, "orders", revision)
	var got eventv1.Event
	eventually(t, patience, func() error {
		var ok bool
		if got, ok = hook.find(v1alpha1.DatabaseKind, "orders", "Applied"); !ok {
			return fmt.Errorf("no Applied event of the Database at the provider's endpoint; log of notification-controller:\n%s", proctest.Tail(f.notification.Out.String(), 20))
		}
		return nil
	})
	if got.InvolvedObject.Namespace != ns || got.InvolvedObject.APIVersion != v1alpha1.GroupVersion.String() {
		t.Errorf("involvedObject %+v", got.InvolvedObject)
	}
	if got.Severity != eventv1.EventSeverityInfo || got.ReportingController != "schema-controller" {
		t.Errorf("severity %q, reportingController %q", got.Severity, got.ReportingController)
	}
	// notification-controller strips our group's prefix from the metadata.
	if got.Metadata["revision"] != revision {
		t.Errorf("metadata %v: want revision %s", got.Metadata, revision)
	}
	if got.Message == "" {
		t.Error("an empty message")
	}
	logs := f.notification.Out.String()
	if !strings.Contains(logs, `"dispatching event"`) || !strings.Contains(logs, `"kind":"Database"`) {
		t.Errorf("notification-controller did not log the dispatch of the Database's event:\n%s", proctest.Tail(logs, 40))
	}
}
