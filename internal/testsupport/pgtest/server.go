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

// Package pgtest runs tests against a real PostgreSQL server: the one named by
// SCHEMACTL_TEST_PG_URL when set, otherwise a throwaway cluster (initdb in a
// temporary directory, a free port on 127.0.0.1, trust authentication) that is
// stopped and removed after the run. Each test gets its own database, dropped when
// the test ends. NewCluster gives fault tests a dedicated cluster they can stop,
// start and kill.
//
// A package shares one server among its tests like this:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
//	func TestX(t *testing.T) {
//		t.Parallel()
//		url := pgtest.Shared(t).NewDatabase(t)
//		...
//	}
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable holding the URL (of the maintenance
// database, as a superuser) of an existing server to run tests against.
const EnvURL = "SCHEMACTL_TEST_PG_URL"

// dbComment marks the databases this package creates with their owning process,
// so that those of crashed runs can be dropped.
const dbComment = "pgtest owner="

// Server is a PostgreSQL server that tests create their databases in: an
// external server or a throwaway Cluster.
type Server struct {
	adminURL string
	cluster  *Cluster
}

// NewServer returns the server named by SCHEMACTL_TEST_PG_URL when set; otherwise
// it starts a throwaway cluster that is removed when t ends. Prefer Shared, which
// starts at most one cluster per test binary.
func NewServer(t testing.TB) *Server {
	t.Helper()
	if u := os.Getenv(EnvURL); u != "" {
		s, err := external(u)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	return NewCluster(t).Server()
}

var shared struct {
	mu      sync.Mutex
	enabled bool
	srv     *Server
	cluster *Cluster
	err     error
}

// Shared returns the server shared by the tests of this binary: the one named by
// SCHEMACTL_TEST_PG_URL when set, otherwise a throwaway cluster started on first
// use. The throwaway cluster needs Main (or UseShared) in TestMain, which removes
// it at the end of the run; without them, Shared fails the test.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv != nil {
		return shared.srv
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	if u := os.Getenv(EnvURL); u != "" {
		shared.srv, shared.err = external(u)
	} else if !shared.enabled {
		t.Fatalf("pgtest.Shared without %s needs pgtest.Main or pgtest.UseShared in TestMain", EnvURL)
	} else if c, err := StartCluster(); err != nil {
		shared.err = fmt.Errorf("starting shared throwaway PostgreSQL cluster: %w", err)
	} else {
		shared.cluster, shared.srv = c, c.Server()
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv
}

// UseShared lets Shared start a throwaway cluster for the rest of the run. The
// returned function stops and removes that cluster, if one was started; call it
// when the tests are done. It is for a TestMain that does more than Main.
func UseShared() (teardown func()) {
	shared.mu.Lock()
	shared.enabled = true
	shared.mu.Unlock()
	return func() {
		shared.mu.Lock()
		defer shared.mu.Unlock()
		if shared.cluster != nil {
			if err := shared.cluster.Close(); err != nil {
				fmt.Fprintf(os.Stderr, "pgtest: closing shared cluster: %v\n", err)
			}
		}
		shared.enabled, shared.srv, shared.cluster, shared.err = false, nil, nil, nil
	}
}

// Main runs the tests with Shared enabled and removes the shared throwaway
// cluster afterwards. It returns m.Run's exit code:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	teardown := UseShared()
	defer teardown()
	return m.Run()
}

var swept sync.Map

// external returns the server at adminURL after checking that it answers. Once
// per process and server it drops the databases left behind by crashed runs on
// this host.
func external(adminURL string) (*Server, error) {
	s := &Server{adminURL: adminURL}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("connecting to the server in %s: %w", EnvURL, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, done := swept.LoadOrStore(adminURL, true); !done {
		sweepDatabases(ctx, conn)
	}
	return s, nil
}

// AdminURL returns the URL of the server's maintenance database as a superuser.
func (s *Server) AdminURL() string { return s.adminURL }

// URLFor returns the URL of the named database, with the admin URL's user and
// parameters.
func (s *Server) URLFor(dbname string) string {
	u, err := url.Parse(s.adminURL)
	if err != nil {
		// adminURL was accepted by pgx, so this is a keyword/value string.
		return s.adminURL + " dbname=" + dbname
	}
	u.Path = "/" + dbname
	u.RawPath = ""
	return u.String()
}

// Cluster returns the throwaway cluster behind the server, or nil for an external
// server.
func (s *Server) Cluster() *Cluster { return s.cluster }

// NewDatabase creates an empty database (from template0, UTF8) with a name unique
// to this test and run, t_<test name>_<random>, and returns its URL. The database
// is dropped, terminating its sessions, when t ends. It is safe for parallel
// tests.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := DatabaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		t.Fatalf("connecting to the PostgreSQL test server: %v", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("creating test database %s: %v", name, err)
	}
	t.Cleanup(func() { s.dropDatabase(t, name) })
	if _, err := conn.Exec(ctx, "COMMENT ON DATABASE "+ident+" IS "+quoteLiteral(dbComment+ownerHost())); err != nil {
		t.Fatalf("marking test database %s: %v", name, err)
	}
	return s.URLFor(name)
}

func (s *Server) dropDatabase(t testing.TB, name string) {
	t.Helper()
	// A stopped or closed throwaway cluster takes its databases with it.
	if s.cluster != nil && !s.cluster.Running() {
		return
	}
	// DROP DATABASE waits for a checkpoint, which on a loaded machine can take
	// minutes. A database left behind is not the test's failure: it is marked
	// with its owner process, and the next run on this host drops it.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err == nil {
		defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
		_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	}
	if err != nil {
		t.Logf("dropping test database %s: %v (the next run drops it)", name, err)
	}
}

// DatabaseName returns a fresh database name for a test: t_, the test name in
// lower case with other characters than letters and digits replaced by _,
// shortened, then _ and 8 random hex digits. It fits PostgreSQL's 63-byte limit
// and needs no quoting.
func DatabaseName(testName string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(testName) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			under = false
		} else if !under {
			b.WriteByte('_')
			under = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	return "t_" + strings.Trim(b.String(), "_") + "_" + hex.EncodeToString(rnd[:])
}

// ownerHost identifies this process and host in database comments.
func ownerHost() string {
	host, _ := os.Hostname()
	return host + " " + ownerToken()
}

// sweepDatabases drops the test databases that processes on this host created
// and did not drop because they died.
func sweepDatabases(ctx context.Context, conn *pgx.Conn) {
	host, _ := os.Hostname()
	rows, err := conn.Query(ctx, `SELECT datname, shobj_description(oid, 'pg_database')
		FROM pg_database WHERE datname LIKE 't\_%' AND shobj_description(oid, 'pg_database') LIKE $1`,
		dbComment+host+" %")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name, comment string
		if rows.Scan(&name, &comment) != nil {
			continue
		}
		if !ownerAlive(strings.TrimPrefix(comment, dbComment+host+" ")) {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	}
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// adminExec runs sql as the server's admin on a connection of its own, for the
// cleanup of test objects; a failure is reported as an error of t, naming what.
func (s *Server) adminExec(t testing.TB, what, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		t.Errorf("%s: connecting: %v", what, err)
		return
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Errorf("%s: %v", what, err)
	}
}
