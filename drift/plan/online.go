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

package plan

import (
	"strings"
	"time"

	"github.com/schemactl/schema-controller/drift/model"
)

// Default timeouts of statements (see Options).
const (
	// DefaultLockTimeout is every statement's lock_timeout unless Options say otherwise.
	DefaultLockTimeout = 5 * time.Second
	// DefaultStatementTimeout bounds statements that scan, rewrite or build inside
	// the transaction.
	DefaultStatementTimeout = 5 * time.Minute
	// ShortStatementTimeout bounds catalog-only changes: once they hold their lock
	// they finish at once, so a long run means something is wrong.
	ShortStatementTimeout = 30 * time.Second
	// OnlineStatementTimeout bounds concurrent index builds, validations and ANALYZE:
	// they do not block writes and may take long on big tables.
	OnlineStatementTimeout = 6 * time.Hour
)

// onlineState is what the builder knows for online-safe steps.
type onlineState struct {
	// fkTargets are the tables a desired foreign key references: a key they need
	// must exist inside the transaction, so it is not built online.
	fkTargets map[string]bool
	// parents are tables with partitions or inheritance children, live or desired.
	parents map[string]bool
	// liveIndexes are the live indexes by qualified name.
	liveIndexes map[string]bool
	// keys are constraints (qualified as their index) made from a concurrently built
	// index; a live index of the same name is dropped by that step, not by indexes().
	keys map[string]bool
	// droppedKeys are live primary keys (table, name) that an onlineKey step
	// drops; the transaction leaves them alone.
	droppedKeys map[pairKey]bool
	// analyzed are the tables already given an ANALYZE step.
	analyzed map[string]bool
	// composites are the composite types (qualified): col IS NOT NULL means every
	// field is non-null for them, so SET NOT NULL is not planned through a check.
	composites map[string]bool
}

func (b *builder) indexOnline() {
	o := onlineState{fkTargets: map[string]bool{}, parents: map[string]bool{}, liveIndexes: map[string]bool{},
		keys: map[string]bool{}, droppedKeys: map[pairKey]bool{}, analyzed: map[string]bool{}, composites: map[string]bool{}}
	for _, s := range []*model.Schema{b.live, b.desired} {
		for _, t := range s.Tables {
			for _, c := range t.Constraints {
				if c.Type == "f" && s == b.desired {
					o.fkTargets[c.References] = true
				}
			}
			if t.PartitionOf != "" {
				o.parents[t.PartitionOf] = true
			}
			for _, p := range t.Inherits {
				o.parents[p] = true
			}
		}
		for _, c := range s.CompositeTypes {
			o.composites[qn(c.Schema, c.Name)] = true
		}
	}
	for _, x := range b.live.Indexes {
		o.liveIndexes[qn(x.Schema, x.Name)] = true
	}
	b.online = o
}

// plainTable reports whether t is an existing table without partitions, parents or
// children, on which PostgreSQL allows the online variants.
func (b *builder) plainTable(t *model.Table) bool {
	name := t.QualifiedName()
	return !b.newTables[name] && t.PartitionKey == "" && t.PartitionOf == "" && len(t.Inherits) == 0 && !b.online.parents[name]
}

// onlineKey plans a new or changed primary key or unique constraint of an existing
// table without holding an ACCESS EXCLUSIVE lock while its index is built: the unique
// index is built CONCURRENTLY under a temporary name (online), then it becomes the
// constraint with ADD CONSTRAINT ... USING INDEX, in one statement that also drops
// the constraint or index it replaces, so the key is never missing. lc is the live
// constraint it replaces, or nil. It returns false when the key must be built in the
// transaction: a foreign key of the plan needs it, the table is partitioned or
// inherited, or a column under it is recreated.
func (b *builder) onlineKey(t *model.Table, lc *model.Constraint, dc model.Constraint) bool {
	if dc.Type != "p" && dc.Type != "u" || !b.plainTable(t) || b.online.fkTargets[t.QualifiedName()] {
		return false
	}
	name := t.QualifiedName()
	if b.mentionsRecreatedColumn(name, dc.Definition) || b.rebuildConstraints[pairKey{name, dc.Name}] {
		return false
	}
	if lc != nil && (b.mentionsRecreatedColumn(name, lc.Definition) || b.rebuildConstraints[pairKey{name, lc.Name}]) {
		return false
	}
	idx, attach, ok := keyIndex(dc.Definition)
	if !ok {
		return false
	}
	if lc == nil && dc.Type == "p" {
		// A primary key under another name (renamed in Git) goes in the same
		// statement, not in the transaction: the table never lacks its key.
		if lt := b.liveTables[name]; lt != nil {
			for i := range lt.Constraints {
				if old := &lt.Constraints[i]; old.Type == "p" && !old.Inherited && !hasConstraint(t, old.Name) {
					lc = old
					b.online.droppedKeys[pairKey{name, old.Name}] = true
				}
			}
		}
	}
	obj := "constraint " + dc.Name + " on " + t.Schema + "." + t.Name
	tmp := tempIndexName(dc.Name)
	tmpName := qn(t.Schema, tmp)
	dropTmp := "DROP INDEX CONCURRENTLY IF EXISTS " + tmpName
	b.add(stageCreateIndex, PhaseOnline, lockShareUpdateExclusive, obj, dropTmp)
	b.add(stageCreateIndex, PhaseOnline, lockShareUpdateExclusive, obj, "CREATE UNIQUE INDEX CONCURRENTLY "+q(tmp)+" ON "+name+" USING btree "+idx, IndexBuild)
	b.cleanupLast(dropTmp)
	b.checkLast(keyCheck(name, obj, dc.Definition))
	kind := "UNIQUE"
	if dc.Type == "p" {
		kind = "PRIMARY KEY"
	}
	var sql strings.Builder
	self := qn(t.Schema, dc.Name)
	if b.online.liveIndexes[self] {
		// A plain index has the constraint's name (unique index → constraint): it
		// goes in the same transaction as the constraint takes its place.
		b.online.keys[self] = true
		sql.WriteString("DROP INDEX IF EXISTS " + self + ";\n")
	}
	sql.WriteString("ALTER TABLE " + name)
	if lc != nil {
		sql.WriteString(" DROP CONSTRAINT IF EXISTS " + q(lc.Name) + ",")
	}
	sql.WriteString(" ADD CONSTRAINT " + q(dc.Name) + " " + kind + " USING INDEX " + q(tmp) + attach)
	build := b.seq
	b.onTable(name).add(stageConstraintUsingIndex, PhaseOnline, lockAccessExclusive, obj, sql.String(), AccessExclusiveLock)
	b.cleanupLast(dropTmp)
	b.revertsLast(build)
	if dc.Comment != "" {
		b.add(stageConstraintUsingIndex, PhaseOnline, lockShareUpdateExclusive, obj, commentSQL("CONSTRAINT", q(dc.Name)+" ON "+name, dc.Comment))
	}
	b.keyIndexComment(t, "", false, dc, stageConstraintUsingIndex, PhaseOnline)
	return true
}

func hasConstraint(t *model.Table, name string) bool { return constraintNamed(t, name) != nil }

// keyIndex turns a primary key or unique constraint definition as
// pg_get_constraintdef renders it — PRIMARY KEY|UNIQUE [NULLS NOT DISTINCT] (cols)
// [INCLUDE (cols)] [WITH (params)] [DEFERRABLE] [INITIALLY DEFERRED] — into the
// column part of its unique index and the clauses ADD CONSTRAINT ... USING INDEX
// keeps (deferrability). ok is false for anything else (USING INDEX TABLESPACE).
func keyIndex(def string) (index, attach string, ok bool) {
	rest, found := strings.CutPrefix(def, "PRIMARY KEY ")
	if !found {
		if rest, found = strings.CutPrefix(def, "UNIQUE "); !found {
			return "", "", false
		}
	}
	nullsNotDistinct := false
	if r, cut := strings.CutPrefix(rest, "NULLS NOT DISTINCT "); cut {
		nullsNotDistinct, rest = true, r
	}
	for _, suffix := range []string{" INITIALLY DEFERRED", " DEFERRABLE"} {
		if r, cut := strings.CutSuffix(rest, suffix); cut {
			attach = suffix + attach
			rest = r
		}
	}
	cols, rest, ok := cutParens(rest)
	if !ok {
		return "", "", false
	}
	index = cols
	if r, cut := strings.CutPrefix(rest, " INCLUDE "); cut {
		inc, r2, ok := cutParens(r)
		if !ok {
			return "", "", false
		}
		index += " INCLUDE " + inc
		rest = r2
	}
	if nullsNotDistinct {
		index += " NULLS NOT DISTINCT"
	}
	if r, cut := strings.CutPrefix(rest, " WITH "); cut {
		with, r2, ok := cutParens(r)
		if !ok {
			return "", "", false
		}
		index += " WITH " + with
		rest = r2
	}
	if rest != "" {
		return "", "", false
	}
	return index, attach, true
}

// cutParens cuts a parenthesized group from the start of s, honouring quoted
// identifiers and string literals.
func cutParens(s string) (group, rest string, ok bool) {
	if !strings.HasPrefix(s, "(") {
		return "", "", false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'':
			j := strings.IndexByte(s[i+1:], s[i])
			if j < 0 {
				return "", "", false
			}
			i += j + 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return s[:i+1], s[i+1:], true
			}
		}
	}
	return "", "", false
}

// onlineNotNull plans SET NOT NULL on an existing column without scanning the table
// under an ACCESS EXCLUSIVE lock: a helper CHECK (col IS NOT NULL) is added NOT VALID
// in the transaction, validated online (SHARE UPDATE EXCLUSIVE: writes go on), then
// SET NOT NULL finds the valid check and skips its scan, and the helper goes. It
// returns false when the table or column does not allow it (partitioned, inherited,
// a composite type).
func (b *builder) onlineNotNull(t *model.Table, l, d *model.Column) bool {
	if !b.plainTable(t) || l.Inherited || b.online.composites[strings.TrimSuffix(d.Type, "[]")] {
		return false
	}
	name := t.QualifiedName()
	obj := columnObj(t, d.Name)
	helper := q(tempName(d.Name, "__schemactl_not_null"))
	b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ADD CONSTRAINT "+helper+" CHECK ("+q(d.Name)+" IS NOT NULL) NOT VALID", AccessExclusiveLock)
	addHelper := b.seq
	dropHelper := "ALTER TABLE " + name + " DROP CONSTRAINT IF EXISTS " + helper
	b.onTable(name).add(stageOnlineNotNull, PhaseOnline, lockShareUpdateExclusive, obj, "ALTER TABLE "+name+" VALIDATE CONSTRAINT "+helper, ValidationScan)
	// Left behind, the helper (NOT VALID, so enforced on new rows) would refuse the
	// application's NULLs although the apply failed: a failed step drops it.
	b.cleanupLast(dropHelper)
	b.revertsLast(addHelper)
	b.checkLast(notNullCheck(name, t.Schema, t.Name, d.Name))
	validate := b.seq
	b.onTable(name).add(stageOnlineNotNull, PhaseOnline, lockAccessExclusive, obj, "ALTER TABLE "+name+" ALTER COLUMN "+q(d.Name)+" SET NOT NULL", AccessExclusiveLock)
	b.cleanupLast(dropHelper)
	b.revertsLast(addHelper, validate)
	b.add(stageOnlineNotNull, PhaseOnline, lockAccessExclusive, obj, dropHelper, AccessExclusiveLock)
	return true
}

// analyzeAfter plans ANALYZE of a table whose column changed type: its statistics
// are gone with the rewrite, and the planner guesses until autovacuum comes by.
func (b *builder) analyzeAfter(t *model.Table) {
	name := t.QualifiedName()
	if b.online.analyzed[name] {
		return
	}
	b.online.analyzed[name] = true
	b.add(stageComment, PhaseOnline, lockShareUpdateExclusive, tableObj(t), "ANALYZE "+name)
	b.longLast()
}

// timeouts fills the statement's timeouts from the options and the facts it was
// made with (hazards, phase, long).
func (b *builder) timeouts(s *Statement) {
	lock := b.opts.LockTimeout
	if lock <= 0 {
		lock = DefaultLockTimeout
	}
	long := b.opts.StatementTimeout
	if long <= 0 {
		long = DefaultStatementTimeout
	}
	s.LockTimeout = lock
	scans := hasHazard(s.Hazards, IndexBuild) || hasHazard(s.Hazards, ValidationScan)
	switch {
	case s.Phase == PhaseOnline && (scans || s.long):
		s.StatementTimeout = OnlineStatementTimeout
	case scans || hasHazard(s.Hazards, TableRewrite) || s.long:
		s.StatementTimeout = long
	default:
		s.StatementTimeout = min(ShortStatementTimeout, long)
	}
	s.LockTimeoutText = formatDuration(s.LockTimeout)
	s.StatementTimeoutText = formatDuration(s.StatementTimeout)
}

// statementNotes renders the lock, rewrite and timeouts of a statement for SQL output.
func statementNotes(s *Statement) string {
	lock := s.Lock
	if lock == "" {
		lock = "none"
	}
	rw := "no"
	if s.Rewrite {
		rw = "yes"
	}
	return "lock: " + lock + "; rewrites table: " + rw + "; lock_timeout " + s.LockTimeoutText + ", statement_timeout " + s.StatementTimeoutText
}

func formatDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d%time.Hour == 0:
		return strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
	case d%time.Minute == 0:
		return strings.TrimSuffix(d.String(), "0s")
	}
	return d.String()
}
