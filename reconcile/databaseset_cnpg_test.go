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
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/jackc/pgx/v5"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// installCNPGClusterCRD installs CloudNativePG's real Cluster CRD (from its
// module at kubetest.CNPGVersion) and removes it when t ends, so that the
// other tests see an API server without CloudNativePG.
func installCNPGClusterCRD(t *testing.T) {
	t.Helper()
	file, err := kubetest.CNPGClusterCRD()
	if err != nil {
		t.Fatalf("CloudNativePG's Cluster CRD: %v", err)
	}
	if err := testEnv.InstallCRDs(file); err != nil {
		t.Fatalf("installing %s: %v", file, err)
	}
	t.Cleanup(func() {
		if err := testEnv.UninstallCRDs(file); err != nil {
			t.Errorf("uninstalling %s: %v", file, err)
		}
	})
}

// createCNPGCluster creates a CloudNativePG Cluster (no operator runs: it
// stays as created), with the smallest spec its CRD accepts.
func createCNPGCluster(t *testing.T, ns, name string, labels map[string]string) {
	t.Helper()
	c := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "postgresql.cnpg.io/v1",
		"kind":       "Cluster",
		"spec": map[string]any{
			"instances": int64(1),
			"storage":   map[string]any{"size": "1Gi"},
		},
	}}
	c.SetNamespace(ns)
	c.SetName(name)
	c.SetLabels(labels)
	if err := testClient.Create(context.Background(), c); err != nil {
		t.Fatalf("creating Cluster %s: %v", name, err)
	}
}

// relabelCNPGCluster replaces the labels of a Cluster.
func relabelCNPGCluster(t *testing.T, ns, name string, labels map[string]string) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		c := &unstructured.Unstructured{}
		c.SetAPIVersion("postgresql.cnpg.io/v1")
		c.SetKind("Cluster")
		if err := testClient.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, c); err != nil {
			return err
		}
		c.SetLabels(labels)
		return testClient.Update(context.Background(), c)
	}, testTimeout, testInterval).Should(Succeed())
}

// createCNPGAppSecret creates the `<cluster>-app` Secret as CloudNativePG
// writes it (type basic-auth; username, password, host, port, dbname, uri),
// for the database of dbURL on the test server. It returns a connection to
// that database.
func createCNPGAppSecret(t *testing.T, ns, cluster, dbURL string) *pgx.Conn {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	dbname := strings.TrimPrefix(u.Path, "/")
	user := u.User.Username()
	// The test server trusts local connections: the password is carried as
	// CloudNativePG carries it, and not checked.
	password := "app-password-" + cluster
	uri := &url.URL{Scheme: "postgresql", User: url.UserPassword(user, password), Host: u.Host, Path: "/" + dbname, RawQuery: u.RawQuery}
	s := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: cluster + "-app", Labels: map[string]string{"cnpg.io/cluster": cluster, "cnpg.io/reload": "true"}},
		Type:       corev1.SecretTypeBasicAuth,
		Data: map[string][]byte{
			"username": []byte(user),
			"password": []byte(password),
			"host":     []byte(u.Hostname()),
			"port":     []byte(u.Port()),
			"dbname":   []byte(dbname),
			"uri":      []byte(uri.String()),
		},
	}
	if err := testClient.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func itemsExists(g Gomega, conn *pgx.Conn) {
	var exists bool
	g.Expect(conn.QueryRow(context.Background(), "SELECT to_regclass('public.items') IS NOT NULL").Scan(&exists)).To(Succeed())
	g.Expect(exists).To(BeTrue(), "table items")
}

// TestDatabaseSet_cnpgClusters: with CloudNativePG's real Cluster CRD served
// (no operator running), a set with members.cnpgClusterSelector creates one
// member per matching Cluster, connected through the Cluster's app Secret, and
// each member applies the schema to its database; a Cluster of other labels is
// no member. A matching Cluster whose app Secret does not exist yet is a member
// that is Ready=False InvalidSecret naming the Secret (the set counts it
// failed), and becomes Ready once the Secret appears. A Cluster whose labels
// stop matching loses its member; its database is left as it is.
func TestDatabaseSet_cnpgClusters(t *testing.T) {
	start := time.Now()
	installCNPGClusterCRD(t)
	t.Logf("Cluster CRD served after %v", time.Since(start).Round(time.Millisecond))
	ns := newDBNamespace(t)
	git := newItemsSource(t, ns)
	g := NewWithT(t)
	rev := "main@sha1:" + git.Head(t, "schemas", "main")

	pg := pgtest.Shared(t)
	shop := map[string]string{"app": "shop"}
	conns := map[string]*pgx.Conn{}
	for _, c := range []string{"pg-east", "pg-west"} {
		createCNPGCluster(t, ns, c, shop)
		conns[c] = createCNPGAppSecret(t, ns, c, pg.NewDatabase(t))
	}
	createCNPGCluster(t, ns, "pg-other", map[string]string{"app": "other"})
	other := createCNPGAppSecret(t, ns, "pg-other", pg.NewDatabase(t))

	set := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "shop"},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db",
			Members:   v1alpha1.DatabaseSetMembers{CNPGClusterSelector: &metav1.LabelSelector{MatchLabels: shop}},
			Template:  v1alpha1.DatabaseSetTemplate{Interval: metav1.Duration{Duration: 2 * time.Second}},
		},
	}
	g.Expect(testClient.Create(context.Background(), set)).To(Succeed())
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		allAt(rev, 2)(g, s)
		members := setMembers(g, s)
		g.Expect(members["shop-pg-east"].Spec.SecretRef.Name).To(Equal("pg-east-app"))
		g.Expect(members["shop-pg-west"].Spec.SecretRef.Name).To(Equal("pg-west-app"))
		g.Expect(conditions.IsReady(s)).To(BeTrue(), "%v", s.Status.Conditions)
		g.Expect(s.Status.Members).To(BeEquivalentTo(2))
	})
	t.Logf("2 members applied after %v", time.Since(start).Round(time.Millisecond))
	for c, conn := range conns {
		itemsExists(g, conn)
		_, err := conn.Exec(context.Background(), "INSERT INTO items VALUES (1, 1, $1)", c)
		g.Expect(err).NotTo(HaveOccurred())
	}
	var otherTables int
	g.Expect(other.QueryRow(context.Background(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&otherTables)).To(Succeed())
	g.Expect(otherTables).To(BeZero(), "the Cluster of other labels is no member")

	// A Cluster being bootstrapped: its app Secret does not exist yet.
	createCNPGCluster(t, ns, "pg-late", shop)
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		members := setMembers(g, s)
		g.Expect(members).To(HaveLen(3))
		late := members["shop-pg-late"]
		g.Expect(late.Spec.SecretRef.Name).To(Equal("pg-late-app"))
		g.Expect(conditions.GetReason(&late, meta.ReadyCondition)).To(Equal(v1alpha1.InvalidSecretReason))
		g.Expect(conditions.GetMessage(&late, meta.ReadyCondition)).To(ContainSubstring("secret " + ns + "/pg-late-app not found"))
		g.Expect(s.Status.Failed).To(BeEquivalentTo(1))
		g.Expect(conditions.GetReason(s, meta.ReadyCondition)).To(Equal(v1alpha1.MembersFailedReason))
	})
	t.Logf("member without its app Secret InvalidSecret after %v", time.Since(start).Round(time.Millisecond))
	late := createCNPGAppSecret(t, ns, "pg-late", pg.NewDatabase(t))
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		allAt(rev, 3)(g, s)
		g.Expect(conditions.IsReady(s)).To(BeTrue(), "%v", s.Status.Conditions)
	})
	t.Logf("member applied once its app Secret exists after %v", time.Since(start).Round(time.Millisecond))
	itemsExists(g, late)

	// pg-west's labels stop matching: its member goes, its database stays.
	relabelCNPGCluster(t, ns, "pg-west", map[string]string{"app": "retired"})
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		members := setMembers(g, s)
		g.Expect(members).To(HaveLen(2))
		g.Expect(members).NotTo(HaveKey("shop-pg-west"))
		g.Expect(s.Status.Members).To(BeEquivalentTo(2))
	})
	g.Eventually(func(g Gomega) {
		var db v1alpha1.Database
		err := testClient.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "shop-pg-west"}, &db)
		g.Expect(client.IgnoreNotFound(err)).To(Succeed())
		g.Expect(err).To(HaveOccurred(), "the Database of pg-west is deleted, finalizer done")
	}, testTimeout, testInterval).Should(Succeed())
	t.Logf("member of a relabeled Cluster gone after %v", time.Since(start).Round(time.Millisecond))
	var note string
	g.Expect(conns["pg-west"].QueryRow(context.Background(), "SELECT note FROM items WHERE id = 1").Scan(&note)).To(Succeed())
	g.Expect(note).To(Equal("pg-west"), "the database of a member removed is untouched")
}
