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

package drift

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/apply"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/drift/migrate"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/drift/plan"
)

// This file is the door of versioned migrations (drift/migrate): a folder of
// golang-migrate, Flyway, dbmate or Atlas migrations instead of a declarative
// schema. Pending migrations run in order under the same advisory lock and
// lock_timeout as a plan; the drift check replays the applied ones into a scratch
// database and compares the result with the live database with the declarative
// engine.

// MigrationLayout is the naming convention of a migration folder.
type MigrationLayout = migrate.Layout

// The migration layouts.
const (
	LayoutAuto          = migrate.Auto
	LayoutGolangMigrate = migrate.GolangMigrate
	LayoutFlyway        = migrate.Flyway
	LayoutDbmate        = migrate.Dbmate
	LayoutAtlas         = migrate.Atlas
)

// ParseMigrationLayout checks a layout name; empty means auto.
func ParseMigrationLayout(s string) (MigrationLayout, error) { return migrate.ParseLayout(s) }

// Migration is one up migration of a folder.
type Migration = migrate.Migration

// MigrationStatus is the state of every migration of a folder against a database.
type MigrationStatus = migrate.Status

// MigrationEntry is one line of a MigrationStatus.
type MigrationEntry = migrate.Entry

// MigrationFinding is a statement of a migration and why it is reported (a
// destructive statement).
type MigrationFinding = migrate.Finding

// MigrationRan is a migration an apply ran.
type MigrationRan = migrate.Ran

// MigrationExecError is a migration that failed at a statement (file:line).
type MigrationExecError = migrate.ExecError

// MigrationOptions configure a plan, an apply or a status of a migration folder.
// Of Options, Dir is the migration folder; AllowDestructive lets destructive
// migrations run; LockTimeout, StatementTimeout and LockWait bound the apply as
// for a plan; Schemas, Exclude and ManagePrivileges scope the drift check.
type MigrationOptions struct {
	Options
	// Layout is the folder's layout; empty or auto detects it.
	Layout MigrationLayout
	// AllowOutOfOrder lets a pending migration older than the newest applied one
	// run; without it such a folder is refused.
	AllowOutOfOrder bool
	// ApprovedID approves the destructive statements of exactly this pending set:
	// it must equal the MigrationPlanID of the pending migrations and the live
	// schema at apply time.
	ApprovedID string
	// SkipDrift skips the drift check (the replay of the applied migrations).
	SkipDrift bool
	// Cache, when set, keeps the replayed model of an applied set.
	Cache *Cache
}

// MigrationResult is the outcome of a plan or an apply of a migration folder.
type MigrationResult struct {
	// Dir is the folder as read (its layout resolved).
	Dir *migrate.Dir
	// Status is the folder against the database's history, before the apply.
	Status *MigrationStatus
	// PlanID is MigrationPlanID of the pending migrations and the live schema:
	// the id that approves their destructive statements. Empty when nothing is
	// pending.
	PlanID string
	// Destructive are the destructive statements of the pending migrations.
	Destructive []MigrationFinding
	// Drift is the plan from the live database to the replayed applied
	// migrations: its Changes are the drift (nil when not checked).
	Drift *ChangePlan
	// DriftSources name, for each difference of Drift, the migration that last
	// touched its object, where known.
	DriftSources []DriftSource
	// Ran are the migrations the apply ran, in order.
	Ran []MigrationRan
	// Warnings are the statements the replay skipped (data statements...).
	Warnings []load.Warning
	// Target is what the role applying may do beyond owning its schemas.
	Target *RolePrivileges
	// ServerVersionNum is the target's server_version_num.
	ServerVersionNum int
}

// DriftSource is a difference of the drift check with the migration that last
// touched its object.
type DriftSource struct {
	Object    string `json:"object"`
	Change    string `json:"change"`
	Migration string `json:"migration,omitempty"`
}

// ChangedMigrationError is an applied migration whose file changed since it was
// applied (its checksum differs): the user must restore the file or write a new
// migration. Nothing was applied.
type ChangedMigrationError struct {
	Entries []MigrationEntry
}

func (e *ChangedMigrationError) Error() string {
	var lines []string
	for _, x := range e.Entries {
		lines = append(lines, fmt.Sprintf("%s: migration %s was applied (%s) and its file changed since; restore it and put the change in a new migration", x.File, x.Version, x.Applied.Tool))
	}
	return strings.Join(lines, "\n")
}

// OutOfOrderError is a pending migration older than the newest applied one,
// refused unless allowed. Nothing was applied.
type OutOfOrderError struct {
	Migrations []*Migration
	Latest     string
}

func (e *OutOfOrderError) Error() string {
	var lines []string
	for _, m := range e.Migrations {
		lines = append(lines, fmt.Sprintf("%s: pending migration %s is older than the newest applied version %s; renumber it, or allow out-of-order migrations", m.File, m.Version, e.Latest))
	}
	return strings.Join(lines, "\n")
}

// DirtyMigrationError is a migration that failed half-way (recorded dirty by
// schemactl, golang-migrate or Flyway): someone must check the database first.
type DirtyMigrationError struct {
	Entries []MigrationEntry
}

func (e *DirtyMigrationError) Error() string {
	var lines []string
	for _, x := range e.Entries {
		name := x.File
		if name == "" {
			name = "version " + x.Version
		}
		lines = append(lines, fmt.Sprintf("%s: migration %s failed half-way (dirty in %s's history); check the database, fix the history, then apply again", name, x.Version, x.Applied.Tool))
	}
	return strings.Join(lines, "\n")
}

// MigrationsBlockedError is a pending set with destructive statements that is
// neither allowed nor approved. Nothing was applied.
type MigrationsBlockedError struct {
	PlanID      string
	Destructive []MigrationFinding
}

func (e *MigrationsBlockedError) Error() string {
	lines := make([]string, len(e.Destructive))
	for i, f := range e.Destructive {
		lines[i] = fmt.Sprintf("  %s: %s", f.Position, f.Reason)
	}
	return fmt.Sprintf("pending migrations %s have %d destructive statement(s) and they are not allowed; nothing was applied:\n%s",
		e.PlanID, len(lines), strings.Join(lines, "\n"))
}

// IsMigrationStalled tells whether err is a problem of the migration folder the
// user must fix (a malformed file, a changed or dirty migration, an out-of-order
// one): retrying does not help.
func IsMigrationStalled(err error) bool {
	var (
		ch *ChangedMigrationError
		oo *OutOfOrderError
		di *DirtyMigrationError
		fe *migrate.FileError
	)
	return errors.As(err, &ch) || errors.As(err, &oo) || errors.As(err, &di) || errors.As(err, &fe) || IsInvalidSQL(err)
}

// MigrationPlanID is the id that approves a pending set: the digest of the
// pending files (version, file, checksum) and of the live schema's fingerprint,
// so an approval goes stale by itself when a pending file or the database moves.
func MigrationPlanID(pending []*Migration, live *model.Schema) string {
	h := sha256.New()
	_, _ = fmt.Fprintln(h, "migrations")
	for _, m := range pending {
		_, _ = fmt.Fprintf(h, "%s\t%s\t%s\n", m.Version, m.File, m.Checksum)
	}
	_, _ = fmt.Fprintln(h, live.Fingerprint())
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// ReadMigrations reads and checks a migration folder (every file parsed with
// PostgreSQL's parser): the errors are file:line.
func ReadMigrations(dir string, layout MigrationLayout) (*migrate.Dir, error) {
	return migrate.Read(dir, layout)
}

// MigrationStatusOf reads the history of the database behind conn and compares
// it with the folder.
func MigrationStatusOf(ctx context.Context, conn *pgx.Conn, d *migrate.Dir) (*MigrationStatus, error) {
	h, err := migrate.ReadHistory(ctx, conn)
	if err != nil {
		return nil, err
	}
	return migrate.NewStatus(d, h), nil
}

// check refuses a status that must not be applied: dirty, changed, out of order.
func (o *MigrationOptions) check(st *MigrationStatus) error {
	if len(st.Dirty) > 0 {
		return &DirtyMigrationError{Entries: st.Dirty}
	}
	if len(st.Changed) > 0 {
		return &ChangedMigrationError{Entries: st.Changed}
	}
	if len(st.OutOfOrder) > 0 && !o.AllowOutOfOrder {
		return &OutOfOrderError{Migrations: st.OutOfOrder, Latest: st.Latest}
	}
	return nil
}

func (o *MigrationOptions) scope(st *MigrationStatus) inspect.Options {
	io := o.inspectOptions()
	io.Exclude = slices.Concat(io.Exclude, MigrationHistoryTables(st))
	return io
}

// MigrationHistoryTables are the history tables of other tools in the database
// ("schema.table"): the drift check leaves them out (Options.Exclude), since the
// migrations do not create them.
func MigrationHistoryTables(st *MigrationStatus) []string {
	var out []string
	for _, t := range st.Tables {
		if !strings.HasPrefix(t, "schemactl.") {
			out = append(out, t)
		}
	}
	return out
}

// inspectMigrated inspects the live database of a migration folder without the
// schema Atlas keeps its revision table in (atlas_schema_revisions by default),
// which the migrations do not create.
func inspectMigrated(ctx context.Context, conn *pgx.Conn, scope inspect.Options, st *MigrationStatus) (*model.Schema, error) {
	live, err := inspectLive(ctx, conn, scope)
	if err != nil {
		return nil, err
	}
	for _, t := range st.Tables {
		schema, table, _ := strings.Cut(t, ".")
		if table == "atlas_schema_revisions" && schema != "public" {
			live.Namespaces = slices.DeleteFunc(live.Namespaces, func(n model.Namespace) bool { return n.Name == schema })
		}
	}
	return live, nil
}

// MigrationTouchedBy returns the applied migration of st that last touched a
// plan object ("column public.users.note"), or "" when no statement tells.
func MigrationTouchedBy(st *MigrationStatus, object string) string {
	last := map[string]string{}
	for _, m := range st.Applied {
		for _, o := range m.Analysis.Touches {
			last[o] = m.File
		}
	}
	return touchedBy(last, object)
}

// destructiveOf returns the destructive statements of ms. A column type change
// whose new type the parser tells is kept only when the engine's table of exact
// conversions does not cover the change from the live column's type (the same
// rule as a declarative plan's DataLoss); a column the live database does not
// have yet stays destructive.
func destructiveOf(ms []*Migration, live *model.Schema) []MigrationFinding {
	var out []MigrationFinding
	for _, m := range ms {
		for _, f := range m.Analysis.Destructive {
			if tc := f.TypeChange; tc != nil && live != nil {
				if old, ok := columnType(live, tc.Table, tc.Column); ok && !plan.LossyTypeChange(old, tc.NewType) {
					continue
				}
			}
			out = append(out, f)
		}
	}
	return out
}

func columnType(s *model.Schema, table, column string) (string, bool) {
	for _, t := range s.Tables {
		if t.Schema+"."+t.Name != table {
			continue
		}
		for _, c := range t.Columns {
			if c.Name == column {
				return c.Type, true
			}
		}
	}
	return "", false
}

// PlanMigrations reads the folder, compares it with the database's history and
// reports the pending migrations (with their destructive statements and the id
// that approves them) and the drift of the live database from the replayed
// applied migrations. It never writes to the target. A changed, dirty or
// out-of-order migration is returned as an error along with the result.
func PlanMigrations(ctx context.Context, opts MigrationOptions) (*MigrationResult, error) {
	if opts.URL == "" {
		return nil, errNoURL
	}
	d, err := migrate.Read(opts.Dir, opts.Layout)
	if err != nil {
		return &MigrationResult{}, err
	}
	conn, err := Connect(ctx, opts.URL)
	if err != nil {
		return &MigrationResult{Dir: d}, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	res := &MigrationResult{Dir: d, ServerVersionNum: serverMajor(conn) * 10000}
	if res.Target, err = TargetPrivileges(ctx, conn); err != nil {
		return res, err
	}
	if res.Status, err = MigrationStatusOf(ctx, conn, d); err != nil {
		return res, err
	}
	live, err := inspectMigrated(ctx, conn, opts.scope(res.Status), res.Status)
	if err != nil {
		return res, err
	}
	res.Destructive = destructiveOf(res.Status.Pending, live)
	if len(res.Status.Pending) > 0 {
		res.PlanID = MigrationPlanID(res.Status.Pending, live)
	}
	// A changed, dirty or out-of-order history is the user's to fix first; the
	// replay of a history that is not the folder's would fail or mislead.
	if err := opts.check(res.Status); err != nil {
		return res, err
	}
	if !opts.SkipDrift {
		if err := res.checkDrift(ctx, conn, live, opts); err != nil {
			return res, err
		}
	}
	return res, nil
}

// checkDrift replays the applied migrations into a scratch database and plans
// from the live database to that model.
func (res *MigrationResult) checkDrift(ctx context.Context, conn *pgx.Conn, live *model.Schema, opts MigrationOptions) error {
	replayed, warnings, err := ReplayMigrations(ctx, conn, res.Status, opts)
	res.Warnings = warnings
	if err != nil {
		return fmt.Errorf("replaying the applied migrations: %w", err)
	}
	p, err := build(ctx, conn, replayed, live, opts.planOptions())
	if err != nil {
		return err
	}
	res.Drift = p
	last := map[string]string{}
	for _, m := range res.Status.Applied {
		for _, o := range m.Analysis.Touches {
			last[o] = m.File
		}
	}
	for _, c := range append(append([]Difference{}, p.Changes...), p.Blocked...) {
		res.DriftSources = append(res.DriftSources, DriftSource{Object: c.Object, Change: c.Change, Migration: touchedBy(last, c.Object)})
	}
	return nil
}

// touchedBy finds the migration that last touched a plan object ("column
// public.t.c", "index public.t_idx"): the object's name, then its parents.
func touchedBy(last map[string]string, object string) string {
	_, name, ok := strings.Cut(object, " ")
	if !ok {
		name = object
	}
	if i := strings.IndexAny(name, "( "); i >= 0 {
		name = name[:i]
	}
	for name != "" {
		if f, ok := last[name]; ok {
			return f
		}
		i := strings.LastIndexByte(name, '.')
		if i < 0 {
			break
		}
		name = name[:i]
	}
	return ""
}

// ReplayMigrations loads the applied migrations of st, in order, into a scratch
// database with the loader (unprivileged role, statement_timeout, data statements
// skipped) and inspects it: the schema the migrations describe. With opts.Cache
// the model is kept per applied set (the files' checksums), server, scope and
// extensions.
func ReplayMigrations(ctx context.Context, conn *pgx.Conn, st *MigrationStatus, opts MigrationOptions) (*model.Schema, []load.Warning, error) {
	lopts, err := opts.loadOptions(ctx, conn)
	if err != nil {
		return nil, nil, err
	}
	h := sha256.New()
	var stmts []load.Statement
	for _, m := range st.Applied {
		_, _ = fmt.Fprintf(h, "%s\t%s\n", m.File, m.Checksum)
		stmts = append(stmts, m.Statements...)
	}
	scope := opts.scope(st)
	replay := func(ctx context.Context) (*model.Schema, []load.Warning, error) {
		var replayed *model.Schema
		warnings, err := load.LoadStatements(ctx, stmts, lopts, func(ctx context.Context, c *pgx.Conn) error {
			s, err := inspect.Inspect(ctx, c, scope)
			replayed = s
			return err
		})
		return replayed, warnings, err
	}
	if opts.Cache == nil {
		return replay(ctx)
	}
	key := CacheKey{Revision: "migrations:" + hex.EncodeToString(h.Sum(nil)), Path: opts.Dir, ServerMajor: serverMajor(conn),
		Scratch: serverIdentity(lopts.AdminURL), Scope: ScopeKey(scope), Extensions: strings.Join(lopts.AllowedExtensions, ",")}
	return opts.Cache.Get(ctx, key, replay)
}

// ApplyMigrations runs the pending migrations of the folder under the database's
// advisory lock: it refuses a dirty, changed or out-of-order history, and a
// pending set with destructive statements unless AllowDestructive or ApprovedID
// is its MigrationPlanID (*MigrationsBlockedError); it records migrations another
// tool applied in schemactl.migrations without running them, then runs each
// pending migration in a transaction of its own (or statement by statement when
// it cannot run in one) with the lock_timeout and statement_timeout of opts. A
// history with nothing to apply, adopt or refuse (MigrationsUpToDate) is
// returned without taking the lock.
func ApplyMigrations(ctx context.Context, opts MigrationOptions) (*MigrationResult, error) {
	if opts.URL == "" {
		return nil, errNoURL
	}
	d, err := migrate.Read(opts.Dir, opts.Layout)
	if err != nil {
		return &MigrationResult{}, err
	}
	conn, err := Connect(ctx, opts.URL)
	if err != nil {
		return &MigrationResult{Dir: d}, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	return ApplyMigrationsOn(ctx, conn, d, opts)
}

// ApplyMigrationsOn is ApplyMigrations on an open connection and a folder read
// already.
func ApplyMigrationsOn(ctx context.Context, conn *pgx.Conn, d *migrate.Dir, opts MigrationOptions) (*MigrationResult, error) {
	res := &MigrationResult{Dir: d, ServerVersionNum: serverMajor(conn) * 10000}
	var err error
	if res.Target, err = TargetPrivileges(ctx, conn); err != nil {
		return res, err
	}
	// Most passes find nothing to do: the history read without the lock says so,
	// and the lock (two round trips, and a wait behind another apply) is taken
	// only when there is something to run, record or refuse; then the history is
	// read again under it.
	if res.Status, err = MigrationStatusOf(ctx, conn, d); err != nil {
		return res, err
	}
	if MigrationsUpToDate(res.Status, opts) {
		return res, nil
	}
	wait := opts.LockWait
	if wait <= 0 {
		wait = 5 * time.Minute
	}
	unlock, err := apply.Lock(ctx, conn, wait)
	if err != nil {
		return res, err
	}
	defer unlock()
	if res.Status, err = MigrationStatusOf(ctx, conn, d); err != nil {
		return res, err
	}
	if err := opts.check(res.Status); err != nil {
		return res, err
	}
	st := res.Status
	if len(st.Pending) == 0 && len(st.Adopt) == 0 {
		return res, nil
	}
	if len(st.Pending) > 0 {
		live, err := inspectMigrated(ctx, conn, opts.scope(st), st)
		if err != nil {
			return res, err
		}
		res.PlanID = MigrationPlanID(st.Pending, live)
		res.Destructive = destructiveOf(st.Pending, live)
	}
	if len(res.Destructive) > 0 && !opts.AllowDestructive && opts.ApprovedID != res.PlanID {
		return res, &MigrationsBlockedError{PlanID: res.PlanID, Destructive: res.Destructive}
	}
	lock := opts.LockTimeout
	if lock <= 0 {
		lock = plan.DefaultLockTimeout
	}
	stmt := opts.StatementTimeout
	if stmt <= 0 {
		stmt = 5 * time.Minute
	}
	res.Ran, err = migrate.Execute(ctx, conn, st, migrate.ExecOptions{LockTimeout: lock, StatementTimeout: stmt,
		Source: opts.source(), ServerVersionNum: res.ServerVersionNum})
	return res, err
}

// MigrationsUpToDate tells whether st has nothing for an apply to do: no pending
// migration, none to adopt from another tool's history, and nothing it would
// refuse (dirty, changed, or out of order unless allowed).
func MigrationsUpToDate(st *MigrationStatus, opts MigrationOptions) bool {
	return len(st.Pending) == 0 && len(st.Adopt) == 0 && opts.check(st) == nil
}

// MigrationSummary renders pending migrations as SQL comments: each with its
// statements' count, whether it runs in a transaction and its destructive
// statements.
func MigrationSummary(pending []*Migration, serverVersionNum int) string {
	return migrate.Summary(pending, serverVersionNum)
}
