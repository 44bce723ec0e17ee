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

package migrate_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// BenchmarkMigrations_driftCheck measures the drift check of a database migrated by
// a folder of 300 migrations (100 tables, each created, given a column and an
// index over three migrations) against a cached replay — the status read, the
// live inspection and the plan, as the agent does on every interval once the
// revision's replay is cached — next to pg_dump --schema-only of the same
// database. It reports both per operation (ns/op is the drift check).
func BenchmarkMigrations_driftCheck(b *testing.B) {
	srv := pgtest.Shared(b)
	url := srv.NewDatabase(b)
	dir := b.TempDir()
	for i := 1; i <= 100; i++ {
		v := 3*i - 2
		writeFileB(b, dir, fmt.Sprintf("%04d_create_t%d.up.sql", v, i),
			fmt.Sprintf("CREATE TABLE t%d (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n", i))
		writeFileB(b, dir, fmt.Sprintf("%04d_t%d_note.up.sql", v+1, i), fmt.Sprintf("ALTER TABLE t%d ADD COLUMN note varchar(200);\n", i))
		writeFileB(b, dir, fmt.Sprintf("%04d_t%d_name_idx.up.sql", v+2, i), fmt.Sprintf("CREATE INDEX t%d_name_idx ON t%d (name);\n", i, i))
	}
	opts := drift.MigrationOptions{Options: drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir}, Layout: drift.LayoutGolangMigrate, Cache: &drift.Cache{}}
	ctx := context.Background()
	if res, err := drift.ApplyMigrations(ctx, opts); err != nil || len(res.Ran) != 300 {
		b.Fatalf("applying 300 migrations: %v", err)
	}
	start := time.Now()
	res, err := drift.PlanMigrations(ctx, opts) // replays into the cache
	if err != nil || !res.Drift.Empty() {
		b.Fatalf("first drift check: %v", err)
	}
	replay := time.Since(start)
	var dump time.Duration
	for range 3 {
		s := time.Now()
		if _, err := pgtest.Dump(ctx, url); err != nil {
			b.Fatal(err)
		}
		dump += time.Since(s)
	}
	for b.Loop() {
		res, err := drift.PlanMigrations(ctx, opts)
		if err != nil || !res.Drift.Empty() {
			b.Fatalf("drift check: %v", err)
		}
	}
	b.ReportMetric(float64(replay.Milliseconds()), "replay-ms")
	b.ReportMetric(float64(dump.Milliseconds())/3, "pg_dump-ms")
}

func writeFileB(b *testing.B, dir, name, text string) {
	b.Helper()
	writeFileTB(b, dir, name, text)
}
