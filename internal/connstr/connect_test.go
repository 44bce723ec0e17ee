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

package connstr_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemactl/schema-controller/internal/connstr"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// forms are the ways a user writes the same connection: a URL with the
// password as typed, a percent-encoded URL, and keyword/value form.
var forms = map[string]func(user, pw, host, port, db, sslmode string) string{
	"raw URL": func(user, pw, host, port, db, sslmode string) string {
		return "postgres://" + user + ":" + pw + "@" + host + ":" + port + "/" + db + "?sslmode=" + sslmode + "&connect_timeout=60"
	},
	"encoded URL": func(user, pw, host, port, db, sslmode string) string {
		u, err := connstr.Build(connstr.Parts{Host: host, User: user, Password: pw, HasPassword: true, Database: db, SSLMode: sslmode})
		if err != nil {
			panic(err)
		}
		// Build checks the port: put a bad one in by hand.
		return strings.Replace(u, "@"+host+"/", "@"+host+":"+port+"/", 1) + "&connect_timeout=60"
	},
	"keyword/value": func(user, pw, host, port, db, sslmode string) string {
		q := strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw)
		return fmt.Sprintf("host=%s port=%s user=%s password='%s' dbname=%s sslmode=%s connect_timeout=60", host, port, user, q, db, sslmode)
	},
}

// TestOpen_hostilePasswords connects with every hostile password in every form
// to a server that checks passwords: the right password connects, and every
// error path (bad host, bad port, refused, auth failed, missing database, bad
// sslmode) says what went wrong without any piece of the password, and without
// pgx's error types that carry the configuration or the string.
func TestOpen_hostilePasswords(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cluster := pgtest.NewCluster(t)
	if err := cluster.RequirePasswords(ctx); err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(cluster.Port())
	const role = "canary"
	for _, pw := range pgtest.HostilePasswords {
		for name, form := range forms {
			t.Run(name+"/"+pw, func(t *testing.T) {
				if err := pgtest.CreateLoginRole(ctx, cluster.URL(), role, pw); err != nil {
					t.Fatal(err)
				}
				conn, err := connstr.Open(ctx, form(role, pw, "127.0.0.1", port, "postgres", "disable"), nil)
				if err != nil {
					t.Fatalf("the right password does not connect: %v", err)
				}
				_ = conn.Close(ctx)

				cases := []struct {
					what, host, port, db, sslmode, want string
				}{
					{"bad host", "nohost.invalid", port, "postgres", "disable", "nohost.invalid"},
					{"bad port", "127.0.0.1", "notaport", "postgres", "disable", "invalid connection string"},
					{"refused", "127.0.0.1", "1", "postgres", "disable", "connection refused"},
					{"missing database", "127.0.0.1", port, "nosuchdb", "disable", `database "nosuchdb" does not exist`},
					{"bad sslmode", "127.0.0.1", port, "postgres", "bogus", "sslmode is invalid"},
				}
				for _, c := range cases {
					checkError(t, ctx, c.what, form(role, pw, c.host, c.port, c.db, c.sslmode), c.want, pw)
				}
				// Authentication fails when the server holds another password.
				if err := pgtest.CreateLoginRole(ctx, cluster.URL(), role, "other"); err != nil {
					t.Fatal(err)
				}
				checkError(t, ctx, "auth failed", form(role, pw, "127.0.0.1", port, "postgres", "disable"), "password authentication failed", pw)
			})
		}
	}
}

func checkError(t *testing.T, ctx context.Context, what, conn, want, pw string) {
	t.Helper()
	c, err := connstr.Open(ctx, conn, nil)
	if err == nil {
		_ = c.Close(ctx)
		t.Errorf("%s: connected", what)
		return
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if leaks := pgtest.Leaks(text, pw); len(leaks) > 0 {
			t.Errorf("%s: error shows %q: %s", what, leaks, text)
		}
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error %q does not say %q", what, err, want)
	}
	var ce *pgconn.ConnectError
	var pce *pgconn.ParseConfigError
	if errors.As(err, &ce) || errors.As(err, &pce) {
		t.Errorf("%s: error %q wraps pgx's %T, which carries the secret", what, err, err)
	}
}
