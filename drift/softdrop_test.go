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

package drift_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

const softOld = `CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int REFERENCES customers, note text UNIQUE);
CREATE INDEX orders_customer_idx ON orders (customer_id);
COMMENT ON TABLE orders IS 'the orders';
CREATE TABLE lines (order_id bigint REFERENCES orders, n serial, PRIMARY KEY (order_id, n));
CREATE VIEW order_notes AS SELECT id, note FROM orders;
`

const softNew = `CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE lines (order_id bigint, n serial, PRIMARY KEY (order_id, n));
`

func tableDump(ctx context.Context, t *testing.T, conn *pgx.Conn, table string) string {
	t.Helper()
	var out string
	if err := conn.QueryRow(ctx, "SELECT COALESCE(string_agg(x::text, ',' ORDER BY x::text), '') FROM "+table+" AS x").Scan(&out); err != nil {
		t.Fatalf("reading %s: %v", table, err)
	}
	return out
}

// TestSoftDrop_table: an allowed plan with soft drop moves the dropped table with
// its rows, indexes and identity sequence into schemactl_graveyard; the next plan
// is empty; list shows it; restore puts it back with its data; a later drop and
// purge by retention remove it.
func TestSoftDrop_table(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	execSQL(t, url, softOld+`INSERT INTO customers VALUES (1, 'a'), (2, 'b');
INSERT INTO orders (customer_id, note) VALUES (1, 'x'), (2, 'y'), (NULL, 'z');
INSERT INTO lines VALUES (1, 1), (2, 1);`)
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	before := tableDump(ctx, t, conn, "public.orders")
	dir := writeDir(t, map[string]string{"schema.sql": softNew})
	opts := drift.Options{URL: url, Dir: dir, ScratchURL: srv.AdminURL(), SoftDrop: true}

	// The plan shows the soft form; its id does not depend on the time.
	res, err := drift.Plan(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	sql := res.Plan.SQL()
	if strings.Contains(sql, "DROP TABLE") || !strings.Contains(sql, "ALTER TABLE public.orders SET SCHEMA schemactl_graveyard") {
		t.Fatalf("plan is not the soft form:\n%s", sql)
	}
	if !res.Plan.Destructive() {
		t.Fatal("a soft drop still needs approval: the plan must stay destructive")
	}
	time.Sleep(1100 * time.Millisecond)
	again, err := drift.Plan(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.Plan.ID != res.Plan.ID || drift.ApprovalID(again.Plan, again.Live) != drift.ApprovalID(res.Plan, res.Live) {
		t.Fatalf("plan id moves with the time: %s then %s", res.Plan.ID, again.Plan.ID)
	}
	// Not allowed: blocked, nothing moves.
	if _, err := drift.Apply(ctx, opts); !errors.As(err, new(*drift.BlockedError)) {
		t.Fatalf("apply without approval: %v, want a BlockedError", err)
	}
	opts.AllowDestructive = true
	if _, err := drift.Apply(ctx, opts); err != nil {
		t.Fatalf("apply: %v", err)
	}
	es, err := drift.Graveyard(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Kind != "table" || es[0].Original() != "public.orders" || es[0].Rows != 3 ||
		!strings.HasPrefix(es[0].Name, "orders__"+strings.TrimPrefix(es[0].Plan, "sha256:")[:12]+"_") || time.Since(es[0].Time) > time.Minute {
		t.Fatalf("graveyard: %+v", es)
	}
	if got := tableDump(ctx, t, conn, "schemactl_graveyard."+es[0].Name); got != before {
		t.Fatalf("graveyard rows %q, want %q", got, before)
	}
	// The indexes and the identity sequence went with it, renamed.
	var moved int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'schemactl_graveyard' AND c.relkind IN ('i', 'S') AND c.relname LIKE '%'||$1`, es[0].Name[strings.LastIndex(es[0].Name, "__"):]).Scan(&moved); err != nil {
		t.Fatal(err)
	}
	if moved != 4 { // orders_pkey, orders_note_key, orders_customer_idx, orders_id_seq
		t.Fatalf("%d indexes and sequences moved with the table, want 4", moved)
	}
	// The graveyard is not drift.
	next, err := drift.Plan(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !next.Plan.Empty() {
		t.Fatalf("plan after the soft drop is not empty:\n%s", next.Plan.SQL())
	}

	// Restore: the table, its rows, its comment and its index names come back.
	if _, err := drift.RestoreGraveyard(ctx, conn, es[0].Name); err != nil {
		t.Fatal(err)
	}
	if got := tableDump(ctx, t, conn, "public.orders"); got != before {
		t.Fatalf("restored rows %q, want %q", got, before)
	}
	var comment, idx string
	if err := conn.QueryRow(ctx, `SELECT obj_description('public.orders'::regclass, 'pg_class'), to_regclass('public.orders_customer_idx')::text`).Scan(&comment, &idx); err != nil {
		t.Fatal(err)
	}
	if comment != "the orders" || idx != "orders_customer_idx" {
		t.Fatalf("restored comment %q, index %q", comment, idx)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO public.orders (note) VALUES ('after')"); err != nil {
		t.Fatalf("the identity sequence does not work after the restore: %v", err)
	}
	// Restoring over a taken name is refused.
	if _, err := drift.Apply(ctx, opts); err != nil {
		t.Fatalf("second apply: %v", err)
	}
	es, err = drift.Graveyard(ctx, conn)
	if err != nil || len(es) != 1 {
		t.Fatalf("graveyard after the second drop: %+v, %v", es, err)
	}
	execSQL(t, url, "CREATE TABLE public.orders (id int)")
	if _, err := drift.RestoreGraveyard(ctx, conn, es[0].Name); err == nil || !strings.Contains(err.Error(), "public.orders exists") {
		t.Fatalf("restore over a taken name: %v", err)
	}
	// Purge by retention: a young entry stays, an old one goes.
	if gone, err := drift.PurgeGraveyard(ctx, conn, time.Hour, ""); err != nil || len(gone) != 0 {
		t.Fatalf("purge of entries older than 1h: %v, %v", gone, err)
	}
	time.Sleep(1100 * time.Millisecond)
	if gone, err := drift.PurgeGraveyard(ctx, conn, time.Second, ""); err != nil || len(gone) != 1 {
		t.Fatalf("purge of entries older than 1s: %v, %v", gone, err)
	}
	if es, err := drift.Graveyard(ctx, conn); err != nil || len(es) != 0 {
		t.Fatalf("graveyard after the purge: %+v, %v", es, err)
	}
}

// TestSoftDrop_column: with soft drop, a dropped column's values are copied with
// the primary key into the graveyard before the drop; the next plan is empty;
// restore adds the column back with its values. Over the row budget, or
// without a primary key, the plan is refused with the reason.
func TestSoftDrop_column(t *testing.T) {
	srv := pgtest.Shared(t)
	url := srv.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	execSQL(t, url, `CREATE TABLE people (id int, "Region" text, email text, PRIMARY KEY (id, "Region"));
CREATE TABLE nokey (a int, b text);
INSERT INTO people SELECT i, 'eu', 'p' || i || '@example.com' FROM generate_series(1, 5) i;
UPDATE people SET email = NULL WHERE id = 3;
INSERT INTO nokey VALUES (1, 'x');`)
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	before := tableDump(ctx, t, conn, "public.people")
	dir := writeDir(t, map[string]string{"schema.sql": `CREATE TABLE people (id int, "Region" text, PRIMARY KEY (id, "Region"));
CREATE TABLE nokey (a int, b text);`})
	opts := drift.Options{URL: url, Dir: dir, ScratchURL: srv.AdminURL(), SoftDrop: true, AllowDestructive: true, SoftDropRowBudget: 4}

	// Over the budget: refused at plan and at apply, with the reason.
	res, err := drift.Plan(ctx, opts)
	var refused *drift.RefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "soft drop cannot keep column public.people.email: its table has more than 4 rows") {
		t.Fatalf("plan over the budget: %v", err)
	}
	if !strings.Contains(res.Plan.SQL(), "-- preflight refused: soft drop cannot keep column public.people.email") {
		t.Fatalf("the plan does not say why:\n%s", res.Plan.SQL())
	}
	copies := 0
	for _, st := range res.Plan.Statements {
		if strings.Contains(st.SQL, "CREATE TABLE schemactl_graveyard.") {
			copies++
			if st.StatementTimeout != plan.DefaultStatementTimeout {
				t.Fatalf("the copy of the column has the statement timeout %s, want the long %s", st.StatementTimeout, plan.DefaultStatementTimeout)
			}
		}
	}
	if copies != 1 {
		t.Fatalf("%d statements copy a column into the graveyard, want 1:\n%s", copies, res.Plan.SQL())
	}
	if _, err := drift.Apply(ctx, opts); !errors.As(err, &refused) {
		t.Fatalf("apply over the budget: %v", err)
	}
	// With the pre-flight checks off, the count in the transaction refuses it.
	opts.PreflightTimeout = -1
	if _, err := drift.Apply(ctx, opts); err == nil || !strings.Contains(err.Error(), "more than 4 rows (the soft drop row budget)") {
		t.Fatalf("apply over the budget without pre-flight: %v", err)
	}
	if got := tableDump(ctx, t, conn, "public.people"); got != before {
		t.Fatalf("a refused apply changed the rows: %q", got)
	}
	opts.PreflightTimeout = 0

	// Without a primary key: the plan cannot keep the column.
	nk := writeDir(t, map[string]string{"schema.sql": `CREATE TABLE people (id int, "Region" text, email text, PRIMARY KEY (id, "Region"));
CREATE TABLE nokey (a int);`})
	_, err = drift.Apply(ctx, drift.Options{URL: url, Dir: nk, ScratchURL: srv.AdminURL(), SoftDrop: true, AllowDestructive: true})
	if !errors.As(err, new(*drift.UnplannableError)) || !strings.Contains(err.Error(), "soft drop cannot keep this column: table public.nokey has no primary key") {
		t.Fatalf("apply of a drop without a primary key: %v", err)
	}

	opts.SoftDropRowBudget = 0 // the default
	if _, err := drift.Apply(ctx, opts); err != nil {
		t.Fatalf("apply: %v", err)
	}
	es, err := drift.Graveyard(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Kind != "column" || es[0].Original() != "public.people.email" || es[0].Rows != 5 || es[0].Type != "text" {
		t.Fatalf("graveyard: %+v", es)
	}
	next, err := drift.Plan(ctx, opts)
	if err != nil || !next.Plan.Empty() {
		t.Fatalf("plan after the soft drop: %v\n%s", err, next.Plan.SQL())
	}
	if _, err := drift.RestoreGraveyard(ctx, conn, es[0].Name); err != nil {
		t.Fatal(err)
	}
	if got := tableDump(ctx, t, conn, "public.people"); got != before {
		t.Fatalf("restored rows %q, want %q", got, before)
	}
	if es, err := drift.Graveyard(ctx, conn); err != nil || len(es) != 0 {
		t.Fatalf("graveyard after the restore: %+v, %v", es, err)
	}
	// A column that exists is not restored over.
	if _, err := drift.Apply(ctx, opts); err != nil {
		t.Fatalf("second apply: %v", err)
	}
	es, _ = drift.Graveyard(ctx, conn)
	execSQL(t, url, "ALTER TABLE people ADD COLUMN email int")
	if _, err := drift.RestoreGraveyard(ctx, conn, es[0].Name); err == nil || !strings.Contains(err.Error(), "column public.people.email exists") {
		t.Fatalf("restore over an existing column: %v", err)
	}
}
