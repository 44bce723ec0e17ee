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
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// testDatabaseReconciler is the Database controller under test.
var testDatabaseReconciler *DatabaseReconciler

// databasePasses is the number of passes of obj the controller has finished
// (Flux's gotk_reconcile_duration_seconds of the object).
func databasePasses(g Gomega, obj *v1alpha1.Database) float64 {
	return histogramCount(g, "gotk_reconcile_duration_seconds", map[string]string{"kind": v1alpha1.DatabaseKind, "namespace": obj.Namespace, "name": obj.Name})
}

// TestDatabaseReconciler_unchangedPasses: once a full check found the database
// in sync, the passes at the interval read the catalog fingerprint, skip the
// inspection and write no status (the resourceVersion stays); a change by hand
// after such passes is still detected and corrected at the next one.
func TestDatabaseReconciler_unchangedPasses(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	obj := f.database("orders", func(db *v1alpha1.Database) { db.Spec.Interval = metav1.Duration{Duration: time.Second} })
	key := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		readyAt("")(g, db)
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.InSyncReason))
		_, remembered := testDatabaseReconciler.inSync.get(key)
		g.Expect(remembered).To(BeTrue())
	})
	g := NewWithT(t)
	rv := db.ResourceVersion
	start := databasePasses(g, obj)
	g.Eventually(func(g Gomega) {
		g.Expect(databasePasses(g, obj)).To(BeNumerically(">=", start+3))
	}, testTimeout, testInterval).Should(Succeed())
	db = getDB(g, obj)
	g.Expect(db.ResourceVersion).To(Equal(rv), "an in-sync pass wrote the status: %+v", db.Status)
	e, ok := testDatabaseReconciler.inSync.get(key)
	g.Expect(ok).To(BeTrue())
	g.Expect(e.digest).NotTo(BeEmpty())
	g.Expect(e.counters).To(HavePrefix("on "), "the catalog counters of PostgreSQL 15")
	g.Expect(e.unchanged).To(BeNumerically(">=", 2), "passes that skipped the inspection")

	// A change by hand after unchanged passes: detected and corrected.
	f.exec(`ALTER TABLE orders ALTER COLUMN note DROP DEFAULT`)
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		dbHasEvent(g, db, v1alpha1.DriftCorrectedReason)
		readyAt("")(g, db)
	})
	g.Expect(f.query("SELECT coalesce(column_default, '') FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'")).To(ContainSubstring("n/a"))
}
