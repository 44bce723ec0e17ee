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

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	. "github.com/onsi/gomega"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// TestDatabaseReconciler_migrations: a Database of format Migrations applies the
// golang-migrate folder of its revision, then the new files pushed to Git; a change
// made by hand is reported as drift (driftPolicy Report by default) naming the
// migration that last touched the object, never corrected; a destructive migration
// is blocked until its pending set is approved; an edited applied migration stalls
// naming the file.
func TestDatabaseReconciler_migrations(t *testing.T) {
	f := newDBFixture(t, map[string]string{
		"db/000001_create_users.up.sql":    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n",
		"db/000001_create_users.down.sql":  "DROP TABLE users;\n",
		"db/000002_users_email_idx.up.sql": "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n",
	})
	obj := f.database("users", func(db *v1alpha1.Database) {
		db.Spec.Format = v1alpha1.FormatMigrations
		db.Spec.Migrations = &v1alpha1.MigrationsSpec{Layout: "golang-migrate"}
	})
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")
	eventuallyDB(t, obj, readyAt(rev))
	g := NewWithT(t)
	g.Expect(f.query("SELECT string_agg(file, ',' ORDER BY version) FROM schemactl.migrations")).To(Equal("000001_create_users.up.sql,000002_users_email_idx.up.sql"))
	g.Eventually(func(g Gomega) { dbHasEvent(g, obj, v1alpha1.AppliedReason) }, testTimeout, testInterval).Should(Succeed())

	// New files pushed to Git are applied.
	commit := f.git.Push(t, f.repo, "main", map[string]string{"db/000003_users_name.up.sql": "ALTER TABLE users ADD COLUMN name text;\n"}, "add name")
	eventuallyDB(t, obj, readyAt("main@sha1:"+commit))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'")).To(Equal("1"))

	// Drift: reported, with the migration that last touched the object, not corrected.
	f.exec("ALTER TABLE users ADD COLUMN nickname text")
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsTrue(db, v1alpha1.DriftedCondition)).To(BeTrue())
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DriftReportedReason))
		g.Expect(db.Status.Drift).NotTo(BeNil())
	})
	g.Expect(db.Status.Drift.Changes).To(HaveLen(1))
	g.Expect(db.Status.Drift.Changes[0].Object).To(Equal("column public.users.nickname"))
	g.Expect(db.Status.Drift.Changes[0].Change).To(ContainSubstring("(last touched by 000003_users_name.up.sql)"))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'")).To(Equal("1"))
	f.exec("ALTER TABLE users DROP COLUMN nickname")

	// A destructive migration is blocked until its pending set is approved.
	commit = f.git.Push(t, f.repo, "main", map[string]string{"db/000004_drop_name.up.sql": "ALTER TABLE users DROP COLUMN name;\n"}, "drop name")
	db = eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DestructiveBlockedReason))
		planShown(g, db)
		g.Expect(db.Status.Plan.Destructive).To(BeTrue())
	})
	g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(ContainSubstring("000004_drop_name.up.sql:1: DROP COLUMN name"))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'")).To(Equal("1"))
	setApproval(t, obj, db.Status.Plan.ID)
	eventuallyDB(t, obj, readyAt("main@sha1:"+commit))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'")).To(Equal("0"))

	// An applied migration edited in Git stalls, naming the file.
	f.git.Push(t, f.repo, "main", map[string]string{"db/000001_create_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"}, "edit an applied migration")
	db = eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsStalled(db)).To(BeTrue())
		g.Expect(conditions.GetReason(db, meta.StalledCondition)).To(Equal(v1alpha1.MigrationsRefusedReason))
	})
	g.Expect(conditions.GetMessage(db, meta.StalledCondition)).To(ContainSubstring("000001_create_users.up.sql: migration 1 was applied"))
}
