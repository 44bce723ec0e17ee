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
	"context"
	"errors"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// untrustedExtension returns an extension this server has and does not mark
// trusted, preferring dblink.
func untrustedExtension(t *testing.T) string {
	t.Helper()
	var name string
	err := adminConn(t).QueryRow(testContext(t), `SELECT e.name FROM pg_available_extensions e
		JOIN pg_available_extension_versions v ON v.name = e.name AND v.version = e.default_version
		WHERE NOT v.trusted AND e.name IN ('dblink', 'file_fdw', 'adminpack', 'pg_surgery')
		ORDER BY e.name <> 'dblink', e.name LIMIT 1`).Scan(&name)
	if err != nil {
		t.Fatalf("no untrusted extension on the test server (dblink, file_fdw, adminpack, pg_surgery): %v", err)
	}
	return name
}

// An untrusted extension is refused with file:line before anything runs (the
// warning the first statement would raise never comes, no scratch database is
// made); trusted ones load without configuration, an allowed one loads.
func TestLoad_untrustedExtensionsRefused(t *testing.T) {
	t.Parallel()
	ext := untrustedExtension(t)
	opts := testOptions(t)
	files := map[string]string{"a.sql": "DO $$ BEGIN RAISE WARNING 'executed'; END $$;\n" + // 1
		"CREATE EXTENSION pg_trgm;\n" + // 2
		"CREATE EXTENSION IF NOT EXISTS " + ext + " WITH SCHEMA public;\n" + // 3
		"CREATE TABLE t (a int);\n" + // 4
		"ALTER EXTENSION pg_stat_statements UPDATE;\n"} // 5
	stmts, _, err := ParseDir(writeFiles(t, files))
	if err != nil {
		t.Fatal(err)
	}
	inspected := false
	warnings, err := LoadStatements(testContext(t), stmts, opts, func(context.Context, *pgx.Conn) error {
		inspected = true
		return nil
	})
	var rej *RejectError
	if !errors.As(err, &rej) {
		t.Fatalf("error %v, want a *RejectError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`a.sql:3: extension "` + ext + `" (version `,
		"is not trusted by PostgreSQL and not allowed",
		`a.sql:5: extension "pg_stat_statements" (version `,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	// The engine states the fact; how to allow an extension is its caller's to say.
	if strings.Contains(msg, "--allow-extension") || strings.Contains(msg, "allowedExtensions") {
		t.Errorf("error %q names a flag or field of a caller", msg)
	}
	var notAllowed *ExtensionNotAllowedError
	if !errors.As(err, &notAllowed) || notAllowed.Name != ext || notAllowed.Version == "" || notAllowed.OnTarget {
		t.Errorf("error %v: want an *ExtensionNotAllowedError for %s, got %+v", err, ext, notAllowed)
	}
	if names := notAllowedNames(rej.NotAllowed); names != ext+",pg_stat_statements" {
		t.Errorf("not allowed: %s, want %s,pg_stat_statements", names, ext)
	}
	if len(rej.Statements) != 2 {
		t.Errorf("refused %d statements, want 2: %v", len(rej.Statements), err)
	}
	if len(warnings) != 0 || inspected {
		t.Errorf("something ran: warnings %q, inspected %v", warningStrings(warnings), inspected)
	}
	assertNoScratch(t, opts.Prefix)

	// Allowed, it loads (the test server's admin is a superuser), next to the
	// trusted pg_trgm.
	opts.AllowedExtensions = []string{ext, "pg_stat_statements"}
	files["a.sql"] = strings.Replace(files["a.sql"], "ALTER EXTENSION pg_stat_statements UPDATE", "CREATE EXTENSION pg_stat_statements", 1)
	var got []string
	_, err = Load(testContext(t), writeFiles(t, files), opts, func(ctx context.Context, conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, "SELECT extname::text FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1")
		if err != nil {
			return err
		}
		got, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ext, "pg_stat_statements", "pg_trgm"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("extensions %q, want %q", got, want)
	}
	assertNoScratch(t, opts.Prefix)
}

// Trusted extensions need no configuration; a DO block creating an untrusted
// one runs as the scratch role and fails with permission denied.
func TestLoad_trustedExtensionsAndDoBlocks(t *testing.T) {
	t.Parallel()
	ext := untrustedExtension(t)
	opts := testOptions(t)
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE EXTENSION citext;\nCREATE EXTENSION hstore;\n" +
		"CREATE EXTENSION btree_gin VERSION '1.2';\nALTER EXTENSION btree_gin UPDATE;\n" +
		"CREATE TABLE t (a citext, b hstore);\n"})
	if _, err := Load(testContext(t), dir, opts, nil); err != nil {
		t.Fatal(err)
	}
	dir = writeFiles(t, map[string]string{"a.sql": "CREATE TABLE t (a int);\nDO $$ BEGIN CREATE EXTENSION " + ext + "; END $$;\n"})
	_, err := Load(testContext(t), dir, opts, nil)
	var ee *ExecError
	if !errors.As(err, &ee) || ee.Code != "42501" || ee.Line != 2 {
		t.Errorf("error %v, want permission denied (42501) at a.sql:2", err)
	}
	assertNoScratch(t, opts.Prefix)
}

// The role that runs the desired SQL: LOGIN with CONNECTION LIMIT 1, VALID
// UNTIL the load's deadline, temp_file_limit set; its one session is the
// loader's, so a second one is refused, also after the desired SQL changed the
// role's password (from a DO block: ALTER ROLE as a statement is rejected).
func TestLoad_scratchRoleLeastPrivilege(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	opts.Timeout = 3 * time.Minute
	opts.MaxSize = 64 << 20
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE TABLE t (a int);\n" +
		"DO $$ BEGIN EXECUTE format('ALTER ROLE %I PASSWORD %L', current_user, 'known-to-git'); END $$;\n"})
	cfg, err := pgx.ParseConfig(testAdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	var (
		role       string
		canLogin   bool
		connLimit  int
		validUntil time.Time
		tempLimit  string
		secondErr  error
	)
	start := time.Now()
	_, err = Load(testContext(t), dir, opts, func(ctx context.Context, conn *pgx.Conn) error {
		if err := conn.QueryRow(ctx, `SELECT rolname::text, rolcanlogin, rolconnlimit, rolvaliduntil, current_setting('temp_file_limit')
			FROM pg_roles WHERE rolname = current_user`).Scan(&role, &canLogin, &connLimit, &validUntil, &tempLimit); err != nil {
			return err
		}
		c := cfg.Copy()
		c.User, c.Database, c.Password = role, role, "known-to-git"
		second, err := pgx.ConnectConfig(ctx, c)
		if err == nil {
			_ = second.Close(ctx)
		}
		secondErr = err
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !canLogin || connLimit != 1 {
		t.Errorf("rolcanlogin %v, rolconnlimit %d; want true, 1", canLogin, connLimit)
	}
	if d := validUntil.Sub(start); d < opts.Timeout-time.Minute || d > opts.Timeout+time.Minute {
		t.Errorf("rolvaliduntil %s is %s after the start, want about %s", validUntil, d, opts.Timeout)
	}
	if tempLimit != "64MB" {
		t.Errorf("temp_file_limit %q, want 64MB", tempLimit)
	}
	var pgErr *pgconn.PgError
	if !errors.As(secondErr, &pgErr) || pgErr.Code != "53300" { // too_many_connections
		t.Errorf("second connection as the scratch role: %v, want too many connections (53300)", secondErr)
	}
	assertNoScratch(t, opts.Prefix)
}

// A statement that writes more than MaxSize is stopped while it runs.
func TestLoad_sizeCap(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	opts.MaxSize = 16 << 20 // an empty database takes about 7.5 MiB
	opts.StatementTimeout = time.Minute
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE TABLE t (a int);\n" +
		// Two small sets joined: neither spills to a temporary file
		// (temp_file_limit would stop it first), the table grows.
		"CREATE TABLE big AS SELECT a, b, repeat('x', 200) AS pad FROM generate_series(1, 5000) a, generate_series(1, 1000) b;\n"})
	start := time.Now()
	_, err := Load(testContext(t), dir, opts, nil)
	var se *SizeError
	if !errors.As(err, &se) || se.Max != opts.MaxSize || se.Size <= opts.MaxSize {
		t.Fatalf("error %v, want a *SizeError above %d", err, opts.MaxSize)
	}
	if se.At != "a.sql:2" || !strings.HasPrefix(err.Error(), "a.sql:2: ") {
		t.Errorf("error %q, want it at a.sql:2", err)
	}
	t.Logf("stopped after %s: %v", time.Since(start), err)
	assertNoScratch(t, opts.Prefix)
}

// The whole load is bounded by Options.Timeout, whatever StatementTimeout says.
func TestLoad_timeout(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	opts.StatementTimeout = time.Minute
	opts.Timeout = 2 * time.Second
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE MATERIALIZED VIEW m AS SELECT 1 AS x FROM pg_sleep(30);\n"})
	start := time.Now()
	_, err := Load(testContext(t), dir, opts, nil)
	if !errors.Is(err, errLoadTimeout) || !strings.Contains(err.Error(), "took longer than its timeout (2s)") {
		t.Errorf("error %v, want the load timeout", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the load took %s", d)
	}
	assertNoScratch(t, opts.Prefix)
}

// helperEnv makes the test binary a loader that another test kills.
const helperEnv = "SCHEMACTL_LOAD_HELPER_PREFIX"

// TestLoadHelperProcess is not a test: run by TestLoad_killedLoaderLeftovers as a
// separate process, it loads a statement that sleeps until it is killed.
func TestLoadHelperProcess(t *testing.T) {
	prefix := os.Getenv(helperEnv)
	if prefix == "" {
		t.Skip("helper process for TestLoad_killedLoaderLeftovers")
	}
	opts := Options{AdminURL: testAdminURL(t), Prefix: prefix, StatementTimeout: time.Minute}
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE TABLE t (a int);\nDO $$ BEGIN PERFORM pg_sleep(60); END $$;\n"})
	_, err := Load(context.Background(), dir, opts, nil)
	t.Fatalf("the helper load was not killed: %v", err)
}

// kill -9 of a loader in the middle of a statement leaves its scratch database
// and role (and a backend still running the statement); the next load drops
// them at once, not after some minutes.
func TestLoad_killedLoaderLeftovers(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestLoadHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+opts.Prefix, "SCHEMACTL_TEST_PG_URL="+testAdminURL(t))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	admin := adminConn(t)
	ctx := testContext(t)
	// Wait for the helper's sleeping statement.
	var name string
	deadline := time.Now().Add(time.Minute)
	for name == "" {
		if time.Now().After(deadline) {
			t.Fatalf("the helper never reached its sleeping statement; its output:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
		err := admin.QueryRow(ctx, `SELECT datname::text FROM pg_stat_activity
			WHERE starts_with(datname, $1) AND usename = datname AND state = 'active' AND query LIKE '%pg_sleep(60)%'`, opts.Prefix).Scan(&name)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			t.Fatal(err)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed = true
	_ = cmd.Wait()
	left := scratchLeft(t, opts.Prefix)
	if want := []string{"database " + name, "role " + name}; !reflect.DeepEqual(left, want) {
		t.Fatalf("after kill -9: %q, want %q", left, want)
	}
	// The server ends the killed client's idle admin session, and with it
	// the lock, as soon as it sees the connection closed; the role's backend
	// still runs its pg_sleep.
	key := lockKey(name)
	for held := true; held; {
		if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory'
			AND classid::int8 = $1 AND objid::int8 = $2)`, int64(uint64(key)>>32), int64(uint64(key)&0xffffffff)).Scan(&held); err != nil { //nolint:gosec // G115: the key's bits, split as pg_locks shows them
			t.Fatal(err)
		}
		if held && ctx.Err() != nil {
			t.Fatal("the killed loader's lock is still held")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var busy bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = $1)", name).Scan(&busy); err != nil {
		t.Fatal(err)
	}
	if !busy {
		t.Log("the killed loader's backend already ended")
	}

	start := time.Now()
	if _, err := Load(ctx, writeFiles(t, map[string]string{"a.sql": "CREATE TABLE t ();"}), opts, nil); err != nil {
		t.Fatal(err)
	}
	if left := scratchLeft(t, opts.Prefix); len(left) > 0 {
		t.Errorf("after the second load: %q left", left)
	}
	t.Logf("second load, leftovers included, took %s", time.Since(start))
}

func notAllowedNames(list []*ExtensionNotAllowedError) string {
	names := make([]string, len(list))
	for i, e := range list {
		names[i] = e.Name
	}
	return strings.Join(names, ",")
}
