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
	"fmt"
	"strings"
	"testing"

	"github.com/schemactl/schema-controller/drift/model"
)

// inheritanceTree returns a three-level inheritance tree whose column status has
// the given defaults on the top, middle and leaf tables, named so that they sort
// in the order of names given.
func inheritanceTree(top, mid, leaf string, defaults [3]string) model.Schema {
	tables := []model.Table{}
	for i, name := range []string{top, mid, leaf} {
		c := col("status", "text")
		c.Default = defaults[i]
		if i > 0 {
			c.Inherited = true
		}
		t := table(name, c)
		switch i {
		case 1:
			t.Inherits = []string{"public." + top}
		case 2:
			t.Inherits = []string{"public." + mid}
		}
		tables = append(tables, t)
	}
	// Models are sorted by name, as the inspector gives them.
	for i := range tables {
		for j := i + 1; j < len(tables); j++ {
			if tables[j].Name < tables[i].Name {
				tables[i], tables[j] = tables[j], tables[i]
			}
		}
	}
	return model.Schema{Tables: tables}
}

func TestBuild_alterTable_parentsFirstWhateverTheNames(t *testing.T) {
	for _, names := range [][3]string{{"a_top", "m_mid", "z_leaf"}, {"z_top", "m_mid", "a_leaf"}, {"m_top", "z_mid", "a_leaf"}} {
		live := public(inheritanceTree(names[0], names[1], names[2], [3]string{"'new'::text", "'mid-new'::text", "'leaf-new'::text"}))
		desired := public(inheritanceTree(names[0], names[1], names[2], [3]string{"'open'::text", "'mid-open'::text", "'leaf-open'::text"}))
		p := build(t, desired, live, Options{})
		// The last SET DEFAULT of each table must come after its parent's: the
		// parent's recurses to its children.
		last := map[string]int{}
		first := map[string]int{}
		for i, s := range p.Statements {
			for _, n := range names {
				if strings.HasPrefix(s.SQL, "ALTER TABLE public."+n+" ALTER COLUMN status SET DEFAULT") {
					if _, ok := first[n]; !ok {
						first[n] = i
					}
					last[n] = i
				}
			}
		}
		for i := 1; i < 3; i++ {
			parent, child := names[i-1], names[i]
			if _, ok := last[child]; !ok {
				t.Fatalf("%v: no SET DEFAULT on %s:\n%s", names, child, p.SQL())
			}
			if first[child] < last[parent] {
				t.Errorf("%v: %s's default is set before its parent %s's, which overwrites it:\n%s", names, child, parent, p.SQL())
			}
		}
	}
}

func TestCloneIndexName(t *testing.T) {
	def := func(name, cols string) model.Index {
		return model.Index{Schema: "public", Name: name, Table: "public.m_2025",
			Definition: "CREATE INDEX " + name + " ON public.m_2025 USING btree (" + cols + ")"}
	}
	for _, c := range []struct {
		x    model.Index
		want bool
	}{
		{def("m_2025_at_idx", "at"), true},
		{def("m_2025_id_at_idx1", "id, at"), true},
		{def("m_2025_created_at_idx", "created_at"), true},
		{def("m_2025_expr_idx", "lower(name)"), true},
		{def("m_2025_own_at", "at"), false},
		{def("m_2025_foo_idx", "at"), false},
		{def("m_2025_idx", "at"), false},
		{def("other_at_idx", "at"), false},
	} {
		if got := cloneIndexName("m_2025", c.x); got != c.want {
			t.Errorf("cloneIndexName(m_2025, %q) = %v, want %v", c.x.Name, got, c.want)
		}
	}
}

// TestBuild_sameEveryTime builds the plan of tables that become views (each
// with a child Git keeps) many times: its statements, changes and blocks come
// in the same order every time, and so does its ID (an approval names it).
func TestBuild_sameEveryTime(t *testing.T) {
	var live, desired model.Schema
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		parent := table(n, col("id", "integer"))
		child := table(n+"_child", col("id", "integer"), col("x", "integer"))
		child.Columns[0].Inherited = true
		child.Inherits = []string{"public." + n}
		live.Tables = append(live.Tables, parent, child)
		kept := table(n+"_child", col("id", "integer"), col("x", "integer"))
		desired.Tables = append(desired.Tables, kept)
		desired.Views = append(desired.Views, model.View{Schema: "public", Name: n, Definition: " SELECT id FROM public." + n + "_child",
			Columns: []model.ViewColumn{{Name: "id", Type: "integer"}}, Populated: true})
	}
	var first *Plan
	for i := 0; i < 30; i++ {
		p, err := Build(public(desired), public(live), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = p
			continue
		}
		if p.ID != first.ID || p.SQL() != first.SQL() || fmt.Sprint(p.Changes) != fmt.Sprint(first.Changes) || fmt.Sprint(p.Blocked) != fmt.Sprint(first.Blocked) {
			t.Fatalf("build %d differs from the first:\n%s\n%v\nfirst:\n%s\n%v", i, p.SQL(), p.Changes, first.SQL(), first.Changes)
		}
	}
	if !strings.Contains(first.SQL(), "NO INHERIT") {
		t.Fatalf("the children leave their parents first:\n%s", first.SQL())
	}
}
