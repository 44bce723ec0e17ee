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

// Package drift is the drift engine: it loads a desired schema (a folder of .sql files)
// into a scratch database, inspects it and a live database into the same model, diffs
// them into an ordered plan with hazards, applies the plan safely and verifies the
// result. It knows nothing of Kubernetes: the CLI's local commands and the controllers
// both call it.
//
// Sub-packages: model (the value model), inspect (catalog queries), load (splitting,
// classifying and loading desired SQL), plan (diff and statement generation), apply
// (advisory lock, transaction, online steps).
package drift

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/apply"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/connstr"
)

// Options configure a plan or an apply.
type Options struct {
	// URL is the target database (postgres://...).
	URL string
	// ScratchURL is the server on which desired SQL is loaded into a scratch database;
	// empty means the target's server. Its user needs CREATEDB and CREATEROLE.
	ScratchURL string
	// Dir is the folder of .sql files, loaded in lexical order.
	Dir string
	// Schemas are the managed schemas; empty means all non-system schemas.
	Schemas []string
	// Exclude are "schema.name" glob patterns of objects to leave alone.
	Exclude []string
	// AllowDestructive lets apply run statements tagged DataLoss.
	AllowDestructive bool
	// LockTimeout bounds waits for table locks (default 5s); every statement of a
	// plan carries it.
	LockTimeout time.Duration
	// ManagePrivileges compares GRANTs on tables, columns, sequences, functions and
	// schemas and plans GRANT/REVOKE to converge them; it also reports objects owned
	// by another role than the one applying (never changed). Off, privileges and
	// ownership are not compared at all.
	ManagePrivileges bool
	// StatementTimeout bounds each transactional statement (default 5m) and each
	// statement of the desired SQL in the scratch database (default 30s).
	StatementTimeout time.Duration
	// LockWait bounds the wait for another apply of the same database (default 5m).
	LockWait time.Duration
	// NoRecord skips writing schemactl.apply_log.
	NoRecord bool
	// Source describes where the desired schema came from, for the apply record.
	Source string
	// AllowedExtensions are extensions the desired schema may create although
	// PostgreSQL does not mark them trusted. Any other untrusted
	// extension that the target does not already have is refused: by the load, with
	// its file:line, before anything runs, and by the plan.
	AllowedExtensions []string
	// ScratchTrustedStatements are statement kinds that only a superuser may run
	// and that the scratch server's admin completes for the desired schema, each
	// with one statement it names from the catalog, never Git's text (see
	// load.Options.TrustedStatements): "leakproof" (load.TrustedLeakproof). Any
	// other superuser-only statement still fails the load.
	ScratchTrustedStatements []string
	// PreflightTimeout is the time budget of the pre-flight checks of the existing
	// data (NULLs under a new NOT NULL, duplicates under a new unique key, rows
	// violating a new CHECK, values a type change cannot convert): 0 means
	// apply.DefaultPreflightTimeout (10s), negative turns the checks off. A check
	// that does not finish in time is noted in the plan, not failed.
	PreflightTimeout time.Duration
	// SoftDrop turns an allowed or approved DROP TABLE into a move into the
	// graveyard schema schemactl_graveyard (ALTER TABLE ... SET SCHEMA, renamed
	// <table>__<planid12>_<yyyymmddhhmmss>): instant, no copy, restorable with
	// `schemactl graveyard restore`. The graveyard is never inspected as drift.
	SoftDrop bool
	// SoftDropRowBudget is the most rows of a table whose dropped column soft
	// drop keeps (0: 1,000,000); above it, or without a primary key, the plan is
	// refused and the drop needs an approval without soft drop.
	SoftDropRowBudget int64
	// DropScratchInBackground drops the scratch database of the desired schema
	// after the plan is returned (see load.Options.DropInBackground), for a
	// long-running process; load.WaitDrops waits for the drops.
	DropScratchInBackground bool
	// Timings, when not nil, receives the duration of each step of a plan
	// (those of the load included).
	Timings *load.Timings
}

func (o *Options) preflight() time.Duration {
	if o.PreflightTimeout == 0 {
		return apply.DefaultPreflightTimeout
	}
	return o.PreflightTimeout
}

// ApplyError is a failed apply with the outcome of every statement of the plan
// (committed, failed, rolled back, not run) and the cleanup run after a failed
// online step. Partial reports whether something was committed, Consistent whether
// every cleanup succeeded.
type ApplyError = apply.Error

// RefusedError is returned by Plan and Apply when pre-flight checks found existing
// data that a statement of the plan would fail on. Nothing was applied.
type RefusedError struct {
	Plan *plan.Plan
}

func (e *RefusedError) Error() string {
	var lines []string
	for _, r := range e.Plan.Refused() {
		lines = append(lines, "  "+r.Message)
	}
	return fmt.Sprintf("plan %s is refused by its pre-flight checks; nothing was applied:\n%s", e.Plan.ID, strings.Join(lines, "\n"))
}

// ApprovalID is the id a user approves: it covers the plan's statements and the
// fingerprint of the live schema they were planned against, so an approval goes stale
// by itself when either moves.
func ApprovalID(p *plan.Plan, live *model.Schema) string {
	sum := sha256.Sum256([]byte(p.ID + "\n" + live.Fingerprint()))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Result is the outcome of a plan or an apply.
type Result struct {
	// Plan is the plan that was computed (and, for apply, executed).
	Plan *plan.Plan
	// Warnings are the skipped statements of the desired SQL, as file:line: message.
	Warnings []load.Warning
	// Applied is true when apply executed statements.
	Applied bool
	// Duration is the time the apply took.
	Duration time.Duration
	// Live is the live schema the plan was made against.
	Live *model.Schema
	// ApprovalID is ApprovalID(Plan, Live) of the plan ApplyModel made and executed
	// under the lock: the id recorded in schemactl.apply_log.approval_id.
	ApprovalID string
	// Target is what the role the plan is (or would be) applied as may do beyond
	// owning its schemas (see TargetPrivileges); nil when the target was not reached.
	Target *RolePrivileges
	// Attribution says, per drifted object (Difference.Object), who changed it,
	// from where, when and with what statement, from the DDL audit (audit.go);
	// empty without the audit.
	Attribution map[string]Attribution
	// AuditError is why the DDL audit could not be read, when it could not.
	AuditError string
}

func (o *Options) source() string {
	if o.Source != "" {
		return o.Source
	}
	return o.Dir
}

// BlockedError is returned by Apply when the plan has destructive statements that are
// neither allowed nor approved. Nothing was applied.
type BlockedError struct {
	Plan *plan.Plan
}

func (e *BlockedError) Error() string {
	var stmts []string
	for _, s := range e.Plan.Statements {
		if s.Destructive() {
			stmts = append(stmts, "  "+s.SQL)
		}
	}
	return fmt.Sprintf("plan %s has %d destructive statement(s) and they are not allowed; nothing was applied:\n%s",
		e.Plan.ID, len(stmts), strings.Join(stmts, "\n"))
}

// UnplannableError is returned by Apply when some differences cannot be planned.
// Nothing was applied.
type UnplannableError struct {
	Plan *plan.Plan
}

func (e *UnplannableError) Error() string {
	var lines []string
	for _, d := range e.Plan.Blocked {
		lines = append(lines, "  "+d.Object+": "+d.Change)
	}
	return fmt.Sprintf("%d difference(s) cannot be planned; nothing was applied:\n%s", len(e.Plan.Blocked), strings.Join(lines, "\n"))
}

// NotConvergedError is returned when the database still differs from the desired
// schema after an apply.
type NotConvergedError struct {
	Residual *plan.Plan
}

func (e *NotConvergedError) Error() string {
	var lines []string
	for _, c := range e.Residual.Changes {
		lines = append(lines, "  "+c.Object+": "+c.Change)
	}
	return "the database does not match the desired schema after apply:\n" + strings.Join(lines, "\n")
}

// errNoURL is returned by Plan and Apply without Options.URL.
var errNoURL = errors.New("no database URL")

func (o *Options) inspectOptions() inspect.Options { return o.Scope().inspectOptions() }

func (o *Options) planOptions() plan.Options {
	return plan.Options{LockTimeout: o.LockTimeout, StatementTimeout: o.StatementTimeout, ManagePrivileges: o.ManagePrivileges,
		AllowedExtensions: o.AllowedExtensions, SoftDrop: o.SoftDrop, Now: time.Now(), SoftDropRowBudget: o.SoftDropRowBudget}
}

// loadOptions are the load options for the target behind conn: the extensions it
// already has are allowed besides o.AllowedExtensions.
func (o *Options) loadOptions(ctx context.Context, conn *pgx.Conn) (load.Options, error) {
	installed, err := InstalledExtensions(ctx, conn)
	if err != nil {
		return load.Options{}, err
	}
	return load.Options{AdminURL: o.scratch(), StatementTimeout: o.StatementTimeout,
		AllowedExtensions: MergeExtensions(o.AllowedExtensions, installed), TrustedStatements: o.ScratchTrustedStatements,
		DropInBackground: o.DropScratchInBackground, Timings: o.Timings}, nil
}

// WaitScratchDrops waits until the scratch databases of loads with
// DropScratchInBackground are dropped, or ctx is done: a long-running process
// calls it before it exits.
func WaitScratchDrops(ctx context.Context) error { return load.WaitDrops(ctx) }

// LoadDesired loads the .sql files of dir into a scratch database on the server of
// scratchURL and inspects it. Only trusted extensions may be created; see
// LoadDesiredWith.
func LoadDesired(ctx context.Context, dir, scratchURL string, statementTimeout time.Duration, opts inspect.Options) (*model.Schema, []load.Warning, error) {
	return LoadDesiredWith(ctx, dir, load.Options{AdminURL: scratchURL, StatementTimeout: statementTimeout}, opts)
}

// LoadDesiredWith loads the .sql files of dir into a scratch database with lopts
// (among them the untrusted extensions allowed: those named by the user and those
// the target already has) and inspects it.
func LoadDesiredWith(ctx context.Context, dir string, lopts load.Options, opts inspect.Options) (*model.Schema, []load.Warning, error) {
	var desired *model.Schema
	warnings, err := load.Load(ctx, dir, lopts,
		func(ctx context.Context, conn *pgx.Conn) error {
			s, err := inspect.Inspect(ctx, conn, opts)
			desired = s
			return err
		})
	if err != nil {
		return nil, warnings, err
	}
	return desired, warnings, nil
}

// Connect opens a connection to url; errors never contain the password (see
// internal/connstr).
func Connect(ctx context.Context, url string) (*pgx.Conn, error) {
	return connstr.Open(ctx, url, func(cfg *pgx.ConnConfig) {
		if cfg.ConnectTimeout == 0 {
			cfg.ConnectTimeout = 10 * time.Second
		}
		cfg.RuntimeParams["application_name"] = "schemactl"
	})
}

// Diff builds the plan from desired to the live database behind conn, with the
// default timeouts; privileges are compared when opts.ManagePrivileges is set (the
// desired model must have been inspected with it too).
func Diff(ctx context.Context, conn *pgx.Conn, desired *model.Schema, opts inspect.Options) (*plan.Plan, *model.Schema, error) {
	return DiffWith(ctx, conn, desired, opts, plan.Options{ManagePrivileges: opts.ManagePrivileges})
}

// DiffWith is Diff with plan options (timeouts the statements carry). Casts is
// always the live database's.
//
// What only a plan that changes something needs (the live dependencies, which
// order its statements, and where the sequences stand) is read only when there is
// something to plan: a database in sync costs two catalog queries less, one of
// which reads every sequence.
func DiffWith(ctx context.Context, conn *pgx.Conn, desired *model.Schema, opts inspect.Options, popts plan.Options) (*plan.Plan, *model.Schema, error) {
	lopts := opts
	lopts.DeferPlanningDetails = true
	live, err := inspectLive(ctx, conn, lopts)
	if err != nil {
		return nil, nil, err
	}
	popts, err = prepare(ctx, conn, desired, live, popts)
	if err != nil {
		return nil, nil, err
	}
	p, err := plan.Build(desired, live, popts)
	if err == nil && len(p.Statements) == 0 && len(p.Blocked) == 0 && len(p.Changes) == 0 {
		return p, live, nil
	}
	// Something differs: plan again with the dependencies, which decide what a
	// change must drop and create again and in which order, and with where the
	// sequences stand.
	if err := inspect.PlanningDetails(ctx, conn, opts, live); err != nil {
		return nil, nil, fmt.Errorf("inspecting the live schema: %w", err)
	}
	if p, err = plan.Build(desired, live, popts); err != nil {
		return nil, nil, fmt.Errorf("planning: %w", err)
	}
	return p, live, nil
}

// DiffModel plans from the live database behind conn to desired with the options
// an apply of the same options uses (scope, timeouts, allowed extensions), so the
// plan shown is the plan applied. It never writes to the database.
func DiffModel(ctx context.Context, conn *pgx.Conn, desired *model.Schema, opts Options) (*plan.Plan, *model.Schema, error) {
	return DiffWith(ctx, conn, desired, opts.inspectOptions(), opts.planOptions())
}

func inspectLive(ctx context.Context, conn *pgx.Conn, opts inspect.Options) (*model.Schema, error) {
	live, err := inspect.Inspect(ctx, conn, opts)
	if err != nil {
		return nil, fmt.Errorf("inspecting the live schema: %w", err)
	}
	return live, nil
}

// prepare checks the extensions desired needs against the target and reads the
// casts the plan needs from it into the plan options.
func prepare(ctx context.Context, conn *pgx.Conn, desired, live *model.Schema, popts plan.Options) (plan.Options, error) {
	if err := checkTargetExtensions(ctx, conn, desired, live, popts.AllowedExtensions); err != nil {
		return popts, err
	}
	casts, err := apply.InspectCasts(ctx, conn, plan.NeededCasts(desired, live))
	if err != nil {
		return popts, fmt.Errorf("planning: %w", err)
	}
	popts.Casts = casts
	return popts, nil
}

// build plans from live to desired; the casts PostgreSQL knows are the target's. It
// refuses to plan the creation of an extension the target does not trust unless
// allowed.
func build(ctx context.Context, conn *pgx.Conn, desired, live *model.Schema, popts plan.Options) (*plan.Plan, error) {
	popts, err := prepare(ctx, conn, desired, live, popts)
	if err != nil {
		return nil, err
	}
	p, err := plan.Build(desired, live, popts)
	if err != nil {
		return nil, fmt.Errorf("planning: %w", err)
	}
	return p, nil
}

func (o *Options) scratch() string {
	if o.ScratchURL != "" {
		return o.ScratchURL
	}
	return o.URL
}

// Plan loads the desired schema and plans the change of the target database, and
// runs the pre-flight checks of the plan (a *RefusedError, with the plan in the
// result, when they refuse it). It never writes to the target. The target is
// connected to first (the untrusted extensions it already has may be loaded), then
// inspected while the desired schema loads; an error of the load comes before one
// of the inspection.
func Plan(ctx context.Context, opts Options) (*Result, error) {
	if opts.URL == "" {
		return nil, errNoURL
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tm := opts.Timings
	start := time.Now()
	// The target first: the untrusted extensions it already has may be loaded.
	conn, err := Connect(ctx, opts.URL)
	if err != nil {
		return &Result{}, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	privs, err := TargetPrivileges(ctx, conn)
	if err != nil {
		return &Result{}, err
	}
	lopts, err := opts.loadOptions(ctx, conn)
	if err != nil {
		return &Result{Target: privs}, err
	}
	type target struct {
		conn  *pgx.Conn
		live  *model.Schema
		privs *RolePrivileges
		err   error
	}
	tm.Since("target: connect, privileges, extensions", start)
	start = time.Now()
	inspected := make(chan target, 1)
	go func() {
		start := time.Now()
		live, err := inspectLive(ctx, conn, opts.inspectOptions())
		tm.Since("inspect target (while loading)", start)
		inspected <- target{conn: conn, live: live, privs: privs, err: err}
	}()
	desired, warnings, err := LoadDesiredWith(ctx, opts.Dir, lopts, opts.inspectOptions())
	if err != nil {
		cancel()
	}
	t := <-inspected
	tm.Since("load desired, all steps", start)
	start = time.Now()
	switch {
	case err != nil:
		return &Result{Warnings: warnings, Target: t.privs}, err
	case t.err != nil:
		return &Result{Warnings: warnings, Target: t.privs}, t.err
	}
	p, err := build(ctx, t.conn, desired, t.live, opts.planOptions())
	if err != nil {
		return &Result{Warnings: warnings, Target: t.privs}, err
	}
	tm.Since("diff and order", start)
	start = time.Now()
	defer tm.Since("attribution, pre-flight", start)
	res := &Result{Plan: p, Live: t.live, Warnings: warnings, Target: t.privs}
	// Attribution is an aid: a failure to read the audit is said, not fatal.
	if res.Attribution, err = Attribute(ctx, t.conn, p.Changes); err != nil {
		res.AuditError = err.Error()
	}
	if err := apply.Preflight(ctx, t.conn, p, opts.preflight()); err != nil {
		return res, err
	}
	if len(p.Refused()) > 0 {
		return res, &RefusedError{Plan: p}
	}
	return res, nil
}

// Apply loads the desired schema, takes the database's advisory lock, plans, refuses
// destructive or unplannable changes unless allowed, runs the pre-flight checks
// (*RefusedError), executes the plan (*ApplyError on failure, with what was committed
// and what was not) and verifies that the live schema equals the desired one.
func Apply(ctx context.Context, opts Options) (*Result, error) {
	if opts.URL == "" {
		return nil, errNoURL
	}
	conn, err := Connect(ctx, opts.URL)
	if err != nil {
		return &Result{}, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	privs, err := TargetPrivileges(ctx, conn)
	if err != nil {
		return &Result{}, err
	}
	lopts, err := opts.loadOptions(ctx, conn)
	if err != nil {
		return &Result{Target: privs}, err
	}
	desired, warnings, err := LoadDesiredWith(ctx, opts.Dir, lopts, opts.inspectOptions())
	if err != nil {
		return &Result{Warnings: warnings, Target: privs}, err
	}
	res, err := ApplyModel(ctx, conn, desired, opts, "")
	if res == nil {
		res = &Result{}
	}
	res.Warnings, res.Target = warnings, privs
	return res, err
}

// ApplyModel applies an already loaded desired model to the database behind conn:
// under the database's advisory lock it plans again, and when expectedPlanID is not
// empty and the plan made under the lock has another ApprovalID (the database or the
// desired model moved since the caller planned) it returns a *PlanChangedError and
// applies nothing. The caller that passes the id of a plan it decided to run may
// allow that very plan's destructive statements with Options.AllowDestructive.
func ApplyModel(ctx context.Context, conn *pgx.Conn, desired *model.Schema, opts Options, expectedPlanID string) (*Result, error) {
	wait := opts.LockWait
	if wait <= 0 {
		wait = 5 * time.Minute
	}
	unlock, err := apply.Lock(ctx, conn, wait)
	if err != nil {
		return nil, err
	}
	defer unlock()
	p, live, err := DiffWith(ctx, conn, desired, opts.inspectOptions(), opts.planOptions())
	if err != nil {
		return nil, err
	}
	res := &Result{Plan: p, Live: live, ApprovalID: ApprovalID(p, live)}
	if expectedPlanID != "" && res.ApprovalID != expectedPlanID {
		return res, &PlanChangedError{Expected: expectedPlanID, Actual: res.ApprovalID}
	}
	if len(p.Blocked) > 0 {
		return res, &UnplannableError{Plan: p}
	}
	if len(p.Statements) == 0 {
		return res, nil
	}
	if p.Destructive() && !opts.AllowDestructive {
		return res, &BlockedError{Plan: p}
	}
	// Before anything runs: a statement the existing data makes fail refuses the
	// plan here rather than halfway through it.
	if err := apply.Preflight(ctx, conn, p, opts.preflight()); err != nil {
		return res, err
	}
	if len(p.Refused()) > 0 {
		return res, &RefusedError{Plan: p}
	}
	// The DDL audit records what runs under this setting as ours (audit.go).
	if _, err := conn.Exec(ctx, "SELECT pg_catalog.set_config('"+ApplyIDSetting+"', $1, false)", res.ApprovalID); err != nil {
		return res, fmt.Errorf("marking the apply: %w", err)
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "RESET "+ApplyIDSetting) }()
	start := time.Now()
	err = apply.Execute(ctx, conn, p, apply.Options{
		LockTimeout:      opts.LockTimeout,
		StatementTimeout: opts.StatementTimeout,
		Record:           !opts.NoRecord,
		Source:           opts.source(),
		ApprovalID:       res.ApprovalID,
	})
	res.Duration = time.Since(start)
	if err != nil {
		return res, fmt.Errorf("applying plan %s: %w", p.ID, err)
	}
	res.Applied = true
	residual, _, err := DiffWith(ctx, conn, desired, opts.inspectOptions(), opts.planOptions())
	if err != nil {
		return res, fmt.Errorf("verifying: %w", err)
	}
	if !residual.Empty() {
		return res, &NotConvergedError{Residual: residual}
	}
	return res, nil
}
