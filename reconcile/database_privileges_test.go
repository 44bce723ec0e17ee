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
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// dbEvents returns the events of obj with the reason and the sum of their counts
// (the event recorder folds repeats of one event into its count).
func dbEvents(g Gomega, obj client.Object, reason string) ([]corev1.Event, int32) {
	var list corev1.EventList
	g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.GetNamespace()))).To(Succeed())
	var out []corev1.Event
	var n int32
	for _, e := range list.Items {
		if e.InvolvedObject.Name == obj.GetName() && e.Reason == reason {
			out = append(out, e)
			n += max(e.Count, 1)
		}
	}
	return out, n
}

// TestDatabaseReconciler_superuserTargetWarnsOnce: a Database applied as the
// superuser postgres gets PrivilegedRole=True naming SUPERUSER and one
// DangerousPrivileges Warning event, which further reconciles do not repeat.
func TestDatabaseReconciler_superuserTargetWarnsOnce(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	// A long timeout: the 2s interval is also the default timeout, short on a busy machine.
	obj := f.database("orders", func(db *v1alpha1.Database) { db.Spec.Timeout = &metav1.Duration{Duration: time.Minute} })
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		readyAt(rev)(g, db)
		g.Expect(conditions.IsTrue(db, v1alpha1.PrivilegedRoleCondition)).To(BeTrue(), "conditions: %v", db.Status.Conditions)
	})
	g := NewWithT(t)
	g.Expect(conditions.GetReason(db, v1alpha1.PrivilegedRoleCondition)).To(Equal(v1alpha1.DangerousPrivilegesReason))
	g.Expect(conditions.GetMessage(db, v1alpha1.PrivilegedRoleCondition)).To(ContainSubstring(`role "postgres" applies the plan with dangerous privileges: SUPERUSER`))
	g.Expect(conditions.GetMessage(db, v1alpha1.PrivilegedRoleCondition)).NotTo(ContainSubstring("127.0.0.1"))
	g.Eventually(func(g Gomega) {
		events, n := dbEvents(g, obj, v1alpha1.DangerousPrivilegesReason)
		g.Expect(n).To(Equal(int32(1)))
		g.Expect(events[0].Type).To(Equal(corev1.EventTypeWarning))
		g.Expect(events[0].Message).To(ContainSubstring("SUPERUSER"))
	}, testTimeout, testInterval).Should(Succeed())

	// More reconciles (requested, and by the 2s interval): the event is not repeated.
	for _, token := range []string{"again-1", "again-2"} {
		requestDBReconcile(t, obj, token)
		eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
			g.Expect(db.Status.LastHandledReconcileAt).To(Equal(token))
		})
	}
	g.Consistently(func(g Gomega) {
		_, n := dbEvents(g, obj, v1alpha1.DangerousPrivilegesReason)
		g.Expect(n).To(Equal(int32(1)))
	}, 5*time.Second, 500*time.Millisecond).Should(Succeed())
	g.Expect(conditions.IsTrue(getDB(g, obj), v1alpha1.PrivilegedRoleCondition)).To(BeTrue())
}

// TestDatabaseReconciler_leastPrivilegedTargetNoWarning: a role that only owns its
// database (the desired SQL loaded through a scratch Secret) gets no PrivilegedRole
// condition and no event; granting it pg_execute_server_program raises both, and
// revoking it removes the condition.
func TestDatabaseReconciler_leastPrivilegedTargetNoWarning(t *testing.T) {
	srv := pgtest.Shared(t)
	owner := srv.NewRole(t, "")
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	u, err := url.Parse(f.url)
	if err != nil {
		t.Fatal(err)
	}
	ownerIdent := pgx.Identifier{owner}.Sanitize()
	f.exec("ALTER DATABASE " + pgx.Identifier{strings.TrimPrefix(u.Path, "/")}.Sanitize() + " OWNER TO " + ownerIdent)
	createSecret(t, f.ns, "owner-db", map[string][]byte{"url": []byte(pgtest.URLAs(t, f.url, owner))})
	createSecret(t, f.ns, "scratch", map[string][]byte{"url": []byte(srv.AdminURL())})
	obj := f.database("orders", func(db *v1alpha1.Database) {
		db.Spec.SecretRef = meta.LocalObjectReference{Name: "owner-db"}
		db.Spec.Scratch = &v1alpha1.ScratchServer{SecretRef: meta.LocalObjectReference{Name: "scratch"}}
		db.Spec.Timeout = &metav1.Duration{Duration: time.Minute}
	})
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")
	eventuallyDB(t, obj, readyAt(rev))
	g := NewWithT(t)
	g.Expect(f.query("SELECT tableowner::text FROM pg_tables WHERE tablename = 'orders'")).To(Equal(owner))
	requestDBReconcile(t, obj, "again-1")
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(db.Status.LastHandledReconcileAt).To(Equal("again-1"))
	})
	g.Expect(conditions.Get(db, v1alpha1.PrivilegedRoleCondition)).To(BeNil())
	_, n := dbEvents(g, obj, v1alpha1.DangerousPrivilegesReason)
	g.Expect(n).To(BeZero())

	f.exec("GRANT pg_execute_server_program TO " + ownerIdent)
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetMessage(db, v1alpha1.PrivilegedRoleCondition)).To(ContainSubstring("pg_execute_server_program"))
		_, n := dbEvents(g, obj, v1alpha1.DangerousPrivilegesReason)
		g.Expect(n).To(Equal(int32(1)))
	})
	f.exec("REVOKE pg_execute_server_program FROM " + ownerIdent)
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.Get(db, v1alpha1.PrivilegedRoleCondition)).To(BeNil())
		g.Expect(conditions.IsReady(db)).To(BeTrue())
	})
}
