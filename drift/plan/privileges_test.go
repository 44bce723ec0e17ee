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

func privilegeSchemas() (desired, live *model.Schema) {
	table := model.Table{Schema: "public", Name: "t", ReplicaIdentity: "d", Columns: []model.Column{{Name: "id", Type: "integer", Statistics: -1}}}
	desired = &model.Schema{Namespaces: []model.Namespace{{Name: "public"}}, Tables: []model.Table{table},
		Grants: []model.Grant{
			{Kind: "table", Object: "public.t", Grantee: "reader", Privilege: "SELECT"},
			{Kind: "table", Object: "public.t", Grantee: "ghost", Privilege: "SELECT"},
		}}
	live = &model.Schema{Namespaces: []model.Namespace{{Name: "public"}}, Tables: []model.Table{table},
		Roles:  []string{"postgres", "reader"},
		Owners: []model.Ownership{{Kind: "table", Object: "public.t", Owner: "app"}}}
	return desired, live
}

func TestBuild_privileges_missingRoleReportedNotGranted(t *testing.T) {
	desired, live := privilegeSchemas()
	p, err := Build(desired, live, Options{ManagePrivileges: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Statements) != 1 || p.Statements[0].SQL != "GRANT SELECT ON TABLE public.t TO reader" {
		t.Fatalf("want only the grant to the existing role, got:\n%s", p.SQL())
	}
	if len(p.Blocked) != 0 {
		t.Fatalf("a missing role must not block the plan: %v", p.Blocked)
	}
	var ghost, owner bool
	for _, c := range p.Changes {
		ghost = ghost || strings.Contains(c.Change, "role ghost does not exist on the server")
		owner = owner || strings.Contains(c.Change, "owned by app") && strings.Contains(c.Change, "reported, not changed")
	}
	if !ghost || !owner {
		t.Fatalf("want the missing role and the owner reported, got %v", p.Changes)
	}
}

func TestBuild_privileges_offComparesNothing(t *testing.T) {
	desired, live := privilegeSchemas()
	p, err := Build(desired, live, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() || len(p.Changes) != 0 {
		t.Fatalf("privileges off: want no statements and no changes, got:\n%s%v", p.SQL(), p.Changes)
	}
}

func TestKeyIndex(t *testing.T) {
	for def, want := range map[string]string{
		"PRIMARY KEY (id)":                                "(id)|",
		"UNIQUE NULLS NOT DISTINCT (a, b)":                "(a, b) NULLS NOT DISTINCT|",
		`UNIQUE ("a)b") INCLUDE (c) WITH (fillfactor=70)`: `("a)b") INCLUDE (c) WITH (fillfactor=70)|`,
		"UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED":      "(pos)| DEFERRABLE INITIALLY DEFERRED",
		"UNIQUE (a) USING INDEX TABLESPACE x":             "",
	} {
		idx, attach, ok := keyIndex(def)
		got := idx + "|" + attach
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("keyIndex(%q) = %q, want %q", def, got, want)
		}
	}
}
