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
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyDir copies a testdata folder into a temporary one the test may edit.
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
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRead_layouts reads the folder of each layout, written after each tool's
// documented conventions, with auto detection: versions in order, down and undo
// files not run, the CONCURRENTLY migration outside a transaction (detected by
// the parser for golang-migrate and Flyway, by dbmate's and Atlas's own
// directives for theirs), BEGIN/COMMIT of a golang-migrate file recognised.
func TestRead_layouts(t *testing.T) {
	for _, tc := range []struct {
		layout   Layout
		versions []string
		down     int
		noTx     string
	}{
		{GolangMigrate, []string{"1", "2", "3"}, 3, "CREATE INDEX CONCURRENTLY"},
		{Flyway, []string{"1", "1.1", "2", ""}, 1, "CREATE INDEX CONCURRENTLY"},
		{Dbmate, []string{"20240101120000", "20240102120000", "20240103120000"}, 0, "transaction:false"},
		{Atlas, []string{"20240101120000", "20240102120000", "20240103120000"}, 0, "atlas:txmode none"},
	} {
		t.Run(string(tc.layout), func(t *testing.T) {
			got, err := Detect(filepath.Join("testdata", string(tc.layout)))
			if err != nil || got != tc.layout {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tc.layout)
			}
			d, err := Read(filepath.Join("testdata", string(tc.layout)), Auto)
			if err != nil {
				t.Fatal(err)
			}
			var versions []string
			for _, m := range d.Migrations {
				versions = append(versions, m.Version)
			}
			if strings.Join(versions, ",") != strings.Join(tc.versions, ",") {
				t.Fatalf("versions %q, want %q", versions, tc.versions)
			}
			if len(d.Down) != tc.down {
				t.Errorf("down files %q, want %d", d.Down, tc.down)
			}
			for i, m := range d.Migrations {
				wantNoTx := i == 2
				if m.NoTransaction != wantNoTx {
					t.Errorf("%s: NoTransaction = %v (%s)", m.File, m.NoTransaction, m.NoTransactionReason)
				}
				if wantNoTx && !strings.Contains(m.NoTransactionReason, tc.noTx) {
					t.Errorf("%s: reason %q, want it to name %q", m.File, m.NoTransactionReason, tc.noTx)
				}
				if len(m.Analysis.Destructive) > 0 {
					t.Errorf("%s: destructive %v", m.File, m.Analysis.Destructive)
				}
				if !strings.HasPrefix(m.Checksum, "sha256:") || len(m.Statements) == 0 {
					t.Errorf("%s: checksum %q, %d statements", m.File, m.Checksum, len(m.Statements))
				}
			}
			if !d.Migrations[0].touches("public.users") || !d.Migrations[1].touches("public.orders") {
				t.Errorf("touches: %q, %q", d.Migrations[0].Analysis.Touches, d.Migrations[1].Analysis.Touches)
			}
		})
	}
	d, err := Read(filepath.Join("testdata", "golang-migrate"), GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	if tc := d.Migrations[1].Analysis.TransactionControl; len(tc) != 2 {
		t.Errorf("BEGIN/COMMIT of 000002: %v", tc)
	}
	d, err = Read(filepath.Join("testdata", "flyway"), Flyway)
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Migrations[3]; !r.Repeatable || r.File != "R__order_totals.sql" || r.Name != "order totals" {
		t.Errorf("repeatable: %+v", r)
	}
	// dbmate: the down section is blanked, lines keep their numbers.
	d, err = Read(filepath.Join("testdata", "dbmate"), Dbmate)
	if err != nil {
		t.Fatal(err)
	}
	if m := d.Migrations[0]; len(m.Statements) != 1 || m.Statements[0].Line != 2 || strings.Contains(m.SQL, "DROP") {
		t.Errorf("dbmate up section: %+v", m.Statements)
	}
}

func (m *Migration) touches(o string) bool {
	for _, x := range m.Analysis.Touches {
		if x == o {
			return true
		}
	}
	return false
}

// TestRead_errors: every problem of a folder is reported at its file (and line).
func TestRead_errors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		layout Layout
		src    string
		edit   func(t *testing.T, dir string)
		want   []string
	}{
		{"malformed golang-migrate name", GolangMigrate, "golang-migrate", func(t *testing.T, dir string) {
			writeFile(t, dir, "4-add-phone.up.sql", "ALTER TABLE users ADD COLUMN phone text;")
		}, []string{"4-add-phone.up.sql: malformed golang-migrate name"}},
		{"duplicate golang-migrate version", GolangMigrate, "golang-migrate", func(t *testing.T, dir string) {
			writeFile(t, dir, "2_other.up.sql", "SELECT 1;")
		}, []string{"duplicate version 2"}},
		{"malformed Flyway name", Flyway, "flyway", func(t *testing.T, dir string) {
			writeFile(t, dir, "V3_add_phone.sql", "ALTER TABLE users ADD COLUMN phone text;")
		}, []string{"V3_add_phone.sql: malformed Flyway name"}},
		{"duplicate Flyway version", Flyway, "flyway", func(t *testing.T, dir string) {
			writeFile(t, dir, "V1.01__again.sql", "SELECT 1;")
		}, []string{"V1.1__create_orders.sql: duplicate version 1.1 (also V1.01__again.sql)"}},
		{"dbmate without up section", Dbmate, "dbmate", func(t *testing.T, dir string) {
			writeFile(t, dir, "20240104120000_phone.sql", "ALTER TABLE users ADD COLUMN phone text;\n")
		}, []string{"20240104120000_phone.sql:1: no -- migrate:up section"}},
		{"syntax error", Dbmate, "dbmate", func(t *testing.T, dir string) {
			writeFile(t, dir, "20240104120000_phone.sql", "-- migrate:up\n\nALTER TABLE users ADD COLUMN phone txet oops;\n-- migrate:down\n")
		}, []string{"20240104120000_phone.sql:3:"}},
		{"cluster-wide statement", GolangMigrate, "golang-migrate", func(t *testing.T, dir string) {
			writeFile(t, dir, "4_role.up.sql", "\nCREATE ROLE app;\n")
		}, []string{"4_role.up.sql:2: "}},
		{"tampered atlas.sum line", Atlas, "atlas", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, "20240102120000_create_orders.sql"))
			writeFile(t, dir, "20240102120000_create_orders.sql", strings.Replace(string(b), "numeric(12,2)", "numeric(14,2)", 1))
		}, []string{"atlas.sum:3: checksum mismatch for 20240102120000_create_orders.sql"}},
		{"atlas.sum edited by hand", Atlas, "atlas", func(t *testing.T, dir string) {
			b, _ := os.ReadFile(filepath.Join(dir, AtlasSum))
			lines := strings.Split(string(b), "\n")
			lines[2] = "20240102120000_create_orders.sql h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
			writeFile(t, dir, AtlasSum, strings.Join(lines, "\n"))
		}, []string{"atlas.sum:1: checksum mismatch"}},
		{"file not in atlas.sum", Atlas, "atlas", func(t *testing.T, dir string) {
			writeFile(t, dir, "20240104120000_phone.sql", "ALTER TABLE users ADD COLUMN phone text;\n")
		}, []string{"atlas.sum: 20240104120000_phone.sql is not listed"}},
		{"atlas.sum missing", Atlas, "atlas", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, AtlasSum)); err != nil {
				t.Fatal(err)
			}
		}, []string{"atlas.sum: missing"}},
		{"rollback in a migration", GolangMigrate, "golang-migrate", func(t *testing.T, dir string) {
			writeFile(t, dir, "4_x.up.sql", "BEGIN;\nSELECT 1;\nROLLBACK;\n")
		}, []string{"4_x.up.sql:3: ROLLBACK"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, filepath.Join("testdata", tc.src))
			tc.edit(t, dir)
			_, err := Read(dir, tc.layout)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	var fe *FileError
	dir := copyDir(t, filepath.Join("testdata", "atlas"))
	writeFile(t, dir, "20240104120000_phone.sql", "SELECT 1;\n")
	if _, err := Read(dir, Atlas); !errors.As(err, &fe) {
		t.Errorf("want a *FileError, got %T", err)
	}
}

// TestAtlasSumFile: the chained hashes of Atlas's atlas.sum. The expected text was
// computed with Python's hashlib following Atlas's sql/migrate/dir.go (NewHashFile,
// HashFile.Sum, MarshalText); the same function reproduced, line for line, two
// lines of an atlas.sum written by Atlas itself (its partial-checkpoint testdata).
func TestAtlasSumFile(t *testing.T) {
	got := AtlasSumFile([]AtlasFile{{"1_a.sql", []byte("CREATE TABLE a (id int);\n")}, {"2_b.sql", []byte("CREATE TABLE b (id int);\n")}})
	want := "h1:" + atlasVectorSum + "\n1_a.sql h1:" + atlasVector1 + "\n2_b.sql h1:" + atlasVector2 + "\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "atlas", AtlasSum))
	if err != nil {
		t.Fatal(err)
	}
	names, _ := listFiles(filepath.Join("testdata", "atlas"))
	if _, err := verifyAtlasSum(filepath.Join("testdata", "atlas"), names); err != nil {
		t.Fatalf("testdata/atlas/atlas.sum: %v\n%s", err, b)
	}
}

// TestFlywayChecksum: CRC32 of the lines without their endings, BOM removed, as a
// signed int (values from Python's zlib.crc32 over the same lines).
func TestFlywayChecksum(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int32
	}{
		{"CREATE TABLE a (id int);\r\nSELECT 1;\n", 1455298515},
		{"\uFEFFCREATE TABLE a (id int);\nSELECT 1;", 1455298515},
		{"CREATE TABLE a (id int);\rSELECT 1;\n\n", 1455298515},
	} {
		if got := FlywayChecksum([]byte(tc.text)); got != tc.want {
			t.Errorf("FlywayChecksum(%q) = %d, want %d", tc.text, got, tc.want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1", "2", -1}, {"10", "9", 1}, {"1.10", "1.9", 1}, {"1.1", "1.01", 0}, {"1", "1.0", 0},
		{"20240101120000", "3", 1}, {"0002", "2", 0}, {"1.2.3", "1.2", 1},
	} {
		if got := CompareVersions(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestAnalyze_destructive: the statements the gate stops, found by the parser.
func TestAnalyze_destructive(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "1_x.up.sql", `CREATE TABLE t (id int, note text);
DROP TABLE old;
ALTER TABLE t DROP COLUMN note, ALTER COLUMN id TYPE smallint;
TRUNCATE t;
DELETE FROM t;
DELETE FROM t WHERE id = 1;
UPDATE t SET id = 2;
UPDATE t SET id = 2 WHERE id = 1;
DROP TYPE mood;
DROP INDEX t_idx;
`)
	d, err := Read(dir, GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range d.Migrations[0].Analysis.Destructive {
		got = append(got, f.Position+" "+f.Reason)
	}
	want := []string{"1_x.up.sql:2 DROP TABLE", "1_x.up.sql:3 DROP COLUMN note",
		"1_x.up.sql:3 ALTER COLUMN id TYPE (the conversion may change, cut or reject values)", "1_x.up.sql:4 TRUNCATE",
		"1_x.up.sql:5 DELETE without WHERE", "1_x.up.sql:7 UPDATE without WHERE", "1_x.up.sql:9 DROP TYPE"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Computed with Python's hashlib (see TestAtlasSumFile).
const (
	atlasVector1   = "e72Wd39UNYY4sGrVkNYkCs4GRrWBQ0ASXh73rS+WpU4="
	atlasVector2   = "LYBzMWp8I1J0wb5WVXG/rhd1DXb0uUx/zp1eAIICVlY="
	atlasVectorSum = "suWOgEl4b8+ZGnGkyRcy2AueRtZKAkT6PdNTDiVWU88="
)

// TestAnalyze_typeChange: the new type of an ALTER COLUMN TYPE as format_type
// renders it, for the gate to compare with the live column; USING or a type the
// parser cannot tell leaves none.
func TestAnalyze_typeChange(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "1_x.up.sql", `ALTER TABLE s.t ALTER COLUMN a TYPE varchar(20);
ALTER TABLE t ALTER COLUMN b TYPE bigint, ALTER COLUMN c TYPE numeric(12,2);
ALTER TABLE t ALTER COLUMN d TYPE int[];
ALTER TABLE t ALTER COLUMN e TYPE bigint USING e::bigint;
ALTER TABLE t ALTER COLUMN f TYPE mood;
ALTER TABLE t ALTER COLUMN g TYPE text;
`)
	d, err := Read(dir, GolangMigrate)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range d.Migrations[0].Analysis.Destructive {
		if tc := f.TypeChange; tc != nil {
			got = append(got, tc.Table+"."+tc.Column+" "+tc.NewType)
		} else {
			got = append(got, f.Position+" unknown")
		}
	}
	want := []string{"s.t.a character varying(20)", "public.t.b bigint", "public.t.c numeric(12,2)", "public.t.d integer[]",
		"1_x.up.sql:4 unknown", "1_x.up.sql:5 unknown", "public.t.g text"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
