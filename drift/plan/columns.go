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
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

func (b *builder) addColumn(t *model.Table, c *model.Column) {
	obj := columnObj(t, c.Name)
	b.change(obj, "missing in the database")
	if c.Inherited {
		return // added by the parent
	}
	hz := []Hazard{AccessExclusiveLock}
	if c.Generated != "" || c.Identity != "" || volatileDefault(c.Default) || b.domainRewrites(c) {
		hz = append(hz, TableRewrite)
	}
	if c.NotNull && c.Default == "" && c.Generated == "" && c.Identity == "" {
		hz = append(hz, ValidationScan)
	}
	name := t.QualifiedName()
	stage := stageAlterTable
	if b.parentAddsColumn(t, c.Name) {
		stage = stageAddMergedColumn
	}
	b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ADD COLUMN "+columnDefinition(c), hz...)
	if b.newRowsNull(c) && b.nullRejected(c) {
		// Every existing row gets NULL in the new column, which the column or its
		// domain rejects: the statement fails unless the table is empty. The
		// pre-flight check refuses the plan before anything runs rather than
		// letting the apply fail.
		b.checkLast(newColumnNotNullCheck(name, t.Schema, t.Name, c.Name))
	}
	if c.Statistics >= 0 {
		b.onTable(name).add(stageAlterTable, PhaseTransactional, lockShareUpdateExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STATISTICS %d", name, q(c.Name), c.Statistics))
	}
	if c.Storage != "" {
		b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STORAGE %s", name, q(c.Name), storageName(c.Storage)))
	}
	if len(c.Options) > 0 {
		b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET (%s)", name, q(c.Name), strings.Join(c.Options, ", ")))
	}
	if c.Comment != "" {
		b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("COLUMN", name+"."+q(c.Name), c.Comment))
	}
	b.identityComment(nil, c)
}

// parentAddsColumn reports whether a parent that existing table t inherits from,
// in the database and in Git, gets column col from this plan: its ADD COLUMN
// recurses to t, where it merges with t's own column if t has it already (else
// t's ADD COLUMN would fail: the column exists).
func (b *builder) parentAddsColumn(t *model.Table, col string) bool {
	lt := b.liveTables[t.QualifiedName()]
	if lt == nil || b.partitionLeftEarly(lt, t) {
		return false // detached before the parent's columns change
	}
	for _, p := range parentsOf(t) {
		if !contains(parentsOf(lt), p) {
			continue
		}
		if lp, dp := b.liveTables[p], b.desiredTables[p]; lp != nil && dp != nil && lp.Column(col) == nil && dp.Column(col) != nil {
			return true
		}
	}
	return false
}

// identityComment plans the comment on the identity sequence of column d; l is the
// live column, nil for a new one.
func (b *builder) identityComment(l, d *model.Column) {
	if d.Identity == "" || d.IdentityOptions == nil {
		return
	}
	live := ""
	if l != nil && l.Identity != "" && l.IdentityOptions != nil {
		live = l.IdentityOptions.Comment
	}
	if live == d.IdentityOptions.Comment {
		return
	}
	obj := "sequence " + d.IdentityOptions.Name
	if l != nil && l.Identity != "" {
		b.change(obj, differs("comment", live, d.IdentityOptions.Comment))
	}
	b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("SEQUENCE", d.IdentityOptions.Name, d.IdentityOptions.Comment))
}

func (b *builder) alterColumn(t *model.Table, l, d *model.Column) error {
	if why := b.localityBlocked(t, l, d); why != "" {
		obj := columnObj(t, d.Name)
		b.change(obj, why)
		b.block(obj, why+": PostgreSQL cannot change that in place")
	}
	if l.Inherited && d.Inherited || b.mergedWithParent(t, l.Name) {
		l = b.afterParentChanges(t, l)
	}
	name := t.QualifiedName()
	if x := b.swapTyped[pairKey{name, d.Name}]; x != nil {
		l = x // converted by an enum swap (swapTypeChange)
	}
	obj := columnObj(t, d.Name)
	col := q(d.Name)
	alterLocking := func(lock, sql string, hz ...Hazard) {
		b.onTable(name).add(stageAlterTable, PhaseTransactional, lock, obj, "ALTER TABLE "+name+" ALTER COLUMN "+col+" "+sql, hz...)
	}
	alter := func(sql string, hz ...Hazard) { alterLocking(lockAccessExclusive, sql, hz...) }
	// Generated columns: an expression cannot be changed in place (PostgreSQL < 17);
	// the column is dropped and added again. The values are derived, so nothing is
	// lost, but the table is rewritten and dependent indexes are rebuilt. The drop
	// comes before and the add after every other column change of the plan, which
	// the new expression may need (and a type change of a column the old expression
	// reads is refused while it exists).
	forced := b.forceRecreate[pairKey{name, d.Name}]
	if l.Generated != d.Generated {
		b.change(obj, differs("generated", l.Generated, d.Generated))
	} else if forced {
		b.change(obj, "generated from a column whose type changes: dropped and added again")
	}
	switch {
	case l.Generated != "" && d.Generated == "":
		// DROP EXPRESSION keeps the stored values as plain data.
		alter("DROP EXPRESSION")
		l = withoutGenerated(l)
	case d.Generated != "" && (l.Generated != d.Generated || forced):
		hz := []Hazard{TableRewrite, AccessExclusiveLock}
		if l.Generated == "" {
			hz = append(hz, DataLoss) // plain values are replaced by derived ones
		}
		b.onTable(name).add(stageDropDependentColumn, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" DROP COLUMN "+col, hz...)
		b.onTable(name).add(stageAddDependentColumn, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ADD COLUMN "+columnDefinition(d), hz...)
		b.recreatedColumns[pairKey{name, d.Name}] = true
		if d.Statistics >= 0 {
			b.onTable(name).add(stageAddDependentColumn, PhaseTransactional, lockShareUpdateExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STATISTICS %d", name, col, d.Statistics))
		}
		if d.Storage != "" {
			b.onTable(name).add(stageAddDependentColumn, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STORAGE %s", name, col, storageName(d.Storage)))
		}
		if len(d.Options) > 0 {
			b.onTable(name).add(stageAddDependentColumn, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET (%s)", name, col, strings.Join(d.Options, ", ")))
		}
		if d.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("COLUMN", name+"."+col, d.Comment))
		}
		return nil
	}
	if l.Type != d.Type && b.movedExtensionType(l.Type, d.Type) {
		// The type moves with its extension (ALTER EXTENSION ... SET SCHEMA): the
		// column keeps it.
		x := *l
		x.Type = d.Type
		l = &x
	}
	typeChanged := l.Type != d.Type || l.Collation != d.Collation
	if typeChanged {
		if child := b.childMergingColumn(t, d.Name); child != "" {
			// PostgreSQL refuses to change the type of a column that a child
			// inherits from several parents, and leaving a parent for the change
			// would make the child's other inherited columns and checks local.
			b.change(obj, differs("type", l.Type, d.Type))
			b.block(obj, "the type cannot change: "+child+" inherits the column from several parents")
			return nil
		}
	}
	if l.Identity != "" && d.Identity == "" {
		b.change(obj, differs("identity", identityName(l.Identity), "none"))
		// Early: the identity sequence goes with it, and a new sequence of this plan
		// may take its name (identity → serial).
		b.onTable(name).add(stageDropIdentity, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ALTER COLUMN "+col+" DROP IDENTITY")
	}
	defaultChanged := l.Default != d.Default
	if l.Default != "" && (defaultChanged || typeChanged) {
		// A default that cannot be cast to a new type makes ALTER TYPE fail: drop it
		// first and set the desired one after the type change.
		if defaultChanged {
			b.change(obj, differs("default", l.Default, d.Default))
		}
		if defaultChanged && b.callsDroppedSequence(l.Default, name+"."+col) {
			// Before the columns are dropped: a sequence the default calls may go
			// with the column that owns it (another table's), which PostgreSQL
			// refuses while the default depends on it.
			b.onTable(name).add(stageDropConstraint, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ALTER COLUMN "+col+" DROP DEFAULT")
		} else {
			alter("DROP DEFAULT")
		}
	}
	if typeChanged {
		if l.Type != d.Type {
			b.change(obj, differs("type", l.Type, d.Type))
		}
		if l.Collation != d.Collation {
			b.change(obj, differs("collation", l.Collation, d.Collation))
		}
		sql, hz, err := b.typeChange(t, l, d)
		if err != nil {
			return err
		}
		if sql == "" {
			return nil // blocked, reported
		}
		if lo, do := l.IdentityOptions, d.IdentityOptions; l.Identity != "" && d.Identity != "" && lo != nil && do != nil && lo.Type != do.Type {
			// ALTER COLUMN TYPE changes the identity sequence's type too and moves
			// only the bounds at the old type's limits. Where the sequence would not
			// fit the new type that way (a narrower type under a kept bound, start or
			// position), its options are set first, while the old type still holds
			// them; else they are compared after the type change.
			after := identityAfterTypeChange(*lo, do.Type)
			if !identityFitsType(after, lo.Position) {
				b.alterIdentityOptions(t, d, *lo, alter)
				x := *l
				o := *do
				o.Position, o.Comment, o.Name = lo.Position, lo.Comment, lo.Name
				x.IdentityOptions = &o
				l = &x
			} else {
				x := *l
				x.IdentityOptions = &after
				l = &x
			}
		}
		alter(sql, hz...)
		if _, constrained := b.domainBase(d.Type); l.Type != d.Type && (hasHazard(hz, TableRewrite) || strings.Contains(sql, " USING ") || constrained) && !b.online.composites[strings.TrimSuffix(d.Type, "[]")] {
			_, using, _ := strings.Cut(sql, " USING ")
			b.checkLast(b.convertCheck(name, t.Schema, t.Name, d.Name, d.Type, using))
		}
		if l.Type != d.Type {
			b.analyzeAfter(t)
		}
	}
	if d.Default != "" && (defaultChanged || (typeChanged && l.Default != "")) {
		if defaultChanged && l.Default == "" {
			b.change(obj, differs("default", l.Default, d.Default))
		}
		alter("SET DEFAULT " + d.Default)
	}
	if l.NotNull != d.NotNull && !(d.Identity != "" && l.Identity == "" && d.NotNull) {
		b.change(obj, differs("not null", fmt.Sprint(l.NotNull), fmt.Sprint(d.NotNull)))
		if d.NotNull {
			if !b.onlineNotNull(t, l, d) {
				alter("SET NOT NULL", ValidationScan, AccessExclusiveLock)
				if !b.online.composites[strings.TrimSuffix(d.Type, "[]")] {
					b.checkLast(notNullCheck(name, t.Schema, t.Name, d.Name))
				}
			}
		} else if pk := livePrimaryKeyReplaced(t, b.liveTables[name], d.Name); pk != "" {
			// The column is in a primary key this plan replaces: NOT NULL can go
			// only after the key, which may be replaced online (constraints).
			b.pkNotNullDrops[pairKey{name, pk}] = append(b.pkNotNullDrops[pairKey{name, pk}], d.Name)
		} else {
			alter("DROP NOT NULL")
		}
	}
	switch {
	case l.Identity == "" && d.Identity != "":
		b.change(obj, differs("identity", "none", identityName(d.Identity)))
		if !l.NotNull {
			b.change(obj, differs("not null", "false", "true"))
			alter("SET NOT NULL", ValidationScan, AccessExclusiveLock)
			b.checkLast(notNullCheck(name, t.Schema, t.Name, d.Name))
		}
		start, inc := int64(1), int64(1)
		if o := d.IdentityOptions; o != nil {
			start, inc = o.Start, o.Increment
		}
		// Existing rows keep their values: move the new sequence past them, so the
		// next generated value does not collide.
		sources := []string{fmt.Sprintf("(SELECT %s(%s) FROM %s)", map[bool]string{true: "max", false: "min"}[inc > 0], col, name)}
		var oldSeq string
		if ls := b.ownedSequenceDroppedWith(t, l); ls != nil {
			// serial → identity: the serial's sequence usually has the name the
			// identity sequence takes. It is renamed out of the way, the identity
			// continues where it stopped, and only then it is dropped: nothing of it
			// is lost.
			tmp := tempName(ls.Name, "__schemactl_old")
			b.sequencesDropped[qn(ls.Schema, ls.Name)] = true
			oldSeq = qn(ls.Schema, tmp)
			b.add(stageAlterTable, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+qn(ls.Schema, ls.Name)+" RENAME TO "+q(tmp))
			sources = append(sources, "(SELECT CASE WHEN is_called THEN last_value END FROM "+oldSeq+")")
		}
		alter("ADD " + identityClause(d))
		b.add(stageAlterTable, PhaseTransactional, lockNone, obj, carryOver(fmt.Sprintf("pg_catalog.pg_get_serial_sequence(%s, %s)", lit(name), lit(d.Name)), start, inc, sources...))
		b.longLast() // it reads the columns
		if oldSeq != "" {
			b.add(stageAlterTable, PhaseTransactional, lockNone, obj, "DROP SEQUENCE "+oldSeq)
		}
	case l.Identity != "" && d.Identity != "":
		if l.Identity != d.Identity {
			b.change(obj, differs("identity", identityName(l.Identity), identityName(d.Identity)))
			alter("SET GENERATED " + map[string]string{"a": "ALWAYS", "d": "BY DEFAULT"}[d.Identity])
		}
		if lo, do := l.IdentityOptions, d.IdentityOptions; lo != nil && do != nil {
			if lo.Name != do.Name {
				b.change(obj, differs("identity sequence", lo.Name, do.Name))
				_, newName, _ := strings.Cut(do.Name, ".")
				b.add(stageAlterTable, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+lo.Name+" RENAME TO "+newName)
			}
			b.alterIdentityOptions(t, d, *lo, alter)
		}
	}
	b.identityComment(l, d)
	if l.Statistics != d.Statistics {
		b.change(obj, differs("statistics target", fmt.Sprint(l.Statistics), fmt.Sprint(d.Statistics)))
		alterLocking(lockShareUpdateExclusive, fmt.Sprintf("SET STATISTICS %d", d.Statistics))
	}
	if typeChanged {
		// ALTER COLUMN TYPE resets the storage mode and the compression method to
		// the new type's defaults.
		x := *l
		x.Storage, x.Compression = "", ""
		l = &x
	}
	if l.Storage != d.Storage {
		if !typeChanged {
			b.change(obj, differs("storage", storageName(l.Storage), storageName(d.Storage)))
		}
		st := d.Storage
		if st == "" {
			st = d.TypeStorage
		}
		alter("SET STORAGE " + storageName(st))
	}
	if l.Compression != d.Compression {
		if !typeChanged {
			b.change(obj, differs("compression", compressionName(l.Compression), compressionName(d.Compression)))
		}
		alter("SET COMPRESSION " + compressionName(d.Compression))
	}
	if strings.Join(l.Options, ",") != strings.Join(d.Options, ",") {
		b.change(obj, differs("options", strings.Join(l.Options, ", "), strings.Join(d.Options, ", ")))
		reset, set := optionChanges(l.Options, d.Options)
		if len(reset) > 0 {
			alter("RESET (" + strings.Join(reset, ", ") + ")")
		}
		if len(set) > 0 {
			alter("SET (" + strings.Join(set, ", ") + ")")
		}
	}
	if l.Comment != d.Comment {
		b.change(obj, differs("comment", l.Comment, d.Comment))
		b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("COLUMN", name+"."+col, d.Comment))
	}
	return nil
}

// movedExtensionType reports whether live and desired name the same type of an
// extension that this plan moves to another schema (or arrays of it).
func (b *builder) movedExtensionType(live, desired string) bool {
	for _, le := range b.live.Extensions {
		for _, de := range b.desired.Extensions {
			if le.Name != de.Name || le.Schema == de.Schema {
				continue
			}
			for _, n := range le.Types {
				for _, suffix := range []string{"", "[]"} {
					if live == qn(le.Schema, n)+suffix && desired == qn(de.Schema, n)+suffix {
						return true
					}
				}
			}
		}
	}
	return false
}

func withoutGenerated(c *model.Column) *model.Column {
	x := *c
	x.Generated = ""
	return &x
}

func identityName(i string) string {
	switch i {
	case "a":
		return "GENERATED ALWAYS"
	case "d":
		return "GENERATED BY DEFAULT"
	}
	return "none"
}

// carryOver returns a statement that moves sequence seq (an SQL expression) past the
// values the sources (SQL expressions; NULL means none) already hold, unless they are
// all before start: the next value the sequence gives does not collide with them.
func carryOver(seq string, start, inc int64, sources ...string) string {
	agg, cmp := "greatest", ">="
	if inc < 0 {
		agg, cmp = "least", "<="
	}
	v := sources[0]
	if len(sources) > 1 {
		v = agg + "(" + strings.Join(sources, ", ") + ")"
	}
	return fmt.Sprintf("SELECT pg_catalog.setval(%s, v) FROM (SELECT %s AS v) x WHERE v %s %d", seq, v, cmp, start)
}

// ownedSequenceDroppedWith returns the sequence OWNED BY column c of t in the live
// database when the desired schema no longer has it, or nil.
func (b *builder) ownedSequenceDroppedWith(t *model.Table, c *model.Column) *model.Sequence {
	owner := t.QualifiedName() + "." + q(c.Name)
	for i := range b.live.Sequences {
		s := &b.live.Sequences[i]
		if s.OwnedBy != owner {
			continue
		}
		for _, d := range b.desired.Sequences {
			if d.Schema == s.Schema && d.Name == s.Name {
				return nil
			}
		}
		return s
	}
	return nil
}

// alterIdentityOptions plans the ALTER COLUMN ... SET of the options of identity
// column d of table t that differ from lo (the live sequence's options, as they
// stand when the statement runs), restarting it where its position falls outside
// the new bounds (then moved past the column's values within them, which it could
// give again: sequenceRestart).
func (b *builder) alterIdentityOptions(t *model.Table, d *model.Column, lo model.SequenceOptions, alter func(string, ...Hazard)) {
	do := d.IdentityOptions
	var opts []string
	if lo.Increment != do.Increment {
		opts = append(opts, fmt.Sprintf("SET INCREMENT BY %d", do.Increment))
	}
	if lo.Min != do.Min {
		opts = append(opts, fmt.Sprintf("SET MINVALUE %d", do.Min))
	}
	if lo.Max != do.Max {
		opts = append(opts, fmt.Sprintf("SET MAXVALUE %d", do.Max))
	}
	if lo.Start != do.Start {
		opts = append(opts, fmt.Sprintf("SET START WITH %d", do.Start))
	}
	if lo.Cache != do.Cache {
		opts = append(opts, fmt.Sprintf("SET CACHE %d", do.Cache))
	}
	if lo.Cycle != do.Cycle {
		opts = append(opts, map[bool]string{true: "SET CYCLE", false: "SET NO CYCLE"}[do.Cycle])
	}
	if len(opts) == 0 {
		return
	}
	obj := columnObj(t, d.Name)
	b.change(obj, "identity options differ")
	restart, carry, _ := sequenceRestart(lo.Position, lo.Start, do.Start, do.Increment, do.Min, do.Max)
	if restart {
		opts = append(opts, "RESTART")
	}
	alter(strings.Join(opts, " "))
	if carry {
		name, col := t.QualifiedName(), q(d.Name)
		agg := map[bool]string{true: "max", false: "min"}[do.Increment > 0]
		b.onTable(name).add(stageAlterTable, PhaseTransactional, lockNone, obj, carryOver(fmt.Sprintf("pg_catalog.pg_get_serial_sequence(%s, %s)", lit(name), lit(d.Name)),
			do.Start, do.Increment, fmt.Sprintf("(SELECT %s(%s) FROM %s WHERE %s)", agg, col, name, inRange(col, do.Min, do.Max))))
		b.longLast() // it reads the column
	}
}

// sequenceTypeRange returns the range of a sequence type (format_type spelling).
func sequenceTypeRange(typ string) (lo, hi int64, ok bool) {
	switch typ {
	case "smallint":
		return math.MinInt16, math.MaxInt16, true
	case "integer":
		return math.MinInt32, math.MaxInt32, true
	case "bigint":
		return math.MinInt64, math.MaxInt64, true
	}
	return 0, 0, false
}

// identityAfterTypeChange returns the options of identity sequence o after ALTER
// COLUMN TYPE gave it type typ, as PostgreSQL leaves them (AlterSequence with AS): a
// bound at the old type's limit moves to the new type's; the others are kept.
func identityAfterTypeChange(o model.SequenceOptions, typ string) model.SequenceOptions {
	x := o
	x.Type = typ
	oldMin, oldMax, ok1 := sequenceTypeRange(o.Type)
	newMin, newMax, ok2 := sequenceTypeRange(typ)
	if !ok1 || !ok2 {
		return x
	}
	if o.Max == oldMax {
		x.Max = newMax
	}
	if o.Min == oldMin {
		x.Min = newMin
	}
	return x
}

// identityFitsType reports whether identity sequence options o (after a type change)
// are valid for their type: PostgreSQL refuses bounds outside the type, a start
// outside the bounds, and a position outside them.
func identityFitsType(o model.SequenceOptions, pos *model.SequencePosition) bool {
	lo, hi, ok := sequenceTypeRange(o.Type)
	if !ok {
		return true
	}
	if o.Min < lo || o.Max > hi || o.Start < o.Min || o.Start > o.Max {
		return false
	}
	return pos == nil || (pos.LastValue >= o.Min && pos.LastValue <= o.Max)
}

// nextvalCall finds the sequences a default calls nextval on.
var nextvalCall = regexp.MustCompile(`nextval\('((?:[^']|'')+)'::regclass\)`)

// callsDroppedSequence reports whether default expression def calls nextval on
// a live sequence that Git does not have and that is not owned by the column
// (owner, as OWNED BY names it), whose own change deals with its sequence
// (serial → identity).
func (b *builder) callsDroppedSequence(def, owner string) bool {
	desired := map[string]bool{}
	for _, s := range b.desired.Sequences {
		desired[qn(s.Schema, s.Name)] = true
	}
	for _, m := range nextvalCall.FindAllStringSubmatch(def, -1) {
		name := strings.ReplaceAll(m[1], "''", "'")
		for _, s := range b.live.Sequences {
			if qn(s.Schema, s.Name) == name && !desired[name] && s.OwnedBy != owner {
				return true
			}
		}
	}
	return false
}

// localityBlocked says why column l of table t (d in Git) cannot become as Git
// has it when one of them is declared by the table itself and the other only
// inherited from a parent of classic inheritance (pg_attribute.attislocal), or
// "". A column becomes local only when the table leaves every parent it has it
// from (NO INHERIT), and stays local for good once it is; a partition's columns
// are never local once attached.
func (b *builder) localityBlocked(t *model.Table, l, d *model.Column) string {
	lt := b.liveTables[t.QualifiedName()]
	if lt == nil || t.PartitionOf != "" || lt.PartitionOf != "" {
		return ""
	}
	if l.Inherited && d.Inherited {
		// Leaving every parent it has the column from makes it the table's own,
		// and INHERIT of another parent that has it leaves it so.
		if b.leavesParentOf(lt, t, l.Name, true) && !b.switchParentsEarly(lt, t) {
			return "only inherited in Git, from a parent the table does not have yet; declared by the table once it leaves " + strings.Join(leftParents(lt, t), ", ")
		}
		return ""
	}
	if l.Inherited == d.Inherited {
		return ""
	}
	if l.Inherited {
		if b.leavesParentOf(lt, t, l.Name, true) || b.leftWithColumn(lt, t, l.Name) {
			return ""
		}
		return "declared by the table in Git, only inherited in the database"
	}
	return "only inherited in Git, declared by the table in the database"
}

// leftParents are the parents of classic inheritance table l has in the database
// and not in Git (d).
func leftParents(l, d *model.Table) []string {
	var out []string
	for _, p := range l.Inherits {
		if !contains(d.Inherits, p) {
			out = append(out, p)
		}
	}
	return out
}

// newRowsNull reports whether the existing rows get NULL in column c, which this
// plan adds: it has no default, generated expression or identity of its own, and its
// type is not a domain of the desired schema (nor a domain over one) with a default.
// A domain is matched by its exact qualified name, as inspection renders types: a
// domain of the same name in another schema, or an array of the domain, gives the
// rows nothing.
func (b *builder) newRowsNull(c *model.Column) bool {
	if c.Default != "" || c.Generated != "" || c.Identity != "" {
		return false
	}
	return b.domainDefault(c.Type) == ""
}

// nullRejected reports whether the type of column c, which this plan adds, rejects
// NULL: the column is NOT NULL, or its type is a desired domain (or a domain over
// one) that is NOT NULL.
func (b *builder) nullRejected(c *model.Column) bool {
	if c.NotNull {
		return true
	}
	t := c.Type
	for range 16 { // domains over domains, bounded
		d := b.desiredDomain(t)
		if d == nil {
			return false
		}
		if d.NotNull {
			return true
		}
		t = d.Type
	}
	return false
}

// domainDefault returns the default a value of type t gets from a desired domain:
// the domain's own, else that of the domain it is over; "" when none.
func (b *builder) domainDefault(t string) string {
	for range 16 { // domains over domains, bounded
		d := b.desiredDomain(t)
		if d == nil {
			return ""
		}
		if d.Default != "" {
			return d.Default
		}
		t = d.Type
	}
	return ""
}

// domainRewrites reports whether adding column c rewrites the table because of its
// domain: PostgreSQL checks the domain's constraints (CHECK or NOT NULL, its own or
// those of a domain under it) against the value every existing row gets, and
// evaluates a volatile default of the domain for each row (ATExecAddColumn).
func (b *builder) domainRewrites(c *model.Column) bool {
	if strings.HasSuffix(c.Type, "[]") {
		return false // an array of a domain is no domain
	}
	if _, constrained := b.domainBase(c.Type); constrained {
		return true
	}
	return c.Default == "" && volatileDefault(b.domainDefault(c.Type))
}

// desiredDomain returns the desired domain whose qualified name is t, or nil.
func (b *builder) desiredDomain(t string) *model.Domain {
	for i := range b.desired.Domains {
		if d := &b.desired.Domains[i]; qn(d.Schema, d.Name) == t {
			return d
		}
	}
	return nil
}
