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

// Package apply executes a plan against a live database: under a per-database advisory
// lock, pre-steps first, then every transactional statement in one transaction with
// lock_timeout and statement_timeout, then the online steps one by one. Afterwards the
// caller re-inspects and verifies.
package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemactl/schema-controller/drift/plan"
)

// LockKey is the advisory lock key (pg_advisory_lock's bigint) every apply of any
// schemactl process takes; advisory locks are per database, so applies to different
// databases do not wait for each other.
const LockKey int64 = 0x736368656d61 // "schema"

// Options tune execution.
type Options struct {
	// LockTimeout bounds each wait for a table lock (lock_timeout), default 5s.
	LockTimeout time.Duration
	// LockTimeout and StatementTimeout are used for statements whose plan carries
	// no timeouts of its own (plan.Statement.LockTimeout, StatementTimeout);
	// StatementTimeout defaults to 5m.
	StatementTimeout time.Duration
	// Record stores each successful apply in schemactl.apply_log of the target
	// database, in the same transaction as the change.
	Record bool
	// Source describes where the desired schema came from, for the record.
	Source string
}

func (o *Options) defaults() {
	if o.LockTimeout <= 0 {
		o.LockTimeout = 5 * time.Second
	}
	if o.StatementTimeout <= 0 {
		o.StatementTimeout = 5 * time.Minute
	}
}

// Lock takes the per-database advisory lock on conn, waiting at most wait. It returns
// an unlock function. A second apply on the same database waits here and plans again
// once it has the lock, so applies never interleave.
func Lock(ctx context.Context, conn *pgx.Conn, wait time.Duration) (func(), error) {
	deadline := time.Now().Add(wait)
	for {
		var ok bool
		if err := conn.QueryRow(ctx, "SELECT pg_catalog.pg_try_advisory_lock($1)", LockKey).Scan(&ok); err != nil {
			return nil, fmt.Errorf("taking the advisory lock: %w", err)
		}
		if ok {
			return func() {
				_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_catalog.pg_advisory_unlock($1)", LockKey)
			}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("another apply holds the advisory lock of this database; gave up after %s", wait)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// StatementError is a statement that failed, with PostgreSQL's message.
type StatementError struct {
	Phase plan.Phase
	Index int
	SQL   string
	Err   error
}

func (e *StatementError) Error() string {
	msg := e.Err.Error()
	var pg *pgconn.PgError
	if errors.As(e.Err, &pg) {
		msg = pg.Message + " (SQLSTATE " + pg.Code + ")"
		if pg.Detail != "" {
			msg += ": " + pg.Detail
		}
	}
	what := "statement"
	if e.Phase == plan.PhaseTransactional {
		what = "statement (transaction rolled back, nothing applied)"
	}
	return fmt.Sprintf("%s %d failed: %s\n  %s", what, e.Index+1, msg, e.SQL)
}

func (e *StatementError) Unwrap() error { return e.Err }

// Execute runs the statements of p on conn. The caller holds the advisory lock. A
// failure in the transactional phase leaves the database as it was; a failure in the
// online phase leaves finished steps in place, and the next plan finishes the rest.
// Every statement runs under its own lock_timeout and statement_timeout (the plan's,
// or the options' when the plan has none): SET LOCAL inside the transaction, SET for
// the pre and online steps.
func Execute(ctx context.Context, conn *pgx.Conn, p *plan.Plan, opts Options) error {
	opts.defaults()
	// Plans schema-qualify every name; an empty search_path makes sure expressions
	// rendered by the inspector mean the same thing when they are executed.
	if _, err := conn.Exec(ctx, "SET search_path = ''"); err != nil {
		return fmt.Errorf("setting search_path: %w", err)
	}
	var pre, tx, online []int
	for i, s := range p.Statements {
		switch s.Phase {
		case plan.PhasePre:
			pre = append(pre, i)
		case plan.PhaseTransactional:
			tx = append(tx, i)
		default:
			online = append(online, i)
		}
	}
	session := &timeouts{opts: opts}
	for _, i := range pre {
		if err := session.set(ctx, conn, "SET", &p.Statements[i]); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, p.Statements[i].SQL); err != nil {
			return &StatementError{Phase: plan.PhasePre, Index: i, SQL: p.Statements[i].SQL, Err: err}
		}
	}
	start := time.Now()
	if len(tx) > 0 || opts.Record {
		if err := runTransaction(ctx, conn, p, tx, opts, start); err != nil {
			return err
		}
	}
	for _, i := range online {
		if err := session.set(ctx, conn, "SET", &p.Statements[i]); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, p.Statements[i].SQL); err != nil {
			return &StatementError{Phase: plan.PhaseOnline, Index: i, SQL: p.Statements[i].SQL, Err: err}
		}
	}
	return nil
}

// timeouts sets lock_timeout and statement_timeout for each statement, skipping the
// round trip when they are what the last statement had.
type timeouts struct {
	opts       Options
	lock, stmt time.Duration
	known      bool
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func (t *timeouts) set(ctx context.Context, e execer, set string, s *plan.Statement) error {
	lock, stmt := s.LockTimeout, s.StatementTimeout
	if lock <= 0 {
		lock = t.opts.LockTimeout
	}
	if stmt <= 0 {
		stmt = t.opts.StatementTimeout
	}
	if t.known && lock == t.lock && stmt == t.stmt {
		return nil
	}
	if _, err := e.Exec(ctx, fmt.Sprintf("%s lock_timeout = %d; %s statement_timeout = %d", set, lock.Milliseconds(), set, stmt.Milliseconds())); err != nil {
		return fmt.Errorf("setting timeouts: %w", err)
	}
	t.lock, t.stmt, t.known = lock, stmt, true
	return nil
}

func runTransaction(ctx context.Context, conn *pgx.Conn, p *plan.Plan, idx []int, opts Options, start time.Time) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning the apply transaction: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	// SET LOCAL ends with the transaction: the session's settings are unknown after.
	local := &timeouts{opts: opts}
	for _, i := range idx {
		if err := local.set(ctx, tx, "SET LOCAL", &p.Statements[i]); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, p.Statements[i].SQL); err != nil {
			return &StatementError{Phase: plan.PhaseTransactional, Index: i, SQL: p.Statements[i].SQL, Err: err}
		}
	}
	if opts.Record {
		if err := local.set(ctx, tx, "SET LOCAL", &plan.Statement{}); err != nil {
			return err
		}
		if err := record(ctx, tx, p, opts, start); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("committing the apply transaction: %w", err)
	}
	return nil
}

// record writes the applied plan into schemactl.apply_log. The schemactl schema is never
// inspected, so the record itself is not drift.
func record(ctx context.Context, tx pgx.Tx, p *plan.Plan, opts Options, start time.Time) error {
	stmts := make([]string, len(p.Statements))
	for i, s := range p.Statements {
		stmts[i] = s.SQL
	}
	for _, sql := range []string{
		"CREATE SCHEMA IF NOT EXISTS schemactl",
		`CREATE TABLE IF NOT EXISTS schemactl.apply_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id text NOT NULL,
    source text NOT NULL DEFAULT '',
    applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    applied_by text NOT NULL DEFAULT CURRENT_USER,
    statements text[] NOT NULL
)`,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return fmt.Errorf("recording the apply in schemactl.apply_log: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schemactl.apply_log (plan_id, source, statements) VALUES ($1, $2, $3)",
		p.ID, opts.Source, stmts); err != nil {
		return fmt.Errorf("recording the apply in schemactl.apply_log: %w", err)
	}
	_ = start
	return nil
}

// Casts answers plan.CastChecker from a live database's pg_cast.
type Casts struct {
	Conn *pgx.Conn
}

var _ plan.CastChecker = (*Casts)(nil)

// Cast implements plan.CastChecker. Conversions without a pg_cast entry go through
// the types' text I/O: to a string type with an assignment cast, from a string type
// with an explicit one, as PostgreSQL does. A type the database does not have yet is
// reported as unknown.
func (c *Casts) Cast(ctx context.Context, from, to string) (plan.Cast, error) {
	const q = `
WITH t AS (
  SELECT pg_catalog.to_regtype($1) AS src, pg_catalog.to_regtype($2) AS dst
), b AS (
  SELECT CASE WHEN s.typtype = 'd' THEN s.typbasetype ELSE s.oid END AS s, CASE WHEN d.typtype = 'd' THEN d.typbasetype ELSE d.oid END AS d
  FROM t, pg_catalog.pg_type s, pg_catalog.pg_type d
  WHERE s.oid = t.src AND d.oid = t.dst
)
SELECT t.src IS NULL OR t.dst IS NULL,
  coalesce(
    (SELECT c.castcontext::text FROM pg_catalog.pg_cast c WHERE c.castsource = b.s AND c.casttarget = b.d),
    CASE WHEN b.s = b.d THEN 'i'
         WHEN (SELECT typcategory FROM pg_catalog.pg_type WHERE oid = b.d) = 'S' THEN 'a'
         WHEN (SELECT typcategory FROM pg_catalog.pg_type WHERE oid = b.s) = 'S' THEN 'e'
         ELSE '' END, ''),
  coalesce(b.s = b.d OR (SELECT c.castmethod = 'b' FROM pg_catalog.pg_cast c WHERE c.castsource = b.s AND c.casttarget = b.d), false)
FROM t LEFT JOIN b ON true`
	var (
		out     plan.Cast
		unknown bool
	)
	if err := c.Conn.QueryRow(ctx, q, from, to).Scan(&unknown, &out.Context, &out.Binary); err != nil {
		return plan.Cast{}, err
	}
	out.Unknown = unknown
	out.Context = strings.TrimSpace(out.Context)
	return out, nil
}
