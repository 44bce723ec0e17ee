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
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/go-git/go-billy/v5/memfs"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/source"
)

// testSourceSizeLimit is the artifact size limit of the store under test,
// low so that exceeding it is cheap.
const testSourceSizeLimit = 4 << 20

var (
	// testSourceStore is the store of the SchemaRepository reconciler under
	// test.
	testSourceStore *source.Store
	// testArtifacts is the consumer API on it.
	testArtifacts *SchemaRepositoryArtifacts
)

func init() {
	testSetups = append(testSetups, func(ctx context.Context, mgr ctrl.Manager, deps testDependencies) error {
		store, err := source.NewStore(filepath.Join(deps.StoragePath, "schemarepositories"), source.WithSizeLimit(testSourceSizeLimit))
		if err != nil {
			return err
		}
		testSourceStore = store
		testArtifacts = &SchemaRepositoryArtifacts{Reader: testClient, Storage: store, NoCrossNamespaceRefs: true}
		return (&SchemaRepositoryReconciler{
			Client:         mgr.GetClient(),
			Recorder:       deps.EventRecorder,
			Metrics:        deps.Metrics,
			Storage:        store,
			ControllerName: testFieldOwner,
		}).SetupWithManager(ctx, mgr, SchemaRepositoryReconcilerOptions{
			RateLimiter: helper.GetRateLimiter(helper.RateLimiterOptions{MinRetryDelay: 100 * time.Millisecond, MaxRetryDelay: time.Second}),
		})
	})
}

var sqlFiles = map[string]string{
	"db/orders/001_tables.sql": "create table orders (id bigint primary key);\n",
	"db/orders/002_index.sql":  "create index on orders (id);\n",
}

// newSchemaRepository returns a SchemaRepository following branch main of
// url with a long interval: the tests trigger reconciles with requestedAt.
func newSchemaRepository(ns, name, url, secret string) *v1alpha1.SchemaRepository {
	obj := &v1alpha1.SchemaRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.SchemaRepositorySpec{
			URL:       url,
			Interval:  metav1.Duration{Duration: 10 * time.Minute},
			Timeout:   &metav1.Duration{Duration: 20 * time.Second},
			Reference: &v1alpha1.GitRepositoryRef{Branch: "main"},
		},
	}
	if secret != "" {
		obj.Spec.SecretRef = &meta.LocalObjectReference{Name: secret}
	}
	return obj
}

func createSecret(t *testing.T, ns, name string, data map[string][]byte) *corev1.Secret {
	t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Data: data}
	if err := testClient.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func basicAuthSecret(srv *gittest.Server) map[string][]byte {
	user, pass := srv.BasicAuth()
	return map[string][]byte{"username": []byte(user), "password": []byte(pass)}
}

// getRepo reads obj's current state from the API server.
func getRepo(g Gomega, obj *v1alpha1.SchemaRepository) *v1alpha1.SchemaRepository {
	out := &v1alpha1.SchemaRepository{}
	g.Expect(testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), out)).To(Succeed())
	return out
}

// eventuallyReady waits until obj is Ready for its generation at revision,
// and returns it.
func eventuallyReady(t *testing.T, obj *v1alpha1.SchemaRepository, revision string) *v1alpha1.SchemaRepository {
	t.Helper()
	var got *v1alpha1.SchemaRepository
	NewWithT(t).Eventually(func(g Gomega) {
		got = getRepo(g, obj)
		g.Expect(conditions.IsReady(got)).To(BeTrue(), "conditions: %v", got.Status.Conditions)
		g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation))
		g.Expect(got.Status.Artifact).NotTo(BeNil())
		g.Expect(got.Status.Artifact.Revision).To(Equal(revision))
	}, testTimeout, testInterval).Should(Succeed())
	return got
}

// requestReconcile sets the requestedAt annotation and returns its value.
func requestReconcile(t *testing.T, obj *v1alpha1.SchemaRepository) string {
	t.Helper()
	token := time.Now().Format(time.RFC3339Nano)
	NewWithT(t).Eventually(func() error {
		cur := &v1alpha1.SchemaRepository{}
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), cur); err != nil {
			return err
		}
		patch := client.MergeFrom(cur.DeepCopy())
		if cur.Annotations == nil {
			cur.Annotations = map[string]string{}
		}
		cur.Annotations[meta.ReconcileRequestAnnotation] = token
		return testClient.Patch(context.Background(), cur, patch)
	}, testTimeout, testInterval).Should(Succeed())
	return token
}

// eventuallyHandled waits until the reconcile request token is echoed.
func eventuallyHandled(t *testing.T, obj *v1alpha1.SchemaRepository, token string) *v1alpha1.SchemaRepository {
	t.Helper()
	var got *v1alpha1.SchemaRepository
	NewWithT(t).Eventually(func(g Gomega) {
		got = getRepo(g, obj)
		g.Expect(got.Status.LastHandledReconcileAt).To(Equal(token))
	}, testTimeout, testInterval).Should(Succeed())
	return got
}

// updateSpec applies mutate to obj's spec on the API server.
func updateSpec(t *testing.T, obj *v1alpha1.SchemaRepository, mutate func(*v1alpha1.SchemaRepository)) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		cur := &v1alpha1.SchemaRepository{}
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), cur); err != nil {
			return err
		}
		mutate(cur)
		return testClient.Update(context.Background(), cur)
	}, testTimeout, testInterval).Should(Succeed())
}

// repoEvents returns the events of obj with reason.
func repoEvents(g Gomega, obj client.Object, reason string) []corev1.Event {
	var list corev1.EventList
	g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.GetNamespace()))).To(Succeed())
	var out []corev1.Event
	for _, e := range list.Items {
		if e.InvolvedObject.Name == obj.GetName() && e.InvolvedObject.Kind == v1alpha1.SchemaRepositoryKind && e.Reason == reason {
			out = append(out, e)
		}
	}
	return out
}

// eventuallyEvent waits for an event of obj with reason and the revision
// annotation, and returns it.
func eventuallyEvent(t *testing.T, obj client.Object, eventType, reason, revision string) corev1.Event {
	t.Helper()
	var found corev1.Event
	NewWithT(t).Eventually(func(g Gomega) {
		for _, e := range repoEvents(g, obj, reason) {
			if e.Type == eventType && e.Annotations[RevisionAnnotation] == revision {
				found = e
				return
			}
		}
		g.Expect(false).To(BeTrue(), "no %s event %s with revision %q", eventType, reason, revision)
	}, testTimeout, testInterval).Should(Succeed())
	return found
}

func TestSchemaRepositoryReconciler_lifecycle(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := testEnv.CreateNamespace(t, "srepo")
	srv := gittest.NewServer(t, gittest.Options{})
	first := srv.CreateRepo(t, "schemas.git", sqlFiles, "main")
	createSecret(t, ns, "git", basicAuthSecret(srv))

	obj := newSchemaRepository(ns, "shop", srv.HTTPURL("schemas.git"), "git")
	g.Expect(testClient.Create(ctx, obj)).To(Succeed())

	// Create → Ready with an artifact and a Normal event.
	got := eventuallyReady(t, obj, "main@sha1:"+first)
	g.Expect(got.Finalizers).To(ContainElement(v1alpha1.Finalizer))
	g.Expect(conditions.IsTrue(got, v1alpha1.ArtifactInStorageCondition)).To(BeTrue())
	g.Expect(conditions.Has(got, v1alpha1.FetchFailedCondition)).To(BeFalse())
	g.Expect(conditions.Has(got, meta.ReconcilingCondition)).To(BeFalse())
	g.Expect(conditions.GetMessage(got, meta.ReadyCondition)).To(Equal("stored artifact for revision 'main@sha1:" + first + "'"))
	g.Expect(got.Status.Artifact.Digest).To(MatchRegexp(`^sha256:[0-9a-f]{64}$`))
	g.Expect(*got.Status.Artifact.Size).To(Equal(int64(len(sqlFiles["db/orders/001_tables.sql"]) + len(sqlFiles["db/orders/002_index.sql"]))))
	eventuallyEvent(t, obj, corev1.EventTypeNormal, v1alpha1.NewArtifactReason, "main@sha1:"+first)
	// Flux's readiness metric is recorded like every other kind's.
	g.Eventually(func(g Gomega) {
		labels := map[string]string{"kind": "SchemaRepository", "name": "shop", "namespace": ns, "type": "Ready"}
		g.Expect(gaugeValue(g, "gotk_reconcile_condition", mergeLabels(labels, "status", "True"))).To(Equal(1.0))
		g.Expect(gaugeValue(g, "gotk_reconcile_condition", mergeLabels(labels, "status", "False"))).To(Equal(0.0))
	}, testTimeout, testInterval).Should(Succeed())

	art, err := testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Name: "shop"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(art.Revision).To(Equal("main@sha1:" + first))
	content, err := os.ReadFile(filepath.Join(art.Path, "db/orders/001_tables.sql"))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(content)).To(Equal(sqlFiles["db/orders/001_tables.sql"]))

	// requestedAt with an unchanged remote: echoed, and nothing cloned.
	srv.ResetCounts()
	token := requestReconcile(t, obj)
	got = eventuallyHandled(t, obj, token)
	g.Expect(got.Status.Artifact.Revision).To(Equal("main@sha1:" + first))
	g.Expect(conditions.IsReady(got)).To(BeTrue())
	g.Expect(srv.Counts().UploadPacks).To(BeZero(), "no clone when the remote did not move")
	g.Expect(srv.Counts().RefAdvertisements).To(BeNumerically(">=", 1))

	// New commit → new artifact and event.
	second := srv.Push(t, "schemas.git", "main", map[string]string{"db/orders/003_more.sql": "select 1;\n"}, "more")
	requestReconcile(t, obj)
	eventuallyReady(t, obj, "main@sha1:"+second)
	eventuallyEvent(t, obj, corev1.EventTypeNormal, v1alpha1.NewArtifactReason, "main@sha1:"+second)
	art, err = testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Name: "shop"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(filepath.Join(art.Path, "db/orders/003_more.sql")).To(BeARegularFile())

	// Suspend: requests are echoed, the remote is not asked.
	updateSpec(t, obj, func(o *v1alpha1.SchemaRepository) { o.Spec.Suspend = true })
	third := srv.Push(t, "schemas.git", "main", map[string]string{"db/orders/004.sql": "select 4;\n"}, "four")
	g.Eventually(func(g Gomega) {
		got := getRepo(g, obj)
		g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation), "the suspension is handled")
	}, testTimeout, testInterval).Should(Succeed())
	srv.ResetCounts()
	token = requestReconcile(t, obj)
	got = eventuallyHandled(t, obj, token)
	g.Expect(got.Status.Artifact.Revision).To(Equal("main@sha1:" + second))
	g.Expect(srv.Counts()).To(Equal(gittest.Counts{}), "a suspended source does not poll")

	// Resume: the new commit comes in.
	updateSpec(t, obj, func(o *v1alpha1.SchemaRepository) { o.Spec.Suspend = false })
	eventuallyReady(t, obj, "main@sha1:"+third)

	// Delete: the artifacts go, then the finalizer.
	ownerDir := filepath.Join(testSourceStore.Root(), ns, "shop")
	g.Expect(ownerDir).To(BeADirectory())
	g.Expect(testClient.Delete(ctx, obj)).To(Succeed())
	g.Eventually(func() bool {
		return apierrors.IsNotFound(testClient.Get(ctx, client.ObjectKeyFromObject(obj), &v1alpha1.SchemaRepository{}))
	}, testTimeout, testInterval).Should(BeTrue())
	g.Expect(ownerDir).NotTo(BeAnExistingFile())
	_, err = testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Name: "shop"})
	g.Expect(err).To(MatchError(ErrSourceNotReady))
}

func TestSchemaRepositoryReconciler_refsOverSSH(t *testing.T) {
	ns := testEnv.CreateNamespace(t, "srepo")
	srv := gittest.NewServer(t, gittest.Options{})
	c1 := srv.CreateRepo(t, "org/schemas.git", map[string]string{"v.sql": "1"}, "main")
	srv.AnnotatedTag(t, "org/schemas.git", "v1.0.0", c1, "one")
	c2 := srv.Push(t, "org/schemas.git", "main", map[string]string{"v.sql": "2"}, "two")
	srv.Tag(t, "org/schemas.git", "v1.1.0", c2)
	c3 := srv.Push(t, "org/schemas.git", "main", map[string]string{"v.sql": "3"}, "three")
	createSecret(t, ns, "ssh", map[string][]byte{"identity": srv.SSHIdentity(), "known_hosts": srv.KnownHosts()})

	tests := []struct {
		name     string
		ref      *v1alpha1.GitRepositoryRef
		revision string
	}{
		{"default branch", nil, "main@sha1:" + c3},
		{"tag", &v1alpha1.GitRepositoryRef{Tag: "v1.0.0"}, "v1.0.0@sha1:" + c1},
		{"semver", &v1alpha1.GitRepositoryRef{SemVer: "~1"}, "v1.1.0@sha1:" + c2},
		{"commit", &v1alpha1.GitRepositoryRef{Commit: c2}, "sha1:" + c2},
		{"name", &v1alpha1.GitRepositoryRef{Name: "refs/heads/main"}, "refs/heads/main@sha1:" + c3},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			obj := newSchemaRepository(ns, fmt.Sprintf("ref-%d", i), srv.SSHURL("org/schemas.git"), "ssh")
			obj.Spec.Reference = tt.ref
			g.Expect(testClient.Create(context.Background(), obj)).To(Succeed())
			eventuallyReady(t, obj, tt.revision)
		})
	}
}

func TestSchemaRepositoryReconciler_wrongPassword(t *testing.T) {
	g := NewWithT(t)
	ns := testEnv.CreateNamespace(t, "srepo")
	srv := gittest.NewServer(t, gittest.Options{})
	head := srv.CreateRepo(t, "schemas.git", sqlFiles, "main")
	user, pass := srv.BasicAuth()
	const wrong = "wrong-password-3b9d1e"
	secret := createSecret(t, ns, "git", map[string][]byte{"username": []byte(user), "password": []byte(wrong)})

	obj := newSchemaRepository(ns, "shop", srv.HTTPURL("schemas.git"), "git")
	g.Expect(testClient.Create(context.Background(), obj)).To(Succeed())

	g.Eventually(func(g Gomega) {
		got := getRepo(g, obj)
		g.Expect(conditions.IsTrue(got, v1alpha1.FetchFailedCondition)).To(BeTrue())
		g.Expect(conditions.GetReason(got, v1alpha1.FetchFailedCondition)).To(Equal(v1alpha1.AuthenticationFailedReason))
		g.Expect(conditions.IsFalse(got, meta.ReadyCondition)).To(BeTrue())
		g.Expect(conditions.GetReason(got, meta.ReadyCondition)).To(Equal(v1alpha1.AuthenticationFailedReason))
		g.Expect(conditions.IsStalled(got)).To(BeFalse())
		for _, c := range got.Status.Conditions {
			g.Expect(c.Message).NotTo(ContainSubstring(wrong))
		}
	}, testTimeout, testInterval).Should(Succeed())
	g.Eventually(func(g Gomega) {
		evs := repoEvents(g, obj, v1alpha1.AuthenticationFailedReason)
		g.Expect(evs).NotTo(BeEmpty())
		for _, e := range evs {
			g.Expect(e.Type).To(Equal(corev1.EventTypeWarning))
			g.Expect(e.Message).To(ContainSubstring("authentication"))
			g.Expect(e.Message).NotTo(ContainSubstring(wrong))
		}
	}, testTimeout, testInterval).Should(Succeed())

	// Fixing the Secret is enough: its watch reconciles the source.
	secret.Data["password"] = []byte(pass)
	g.Expect(testClient.Update(context.Background(), secret)).To(Succeed())
	got := eventuallyReady(t, obj, "main@sha1:"+head)
	g.Expect(conditions.Has(got, v1alpha1.FetchFailedCondition)).To(BeFalse())
}

func TestSchemaRepositoryReconciler_stalled(t *testing.T) {
	ns := testEnv.CreateNamespace(t, "srepo")
	srv := gittest.NewServer(t, gittest.Options{})
	head := srv.CreateRepo(t, "schemas.git", sqlFiles, "main")
	createSecret(t, ns, "ssh-no-known-hosts", map[string][]byte{"identity": srv.SSHIdentity()})

	tests := []struct {
		name, url, secret, reason, message string
	}{
		{"missing secret", srv.HTTPURL("schemas.git"), "absent", v1alpha1.AuthenticationFailedReason, "secret '" + ns + "/absent' not found"},
		{"secret without known_hosts", srv.SSHURL("schemas.git"), "ssh-no-known-hosts", v1alpha1.AuthenticationFailedReason, "known_hosts is missing"},
		{"password in the url", "https://user:hunter2secret@example.com/schemas.git", "", v1alpha1.InvalidURLReason, "contains a password"},
		// The repository exists: only the agent's missing --allow-file-urls refuses it.
		{"file url", "file://" + filepath.ToSlash(filepath.Join(srv.Root(), "schemas.git")), "", v1alpha1.FileURLNotAllowedReason, "run the agent with --allow-file-urls"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			obj := newSchemaRepository(ns, fmt.Sprintf("stalled-%d", i), tt.url, tt.secret)
			g.Expect(testClient.Create(context.Background(), obj)).To(Succeed())
			g.Eventually(func(g Gomega) {
				got := getRepo(g, obj)
				g.Expect(conditions.IsStalled(got)).To(BeTrue(), "conditions: %v", got.Status.Conditions)
				g.Expect(conditions.GetReason(got, meta.StalledCondition)).To(Equal(tt.reason))
				g.Expect(conditions.GetMessage(got, meta.StalledCondition)).To(ContainSubstring(tt.message))
				g.Expect(conditions.IsFalse(got, meta.ReadyCondition)).To(BeTrue())
				g.Expect(conditions.Has(got, meta.ReconcilingCondition)).To(BeFalse())
				g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation))
				for _, c := range got.Status.Conditions {
					g.Expect(c.Message).NotTo(ContainSubstring("hunter2secret"))
				}
				g.Expect(got.Status.Artifact).To(BeNil())
				g.Expect(repoEvents(g, obj, tt.reason)).NotTo(BeEmpty())
			}, testTimeout, testInterval).Should(Succeed())
		})
	}

	t.Run("the missing secret appears", func(t *testing.T) {
		obj := newSchemaRepository(ns, "stalled-0", "", "")
		createSecret(t, ns, "absent", basicAuthSecret(srv))
		got := eventuallyReady(t, obj, "main@sha1:"+head)
		NewWithT(t).Expect(conditions.Has(got, meta.StalledCondition)).To(BeFalse())
	})
}

// pushSymlink pushes a commit adding a symlink to branch main of the bare
// repository dir.
func pushSymlink(t *testing.T, dir, link, target string) string {
	t.Helper()
	r, err := gogit.Clone(memory.NewStorage(), memfs.New(), &gogit.CloneOptions{
		URL: dir, ReferenceName: plumbing.NewBranchReferenceName("main"), SingleBranch: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Filesystem.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Add(link); err != nil {
		t.Fatal(err)
	}
	h, err := w.Commit("symlink", &gogit.CommitOptions{Author: gittest.Signature()})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Push(&gogit.PushOptions{RefSpecs: []config.RefSpec{"refs/heads/main:refs/heads/main"}}); err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func TestSchemaRepositoryReconciler_symlinkSizeLimitAndIgnore(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := testEnv.CreateNamespace(t, "srepo")
	srv := gittest.NewServer(t, gittest.Options{})
	srv.CreateRepo(t, "schemas.git", sqlFiles, "main")
	withLink := pushSymlink(t, filepath.Join(srv.Root(), "schemas.git"), "db/orders/passwd.sql", "/etc/passwd")
	createSecret(t, ns, "git", basicAuthSecret(srv))

	obj := newSchemaRepository(ns, "shop", srv.HTTPURL("schemas.git"), "git")
	g.Expect(testClient.Create(ctx, obj)).To(Succeed())
	eventuallyReady(t, obj, "main@sha1:"+withLink)
	ev := eventuallyEvent(t, obj, corev1.EventTypeNormal, v1alpha1.NewArtifactReason, "main@sha1:"+withLink)
	g.Expect(ev.Message).To(ContainSubstring("left out: symlink db/orders/passwd.sql -> /etc/passwd left out: it points outside the repository"))
	art, err := testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Name: "shop"})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = os.Lstat(filepath.Join(art.Path, "db/orders/passwd.sql"))
	g.Expect(os.IsNotExist(err)).To(BeTrue())

	// Over the size limit: FetchFailed, the previous artifact stays.
	big := srv.Push(t, "schemas.git", "main", map[string]string{"dump/big.bin": strings.Repeat("x", testSourceSizeLimit+1)}, "big")
	requestReconcile(t, obj)
	g.Eventually(func(g Gomega) {
		got := getRepo(g, obj)
		g.Expect(conditions.IsTrue(got, v1alpha1.FetchFailedCondition)).To(BeTrue())
		g.Expect(conditions.GetReason(got, v1alpha1.FetchFailedCondition)).To(Equal(v1alpha1.SizeLimitExceededReason))
		g.Expect(conditions.GetMessage(got, v1alpha1.FetchFailedCondition)).To(ContainSubstring("exceed 4 MiB"))
		g.Expect(conditions.IsFalse(got, meta.ReadyCondition)).To(BeTrue())
		g.Expect(got.Status.Artifact.Revision).To(Equal("main@sha1:" + withLink))
	}, testTimeout, testInterval).Should(Succeed())
	eventuallyEvent(t, obj, corev1.EventTypeWarning, v1alpha1.SizeLimitExceededReason, "main@sha1:"+big)

	// Ignoring the big folder fixes it; observedIgnore follows.
	updateSpec(t, obj, func(o *v1alpha1.SchemaRepository) { o.Spec.Ignore = new("/dump/\n") })
	got := eventuallyReady(t, obj, "main@sha1:"+big)
	g.Expect(got.Status.ObservedIgnore).To(HaveValue(Equal("/dump/\n")))
	g.Expect(conditions.Has(got, v1alpha1.FetchFailedCondition)).To(BeFalse())
	digest := got.Status.Artifact.Digest

	// Same commit, other ignore patterns: new content, same revision.
	updateSpec(t, obj, func(o *v1alpha1.SchemaRepository) { o.Spec.Ignore = new("/dump/\n*_index.sql\n") })
	g.Eventually(func(g Gomega) {
		got := getRepo(g, obj)
		g.Expect(got.Status.ObservedGeneration).To(Equal(got.Generation))
		g.Expect(got.Status.Artifact.Digest).NotTo(Equal(digest))
	}, testTimeout, testInterval).Should(Succeed())
	art, err = testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Name: "shop"})
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(filepath.Join(art.Path, "db/orders/002_index.sql")).NotTo(BeAnExistingFile())
}

func TestSchemaRepositoryArtifacts_GetArtifact(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := testEnv.CreateNamespace(t, "srepo")

	_, err := testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Name: "absent"})
	g.Expect(err).To(MatchError(ErrSourceNotReady))

	_, err = testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Namespace: "other", Name: "shop"})
	g.Expect(err).To(HaveOccurred())
	g.Expect(err.Error()).To(ContainSubstring("cross-namespace references have been blocked"))

	obj := newSchemaRepository(ns, "no-artifact", "https://user:pw-in-url@example.com/x.git", "")
	g.Expect(testClient.Create(ctx, obj)).To(Succeed())
	_, err = testArtifacts.GetArtifact(ctx, ns, types.NamespacedName{Name: "no-artifact"})
	g.Expect(err).To(MatchError(ErrSourceNotReady))
}

func TestSchemaRepositoryRevisionChangePredicate(t *testing.T) {
	withArtifact := func(rev, digest string) *v1alpha1.SchemaRepository {
		obj := &v1alpha1.SchemaRepository{}
		if rev != "" {
			obj.Status.Artifact = &v1alpha1.Artifact{Revision: rev, Digest: digest}
		}
		return obj
	}
	tests := []struct {
		name     string
		old, new *v1alpha1.SchemaRepository
		want     bool
	}{
		{"first artifact", withArtifact("", ""), withArtifact("main@sha1:a", "sha256:1"), true},
		{"new revision", withArtifact("main@sha1:a", "sha256:1"), withArtifact("main@sha1:b", "sha256:2"), true},
		{"new content, same revision", withArtifact("main@sha1:a", "sha256:1"), withArtifact("main@sha1:a", "sha256:2"), true},
		{"status churn", withArtifact("main@sha1:a", "sha256:1"), withArtifact("main@sha1:a", "sha256:1"), false},
		{"artifact dropped", withArtifact("main@sha1:a", "sha256:1"), withArtifact("", ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SchemaRepositoryRevisionChangePredicate{}.Update(event.UpdateEvent{ObjectOld: tt.old, ObjectNew: tt.new})
			NewWithT(t).Expect(got).To(Equal(tt.want))
		})
	}
	g := NewWithT(t)
	g.Expect(SchemaRepositoryRevisionChangePredicate{}.Create(event.CreateEvent{Object: withArtifact("", "")})).To(BeFalse())
	g.Expect(SchemaRepositoryRevisionChangePredicate{}.Delete(event.DeleteEvent{Object: withArtifact("", "")})).To(BeTrue())
}

// mergeLabels returns labels with one more label.
func mergeLabels(labels map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for lk, lv := range labels {
		out[lk] = lv
	}
	return out
}
