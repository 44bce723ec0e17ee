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

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/migrate"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// BenchmarkMigrations_driftCheck measures the drift check of a database migrated by
// a folder of 300 migrations (100 tables, each created, given a column and an
// index over three migrations) against a cached replay, next to pg_dump
// --schema-only of the same database, and prints where the time goes: reading the
// folder (parsing it cold, and with the parsed files cached as the agent has them
// from the second interval on), connecting, reading the history, looking the
// replay up in the cache, inspecting the live database and diffing, each with the
// queries and round trips it costs (counted by a pgx tracer), the inspection on a
// new connection (a new backend, whose catalog caches are cold: what a pass or a
// CLI run that connects pays, as pg_dump does), and PlanMigrations whole (what
// `schemactl plan --format migrations` does). Each figure is the
// fastest of a few interleaved rounds; ns/op is the mean of PlanMigrations. The
// agent's check (read, history, replay lookup, inspection and diff on its open
// connection) and PlanMigrations are reported as ratios to pg_dump (target <= 1).
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

	// The agent's check, phase by phase, on a connection whose queries are counted.
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	tr := &queryCounter{}
	cfg.Tracer = tr
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	// Each round runs every phase once, in the agent's order; a phase's figure is
	// its fastest round (the least disturbed on a loaded machine).
	const rounds = 7
	var (
		d       *migrate.Dir
		st      *drift.MigrationStatus
		desired *drift.Model
		live    *drift.Model
		phases  []*phase
		byName  = map[string]*phase{}
	)
	measure := func(name string, f func() error) {
		b.Helper()
		p := byName[name]
		if p == nil {
			p = &phase{name: name}
			byName[name] = p
			phases = append(phases, p)
		}
		*tr = queryCounter{}
		s := time.Now()
		if err := f(); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		if e := time.Since(s); p.d == 0 || e < p.d {
			p.d = e
		}
		p.queries, p.roundTrips = tr.queries, tr.roundTrips
	}
	scoped := opts.Options
	for range rounds {
		migrate.ResetParseCache()
		measure("read (parse)", func() (err error) { d, err = drift.ReadMigrations(dir, drift.LayoutGolangMigrate); return err })
		measure("read (cached)", func() (err error) { d, err = drift.ReadMigrations(dir, drift.LayoutGolangMigrate); return err })
		measure("connect", func() error {
			c, err := drift.Connect(ctx, url)
			if err == nil {
				err = c.Close(ctx)
			}
			return err
		})
		measure("history", func() (err error) { st, err = drift.MigrationStatusOf(ctx, conn, d); return err })
		if !drift.MigrationsUpToDate(st, opts) {
			b.Fatalf("status: %d pending, %d to adopt", len(st.Pending), len(st.Adopt))
		}
		scoped.Exclude = drift.MigrationHistoryTables(st)
		measure("replay lookup", func() (err error) { desired, _, err = drift.ReplayMigrations(ctx, conn, st, opts); return err })
		measure("inspection", func() (err error) {
			live, err = inspect.Inspect(ctx, conn, inspect.Options{Schemas: scoped.Schemas, Exclude: scoped.Exclude})
			return err
		})
		measure("diff", func() error { _, err := plan.Build(desired, live, plan.Options{}); return err })
		measure("inspection+diff", func() error {
			p, _, err := drift.DiffModel(ctx, conn, desired, scoped)
			if err == nil && !p.Empty() {
				err = fmt.Errorf("drift:\n%s", p.SQL())
			}
			return err
		})
		measure("new conn+inspect", func() error {
			c, err := drift.Connect(ctx, url)
			if err != nil {
				return err
			}
			defer func() { _ = c.Close(ctx) }()
			_, err = inspect.Inspect(ctx, c, inspect.Options{Schemas: scoped.Schemas, Exclude: scoped.Exclude})
			return err
		})
		measure("PlanMigrations", func() error { _, err := drift.PlanMigrations(ctx, opts); return err })
		measure("pg_dump", func() error { _, err := pgtest.Dump(ctx, url); return err })
	}
	at := func(name string) time.Duration { return byName[name].d }
	dump := at("pg_dump")
	agent := at("read (cached)") + at("history") + at("replay lookup") + at("inspection+diff")
	planned := at("PlanMigrations")

	for b.Loop() {
		res, err := drift.PlanMigrations(ctx, opts)
		if err != nil || !res.Drift.Empty() {
			b.Fatalf("drift check: %v", err)
		}
	}
	b.ReportMetric(float64(replay.Milliseconds()), "replay-ms")
	b.ReportMetric(float64(dump.Milliseconds()), "pg_dump-ms")
	b.ReportMetric(float64(agent.Milliseconds()), "check-ms")
	b.ReportMetric(float64(agent)/float64(dump), "check/pg_dump")
	b.ReportMetric(float64(planned)/float64(dump), "plan/pg_dump")
	fmt.Printf("migrations drift check, 300 migrations / 100 tables, fastest of %d rounds:\n", rounds)
	for _, p := range phases {
		fmt.Printf("  %-17s %8v", p.name, p.d.Round(10*time.Microsecond))
		if p.roundTrips > 0 {
			fmt.Printf("  %2d queries, %2d round trips on the open connection", p.queries, p.roundTrips)
		}
		fmt.Println()
	}
	fmt.Printf("agent check (read cached + history + replay lookup + inspection+diff) %v = %.2f x pg_dump; PlanMigrations %v = %.2f x pg_dump (target <= 1); first replay %v\n",
		agent.Round(time.Millisecond), float64(agent)/float64(dump), planned.Round(time.Millisecond), float64(planned)/float64(dump), replay.Round(time.Millisecond))
}

type phase struct {
	name                string
	d                   time.Duration
	queries, roundTrips int
}

// queryCounter is a pgx tracer counting the queries of a connection and its round
// trips (a pipelined batch is one).
type queryCounter struct {
	queries, roundTrips int
}

func (c *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.queries++
	c.roundTrips++
	return ctx
}

func (c *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (c *queryCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.roundTrips++
	return ctx
}

func (c *queryCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	c.queries++
}

func (c *queryCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

func writeFileB(b *testing.B, dir, name, text string) {
	b.Helper()
	writeFileTB(b, dir, name, text)
}
