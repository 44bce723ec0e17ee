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
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ExecOptions tune Execute.
type ExecOptions struct {
	// LockTimeout is the lock_timeout of every statement (required: the caller's
	// default).
	LockTimeout time.Duration
	// StatementTimeout is the statement_timeout of every statement.
	StatementTimeout time.Duration
	// AppliedBy is recorded in schemactl.migrations.applied_by; empty means the
	// database role.
	AppliedBy string
	// Source is recorded in schemactl.migrations.source (the folder or revision).
	Source string
	// ServerVersionNum is the server's server_version_num: before 12, ALTER TYPE
	// ... ADD VALUE runs only outside a transaction block.
	ServerVersionNum int
}

// Ran is a migration Execute ran.
type Ran struct {
	Migration *Migration
	// Transactional is false for a migration run statement by statement.
	Transactional bool
	Duration      time.Duration
}

// ExecError is a migration that failed: the statement at File:Line and
// PostgreSQL's error. A transactional migration was rolled back entirely; a
// migration run outside a transaction keeps the statements before the failed
// one and is recorded dirty.
type ExecError struct {
	Migration *Migration
	File      string
	Line      int
	SQL       string
	// Transactional tells whether the migration was rolled back.
	Transactional bool
	Err           error
}

func (e *ExecError) Error() string {
	what := "rolled back; nothing of it was applied"
	if !e.Transactional {
		what = "it ran outside a transaction: the statements before this one are committed and the migration is recorded dirty in schemactl.migrations; fix the database, then delete that row and apply again"
	}
	return fmt.Sprintf("%s:%d: migration %s failed: %s (%s)", e.File, e.Line, e.Migration.Label(), pgMessage(e.Err), what)
}

func (e *ExecError) Unwrap() error { return e.Err }

func pgMessage(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		msg := pg.Message + " (SQLSTATE " + pg.Code + ")"
		if pg.Detail != "" {
			msg += ": " + pg.Detail
		}
		return msg
	}
	return err.Error()
}

// Transactional tells whether m runs in a transaction of its own on a server of
// server_version_num v.
func (m *Migration) Transactional(v int) bool {
	return !m.NoTransaction && (m.Analysis.AddsEnumValue == "" || v == 0 || v >= 120000)
}

// EnsureTable creates schema schemactl and its migrations table when missing.
func EnsureTable(ctx context.Context, conn *pgx.Conn) error {
	for _, sql := range []string{"CREATE SCHEMA IF NOT EXISTS schemactl", TableDDL} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("creating schemactl.migrations: %w", err)
		}
	}
	return nil
}

// Execute records the adopted migrations of st in schemactl.migrations (without
// running them), then runs its pending migrations in order, each in a
// transaction of its own unless it cannot run in one, recording each. The caller
// holds the database's advisory lock and has refused what must be refused
// (changed, dirty, out-of-order, destructive). It stops at the first failure
// (an *ExecError) and returns what ran before it.
func Execute(ctx context.Context, conn *pgx.Conn, st *Status, opts ExecOptions) ([]Ran, error) {
	if err := EnsureTable(ctx, conn); err != nil {
		return nil, err
	}
	for _, a := range st.Adopt {
		m := a.Migration
		if _, err := conn.Exec(ctx, `INSERT INTO schemactl.migrations (version, name, file, checksum, applied_by, source)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, m.Version, m.Name, m.File, m.Checksum, "adopted from "+a.Tool, opts.Source); err != nil {
			return nil, fmt.Errorf("recording %s adopted from %s: %w", m.File, a.Tool, err)
		}
	}
	var ran []Ran
	for _, m := range st.Pending {
		start := time.Now()
		tx := m.Transactional(opts.ServerVersionNum)
		var err error
		if tx {
			err = runInTransaction(ctx, conn, m, opts, start)
		} else {
			err = runOutside(ctx, conn, m, opts, start)
		}
		if err != nil {
			return ran, err
		}
		ran = append(ran, Ran{Migration: m, Transactional: tx, Duration: time.Since(start)})
	}
	return ran, nil
}

const recordSQL = `INSERT INTO schemactl.migrations (version, name, file, checksum, applied_at, duration, applied_by, source, dirty)
VALUES ($1, $2, $3, $4, pg_catalog.clock_timestamp(), pg_catalog.make_interval(secs => $5::float8), coalesce(nullif($6, ''), CURRENT_USER), $7, $8)
ON CONFLICT (version, file) DO UPDATE SET name = excluded.name, checksum = excluded.checksum, applied_at = excluded.applied_at,
	duration = excluded.duration, applied_by = excluded.applied_by, source = excluded.source, dirty = excluded.dirty`

func record(ctx context.Context, q interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, m *Migration, opts ExecOptions, d time.Duration, dirty bool) error {
	if _, err := q.Exec(ctx, recordSQL, m.Version, m.Name, m.File, m.Checksum, d.Seconds(), opts.AppliedBy, opts.Source, dirty); err != nil {
		return fmt.Errorf("recording migration %s in schemactl.migrations: %w", m.File, err)
	}
	return nil
}

func timeouts(opts ExecOptions, local string) string {
	return fmt.Sprintf("SET %s lock_timeout = %d; SET %s statement_timeout = %d", local, opts.LockTimeout.Milliseconds(), local, opts.StatementTimeout.Milliseconds())
}

// runInTransaction runs a migration and its record in one transaction; BEGIN and
// COMMIT statements of the file are skipped (the transaction is this one).
func runInTransaction(ctx context.Context, conn *pgx.Conn, m *Migration, opts ExecOptions, start time.Time) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migration %s: %w", m.File, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, timeouts(opts, "LOCAL")); err != nil {
		return fmt.Errorf("migration %s: setting timeouts: %w", m.File, err)
	}
	for i, s := range m.Statements {
		if slices.Contains(m.Analysis.TransactionControl, i) {
			continue
		}
		if _, err := tx.Exec(ctx, s.SQL); err != nil {
			return &ExecError{Migration: m, File: s.File, Line: s.Line, SQL: s.SQL, Transactional: true, Err: err}
		}
	}
	if err := record(ctx, tx, m, opts, time.Since(start), false); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migration %s: committing: %w", m.File, err)
	}
	return nil
}

// runOutside runs a migration statement by statement, outside a transaction
// block (CREATE INDEX CONCURRENTLY...). It is recorded dirty first and clean at
// the end, so that a failure (or a crash) half-way is seen by the next apply.
func runOutside(ctx context.Context, conn *pgx.Conn, m *Migration, opts ExecOptions, start time.Time) error {
	if err := record(ctx, conn, m, opts, 0, true); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, timeouts(opts, "SESSION")); err != nil {
		return fmt.Errorf("migration %s: setting timeouts: %w", m.File, err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "RESET lock_timeout; RESET statement_timeout") }()
	for _, s := range m.Statements {
		if _, err := conn.Exec(ctx, s.SQL); err != nil {
			return &ExecError{Migration: m, File: s.File, Line: s.Line, SQL: s.SQL, Err: err}
		}
	}
	return record(ctx, conn, m, opts, time.Since(start), false)
}

// Summary renders pending migrations for a plan: one line per migration with its
// statements' count, how it runs and what is destructive.
func Summary(ms []*Migration, serverVersionNum int) string {
	var b strings.Builder
	for _, m := range ms {
		how := "in a transaction"
		if !m.Transactional(serverVersionNum) {
			how = "without a transaction: " + m.NoTransactionReason
			if m.NoTransactionReason == "" {
				how = "without a transaction: ALTER TYPE ... ADD VALUE at " + m.Analysis.AddsEnumValue
			}
		}
		fmt.Fprintf(&b, "-- pending %s: %d statement(s), %s\n", m.Label(), len(m.Statements), how)
		for _, f := range m.Analysis.Destructive {
			fmt.Fprintf(&b, "--   destructive at %s: %s\n", f.Position, f.Reason)
		}
	}
	return b.String()
}
