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

package pgtest

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// NewRole creates a LOGIN role with a name unique to this test and run (r_<test
// name>_<random>), the given CREATE ROLE options (e.g. "SUPERUSER", "CREATEROLE
// NOINHERIT"; "" for none), and runs the statements of setup as the admin user
// after replacing %s in them by the quoted role name (e.g. "GRANT
// pg_execute_server_program TO %s"). It returns the role's name. The role is
// dropped when t ends; create it before the databases it will own objects in, so
// that those (dropped on cleanup, last in first out) are gone by then.
func (s *Server) NewRole(t testing.TB, options string, setup ...string) string {
	t.Helper()
	name := "r" + DatabaseName(t.Name())[1:]
	ident := pgx.Identifier{name}.Sanitize()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		t.Fatalf("connecting to the PostgreSQL test server: %v", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "CREATE ROLE "+ident+" LOGIN "+options); err != nil {
		t.Fatalf("creating test role %s: %v", name, err)
	}
	t.Cleanup(func() { s.dropRole(t, name) })
	for _, sql := range setup {
		sql = strings.ReplaceAll(sql, "%s", ident)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	return name
}

func (s *Server) dropRole(t testing.TB, name string) {
	t.Helper()
	if s.cluster != nil && !s.cluster.Running() {
		return
	}
	s.adminExec(t, "dropping test role "+name, "DROP ROLE IF EXISTS "+pgx.Identifier{name}.Sanitize())
}

// URLAs returns dbURL (a URL of this package's servers) with its user replaced by
// role and no password: the test servers trust local connections.
func URLAs(t testing.TB, dbURL, role string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil || u.Scheme == "" {
		t.Fatalf("URLAs needs a postgres:// URL")
	}
	u.User = url.User(role)
	return u.String()
}
