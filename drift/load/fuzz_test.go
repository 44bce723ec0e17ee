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
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplit checks ParseFile on arbitrary input: it never panics, every
// statement's Line:Col lies within the input and starts its SQL, which is the
// input's text at that position, statements come in order without overlapping,
// and every position in warnings and errors lies within the input. `make test`
// runs it for 20 seconds; its seed corpus is below and in testdata/fuzz/FuzzSplit.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"",
		";;;",
		"CREATE TABLE t (a int);",
		"CREATE TABLE t (a int)",
		"-- only a comment",
		"/* nested /* comment */ still */ SELECT 1;",
		"SELECT 'it''s; here';\nINSERT INTO t VALUES (E'\\'; \\\\');",
		"CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n\\x\nRETURN 1; END $fn$;",
		"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2; END;",
		"\\restrict k\nSET a = 1;\n\\unrestrict k\n",
		"  \\set x 'unbalanced\nCREATE TABLE t ();\nSELECT 'x';\n",
		"COPY t FROM stdin;\n1\t'a\n\\.\nCREATE TABLE u ();",
		"COPY t FROM stdin;\n1\t2\n",
		"CREATE TABLE \"é\" (\"ü\" text DEFAULT 'ß');\n\tSELECT 'é' é é;",
		"SELECT $$unterminated",
		"SELECT 1; \\gset\nSELECT 2;",
		"CREATE TABLE t (a int)\n\\x\n;",
		"CREATE ROLE r; CREATE DATABASE d; COPY t TO '/tmp/x';",
		"SELECT U&'d\\0061t\\+000061' UESCAPE '\\';",
		"SELECT 123abc;",
		"SELECT 1\r\n;\r\n\\.\r\n",
		strings.Repeat("(", 2000),
	} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("testdata/rails/structure.sql"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		stmts, warnings, err := ParseFile("f.sql", src)
		text := string(src)
		starts := lineStarts(text)
		end := 0
		for i, s := range stmts {
			off, ok := offsetAt(text, starts, s.Line, s.Col)
			if !ok {
				t.Fatalf("statement %d at %d:%d is outside the input", i, s.Line, s.Col)
			}
			if s.SQL == "" || !strings.HasPrefix(text[off:], s.SQL) {
				t.Fatalf("statement %d at %d:%d: %q is not the input's text there", i, s.Line, s.Col, s.SQL)
			}
			if off < end {
				t.Fatalf("statement %d at %d:%d starts before the end of the previous one", i, s.Line, s.Col)
			}
			end = off + len(s.SQL)
			switch s.Class {
			case Execute:
				if s.Reason != "" {
					t.Fatalf("statement %d: Execute with reason %q", i, s.Reason)
				}
			case Skip, Reject:
				if s.Reason == "" {
					t.Fatalf("statement %d: %v without reason", i, s.Class)
				}
			default:
				t.Fatalf("statement %d: class %v", i, s.Class)
			}
			if s.File != "f.sql" {
				t.Fatalf("statement %d: file %q", i, s.File)
			}
		}
		for _, w := range warnings {
			if w.File != "f.sql" || w.Line < 1 || w.Line > len(starts) || w.Message == "" {
				t.Fatalf("warning %q outside the input", w)
			}
		}
		var se *SyntaxError
		var rej *RejectError
		switch {
		case err == nil:
		case errors.As(err, &se):
			if stmts != nil || se.Line < 1 || se.Line > len(starts) || se.Col < 1 {
				t.Fatalf("syntax error %v outside the input (or with statements)", err)
			}
			if _, ok := offsetAt(text, starts, se.Line, se.Col); !ok && utf8.ValidString(text) {
				t.Fatalf("syntax error %v outside the input", err)
			}
		case errors.As(err, &rej):
			if len(rej.Statements) == 0 {
				t.Fatal("empty RejectError")
			}
			for _, r := range rej.Statements {
				if r.Class != Reject {
					t.Fatalf("rejected statement of class %v", r.Class)
				}
			}
		default:
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
	})
}

// lineStarts returns the offset of each line's start.
func lineStarts(text string) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offsetAt returns the byte offset of 1-based line and character column, which
// may be one past the last character of the line (the end of input).
func offsetAt(text string, starts []int, line, col int) (int, bool) {
	if line < 1 || line > len(starts) || col < 1 {
		return 0, false
	}
	off := starts[line-1]
	for c := 1; c < col; c++ {
		if off >= len(text) || text[off] == '\n' {
			return 0, false
		}
		_, n := utf8.DecodeRuneInString(text[off:])
		off += n
	}
	return off, true
}

// FuzzLoad checks the whole loader entry short of a database on arbitrary
// input: ParseDir over two files (one in a subdirectory), then the planning of
// LoadStatements, which parses, classifies and deparses every statement again.
// Nothing may panic or crash (a statement too deep for the parser is a
// *SyntaxError), errors are of the documented types, and planning accepts
// what ParseDir accepted, rejecting at least the statements ParseDir rejected.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("CREATE TABLE t (a int);"), []byte("CREATE VIEW v AS SELECT a FROM t;"))
	f.Add([]byte("CREATE SCHEMA s AUTHORIZATION r CREATE TABLE t (a int);"), []byte("GRANT SELECT ON t TO r;"))
	f.Add([]byte("CREATE EXTENSION IF NOT EXISTS pg_trgm;\n\\connect x\n"), []byte("COPY t FROM stdin;\n1\n\\.\n"))
	f.Add([]byte("CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2; END;"), []byte("CREATE ROLE r;"))
	// Past the in-process token bound: parsed by the child process.
	f.Add([]byte("SELECT "+strings.Repeat("1+", 600)+"1;"), []byte(strings.Repeat("(", 1200)))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "a.sql"), a, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "sub", "b.sql"), b, 0o600); err != nil {
			t.Fatal(err)
		}
		stmts, _, err := ParseDir(dir)
		var rej *RejectError
		var se *SyntaxError
		if err != nil && (!errors.As(err, &rej) || errors.As(err, &se)) {
			// A syntax error anywhere (also joined with rejections) yields no
			// statements: there is nothing to plan.
			checkParseErrors(t, err)
			return
		}
		sp := &safeParser{}
		defer sp.close()
		_, perr := planStatements(sp, stmts)
		var prej *RejectError
		switch {
		case perr == nil:
			if rej != nil {
				t.Fatalf("ParseDir rejected %v, planning did not", rej)
			}
		case errors.As(perr, &prej):
			if rej != nil && len(prej.Statements) < len(rej.Statements) {
				t.Fatalf("planning rejected %d statements, ParseDir %d", len(prej.Statements), len(rej.Statements))
			}
		case strings.Contains(perr.Error(), "deparse"):
			// pg_query's deparser does not render everything it parses; the
			// load fails with the statement's position.
		default:
			t.Fatalf("planning what ParseDir accepted: %v", perr)
		}
	})
}

// checkParseErrors checks that err joins only *SyntaxErrors and *RejectErrors
// with positions.
func checkParseErrors(t *testing.T, err error) {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var se *SyntaxError
		var rej *RejectError
		switch {
		case errors.As(e, &se):
			if se.Line < 1 || se.Col < 1 || (se.File != "a.sql" && se.File != "sub/b.sql") {
				t.Fatalf("syntax error without position: %v", e)
			}
		case errors.As(e, &rej):
		default:
			t.Fatalf("unexpected error %T: %v", e, e)
		}
	}
}
