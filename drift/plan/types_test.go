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

	"github.com/schemactl/schema-controller/drift/model"
)

// testKind knows one enum and citext in public, as a builder would from the schemas.
func testKind(t string) typeKind {
	switch t {
	case "public.mood":
		return kindEnum
	case "public.citext":
		return kindCitext
	}
	return kindOther
}

var (
	binary   = Cast{Context: "i", Binary: true}
	function = Cast{Context: "i"}
	assign   = Cast{Context: "a"}
)

// TestClassifyTypeChange has one row per row of the table of exact conversions
// (exact: true) and one per kind of change refused as DataLoss, with the rewrite
// PostgreSQL does. drift/lossy_test.go proves the same rows against the server.
func TestClassifyTypeChange(t *testing.T) {
	for _, c := range []struct {
		from, to string
		cast     Cast
		rewrite  bool
		exact    bool
	}{
		// Same type, other modifier.
		{"character varying(10)", "character varying(20)", binary, false, true},
		{"character varying(10)", "character varying(10)", binary, false, true},
		{"character varying(10)", "character varying", binary, false, true},
		{"character varying(20)", "character varying(10)", binary, true, false},
		{"character varying", "character varying(10)", binary, true, false},
		{"bit varying(4)", "bit varying(8)", binary, false, true},
		{"bit varying(4)", "bit varying", binary, false, true},
		{"bit varying(8)", "bit varying(4)", binary, true, false},
		{"numeric(10,2)", "numeric(14,2)", binary, false, true},
		{"numeric(10,2)", "numeric", binary, false, true},
		{"numeric(14,2)", "numeric(10,2)", binary, true, false},
		{"numeric(10,2)", "numeric(12,4)", binary, true, false}, // 1.50 reads 1.5000
		{"numeric(10,2)", "numeric(10,1)", binary, true, false},
		{"numeric", "numeric(20,2)", binary, true, false},
		{"timestamp(3) without time zone", "timestamp(6) without time zone", binary, false, true},
		{"timestamp(3) without time zone", "timestamp without time zone", binary, false, true},
		{"timestamp without time zone", "timestamp(6) without time zone", binary, false, true},
		{"timestamp without time zone", "timestamp(3) without time zone", binary, true, false},
		{"timestamp(3) with time zone", "timestamp(5) with time zone", binary, false, true},
		{"timestamp(5) with time zone", "timestamp(2) with time zone", binary, true, false},
		{"time(2) without time zone", "time(4) without time zone", binary, false, true},
		{"time without time zone", "time(0) without time zone", binary, true, false},
		{"time(2) with time zone", "time with time zone", binary, false, true},
		{"interval(2)", "interval(5)", binary, false, true},
		{"interval", "interval(3)", binary, true, false},
		{"interval day to second(2)", "interval day to second(4)", binary, false, true},
		{"character(3)", "character(5)", binary, true, false}, // pads: 'ab ' reads 'ab   '
		{"character(5)", "character(3)", binary, true, false},
		{"bit(4)", "bit(8)", binary, true, false}, // fails on every value
		// Other types.
		{"smallint", "integer", function, true, true},
		{"smallint", "bigint", function, true, true},
		{"integer", "bigint", function, true, true},
		{"bigint", "integer", function, true, false},
		{"integer", "smallint", function, true, false},
		{"smallint", "numeric", function, true, true},
		{"integer", "numeric", function, true, true},
		{"bigint", "numeric", function, true, true},
		{"integer", "numeric(10,0)", function, true, true},
		{"bigint", "numeric(19,0)", function, true, true},
		{"bigint", "numeric(18,0)", function, true, false},
		{"integer", "numeric(12,2)", function, true, false}, // 5 reads 5.00
		{"character varying(10)", "text", binary, false, true},
		{"character varying", "text", binary, false, true},
		{"text", "character varying", binary, false, true},
		{"name", "text", function, true, true},
		{"name", "character varying", function, true, true},
		{"public.citext", "text", binary, false, true},
		{"public.mood", "text", assign, true, true},
		{"integer", "text", assign, true, true},
		{"bigint", "character varying", assign, true, true},
		{"numeric(10,2)", "text", assign, true, true},
		{"uuid", "text", assign, true, true},
		{"json", "text", assign, true, true},
		{"jsonb", "text", assign, true, true},
		{"text", "public.citext", binary, false, true},
		{"character varying(20)", "public.citext", binary, false, true},
		{"jsonb", "json", assign, true, true},
		{"bit(4)", "bit varying(4)", binary, true, true},
		{"bit(4)", "bit varying", binary, false, true},
		{"bit(8)", "bit varying(4)", binary, true, false},
		// Refused: DataLoss.
		{"text", "name", function, true, false},
		{"character varying(10)", "name", function, true, false},
		{"json", "jsonb", assign, true, false},
		{"text", "character(5)", function, true, false},
		{"character(5)", "text", function, true, false},
		{"character(5)", "character varying", function, true, false},
		{"text", "character varying(10)", binary, true, false},
		{"integer", "character varying(5)", assign, true, false},
		{"real", "double precision", function, true, false},
		{"double precision", "real", function, true, false},
		{"bigint", "double precision", function, true, false},
		{"numeric", "double precision", function, true, false},
		{"double precision", "text", assign, true, false},
		{"boolean", "text", function, true, false},
		{"date", "text", assign, true, false},
		{"timestamp with time zone", "text", assign, true, false},
		{"timestamp without time zone", "timestamp with time zone", function, true, false},
		{"timestamp with time zone", "timestamp without time zone", function, true, false},
		{"date", "timestamp without time zone", function, true, false},
		{"cidr", "inet", binary, false, false},
		{"inet", "text", function, true, false},
		{"text", "public.mood", Cast{Context: "e"}, true, false},
		{"public.mood", "public.other", Cast{Context: "via-text"}, true, false},
		{"interval", "interval year to month", binary, true, false},
		{"interval year to month", "interval", binary, false, false}, // exact, but not in the table
		{"public.vector(3)", "public.vector(4)", function, true, false},
		{"public.text", "text", binary, false, false}, // a user type named text is not text
		{"integer", "integer[]", Cast{}, true, false},
		// Arrays element by element; always rewritten.
		{"character varying(20)[]", "text[]", binary, true, true},
		{"integer[]", "bigint[]", function, true, true},
		{"text[]", "name[]", function, true, false},
	} {
		rewrite, lossy := classifyTypeChange(c.from, c.to, c.cast, testKind)
		if rewrite != c.rewrite || lossy == c.exact {
			t.Errorf("%s → %s: got rewrite %v, lossy %v; want rewrite %v, lossy %v", c.from, c.to, rewrite, lossy, c.rewrite, !c.exact)
		}
	}
}

// TestTypeChangeHazards plans column changes through the builder: domains resolve to
// their base types, a constrained domain may reject values, USING is always DataLoss.
func TestTypeChangeHazards(t *testing.T) {
	domains := []model.Domain{
		{Schema: "public", Name: "label", Type: "character varying(20)"},
		{Schema: "public", Name: "email", Type: "text", Checks: []model.DomainCheck{{Name: "email_at", Definition: "CHECK (VALUE ~ '@')", Validated: true}}},
		{Schema: "public", Name: "required", Type: "text", NotNull: true},
	}
	for _, c := range []struct {
		from, to string
		cast     Cast
		want     []Hazard
	}{
		{"public.label", "text", binary, nil},
		{"character varying(10)", "public.label", binary, nil},
		{"character varying(30)", "public.label", binary, []Hazard{TableRewrite, DataLoss}},
		{"text", "public.email", binary, []Hazard{TableRewrite, DataLoss}},
		{"text", "public.required", binary, []Hazard{TableRewrite, DataLoss}},
		{"public.email", "text", binary, nil},
		{"public.label[]", "text[]", binary, []Hazard{TableRewrite}},
		{"integer", "bigint", Cast{Context: "e"}, []Hazard{TableRewrite, DataLoss}}, // USING
		{"text", "integer", Cast{Context: "e"}, []Hazard{TableRewrite, DataLoss}},
	} {
		live := &model.Schema{Domains: domains, Tables: []model.Table{{Schema: "public", Name: "t", Columns: []model.Column{{Name: "c", Type: c.from}}}}}
		desired := &model.Schema{Domains: domains, Tables: []model.Table{{Schema: "public", Name: "t", Columns: []model.Column{{Name: "c", Type: c.to}}}}}
		b := &builder{desired: desired, live: live, opts: Options{Casts: fixedCasts(desired, live, c.cast)}}
		_, hz, err := b.typeChange(&desired.Tables[0], &live.Tables[0].Columns[0], &desired.Tables[0].Columns[0])
		if err != nil {
			t.Fatal(err)
		}
		want := uniqHazards(append([]Hazard{AccessExclusiveLock}, c.want...))
		if !slices.Equal(uniqHazards(hz), want) {
			t.Errorf("%s → %s: hazards %v, want %v", c.from, c.to, uniqHazards(hz), want)
		}
	}
}

// fixedCasts answers every conversion the plan from live to desired needs with c.
func fixedCasts(desired, live *model.Schema, c Cast) map[CastPair]Cast {
	out := map[CastPair]Cast{}
	for _, p := range NeededCasts(desired, live) {
		out[p] = c
	}
	return out
}

// TestCompositeAttributeTypeChange: a composite type's attribute follows the same
// table as a column (no table stores the type, or the change is refused).
func TestCompositeAttributeTypeChange(t *testing.T) {
	for _, c := range []struct {
		from, to string
		lossy    bool
	}{
		{"integer", "bigint", false},
		{"character varying(10)", "text", false},
		{"text", "name", true},
		{"json", "jsonb", true},
	} {
		schema := func(typ string) *model.Schema {
			return &model.Schema{Namespaces: []model.Namespace{{Name: "public"}}, CompositeTypes: []model.CompositeType{
				{Schema: "public", Name: "pair", Attributes: []model.Attribute{{Name: "a", Type: typ}}}}}
		}
		p, err := Build(schema(c.to), schema(c.from), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Statements) != 1 || !strings.Contains(p.Statements[0].SQL, "ALTER ATTRIBUTE a TYPE "+c.to) {
			t.Fatalf("%s → %s: want one ALTER ATTRIBUTE, got\n%s", c.from, c.to, p.SQL())
		}
		if got := p.Statements[0].Destructive(); got != c.lossy {
			t.Errorf("%s → %s: destructive %v, want %v", c.from, c.to, got, c.lossy)
		}
	}
}
