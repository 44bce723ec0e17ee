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

// Package plan compares a desired and a live schema model and produces an ordered plan
// of DDL statements, each tagged with its hazards, lock and phase. It is pure: it reads
// models and the conversions PostgreSQL knows for column type changes (NeededCasts
// tells which; the caller inspects them up front) and never talks to a database.
package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"

	"github.com/schemactl/schema-controller/drift/model"
)

// Hazard names a risk of a statement.
type Hazard string

// The hazards a statement can carry.
const (
	// DataLoss: the statement drops data (a table, column, sequence, type or enum
	// value) or narrows a type so that values can change or fail.
	DataLoss Hazard = "DataLoss"
	// TableRewrite: PostgreSQL rewrites the whole table (and its indexes).
	TableRewrite Hazard = "TableRewrite"
	// AccessExclusiveLock: the statement blocks all reads and writes of the table while it runs.
	AccessExclusiveLock Hazard = "AccessExclusiveLock"
	// IndexBuild: an index is built, which takes time proportional to the table.
	IndexBuild Hazard = "IndexBuild"
	// ValidationScan: existing rows are scanned to validate a constraint.
	ValidationScan Hazard = "ValidationScan"
	// ViewRefresh: a materialized view runs its query to compute its rows (REFRESH
	// MATERIALIZED VIEW), which takes time proportional to the query and locks the
	// view against reads until the transaction commits.
	ViewRefresh Hazard = "ViewRefresh"
)

// Phase tells how a statement is executed.
type Phase int

// The phases of a plan, executed in this order.
const (
	// PhasePre statements run first, each in its own transaction; they are additive and
	// idempotent (ALTER TYPE ... ADD VALUE IF NOT EXISTS, whose new value cannot be used
	// in the transaction that adds it).
	PhasePre Phase = iota
	// PhaseTransactional statements all run in one transaction: a failure leaves the
	// database exactly as it was.
	PhaseTransactional
	// PhaseOnline statements run after the transaction, each on its own, outside a
	// transaction block where PostgreSQL requires it (CREATE INDEX CONCURRENTLY,
	// VALIDATE CONSTRAINT). They are idempotent: a crash in between is finished by the
	// next run.
	PhaseOnline
)

func (p Phase) String() string {
	switch p {
	case PhasePre:
		return "pre"
	case PhaseTransactional:
		return "transactional"
	default:
		return "online"
	}
}

// Statement is one DDL statement of a plan.
type Statement struct {
	SQL     string   `json:"sql"`
	Hazards []Hazard `json:"hazards,omitempty"`
	Phase   Phase    `json:"-"`
	// PhaseName is the phase as text, for JSON output.
	PhaseName string `json:"phase"`
	// Object is the object the statement changes, e.g. "table public.orders".
	Object string `json:"object"`
	// Lock is the strongest table lock the statement takes ("ACCESS EXCLUSIVE",
	// "SHARE", "SHARE UPDATE EXCLUSIVE", ...), empty when it locks no existing table.
	Lock string `json:"lock,omitempty"`
	// Rewrite is true when PostgreSQL rewrites the table (the TableRewrite hazard).
	Rewrite bool `json:"rewrite"`
	// Table is the one existing table the statement alters or drops (ALTER TABLE,
	// DROP TABLE of a single table), qualified and quoted as the statement names
	// it, given by the builder as it makes the statement; empty for the others.
	// Apply takes the ACCESS EXCLUSIVE lock of the Table of every such statement of
	// the transaction before the first statement runs.
	Table string `json:"-"`
	// LockTimeout and StatementTimeout bound this statement; apply sets them before
	// it runs (SET LOCAL inside the transaction, SET for the other phases). Zero
	// means the apply's defaults.
	LockTimeout      time.Duration `json:"-"`
	StatementTimeout time.Duration `json:"-"`
	// LockTimeoutText and StatementTimeoutText are the timeouts as text ("5s"), for
	// JSON output.
	LockTimeoutText      string `json:"lockTimeout,omitempty"`
	StatementTimeoutText string `json:"statementTimeout,omitempty"`
	// Cleanup are the statements apply runs, in order, when this (online) statement
	// fails: they remove what its step left behind (a helper constraint, an index
	// built CONCURRENTLY, a constraint added NOT VALID by the transaction), so that a
	// failed step leaves the database as if the step had not started. They are
	// idempotent (IF EXISTS).
	Cleanup []string `json:"cleanup,omitempty"`
	// Check is the pre-flight query that tells, before anything runs, whether the
	// existing data lets this statement succeed (preflight.go); nil when there is
	// nothing to check.
	Check *Check `json:"-"`
	// Reverts are the indexes of earlier statements (of the transaction or of this
	// online step) whose effect the Cleanup removes: after a successful cleanup
	// nothing of them is left.
	Reverts []int `json:"-"`
	stage   int
	// within orders statements of one stage before their generation order: the
	// types dropped, dependents first (orderTypeDrops); 0 for the others.
	within int
	seq    int
	// long: the statement's run time grows with the data (builder.longLast).
	long bool
	// revertSeqs are the seq numbers behind Reverts, resolved by finish.
	revertSeqs []int
}

// Destructive reports whether the statement can lose data.
func (s *Statement) Destructive() bool { return hasHazard(s.Hazards, DataLoss) }

// Notes renders the lock the statement takes, whether it rewrites the table, and its
// timeouts, as plan output shows them.
func (s *Statement) Notes() string { return statementNotes(s) }

// Difference is one line of a drift report: an object and how the live database
// differs from the desired schema.
type Difference struct {
	Object string `json:"object"`
	Change string `json:"change"`
}

// Plan is the ordered list of statements that turns the live schema into the desired one.
type Plan struct {
	// ID is "sha256:<hex>" of the statements; it changes when any statement does.
	ID         string       `json:"id"`
	Statements []Statement  `json:"statements"`
	Changes    []Difference `json:"changes"`
	// Blocked lists differences the engine cannot plan (an impossible type change, an
	// unsupported object kind that differs). They are part of the drift but no
	// statement can fix them.
	Blocked []Difference `json:"blocked,omitempty"`
	// Unsupported lists the objects of kinds the engine does not manage yet, in sync or
	// not, so that nothing is silently ignored.
	Unsupported []string `json:"unsupported,omitempty"`
	// Notes are differences the plan keeps on purpose and says so (a constraint
	// validated in the database that Git declares NOT VALID: never weakened). They
	// are not drift: no statement changes them and an empty plan may have notes.
	Notes []Difference `json:"notes,omitempty"`
	// Preflight are the outcomes of the pre-flight checks of the existing data
	// (filled by the caller that ran them, see Check); empty when none ran.
	Preflight []PreflightResult `json:"preflight,omitempty"`
}

// Empty reports whether live equals desired: nothing to run and nothing blocked.
func (p *Plan) Empty() bool { return len(p.Statements) == 0 && len(p.Blocked) == 0 }

// Destructive reports whether any statement can lose data.
func (p *Plan) Destructive() bool {
	for i := range p.Statements {
		if p.Statements[i].Destructive() {
			return true
		}
	}
	return false
}

// Hazards returns the distinct hazards of the plan, sorted.
func (p *Plan) Hazards() []Hazard {
	seen := map[Hazard]bool{}
	var out []Hazard
	for _, s := range p.Statements {
		for _, h := range s.Hazards {
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// SQL renders the plan as a script with hazards and phases as comments.
func (p *Plan) SQL() string {
	var b strings.Builder
	for _, s := range p.Statements {
		var notes []string
		if len(s.Hazards) > 0 {
			hs := make([]string, len(s.Hazards))
			for i, h := range s.Hazards {
				hs[i] = string(h)
			}
			notes = append(notes, "hazards: "+strings.Join(hs, ", "))
		}
		if s.Phase != PhaseTransactional {
			notes = append(notes, "runs outside the main transaction ("+s.Phase.String()+")")
		}
		if len(notes) > 0 {
			b.WriteString("-- " + strings.Join(notes, "; ") + "\n")
		}
		b.WriteString("-- " + statementNotes(&s) + "\n")
		b.WriteString(s.SQL)
		b.WriteString(";\n")
	}
	for _, d := range p.Blocked {
		b.WriteString("-- cannot plan: " + d.Object + ": " + strings.ReplaceAll(d.Change, "\n", " ") + "\n")
	}
	b.WriteString(p.NotesSQL())
	for _, r := range p.Preflight {
		if r.Outcome != PreflightPassed {
			b.WriteString("-- preflight " + r.Outcome + ": " + strings.ReplaceAll(r.Message, "\n", " ") + "\n")
		}
	}
	return b.String()
}

// NotesSQL renders the notes of the plan as SQL comments, one "-- note: " line each.
func (p *Plan) NotesSQL() string {
	var b strings.Builder
	for _, d := range p.Notes {
		b.WriteString("-- note: " + d.Object + ": " + strings.ReplaceAll(d.Change, "\n", " ") + "\n")
	}
	return b.String()
}

// Cast is how PostgreSQL converts values of one type into another.
type Cast struct {
	// Context is "i" (implicit), "a" (assignment), "e" (explicit only) or "" (no
	// conversion).
	Context string
	// Binary is true when the types are binary coercible: no function runs and the
	// table is not rewritten.
	Binary bool
	// Unknown is true when a type does not exist in the database yet (an extension of
	// this plan creates it): PostgreSQL checks the conversion when the plan runs.
	Unknown bool
}

// CastPair is a conversion between two types, without typmod or array suffix, that a
// column type change of the plan needs to know about (NeededCasts).
type CastPair struct{ From, To string }

// Options tune planning.
type Options struct {
	// Casts are the conversions PostgreSQL knows for the pairs NeededCasts returns,
	// inspected from the target up front. A pair it lacks (all of them when nil) is
	// taken as explicit only: the change gets a USING clause and is tagged as lossy.
	Casts map[CastPair]Cast
	// LockTimeout is the lock_timeout of every statement (default 5s).
	LockTimeout time.Duration
	// StatementTimeout is the statement_timeout of statements that scan, rewrite or
	// build inside the transaction (default 5m). Catalog-only changes get a short one
	// (ShortStatementTimeout, at most this), online builds and validations a long one
	// (OnlineStatementTimeout).
	StatementTimeout time.Duration
	// ManagePrivileges compares and plans GRANT/REVOKE on tables, columns, sequences,
	// functions and schemas, and reports ownership; off, privileges are not compared.
	ManagePrivileges bool
	// AllowedExtensions are the extensions the plan may create although the target
	// does not mark them trusted. Build does not read it: the drift package checks
	// the plan against the target's catalog before it returns one.
	AllowedExtensions []string
	// SoftDrop moves the tables the plan drops into the graveyard schema instead
	// of dropping them (softdrop.go); Now is the time their graveyard names carry
	// (zero: the time of Build).
	SoftDrop bool
	Now      time.Time
	// SoftDropRowBudget is the most rows of a dropped column soft drop copies
	// (0: DefaultSoftDropRowBudget).
	SoftDropRowBudget int64
}

// stages order statements across object kinds; drops run in reverse dependency order.
const (
	stageCreateSchema = iota + 1
	stageExtension
	// stageDropIdentity frees the name of an identity sequence that a new sequence
	// takes (identity → serial).
	stageDropIdentity
	stageCreateType
	stageCreateSequence
	// stageDetachRecreated detaches what stays of tables that are created again,
	// before anything else is dropped (recreate.go).
	stageDetachRecreated
	stageDropConstraintFK
	stageDropConstraint
	// stageDetachForIndex detaches the partitions that reattach plans to leave
	// their partitioned table while a partitioned index one of their keys is
	// attached to is dropped (reattach.go), after the constraints of the tree
	// are dropped (recursing into them) and before the indexes are.
	stageDetachForIndex
	stageDropIndex
	// stageReattach attaches those partitions again, once the indexes are
	// dropped and before any column or constraint of their parent changes.
	stageReattach
	// stageDropPolicy drops policies that go or are created again, before the
	// columns and functions they read change.
	stageDropPolicy
	// stageDropRoutines drops triggers, views and functions that go or are created
	// again (dependents first), before the columns and functions under them change.
	stageDropRoutines
	// stageDropRecreated drops the tables that are created again (recreate.go).
	stageDropRecreated
	// stageCreateFunction creates and replaces functions that read no relation,
	// before the tables whose defaults and checks may call them.
	stageCreateFunction
	// stageCreateOperator creates operators, after the functions they call, and
	// text search dictionaries.
	stageCreateOperator
	// stageCreateTextSearch creates text search configurations, after their
	// dictionaries and before the tables and indexes that name them.
	stageCreateTextSearch
	// stageDomainConstraint sets domain defaults and checks and creates range types
	// with functions, after the functions they may call exist.
	stageDomainConstraint
	// stageDetachPartition detaches the partitions that leave a parent which gets
	// new partitions, before these are created or attached: the old bounds would
	// overlap the new ones (tables.go, detachEarly).
	stageDetachPartition
	stageCreateTable
	// stageDropDependentColumn drops generated columns that are added again later
	// (their expression changes, or a column they read changes its type).
	stageDropDependentColumn
	// stageAddMergedColumn adds a child's own column that a parent adds too
	// (columns.go), before the parent's ADD COLUMN, which then merges with it
	// instead of adding it to the child as only inherited.
	stageAddMergedColumn
	stageAlterTable
	stageAddDependentColumn
	stageSequenceOwnedBy
	// stageAttachIndexEarly attaches the indexes of the partitions of a
	// partitioned table that the plan attaches, before it is (indexes.go).
	stageAttachIndexEarly
	stageAddConstraint
	// stagePartitionIndex creates the indexes of partitions before the partitioned
	// indexes that adopt them (stageCreateKeyIndex, stageCreateIndex).
	stagePartitionIndex
	// stageCreateKeyIndex builds, inside the transaction, the unique indexes of
	// tables that foreign keys of the plan reference: a foreign key may rest on a
	// unique index rather than on a constraint.
	stageCreateKeyIndex
	// stageAttachKeyIndex attaches the partitions' indexes and keys under a
	// unique partitioned index or key that foreign keys of the plan reference:
	// built ON ONLY, it is invalid, and no foreign key can rest on it, until every
	// partition's index is attached (attachStage).
	stageAttachKeyIndex
	stageAddForeignKey
	// stageCreateView creates views, materialized views with their indexes, and
	// functions that read relations, dependencies first.
	stageCreateView
	stageCreateTrigger
	// stageCreatePolicy creates policies after the tables, views and functions they
	// read, and before row level security is enabled (stageTableAfterIndex).
	stageCreatePolicy
	stageCreateIndex
	// stageAttachIndex attaches partitions' indexes to their partitioned index.
	stageAttachIndex
	// stageOnlineNotNull validates the helper check of an online SET NOT NULL and
	// sets NOT NULL (online phase), before a primary key needs the column NOT NULL.
	stageOnlineNotNull
	// stageConstraintUsingIndex turns a concurrently built unique index into its
	// primary key or unique constraint (online phase).
	stageConstraintUsingIndex
	stageTableAfterIndex
	stageComment
	stageDropTable
	// stageDropOperator drops operators before the functions they call.
	stageDropOperator
	stageDropFunction
	stageDropSequence
	stageDropType
	stageDropExtension
	stageDropSchema
)

// Build diffs desired against live and returns the ordered plan.
func Build(desired, live *model.Schema, opts Options) (*Plan, error) {
	b := &builder{desired: desired, live: live, opts: opts, p: &Plan{}}
	b.index()
	if b.recreated = b.recreateTables(); b.recreated != nil {
		b.index() // over the live model without the recreated tables
	}
	for _, step := range []func() error{b.namespaces, b.extensions, b.enums, b.types, b.sequences, b.routines, b.tables, b.policies, b.indexes, b.catalogObjects, b.dropSequences, b.privileges, b.unsupported} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	b.orderTypeDrops()
	b.finish()
	b.softDrop()
	return b.p, nil
}

type builder struct {
	desired, live *model.Schema
	opts          Options
	p             *Plan
	seq           int

	liveTables, desiredTables map[string]*model.Table
	// newTables are tables created by this plan; their indexes are built in the
	// transaction and their constraints need no NOT VALID step.
	newTables map[string]bool
	// droppedTables are tables this plan drops: their indexes and constraints go with them.
	droppedTables map[string]bool
	// recreated are tables dropped and created again (recreate.go); b.live no
	// longer has them.
	recreated map[string]bool
	// recreatedViews are the views (qualified) routines drops and creates again.
	recreatedViews map[string]bool
	// recreatedColumns are the columns (table, column) dropped and added again, whose
	// dependent indexes and constraints must be rebuilt.
	recreatedColumns map[pairKey]bool
	// pkNotNullDrops are the columns (table, primary key → names) whose NOT
	// NULL goes once the live primary key that holds them is replaced.
	pkNotNullDrops map[pairKey][]string
	// enumsSwapped are the enums replaced by a new type (values removed or reordered).
	enumsSwapped map[string]bool
	// swapTyped are the columns (table, column) of a swapped enum that the swap
	// converts to the other type Git gives them, as the conversion leaves them.
	swapTyped map[pairKey]*model.Column
	// recreatedTypes are the types (qualified) this plan drops and creates again (a
	// swapped enum, a range type defined anew): they come back without their grants.
	recreatedTypes map[string]bool
	// desiredKeys are the desired primary keys and unique constraints by their
	// index (qualified): table and the index it is attached to (keyOfIndex,
	// built on first use).
	desiredKeys map[string][2]string
	// forceRecreate are the generated columns (table, column) that read a column whose
	// type changes: PostgreSQL refuses the type change while they exist.
	forceRecreate map[pairKey]bool
	// rebuild are constraints (table, name) and indexes (qualified name) that
	// mention an enum this plan swaps: they are dropped before the swap and created
	// again after it.
	rebuildConstraints map[pairKey]bool
	rebuildIndexes     map[string]bool
	// sequencesDropped are live sequences a column change drops itself (serial →
	// identity), by qualified name.
	sequencesDropped map[string]bool
	// online is the state of the online-safe steps (online.go).
	online onlineState
	// droppedEarly are dropped tables that go early (dropEarly): a view of Git
	// takes the name, or an enum swap must not convert them. leftEarly are the
	// (child, parent) a kept partition or child leaves early, before its parent
	// goes.
	droppedEarly map[string]bool
	leftEarly    map[pairKey]bool
	// inheritChecks are the checks (child, name) that a parent the child starts
	// to inherit from adds to it again after ALTER TABLE ... INHERIT (tables.go).
	inheritChecks map[pairKey]bool
	// droppedRoutineNames are the functions, procedures, aggregates and views
	// this plan drops (schema, name), in the order of their statements:
	// recorded where the DROP is made, read by policies and privileges.
	droppedRoutineNames [][2]string
	// onItsOwn are the new partitions created as tables of their own and then
	// attached (attachesOnItsOwn), withTable the indexes (qualified) created with
	// them before they are attached.
	onItsOwn, withTable map[string]bool
	// reattached are the partitions (qualified) detached and attached again
	// around the drop of a partitioned index their key is attached to
	// (reattachForIndex, computed on first use); reattachPlanned those whose
	// statements are planned.
	reattached, reattachPlanned map[string]bool
	// liveIndexes and desiredIndexes are the plain indexes by qualified name.
	liveIndexes, desiredIndexes map[string]*model.Index
}

func (b *builder) index() {
	b.liveTables = map[string]*model.Table{}
	b.desiredTables = map[string]*model.Table{}
	for i := range b.live.Tables {
		t := &b.live.Tables[i]
		b.liveTables[t.QualifiedName()] = t
	}
	for i := range b.desired.Tables {
		t := &b.desired.Tables[i]
		b.desiredTables[t.QualifiedName()] = t
	}
	b.newTables = map[string]bool{}
	b.droppedTables = map[string]bool{}
	for k := range b.desiredTables {
		if b.liveTables[k] == nil {
			b.newTables[k] = true
		}
	}
	for k := range b.liveTables {
		if b.desiredTables[k] == nil {
			b.droppedTables[k] = true
		}
	}
	b.recreatedColumns = map[pairKey]bool{}
	b.inheritChecks = map[pairKey]bool{}
	b.pkNotNullDrops = map[pairKey][]string{}
	b.enumsSwapped = map[string]bool{}
	b.swapTyped = map[pairKey]*model.Column{}
	b.recreatedTypes = map[string]bool{}
	b.sequencesDropped = map[string]bool{}
	b.forceRecreate = map[pairKey]bool{}
	b.rebuildConstraints = map[pairKey]bool{}
	b.rebuildIndexes = map[string]bool{}
	b.onItsOwn, b.withTable = map[string]bool{}, map[string]bool{}
	b.reattached, b.reattachPlanned = map[string]bool{}, map[string]bool{}
	b.liveIndexes, b.desiredIndexes = map[string]*model.Index{}, map[string]*model.Index{}
	for i := range b.live.Indexes {
		x := &b.live.Indexes[i]
		b.liveIndexes[qn(x.Schema, x.Name)] = x
	}
	for i := range b.desired.Indexes {
		x := &b.desired.Indexes[i]
		b.desiredIndexes[qn(x.Schema, x.Name)] = x
	}
	b.indexOnline()
}

// The table locks a statement takes (Statement.Lock), strongest first.
const (
	lockNone                 = ""
	lockAccessExclusive      = "ACCESS EXCLUSIVE"
	lockShareRowExclusive    = "SHARE ROW EXCLUSIVE"
	lockShare                = "SHARE"
	lockShareUpdateExclusive = "SHARE UPDATE EXCLUSIVE"
	// lockDomainTables: changing a domain's constraints locks (SHARE) every table
	// with a column of the domain, to check its rows.
	lockDomainTables = "SHARE (tables using the domain)"
)

// indexLock is the lock of CREATE INDEX, or of CREATE INDEX CONCURRENTLY, which
// lets writes go on.
func indexLock(concurrently bool) string {
	if concurrently {
		return lockShareUpdateExclusive
	}
	return lockShare
}

// constraintLock is the lock of ALTER TABLE ... ADD CONSTRAINT: a foreign key takes
// SHARE ROW EXCLUSIVE (on both tables), any other constraint ACCESS EXCLUSIVE.
func constraintLock(c model.Constraint) string {
	if c.Type == "f" {
		return lockShareRowExclusive
	}
	return lockAccessExclusive
}

// viewLock is the lock of CREATE VIEW: none for a new view or materialized view,
// ACCESS EXCLUSIVE for CREATE OR REPLACE VIEW of an existing one.
func viewLock(v *model.View, replace bool) string {
	if replace && !v.Materialized {
		return lockAccessExclusive
	}
	return lockNone
}

// triggerStateLock is the lock of ALTER TABLE ... ENABLE|DISABLE TRIGGER; the
// REPLICA and ALWAYS forms are counted as ACCESS EXCLUSIVE.
func triggerStateLock(enabled string) string {
	if s := triggerState(enabled); s == "ENABLE" || s == "DISABLE" {
		return lockShareRowExclusive
	}
	return lockAccessExclusive
}

// add appends a statement with the facts its maker knows: the stage and phase it
// runs in, the strongest table lock it takes (the AccessExclusiveLock hazard implies
// ACCESS EXCLUSIVE) and its hazards (TableRewrite: it rewrites the table).
func (b *builder) add(stage int, phase Phase, lock, object, sql string, hazards ...Hazard) {
	b.seq++
	hazards = uniqHazards(hazards)
	if hasHazard(hazards, AccessExclusiveLock) {
		lock = lockAccessExclusive
	}
	b.p.Statements = append(b.p.Statements, Statement{SQL: sql, Hazards: hazards, Phase: phase,
		PhaseName: phase.String(), Object: object, Lock: lock, Rewrite: hasHazard(hazards, TableRewrite),
		stage: stage, seq: b.seq})
}

// onTable adds statements that alter or drop the existing table (Statement.Table).
func (b *builder) onTable(table string) tableStatements { return tableStatements{b, table} }

// tableStatements adds the statements of one table.
type tableStatements struct {
	b     *builder
	table string
}

// add is builder.add for a statement of the table.
func (t tableStatements) add(stage int, phase Phase, lock, object, sql string, hazards ...Hazard) {
	t.b.add(stage, phase, lock, object, sql, hazards...)
	t.b.p.Statements[len(t.b.p.Statements)-1].Table = t.table
}

// soleTable is the table of a DROP TABLE of tables when it drops one: PostgreSQL
// locks several dropped together as it resolves the dependencies among them.
func soleTable(tables []string) string {
	if len(tables) == 1 {
		return tables[0]
	}
	return ""
}

// longLast marks the statement added last as one whose run time grows with the data
// (a query, an extension's script, a materialized view's query, ANALYZE): it gets
// the long statement timeout although it carries no hazard that says so.
func (b *builder) longLast() {
	if len(b.p.Statements) > 0 {
		b.p.Statements[len(b.p.Statements)-1].long = true
	}
}

func (b *builder) change(object, format string) {
	b.p.Changes = append(b.p.Changes, Difference{Object: object, Change: format})
}

// note records a difference the plan keeps on purpose (Plan.Notes).
func (b *builder) note(object, text string) {
	b.p.Notes = append(b.p.Notes, Difference{Object: object, Change: text})
}

// notValidKept is the note on a constraint validated in the database that Git
// declares NOT VALID: the plan never weakens a constraint, but says so.
const notValidKept = "validated in the database; Git says NOT VALID: kept"

func (b *builder) block(object, why string) {
	d := Difference{Object: object, Change: why}
	b.p.Blocked = append(b.p.Blocked, d)
}

func (b *builder) finish() {
	// Statements run by phase, then by stage (dependency order across kinds), then in
	// generation order, which is itself deterministic (models are sorted).
	sort.SliceStable(b.p.Statements, func(i, j int) bool {
		a, c := b.p.Statements[i], b.p.Statements[j]
		if a.Phase != c.Phase {
			return a.Phase < c.Phase
		}
		if a.stage != c.stage {
			return a.stage < c.stage
		}
		if a.within != c.within {
			return a.within < c.within
		}
		return a.seq < c.seq
	})
	bySeq := map[int]int{}
	for i := range b.p.Statements {
		b.timeouts(&b.p.Statements[i])
		bySeq[b.p.Statements[i].seq] = i
	}
	for i := range b.p.Statements {
		for _, seq := range b.p.Statements[i].revertSeqs {
			if j, ok := bySeq[seq]; ok && j < i {
				b.p.Statements[i].Reverts = append(b.p.Statements[i].Reverts, j)
			}
		}
	}
	h := sha256.New()
	for _, s := range b.p.Statements {
		h.Write([]byte(s.Phase.String()))
		h.Write([]byte{0})
		h.Write([]byte(s.SQL))
		h.Write([]byte{0})
	}
	for _, d := range b.p.Blocked {
		h.Write([]byte("blocked\x00" + d.Object + "\x00" + d.Change + "\x00"))
	}
	b.p.ID = "sha256:" + hex.EncodeToString(h.Sum(nil))
	if b.p.Statements == nil {
		b.p.Statements = []Statement{}
	}
	if b.p.Changes == nil {
		b.p.Changes = []Difference{}
	}
}

func hasHazard(hs []Hazard, h Hazard) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

func uniqHazards(hs []Hazard) []Hazard {
	if len(hs) == 0 {
		return nil
	}
	seen := map[Hazard]bool{}
	var out []Hazard
	for _, h := range hs {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

var (
	q   = model.QuoteIdent
	lit = model.QuoteLiteral
	qn  = model.Qualified
)

func commentSQL(kind, target, comment string) string {
	if comment == "" {
		return "COMMENT ON " + kind + " " + target + " IS NULL"
	}
	return "COMMENT ON " + kind + " " + target + " IS " + lit(comment)
}

func describeValue(v string) string {
	if v == "" {
		return "none"
	}
	return v
}

// differs renders a "what: X in the database, Y in Git" change line.
func differs(what, live, desired string) string {
	return what + ": " + describeValue(live) + " in the database, " + describeValue(desired) + " in Git"
}
