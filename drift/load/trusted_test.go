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
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

const leakproofSQL = "CREATE TABLE t (a int);\n" +
	"-- a comparison the planner may push below a security barrier\n" +
	"CREATE FUNCTION public.same(a integer, b integer) RETURNS boolean\n" +
	"    LANGUAGE sql IMMUTABLE STRICT LEAKPROOF\n" +
	"    AS $$ SELECT a = b $$;\n" +
	"CREATE FUNCTION public.plain(x text) RETURNS text LANGUAGE sql AS $$ SELECT x $$;\n" +
	"ALTER FUNCTION public.plain(text) LEAKPROOF;\n"

// recordAdmin records what the loader executes on the admin's session in the
// scratch database while the test runs. Tests that use it do not run in parallel.
func recordAdmin(t *testing.T) func() []string {
	var (
		mu  sync.Mutex
		got []string
	)
	adminStatementHook = func(sql string) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, sql)
	}
	t.Cleanup(func() { adminStatementHook = nil })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

// By default a LEAKPROOF declaration is refused before anything runs, with its
// file:line and the opt-in named.
func TestLoad_leakproofRefusedByDefault(t *testing.T) {
	opts := testOptions(t)
	admin := recordAdmin(t)
	dir := writeFiles(t, map[string]string{"a.sql": leakproofSQL})
	called := false
	_, err := Load(testContext(t), dir, opts, func(context.Context, *pgx.Conn) error { called = true; return nil })
	var rej *RejectError
	if !errors.As(err, &rej) {
		t.Fatalf("error %v, want a *RejectError", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "a.sql:3: declares a LEAKPROOF function") || !strings.HasPrefix(lines[1], "a.sql:7: declares a LEAKPROOF function") {
		t.Errorf("error:\n%s\nwant a.sql:3 and a.sql:7 refused", err)
	}
	for _, want := range []string{"--scratch-trusted-statements leakproof", "spec.scratchTrustedStatements: [leakproof]"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("error %q does not name the opt-in %q", lines[0], want)
		}
	}
	if called || len(admin()) != 0 {
		t.Errorf("the load ran something: inspect called %v, admin statements %q", called, admin())
	}
	assertNoScratch(t, opts.Prefix)
}

// Opted in, the scratch role creates the functions NOT LEAKPROOF and the admin
// runs exactly ALTER FUNCTION <identity> LEAKPROOF for each, named from the
// catalog: no other statement, and never Git's text.
func TestLoad_leakproofTrusted(t *testing.T) {
	opts := testOptions(t)
	opts.TrustedStatements = []string{TrustedLeakproof}
	admin := recordAdmin(t)
	dir := writeFiles(t, map[string]string{"a.sql": leakproofSQL})
	var got map[string]bool
	_, err := Load(testContext(t), dir, opts, func(ctx context.Context, conn *pgx.Conn) error {
		rows, err := conn.Query(ctx, "SELECT proname::text, proleakproof FROM pg_proc WHERE pronamespace = 'public'::regnamespace")
		if err != nil {
			return err
		}
		got = map[string]bool{}
		for rows.Next() {
			var n string
			var lp bool
			if err := rows.Scan(&n, &lp); err != nil {
				return err
			}
			got[n] = lp
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"same": true, "plain": true}; !reflect.DeepEqual(got, want) {
		t.Errorf("functions (name: leakproof) %v, want %v", got, want)
	}
	want := []string{"ALTER FUNCTION public.same(a integer, b integer) LEAKPROOF", "ALTER FUNCTION public.plain(x text) LEAKPROOF"}
	if got := admin(); !reflect.DeepEqual(got, want) {
		t.Errorf("admin statements %q, want exactly %q", got, want)
	}
	for _, s := range admin() {
		if strings.Contains(leakproofSQL, s) || strings.Contains(s, "$$") {
			t.Errorf("the admin ran Git's text: %q", s)
		}
	}
	assertNoScratch(t, opts.Prefix)
}

// The opt-in trusts LEAKPROOF and nothing else: another statement only a
// superuser may run still fails as the scratch role, and an unknown kind is an
// error of the options.
func TestLoad_trustedStatementsNarrow(t *testing.T) {
	opts := testOptions(t)
	opts.TrustedStatements = []string{TrustedLeakproof}
	admin := recordAdmin(t)
	dir := writeFiles(t, map[string]string{"a.sql": "CREATE TABLE t (a int);\n" +
		"CREATE FUNCTION public.f(integer) RETURNS integer LANGUAGE c AS 'int4abs';\n"})
	_, err := Load(testContext(t), dir, opts, nil)
	var ee *ExecError
	if !errors.As(err, &ee) || ee.Code != "42501" || ee.Line != 2 {
		t.Errorf("error %v, want a.sql:2 refused with SQLSTATE 42501 (permission denied for language c)", err)
	}
	if got := admin(); len(got) != 0 {
		t.Errorf("admin statements %q, want none", got)
	}
	assertNoScratch(t, opts.Prefix)

	opts.TrustedStatements = []string{"superuser"}
	_, err = Load(testContext(t), dir, opts, nil)
	if want := `load options: unknown trusted statement kind "superuser" (known: leakproof)`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

// With an admin that is not a superuser the opt-in cannot be honoured: the load
// fails at the statement's file:line and says why.
func TestLoad_leakproofNeedsSuperuserAdmin(t *testing.T) {
	opts := testOptions(t)
	opts.TrustedStatements = []string{TrustedLeakproof}
	admin := "adm" + strings.TrimSuffix(opts.Prefix, "_")
	execAll(t, testAdminURL(t), "CREATE ROLE "+admin+" LOGIN CREATEDB CREATEROLE")
	t.Cleanup(func() { execAll(t, testAdminURL(t), "DROP ROLE IF EXISTS "+admin) })
	cfg, err := pgx.ParseConfig(testAdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	opts.AdminURL = fmt.Sprintf("postgres://%s@%s:%d/postgres?sslmode=disable", admin, cfg.Host, cfg.Port)
	dir := writeFiles(t, map[string]string{"a.sql": leakproofSQL})
	_, err = Load(testContext(t), dir, opts, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "a.sql:3:") || !strings.Contains(err.Error(), "LEAKPROOF needs a superuser admin") {
		t.Errorf("error %v, want a.sql:3: ... LEAKPROOF needs a superuser admin", err)
	}
	assertNoScratch(t, opts.Prefix)
}
