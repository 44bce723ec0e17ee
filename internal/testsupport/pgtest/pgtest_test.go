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

package pgtest_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func connect(t *testing.T, u string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func exec(t *testing.T, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func tableExists(t *testing.T, conn *pgx.Conn, name string) bool {
	t.Helper()
	var ok bool
	if err := conn.QueryRow(context.Background(), "SELECT to_regclass($1) IS NOT NULL", name).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	return ok
}

func databaseExists(t *testing.T, s *pgtest.Server, name string) bool {
	t.Helper()
	var n int
	conn := connect(t, s.AdminURL())
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func dbName(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(p.Path, "/")
}

func TestServer_NewDatabase_isolated(t *testing.T) {
	s := pgtest.Shared(t)
	a, b := s.NewDatabase(t), s.NewDatabase(t)
	if dbName(t, a) == dbName(t, b) {
		t.Fatalf("both databases are named %s", dbName(t, a))
	}
	ca, cb := connect(t, a), connect(t, b)
	exec(t, ca, "CREATE TABLE widgets (id int PRIMARY KEY)")
	if !tableExists(t, ca, "public.widgets") {
		t.Fatal("table missing in the database it was created in")
	}
	if tableExists(t, cb, "public.widgets") {
		t.Fatal("table created in one test database is visible in the other")
	}
}

func TestServer_NewDatabase_parallel(t *testing.T) {
	s := pgtest.Shared(t)
	var mu sync.Mutex
	names := map[string]bool{}
	for _, id := range []int{1, 2, 3, 4} {
		t.Run("db", func(t *testing.T) {
			t.Parallel()
			u := s.NewDatabase(t)
			mu.Lock()
			if names[dbName(t, u)] {
				t.Errorf("database %s handed out twice", dbName(t, u))
			}
			names[dbName(t, u)] = true
			mu.Unlock()
			conn := connect(t, u)
			exec(t, conn, "CREATE TABLE widgets (id int PRIMARY KEY)")
			exec(t, conn, "INSERT INTO widgets VALUES ($1)", id)
			rows, err := conn.Query(context.Background(), "SELECT id FROM widgets")
			if err != nil {
				t.Fatal(err)
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 1 || int(ids[0]) != id {
				t.Fatalf("rows = %v, want only %d", ids, id)
			}
		})
	}
}

func TestServer_NewDatabase_droppedAfterTest(t *testing.T) {
	s := pgtest.Shared(t)
	var name string
	t.Run("user", func(t *testing.T) {
		u := s.NewDatabase(t)
		name = dbName(t, u)
		// An open session must not keep the database alive.
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = conn.Close(context.Background()) })
		if !databaseExists(t, s, name) {
			t.Fatalf("database %s missing during the test", name)
		}
	})
	if !strings.HasPrefix(name, "t_testserver_newdatabase_droppedaftertest_") {
		t.Errorf("database name %q does not follow t_<test name>_<random>", name)
	}
	if databaseExists(t, s, name) {
		t.Fatalf("database %s still exists after its test ended", name)
	}
}

func TestServer_URLFor(t *testing.T) {
	s := pgtest.Shared(t)
	got := s.URLFor("other")
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := url.Parse(s.AdminURL())
	if u.Path != "/other" || u.Host != a.Host || u.RawQuery != a.RawQuery || u.User.String() != a.User.String() {
		t.Fatalf("URLFor(other) = %s, admin URL %s", got, s.AdminURL())
	}
}

func TestCluster_StopStartKill(t *testing.T) {
	c := pgtest.NewCluster(t)
	if !strings.Contains(c.URL(), ":"+strconv.Itoa(c.Port())+"/") {
		t.Fatalf("URL %s does not use port %d", c.URL(), c.Port())
	}
	u := c.Server().NewDatabase(t)
	conn := connect(t, u)
	exec(t, conn, "CREATE TABLE events (id int PRIMARY KEY)")
	exec(t, conn, "INSERT INTO events VALUES (1)")
	_ = conn.Close(context.Background())

	if err := c.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if c.Running() {
		t.Fatal("Running after Stop")
	}
	assertDown(t, u)
	if err := c.Start(); err != nil {
		t.Fatalf("Start after Stop: %v", err)
	}
	conn = connect(t, u)
	exec(t, conn, "INSERT INTO events VALUES (2)")
	// The session is open when the server dies, as in a real crash.
	if err := c.Kill(); err != nil {
		t.Fatalf("Kill: %v", err)
	}
	assertDown(t, u)
	if _, err := conn.Exec(context.Background(), "SELECT 1"); err == nil {
		t.Fatal("a session survived Kill")
	}
	if err := c.Start(); err != nil {
		t.Fatalf("Start after Kill: %v", err)
	}
	conn = connect(t, u)
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("rows after stop, start, kill and start = %d, want 2", n)
	}
}

func assertDown(t *testing.T, u string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err == nil {
		_ = conn.Close(ctx)
		t.Fatal("server still accepts connections")
	}
}

func TestNewCluster_removedAfterTest(t *testing.T) {
	var dir, u string
	t.Run("user", func(t *testing.T) {
		c := pgtest.NewCluster(t)
		dir, u = c.Dir(), c.URL()
		if _, err := os.Stat(dir + "/data/PG_VERSION"); err != nil {
			t.Fatalf("cluster directory: %v", err)
		}
		connect(t, u)
	})
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cluster directory %s still there after the test: %v", dir, err)
	}
	assertDown(t, u)
}

func TestStartCluster_Close(t *testing.T) {
	c, err := pgtest.StartCluster()
	if err != nil {
		t.Fatal(err)
	}
	dir, u := c.Dir(), c.URL()
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("cluster directory %s still there after Close: %v", dir, err)
	}
	assertDown(t, u)
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := c.Start(); err == nil {
		t.Fatal("Start after Close succeeded")
	}
}

func TestPgDump_sameSchemaNormalizesEqual(t *testing.T) {
	t.Parallel()
	s := pgtest.Shared(t)
	const schema = `CREATE SCHEMA app;
		CREATE TABLE app.widgets (id bigint PRIMARY KEY, name text NOT NULL DEFAULT '');
		CREATE INDEX widgets_name ON app.widgets (name);
		COMMENT ON TABLE app.widgets IS 'widgets';`
	var dumps []string
	for range 2 {
		u := s.NewDatabase(t)
		exec(t, connect(t, u), schema)
		dumps = append(dumps, pgtest.PgDump(t, u))
	}
	a, b := pgtest.NormalizeDump(dumps[0]), pgtest.NormalizeDump(dumps[1])
	if a != b {
		t.Fatalf("normalized dumps differ:\n%s\n---\n%s", a, b)
	}
	for _, want := range []string{"CREATE SCHEMA app;", "CREATE TABLE app.widgets (", "CREATE INDEX widgets_name ON app.widgets USING btree (name);"} {
		if !strings.Contains(a, want) {
			t.Errorf("normalized dump lacks %q:\n%s", want, a)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(a), "\n") {
		if line == "" || strings.HasPrefix(line, "--") || strings.HasPrefix(line, "SET ") || strings.HasPrefix(line, `\`) {
			t.Errorf("normalized dump keeps %q", line)
		}
	}
}

func TestNormalizeDump(t *testing.T) {
	in := `--
-- PostgreSQL database dump
--

\restrict abc123

-- Dumped from database version 15.20
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.t (
    id integer   
);

\unrestrict abc123
`
	want := "CREATE TABLE public.t (\n    id integer\n);\n"
	if got := pgtest.NormalizeDump(in); got != want {
		t.Fatalf("NormalizeDump = %q, want %q", got, want)
	}
}

func TestDatabaseName(t *testing.T) {
	a := pgtest.DatabaseName("TestX/sub case#01_" + strings.Repeat("long", 40))
	b := pgtest.DatabaseName("TestX/sub case#01_" + strings.Repeat("long", 40))
	if a == b {
		t.Fatal("two names are equal")
	}
	if len(a) > 63 || !strings.HasPrefix(a, "t_testx_sub_case_01_long") {
		t.Fatalf("name %q", a)
	}
	for _, r := range a {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			t.Fatalf("name %q needs quoting", a)
		}
	}
}
