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
	"crypto/sha1" //nolint:gosec // G505: a fake Git commit id, as Flux writes revisions
	"encoding/hex"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/jackc/pgx/v5"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/fluxtest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// fluxFixture is a namespace with a Flux GitRepository whose artifacts the test
// publishes (there is no source-controller in envtest: the test plays its part,
// writing status.artifact and serving the tarball), and a real database.
type fluxFixture struct {
	t    *testing.T
	ns   string
	srv  *fluxtest.ArtifactServer
	repo *sourcev1.GitRepository
	conn *pgx.Conn
}

func newFluxFixture(t *testing.T) *fluxFixture {
	t.Helper()
	ctx := context.Background()
	f := &fluxFixture{t: t, ns: newDBNamespace(t), srv: fluxtest.NewArtifactServer(t)}
	f.repo = &sourcev1.GitRepository{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "schemas"},
		Spec: sourcev1.GitRepositorySpec{
			URL:      "https://git.example.com/acme/schemas",
			Interval: metav1.Duration{Duration: time.Minute},
		},
	}
	if err := testClient.Create(ctx, f.repo); err != nil {
		t.Fatal(err)
	}
	url := pgtest.Shared(t).NewDatabase(t)
	createSecret(t, f.ns, "db", map[string][]byte{"url": []byte(url)})
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	f.conn = conn
	return f
}

// publish serves files as a new artifact of the GitRepository and writes its
// status.artifact, as source-controller does after a fetch; announced, when not
// empty, is served in place of the tarball of files (a tampered artifact). It
// returns the revision.
func (f *fluxFixture) publish(files map[string]string, tampered map[string]string) string {
	f.t.Helper()
	data := fluxtest.Tarball(f.t, files)
	sum := sha1.Sum(data) //nolint:gosec // G401: a fake commit id
	commit := hex.EncodeToString(sum[:])
	served := data
	if tampered != nil {
		served = fluxtest.Tarball(f.t, tampered)
	}
	path := "/gitrepository/" + f.ns + "/schemas/" + commit + ".tar.gz"
	url := f.srv.Put(path, served)
	revision := "main@sha1:" + commit
	size := int64(len(data))
	NewWithT(f.t).Eventually(func() error {
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(f.repo), f.repo); err != nil {
			return err
		}
		f.repo.Status.Artifact = &meta.Artifact{
			Path: path[1:], URL: url, Revision: revision, Digest: fluxtest.Digest(data),
			LastUpdateTime: metav1.Now(), Size: &size,
		}
		conditions.MarkTrue(f.repo, meta.ReadyCondition, "Succeeded", "stored artifact for revision '%s'", revision)
		return testClient.Status().Update(context.Background(), f.repo)
	}, testTimeout, testInterval).Should(Succeed())
	return revision
}

func (f *fluxFixture) database(name string) *v1alpha1.Database {
	f.t.Helper()
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: name},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{APIVersion: "source.toolkit.fluxcd.io/v1", Kind: v1alpha1.GitRepositoryKind, Name: "schemas"},
			Path:      "db",
			SecretRef: meta.LocalObjectReference{Name: "db"},
			// An hour: every reconcile after the first one comes from the watch
			// of the GitRepository (or the retry of a failure).
			Interval: metav1.Duration{Duration: time.Hour},
			Timeout:  &metav1.Duration{Duration: 30 * time.Second},
		},
	}
	if err := testClient.Create(context.Background(), obj); err != nil {
		f.t.Fatal(err)
	}
	return obj
}

func (f *fluxFixture) tableCount(name string) string {
	f.t.Helper()
	var n string
	if err := f.conn.QueryRow(context.Background(), "SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public' AND tablename = $1", name).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// revisionEvent waits for an event of reason on obj that carries revision.
func revisionEvent(t *testing.T, obj client.Object, reason, revision string) {
	t.Helper()
	NewWithT(t).Eventually(func(g Gomega) {
		var list corev1.EventList
		g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.GetNamespace()))).To(Succeed())
		var revs []string
		for _, e := range list.Items {
			if e.InvolvedObject.Name == obj.GetName() && e.Reason == reason {
				revs = append(revs, e.Annotations[v1alpha1.RevisionAnnotation])
			}
		}
		g.Expect(revs).To(ContainElement(revision))
	}, testTimeout, testInterval).Should(Succeed())
}

// TestDatabaseReconciler_fluxGitRepository: a Database whose sourceRef is a Flux
// GitRepository applies its artifact, with Flux's revision in status and events; a
// new artifact applies at once through the watch (the interval is an hour); an
// artifact whose content does not match its digest is refused and nothing of it
// runs; a fixed artifact applies again.
func TestDatabaseReconciler_fluxGitRepository(t *testing.T) {
	f := newFluxFixture(t)
	rev1 := f.publish(map[string]string{"db/001_orders.sql": ordersV1, "README.md": "schemas"}, nil)
	obj := f.database("orders")
	eventuallyDB(t, obj, readyAt(rev1))
	g := NewWithT(t)
	g.Expect(f.tableCount("orders")).To(Equal("1"))
	revisionEvent(t, obj, v1alpha1.AppliedReason, rev1)

	start := time.Now()
	rev2 := f.publish(map[string]string{
		"db/001_orders.sql":    ordersV1,
		"db/002_customers.sql": "CREATE TABLE customers (id bigint PRIMARY KEY, name text);\n",
	}, nil)
	eventuallyDB(t, obj, readyAt(rev2))
	t.Logf("new artifact applied %s after it was published", time.Since(start).Round(time.Millisecond))
	g.Expect(f.tableCount("customers")).To(Equal("1"))
	revisionEvent(t, obj, v1alpha1.AppliedReason, rev2)

	// Tampered: the server holds other content than the digest announces.
	good := map[string]string{
		"db/001_orders.sql":    ordersV1,
		"db/002_customers.sql": "CREATE TABLE customers (id bigint PRIMARY KEY, name text);\n",
		"db/003_invoices.sql":  "CREATE TABLE invoices (id bigint PRIMARY KEY);\n",
	}
	tampered := map[string]string{"db/001_orders.sql": "CREATE TABLE evil (id int);\n"}
	rev3 := f.publish(good, tampered)
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.ArtifactDigestMismatchReason))
		g.Expect(conditions.IsFalse(db, meta.ReadyCondition)).To(BeTrue())
	})
	g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(And(
		ContainSubstring("artifact digest mismatch"),
		ContainSubstring("GitRepository '"+f.ns+"/schemas' at revision '"+rev3+"'"),
	))
	g.Expect(db.Status.LastAppliedRevision).To(Equal(rev2))
	g.Expect(f.tableCount("evil")).To(Equal("0"))
	g.Expect(f.tableCount("invoices")).To(Equal("0"))
	g.Expect(f.tableCount("orders")).To(Equal("1"))

	// source-controller serves the right tarball again: the retry applies it.
	rev3 = f.publish(good, nil)
	eventuallyDB(t, obj, readyAt(rev3))
	g.Expect(f.tableCount("invoices")).To(Equal("1"))
}

// TestDatabaseReconciler_fluxSourceNotReady: a GitRepository without an artifact,
// or missing, is a wait (SourceNotReady), not a failure.
func TestDatabaseReconciler_fluxSourceNotReady(t *testing.T) {
	f := newFluxFixture(t)
	obj := f.database("orders")
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.SourceNotReadyReason))
	})
	g := NewWithT(t)
	g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(ContainSubstring("GitRepository '" + f.ns + "/schemas' has no artifact yet"))
	g.Expect(conditions.Has(db, meta.StalledCondition)).To(BeFalse())

	// The artifact appears: the watch reconciles the Database.
	rev := f.publish(map[string]string{"db/001_orders.sql": ordersV1}, nil)
	eventuallyDB(t, obj, readyAt(rev))
}

// TestDatabase_sourceRefValidation: the API server refuses an apiVersion of
// another group than the kind's.
func TestDatabase_sourceRefValidation(t *testing.T) {
	ns := newDBNamespace(t)
	g := NewWithT(t)
	for _, ref := range []v1alpha1.CrossNamespaceSourceReference{
		{APIVersion: "schemactl.dev/v1alpha1", Kind: v1alpha1.GitRepositoryKind, Name: "x"},
		{APIVersion: "source.toolkit.fluxcd.io/v1", Kind: v1alpha1.SchemaRepositoryKind, Name: "x"},
		{Kind: "HelmChart", Name: "x"},
	} {
		obj := &v1alpha1.Database{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, GenerateName: "db-"},
			Spec: v1alpha1.DatabaseSpec{SourceRef: ref, SecretRef: meta.LocalObjectReference{Name: "db"},
				Interval: metav1.Duration{Duration: time.Minute}},
		}
		g.Expect(testClient.Create(context.Background(), obj)).NotTo(Succeed(), "%+v", ref)
	}
	for _, kind := range []string{v1alpha1.OCIRepositoryKind, v1alpha1.BucketKind, v1alpha1.ExternalArtifactKind} {
		obj := &v1alpha1.Database{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, GenerateName: "db-"},
			Spec: v1alpha1.DatabaseSpec{SourceRef: v1alpha1.CrossNamespaceSourceReference{APIVersion: "source.toolkit.fluxcd.io/v1", Kind: kind, Name: "x"},
				SecretRef: meta.LocalObjectReference{Name: "db"}, Interval: metav1.Duration{Duration: time.Minute}, Suspend: true},
		}
		g.Expect(testClient.Create(context.Background(), obj)).To(Succeed(), kind)
	}
}
