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

package inspect_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// small is the schema TestInspect reads back.
const small = `
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';
CREATE TYPE app.status AS ENUM ('new', 'paid', 'shipped');
CREATE SEQUENCE app.ticket START 100 INCREMENT 5 MINVALUE 1 MAXVALUE 1000 CACHE 2 CYCLE;
CREATE TABLE app.customer (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text COLLATE "C" NOT NULL,
  CONSTRAINT customer_email_key UNIQUE (email)
);
CREATE TABLE app.orders (
  id integer PRIMARY KEY,
  customer bigint,
  status app.status NOT NULL DEFAULT 'new',
  qty integer CHECK (qty > 0),
  total numeric(10,2),
  note varchar(40)
);
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer) REFERENCES app.customer (id) NOT VALID;
ALTER TABLE app.orders ALTER COLUMN note SET STATISTICS 200;
COMMENT ON TABLE app.orders IS 'one row per order';
COMMENT ON COLUMN app.orders.qty IS 'items';
CREATE INDEX orders_status ON app.orders (status) WHERE qty > 1;
CREATE VIEW app.big_orders AS SELECT id, qty FROM app.orders WHERE qty > 10;
CREATE FUNCTION app.double(n integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT n * 2';
`

// loaded connects to a new database of the shared server that holds sql; the
// connection is closed and the context cancelled when the test ends.
func loaded(t *testing.T, sql string) (context.Context, *pgx.Conn) {
	t.Helper()
	url := pgtest.Shared(t).NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
	return ctx, conn
}

// TestInspect inspects a small schema in a real database and checks the model field
// by field.
func TestInspect(t *testing.T) {
	ctx, conn := loaded(t, small)
	s, err := inspect.Inspect(ctx, conn, inspect.Options{Schemas: []string{"app"}})
	if err != nil {
		t.Fatal(err)
	}
	// The version comes from the startup's server_version, the transaction ends
	// with the batch of catalog queries: the session is idle again.
	var num int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&num); err != nil {
		t.Fatal(err)
	}
	if s.ServerVersion != num || num < 150000 {
		t.Errorf("server version %d, server_version_num %d", s.ServerVersion, num)
	}
	if st := conn.PgConn().TxStatus(); st != 'I' {
		t.Errorf("transaction status after inspecting %q, want idle", st)
	}
	if len(s.Namespaces) != 1 || s.Namespaces[0] != (model.Namespace{Name: "app", Comment: "the application"}) {
		t.Errorf("namespaces %+v", s.Namespaces)
	}
	if len(s.Enums) != 1 || s.Enums[0].Schema != "app" || s.Enums[0].Name != "status" || !slices.Equal(s.Enums[0].Labels, []string{"new", "paid", "shipped"}) {
		t.Errorf("enums %+v", s.Enums)
	}
	var seq *model.Sequence
	for i := range s.Sequences {
		if s.Sequences[i].Name == "ticket" {
			seq = &s.Sequences[i]
		}
	}
	if seq == nil {
		t.Fatalf("sequence app.ticket missing: %+v", s.Sequences)
	}
	if seq.Type != "bigint" || seq.Start != 100 || seq.Increment != 5 || seq.Min != 1 || seq.Max != 1000 || seq.Cache != 2 || !seq.Cycle || seq.OwnedBy != "" {
		t.Errorf("sequence %+v", *seq)
	}
	tables := map[string]*model.Table{}
	for i := range s.Tables {
		tables[s.Tables[i].Name] = &s.Tables[i]
	}
	if len(tables) != 2 || tables["customer"] == nil || tables["orders"] == nil {
		t.Fatalf("tables %v", tables)
	}
	cu := tables["customer"]
	id := cu.Column("id")
	if id == nil || id.Type != "bigint" || !id.NotNull || id.Identity != "a" || id.IdentityOptions == nil {
		t.Fatalf("customer.id %+v", id)
	}
	if email := cu.Column("email"); email == nil || email.Type != "text" || email.Collation != `"C"` && email.Collation != "pg_catalog.\"C\"" || !email.NotNull {
		t.Errorf("customer.email %+v", email)
	}
	o := tables["orders"]
	if o.Schema != "app" || o.Comment != "one row per order" || o.ReplicaIdentity != "d" || o.PartitionKey != "" || o.Unlogged {
		t.Errorf("orders %+v", *o)
	}
	names := make([]string, len(o.Columns))
	for i, c := range o.Columns {
		names[i] = c.Name
	}
	if !slices.Equal(names, []string{"id", "customer", "status", "qty", "total", "note"}) {
		t.Errorf("orders columns in order: %v", names)
	}
	for _, c := range []struct {
		name, typ, def string
		notNull        bool
		stats          int
		comment        string
	}{
		{"id", "integer", "", true, -1, ""},
		{"customer", "bigint", "", false, -1, ""},
		{"status", "app.status", "'new'::app.status", true, -1, ""},
		{"qty", "integer", "", false, -1, "items"},
		{"total", "numeric(10,2)", "", false, -1, ""},
		{"note", "character varying(40)", "", false, 200, ""},
	} {
		got := o.Column(c.name)
		if got.Type != c.typ || got.Default != c.def || got.NotNull != c.notNull || got.Statistics != c.stats || got.Comment != c.comment ||
			got.Identity != "" || got.Generated != "" || got.Inherited {
			t.Errorf("orders.%s: %+v, want type %q default %q not null %v statistics %d comment %q", c.name, *got, c.typ, c.def, c.notNull, c.stats, c.comment)
		}
	}
	cons := map[string]model.Constraint{}
	for _, c := range o.Constraints {
		cons[c.Name] = c
	}
	if c := cons["orders_pkey"]; c.Type != "p" || c.Definition != "PRIMARY KEY (id)" || !c.Validated {
		t.Errorf("orders_pkey %+v", c)
	}
	if c := cons["orders_customer_fkey"]; c.Type != "f" || c.Definition != "FOREIGN KEY (customer) REFERENCES app.customer(id)" || c.Validated ||
		c.References != "app.customer" {
		t.Errorf("orders_customer_fkey %+v", c)
	}
	if c := cons["orders_qty_check"]; c.Type != "c" || c.Definition != "CHECK ((qty > 0))" || !c.Validated {
		t.Errorf("orders_qty_check %+v", c)
	}
	if len(cons) != 3 {
		t.Errorf("orders constraints %v", o.Constraints)
	}
	var idx *model.Index
	for i := range s.Indexes {
		if s.Indexes[i].Name == "orders_status" {
			idx = &s.Indexes[i]
		}
	}
	if idx == nil || idx.Schema != "app" || idx.Table != "app.orders" || idx.Unique || !idx.Valid ||
		idx.Definition != "CREATE INDEX orders_status ON app.orders USING btree (status) WHERE (qty > 1)" {
		t.Errorf("index orders_status %+v", idx)
	}
	for _, x := range s.Indexes {
		if x.Name == "orders_pkey" || x.Name == "customer_email_key" {
			t.Errorf("the index of constraint %s is listed as an index of its own", x.Name)
		}
	}
	if len(s.Views) != 1 || s.Views[0].Name != "big_orders" || s.Views[0].Materialized || len(s.Views[0].Columns) != 2 ||
		s.Views[0].Columns[0].Name != "id" || s.Views[0].Columns[1].Name != "qty" {
		t.Errorf("views %+v", s.Views)
	}
	if len(s.Functions) != 1 || s.Functions[0].Name != "double" || s.Functions[0].Arguments != "n integer" || s.Functions[0].Result != "integer" {
		t.Errorf("functions %+v", s.Functions)
	}
	// The same database inspected again gives the same model.
	again, err := inspect.Inspect(ctx, conn, inspect.Options{Schemas: []string{"app"}})
	if err != nil {
		t.Fatal(err)
	}
	if again.Fingerprint() != s.Fingerprint() {
		t.Error("two inspections of an unchanged database differ")
	}
	// Excluded objects are left out.
	ex, err := inspect.Inspect(ctx, conn, inspect.Options{Schemas: []string{"app"}, Exclude: []string{"app.customer"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range ex.Tables {
		if tb.Name == "customer" {
			t.Error("an excluded table was inspected")
		}
	}
}

// TestPlanningDetails_deferred: a schema inspected with DeferPlanningDetails has
// no dependencies and no sequence positions, and PlanningDetails reads the same
// ones a full inspection does, in one round trip that leaves the session idle.
func TestPlanningDetails_deferred(t *testing.T) {
	ctx, conn := loaded(t, small+`
CREATE VIEW app.doubled AS SELECT id, app.double(qty) AS qty2 FROM app.big_orders;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER orders_touch BEFORE UPDATE OF qty ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE SEQUENCE app."order" START 7;
SELECT nextval('app.ticket'), nextval('app.ticket'), nextval('app."order"');
INSERT INTO app.customer (email) VALUES ('a@example.com'), ('b@example.com');
`)
	opts := inspect.Options{Schemas: []string{"app"}}
	full, err := inspect.Inspect(ctx, conn, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Dependencies) < 4 {
		t.Fatalf("a full inspection found %d dependencies: %+v", len(full.Dependencies), full.Dependencies)
	}
	positions := func(s *model.Schema) map[string]*model.SequencePosition {
		out := map[string]*model.SequencePosition{}
		for _, q := range s.Sequences {
			out[q.Name] = q.Position
		}
		for _, tb := range s.Tables {
			for _, c := range tb.Columns {
				if c.IdentityOptions != nil {
					out[tb.Name+"."+c.Name] = c.IdentityOptions.Position
				}
			}
		}
		return out
	}
	want := positions(full)
	for name, p := range map[string]model.SequencePosition{
		"ticket":      {LastValue: 105, Called: true},
		"order":       {LastValue: 7, Called: true},
		"customer.id": {LastValue: 2, Called: true},
	} {
		if got := want[name]; got == nil || *got != p {
			t.Errorf("full inspection: position of %s %+v, want %+v", name, got, p)
		}
	}
	deferred := opts
	deferred.DeferPlanningDetails = true
	s, err := inspect.Inspect(ctx, conn, deferred)
	if err != nil {
		t.Fatal(err)
	}
	if s.Dependencies != nil {
		t.Errorf("deferred inspection read dependencies: %+v", s.Dependencies)
	}
	for name, p := range positions(s) {
		if p != nil {
			t.Errorf("deferred inspection read the position of %s: %+v", name, *p)
		}
	}
	if len(s.Views) != len(full.Views) || len(s.Tables) != len(full.Tables) || len(s.Triggers) != len(full.Triggers) || len(s.Sequences) != len(full.Sequences) {
		t.Errorf("deferred inspection differs beyond planning details: %d/%d views, %d/%d tables, %d/%d triggers, %d/%d sequences",
			len(s.Views), len(full.Views), len(s.Tables), len(full.Tables), len(s.Triggers), len(full.Triggers), len(s.Sequences), len(full.Sequences))
	}
	if err := inspect.PlanningDetails(ctx, conn, opts, s); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Dependencies, full.Dependencies) {
		t.Errorf("PlanningDetails dependencies:\n%+v\nfull inspection:\n%+v", s.Dependencies, full.Dependencies)
	}
	got := positions(s)
	if len(got) != len(want) {
		t.Errorf("PlanningDetails positions %v, full inspection %v", got, want)
	}
	for name, p := range want {
		if got[name] == nil || *got[name] != *p {
			t.Errorf("PlanningDetails: position of %s %+v, full inspection %+v", name, got[name], p)
		}
	}
	if st := conn.PgConn().TxStatus(); st != 'I' {
		t.Errorf("transaction status after PlanningDetails %q, want idle", st)
	}
}
