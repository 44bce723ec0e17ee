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
	"reflect"
	"strings"
	"testing"
)

func TestParseFile_classification(t *testing.T) {
	cases := []struct {
		sql    string
		class  Class
		reason string
	}{
		// Schema.
		{"CREATE TABLE t (id int PRIMARY KEY)", Execute, ""},
		{"CREATE UNLOGGED TABLE t (id int GENERATED ALWAYS AS IDENTITY)", Execute, ""},
		{"ALTER TABLE t ADD COLUMN b text", Execute, ""},
		{"DROP TABLE IF EXISTS t CASCADE", Execute, ""},
		{"CREATE INDEX CONCURRENTLY i ON t (a)", Execute, ""},
		{"CREATE SEQUENCE s", Execute, ""},
		{"ALTER SEQUENCE s OWNED BY t.id", Execute, ""},
		{"CREATE VIEW v AS SELECT 1", Execute, ""},
		{"CREATE MATERIALIZED VIEW m AS SELECT 1", Execute, ""},
		{"CREATE TABLE t2 AS SELECT 1 AS a", Execute, ""},
		{"SELECT 1 AS a INTO t3", Execute, ""},
		{"CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$", Execute, ""},
		{"CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", Execute, ""},
		{"CREATE TYPE e AS ENUM ('a', 'b')", Execute, ""},
		{"ALTER TYPE e ADD VALUE 'c'", Execute, ""},
		{"CREATE DOMAIN d AS int CHECK (VALUE > 0)", Execute, ""},
		{"CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", Execute, ""},
		{"CREATE POLICY p ON t USING (true)", Execute, ""},
		{"CREATE SCHEMA app", Execute, ""},
		{"CREATE SCHEMA app CREATE TABLE x (a int) CREATE VIEW y AS SELECT 1", Execute, ""},
		{"ALTER TABLE t RENAME TO u", Execute, ""},
		{"ALTER TABLE t SET SCHEMA app", Execute, ""},
		{"COMMENT ON TABLE t IS 'x'", Execute, ""},
		{"COMMENT ON SCHEMA public IS 'standard public schema'", Execute, ""},
		{"CREATE PUBLICATION pub FOR TABLE t", Execute, ""},
		{"DO $$ BEGIN CREATE TYPE x AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN null; END $$", Execute, ""},
		{"GRANT SELECT ON t TO app", Execute, ""},
		{"REVOKE ALL ON SCHEMA public FROM PUBLIC", Execute, ""},
		{"ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO app", Execute, ""},
		// Extensions.
		{"CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public", Execute, ""},
		{"COMMENT ON EXTENSION pgcrypto IS 'x'", Execute, ""},
		{"DROP EXTENSION pgcrypto", Execute, ""},
		{"CREATE LANGUAGE plperl", Execute, ""}, // PostgreSQL reads it as CREATE EXTENSION
		// Settings.
		{"SET search_path = app, public", Execute, ""},
		{"SET check_function_bodies = false", Execute, ""},
		{"SET client_encoding = 'UTF8'", Execute, ""},
		{"SET standard_conforming_strings = on", Execute, ""},
		{"SET default_table_access_method = heap", Execute, ""},
		{"RESET ALL", Execute, ""},
		{"RESET search_path", Execute, ""},
		{"SELECT pg_catalog.set_config('search_path', '', false)", Execute, ""},
		{"SELECT set_config('search_path', 'app', false), set_config('check_function_bodies', 'off', false)", Execute, ""},
		// Skipped.
		{"INSERT INTO \"schema_migrations\" (version) VALUES ('1'), ('2')", Skip, "data statement (INSERT)"},
		{"UPDATE t SET a = 1", Skip, "data statement (UPDATE)"},
		{"DELETE FROM t", Skip, "data statement (DELETE)"},
		{"MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE", Skip, "data statement (MERGE)"},
		{"TRUNCATE t", Skip, "data statement (TRUNCATE)"},
		{"REFRESH MATERIALIZED VIEW m", Skip, "data statement (REFRESH MATERIALIZED VIEW)"},
		{"COPY t TO STDOUT", Skip, "data statement (COPY ... TO stdout)"},
		{"SELECT pg_catalog.setval('public.s', 42, true)", Skip, "sequence value (setval)"},
		{"SELECT setval('s', 1)", Skip, "sequence value (setval)"},
		{"SELECT pg_catalog.pg_extension_config_dump('t', '')", Skip, "extension configuration marker (pg_extension_config_dump)"},
		{"SELECT 1", Skip, "query (SELECT)"},
		{"SELECT pg_sleep(10)", Skip, "query (SELECT)"},
		{"SELECT set_config('search_path', '', false) FROM t", Skip, "query (SELECT)"},
		{"VALUES (1)", Skip, "query (SELECT)"},
		{"ALTER TABLE public.t OWNER TO app", Skip, "ownership (ALTER TABLE ... OWNER TO)"},
		{"ALTER SEQUENCE s OWNER TO app", Skip, "ownership (ALTER SEQUENCE ... OWNER TO)"},
		{"ALTER FUNCTION f() OWNER TO app", Skip, "ownership (ALTER FUNCTION ... OWNER TO)"},
		{"ALTER SCHEMA app OWNER TO app", Skip, "ownership (ALTER SCHEMA ... OWNER TO)"},
		{"ALTER MATERIALIZED VIEW m OWNER TO app", Skip, "ownership (ALTER MATERIALIZED VIEW ... OWNER TO)"},
		{"ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO app", Skip, "default privileges FOR ROLE postgres (ownership is not managed)"},
		{"BEGIN", Skip, "transaction control (BEGIN)"},
		{"START TRANSACTION", Skip, "transaction control (START TRANSACTION)"},
		{"COMMIT", Skip, "transaction control (COMMIT)"},
		{"ROLLBACK", Skip, "transaction control (ROLLBACK)"},
		{"SAVEPOINT a", Skip, "transaction control (SAVEPOINT)"},
		{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", Skip, "transaction setting (SET TRANSACTION)"},
		{"SET LOCAL search_path = app", Skip, "SET LOCAL (no effect outside a transaction)"},
		{"SET statement_timeout = 0", Skip, "timeout setting (statement_timeout; the load's own timeouts apply)"},
		{"SET lock_timeout = 0", Skip, "timeout setting (lock_timeout; the load's own timeouts apply)"},
		{"SELECT pg_catalog.set_config('statement_timeout', '0', false)", Skip, "timeout setting (statement_timeout; the load's own timeouts apply)"},
		{"SELECT set_config('search_path', 'x', true)", Skip, "set_config(..., true) (no effect outside a transaction)"},
		{"SET client_encoding = 'LATIN1'", Skip, "client_encoding other than UTF8 (desired SQL files are read as UTF-8)"},
		{"VACUUM t", Skip, "maintenance (VACUUM)"},
		{"ANALYZE t", Skip, "maintenance (ANALYZE)"},
		{"CLUSTER t USING i", Skip, "maintenance (CLUSTER)"},
		{"REINDEX TABLE t", Skip, "maintenance (REINDEX)"},
		{"SECURITY LABEL FOR selinux ON TABLE t IS 'x'", Skip, "security label (SECURITY LABEL)"},
		{"GRANT SELECT ON LARGE OBJECT 1 TO app", Skip, "privileges on a large object (data)"},
		{"CALL p()", Skip, "procedure call (CALL)"},
		{"SHOW search_path", Skip, "query (SHOW)"},
		{"EXPLAIN SELECT 1", Skip, "query (EXPLAIN)"},
		{"LOCK TABLE t", Skip, "table lock (LOCK)"},
		{"NOTIFY x", Skip, "notification (NOTIFY)"},
		{"DISCARD ALL", Skip, "session reset (DISCARD)"},
		// Rejected.
		{"CREATE ROLE app LOGIN", Reject, "creates a role"},
		{"CREATE USER app", Reject, "creates a role"},
		{"CREATE GROUP g", Reject, "creates a role"},
		{"ALTER ROLE app NOLOGIN", Reject, "alters a role"},
		{"ALTER ROLE app SET search_path = x", Reject, "alters a role's settings (ALTER ROLE ... SET)"},
		{"DROP ROLE app", Reject, "drops a role"},
		{"DROP USER app", Reject, "drops a role"},
		{"GRANT admin TO app", Reject, "grants role membership"},
		{"REVOKE admin FROM app", Reject, "revokes role membership"},
		{"REASSIGN OWNED BY a TO b", Reject, "reassigns the objects of a role (REASSIGN OWNED)"},
		{"DROP OWNED BY a", Reject, "drops the objects of a role (DROP OWNED)"},
		{"CREATE DATABASE d", Reject, "creates a database"},
		{"ALTER DATABASE d SET search_path = x", Reject, "alters a database"},
		{"ALTER DATABASE d RENAME TO e", Reject, "renames a database"},
		{"ALTER DATABASE d OWNER TO app", Reject, "changes the owner of a database"},
		{"DROP DATABASE d", Reject, "drops a database"},
		{"COMMENT ON DATABASE d IS 'x'", Reject, "comments on a database"},
		{"COMMENT ON ROLE app IS 'x'", Reject, "comments on a role"},
		{"GRANT CONNECT ON DATABASE d TO app", Reject, "grants privileges on a database"},
		{"GRANT SET ON PARAMETER work_mem TO app", Reject, "grants privileges on a configuration parameter"},
		{"CREATE TABLESPACE ts LOCATION '/tmp'", Reject, "creates a tablespace"},
		{"ALTER TABLESPACE ts SET (seq_page_cost = 1)", Reject, "alters a tablespace"},
		{"DROP TABLESPACE ts", Reject, "drops a tablespace"},
		{"ALTER TABLE ALL IN TABLESPACE a SET TABLESPACE b", Reject, "moves relations between tablespaces"},
		{"ALTER SYSTEM SET work_mem = '1GB'", Reject, "changes the server configuration (ALTER SYSTEM)"},
		{"CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", Reject, "creates a subscription"},
		{"ALTER SUBSCRIPTION s DISABLE", Reject, "alters a subscription"},
		{"DROP SUBSCRIPTION s", Reject, "drops a subscription"},
		{"COPY t TO '/tmp/x'", Reject, "writes a server file (COPY ... TO 'file')"},
		{"COPY t FROM '/etc/passwd'", Reject, "reads a server file (COPY ... FROM 'file')"},
		{"COPY t FROM PROGRAM 'id'", Reject, "runs a server program (COPY ... FROM PROGRAM)"},
		{"COPY t TO PROGRAM 'id'", Reject, "runs a server program (COPY ... TO PROGRAM)"},
		{"LOAD 'auto_explain'", Reject, "loads a server library (LOAD)"},
		{"CHECKPOINT", Reject, "forces a server-wide checkpoint (CHECKPOINT)"},
		{"SET ROLE postgres", Reject, "changes the session's role (SET ROLE)"},
		{"RESET ROLE", Reject, "changes the session's role (SET ROLE)"},
		{"SET SESSION AUTHORIZATION postgres", Reject, "changes the session's user (SET SESSION AUTHORIZATION)"},
		{"SELECT set_config('role', 'postgres', false)", Reject, "changes the session's role (SET ROLE)"},
		{"SELECT set_config(current_user, 'x', false)", Reject, "set_config with a parameter name that is not a constant"},
		{"SET standard_conforming_strings = off", Reject, "sets standard_conforming_strings to other than on (desired SQL is read with it on)"},
		{"CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()", Reject, "creates an event trigger (needs superuser)"},
		{"DROP EVENT TRIGGER e", Reject, "drops an event trigger"},
		{"CREATE FOREIGN DATA WRAPPER w", Reject, "creates a foreign-data wrapper (needs superuser)"},
		{"CREATE SERVER s FOREIGN DATA WRAPPER postgres_fdw", Reject, "creates a foreign server (connects outside the database)"},
		{"CREATE USER MAPPING FOR app SERVER s OPTIONS (password 'x')", Reject, "creates a user mapping (credentials for a remote server)"},
		{"GRANT USAGE ON FOREIGN SERVER s TO app", Reject, "grants privileges on a foreign server"},
		{"IMPORT FOREIGN SCHEMA r FROM SERVER s INTO l", Reject, "imports a foreign schema (reads a remote server)"},
		{"CREATE LANGUAGE plperl HANDLER plperl_call_handler", Reject, "creates a procedural language (needs superuser; use CREATE EXTENSION)"},
		{"CREATE ACCESS METHOD a TYPE TABLE HANDLER h", Reject, "creates an access method (needs superuser)"},
		{"ALTER TABLE t OWNER TO app, ADD COLUMN b int", Reject, "combines OWNER TO with other changes (ownership is not managed: move OWNER TO into its own statement)"},
		{"CREATE SCHEMA s GRANT CONNECT ON DATABASE d TO app", Reject, "CREATE SCHEMA element grants privileges on a database"},
		{"PREPARE TRANSACTION 'x'", Skip, "transaction control (PREPARE TRANSACTION)"},
	}
	for _, c := range cases {
		t.Run(c.sql, func(t *testing.T) {
			stmts, _, err := ParseFile("f.sql", []byte(c.sql+";\n"))
			var rej *RejectError
			if c.class == Reject {
				if !errors.As(err, &rej) {
					t.Fatalf("error = %v, want a *RejectError", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if len(stmts) != 1 {
				t.Fatalf("got %d statements, want 1", len(stmts))
			}
			s := stmts[0]
			if s.Class != c.class || s.Reason != c.reason {
				t.Errorf("got %v %q, want %v %q", s.Class, s.Reason, c.class, c.reason)
			}
			if s.SQL != c.sql || s.Line != 1 || s.Col != 1 {
				t.Errorf("got %d:%d %q", s.Line, s.Col, s.SQL)
			}
		})
	}
}

func TestParseFile_positions(t *testing.T) {
	src := "-- header comment\n" + // 1
		"/* block\n" + // 2
		"   comment */ CREATE TABLE \"é\" (\n" + // 3
		"  a int -- trailing ; in a comment\n" + // 4
		");\n" + // 5
		"\n" + // 6
		"CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $body$\n" + // 7
		"BEGIN\n" + // 8
		"\\echo not a meta-command inside a body;\n" + // 9
		"  RETURN 'a;b';\n" + // 10
		"END $body$;\n" + // 11
		"SELECT 'multi\n" + // 12
		"\\line string';  INSERT INTO t VALUES (1);\n" + // 13
		"\tCOMMENT ON TABLE \"é\" IS E'it\\'s; \\\\ fine'" // 14, no final semicolon
	stmts, warnings, err := ParseFile("dir/f.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Line, Col int
		Class     Class
		First     string
	}
	want := []got{
		{3, 15, Execute, "CREATE TABLE \"é\" (\n  a int -- trailing ; in a comment\n)"},
		{7, 1, Execute, "CREATE FUNCTION f()"},
		{12, 1, Skip, "SELECT 'multi\n\\line string'"},
		{13, 17, Skip, "INSERT INTO t VALUES (1)"},
		{14, 2, Execute, "COMMENT ON TABLE \"é\" IS E'it\\'s; \\\\ fine'"},
	}
	if len(stmts) != len(want) {
		t.Fatalf("got %d statements, want %d: %+v", len(stmts), len(want), stmts)
	}
	for i, w := range want {
		s := stmts[i]
		if s.Line != w.Line || s.Col != w.Col || s.Class != w.Class || !strings.HasPrefix(s.SQL, w.First) || s.File != "dir/f.sql" {
			t.Errorf("statement %d: got %s %d:%d %v %q, want %d:%d %v %q...", i, s.File, s.Line, s.Col, s.Class, s.SQL, w.Line, w.Col, w.Class, w.First)
		}
	}
	if !strings.HasSuffix(stmts[1].SQL, "END $body$") {
		t.Errorf("function body cut: %q", stmts[1].SQL)
	}
	wantWarnings := []string{
		"dir/f.sql:12: query (SELECT) skipped",
		"dir/f.sql:13: data statement (INSERT) skipped",
	}
	if got := warningStrings(warnings); !reflect.DeepEqual(got, wantWarnings) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantWarnings, "\n"))
	}
}

func warningStrings(ws []Warning) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.String()
	}
	return out
}

func TestParseFile_metaCommandsAndCopy(t *testing.T) {
	src := "\\restrict AbC123xyz\n" + // 1
		"SET client_encoding = 'UTF8';\n" + // 2
		"  \\set ON_ERROR_STOP 'on\n" + // 3: an unbalanced quote must not swallow what follows
		"CREATE TABLE t (a int, b text);\n" + // 4
		"COPY public.t (a, b) FROM stdin;\n" + // 5
		"1\tit's\n" + // 6
		"2\t\\N\n" + // 7
		"\\.\n" + // 8
		"\\connect other\n" + // 9
		"CREATE TABLE u (a int);\n" + // 10
		"COPY u FROM STDIN WITH (FORMAT csv);\n" + // 11
		"\\.\n" + // 12
		"\\unrestrict AbC123xyz\n" // 13
	stmts, warnings, err := ParseFile("dump.sql", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts {
		got = append(got, s.Position()+" "+s.Class.String()+" "+s.SQL)
	}
	want := []string{
		"dump.sql:2 execute SET client_encoding = 'UTF8'",
		"dump.sql:4 execute CREATE TABLE t (a int, b text)",
		"dump.sql:5 skip COPY public.t (a, b) FROM stdin",
		"dump.sql:10 execute CREATE TABLE u (a int)",
		"dump.sql:11 skip COPY u FROM STDIN WITH (FORMAT csv)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantWarnings := []string{
		`dump.sql:1: psql meta-command \restrict skipped`,
		`dump.sql:3: psql meta-command \set skipped`,
		"dump.sql:5: data statement (COPY ... FROM stdin) and its 2 data lines skipped",
		`dump.sql:9: psql meta-command \connect skipped`,
		"dump.sql:11: data statement (COPY ... FROM stdin) and its 0 data lines skipped",
		`dump.sql:13: psql meta-command \unrestrict skipped`,
	}
	if got := warningStrings(warnings); !reflect.DeepEqual(got, wantWarnings) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantWarnings, "\n"))
	}
}

func TestParseFile_copyWithoutTerminator(t *testing.T) {
	stmts, warnings, err := ParseFile("f.sql", []byte("COPY t FROM stdin;\n1\n2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 1 || stmts[0].Class != Skip {
		t.Fatalf("statements: %+v", stmts)
	}
	if got := warningStrings(warnings); len(got) != 1 || got[0] != "f.sql:1: data statement (COPY ... FROM stdin) and its 2 data lines skipped" {
		t.Errorf("warnings: %q", got)
	}
}

func TestParseFile_largeFileWithManyMetaCommands(t *testing.T) {
	// Enough text for several scan windows, meta-commands whose quotes pair up
	// with later lines, and COPY data: preprocessing must stay correct (and
	// linear) across windows.
	var b strings.Builder
	n := 3000
	for i := range n {
		b.WriteString("CREATE TABLE t" + itoa(i) + " (a int, b text DEFAULT 'x;y');\n")
		if i%10 == 0 {
			b.WriteString("\\set x 'unbalanced\n")
		}
		if i%100 == 0 {
			b.WriteString("COPY t" + itoa(i) + " FROM stdin;\n1\tO'Brien\n\\.\n")
		}
	}
	stmts, warnings, err := ParseFile("big.sql", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if want := n + n/100; len(stmts) != want {
		t.Errorf("got %d statements, want %d", len(stmts), want)
	}
	if want := n/10 + n/100; len(warnings) != want {
		t.Errorf("got %d warnings, want %d", len(warnings), want)
	}
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

func TestParseFile_syntaxErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"CREATE TABLE t (a int);\n  CREATE TABL é (a int);", `f.sql:2:10: syntax error at or near "TABL"`},
		{"SELECT 'é', 'ü' ü ü;\n", `f.sql:1:19: syntax error at or near "ü"`},
		{"CREATE TABLE t (a int);\nSELECT 'abc\ndef;\n", `f.sql:2:8: unterminated quoted string at or near "'abc..."`},
		{"CREATE TABLE t (a int)\n\\x\n;", `f.sql:2:1: syntax error at or near "\"`},
		{"CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1;\n\\x\nEND;", "f.sql:2:1: psql meta-command or COPY data inside a statement"},
		{"CREATE TABLE t (a int);\x00", "f.sql:1:24: NUL byte in input"},
		{"CREATE TABLE t (a text DEFAULT '\xff');", "f.sql:1:33: invalid UTF-8 (desired schema files must be UTF-8)"},
	}
	for _, c := range cases {
		_, _, err := ParseFile("f.sql", []byte(c.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: error %v, want a *SyntaxError", c.src, err)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, err, c.want)
		}
	}
}

func TestParseDir_orderAndErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.sql":           "CREATE TABLE b (a int);",
		"a.sql":           "CREATE TABLE a (a int);",
		"a/z.sql":         "CREATE TABLE az (a int);",
		"10_x.sql":        "CREATE TABLE x10 (a int);",
		"9_x.sql":         "CREATE TABLE x9 (a int);",
		"notes.txt":       "CREATE ROLE ignored;",
		".hidden.sql":     "CREATE ROLE ignored;",
		".git/config.sql": "CREATE ROLE ignored;",
	})
	stmts, _, err := ParseDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, s := range stmts {
		files = append(files, s.File)
	}
	if want := []string{"10_x.sql", "9_x.sql", "a.sql", "a/z.sql", "b.sql"}; !reflect.DeepEqual(files, want) {
		t.Errorf("files %q, want %q", files, want)
	}

	bad := writeFiles(t, map[string]string{
		"1.sql": "CREATE TABLE ok (a int);\nCREATE ROLE r;\nCREATE TABLE x (;",
		"2.sql": "CREATE TABLE t (a int);\n\nCREATE DATABASE d;\n ALTER SYSTEM SET work_mem = 1;",
		"3.sql": "COPY t TO '/tmp/x';",
		"4.sql": "CREATE TABL x;",
	})
	_, _, err = ParseDir(bad)
	want := "1.sql:3:17: syntax error at or near \";\"\n" +
		"4.sql:1:8: syntax error at or near \"TABL\"\n" +
		"2.sql:3: creates a database\n" +
		"2.sql:4: changes the server configuration (ALTER SYSTEM)\n" +
		"3.sql:1: writes a server file (COPY ... TO 'file')"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	var rej *RejectError
	if !errors.As(err, &rej) || len(rej.Statements) != 3 {
		t.Errorf("want a *RejectError with 3 statements, got %v", err)
	}

	_, _, err = ParseDir(writeFiles(t, map[string]string{"README.md": "x"}))
	if !errors.Is(err, ErrNoFiles) {
		t.Errorf("error %v, want ErrNoFiles", err)
	}
}

func TestParseDir_symlinks(t *testing.T) {
	outside := writeFiles(t, map[string]string{"secret.sql": "CREATE TABLE secret (a int);"})
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE TABLE a (a int);"})
	if err := os.Symlink("a.sql", filepath.Join(dir, "b.sql")); err != nil {
		t.Fatal(err)
	}
	stmts, _, err := ParseDir(dir)
	if err != nil || len(stmts) != 2 {
		t.Fatalf("a link inside the directory is read: %v %+v", err, stmts)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.sql"), filepath.Join(dir, "c.sql")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ParseDir(dir); err == nil || !strings.Contains(err.Error(), "c.sql") {
		t.Fatalf("a link leaving the directory must fail, got %v", err)
	}
}

// BenchmarkParseFile measures splitting 256 KiB of ordinary SQL and of inputs
// built to make the preprocessor scan text again and again (meta-commands
// whose quotes pair with later lines, COPY data, dollar-quoted bodies full of
// backslash lines); all should cost about the same per byte.
func BenchmarkParseFile(b *testing.B) {
	const n = 256 << 10
	for _, c := range []struct{ name, unit string }{
		{"tables", "CREATE TABLE t (a int, b text DEFAULT 'x;y');\n"},
		{"metaCommands", "\\x a\n"},
		{"metaCommandsWithQuotes", "\\x 'a\n"},
		{"metaCommandsBetweenStatements", "\\x 'a\nCREATE TABLE t ();\n"},
		{"copyBlocks", "COPY t FROM stdin;\n1\t'x\n\\.\n"},
		{"multiLineStrings", "SELECT 'a\nb', 'c\nd';\n"},
	} {
		src := []byte(strings.Repeat(c.unit, n/len(c.unit)))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, _, err := ParseFile("f.sql", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("dollarBodyWithBackslashLines", func(b *testing.B) {
		src := []byte("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n" + strings.Repeat("\\x 'y\n", n/6) + "$$;")
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if _, _, err := ParseFile("f.sql", src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
