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

package migrate_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/migrate"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// target is a fresh database on the shared server, with the options that reach it.
func target(t *testing.T, layout string, dir string) (drift.MigrationOptions, *pgx.Conn) {
	t.Helper()
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	l, err := drift.ParseMigrationLayout(layout)
	if err != nil {
		t.Fatal(err)
	}
	return drift.MigrationOptions{Options: drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir}, Layout: l}, conn
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dst, e.Name(), string(b))
	}
	return dst
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	writeFileTB(t, dir, name, text)
}

func writeFileTB(t testing.TB, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func exec(t *testing.T, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t *testing.T, conn *pgx.Conn, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

var layouts = []string{"golang-migrate", "flyway", "dbmate", "atlas"}

// TestApplyMigrations_fromEmpty applies each layout's folder to an empty database:
// every migration runs once, in order, recorded in schemactl.migrations; the
// CONCURRENTLY migration runs outside a transaction (PostgreSQL refuses it inside
// one) and leaves a valid index; a second plan has nothing pending and no drift.
func TestApplyMigrations_fromEmpty(t *testing.T) {
	for _, layout := range layouts {
		t.Run(layout, func(t *testing.T) {
			t.Parallel()
			opts, conn := target(t, "auto", filepath.Join("testdata", layout))
			res, err := drift.ApplyMigrations(t.Context(), opts)
			if err != nil {
				t.Fatal(err)
			}
			want := 3
			if layout == "flyway" {
				want = 4 // and the repeatable view, after the versioned ones
			}
			if len(res.Ran) != want {
				t.Fatalf("ran %d migrations, want %d", len(res.Ran), want)
			}
			for i, r := range res.Ran {
				if r.Transactional == (i == 2) {
					t.Errorf("%s: transactional = %v", r.Migration.File, r.Transactional)
				}
			}
			if n := count(t, conn, "SELECT count(*) FROM schemactl.migrations WHERE NOT dirty AND checksum LIKE 'sha256:%' AND duration >= '0' AND applied_by = current_user"); n != want {
				t.Errorf("schemactl.migrations has %d clean rows, want %d", n, want)
			}
			if n := count(t, conn, "SELECT count(*) FROM pg_index WHERE indexrelid = 'public.orders_user_id_idx'::regclass AND indisvalid"); n != 1 {
				t.Errorf("orders_user_id_idx valid: %d", n)
			}
			res, err = drift.PlanMigrations(t.Context(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Status.Pending) != 0 || res.PlanID != "" || len(res.Status.Applied) != want {
				t.Errorf("second plan: %d pending, %d applied, id %q", len(res.Status.Pending), len(res.Status.Applied), res.PlanID)
			}
			if res.Drift == nil || !res.Drift.Empty() {
				t.Errorf("drift after applying: %+v", res.Drift)
			}
			res, err = drift.ApplyMigrations(t.Context(), opts)
			if err != nil || len(res.Ran) != 0 {
				t.Fatalf("second apply ran %d: %v", len(res.Ran), err)
			}
		})
	}
}

// runAsTool runs the up SQL of a folder's migrations the way the tool would, for
// the adoption tests: straight on the connection.
func runAsTool(t *testing.T, conn *pgx.Conn, d *migrate.Dir) {
	t.Helper()
	for _, m := range d.Migrations {
		for _, s := range m.Statements {
			exec(t, conn, s.SQL)
		}
	}
}

// TestApplyMigrations_adopt: a database migrated by golang-migrate, Flyway, dbmate
// or Atlas, with the history rows as each tool writes them, is adopted: nothing
// runs again (a re-run would fail on CREATE TABLE), the migrations are recorded in
// schemactl.migrations as adopted, the tool's history table is not drift, and a
// new migration runs.
func TestApplyMigrations_adopt(t *testing.T) {
	for _, tc := range []struct {
		layout  string
		history func(t *testing.T, conn *pgx.Conn, d *migrate.Dir)
	}{
		{"golang-migrate", func(t *testing.T, conn *pgx.Conn, _ *migrate.Dir) {
			// golang-migrate's postgres driver: one row, the last version.
			exec(t, conn, `CREATE TABLE IF NOT EXISTS "schema_migrations" (version bigint not null primary key, dirty boolean not null)`)
			exec(t, conn, `INSERT INTO "schema_migrations" (version, dirty) VALUES ($1, $2)`, int64(3), false)
		}},
		{"flyway", func(t *testing.T, conn *pgx.Conn, d *migrate.Dir) {
			// Flyway's PostgreSQL createMetaDataTable.sql.
			exec(t, conn, `CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
)`)
			exec(t, conn, `ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank")`)
			exec(t, conn, `CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success")`)
			for i, m := range d.Migrations {
				var version any
				if !m.Repeatable {
					version = m.Version
				}
				exec(t, conn, `INSERT INTO "public"."flyway_schema_history" (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
VALUES ($1, $2, $3, 'SQL', $4, $5, 'flyway', 12, true)`, i+1, version, m.Name, m.File, m.FlywayChecksum)
			}
		}},
		{"dbmate", func(t *testing.T, conn *pgx.Conn, d *migrate.Dir) {
			// dbmate's postgres driver.
			exec(t, conn, `CREATE TABLE IF NOT EXISTS public.schema_migrations (version varchar(128) PRIMARY KEY)`)
			for _, m := range d.Migrations {
				exec(t, conn, `INSERT INTO public.schema_migrations (version) VALUES ($1)`, m.Version)
			}
		}},
		{"atlas", func(t *testing.T, conn *pgx.Conn, d *migrate.Dir) {
			// Atlas's revision table, in its own schema.
			exec(t, conn, `CREATE SCHEMA "atlas_schema_revisions"`)
			exec(t, conn, `CREATE TABLE "atlas_schema_revisions"."atlas_schema_revisions" ("version" character varying NOT NULL, "description" character varying NOT NULL,
 "type" bigint NOT NULL DEFAULT 2, "applied" bigint NOT NULL DEFAULT 0, "total" bigint NOT NULL DEFAULT 0, "executed_at" timestamptz NOT NULL,
 "execution_time" bigint NOT NULL, "error" text NULL, "error_stmt" text NULL, "hash" character varying NOT NULL, "partial_hashes" jsonb NULL,
 "operator_version" character varying NOT NULL, PRIMARY KEY ("version"))`)
			for _, m := range d.Migrations {
				exec(t, conn, `INSERT INTO "atlas_schema_revisions"."atlas_schema_revisions" (version, description, type, applied, total, executed_at, execution_time, hash, operator_version)
VALUES ($1, $2, 2, $3, $3, now(), 1500000, $4, 'Atlas CLI v0.30.0')`, m.Version, m.Name, len(m.Statements), m.AtlasHash)
			}
		}},
	} {
		t.Run(tc.layout, func(t *testing.T) {
			t.Parallel()
			dir := copyDir(t, filepath.Join("testdata", tc.layout))
			opts, conn := target(t, tc.layout, dir)
			d, err := drift.ReadMigrations(dir, opts.Layout)
			if err != nil {
				t.Fatal(err)
			}
			runAsTool(t, conn, d)
			tc.history(t, conn, d)

			res, err := drift.PlanMigrations(t.Context(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Status.Pending) != 0 || len(res.Status.Adopt) != len(d.Migrations) {
				t.Fatalf("plan: %d pending, %d to adopt", len(res.Status.Pending), len(res.Status.Adopt))
			}
			if !res.Drift.Empty() {
				t.Fatalf("drift of an adopted database: %+v", res.Drift.Changes)
			}
			res, err = drift.ApplyMigrations(t.Context(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Ran) != 0 {
				t.Fatalf("ran %d migrations of an adopted database", len(res.Ran))
			}
			if n := count(t, conn, "SELECT count(*) FROM schemactl.migrations WHERE applied_by = $1", "adopted from "+tc.layout); n != len(d.Migrations) {
				t.Fatalf("%d adopted rows, want %d", n, len(d.Migrations))
			}
			name := map[string]string{"golang-migrate": "4_phone.up.sql", "flyway": "V3__phone.sql", "dbmate": "20240104120000_phone.sql",
				"atlas": "20240104120000_phone.sql"}[tc.layout]
			body := "ALTER TABLE users ADD COLUMN phone text;\n"
			if tc.layout == "dbmate" {
				body = "-- migrate:up\n" + body + "\n-- migrate:down\nALTER TABLE users DROP COLUMN phone;\n"
			}
			writeFile(t, dir, name, body)
			if tc.layout == "atlas" {
				rehash(t, dir)
			}
			res, err = drift.ApplyMigrations(t.Context(), opts)
			if err != nil || len(res.Ran) != 1 || res.Ran[0].Migration.File != name {
				t.Fatalf("new migration after adoption: %+v, %v", res.Ran, err)
			}
		})
	}
}

// TestApplyMigrations_changedFile: an applied migration whose file changed is an
// error naming the file (the controller's Stalled), also for a file Flyway applied
// (its CRC32 checksum); nothing runs.
func TestApplyMigrations_changedFile(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "golang-migrate"))
	opts, conn := target(t, "golang-migrate", dir)
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "000001_create_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n")
	writeFile(t, dir, "000004_phone.up.sql", "ALTER TABLE users ADD COLUMN phone text;\n")
	_, err := drift.ApplyMigrations(t.Context(), opts)
	var ch *drift.ChangedMigrationError
	if !errors.As(err, &ch) || !drift.IsMigrationStalled(err) || !strings.Contains(err.Error(), "000001_create_users.up.sql: migration 1 was applied") {
		t.Fatalf("want a changed-migration error naming the file, got %v", err)
	}
	if n := count(t, conn, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'phone'"); n != 0 {
		t.Fatal("a pending migration ran although an applied one changed")
	}
	if _, err := drift.PlanMigrations(t.Context(), opts); !errors.As(err, &ch) {
		t.Fatalf("plan: want the changed-migration error, got %v", err)
	}

	// Flyway: the checksum Flyway recorded tells the edit.
	fdir := copyDir(t, filepath.Join("testdata", "flyway"))
	fopts, fconn := target(t, "flyway", fdir)
	d, err := drift.ReadMigrations(fdir, migrate.Flyway)
	if err != nil {
		t.Fatal(err)
	}
	runAsTool(t, fconn, d)
	exec(t, fconn, `CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL,
 script varchar(1000) NOT NULL, checksum int, installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT now(), execution_time int NOT NULL, success boolean NOT NULL)`)
	exec(t, fconn, `INSERT INTO flyway_schema_history VALUES (1, '1', 'create users', 'SQL', 'V1__create_users.sql', $1, 'flyway', now(), 5, true)`, d.Migrations[0].FlywayChecksum)
	writeFile(t, fdir, "V1__create_users.sql", "-- reviewed\nCREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);\n")
	_, err = drift.ApplyMigrations(t.Context(), fopts)
	if !errors.As(err, &ch) || !strings.Contains(err.Error(), "V1__create_users.sql: migration 1 was applied (flyway)") {
		t.Fatalf("flyway: want a changed-migration error naming the file, got %v", err)
	}
}

// TestApplyMigrations_outOfOrder: a new version older than the newest applied one
// is refused, and runs when out-of-order migrations are allowed.
func TestApplyMigrations_outOfOrder(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "dbmate"))
	opts, conn := target(t, "dbmate", dir)
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "20240101130000_phone.sql", "-- migrate:up\nALTER TABLE users ADD COLUMN phone text;\n-- migrate:down\n")
	_, err := drift.ApplyMigrations(t.Context(), opts)
	var oo *drift.OutOfOrderError
	if !errors.As(err, &oo) || !strings.Contains(err.Error(), "20240101130000_phone.sql: pending migration 20240101130000 is older than the newest applied version 20240103120000") {
		t.Fatalf("want out-of-order refused, got %v", err)
	}
	if n := count(t, conn, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'phone'"); n != 0 {
		t.Fatal("the out-of-order migration ran")
	}
	opts.AllowOutOfOrder = true
	res, err := drift.ApplyMigrations(t.Context(), opts)
	if err != nil || len(res.Ran) != 1 {
		t.Fatalf("allowed out of order: %+v, %v", res, err)
	}
}

// TestApplyMigrations_destructive: a pending DROP COLUMN is blocked (nothing of the
// pending set runs, not even the harmless migration before it), a wrong approval
// does not help, the id of the exact pending set does; --allow-destructive does
// too.
func TestApplyMigrations_destructive(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "flyway"))
	opts, conn := target(t, "flyway", dir)
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	exec(t, conn, "INSERT INTO users (email) VALUES ('a@example.com')")
	writeFile(t, dir, "V3__phone.sql", "ALTER TABLE users ADD COLUMN phone text;\n")
	writeFile(t, dir, "V4__drop_total.sql", "-- totals live in the view now\nDROP VIEW order_totals;\nALTER TABLE orders DROP COLUMN total;\n")
	plan, err := drift.PlanMigrations(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Destructive) != 1 || plan.Destructive[0].Position != "V4__drop_total.sql:3" || !strings.HasPrefix(plan.PlanID, "sha256:") {
		t.Fatalf("plan: destructive %+v, id %q", plan.Destructive, plan.PlanID)
	}
	_, err = drift.ApplyMigrations(t.Context(), opts)
	if !drift.IsBlocked(err) || !strings.Contains(err.Error(), "V4__drop_total.sql:3: DROP COLUMN total") || !strings.Contains(err.Error(), plan.PlanID) {
		t.Fatalf("want blocked, got %v", err)
	}
	opts.ApprovedID = "sha256:0000"
	if _, err = drift.ApplyMigrations(t.Context(), opts); !drift.IsBlocked(err) {
		t.Fatalf("wrong approval: want blocked, got %v", err)
	}
	if n := count(t, conn, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'phone'"); n != 0 {
		t.Fatal("part of a blocked pending set ran")
	}
	opts.ApprovedID = plan.PlanID
	res, err := drift.ApplyMigrations(t.Context(), opts)
	if err != nil || len(res.Ran) != 2 {
		t.Fatalf("approved: %+v, %v", res, err)
	}
	if n := count(t, conn, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'total'"); n != 0 {
		t.Fatal("orders.total still there")
	}

	// --allow-destructive.
	writeFile(t, dir, "V5__truncate.sql", "TRUNCATE orders;\n")
	opts.ApprovedID = ""
	if _, err := drift.ApplyMigrations(t.Context(), opts); !drift.IsBlocked(err) {
		t.Fatalf("TRUNCATE: want blocked, got %v", err)
	}
	opts.AllowDestructive = true
	if res, err := drift.ApplyMigrations(t.Context(), opts); err != nil || len(res.Ran) != 1 {
		t.Fatalf("allowed: %+v, %v", res, err)
	}
}

// rehash writes the atlas.sum of an Atlas folder, as atlas migrate hash does.
func rehash(t *testing.T, dir string) {
	t.Helper()
	var files []migrate.AtlasFile
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			files = append(files, migrate.AtlasFile{Name: e.Name(), Content: b})
		}
	}
	writeFile(t, dir, migrate.AtlasSum, migrate.AtlasSumFile(files))
}

// TestApplyMigrations_typeChange: a column type change is destructive unless the
// engine's table of exact conversions covers it from the live column's type:
// numeric(12,2) → numeric(14,2) runs, numeric(14,2) → numeric(10,2) and a change
// with USING are blocked.
func TestApplyMigrations_typeChange(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "atlas"))
	opts, conn := target(t, "atlas", dir)
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	add := func(name, sql string) {
		t.Helper()
		writeFile(t, dir, name, sql)
		rehash(t, dir)
	}
	add("20240104120000_widen_total.sql", "ALTER TABLE \"orders\" ALTER COLUMN \"total\" TYPE numeric(14,2);\n")
	res, err := drift.ApplyMigrations(t.Context(), opts)
	if err != nil || len(res.Ran) != 1 {
		t.Fatalf("widening: %+v, %v", res, err)
	}
	add("20240105120000_narrow_total.sql", "ALTER TABLE \"orders\" ALTER COLUMN \"total\" TYPE numeric(10,2);\n")
	if _, err := drift.ApplyMigrations(t.Context(), opts); !drift.IsBlocked(err) || !strings.Contains(err.Error(), "20240105120000_narrow_total.sql:1: ALTER COLUMN total TYPE") {
		t.Fatalf("narrowing: want blocked, got %v", err)
	}
	if n := count(t, conn, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'total' AND numeric_precision = 14"); n != 1 {
		t.Fatal("orders.total is not numeric(14,2)")
	}
}

// TestPlanMigrations_drift: a change made by hand after migrating is reported as
// drift, with the migration that last touched the object; the history table of
// another tool is not drift.
func TestPlanMigrations_drift(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "golang-migrate"))
	opts, conn := target(t, "golang-migrate", dir)
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	exec(t, conn, "ALTER TABLE users ADD COLUMN nickname text")
	exec(t, conn, "DROP INDEX orders_user_id_idx")
	res, err := drift.PlanMigrations(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range res.DriftSources {
		got[s.Object] = s.Migration
	}
	if len(res.Drift.Changes) != 2 || got["column public.users.nickname"] != "000001_create_users.up.sql" || got["index public.orders_user_id_idx"] != "000003_orders_user_index.up.sql" {
		t.Fatalf("drift sources %+v\nchanges %+v", res.DriftSources, res.Drift.Changes)
	}
	if !strings.Contains(res.Drift.SQL(), "DROP COLUMN nickname") {
		t.Errorf("the correction plan does not drop the column:\n%s", res.Drift.SQL())
	}
}

// TestPlanMigrations_driftCorrected: under driftPolicy Correct the agent plans the
// correction with the declarative engine, from the live database to the replayed
// migrations (drift.ApplyModel, as for a declarative schema): a hand-made index and
// a changed default are removed, and the next check finds no drift.
func TestPlanMigrations_driftCorrected(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "dbmate"))
	opts, conn := target(t, "dbmate", dir)
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	exec(t, conn, "CREATE INDEX users_email_lower_idx ON users (lower(email))")
	exec(t, conn, "ALTER TABLE orders ALTER COLUMN total SET DEFAULT 1")
	d, err := drift.ReadMigrations(dir, migrate.Dbmate)
	if err != nil {
		t.Fatal(err)
	}
	st, err := drift.MigrationStatusOf(t.Context(), conn, d)
	if err != nil {
		t.Fatal(err)
	}
	replayed, _, err := drift.ReplayMigrations(t.Context(), conn, st, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := drift.ApplyModel(t.Context(), conn, replayed, opts.Options, "")
	if err != nil || !res.Applied || len(res.Plan.Changes) != 2 {
		t.Fatalf("correction: %+v, %v", res, err)
	}
	plan, err := drift.PlanMigrations(t.Context(), opts)
	if err != nil || !plan.Drift.Empty() {
		t.Fatalf("drift after the correction: %+v, %v", plan.Drift, err)
	}
}

// TestReplayMigrations_cached: with a Cache the replay of an applied set is loaded
// once (the same model comes back) and a new applied migration is a new entry.
func TestReplayMigrations_cached(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "golang-migrate"))
	opts, conn := target(t, "golang-migrate", dir)
	opts.Cache = &drift.Cache{}
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	replay := func() *drift.Model {
		t.Helper()
		d, err := drift.ReadMigrations(dir, migrate.GolangMigrate)
		if err != nil {
			t.Fatal(err)
		}
		st, err := drift.MigrationStatusOf(t.Context(), conn, d)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := drift.ReplayMigrations(t.Context(), conn, st, opts)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	first := replay()
	if again := replay(); again != first {
		t.Fatal("the second replay of the same applied set was loaded again")
	}
	writeFile(t, dir, "4_phone.up.sql", "ALTER TABLE users ADD COLUMN phone text;\n")
	if _, err := drift.ApplyMigrations(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if next := replay(); next == first || len(next.Tables) != len(first.Tables) {
		t.Fatal("a new applied set came from the cache")
	}
}

// TestApplyMigrations_failure: a failing transactional migration is rolled back
// entirely and named at its file:line; the migrations before it stay applied.
func TestApplyMigrations_failure(t *testing.T) {
	dir := copyDir(t, filepath.Join("testdata", "golang-migrate"))
	writeFile(t, dir, "000004_bad.up.sql", "ALTER TABLE users ADD COLUMN phone text;\nALTER TABLE nosuch ADD COLUMN x int;\n")
	opts, conn := target(t, "golang-migrate", dir)
	res, err := drift.ApplyMigrations(t.Context(), opts)
	var ee *drift.MigrationExecError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "000004_bad.up.sql:2: migration 4 (000004_bad.up.sql) failed") || len(res.Ran) != 3 {
		t.Fatalf("want the failure at 000004_bad.up.sql:2 after 3 migrations, got %d: %v", len(res.Ran), err)
	}
	if n := count(t, conn, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'phone'"); n != 0 {
		t.Fatal("the failed migration was not rolled back")
	}
	if n := count(t, conn, "SELECT count(*) FROM schemactl.migrations"); n != 3 {
		t.Fatalf("%d rows recorded, want 3", n)
	}
}
