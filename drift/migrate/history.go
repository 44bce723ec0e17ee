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

package migrate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
)

// TableDDL creates schemactl.migrations, where schemactl records each migration
// it ran (or adopted from another tool's history). A repeatable migration has
// the empty version and is keyed by its file. dirty is true while a migration
// that runs outside a transaction is running, and stays true when it failed
// half-way: the next apply refuses to go on until someone checks the database
// and deletes the row.
const TableDDL = `CREATE TABLE IF NOT EXISTS schemactl.migrations (
	version    text        NOT NULL,
	name       text        NOT NULL,
	file       text        NOT NULL,
	checksum   text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	duration   interval    NOT NULL DEFAULT '0',
	applied_by text        NOT NULL DEFAULT CURRENT_USER,
	source     text        NOT NULL DEFAULT '',
	dirty      boolean     NOT NULL DEFAULT false,
	PRIMARY KEY (version, file)
)`

// The tools whose history tables are read, as Applied.Tool names them.
const (
	ToolSchemactl     = "schemactl"
	ToolGolangMigrate = "golang-migrate"
	ToolFlyway        = "flyway"
	ToolDbmate        = "dbmate"
	ToolAtlas         = "atlas"
)

// Applied is a migration a history table records as applied.
type Applied struct {
	Version   string        `json:"version,omitempty"`
	Name      string        `json:"name,omitempty"`
	File      string        `json:"file,omitempty"`
	Checksum  string        `json:"checksum,omitempty"`
	AppliedAt time.Time     `json:"appliedAt"`
	Duration  time.Duration `json:"duration"`
	AppliedBy string        `json:"appliedBy,omitempty"`
	// Tool is the history it comes from: schemactl, golang-migrate, flyway or
	// dbmate.
	Tool string `json:"tool"`
	// Dirty is a migration that failed half-way (golang-migrate's dirty flag,
	// Flyway's success = false, schemactl's dirty row).
	Dirty bool `json:"dirty,omitempty"`
	// FlywayChecksum is Flyway's checksum of the file when it ran.
	FlywayChecksum *int32 `json:"-"`
	// AtlasHash is the file's atlas.sum hash Atlas recorded when it ran.
	AtlasHash string `json:"-"`
	// UpTo is set for golang-migrate, whose table holds only the last version:
	// every version up to it is applied.
	UpTo bool `json:"-"`
	// Baseline is a Flyway baseline: every version up to it counts as applied.
	Baseline bool `json:"-"`
}

// History is what the history tables of a database record.
type History struct {
	// Rows are schemactl's own rows and those of the other tools.
	Rows []Applied
	// Tables are the history tables found, "schema.table" (schemactl's
	// included when it exists); the drift check leaves them alone.
	Tables []string
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// ReadHistory reads schemactl.migrations and the history tables of
// golang-migrate (schema_migrations with version bigint and dirty), dbmate
// (schema_migrations with a text version) and Flyway (flyway_schema_history), in
// any schema.
func ReadHistory(ctx context.Context, q querier) (*History, error) {
	h := &History{}
	rows, err := q.Query(ctx, `SELECT n.nspname, c.relname,
	coalesce((SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
	          WHERE a.attrelid = c.oid AND a.attname = 'version' AND NOT a.attisdropped), ''),
	EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'dirty' AND NOT a.attisdropped)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND (c.relname IN ('schema_migrations', 'flyway_schema_history', 'atlas_schema_revisions') OR (n.nspname = 'schemactl' AND c.relname = 'migrations'))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("looking for migration history tables: %w", err)
	}
	type table struct {
		schema, name, versionType string
		dirty                     bool
	}
	var tables []table
	for rows.Next() {
		var t table
		if err := rows.Scan(&t.schema, &t.name, &t.versionType, &t.dirty); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("looking for migration history tables: %w", err)
	}
	for _, t := range tables {
		ident := pgx.Identifier{t.schema, t.name}.Sanitize()
		var (
			got []Applied
			err error
		)
		switch {
		case t.schema == "schemactl" && t.name == "migrations":
			got, err = readSchemactl(ctx, q)
		case t.name == "flyway_schema_history":
			got, err = readFlyway(ctx, q, ident)
		case t.name == "atlas_schema_revisions":
			got, err = readAtlas(ctx, q, ident)
		case t.name == "schema_migrations" && t.dirty && (t.versionType == "bigint" || t.versionType == "integer"):
			got, err = readGolangMigrate(ctx, q, ident)
		case t.name == "schema_migrations" && !t.dirty:
			got, err = readDbmate(ctx, q, ident)
		default:
			continue // a schema_migrations of another tool (Rails has version varchar too: read as dbmate's)
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s.%s: %w", t.schema, t.name, err)
		}
		h.Tables = append(h.Tables, t.schema+"."+t.name)
		h.Rows = append(h.Rows, got...)
	}
	return h, nil
}

func readSchemactl(ctx context.Context, q querier) ([]Applied, error) {
	rows, err := q.Query(ctx, `SELECT version, name, file, checksum, applied_at, extract(epoch FROM duration)::float8, applied_by, dirty
FROM schemactl.migrations ORDER BY applied_at, version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		a := Applied{Tool: ToolSchemactl}
		var secs float64
		if err := rows.Scan(&a.Version, &a.Name, &a.File, &a.Checksum, &a.AppliedAt, &secs, &a.AppliedBy, &a.Dirty); err != nil {
			return nil, err
		}
		a.Duration = time.Duration(secs * float64(time.Second))
		out = append(out, a)
	}
	return out, rows.Err()
}

// readGolangMigrate reads golang-migrate's table: one row, the last version
// applied, and whether it failed half-way (dirty).
func readGolangMigrate(ctx context.Context, q querier, ident string) ([]Applied, error) {
	var (
		v     int64
		dirty bool
	)
	err := q.QueryRow(ctx, "SELECT version, dirty FROM "+ident+" ORDER BY version DESC LIMIT 1").Scan(&v, &dirty)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []Applied{{Version: fmt.Sprint(v), Tool: ToolGolangMigrate, Dirty: dirty, UpTo: true}}, nil
}

// readDbmate reads dbmate's table: a row per applied version.
func readDbmate(ctx context.Context, q querier, ident string) ([]Applied, error) {
	rows, err := q.Query(ctx, "SELECT version::text FROM "+ident)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		a := Applied{Tool: ToolDbmate}
		if err := rows.Scan(&a.Version); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// readFlyway reads flyway_schema_history: versioned rows (type SQL, or BASELINE
// for a baseline), repeatable rows (no version; the latest per script counts),
// success = false for a failed migration.
func readFlyway(ctx context.Context, q querier, ident string) ([]Applied, error) {
	rows, err := q.Query(ctx, `SELECT coalesce(version, ''), coalesce(description, ''), coalesce(script, ''), checksum, coalesce(installed_by, ''),
	installed_on, coalesce(execution_time, 0), success, coalesce(type, '')
FROM `+ident+` WHERE coalesce(type, '') NOT IN ('DELETE', 'UNDO_SQL', 'SCHEMA') ORDER BY installed_rank`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	latest := map[string]int{}
	var out []Applied
	for rows.Next() {
		a := Applied{Tool: ToolFlyway}
		var (
			sum     *int32
			ms      int32
			success bool
			typ     string
		)
		if err := rows.Scan(&a.Version, &a.Name, &a.File, &sum, &a.AppliedBy, &a.AppliedAt, &ms, &success, &typ); err != nil {
			return nil, err
		}
		a.FlywayChecksum, a.Duration, a.Dirty = sum, time.Duration(ms)*time.Millisecond, !success
		a.Baseline = typ == "BASELINE"
		if a.Version == "" {
			if i, ok := latest[a.File]; ok {
				out[i] = a
				continue
			}
			latest[a.File] = len(out)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// readAtlas reads Atlas's revision table (atlas_schema_revisions in its own schema
// by default): a row per version; type has the bits baseline (1), execute (2)
// and resolved (4); a revision with fewer statements applied than its total, or
// an error, failed half-way; hash is the file's atlas.sum hash. Rows whose
// version is not a version (Atlas's own identifiers) are skipped.
func readAtlas(ctx context.Context, q querier, ident string) ([]Applied, error) {
	rows, err := q.Query(ctx, `SELECT version, coalesce(description, ''), type, applied, total, executed_at, execution_time,
	coalesce(error, ''), coalesce(hash, ''), coalesce(operator_version, '')
FROM `+ident+` WHERE version ~ '^[0-9]' ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		a := Applied{Tool: ToolAtlas}
		var (
			typ, applied, total, ns int64
			errText                 string
		)
		if err := rows.Scan(&a.Version, &a.Name, &typ, &applied, &total, &a.AppliedAt, &ns, &errText, &a.AtlasHash, &a.AppliedBy); err != nil {
			return nil, err
		}
		a.Duration = time.Duration(ns)
		a.Baseline = typ&1 != 0 && typ&2 == 0
		a.Dirty = !a.Baseline && typ&4 == 0 && (applied < total || errText != "")
		out = append(out, a)
	}
	return out, rows.Err()
}

// State is the state of a migration against a database.
type State string

// The states a Status reports.
const (
	StateApplied    State = "applied"
	StatePending    State = "pending"
	StateChanged    State = "changed"
	StateMissing    State = "missing"
	StateDirty      State = "dirty"
	StateOutOfOrder State = "out-of-order"
)

// Entry is one line of a status: a migration file, an applied migration, or both.
type Entry struct {
	Version string `json:"version,omitempty"`
	Name    string `json:"name,omitempty"`
	File    string `json:"file,omitempty"`
	State   State  `json:"state"`
	// Applied is the history row, when there is one.
	Applied *Applied `json:"applied,omitempty"`
	// Migration is the file's migration, when there is one.
	Migration *Migration `json:"-"`
}

// Status is the state of every migration of a folder against a database.
type Status struct {
	// Entries are all of them, in the folder's order, then the missing ones.
	Entries []Entry
	// Applied are the migrations of the folder the database has, in order (for
	// the replay of the drift check).
	Applied []*Migration
	// Pending are the migrations to run, in order (out-of-order ones included).
	Pending []*Migration
	// Changed are applied migrations whose file changed since.
	Changed []Entry
	// Missing are applied migrations without a file.
	Missing []Entry
	// Dirty are migrations that failed half-way.
	Dirty []Entry
	// OutOfOrder are pending migrations older than the newest applied one.
	OutOfOrder []*Migration
	// Adopt are migrations another tool's history records and schemactl.migrations
	// does not: the next apply records them there without running them.
	Adopt []Adopted
	// Latest is the newest applied version.
	Latest string
	// Tables are the history tables of the database.
	Tables []string
}

// Adopted is a migration that another tool applied.
type Adopted struct {
	Migration *Migration
	Tool      string
}

// NewStatus compares the folder with the history of a database.
func NewStatus(d *Dir, h *History) *Status {
	st := &Status{Tables: h.Tables}
	ours := map[string]*Applied{}    // version, or file for a repeatable
	foreign := map[string]*Applied{} // version, or file for a Flyway repeatable
	var upTo []*Applied              // golang-migrate's last version, Flyway's baselines
	for i := range h.Rows {
		a := &h.Rows[i]
		key := a.Version
		if key == "" {
			key = "R:" + a.File
		} else {
			key = canonicalVersion(key)
		}
		if a.Tool == ToolSchemactl {
			ours[key] = a
			continue
		}
		if a.UpTo || a.Baseline {
			upTo = append(upTo, a)
		}
		if !a.UpTo {
			foreign[key] = a
		}
	}
	newest := func(v string) {
		if v != "" && (st.Latest == "" || CompareVersions(v, st.Latest) > 0) {
			st.Latest = v
		}
	}
	for _, a := range h.Rows {
		if !a.Dirty {
			newest(a.Version)
		}
	}
	seen := map[string]bool{}
	for _, m := range d.Migrations {
		key := "R:" + m.File
		if !m.Repeatable {
			key = canonicalVersion(m.Version)
		}
		seen[key] = true
		e := Entry{Version: m.Version, Name: m.Name, File: m.File, Migration: m}
		if a, ok := ours[key]; ok {
			e.Applied = a
			switch {
			case a.Dirty:
				e.State = StateDirty
				st.Dirty = append(st.Dirty, e)
			case a.Checksum != m.Checksum && m.Repeatable:
				e.State = StatePending
				st.Pending = append(st.Pending, m)
			case a.Checksum != m.Checksum:
				e.State = StateChanged
				st.Changed = append(st.Changed, e)
			default:
				e.State = StateApplied
				st.Applied = append(st.Applied, m)
			}
			st.Entries = append(st.Entries, e)
			continue
		}
		if a, ok := foreign[key]; ok && !a.Baseline {
			e.Applied = a
			switch {
			case a.Dirty:
				e.State = StateDirty
				st.Dirty = append(st.Dirty, e)
			case a.FlywayChecksum != nil && *a.FlywayChecksum != m.FlywayChecksum && m.Repeatable:
				e.State = StatePending
				st.Pending = append(st.Pending, m)
			case a.FlywayChecksum != nil && *a.FlywayChecksum != m.FlywayChecksum,
				a.AtlasHash != "" && m.AtlasHash != "" && a.AtlasHash != m.AtlasHash:
				e.State = StateChanged
				st.Changed = append(st.Changed, e)
			default:
				e.State = StateApplied
				st.Applied = append(st.Applied, m)
				st.Adopt = append(st.Adopt, Adopted{Migration: m, Tool: a.Tool})
			}
			st.Entries = append(st.Entries, e)
			continue
		}
		if !m.Repeatable {
			covered := false
			for _, a := range upTo {
				if CompareVersions(m.Version, a.Version) <= 0 {
					if a.UpTo && canonicalVersion(a.Version) == key && a.Dirty {
						e.Applied, e.State = a, StateDirty
						st.Dirty = append(st.Dirty, e)
						covered = true
						break
					}
					e.Applied, e.State, covered = a, StateApplied, true
					st.Applied = append(st.Applied, m)
					st.Adopt = append(st.Adopt, Adopted{Migration: m, Tool: a.Tool})
					break
				}
			}
			if covered {
				st.Entries = append(st.Entries, e)
				continue
			}
		}
		e.State = StatePending
		if !m.Repeatable && st.Latest != "" && CompareVersions(m.Version, st.Latest) < 0 {
			e.State = StateOutOfOrder
			st.OutOfOrder = append(st.OutOfOrder, m)
		}
		st.Pending = append(st.Pending, m)
		st.Entries = append(st.Entries, e)
	}
	var missing []Entry
	add := func(key string, a *Applied) {
		if seen[key] || a.Baseline {
			return
		}
		seen[key] = true
		missing = append(missing, Entry{Version: a.Version, Name: a.Name, File: a.File, State: StateMissing, Applied: a})
	}
	for k, a := range ours {
		add(k, a)
	}
	for k, a := range foreign {
		add(k, a)
	}
	for _, a := range upTo {
		if a.UpTo {
			add(canonicalVersion(a.Version), a)
		}
	}
	sort.Slice(missing, func(i, j int) bool {
		if c := CompareVersions(missing[i].Version, missing[j].Version); c != 0 {
			return c < 0
		}
		return missing[i].File < missing[j].File
	})
	st.Missing = missing
	st.Entries = append(st.Entries, missing...)
	return st
}
