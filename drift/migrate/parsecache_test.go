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

package migrate

import (
	"strings"
	"testing"
)

// TestRead_parseCache reads a folder again after editing and renaming its files:
// an unchanged file is not parsed again (its statements are the ones read
// before), an edited one is (its new destructive statement is found), a renamed
// one carries its own name in its positions, and a file that does not parse is
// refused every time.
func TestRead_parseCache(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "1_create_a.up.sql", "CREATE TABLE a (id int);\n")
	writeFile(t, dir, "2_create_b.up.sql", "CREATE TABLE b (id int);\n")
	first, err := Read(dir, GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Read(dir, GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	if &again.Migrations[0].Statements[0] != &first.Migrations[0].Statements[0] {
		t.Error("an unchanged file was parsed again")
	}

	writeFile(t, dir, "2_create_b.up.sql", "CREATE TABLE b (id int);\nDROP TABLE a;\n")
	edited, err := Read(dir, GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	b := edited.Migrations[1]
	if len(b.Statements) != 2 || len(b.Analysis.Destructive) != 1 || b.Analysis.Destructive[0].Position != "2_create_b.up.sql:2" {
		t.Errorf("edited file: %d statement(s), destructive %+v; want 2 and DROP TABLE at 2_create_b.up.sql:2", len(b.Statements), b.Analysis.Destructive)
	}

	writeFile(t, dir, "3_create_c.up.sql", "CREATE TABLE b (id int);\nDROP TABLE a;\n")
	renamed, err := Read(dir, GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	c := renamed.Migrations[2]
	if c.Statements[1].File != "3_create_c.up.sql" || len(c.Analysis.Destructive) != 1 || c.Analysis.Destructive[0].Position != "3_create_c.up.sql:2" {
		t.Errorf("same SQL in another file: statement file %q, destructive %+v; want its own name", c.Statements[1].File, c.Analysis.Destructive)
	}

	writeFile(t, dir, "4_broken.up.sql", "CREATE TABLE d (id int;\n")
	for range 2 {
		if _, err := Read(dir, GolangMigrate); err == nil || !strings.Contains(err.Error(), "4_broken.up.sql:1") {
			t.Fatalf("broken file read: %v; want an error at 4_broken.up.sql:1", err)
		}
	}
}
