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
	"strings"
	"testing"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	. "github.com/onsi/gomega"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// TestDatabaseReconciler_softDrop: with spec.softDrop an approved plan moves the
// dropped table with its rows into schemactl_graveyard (the approval, given
// seconds after the plan, still matches: the id does not depend on the time in
// the graveyard name); the graveyard is not drift; a graveyard entry older than
// the retention (7 days by default) is purged by the reconcile.
func TestDatabaseReconciler_softDrop(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	f.exec(`CREATE TABLE legacy (id int PRIMARY KEY, v text);
INSERT INTO legacy VALUES (1, 'a'), (2, 'b');
CREATE SCHEMA schemactl_graveyard;
CREATE TABLE schemactl_graveyard.old__000000000000_20200101000000 (id int);
COMMENT ON TABLE schemactl_graveyard.old__000000000000_20200101000000 IS '{"schemactlGraveyard":1,"kind":"table","schema":"public","table":"old","plan":"sha256:0","at":"20200101000000"}'`)
	obj := f.database("orders", func(db *v1alpha1.Database) { db.Spec.SoftDrop = true })
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.FirstRunDestructiveReason))
		planShown(g, db)
	})
	g := NewWithT(t)
	// The old entry went at this reconcile; the plan reports no graveyard drift.
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'schemactl_graveyard'")).To(Equal("0"))
	setApproval(t, obj, db.Status.Plan.ID)
	db = eventuallyDB(t, obj, readyAt(""))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public' AND tablename = 'legacy'")).To(Equal("0"))
	name := f.query("SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'schemactl_graveyard'")
	g.Expect(strings.HasPrefix(name, "legacy__")).To(BeTrue(), "graveyard holds %q", name)
	g.Expect(f.query(`SELECT string_agg(v, ',' ORDER BY id) FROM schemactl_graveyard."` + name + `"`)).To(Equal("a,b"))
	g.Expect(db.Status.Drift == nil || len(db.Status.Drift.Changes) == 0).To(BeTrue(), "drift after the soft drop: %+v", db.Status.Drift)
}
