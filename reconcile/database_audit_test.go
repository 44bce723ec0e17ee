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
	"io"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"strings"
	"sync"
	"testing"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/jackc/pgx/v5"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/notify"
)

// TestDatabaseReconciler_auditAttributesDrift: spec.audit installs the DDL audit;
// a change made by an application named hotfix shows who made it in the drift
// report, the DriftDetected event and the alert payload; the agent's own apply is
// not attributed.
func TestDatabaseReconciler_auditAttributesDrift(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	ctx := context.Background()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, string(b))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	g := NewWithT(t)
	createSecret(t, f.ns, "hook", map[string][]byte{notify.AddressKey: []byte(srv.URL)})
	g.Expect(testClient.Create(ctx, &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "hook"},
		Spec:       v1alpha1.AlertProviderSpec{Type: v1alpha1.GenericProvider, SecretRef: meta.LocalObjectReference{Name: "hook"}},
	})).To(Succeed())
	rule := &v1alpha1.AlertRule{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "hook"},
		Spec: v1alpha1.AlertRuleSpec{
			ProviderRef:   meta.LocalObjectReference{Name: "hook"},
			EventSources:  []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}},
			EventSeverity: v1alpha1.EventSeverityError,
			ExclusionList: []string{"dangerous privileges"},
		},
	}
	g.Expect(testClient.Create(ctx, rule)).To(Succeed())
	g.Eventually(func(g Gomega) { g.Expect(conditions.IsReady(alertGet(g, rule))).To(BeTrue()) }, testTimeout, testInterval).Should(Succeed())

	obj := f.database("orders", func(db *v1alpha1.Database) { db.Spec.Audit = true })
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")
	db := eventuallyDB(t, obj, readyAt(rev))
	g.Expect(conditions.Has(db, v1alpha1.AuditUnavailableCondition)).To(BeFalse())
	g.Expect(f.query("SELECT count(*)::text FROM pg_event_trigger WHERE evtname LIKE 'schemactl_ddl_audit_%'")).To(Equal("2"))
	// The agent's own apply is recorded as ours.
	g.Expect(f.query("SELECT count(*)::text FROM schemactl.ddl_audit WHERE object_identity = 'public.orders' AND apply_id IS NOT NULL")).NotTo(Equal("0"))
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.DriftPolicy = v1alpha1.DriftPolicyReport })
	// No pass with the old policy may correct the hotfix below.
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(db.Status.ObservedGeneration).To(Equal(db.Generation))
	})

	u, err := neturl.Parse(f.url)
	g.Expect(err).NotTo(HaveOccurred())
	q := u.Query()
	q.Set("application_name", "hotfix")
	u.RawQuery = q.Encode()
	hotfix, err := pgx.Connect(ctx, u.String())
	g.Expect(err).NotTo(HaveOccurred())
	t.Cleanup(func() { _ = hotfix.Close(context.Background()) })
	_, err = hotfix.Exec(ctx, "CREATE INDEX orders_note_idx ON orders (note)")
	g.Expect(err).NotTo(HaveOccurred())

	db = eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(db.Status.Drift).NotTo(BeNil())
		g.Expect(db.Status.Drift.Changes).To(HaveLen(1))
		g.Expect(db.Status.Drift.Changes[0].Attribution).NotTo(BeNil())
	})
	a := db.Status.Drift.Changes[0].Attribution
	g.Expect(db.Status.Drift.Changes[0].Object).To(Equal("index public.orders_note_idx"))
	g.Expect(a.ApplicationName).To(Equal("hotfix"))
	g.Expect(a.SessionUser).To(Equal("postgres"))
	g.Expect(a.CommandTag).To(Equal("CREATE INDEX"))
	g.Expect(a.Statement).To(Equal("CREATE INDEX orders_note_idx ON orders (note)"))
	g.Expect(a.At.IsZero()).To(BeFalse())
	g.Eventually(func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(got, "\n")
	}, testTimeout, testInterval).Should(And(
		ContainSubstring(`"reason":"DriftDetected"`),
		ContainSubstring("index public.orders_note_idx: exists in the database, not in Git (by postgres from "),
		ContainSubstring("application hotfix, at "),
	))
	dbHasEventMessage(g, obj, v1alpha1.DriftDetectedReason, "application hotfix")
}

// dbHasEventMessage asserts an event of obj with reason whose message contains text.
func dbHasEventMessage(g Gomega, obj *v1alpha1.Database, reason, text string) {
	g.Eventually(func(g Gomega) {
		var list corev1.EventList
		g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.GetNamespace()))).To(Succeed())
		var found bool
		for _, e := range list.Items {
			found = found || e.InvolvedObject.Name == obj.GetName() && e.Reason == reason && strings.Contains(e.Message, text)
		}
		g.Expect(found).To(BeTrue(), "no %s event containing %q", reason, text)
	}, testTimeout, testInterval).Should(Succeed())
}
