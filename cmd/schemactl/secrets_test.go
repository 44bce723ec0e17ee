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

package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestLocal_hostilePasswords runs `schemactl plan` and `schemactl apply`, in
// text and JSON output, with every hostile password typed unencoded in the
// URL (the combined one in keyword/value form too), against a server that
// checks passwords: the right password works, and no error path (bad host,
// bad port, refused, auth failed, missing database, bad sslmode) prints any
// piece of it on stdout or stderr. Each error path is run with each command
// and output in turn across the passwords (a run of the binary takes ~0.4 s;
// internal/connstr tests every password on every path).
func TestLocal_hostilePasswords(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cluster := pgtest.NewCluster(t)
	if err := cluster.RequirePasswords(ctx); err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(cluster.Port())
	dir := sqlDir(t, "CREATE TABLE canary (id bigint PRIMARY KEY);\n")
	const role = "canary"
	type form func(pw, host, port, db, sslmode string) string
	rawURL := func(pw, host, port, db, sslmode string) string {
		return "postgres://" + role + ":" + pw + "@" + host + ":" + port + "/" + db + "?sslmode=" + sslmode + "&connect_timeout=60"
	}
	keywordValue := func(pw, host, port, db, sslmode string) string {
		q := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw)
		return fmt.Sprintf("host=%s port=%s user=%s password='%s' dbname=%s sslmode=%s connect_timeout=60", host, port, role, q, db, sslmode)
	}
	combos := [][2]string{{"plan", "sql"}, {"plan", "json"}, {"apply", "sql"}, {"apply", "json"}}
	run := func(t *testing.T, pw, url string, combo [2]string, wantCode int, want string) {
		t.Helper()
		code, out, errOut := runSchemactl(t, []string{"SCHEMACTL_URL=" + url}, combo[0], "--dir", dir, "-o", combo[1], "--timeout", "1m")
		if leaks := pgtest.Leaks(out+errOut, pw); len(leaks) > 0 {
			t.Errorf("%s -o %s shows %q:\n%s\n%s", combo[0], combo[1], leaks, out, errOut)
		}
		if code != wantCode || !strings.Contains(out+errOut, want) {
			t.Errorf("%s -o %s: exit %d, want %d and %q:\n%s\n%s", combo[0], combo[1], code, wantCode, want, out, errOut)
		}
	}
	cases := []struct {
		name    string
		forms   map[string]form
		pwIndex int
	}{}
	for i := range pgtest.HostilePasswords {
		cases = append(cases, struct {
			name    string
			forms   map[string]form
			pwIndex int
		}{"url", map[string]form{"url": rawURL}, i})
	}
	cases = append(cases, struct {
		name    string
		forms   map[string]form
		pwIndex int
	}{"kv", map[string]form{"kv": keywordValue}, 3})
	for n, c := range cases {
		pw := pgtest.HostilePasswords[c.pwIndex]
		form := c.forms[c.name]
		t.Run(c.name+"/"+pw, func(t *testing.T) {
			if err := pgtest.CreateLoginRole(ctx, cluster.URL(), role, pw); err != nil {
				t.Fatal(err)
			}
			db := "db" + strconv.Itoa(n)
			if err := pgtest.CreateDatabase(ctx, cluster.URL(), db, role); err != nil {
				t.Fatal(err)
			}
			// The right password works: changes pending, then applied (JSON).
			run(t, pw, form(pw, "127.0.0.1", port, db, "disable"), combos[0], 2, "CREATE TABLE public.canary")
			run(t, pw, form(pw, "127.0.0.1", port, db, "disable"), combos[3], 0, `"applied": true`)
			paths := []struct {
				host, port, db, sslmode, want string
			}{
				{"nohost.invalid", port, db, "disable", "nohost.invalid"},
				{"127.0.0.1", "notaport", db, "disable", "invalid connection string"},
				{"127.0.0.1", "1", db, "disable", "connection refused"},
				{"127.0.0.1", port, "nosuchdb", "disable", `database \"nosuchdb\" does not exist`},
				{"127.0.0.1", port, db, "bogus", "sslmode is invalid"},
			}
			for j, p := range paths {
				want := strings.ReplaceAll(p.want, `\"`, `"`)
				run(t, pw, form(pw, p.host, p.port, p.db, p.sslmode), combos[(n+j)%len(combos)], 1, want)
			}
			if err := pgtest.CreateLoginRole(ctx, cluster.URL(), role, "other"); err != nil {
				t.Fatal(err)
			}
			run(t, pw, form(pw, "127.0.0.1", port, db, "disable"), combos[(n+len(paths))%len(combos)], 1, "password authentication failed")
		})
	}
}
