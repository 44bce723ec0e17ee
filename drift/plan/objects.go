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
	"slices"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

func (b *builder) namespaces() error {
	byName[model.Namespace]{
		key: func(n *model.Namespace) string { return n.Name },
		create: func(n *model.Namespace) {
			obj := "schema " + n.Name
			b.change(obj, "missing in the database")
			b.add(stageCreateSchema, PhaseTransactional, lockNone, obj, "CREATE SCHEMA "+q(n.Name))
			if n.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("SCHEMA", q(n.Name), n.Comment))
			}
		},
		alter: func(n, l *model.Namespace) {
			if l.Comment != n.Comment {
				obj := "schema " + n.Name
				b.change(obj, differs("comment", l.Comment, n.Comment))
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("SCHEMA", q(n.Name), n.Comment))
			}
		},
		drop: func(n *model.Namespace) {
			obj := "schema " + n.Name
			b.change(obj, "exists in the database, not in Git")
			b.add(stageDropSchema, PhaseTransactional, lockNone, obj, "DROP SCHEMA "+q(n.Name), DataLoss)
		},
	}.visit(b.desired.Namespaces, b.live.Namespaces)
	return nil
}

func (b *builder) extensions() error {
	byName[model.Extension]{
		key: func(e *model.Extension) string { return e.Name },
		create: func(e *model.Extension) {
			obj := "extension " + e.Name
			b.change(obj, "missing in the database")
			b.add(stageExtension, PhaseTransactional, lockNone, obj, fmt.Sprintf("CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s VERSION %s", q(e.Name), q(e.Schema), lit(e.Version)))
			b.longLast() // it runs the extension's script
		},
		alter: func(e, l *model.Extension) {
			obj := "extension " + e.Name
			if l.Schema != e.Schema {
				b.change(obj, differs("schema", l.Schema, e.Schema))
				b.add(stageExtension, PhaseTransactional, lockNone, obj, fmt.Sprintf("ALTER EXTENSION %s SET SCHEMA %s", q(e.Name), q(e.Schema)))
				b.longLast()
			}
			if l.Version != e.Version {
				b.change(obj, differs("version", l.Version, e.Version))
				b.add(stageExtension, PhaseTransactional, lockNone, obj, fmt.Sprintf("ALTER EXTENSION %s UPDATE TO %s", q(e.Name), lit(e.Version)))
				b.longLast() // it runs the update script
			}
			if l.Comment != e.Comment {
				b.change(obj, differs("comment", l.Comment, e.Comment))
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("EXTENSION", q(e.Name), e.Comment))
			}
		},
		drop: func(e *model.Extension) {
			obj := "extension " + e.Name
			b.change(obj, "exists in the database, not in Git")
			b.add(stageDropExtension, PhaseTransactional, lockNone, obj, "DROP EXTENSION "+q(e.Name), DataLoss)
		},
	}.visit(b.desired.Extensions, b.live.Extensions)
	return nil
}

func (b *builder) enums() error {
	byName[model.Enum]{
		key: func(e *model.Enum) string { return qn(e.Schema, e.Name) },
		create: func(e *model.Enum) {
			name, obj := qn(e.Schema, e.Name), "type "+e.Schema+"."+e.Name
			b.change(obj, "missing in the database")
			b.add(stageCreateType, PhaseTransactional, lockNone, obj, "CREATE TYPE "+name+" AS ENUM ("+joinLiterals(e.Labels)+")")
			if e.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TYPE", name, e.Comment))
			}
		},
		alter: func(e, l *model.Enum) {
			name, obj := qn(e.Schema, e.Name), "type "+e.Schema+"."+e.Name
			swapped := false
			if !slices.Equal(l.Labels, e.Labels) {
				b.change(obj, differs("values", "("+joinLiterals(l.Labels)+")", "("+joinLiterals(e.Labels)+")"))
				if adds, ok := enumAdditions(l.Labels, e.Labels); ok {
					for _, a := range adds {
						b.add(stageCreateType, PhasePre, lockNone, obj, "ALTER TYPE "+name+" ADD VALUE IF NOT EXISTS "+a)
					}
				} else {
					b.swapEnum(*e, *l, obj)
					swapped = true
				}
			}
			if l.Comment != e.Comment {
				b.change(obj, differs("comment", l.Comment, e.Comment))
			}
			// The type that replaces a swapped enum has no comment yet.
			if l.Comment != e.Comment || swapped && e.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TYPE", name, e.Comment))
			}
		},
		drop: func(e *model.Enum) {
			obj := "type " + e.Schema + "." + e.Name
			b.change(obj, "exists in the database, not in Git")
			b.add(stageDropType, PhaseTransactional, lockNone, obj, "DROP TYPE "+qn(e.Schema, e.Name), DataLoss)
		},
	}.visit(b.desired.Enums, b.live.Enums)
	return nil
}

// enumAdditions returns the ADD VALUE clauses that turn old into new when new keeps
// every old label in the same order; ok is false when a label was removed or moved.
func enumAdditions(old, new []string) (adds []string, ok bool) {
	i := 0
	for _, l := range new {
		if i < len(old) && old[i] == l {
			i++
		}
	}
	if i != len(old) {
		return nil, false
	}
	oldSet := map[string]bool{}
	for _, l := range old {
		oldSet[l] = true
	}
	for k, l := range new {
		if oldSet[l] {
			continue
		}
		// Anchor before the nearest following existing label, else after the previous
		// label (which exists by now: it is old or was added just before).
		clause := ""
		for j := k + 1; j < len(new); j++ {
			if oldSet[new[j]] {
				clause = lit(l) + " BEFORE " + lit(new[j])
				break
			}
		}
		if clause == "" && k > 0 {
			clause = lit(l) + " AFTER " + lit(new[k-1])
		}
		if clause == "" {
			clause = lit(l)
		}
		adds = append(adds, clause)
	}
	return adds, true
}

// enumRemovals returns the labels of old that new does not have, in old's order.
func enumRemovals(old, new []string) []string {
	var out []string
	for _, l := range old {
		if !slices.Contains(new, l) {
			out = append(out, l)
		}
	}
	return out
}

// swapEnum replaces an enum whose values were removed or reordered (l is the live
// type): a new type is created under a temporary name, every column is converted
// through text, the old type is dropped and the new one renamed. A value in use that
// no longer exists would make the conversion fail: a pre-flight check of each
// conversion counts the rows holding a removed value and refuses the plan before
// anything runs. The change is tagged DataLoss all the same.
func (b *builder) swapEnum(e, l model.Enum, obj string) {
	name := qn(e.Schema, e.Name)
	tmp := tempName(e.Name, "__schemactl_new")
	tmpName := qn(e.Schema, tmp)
	isEnum := func(typ string) bool { return typ == name || typ == name+"[]" }
	// A domain (or range) over the enum cannot move to the new type: its base type
	// cannot change. Refused with the reason rather than failing at DROP TYPE.
	for _, d := range b.live.Domains {
		if isEnum(d.Type) {
			b.block(obj, "values cannot be removed or reordered while domain "+qn(d.Schema, d.Name)+" is based on the type (the type is replaced, and a domain's base type cannot change): move the domain's columns to the enum itself in Git first")
			return
		}
	}
	for _, r := range b.live.RangeTypes {
		if isEnum(r.Subtype) {
			b.block(obj, "values cannot be removed or reordered while range type "+qn(r.Schema, r.Name)+" is over the type (the type is replaced, and a range's subtype cannot change)")
			return
		}
	}
	// Attributes of composite types move to the new type, unless a table stores
	// the composite type (PostgreSQL then refuses to alter its attributes).
	type attr struct{ composite, name, typ string }
	var attrs []attr
	for _, c := range b.live.CompositeTypes {
		cname := qn(c.Schema, c.Name)
		for _, a := range c.Attributes {
			if !isEnum(a.Type) {
				continue
			}
			for _, t := range b.live.Tables {
				for _, col := range t.Columns {
					if strings.TrimSuffix(col.Type, "[]") == cname {
						b.block(obj, "values cannot be removed or reordered while composite type "+cname+", stored by "+t.QualifiedName()+"."+q(col.Name)+", has an attribute of the type (PostgreSQL cannot alter the attributes of a stored composite type)")
						return
					}
				}
			}
			attrs = append(attrs, attr{cname, a.Name, a.Type})
		}
	}
	// A column a table inherits from a parent (a partition's, an inheritance
	// child's) is converted by its parent's ALTER, which recurses: PostgreSQL refuses
	// to alter it on its own. A column merged from several parents cannot be
	// converted at all.
	inherited := func(t *model.Table, col string) bool {
		for _, p := range parentsOf(t) {
			if lp := b.liveTables[p]; lp != nil && !b.droppedTables[p] && lp.Column(col) != nil {
				return true
			}
		}
		return false
	}
	for _, t := range b.live.Tables {
		if b.droppedTables[t.QualifiedName()] {
			continue
		}
		for _, c := range t.Columns {
			if strings.TrimSuffix(c.Type, "[]") != name {
				continue
			}
			if t.PartitionKey != "" && mentionsIdent(t.PartitionKey, c.Name) {
				b.block(obj, "values cannot be removed or reordered while column "+t.Schema+"."+t.Name+"."+c.Name+" of the type is in the partition key of "+t.QualifiedName()+
					" (the type is replaced, and PostgreSQL cannot change the type of a partition key column)")
				return
			}
			if inherited(&t, c.Name) {
				continue
			}
			if child := b.childMergingColumn(&t, c.Name); child != "" {
				b.block(obj, "values cannot be removed or reordered while "+child+" inherits column "+q(c.Name)+" of the type from several parents (PostgreSQL cannot change the type of such a column)")
				return
			}
		}
	}
	// A table Git drops is not converted: it goes before the old type (and before
	// the ALTER of a kept parent, which would convert its rows), as a table a view
	// takes the name of does.
	for _, t := range b.live.Tables {
		if !b.droppedTables[t.QualifiedName()] || b.droppedEarly[t.QualifiedName()] || !slices.ContainsFunc(t.Columns, func(c model.Column) bool {
			return strings.TrimSuffix(c.Type, "[]") == name
		}) {
			continue
		}
		b.dropEarly(t.QualifiedName())
	}
	removed := enumRemovals(l.Labels, e.Labels)
	b.enumsSwapped[name] = true
	b.add(stageCreateType, PhaseTransactional, lockNone, obj, "CREATE TYPE "+tmpName+" AS ENUM ("+joinLiterals(e.Labels)+")", DataLoss)
	// Constraints and indexes that compare with the type's values ('x'::type) do not
	// survive the conversion: they are dropped before it and created again after it.
	for _, t := range b.live.Tables {
		for _, c := range t.Constraints {
			if mentionsQualified(c.Definition, e.Schema, e.Name) {
				b.rebuildConstraints[pairKey{t.QualifiedName(), c.Name}] = true
			}
		}
	}
	for _, x := range b.live.Indexes {
		if mentionsQualified(x.Definition, e.Schema, e.Name) {
			b.rebuildIndexes[qn(x.Schema, x.Name)] = true
		}
	}
	// Defaults name the type: they are dropped before the conversion and set again
	// once the new type has the old name. A default that changes is set by the
	// column's own change, which is planned after this.
	type stmt struct{ table, object, sql string }
	var restore []stmt
	for _, t := range b.live.Tables {
		if b.droppedTables[t.QualifiedName()] {
			continue
		}
		for _, c := range t.Columns {
			base := strings.TrimSuffix(c.Type, "[]")
			if base != name || inherited(&t, c.Name) {
				continue
			}
			dt := b.desiredTables[t.QualifiedName()]
			var dc *model.Column
			if dt != nil {
				if dc = dt.Column(c.Name); dc == nil {
					// Git drops the column: it goes before the conversion (tables),
					// with the values Git no longer has.
					continue
				}
				// A generated column that reads the column blocks its conversion: it
				// is dropped before and added again after (as for a type change).
				for _, g := range t.Columns {
					if dg := dt.Column(g.Name); g.Generated != "" && dg != nil && dg.Generated != "" && mentionsIdent(g.Generated, c.Name) {
						b.forceRecreate[pairKey{t.QualifiedName(), g.Name}] = true
					}
				}
			}
			col := "column " + t.Schema + "." + t.Name + "." + c.Name
			if c.Default != "" {
				b.onTable(t.QualifiedName()).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, col, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", t.QualifiedName(), q(c.Name)))
				if dc != nil && dc.Default == c.Default {
					restore = append(restore, stmt{t.QualifiedName(), col, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", t.QualifiedName(), q(c.Name), dc.Default)})
				}
			}
			if dc != nil && dc.Type != c.Type && c.Generated == "" {
				// Git gives the column another type: it is converted to that type
				// now, while the old enum holds every value, rather than to the new
				// enum first (which the removed values would fail).
				b.swapTypeChange(dt, &c, dc)
				continue
			}
			target := tmpName + c.Type[len(base):]
			using := fmt.Sprintf("%s::text%s::%s", q(c.Name), c.Type[len(base):], target)
			b.onTable(t.QualifiedName()).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, col, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s", t.QualifiedName(), q(c.Name), target, using),
				DataLoss, TableRewrite, AccessExclusiveLock)
			if len(removed) > 0 {
				tables, partial := b.liveDescendants(t.QualifiedName())
				b.checkLast(enumValuesCheck(t.QualifiedName(), tables, partial, t.Schema+"."+t.Name+"."+c.Name,
					q(c.Name), c.Type != base, name, removed))
			}
		}
	}
	for _, a := range attrs {
		b.add(stageAlterTable, PhaseTransactional, lockNone, "type "+a.composite, "ALTER TYPE "+a.composite+" ALTER ATTRIBUTE "+q(a.name)+" TYPE "+tmpName+a.typ[len(name):])
	}
	b.add(stageAlterTable, PhaseTransactional, lockNone, obj, "DROP TYPE "+name, DataLoss)
	b.recreatedTypes[name] = true
	b.add(stageAlterTable, PhaseTransactional, lockNone, obj, "ALTER TYPE "+tmpName+" RENAME TO "+q(e.Name))
	for _, r := range restore {
		b.onTable(r.table).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, r.object, r.sql)
	}
}

// swapTypeChange plans, within an enum swap, the type change Git makes of column l
// of table t (d in Git), which has the swapped enum (or an array of it) in the
// database; the swap dropped its default. The column's own change (alterColumn)
// then starts from the column as this leaves it.
func (b *builder) swapTypeChange(t *model.Table, l, d *model.Column) {
	name, obj := t.QualifiedName(), columnObj(t, d.Name)
	b.change(obj, differs("type", l.Type, d.Type))
	if l.Collation != d.Collation {
		b.change(obj, differs("collation", l.Collation, d.Collation))
	}
	x := *l
	x.Type, x.Collation = d.Type, d.Collation
	// ALTER COLUMN TYPE resets the storage mode and the compression method.
	x.Storage, x.Compression = "", ""
	b.swapTyped[pairKey{name, d.Name}] = &x
	sql, hz, err := b.typeChange(t, l, d)
	if err != nil {
		b.block(obj, err.Error())
		return
	}
	if sql == "" {
		return // blocked, reported
	}
	b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ALTER COLUMN "+q(d.Name)+" "+sql, hz...)
	if _, constrained := b.domainBase(d.Type); hasHazard(hz, TableRewrite) || strings.Contains(sql, " USING ") || constrained {
		_, using, _ := strings.Cut(sql, " USING ")
		b.checkLast(b.convertCheck(name, t.Schema, t.Name, d.Name, d.Type, using))
	}
	b.analyzeAfter(t)
}

func joinLiterals(ls []string) string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = lit(l)
	}
	return strings.Join(out, ", ")
}

func sequenceOptions(typ string, start, inc, min, max, cache int64, cycle bool) string {
	cy := "NO CYCLE"
	if cycle {
		cy = "CYCLE"
	}
	return fmt.Sprintf("AS %s INCREMENT BY %d MINVALUE %d MAXVALUE %d START WITH %d CACHE %d %s", typ, inc, min, max, start, cache, cy)
}

// sequenceRestart tells whether an ALTER of a live sequence's options must RESTART
// it in the same statement: PostgreSQL refuses new bounds that exclude the position
// the sequence stands at. A sequence never called sits at its START and restarts at
// the new one, as a sequence created from Git would. One that was called and
// stands outside the new range restarts at the new START too (carry: the caller
// then moves it past the values its columns hold within the new range, which it
// could give again; those outside the range it can never give). beyond: it stands
// past the new range in its direction, so it may have given any value of the
// range before; only the columns known to take its values tell which.
// pos nil (not readable) changes nothing.
func sequenceRestart(pos *model.SequencePosition, lStart, dStart, dInc, dMin, dMax int64) (restart, carry, beyond bool) {
	if pos == nil {
		return false, false, false
	}
	if !pos.Called {
		return lStart != dStart || lStart < dMin || lStart > dMax, false, false
	}
	v := pos.LastValue
	if v >= dMin && v <= dMax {
		return false, false, false
	}
	return true, true, dInc > 0 && v > dMax || dInc < 0 && v < dMin
}

func sequenceKey(s *model.Sequence) string { return qn(s.Schema, s.Name) }

func (b *builder) sequences() error {
	byName[model.Sequence]{key: sequenceKey, create: b.createSequence, alter: b.alterSequence}.visit(b.desired.Sequences, b.live.Sequences)
	return nil
}

func (b *builder) createSequence(s *model.Sequence) {
	name := qn(s.Schema, s.Name)
	obj := "sequence " + s.Schema + "." + s.Name
	b.change(obj, "missing in the database")
	un := ""
	if s.Unlogged {
		un = "UNLOGGED "
	}
	b.add(stageCreateSequence, PhaseTransactional, lockNone, obj, "CREATE "+un+"SEQUENCE "+name+" "+sequenceOptions(s.Type, s.Start, s.Increment, s.Min, s.Max, s.Cache, s.Cycle))
	if s.OwnedBy != "" {
		b.add(stageSequenceOwnedBy, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+name+" OWNED BY "+s.OwnedBy)
		if t, c := b.liveColumn(s.OwnedBy); c != nil && c.Type == b.desiredColumnType(s.OwnedBy) {
			// The column keeps its values (identity → serial): start after them,
			// so the next value does not collide.
			agg := "max"
			if s.Increment < 0 {
				agg = "min"
			}
			b.add(stageSequenceOwnedBy, PhaseTransactional, lockNone, obj, carryOver(lit(name), s.Start, s.Increment,
				fmt.Sprintf("(SELECT %s(%s) FROM %s)", agg, q(c.Name), t.QualifiedName())))
			b.longLast() // it reads the column
		}
	}
	if s.Comment != "" {
		b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("SEQUENCE", name, s.Comment))
	}
}

func (b *builder) alterSequence(s, l *model.Sequence) {
	name := qn(s.Schema, s.Name)
	obj := "sequence " + s.Schema + "." + s.Name
	var diffs []string
	if l.Type != s.Type {
		diffs = append(diffs, "AS "+s.Type)
		b.change(obj, differs("type", l.Type, s.Type))
	}
	if l.Increment != s.Increment {
		diffs = append(diffs, fmt.Sprintf("INCREMENT BY %d", s.Increment))
		b.change(obj, differs("increment", fmt.Sprint(l.Increment), fmt.Sprint(s.Increment)))
	}
	if l.Min != s.Min {
		diffs = append(diffs, fmt.Sprintf("MINVALUE %d", s.Min))
		b.change(obj, differs("minvalue", fmt.Sprint(l.Min), fmt.Sprint(s.Min)))
	}
	if l.Max != s.Max {
		diffs = append(diffs, fmt.Sprintf("MAXVALUE %d", s.Max))
		b.change(obj, differs("maxvalue", fmt.Sprint(l.Max), fmt.Sprint(s.Max)))
	}
	if l.Start != s.Start {
		diffs = append(diffs, fmt.Sprintf("START WITH %d", s.Start))
		b.change(obj, differs("start", fmt.Sprint(l.Start), fmt.Sprint(s.Start)))
	}
	if l.Cache != s.Cache {
		diffs = append(diffs, fmt.Sprintf("CACHE %d", s.Cache))
		b.change(obj, differs("cache", fmt.Sprint(l.Cache), fmt.Sprint(s.Cache)))
	}
	if l.Cycle != s.Cycle {
		if s.Cycle {
			diffs = append(diffs, "CYCLE")
		} else {
			diffs = append(diffs, "NO CYCLE")
		}
		b.change(obj, differs("cycle", fmt.Sprint(l.Cycle), fmt.Sprint(s.Cycle)))
	}
	if len(diffs) > 0 {
		restart, carry, beyond := sequenceRestart(l.Position, l.Start, s.Start, s.Increment, s.Min, s.Max)
		if beyond && len(b.carrySources(name, *s)) == 0 {
			b.block(obj, fmt.Sprintf("the sequence stands at %d, beyond the range %d..%d in Git, and no column of the database is known to take its values "+
				"(owned by, or a default that calls nextval on it): restarting it may give values already handed out; restart it by hand or widen the range", l.Position.LastValue, s.Min, s.Max))
			return
		}
		if restart {
			diffs = append(diffs, "RESTART")
		}
		b.add(stageCreateSequence, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+name+" "+strings.Join(diffs, " "))
		if carry {
			b.carryOwnerValues(name, *s)
		}
	}
	if l.Unlogged != s.Unlogged {
		b.change(obj, differs("persistence", persistence(l.Unlogged), persistence(s.Unlogged)))
		b.add(stageCreateSequence, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+name+" SET "+strings.ToUpper(persistence(s.Unlogged)))
	}
	if l.OwnedBy != s.OwnedBy {
		b.change(obj, differs("owned by", l.OwnedBy, s.OwnedBy))
		switch {
		case l.OwnedBy != "" && b.desiredColumnType(l.OwnedBy) == "":
			// Its column goes away in this plan and would take the sequence with
			// it: release it first.
			b.add(stageDropIdentity, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+name+" OWNED BY NONE")
			if s.OwnedBy != "" {
				b.add(stageSequenceOwnedBy, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+name+" OWNED BY "+s.OwnedBy)
			}
		case s.OwnedBy == "":
			b.add(stageSequenceOwnedBy, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+name+" OWNED BY NONE")
		default:
			b.add(stageSequenceOwnedBy, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+name+" OWNED BY "+s.OwnedBy)
		}
	}
	if l.Comment != s.Comment {
		b.change(obj, differs("comment", l.Comment, s.Comment))
		b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("SEQUENCE", name, s.Comment))
	}
}

// dropSequences drops the live sequences the desired schema does not have. It runs
// after the tables were planned, which drop some sequences themselves.
func (b *builder) dropSequences() error {
	byName[model.Sequence]{key: sequenceKey, drop: func(s *model.Sequence) {
		name := qn(s.Schema, s.Name)
		if b.sequencesDropped[name] {
			return
		}
		obj := "sequence " + s.Schema + "." + s.Name
		b.change(obj, "exists in the database, not in Git")
		// A sequence owned by a column of a dropped table or a dropped column goes
		// with it; IF EXISTS keeps the plan valid in both cases.
		b.add(stageDropSequence, PhaseTransactional, lockNone, obj, "DROP SEQUENCE IF EXISTS "+name, DataLoss)
	}}.visit(b.desired.Sequences, b.live.Sequences)
	return nil
}

// carryOwnerValues moves restarted sequence s (qualified name) past the values
// already drawn from it within its range: those of its owning column and of every
// column whose default calls nextval on it, where the column is kept with its type.
// The values beyond the range the sequence can never give again.
func (b *builder) carryOwnerValues(name string, s model.Sequence) {
	sources := b.carrySources(name, s)
	if len(sources) == 0 {
		return
	}
	b.add(stageSequenceOwnedBy, PhaseTransactional, lockNone, "sequence "+s.Schema+"."+s.Name, carryOver(lit(name), s.Start, s.Increment, sources...))
	b.longLast() // it reads the columns
}

// carrySources are the queries of the values sequence s (qualified name) gave
// within its range in Git that the columns kept with their type hold: its owning
// column's and those of the columns whose default calls nextval on it.
func (b *builder) carrySources(name string, s model.Sequence) []string {
	agg := "max"
	if s.Increment < 0 {
		agg = "min"
	}
	var sources []string
	source := func(t *model.Table, c *model.Column) {
		owner := t.QualifiedName() + "." + q(c.Name)
		if b.desiredColumnType(owner) != c.Type {
			return
		}
		src := fmt.Sprintf("(SELECT %s(%s) FROM %s WHERE %s)", agg, q(c.Name), t.QualifiedName(), inRange(q(c.Name), s.Min, s.Max))
		if !slices.Contains(sources, src) {
			sources = append(sources, src)
		}
	}
	if s.OwnedBy != "" {
		if t, c := b.liveColumn(s.OwnedBy); c != nil {
			source(t, c)
		}
	}
	call := "nextval(" + lit(name) + "::regclass)"
	for i := range b.live.Tables {
		t := &b.live.Tables[i]
		for j := range t.Columns {
			if strings.Contains(t.Columns[j].Default, call) {
				source(t, &t.Columns[j])
			}
		}
	}
	return sources
}

// inRange is the condition that column expression col lies within min..max.
func inRange(col string, minValue, maxValue int64) string {
	return fmt.Sprintf("%s BETWEEN %d AND %d", col, minValue, maxValue)
}

// liveColumn returns the live table and column of an OWNED BY target
// ("schema.table.column", quoted as needed), or nil.
func (b *builder) liveColumn(owner string) (*model.Table, *model.Column) {
	for i := range b.live.Tables {
		t := &b.live.Tables[i]
		for j := range t.Columns {
			if t.QualifiedName()+"."+q(t.Columns[j].Name) == owner {
				return t, &t.Columns[j]
			}
		}
	}
	return nil, nil
}

// desiredColumnType returns the desired type of an OWNED BY target, or "".
func (b *builder) desiredColumnType(owner string) string {
	for i := range b.desired.Tables {
		t := &b.desired.Tables[i]
		for j := range t.Columns {
			if t.QualifiedName()+"."+q(t.Columns[j].Name) == owner {
				return t.Columns[j].Type
			}
		}
	}
	return ""
}

func persistence(unlogged bool) string {
	if unlogged {
		return "unlogged"
	}
	return "logged"
}

// unsupported compares objects of kinds the engine cannot plan: a difference is
// reported and blocks convergence; objects in sync are listed as unsupported.
func (b *builder) unsupported() error {
	byName[model.Unsupported]{
		key: func(u *model.Unsupported) string { return u.ID() },
		create: func(u *model.Unsupported) {
			b.unsupportedDiff(u.ID(), "missing in the database (kind not managed yet: create it by hand or wait for support)")
		},
		alter: func(u, l *model.Unsupported) {
			if l.Definition != u.Definition {
				b.unsupportedDiff(u.ID(), "differs from Git (kind not managed yet):\n  database: "+l.Definition+"\n  git:      "+u.Definition)
				return
			}
			b.p.Unsupported = append(b.p.Unsupported, u.ID())
		},
		drop: func(u *model.Unsupported) {
			b.unsupportedDiff(u.ID(), "exists in the database, not in Git (kind not managed yet)")
		},
	}.visit(b.desired.Unsupported, b.live.Unsupported)
	return nil
}

func (b *builder) unsupportedDiff(id, why string) {
	b.p.Unsupported = append(b.p.Unsupported, id)
	b.change("unsupported "+id, why)
	b.block("unsupported "+id, why)
}
