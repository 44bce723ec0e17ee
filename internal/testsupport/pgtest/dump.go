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
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PgDump returns the schema of the database at url as pg_dump prints it with
// --schema-only --no-owner --no-privileges, failing t on error. Compare dumps
// after NormalizeDump.
func PgDump(t testing.TB, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := Dump(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Dump is PgDump for callers without a testing.TB, such as benchmarks' setup.
// It uses the pg_dump of the server's major version under
// /usr/lib/postgresql/<major>/bin when present, else a newer one there, else the
// one on PATH (pg_dump refuses servers newer than itself).
func Dump(ctx context.Context, url string) (string, error) {
	bin, err := pgDumpFor(ctx, url)
	if err != nil {
		return "", err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--schema-only", "--no-owner", "--no-privileges", "--dbname", url) //nolint:gosec // G204: pg_dump of the installation findBinDir chose
	cmd.Env = serverEnv()
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pg_dump: %w: %s", err, tail(stderr.Bytes()))
	}
	return stdout.String(), nil
}

func pgDumpFor(ctx context.Context, url string) (string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", fmt.Errorf("connecting to find the server version: %w", err)
	}
	var num int
	err = conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&num)
	_ = conn.Close(ctx)
	if err != nil {
		return "", fmt.Errorf("reading the server version: %w", err)
	}
	major := num / 10000
	if d := os.Getenv(EnvBinDir); d != "" {
		if p := filepath.Join(d, "pg_dump"); isFile(p) {
			return p, nil
		}
	}
	dirs := versionedBinDirs("pg_dump")
	for _, d := range dirs {
		if d.major == major {
			return filepath.Join(d.dir, "pg_dump"), nil
		}
	}
	if len(dirs) > 0 && dirs[0].major > major {
		return filepath.Join(dirs[0].dir, "pg_dump"), nil
	}
	p, err := exec.LookPath("pg_dump")
	if err != nil {
		return "", fmt.Errorf("no pg_dump for PostgreSQL %d: install the PostgreSQL client", major)
	}
	return p, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p) //nolint:gosec // G703: probes candidate pg_dump paths, reads nothing
	return err == nil && fi.Mode().IsRegular()
}

// NormalizeDump keeps only the statements of a pg_dump script that describe the
// schema: it drops comment lines, blank lines, SET and set_config lines, and
// psql meta-commands such as \restrict and \unrestrict (whose key is random per
// dump) and \connect. Two databases with the same schema normalize equal.
func NormalizeDump(dump string) string {
	var b strings.Builder
	for _, line := range strings.Split(dump, "\n") {
		line = strings.TrimRight(line, " \t\r")
		switch {
		case line == "",
			strings.HasPrefix(line, "--"),
			strings.HasPrefix(line, `\`),
			strings.HasPrefix(line, "SET "),
			strings.HasPrefix(line, "SELECT pg_catalog.set_config("):
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
