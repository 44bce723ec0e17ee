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

package plan

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schema-controller/drift/model"
)

// The tests of this file run Build over models built by hand: no database. Each
// checks the statements of one object kind with the facts their maker gives them
// (phase, lock, rewrite, hazards, timeouts).

func col(name, typ string) model.Column {
	return model.Column{Name: name, Type: typ, Statistics: -1}
}

func table(name string, cols ...model.Column) model.Table {
	return model.Table{Schema: "public", Name: name, ReplicaIdentity: "d", Columns: cols}
}

func public(s model.Schema) *model.Schema {
	s.Namespaces = append([]model.Namespace{{Name: "public"}}, s.Namespaces...)
	return &s
}

func build(t *testing.T, desired, live *model.Schema, opts Options) *Plan {
	t.Helper()
	p, err := Build(desired, live, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// want is what a test expects of the statement whose SQL starts with sql.
type want struct {
	sql     string
	phase   Phase
	lock    string
	rewrite bool
	hazards []Hazard
	timeout time.Duration
}

func expect(t *testing.T, p *Plan, ws ...want) {
	t.Helper()
	if len(p.Statements) != len(ws) {
		t.Fatalf("want %d statements, got %d:\n%s", len(ws), len(p.Statements), p.SQL())
	}
	for i, w := range ws {
		s := p.Statements[i]
		if !strings.HasPrefix(s.SQL, w.sql) {
			t.Errorf("statement %d: want %q…, got %q", i, w.sql, s.SQL)
			continue
		}
		if s.Phase != w.phase || s.PhaseName != w.phase.String() {
			t.Errorf("%s: phase %v (%s), want %v", s.SQL, s.Phase, s.PhaseName, w.phase)
		}
		if s.Lock != w.lock {
			t.Errorf("%s: lock %q, want %q", s.SQL, s.Lock, w.lock)
		}
		if s.Rewrite != w.rewrite {
			t.Errorf("%s: rewrite %v, want %v", s.SQL, s.Rewrite, w.rewrite)
		}
		if !slices.Equal(s.Hazards, uniqHazards(w.hazards)) {
			t.Errorf("%s: hazards %v, want %v", s.SQL, s.Hazards, uniqHazards(w.hazards))
		}
		if s.LockTimeout != DefaultLockTimeout {
			t.Errorf("%s: lock timeout %v, want the default", s.SQL, s.LockTimeout)
		}
		if w.timeout != 0 && s.StatementTimeout != w.timeout {
			t.Errorf("%s: statement timeout %v, want %v", s.SQL, s.StatementTimeout, w.timeout)
		}
	}
}

func TestBuild_emptyWhenEqual(t *testing.T) {
	s := public(model.Schema{Tables: []model.Table{table("t", col("id", "integer"))}})
	p := build(t, s, s, Options{})
	if !p.Empty() || len(p.Changes) != 0 {
		t.Fatalf("equal models plan something:\n%s%v", p.SQL(), p.Changes)
	}
	if !strings.HasPrefix(p.ID, "sha256:") {
		t.Errorf("plan id %q", p.ID)
	}
}

func TestBuild_table(t *testing.T) {
	live := public(model.Schema{})
	desired := public(model.Schema{Tables: []model.Table{table("t", col("id", "integer"))}})
	expect(t, build(t, desired, live, Options{}),
		want{sql: "CREATE TABLE public.t (", phase: PhaseTransactional, timeout: ShortStatementTimeout})
	p := build(t, live, desired, Options{})
	expect(t, p, want{sql: "DROP TABLE public.t", phase: PhaseTransactional, lock: lockAccessExclusive,
		hazards: []Hazard{DataLoss, AccessExclusiveLock}})
	if !p.Destructive() {
		t.Error("dropping a table is not destructive")
	}
}

func TestBuild_column(t *testing.T) {
	live := public(model.Schema{Tables: []model.Table{table("t", col("id", "integer"), col("gone", "text"))}})
	desired := public(model.Schema{Tables: []model.Table{table("t", col("id", "bigint"), col("added", "text"))}})
	// The conversion integer → bigint is known (assignment, not binary): the
	// column is rewritten in place without USING, and nothing is lost.
	casts := map[CastPair]Cast{{From: "integer", To: "bigint"}: {Context: "a"}}
	if got := NeededCasts(desired, live); !slices.Equal(got, []CastPair{{From: "integer", To: "bigint"}}) {
		t.Fatalf("NeededCasts: %v", got)
	}
	p := build(t, desired, live, Options{Casts: casts})
	expect(t, p,
		want{sql: "ALTER TABLE public.t ALTER COLUMN id TYPE bigint", phase: PhaseTransactional, lock: lockAccessExclusive, rewrite: true,
			hazards: []Hazard{AccessExclusiveLock, TableRewrite}, timeout: DefaultStatementTimeout},
		want{sql: "ALTER TABLE public.t ADD COLUMN added text", phase: PhaseTransactional, lock: lockAccessExclusive, hazards: []Hazard{AccessExclusiveLock}},
		want{sql: "ALTER TABLE public.t DROP COLUMN gone", phase: PhaseTransactional, lock: lockAccessExclusive, hazards: []Hazard{AccessExclusiveLock, DataLoss}},
		want{sql: "ANALYZE public.t", phase: PhaseOnline, lock: lockShareUpdateExclusive, timeout: OnlineStatementTimeout},
	)
	if strings.Contains(p.Statements[0].SQL, "USING") {
		t.Errorf("an assignment conversion got USING: %s", p.Statements[0].SQL)
	}
	// Without the cast information the change is taken as explicit only: USING,
	// and tagged as lossy.
	p = build(t, desired, live, Options{})
	if s := p.Statements[0]; !strings.Contains(s.SQL, "USING id::bigint") || !s.Destructive() {
		t.Errorf("without casts: %s %v", s.SQL, s.Hazards)
	}
}

func TestBuild_constraint(t *testing.T) {
	live := public(model.Schema{Tables: []model.Table{table("t", col("n", "integer"))}})
	dt := table("t", col("n", "integer"))
	dt.Constraints = []model.Constraint{{Name: "n_positive", Type: "c", Definition: "CHECK ((n > 0))", Validated: true}}
	desired := public(model.Schema{Tables: []model.Table{dt}})
	// Added NOT VALID in the transaction, validated online.
	p := build(t, desired, live, Options{})
	expect(t, p,
		want{sql: "ALTER TABLE public.t ADD CONSTRAINT n_positive CHECK ((n > 0)) NOT VALID", phase: PhaseTransactional, lock: lockAccessExclusive,
			timeout: ShortStatementTimeout},
		want{sql: "ALTER TABLE public.t VALIDATE CONSTRAINT n_positive", phase: PhaseOnline, lock: lockShareUpdateExclusive,
			hazards: []Hazard{ValidationScan}, timeout: OnlineStatementTimeout},
	)
	if c := p.Statements[1].Check; c == nil || c.Kind != CheckConstraint {
		t.Errorf("the validation has no pre-flight check: %+v", c)
	}
	if len(p.Statements[1].Cleanup) == 0 || !slices.Equal(p.Statements[1].Reverts, []int{0}) {
		t.Errorf("a failed validation must drop the constraint: cleanup %v reverts %v", p.Statements[1].Cleanup, p.Statements[1].Reverts)
	}
	// A foreign key takes SHARE ROW EXCLUSIVE, not ACCESS EXCLUSIVE.
	ref := table("r", col("id", "integer"))
	ref.Constraints = []model.Constraint{{Name: "r_pkey", Type: "p", Definition: "PRIMARY KEY (id)", Validated: true}}
	lt := table("t", col("r", "integer"))
	live = public(model.Schema{Tables: []model.Table{ref, lt}})
	ft := table("t", col("r", "integer"))
	ft.Constraints = []model.Constraint{{Name: "t_r_fkey", Type: "f", Definition: "FOREIGN KEY (r) REFERENCES public.r(id)", Validated: true, References: "public.r"}}
	desired = public(model.Schema{Tables: []model.Table{ref, ft}})
	p = build(t, desired, live, Options{})
	expect(t, p,
		want{sql: "ALTER TABLE public.t ADD CONSTRAINT t_r_fkey FOREIGN KEY", phase: PhaseTransactional, lock: lockShareRowExclusive},
		want{sql: "ALTER TABLE public.t VALIDATE CONSTRAINT t_r_fkey", phase: PhaseOnline, lock: lockShareUpdateExclusive, hazards: []Hazard{ValidationScan}},
	)
}

func TestBuild_index(t *testing.T) {
	live := public(model.Schema{Tables: []model.Table{table("t", col("a", "text"))}})
	desired := public(model.Schema{Tables: live.Tables, Indexes: []model.Index{{Schema: "public", Name: "t_a", Table: "public.t",
		Definition: "CREATE INDEX t_a ON public.t USING btree (a)", Valid: true}}})
	// An existing table: built CONCURRENTLY after the transaction, writes go on.
	expect(t, build(t, desired, live, Options{}),
		want{sql: "CREATE INDEX CONCURRENTLY t_a ON public.t USING btree (a)", phase: PhaseOnline, lock: lockShareUpdateExclusive,
			hazards: []Hazard{IndexBuild}, timeout: OnlineStatementTimeout})
	// A new table: built in the transaction (SHARE), nothing reads it yet.
	p := build(t, desired, public(model.Schema{}), Options{})
	var idx *Statement
	for i := range p.Statements {
		if strings.HasPrefix(p.Statements[i].SQL, "CREATE INDEX") {
			idx = &p.Statements[i]
		}
	}
	if idx == nil || idx.Phase != PhaseTransactional || idx.Lock != lockShare || strings.Contains(idx.SQL, "CONCURRENTLY") {
		t.Fatalf("index of a new table:\n%s", p.SQL())
	}
	// Dropped concurrently too.
	expect(t, build(t, live, desired, Options{}),
		want{sql: "DROP INDEX CONCURRENTLY IF EXISTS public.t_a", phase: PhaseOnline, lock: lockShareUpdateExclusive})
}

func TestBuild_enum(t *testing.T) {
	live := public(model.Schema{Enums: []model.Enum{{Schema: "public", Name: "mood", Labels: []string{"sad", "happy"}}}})
	desired := public(model.Schema{Enums: []model.Enum{{Schema: "public", Name: "mood", Labels: []string{"sad", "ok", "happy"}}}})
	// A value added in place, before the transaction (it cannot be used in the
	// transaction that adds it).
	expect(t, build(t, desired, live, Options{}),
		want{sql: "ALTER TYPE public.mood ADD VALUE IF NOT EXISTS 'ok' BEFORE 'happy'", phase: PhasePre})
	// A value removed: the type is swapped, which is destructive.
	p := build(t, live, desired, Options{})
	if !p.Destructive() || !strings.Contains(p.SQL(), "CREATE TYPE public.mood__schemactl_new AS ENUM ('sad', 'happy')") {
		t.Fatalf("removing an enum value:\n%s", p.SQL())
	}
	expect(t, build(t, public(model.Schema{}), live, Options{}),
		want{sql: "DROP TYPE public.mood", phase: PhaseTransactional, hazards: []Hazard{DataLoss}})
}

func TestBuild_view(t *testing.T) {
	base := table("t", col("a", "integer"))
	v := model.View{Schema: "public", Name: "v", Definition: " SELECT a\n   FROM public.t;", Columns: []model.ViewColumn{{Name: "a"}}}
	live := public(model.Schema{Tables: []model.Table{base}})
	desired := public(model.Schema{Tables: []model.Table{base}, Views: []model.View{v}})
	expect(t, build(t, desired, live, Options{}),
		want{sql: "CREATE VIEW public.v AS\n SELECT a", phase: PhaseTransactional, timeout: ShortStatementTimeout})
	// A materialized view runs its query: created WITH NO DATA and refreshed
	// under the long timeout.
	m := v
	m.Materialized, m.Populated = true, true
	desired = public(model.Schema{Tables: []model.Table{base}, Views: []model.View{m}})
	p := build(t, desired, live, Options{})
	var refresh *Statement
	for i := range p.Statements {
		if strings.HasPrefix(p.Statements[i].SQL, "REFRESH MATERIALIZED VIEW public.v") {
			refresh = &p.Statements[i]
		}
	}
	if refresh == nil || refresh.Lock != lockAccessExclusive || refresh.StatementTimeout != DefaultStatementTimeout || !hasHazard(refresh.Hazards, ViewRefresh) {
		t.Fatalf("materialized view:\n%s", p.SQL())
	}
	// Views that go are dropped under ACCESS EXCLUSIVE.
	expect(t, build(t, live, public(model.Schema{Tables: []model.Table{base}, Views: []model.View{v}}), Options{}),
		want{sql: "DROP VIEW public.v", phase: PhaseTransactional, lock: lockAccessExclusive, hazards: []Hazard{AccessExclusiveLock}})
}

func TestBuild_function(t *testing.T) {
	f := model.Function{Schema: "public", Name: "one", Signature: "public.one()", Kind: "f", Result: "integer",
		Definition: "CREATE OR REPLACE FUNCTION public.one()\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT 1$function$\n"}
	live := public(model.Schema{})
	desired := public(model.Schema{Functions: []model.Function{f}})
	p := build(t, desired, live, Options{})
	expect(t, p,
		want{sql: "SET LOCAL check_function_bodies = off", phase: PhaseTransactional},
		want{sql: "CREATE OR REPLACE FUNCTION public.one()", phase: PhaseTransactional, timeout: ShortStatementTimeout})
	if strings.HasSuffix(p.Statements[1].SQL, ";") || strings.HasSuffix(p.Statements[1].SQL, "\n") {
		t.Errorf("the definition keeps its terminator: %q", p.Statements[1].SQL)
	}
	p = build(t, live, desired, Options{})
	if len(p.Statements) != 1 || !strings.HasPrefix(p.Statements[0].SQL, "DROP FUNCTION public.one()") {
		t.Fatalf("dropping a function:\n%s", p.SQL())
	}
}

// TestBuild_timeoutsFromOptions: the options' timeouts reach every statement, and a
// catalog-only change never gets more than the short timeout.
func TestBuild_timeoutsFromOptions(t *testing.T) {
	live := public(model.Schema{Tables: []model.Table{table("t", col("a", "text"))}})
	desired := public(model.Schema{Tables: live.Tables, Indexes: []model.Index{{Schema: "public", Name: "t_a", Table: "public.t",
		Definition: "CREATE INDEX t_a ON public.t USING btree (a)", Valid: true}}})
	desired.Tables = []model.Table{table("t", col("a", "text"), col("b", "text"))}
	p := build(t, desired, live, Options{LockTimeout: 2 * time.Second, StatementTimeout: 10 * time.Second})
	for _, s := range p.Statements {
		if s.LockTimeout != 2*time.Second || s.LockTimeoutText != "2s" {
			t.Errorf("%s: lock timeout %v (%s)", s.SQL, s.LockTimeout, s.LockTimeoutText)
		}
		if s.Phase == PhaseTransactional && s.StatementTimeout != 10*time.Second {
			t.Errorf("%s: statement timeout %v, want min(short, 10s)", s.SQL, s.StatementTimeout)
		}
	}
}

// TestBuild_statementTable: the statements that alter or drop one existing table
// name it in Statement.Table (apply locks it first); a DROP TABLE of several tables
// and statements on other objects name none.
func TestBuild_statementTable(t *testing.T) {
	live := public(model.Schema{Tables: []model.Table{
		table("t", col("id", "integer"), col("gone", "text")), table("a"), table("b"),
	}})
	desired := public(model.Schema{Tables: []model.Table{table("t", col("id", "integer"))},
		Indexes: []model.Index{{Schema: "public", Name: "t_id", Table: "public.t", Valid: true,
			Definition: "CREATE INDEX t_id ON public.t USING btree (id)"}}})
	p := build(t, desired, live, Options{})
	got := map[string]string{}
	for _, s := range p.Statements {
		got[s.SQL] = s.Table
	}
	want := map[string]string{
		"ALTER TABLE public.t DROP COLUMN gone":                       "public.t",
		"DROP TABLE public.a, public.b":                               "",
		"CREATE INDEX CONCURRENTLY t_id ON public.t USING btree (id)": "",
	}
	if len(got) != len(want) {
		t.Fatalf("got statements %q", got)
	}
	for sql, table := range want {
		if tb, ok := got[sql]; !ok || tb != table {
			t.Errorf("%s: table %q (present %v), want %q", sql, tb, ok, table)
		}
	}
	// One table dropped alone is named.
	p = build(t, public(model.Schema{}), public(model.Schema{Tables: []model.Table{table("a")}}), Options{})
	if len(p.Statements) != 1 || p.Statements[0].Table != "public.a" {
		t.Errorf("DROP TABLE of one table: got %+v", p.Statements)
	}
}

// TestBuild_newColumnNotNullCheckMatchesDomainExactly: the pre-flight count of a new
// NOT NULL column is left out only when the column's own domain (by its exact
// qualified name) gives the rows a default: not for a domain of the same name in
// another schema, one whose name ends the same way, or an array of the domain.
func TestBuild_newColumnNotNullCheckMatchesDomainExactly(t *testing.T) {
	domains := []model.Domain{
		{Schema: "a", Name: "code", Type: "text", Default: "'x'::text"},
		{Schema: "b", Name: "code", Type: "text"},
		{Schema: "public", Name: "code", Type: "text", Default: "'x'::text"},
		{Schema: "public", Name: "country_code", Type: "text"},
		{Schema: "public", Name: "short_code", Type: "public.code"},
		{Schema: "public", Name: "qty", Type: "integer", NotNull: true},
	}
	for _, tc := range []struct {
		typ     string
		notNull bool
		checked bool
	}{
		{"a.code", true, false},
		{"b.code", true, true},
		{"public.code", true, false},
		{"public.country_code", true, true},
		{"public.short_code", true, false},
		{"public.code[]", true, true},
		{"text", true, true},
		{"public.qty", false, true},
		{"public.code", false, false},
	} {
		c := col("n", tc.typ)
		c.NotNull = tc.notNull
		live := public(model.Schema{Domains: domains, Tables: []model.Table{table("t", col("id", "integer"))}})
		desired := public(model.Schema{Domains: domains, Tables: []model.Table{table("t", col("id", "integer"), c)}})
		p := build(t, desired, live, Options{})
		if len(p.Statements) == 0 {
			t.Fatalf("%s: no statement", tc.typ)
		}
		if got := p.Statements[0].Check != nil; got != tc.checked {
			t.Errorf("column of type %s (not null %v): checked %v, want %v", tc.typ, tc.notNull, got, tc.checked)
		}
	}
}
