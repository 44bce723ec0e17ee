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
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testAdminURL returns the URL of the test server's maintenance database as a
// superuser: the server of SCHEMACTL_TEST_PG_URL, or a throwaway cluster.
func testAdminURL(t testing.TB) string {
	t.Helper()
	return pgtest.Shared(t).AdminURL()
}

// testPrefix returns a scratch prefix of the test's own, so that tests running
// in parallel (here and in other packages) never see each other's scratch
// databases.
func testPrefix(t testing.TB) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sct_" + hex.EncodeToString(b) + "_"
}

func testOptions(t testing.TB) Options {
	return Options{AdminURL: testAdminURL(t), Prefix: testPrefix(t), StatementTimeout: 10 * time.Second}
}

// adminConn connects to the test server's maintenance database.
func adminConn(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, testAdminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// scratchLeft lists the databases and roles whose name starts with prefix.
func scratchLeft(t testing.TB, prefix string) []string {
	t.Helper()
	conn := adminConn(t)
	rows, err := conn.Query(context.Background(), `
		SELECT 'database ' || datname FROM pg_database WHERE starts_with(datname, $1)
		UNION ALL
		SELECT 'role ' || rolname FROM pg_roles WHERE starts_with(rolname, $1)`, prefix)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// writeFiles creates a directory holding files (relative slash paths to
// content).
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func decodeBase64(s string) ([]byte, error) { return base64.StdEncoding.DecodeString(s) }
