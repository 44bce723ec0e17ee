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
	// LockTimeout bounds each wait for a table lock (lock_timeout), default
	// plan.DefaultLockTimeout.
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
	// ApprovalID is recorded next to the plan's own id: the id status, events and
	// approvals show for this plan (drift.ApprovalID), so that the records match.
	ApprovalID string
}

func (o *Options) defaults() {
	if o.LockTimeout <= 0 {
		o.LockTimeout = plan.DefaultLockTimeout
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
	what := "statement"
	if e.Phase == plan.PhaseTransactional {
		what = "statement (transaction rolled back)"
	}
	return fmt.Sprintf("%s %d (%s) failed: %s\n  %s", what, e.Index+1, e.Phase, pgMessage(e.Err), e.SQL)
}

func (e *StatementError) Unwrap() error { return e.Err }

// pgMessage renders a PostgreSQL error as message (SQLSTATE code): detail.
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

// Outcome is what became of one statement of an apply.
type Outcome string

// The outcomes of a statement, as Error and schemactl.apply_log report them.
const (
	// Committed: the statement ran and its effect is in the database.
	Committed Outcome = "committed"
	// Failed: the statement ran and failed; its effect is not in the database.
	Failed Outcome = "failed"
	// RolledBack: the statement ran in the transaction, which was rolled back.
	RolledBack Outcome = "rolled back"
	// Reverted: the statement was committed, then the cleanup of a failed online
	// step removed its effect (the helper constraint of a NOT NULL whose validation
	// failed, a constraint added NOT VALID that could not be validated).
	Reverted Outcome = "reverted"
	// NotRun: the statement did not run.
	NotRun Outcome = "not run"
	// Running is written to apply_log just before an online statement runs; a
	// process killed while it ran leaves it there until the next apply records it
	// as Interrupted.
	Running Outcome = "running"
	// Unknown: the connection to the server was lost (a restart, a crash, the
	// network) while the statement — or the COMMIT of the transaction — was in
	// flight, without an answer from PostgreSQL: it may or may not have taken
	// effect. Only the next plan can tell; apply again.
	Unknown Outcome = "unknown"
	// Interrupted: the statement was running when its apply died (process killed,
	// connection lost) without recording its end; the next apply, which holds the
	// advisory lock and so knows that apply is gone, records it so. Its effect may
	// or may not be in the database (a killed client's server session finishes the
	// statement it runs); the next plan, made from the live database, accounts for it.
	Interrupted Outcome = "interrupted"
)

// connectionLost reports whether err ends a statement without an answer from the
// server: a PostgreSQL error (*pgconn.PgError, also a FATAL one such as 57P01
// "terminating connection due to administrator command") means the statement's
// transaction was aborted; anything else (EOF, a reset connection, a context that
// closed the connection) leaves the outcome of a statement in flight unknown —
// PostgreSQL may have committed it and lost only the reply, as a standby that a
// synchronous COMMIT waits for shows when the server stops. (pgconn.SafeToRetry
// does not tell: pgx marks a failed read after the COMMIT was sent safe to retry.)
func connectionLost(err error) bool {
	var pg *pgconn.PgError
	return err != nil && !errors.As(err, &pg)
}

// StatusInterrupted is the apply_log status of an apply that died during its online
// phase (it had left "running"), as the next apply records it.
const StatusInterrupted = "interrupted"

// interruptedError is the error recorded for an apply that died during its online phase.
const interruptedError = "the apply ended without recording its outcome (its process or connection died during the online phase); a later apply found it running and recorded it as interrupted"

// StatementOutcome is a statement of the plan and its outcome.
type StatementOutcome struct {
	// Number is the 1-based number of the statement in the plan.
	Number  int     `json:"statement"`
	Phase   string  `json:"phase"`
	SQL     string  `json:"sql"`
	Outcome Outcome `json:"outcome"`
}

// CleanupOutcome is a cleanup statement run after a failed online step.
type CleanupOutcome struct {
	SQL string `json:"sql"`
	// Error is empty when the cleanup statement succeeded.
	Error string `json:"error,omitempty"`
}

// Error is a failed apply: which statement failed and why, and the outcome of every
// statement of the plan, so that a caller can say exactly what was committed and
// what was not. Unwrap gives the cause (a *StatementError when a statement failed,
// whose Unwrap gives PostgreSQL's error).
type Error struct {
	PlanID string
	// Statements are all statements of the plan with their outcomes, in plan order.
	Statements []StatementOutcome
	// Cleanup are the statements run to remove what the failed online step left.
	Cleanup []CleanupOutcome
	// Err is the cause.
	Err error
}

func (e *Error) Unwrap() error { return e.Err }

// With returns the statements whose outcome is o.
func (e *Error) With(o Outcome) []StatementOutcome {
	var out []StatementOutcome
	for _, s := range e.Statements {
		if s.Outcome == o {
			out = append(out, s)
		}
	}
	return out
}

// Partial reports whether some statements were committed before the failure: the
// database holds part of the plan. Re-running the apply plans only the rest.
func (e *Error) Partial() bool { return len(e.With(Committed)) > 0 }

// Consistent reports whether every cleanup statement succeeded and the outcome of
// every statement is known: nothing of the failed step remains. When false, Error
// names what remains or is unknown; the next plan removes or finishes it.
func (e *Error) Consistent() bool { return cleanedUp(e.Cleanup) && len(e.With(Unknown)) == 0 }

func cleanedUp(cs []CleanupOutcome) bool {
	for _, c := range cs {
		if c.Error != "" {
			return false
		}
	}
	return true
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	for _, c := range e.Cleanup {
		if c.Error == "" {
			b.WriteString("\ncleaned up: " + c.SQL)
		} else {
			b.WriteString("\ncleanup FAILED (" + c.Error + "); left in the database until the next apply removes it: " + c.SQL)
		}
	}
	list := func(title string, ss []StatementOutcome) {
		if len(ss) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):", title, len(ss))
		for _, s := range ss {
			fmt.Fprintf(&b, "\n  %d. %s", s.Number, oneLine(s.SQL))
		}
	}
	list("committed", e.With(Committed))
	list("unknown: the connection was lost before PostgreSQL answered; it may or may not have taken effect", e.With(Unknown))
	list("reverted by the cleanup", e.With(Reverted))
	list("rolled back", e.With(RolledBack))
	list("not run", e.With(NotRun))
	switch {
	case len(e.With(Unknown)) > 0:
		b.WriteString("\nthe connection to the database was lost: what the unknown statements did is not known; re-run apply once the database is back (it plans only what is missing)")
	case !e.Partial():
		b.WriteString("\nnothing was applied")
	case e.Consistent():
		b.WriteString("\npartially applied; the database is consistent: re-run apply to finish")
	default:
		b.WriteString("\npartially applied; a cleanup failed (see above): re-run apply to remove what is left and finish")
	}
	return b.String()
}

func oneLine(sql string) string { return strings.ReplaceAll(sql, "\n", " ") }

// run is the state of one Execute.
type run struct {
	conn     *pgx.Conn
	p        *plan.Plan
	opts     Options
	outcomes []Outcome
	// logID is the apply_log row of this apply once the transaction committed it.
	logID int64
}

func (r *run) fail(ctx context.Context, cause error, cleanup []CleanupOutcome) error {
	e := &Error{PlanID: r.p.ID, Cleanup: cleanup, Err: cause}
	for i, s := range r.p.Statements {
		e.Statements = append(e.Statements, StatementOutcome{Number: i + 1, Phase: s.Phase.String(), SQL: s.SQL, Outcome: r.outcomes[i]})
	}
	if r.opts.Record {
		// Best effort, with a context of its own: the apply's may be done.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		status := "failed"
		if e.Partial() {
			status = "partial"
		}
		if err := r.finish(lctx, status, e.Error()); err != nil {
			e.Err = fmt.Errorf("%w (and recording the failure in schemactl.apply_log failed: %s)", cause, pgMessage(err))
		}
	}
	return e
}

// Execute runs the statements of p on conn. The caller holds the advisory lock.
//
// The contract on failure (docs/drift-engine.md): a failed pre step leaves the pre
// steps before it committed (they are additive and idempotent); a failure in the
// transaction rolls it back; a failed online step is cleaned up — its Cleanup
// statements remove what it left (a helper constraint, an INVALID index, a
// constraint the transaction added NOT VALID) — and the steps after it do not run.
// Every failure is an *Error with the outcome of each statement; with Record, each
// outcome is in schemactl.apply_log. Every statement runs under its own lock_timeout
// and statement_timeout (the plan's, or the options' when the plan has none): SET
// LOCAL inside the transaction, SET for the pre and online steps.
func Execute(ctx context.Context, conn *pgx.Conn, p *plan.Plan, opts Options) error {
	opts.defaults()
	r := &run{conn: conn, p: p, opts: opts, outcomes: make([]Outcome, len(p.Statements))}
	for i := range r.outcomes {
		r.outcomes[i] = NotRun
	}
	// Plans schema-qualify every name; an empty search_path makes sure expressions
	// rendered by the inspector mean the same thing when they are executed.
	if _, err := conn.Exec(ctx, "SET search_path = ''"); err != nil {
		return r.fail(ctx, fmt.Errorf("setting search_path: %w", err), nil)
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
			return r.fail(ctx, err, nil)
		}
		if _, err := conn.Exec(ctx, p.Statements[i].SQL); err != nil {
			r.outcomes[i] = Failed
			if connectionLost(err) {
				r.outcomes[i] = Unknown
			}
			return r.fail(ctx, &StatementError{Phase: plan.PhasePre, Index: i, SQL: p.Statements[i].SQL, Err: err}, nil)
		}
		r.outcomes[i] = Committed
	}
	if len(tx) > 0 || opts.Record {
		if err := r.transaction(ctx, tx); err != nil {
			return r.fail(ctx, err, nil)
		}
	}
	for _, i := range online {
		s := &p.Statements[i]
		if err := session.set(ctx, conn, "SET", s); err != nil {
			return r.fail(ctx, err, nil)
		}
		if err := r.mark(ctx, i, Running); err != nil {
			return r.fail(ctx, err, nil)
		}
		if _, err := conn.Exec(ctx, s.SQL); err != nil {
			r.outcomes[i] = Failed
			if connectionLost(err) {
				// The step may have finished (or left an INVALID index): there is
				// no connection to clean up with; apply_log keeps "running".
				r.outcomes[i] = Unknown
				return r.fail(ctx, &StatementError{Phase: plan.PhaseOnline, Index: i, SQL: s.SQL, Err: err}, nil)
			}
			cleanup := r.cleanup(ctx, s)
			if cleanedUp(cleanup) {
				for _, j := range s.Reverts {
					if r.outcomes[j] == Committed {
						r.outcomes[j] = Reverted
					}
				}
			}
			return r.fail(ctx, &StatementError{Phase: plan.PhaseOnline, Index: i, SQL: s.SQL, Err: err}, cleanup)
		}
		r.outcomes[i] = Committed
		if err := r.mark(ctx, i, Committed); err != nil {
			return r.fail(ctx, err, nil)
		}
	}
	if opts.Record {
		if err := r.finish(ctx, "applied", ""); err != nil {
			return r.fail(ctx, err, nil)
		}
	}
	return nil
}

// cleanupAttempts bounds the tries of a cleanup statement that cannot take its lock.
const cleanupAttempts = 3

// cleanup runs the cleanup statements of the failed online statement s, each with
// the options' lock_timeout, retried when the lock was not available, on a context
// of its own: the apply's may be cancelled, which is often why s failed.
func (r *run) cleanup(ctx context.Context, s *plan.Statement) []CleanupOutcome {
	if len(s.Cleanup) == 0 {
		return nil
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), max(time.Minute, 3*r.opts.LockTimeout*cleanupAttempts))
	defer cancel()
	var out []CleanupOutcome
	set := fmt.Sprintf("SET lock_timeout = %d; SET statement_timeout = %d", r.opts.LockTimeout.Milliseconds(), r.opts.StatementTimeout.Milliseconds())
	for _, sql := range s.Cleanup {
		var err error
		for attempt := 0; attempt < cleanupAttempts; attempt++ {
			if attempt > 0 {
				select {
				case <-cctx.Done():
				case <-time.After(time.Duration(attempt) * 500 * time.Millisecond):
				}
			}
			if _, err = r.conn.Exec(cctx, set); err == nil {
				_, err = r.conn.Exec(cctx, sql)
			}
			var pg *pgconn.PgError
			if err == nil || !errors.As(err, &pg) || pg.Code != "55P03" {
				break
			}
		}
		c := CleanupOutcome{SQL: sql}
		if err != nil {
			c.Error = pgMessage(err)
		}
		out = append(out, c)
	}
	return out
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

// preLock takes, at the start of the transaction and in the order of the plan, the
// ACCESS EXCLUSIVE lock of every existing table that a statement of the transaction
// alters or drops under that lock (its Table, named by the plan builder), each LOCK
// TABLE with that statement's lock_timeout. Taken one
// statement at a time instead, a lock taken implicitly early on — dropping a foreign
// key locks the table it references in ACCESS EXCLUSIVE mode — would be held while
// the transaction waits for the next table, and a writer that holds that next table
// and checks a foreign key against the referenced one deadlocks with the apply: the
// writer's transaction is the one PostgreSQL aborts. With every table locked first,
// the later implicit locks never wait on a table a writer holds.
func (r *run) preLock(ctx context.Context, tx pgx.Tx, local *timeouts, idx []int) error {
	type target struct {
		name string
		stmt int
	}
	var targets []target
	seen := map[string]bool{}
	for _, i := range idx {
		s := &r.p.Statements[i]
		if s.Lock != "ACCESS EXCLUSIVE" || s.Table == "" || seen[s.Table] {
			continue
		}
		seen[s.Table] = true
		targets = append(targets, target{name: s.Table, stmt: i})
	}
	if len(targets) == 0 {
		return nil
	}
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.name
	}
	// Tables the plan creates (or renames into place) do not exist yet; only tables
	// (plain or partitioned) are locked.
	rows, err := tx.Query(ctx, `SELECT coalesce((SELECT c.relkind IN ('r', 'p') FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(u.n)), false)
		FROM unnest($1::text[]) WITH ORDINALITY AS u(n, i) ORDER BY u.i`, names)
	if err != nil {
		return fmt.Errorf("resolving the tables of the transaction: %w", err)
	}
	exists, err := pgx.CollectRows(rows, pgx.RowTo[bool])
	if err != nil {
		return fmt.Errorf("resolving the tables of the transaction: %w", err)
	}
	for i, t := range targets {
		if i >= len(exists) || !exists[i] {
			continue
		}
		if err := local.set(ctx, tx, "SET LOCAL", &r.p.Statements[t.stmt]); err != nil {
			return err
		}
		sql := "LOCK TABLE " + t.name + " IN ACCESS EXCLUSIVE MODE"
		if _, err := tx.Exec(ctx, sql); err != nil {
			return &StatementError{Phase: plan.PhaseTransactional, Index: t.stmt, SQL: sql, Err: err}
		}
	}
	return nil
}

// transaction runs the statements idx in one transaction; with Record, the
// apply_log row is written in it, so that the record and the change commit together.
func (r *run) transaction(ctx context.Context, idx []int) error {
	p := r.p
	tx, err := r.conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning the apply transaction: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	rollback := func(upto int) {
		for _, j := range idx[:upto] {
			r.outcomes[j] = RolledBack
		}
	}
	// SET LOCAL ends with the transaction: the session's settings are unknown after.
	local := &timeouts{opts: r.opts}
	if err := r.preLock(ctx, tx, local, idx); err != nil {
		rollback(len(idx))
		var se *StatementError
		if errors.As(err, &se) {
			r.outcomes[se.Index] = Failed
		}
		return err
	}
	for n, i := range idx {
		if err := local.set(ctx, tx, "SET LOCAL", &p.Statements[i]); err != nil {
			rollback(n)
			return err
		}
		if _, err := tx.Exec(ctx, p.Statements[i].SQL); err != nil {
			rollback(n)
			r.outcomes[i] = Failed
			return &StatementError{Phase: plan.PhaseTransactional, Index: i, SQL: p.Statements[i].SQL, Err: err}
		}
	}
	if r.opts.Record {
		if err := local.set(ctx, tx, "SET LOCAL", &plan.Statement{}); err != nil {
			rollback(len(idx))
			return err
		}
		for _, j := range idx {
			r.outcomes[j] = Committed // if the commit below succeeds
		}
		id, err := insertLog(ctx, tx, r.p, r.opts, r.outcomes, "running", "")
		if err != nil {
			rollback(len(idx))
			return err
		}
		r.logID = id
	}
	if err := tx.Commit(ctx); err != nil {
		id := r.logID
		r.logID = 0
		if connectionLost(err) {
			// PostgreSQL may have committed and lost only the reply: say so, and
			// how to tell afterwards.
			for _, j := range idx {
				r.outcomes[j] = Unknown
			}
			if id != 0 {
				return fmt.Errorf("committing the apply transaction: the connection was lost before PostgreSQL answered; "+
					"the transaction committed if schemactl.apply_log has a row with id %d: %w", id, err)
			}
			return fmt.Errorf("committing the apply transaction: the connection was lost before PostgreSQL answered: %w", err)
		}
		rollback(len(idx))
		return fmt.Errorf("committing the apply transaction: %w", err)
	}
	for _, j := range idx {
		r.outcomes[j] = Committed
	}
	return nil
}

// LogDDL creates schemactl.apply_log as this version writes it. A table of an older
// version (without outcomes, status, error, finished_at) is extended by migrateLog.
const LogDDL = `CREATE TABLE IF NOT EXISTS schemactl.apply_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id text NOT NULL,
    source text NOT NULL DEFAULT '',
    applied_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    applied_by text NOT NULL DEFAULT CURRENT_USER,
    statements text[] NOT NULL,
    outcomes text[],
    status text,
    error text,
    finished_at timestamptz,
    approval_id text
)`

// logColumns are the columns added to apply_log after its first version: outcomes
// (one per statement: committed, failed, reverted, rolled back, not run, running,
// interrupted), status (running, applied, partial, failed, interrupted), error and
// finished_at. NULL in rows
// written by an older version.
// approval_id is the id of the plan as status, events and approvals show it
// (drift.ApprovalID: the statements and the live schema they were planned against).
var logColumns = []string{"outcomes text[]", "status text", "error text", "finished_at timestamptz", "approval_id text"}

// migrateLog creates schemactl.apply_log or adds the columns an older version's table
// lacks. The caller holds the advisory lock, so two applies never migrate at once;
// ALTER TABLE runs only when a column is missing (it would lock the table for readers).
func migrateLog(ctx context.Context, q interface {
	execer
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}) error {
	for _, sql := range []string{"CREATE SCHEMA IF NOT EXISTS schemactl", LogDDL} {
		if _, err := q.Exec(ctx, sql); err != nil {
			return err
		}
	}
	var have int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM pg_catalog.pg_attribute
WHERE attrelid = 'schemactl.apply_log'::regclass AND attname = ANY ('{outcomes,status,error,finished_at,approval_id}') AND NOT attisdropped`).Scan(&have); err != nil {
		return err
	}
	if have == len(logColumns) {
		return nil
	}
	adds := make([]string, len(logColumns))
	for i, c := range logColumns {
		adds[i] = "ADD COLUMN IF NOT EXISTS " + c
	}
	_, err := q.Exec(ctx, "ALTER TABLE schemactl.apply_log "+strings.Join(adds, ", "))
	return err
}

// insertLog writes the apply's row into schemactl.apply_log. The schemactl schema is
// never inspected, so the record itself is not drift.
func insertLog(ctx context.Context, tx pgx.Tx, p *plan.Plan, opts Options, outcomes []Outcome, status, errText string) (int64, error) {
	if err := migrateLog(ctx, tx); err != nil {
		return 0, fmt.Errorf("recording the apply in schemactl.apply_log: %w", err)
	}
	// A row left "running" is an apply that died in its online phase: the caller
	// holds the advisory lock, which that apply's session held until it ended.
	if _, err := tx.Exec(ctx, `UPDATE schemactl.apply_log SET status = $1, outcomes = pg_catalog.array_replace(outcomes, $2, $3), error = coalesce(error, $4)
WHERE status = $2`, StatusInterrupted, string(Running), string(Interrupted), interruptedError); err != nil {
		return 0, fmt.Errorf("recording applies that died running in schemactl.apply_log: %w", err)
	}
	stmts := make([]string, len(p.Statements))
	outs := make([]string, len(p.Statements))
	for i, s := range p.Statements {
		stmts[i] = s.SQL
		outs[i] = string(outcomes[i])
	}
	var id int64
	finished := status != "running"
	if err := tx.QueryRow(ctx, `INSERT INTO schemactl.apply_log (plan_id, source, statements, outcomes, status, error, finished_at, approval_id)
VALUES ($1, $2, $3, $4, $5, nullif($6, ''), CASE WHEN $7 THEN pg_catalog.now() END, nullif($8, '')) RETURNING id`,
		p.ID, opts.Source, stmts, outs, status, errText, finished, opts.ApprovalID).Scan(&id); err != nil {
		return 0, fmt.Errorf("recording the apply in schemactl.apply_log: %w", err)
	}
	return id, nil
}

// mark records the outcome of online statement i in this apply's apply_log row.
func (r *run) mark(ctx context.Context, i int, o Outcome) error {
	if r.logID == 0 {
		return nil
	}
	if _, err := r.conn.Exec(ctx, "UPDATE schemactl.apply_log SET outcomes[$2] = $3 WHERE id = $1", r.logID, i+1, string(o)); err != nil {
		return fmt.Errorf("recording the outcome of statement %d in schemactl.apply_log: %w", i+1, err)
	}
	return nil
}

// finish records the end of the apply: every outcome, the status and the error. An
// apply whose transaction did not commit has no row yet: it gets one now.
func (r *run) finish(ctx context.Context, status, errText string) error {
	outs := make([]string, len(r.outcomes))
	for i, o := range r.outcomes {
		outs[i] = string(o)
	}
	if r.logID != 0 {
		if _, err := r.conn.Exec(ctx, "UPDATE schemactl.apply_log SET outcomes = $2, status = $3, error = nullif($4, ''), finished_at = pg_catalog.now() WHERE id = $1",
			r.logID, outs, status, errText); err != nil {
			return fmt.Errorf("recording the outcome in schemactl.apply_log: %w", err)
		}
		return nil
	}
	tx, err := r.conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d; SET LOCAL statement_timeout = %d", r.opts.LockTimeout.Milliseconds(), ShortTimeout.Milliseconds())); err != nil {
		return err
	}
	id, err := insertLog(ctx, tx, r.p, r.opts, r.outcomes, status, errText)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	r.logID = id
	return nil
}

// ShortTimeout bounds the statements that record an apply.
const ShortTimeout = 30 * time.Second

// InspectCasts reads from the database behind conn how PostgreSQL converts each pair
// (plan.NeededCasts), for plan.Options.Casts.
func InspectCasts(ctx context.Context, conn *pgx.Conn, pairs []plan.CastPair) (map[plan.CastPair]plan.Cast, error) {
	out := make(map[plan.CastPair]plan.Cast, len(pairs))
	c := &Casts{Conn: conn}
	for _, p := range pairs {
		cast, err := c.Cast(ctx, p.From, p.To)
		if err != nil {
			return nil, fmt.Errorf("checking the conversion from %s to %s: %w", p.From, p.To, err)
		}
		out[p] = cast
	}
	return out, nil
}

// Casts reads conversions from a live database's pg_cast.
type Casts struct {
	Conn *pgx.Conn
}

// Cast tells how PostgreSQL converts from into to. Conversions without a pg_cast entry go through
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
