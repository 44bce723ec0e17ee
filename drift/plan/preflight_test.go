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
	"strings"
	"testing"

	"github.com/schemactl/schema-controller/drift/model"
)

func TestIndexUniqueCheck_query(t *testing.T) {
	for _, tc := range []struct{ def, want string }{
		{"CREATE UNIQUE INDEX i ON public.t USING btree (email)",
			"SELECT count(*), coalesce(max(n), 0)::bigint FROM (SELECT count(*) AS n FROM public.t WHERE email IS NOT NULL GROUP BY email HAVING count(*) > 1) d"},
		{"CREATE UNIQUE INDEX i ON public.t USING btree (lower(email) text_pattern_ops DESC, b) WHERE (deleted_at IS NULL)",
			"SELECT count(*), coalesce(max(n), 0)::bigint FROM (SELECT count(*) AS n FROM public.t WHERE lower(email) IS NOT NULL AND b IS NOT NULL AND ((deleted_at IS NULL)) GROUP BY lower(email), b HAVING count(*) > 1) d"},
		{"CREATE UNIQUE INDEX i ON public.t USING btree (a COLLATE \"C\") NULLS NOT DISTINCT",
			"SELECT count(*), coalesce(max(n), 0)::bigint FROM (SELECT count(*) AS n FROM public.t GROUP BY a COLLATE \"C\" HAVING count(*) > 1) d"},
	} {
		c := indexUniqueCheck("public.t", "index public.i", tc.def)
		if c == nil || c.Query != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.def, c, tc.want)
		}
	}
	if indexUniqueCheck("public.t", "index public.i", "CREATE INDEX i ON public.t USING btree (a)") != nil {
		t.Error("a plain index got a duplicate check")
	}
}

func TestCheck_refusal(t *testing.T) {
	c := notNullCheck("public.t", "public", "t", "more")
	if got := c.Refusal(3, 0); got != "column public.t.more has 3 NULLs; NOT NULL cannot be added" {
		t.Error(got)
	}
	if got := c.Refusal(1, 0); got != "column public.t.more has 1 NULL; NOT NULL cannot be added" {
		t.Error(got)
	}
	k := keyCheck("public.t", "constraint t_pkey on public.t", "PRIMARY KEY (id)")
	if k == nil || k.Query != "SELECT count(*), coalesce(max(n), 0)::bigint FROM (SELECT count(*) AS n FROM public.t GROUP BY id HAVING count(*) > 1) d" {
		t.Errorf("primary key check: %+v", k)
	}
}

func TestConstraintCheck_noInheritReadsOwnRows(t *testing.T) {
	for _, tc := range []struct{ def, want string }{
		{"CHECK ((qty > 0))", "SELECT count(*), 0::bigint FROM public.t WHERE NOT ((qty > 0))"},
		{"CHECK ((qty < 10)) NO INHERIT", "SELECT count(*), 0::bigint FROM ONLY public.t WHERE NOT ((qty < 10))"},
		{"CHECK ((note <> 'NO INHERIT'::text))", "SELECT count(*), 0::bigint FROM public.t WHERE NOT ((note <> 'NO INHERIT'::text))"},
	} {
		c := constraintCheck("public.t", "constraint c on public.t", tc.def)
		if c == nil || c.Query != tc.want {
			t.Errorf("%s:\n got %+v\nwant %s", tc.def, c, tc.want)
		}
	}
}

func TestEnumValuesCheck_refusalNamesTablesAndValues(t *testing.T) {
	one := enumValuesCheck("public.t", []string{"public.t"}, false, "public.t.s", "s", false, "public.st", []string{"held", "sent"})
	if want := "SELECT count(*), coalesce(bit_or(1::bigint << least(63, pg_catalog.array_position(ARRAY['held', 'sent']::public.st[], r.s) - 1)), 0)::bigint FROM public.t r WHERE r.s = ANY (ARRAY['held', 'sent']::public.st[])"; one.Query != want {
		t.Errorf("query:\n got %s\nwant %s", one.Query, want)
	}
	for _, tc := range []struct {
		c     *Check
		n     int64
		found int64
		want  string
	}{
		{one, 1, 0b10, "column public.t.s has 1 row holding 'sent', which Git removes from type public.st; the type cannot be changed while rows hold it"},
		{one, 3, 0b11, "column public.t.s has 3 rows holding 'held', 'sent', which Git removes from type public.st; the type cannot be changed while rows hold them"},
		{enumValuesCheck("public.p", []string{"public.p", "public.p1", "public.p2"}, false, "public.p.s", "s", true, "public.st", []string{"held", "sent"}),
			2, 0b110100, "column public.p.s has 2 rows holding 'held' (in public.p1); 'held', 'sent' (in public.p2), which Git removes from type public.st; the type cannot be changed while rows hold them"},
		{one, 70, -1 << 63, "column public.t.s has 70 rows holding other values, which Git removes from type public.st; the type cannot be changed while rows hold them"},
	} {
		if got := tc.c.Refusal(tc.n, tc.found); got != tc.want {
			t.Errorf("Refusal(%d, %b):\n got %s\nwant %s", tc.n, tc.found, got, tc.want)
		}
	}
}

func TestDomainRefusal_namesColumns(t *testing.T) {
	cols := []domainColumn{{"public.t", "q", "public.t.q"}, {"public.u", "q", "public.u.q"}}
	b := &builder{}
	d := &model.Domain{Schema: "public", Name: "qty", Type: "integer"}
	nn := b.domainNotNullCheck(d, cols)
	if got, want := nn.Refusal(3, 0b11), "domain public.qty has 3 NULLs in columns public.t.q, public.u.q; NOT NULL cannot be set"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	ck := b.domainCheckCheck(d, model.DomainCheck{Name: "qty_positive", Definition: "CHECK ((VALUE > 0))"}, cols)
	if got, want := ck.Refusal(1, 0b10), "domain public.qty has 1 value in column public.u.q violating CHECK ((VALUE > 0)); check qty_positive of domain public.qty cannot be validated"; got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if b.domainCheckCheck(d, model.DomainCheck{Name: "x", Definition: "CHECK ((VALUE > 0))"}, nil) != nil {
		t.Error("a check over no column")
	}
}

// A conversion to a domain of Git with constraints counts the values that would
// violate them (the domain's and those under it), converted to the base type; a
// USING of its own, or no constraint, keeps the conversion check.
func TestConvertCheck_domainConstraints(t *testing.T) {
	b := &builder{desired: &model.Schema{Domains: []model.Domain{
		{Schema: "public", Name: "qty", Type: "integer", Checks: []model.DomainCheck{{Name: "qty_check", Definition: "CHECK ((VALUE >= 0))"}}},
		{Schema: "public", Name: "small", Type: "public.qty", NotNull: true},
		{Schema: "public", Name: "plain", Type: "text"},
	}}}
	c := b.convertCheck("public.t", "public", "t", "n", "public.small", "")
	if want := "SELECT count(*)::bigint, 0::bigint FROM (SELECT n::integer AS value FROM public.t r) v WHERE value IS NULL OR NOT ((VALUE >= 0))"; c.Query != want {
		t.Errorf("query:\n got %s\nwant %s", c.Query, want)
	}
	if got, want := c.Refusal(2, 0), "column public.t.n has 2 values violating domain public.small (NOT NULL, CHECK ((VALUE >= 0))); the type cannot be changed"; got != want {
		t.Errorf("refusal:\n got %s\nwant %s", got, want)
	}
	if c := b.convertCheck("public.t", "public", "t", "n", "public.small", "n::text::public.small"); !strings.Contains(c.Query, "SELECT n::text::integer AS value") {
		t.Errorf("the statement's USING, ending in the domain, converts to the base type: %s", c.Query)
	}
	if c := b.convertCheck("public.t", "public", "t", "n", "public.small", "CASE WHEN n < 0 THEN 0 ELSE n END"); !strings.Contains(c.Query, "SELECT (CASE WHEN n < 0 THEN 0 ELSE n END)::integer AS value") || c.What == "" {
		t.Errorf("any other USING is converted whole to the base type, and the domain's constraints counted: %s", c.Query)
	}
	for _, tc := range []struct{ typ, using string }{{"public.plain", ""}, {"integer", ""}} {
		if c, want := b.convertCheck("public.t", "public", "t", "n", tc.typ, tc.using), typeCheck("public.t", "public", "t", "n", tc.typ, tc.using); c.Query != want.Query {
			t.Errorf("%s USING %q: got %s, want the conversion check %s", tc.typ, tc.using, c.Query, want.Query)
		}
	}
}
