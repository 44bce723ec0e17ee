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

package load

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deepShapes are statements nested n levels deep in the ways that crashed the
// parser (left-associative chains overflow the C stack at ~22,000 levels with
// an 8 MiB stack) or made it fail (right-nested forms fill bison's stack).
func deepShapes(n int) map[string]string {
	return map[string]string{
		"plus":   "CREATE VIEW v AS SELECT " + strings.Repeat("1+", n) + "1",
		"cast":   "CREATE VIEW v AS SELECT 1" + strings.Repeat("::int", n),
		"concat": "CREATE VIEW v AS SELECT 'a'" + strings.Repeat("||'a'", n),
		"join":   "CREATE VIEW v AS SELECT 1 FROM t" + strings.Repeat(" JOIN t ON true", n),
		"paren":  "CREATE VIEW v AS SELECT " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n),
		"not":    "CREATE VIEW v AS SELECT " + strings.Repeat("NOT ", n) + "true",
	}
}

func TestParseFile_deepStatement_isTooDeepErrorAtItsLine(t *testing.T) {
	for shape, sql := range deepShapes(30000) {
		t.Run(shape, func(t *testing.T) {
			src := "CREATE TABLE t (a int);\n\n-- the view\n" + sql + ";\nCREATE TABLE u (a int);\n"
			stmts, _, err := ParseFile("deep.sql", []byte(src))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%d statements), want a *SyntaxError", err, len(stmts))
			}
			if se.Line != 4 || se.Col != 1 || se.Message != errTooDeep {
				t.Errorf("err = %v, want deep.sql:4:1: %s", err, errTooDeep)
			}
			if !strings.HasPrefix(err.Error(), "deep.sql:4:1: statement too large/deep to parse") {
				t.Errorf("message %q", err)
			}
		})
	}
}

// A statement that is deep but within what the parser and the protobuf
// decoder handle parses (in the child process) and keeps its position.
func TestParseFile_largeStatements_parse(t *testing.T) {
	var rows []string
	for i := range 2000 {
		rows = append(rows, fmt.Sprintf("(%d, 'row %d')", i, i))
	}
	var body []string
	for i := range 12000 {
		body = append(body, fmt.Sprintf("INSERT INTO t VALUES (%d)", i))
	}
	src := "CREATE TABLE t (a int, b text);\n" +
		"INSERT INTO t VALUES " + strings.Join(rows, ",\n") + ";\n" +
		"CREATE VIEW v AS SELECT " + strings.Repeat("a+", 2000) + "a FROM t;\n" +
		"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC\n" + strings.Join(body, ";\n") + ";\nEND;\n" +
		"CREATE TABLE u (a int);\n"
	if len(src) < chunkSize+chunkSize/4 {
		t.Fatalf("input of %d bytes does not span chunks", len(src))
	}
	stmts, _, err := ParseFile("big.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line  int
		class Class
		start string
	}{{1, Execute, "CREATE TABLE t"}, {2, Skip, "INSERT INTO t"}, {2002, Execute, "CREATE VIEW v"}, {2003, Execute, "CREATE PROCEDURE p"}, {14005, Execute, "CREATE TABLE u"}}
	if len(stmts) != len(want) {
		t.Fatalf("%d statements, want %d", len(stmts), len(want))
	}
	for i, w := range want {
		s := stmts[i]
		if s.Line != w.line || s.Class != w.class || !strings.HasPrefix(s.SQL, w.start) {
			t.Errorf("statement %d: %s %v %.30q, want line %d %v %q", i, s.Position(), s.Class, s.SQL, w.line, w.class, w.start)
		}
	}
	if !strings.HasSuffix(stmts[3].SQL, "INSERT INTO t VALUES (11999);\nEND") {
		t.Errorf("procedure ends with %q", stmts[3].SQL[len(stmts[3].SQL)-40:])
	}
	// Planning parses each statement again, through the same guard.
	sp := &safeParser{}
	defer sp.close()
	if _, err := planStatements(sp, stmts); err != nil {
		t.Fatal(err)
	}
}

func TestParseDir_deepView_isTooDeepError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.sql"), []byte("CREATE TABLE t (a int);\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deep := "\nCREATE VIEW v AS SELECT " + strings.Repeat("1+", 50000) + "1;\n"
	if err := os.WriteFile(filepath.Join(dir, "b.sql"), []byte(deep), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := ParseDir(dir)
	if err == nil || err.Error() != "b.sql:2:1: "+errTooDeep {
		t.Fatalf("err = %v, want b.sql:2:1: %s", err, errTooDeep)
	}
}

// Statements that reach LoadStatements without ParseDir go through the guard
// too.
func TestPlanStatements_deepStatement_isError(t *testing.T) {
	sp := &safeParser{}
	defer sp.close()
	for shape, sql := range deepShapes(30000) {
		_, err := planStatements(sp, []Statement{{File: "x.sql", Line: 7, Col: 1, SQL: sql, Class: Execute}})
		if err == nil || err.Error() != "x.sql:7: "+errTooDeep {
			t.Errorf("%s: err = %v", shape, err)
		}
	}
}
