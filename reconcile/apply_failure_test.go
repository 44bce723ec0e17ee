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
	"strings"
	"testing"

	"github.com/fluxcd/pkg/runtime/conditions"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// TestDatabaseReconciler_partialApplyReported: a new column with a constant default
// and a unique index on it — pre-flight cannot check a column the plan adds. The
// column is committed, the index build fails on the duplicates and is dropped; the
// event and the Ready condition name the committed statement, the failed one and the
// cleanup, and the agent retries until the data allows the index.
func TestDatabaseReconciler_partialApplyReported(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_t.sql": "CREATE TABLE public.t (id int PRIMARY KEY, code text DEFAULT 'x');\nCREATE UNIQUE INDEX t_code ON public.t (code);\n"})
	f.exec("CREATE TABLE public.t (id int PRIMARY KEY); INSERT INTO public.t VALUES (1), (2), (3);")
	obj := f.database("t", nil)
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")

	NewWithT(t).Eventually(func(g Gomega) {
		var list corev1.EventList
		g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.Namespace))).To(Succeed())
		var msgs []string
		for _, e := range list.Items {
			if e.InvolvedObject.Name == obj.Name && e.Reason == v1alpha1.ApplyFailedReason {
				msgs = append(msgs, e.Message)
			}
		}
		all := strings.Join(msgs, "\n")
		db := getDB(g, obj)
		g.Expect(msgs).NotTo(BeEmpty(), "no ApplyFailed event; conditions: %v", db.Status.Conditions)
		g.Expect(all).To(ContainSubstring("revision " + rev + " partially applied; the database is consistent and the rest is retried"))
		g.Expect(all).To(ContainSubstring("committed: 1 [ALTER TABLE public.t ADD COLUMN code text DEFAULT 'x'::text]"))
		g.Expect(all).To(ContainSubstring("failed: statement 2 [CREATE UNIQUE INDEX CONCURRENTLY t_code ON public.t"))
		g.Expect(all).To(ContainSubstring("cleaned up: DROP INDEX CONCURRENTLY IF EXISTS public.t_code"))
	}, 3*testTimeout, testInterval).Should(Succeed())

	// Retried: the column is there, the index is not, no INVALID index is left, and
	// the condition says why.
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsReady(db)).To(BeFalse())
		g.Expect(conditions.GetReason(db, "Ready")).To(Equal(v1alpha1.ApplyFailedReason))
		g.Expect(conditions.GetMessage(db, "Ready")).To(ContainSubstring("cleaned up: DROP INDEX CONCURRENTLY IF EXISTS public.t_code"))
	})
	g := NewWithT(t)
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 't' AND column_name = 'code'")).To(Equal("1"))
	g.Expect(f.query("SELECT count(*)::text FROM pg_catalog.pg_index WHERE NOT indisvalid")).To(Equal("0"))

	// The data fixed, the retry finishes.
	f.exec("UPDATE public.t SET code = 'c' || id")
	eventuallyDB(t, obj, readyAt(rev))
	g.Expect(f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 't_code'")).To(Equal("1"))
}
