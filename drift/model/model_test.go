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

package model

import (
	"strings"
	"testing"
)

// TestQuoteIdent: the results are those of PostgreSQL's quote_ident.
func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"orders":        "orders",
		"_x1$":          "_x1$",
		"Orders":        `"Orders"`,
		"1st":           `"1st"`,
		"$x":            `"$x"`,
		"a b":           `"a b"`,
		`say "hi"`:      `"say ""hi"""`,
		"":              `""`,
		"select":        `"select"`,
		"user":          `"user"`,
		"table":         `"table"`,
		"name":          "name", // unreserved keyword
		"text":          "text",
		"between":       `"between"`,       // column name keyword
		"authorization": `"authorization"`, // type/function name keyword
		"café":          `"café"`,
	} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestQuoteLiteral(t *testing.T) {
	for in, want := range map[string]string{
		"abc":     "'abc'",
		"it's":    "'it''s'",
		"":        "''",
		`a\b`:     `E'a\\b'`,
		`it's\n`:  `E'it''s\\n'`,
		"line\nx": "'line\nx'",
	} {
		if got := QuoteLiteral(in); got != want {
			t.Errorf("QuoteLiteral(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestQualified(t *testing.T) {
	for _, c := range []struct{ schema, name, want string }{
		{"public", "t", "public.t"},
		{"My Schema", "T", `"My Schema"."T"`},
		{"", "t", "t"},
		{"s", "order", `s."order"`},
	} {
		if got := Qualified(c.schema, c.name); got != c.want {
			t.Errorf("Qualified(%q, %q) = %s, want %s", c.schema, c.name, got, c.want)
		}
	}
	tb := Table{Schema: "App", Name: "order"}
	if tb.QualifiedName() != `"App"."order"` || tb.Key() != "App.order" {
		t.Errorf("table names: %s, %s", tb.QualifiedName(), tb.Key())
	}
	v := View{Schema: "public", Name: "V"}
	if v.Key() != `public."V"` {
		t.Errorf("view key %s", v.Key())
	}
	f := Function{Schema: "public", Name: "f", Signature: "integer, text"}
	if f.Key() != "public.f(integer, text)" {
		t.Errorf("function key %s", f.Key())
	}
	tr := Trigger{Schema: "public", Table: "t", Name: "Audit"}
	if tr.Key() != `public.t."Audit"` {
		t.Errorf("trigger key %s", tr.Key())
	}
}

func TestIDs(t *testing.T) {
	if id := (&Unsupported{Kind: "foreign table", Schema: "s", Name: "f"}).ID(); id != "foreign table s.f" {
		t.Errorf("unsupported id %q", id)
	}
	if id := (&Unsupported{Kind: "event trigger", Name: "e"}).ID(); id != "event trigger e" {
		t.Errorf("unsupported id without schema %q", id)
	}
	if id := (&Object{Kind: "rule", Schema: "public", Name: "r on t"}).ID(); id != "rule public.r on t" {
		t.Errorf("object id %q", id)
	}
	if id := (&Object{Kind: "cast", Name: "(integer AS text)"}).ID(); id != "cast (integer AS text)" {
		t.Errorf("object id without schema %q", id)
	}
}

func TestColumn(t *testing.T) {
	tb := Table{Columns: []Column{{Name: "a", Type: "integer"}, {Name: "b", Type: "text"}}}
	c := tb.Column("b")
	if c == nil || c.Type != "text" {
		t.Fatalf("Column(b) = %+v", c)
	}
	// The column returned is the table's own, not a copy.
	c.Type = "varchar"
	if tb.Columns[1].Type != "varchar" {
		t.Error("Column returned a copy")
	}
	if tb.Column("B") != nil || tb.Column("") != nil {
		t.Error("Column matched a name the table lacks (names are case-sensitive)")
	}
}

// TestFingerprint: equal models have equal fingerprints whatever the server version;
// any difference in content changes it.
func TestFingerprint(t *testing.T) {
	base := func() *Schema {
		return &Schema{ServerVersion: 150000, Namespaces: []Namespace{{Name: "public"}},
			Tables: []Table{{Schema: "public", Name: "t", Columns: []Column{{Name: "a", Type: "integer", Statistics: -1}}}}}
	}
	a, b := base(), base()
	b.ServerVersion = 160000
	if a.Fingerprint() != b.Fingerprint() {
		t.Error("the server version changes the fingerprint")
	}
	if !strings.HasPrefix(a.Fingerprint(), "sha256:") || len(a.Fingerprint()) != len("sha256:")+64 {
		t.Errorf("fingerprint %q", a.Fingerprint())
	}
	if a.ServerVersion != 150000 {
		t.Error("Fingerprint changed the model")
	}
	for name, change := range map[string]func(s *Schema){
		"column type":    func(s *Schema) { s.Tables[0].Columns[0].Type = "bigint" },
		"column comment": func(s *Schema) { s.Tables[0].Columns[0].Comment = "x" },
		"not null":       func(s *Schema) { s.Tables[0].Columns[0].NotNull = true },
		"new table":      func(s *Schema) { s.Tables = append(s.Tables, Table{Schema: "public", Name: "u"}) },
		"enum":           func(s *Schema) { s.Enums = []Enum{{Schema: "public", Name: "e", Labels: []string{"a"}}} },
		"grant": func(s *Schema) {
			s.Grants = []Grant{{Kind: "table", Object: "public.t", Grantee: "r", Privilege: "SELECT"}}
		},
	} {
		c := base()
		change(c)
		if c.Fingerprint() == a.Fingerprint() {
			t.Errorf("%s: the fingerprint did not change", name)
		}
	}
}
