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
	"slices"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

// defaultKeyName is the name PostgreSQL gives the primary key or unique
// constraint c of table when it clones it from a parent (short names only).
func defaultKeyName(table string, c model.Constraint) string {
	if c.Type == "p" {
		return table + "_pkey"
	}
	_, cols, _ := strings.Cut(c.Definition, "(")
	cols, _, _ = strings.Cut(cols, ")")
	return table + "_" + strings.ReplaceAll(strings.ReplaceAll(cols, ", ", "_"), `"`, "") + "_key"
}

// keyIndexComment plans COMMENT ON INDEX for the index of key c of table t
// (its name is the constraint's) when Git's comment differs from live, the
// comment the index has when the statement runs ("" for a new one); kept: the
// key exists and stays (the difference is reported).
func (b *builder) keyIndexComment(t *model.Table, live string, kept bool, c model.Constraint, stage int, phase Phase) {
	if c.Type != "p" && c.Type != "u" && c.Type != "x" || live == c.IndexComment {
		return
	}
	obj := "index " + t.Schema + "." + c.Name
	if kept {
		b.change(obj, differs("comment", live, c.IndexComment))
	}
	b.add(stage, phase, lockShareUpdateExclusive, obj, commentSQL("INDEX", qn(t.Schema, c.Name), c.IndexComment))
}

func notValid(c model.Constraint) string {
	if !c.Validated {
		return " NOT VALID"
	}
	return ""
}

// constraints plans the constraints of table d; l is nil for a new table (its
// constraints were created with it).
func (b *builder) constraints(l, d *model.Table) {
	if l == nil {
		return
	}
	name := d.QualifiedName()
	cobj := func(c string) string { return "constraint " + c + " on " + d.Schema + "." + d.Name }
	// pair plans desired constraint dc; ok tells whether the table has lc live.
	pair := func(dc, lc model.Constraint, ok bool) {
		if ok && dc.Inherited && lc.Inherited {
			// Owned by the parent; but a table that leaves every parent it has
			// it from (NO INHERIT) keeps it as its own, and INHERIT of another
			// parent that has it leaves it so.
			if d.PartitionOf == "" && l.PartitionOf == "" && b.leavesParentOf(l, d, dc.Name, false) && !b.switchParentsEarly(l, d) {
				why := "only inherited in Git, from a parent the table does not have yet; declared by the table once it leaves " + strings.Join(leftParents(l, d), ", ")
				b.change(cobj(dc.Name), why)
				b.block(cobj(dc.Name), why+": PostgreSQL cannot change that in place")
			}
			return
		}
		if ok && dc.Type == "c" && lc.Type == "c" && dc.Definition == lc.Definition && dc.Inherited != lc.Inherited && d.PartitionOf == "" && l.PartitionOf == "" {
			// Declared by the table in one, only inherited in the other
			// (pg_constraint.conislocal).
			switch {
			case lc.Inherited && b.leavesParentOf(l, d, dc.Name, false):
				// NO INHERIT leaves it to the table as its own.
			case lc.Inherited:
				b.change(cobj(dc.Name), "declared by the table in Git, only inherited in the database")
				// ADD CONSTRAINT merges it with the inherited one, as declared.
				b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, cobj(dc.Name),
					"ALTER TABLE "+name+" ADD CONSTRAINT "+q(dc.Name)+" "+dc.Definition+notValid(dc), AccessExclusiveLock, ValidationScan)
			default:
				why := "only inherited in Git, declared by the table in the database"
				b.change(cobj(dc.Name), why)
				b.block(cobj(dc.Name), why+": PostgreSQL cannot change that in place")
			}
			return
		}
		if ok && !dc.Inherited && lc.Inherited && (lc.Type == "p" || lc.Type == "u") && d.PartitionOf != "" && d.PartitionOf == l.PartitionOf {
			// The partition's own key in Git, its part of the parent's key in the
			// database: when that key goes, it takes this one along, which is
			// then added as the partition's own; when it stays, it cannot change.
			if b.parentKeyStays(l, lc) {
				why := "declared by the partition in Git, part of a key of " + l.PartitionOf + " in the database"
				b.change(cobj(dc.Name), why)
				b.block(cobj(dc.Name), why+": PostgreSQL cannot change that in place")
				return
			}
			b.change(cobj(dc.Name), "goes with the key of "+l.PartitionOf+"; created again as the partition's own")
			ok = false
		}
		if !ok && dc.Inherited && d.PartitionOf != "" {
			b.partitionKey(l, d, dc)
			return
		}
		if !ok && dc.Inherited && dc.Type == "c" && (b.parentAddsCheck(l, d, dc.Name) || b.inheritChecks[pairKey{name, dc.Name}]) {
			return // the parent's ADD CONSTRAINT adds it to its children too
		}
		replace := false
		if ok {
			if lc.Definition != dc.Definition || lc.Type != dc.Type {
				b.change(cobj(dc.Name), differs("definition", lc.Definition, dc.Definition))
				replace = true
			} else if b.mentionsRecreatedColumn(name, dc.Definition) || b.rebuildConstraints[pairKey{name, dc.Name}] {
				replace = true
			} else if b.referencedKeyReplaced(dc) {
				replace = true
			}
		} else {
			b.change(cobj(dc.Name), "missing in the database")
		}
		if !ok || replace {
			var lp *model.Constraint
			if ok {
				lp = &lc
			}
			if b.onlineKey(d, lp, dc) {
				if lp != nil {
					b.online.droppedKeys[pairKey{name, lp.Name}] = true
				}
				return
			}
		}
		if ok && replace {
			stage := stageDropConstraint
			switch {
			case lc.Type == "f":
				stage = stageDropConstraintFK
			case lc.ParentIndex != "" && (b.reattachForIndex(name) || b.keyDetachEarly(l, d)):
				stage = stageDropIndex // once its partition is detached (reattach.go)
			}
			b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, cobj(dc.Name), "ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(dc.Name), AccessExclusiveLock)
		}
		if !ok || replace {
			b.addConstraint(d, dc)
			if dc.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, cobj(dc.Name), commentSQL("CONSTRAINT", q(dc.Name)+" ON "+name, dc.Comment))
			}
			b.keyIndexComment(d, "", false, dc, stageComment, PhaseTransactional)
			return
		}
		if lc.Validated && !dc.Validated {
			b.note(cobj(dc.Name), notValidKept)
		}
		if !lc.Validated && dc.Validated {
			b.change(cobj(dc.Name), "not validated in the database")
			b.onTable(name).add(stageAddConstraint, PhaseOnline, lockShareUpdateExclusive, cobj(dc.Name), "ALTER TABLE "+name+" VALIDATE CONSTRAINT "+q(dc.Name), ValidationScan)
		}
		if lc.Comment != dc.Comment {
			b.change(cobj(dc.Name), differs("comment", lc.Comment, dc.Comment))
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, cobj(dc.Name), commentSQL("CONSTRAINT", q(dc.Name)+" ON "+name, dc.Comment))
		}
		b.keyIndexComment(d, lc.IndexComment, true, dc, stageComment, PhaseTransactional)
	}
	byName[model.Constraint]{
		key:    func(c *model.Constraint) string { return c.Name },
		create: func(dc *model.Constraint) { pair(*dc, model.Constraint{}, false) },
		alter:  func(dc, lc *model.Constraint) { pair(*dc, *lc, true) },
		drop: func(lc *model.Constraint) {
			if lc.Inherited && b.leavesParentOf(l, d, lc.Name, false) {
				// The table leaves the parent it has the constraint from (DETACH
				// PARTITION, NO INHERIT, in alterTable), which leaves the constraint
				// to the table as its own: it goes after.
				b.change(cobj(lc.Name), "exists in the database, not in Git")
				b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, cobj(lc.Name), "ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(lc.Name), AccessExclusiveLock)
				return
			}
			if lc.Inherited && b.parentKeyStays(l, *lc) && !slices.ContainsFunc(d.Constraints, func(dc model.Constraint) bool {
				return dc.Inherited && dc.Type == lc.Type && dc.Definition == lc.Definition // renamed (below)
			}) {
				// A partition's part of its parent's key, which Git keeps: it goes
				// only with that key (its index is attached to the key's index).
				b.change(cobj(lc.Name), "exists in the database, not in Git")
				b.block(cobj(lc.Name), "it is the partition's part of a key of "+l.PartitionOf+" that Git keeps (its index is attached to the key's index): it cannot be dropped on its own")
				return
			}
			if lc.Inherited || b.online.droppedKeys[pairKey{name, lc.Name}] {
				return
			}
			b.change(cobj(lc.Name), "exists in the database, not in Git")
			stage := stageDropConstraint
			switch {
			case lc.Type == "f":
				stage = stageDropConstraintFK
			case lc.ParentIndex != "" && (b.reattachForIndex(name) || b.keyDetachEarly(l, d)):
				// Its index is attached to a partitioned index until its
				// partition is detached (reattach.go).
				stage = stageDropIndex
			}
			b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, cobj(lc.Name), "ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(lc.Name), AccessExclusiveLock)
		},
	}.visit(d.Constraints, l.Constraints)
	for _, lc := range l.Constraints {
		cols := b.pkNotNullDrops[pairKey{name, lc.Name}]
		phase, stage := PhaseTransactional, stageAlterTable
		if b.online.droppedKeys[pairKey{name, lc.Name}] {
			phase, stage = PhaseOnline, stageTableAfterIndex
		}
		for _, c := range cols {
			b.onTable(name).add(stage, phase, lockAccessExclusive, columnObj(d, c), "ALTER TABLE "+name+" ALTER COLUMN "+q(c)+" DROP NOT NULL")
		}
	}
}

// partitionKey plans a primary key or unique constraint that an existing partition
// lacks although its partitioned table has it in the database too (an index built
// ON ONLY the parent and never completed, say): it is added to the partition, from
// the partition's unique index of the same name when there is one, and its index
// is attached to the parent's. Otherwise the parent's constraint creates it.
func (b *builder) partitionKey(l, d *model.Table, dc model.Constraint) {
	if dc.Type != "p" && dc.Type != "u" {
		return
	}
	dp, lp := b.desiredTables[d.PartitionOf], b.liveTables[d.PartitionOf]
	if dp == nil || lp == nil || l.PartitionOf != d.PartitionOf {
		return
	}
	var parent *model.Constraint
	for i := range dp.Constraints {
		if pc := &dp.Constraints[i]; pc.Type == dc.Type && (dc.Type == "p" || pc.Definition == dc.Definition) {
			parent = pc
			break
		}
	}
	if parent == nil {
		return
	}
	found := false
	for _, lc := range lp.Constraints {
		found = found || lc.Name == parent.Name && lc.Type == parent.Type && lc.Definition == parent.Definition
	}
	if !found {
		return // created with the parent's constraint
	}
	name := d.QualifiedName()
	obj := "constraint " + dc.Name + " on " + d.Schema + "." + d.Name
	for _, lc := range l.Constraints {
		if lc.Inherited && lc.Type == dc.Type && lc.Definition == dc.Definition && !hasConstraint(d, lc.Name) {
			// The same key under another name (its index renamed by hand): an
			// inherited constraint cannot be renamed, its index can, which
			// renames the constraint.
			b.change(obj, differs("name", lc.Name, dc.Name))
			b.add(stageAddConstraint, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER INDEX "+qn(d.Schema, lc.Name)+" RENAME TO "+q(dc.Name))
			return
		}
	}
	b.change(obj, "missing in the database")
	kind := "UNIQUE"
	if dc.Type == "p" {
		kind = "PRIMARY KEY"
	}
	self := qn(d.Schema, dc.Name)
	add := "ALTER TABLE " + name + " ADD CONSTRAINT " + q(dc.Name) + " " + dc.Definition
	if b.online.liveIndexes[self] {
		b.online.keys[self] = true
		add = "ALTER TABLE " + name + " ADD CONSTRAINT " + q(dc.Name) + " " + kind + " USING INDEX " + q(dc.Name)
	}
	b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, add, IndexBuild, AccessExclusiveLock)
	b.add(stageAddConstraint, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER INDEX "+qn(dp.Schema, parent.Name)+" ATTACH PARTITION "+self)
}

// referencedKeyReplaced reports whether a foreign key's referenced table has a primary
// key or unique constraint that this plan drops or replaces: the foreign key depends on
// its index and must be dropped first and added again afterwards.
func (b *builder) referencedKeyReplaced(fk model.Constraint) bool {
	if fk.Type != "f" {
		return false
	}
	lt, dt := b.liveTables[fk.References], b.desiredTables[fk.References]
	if lt == nil || dt == nil {
		return false
	}
	for _, lc := range lt.Constraints {
		if lc.Type != "p" && lc.Type != "u" {
			continue
		}
		found := false
		for _, dc := range dt.Constraints {
			if dc.Name == lc.Name {
				found = true
				if dc.Definition != lc.Definition || dc.Type != lc.Type || b.mentionsRecreatedColumn(fk.References, dc.Definition) {
					return true
				}
			}
		}
		if !found {
			return true
		}
	}
	return false
}

func (b *builder) mentionsRecreatedColumn(table, def string) bool {
	for k := range b.recreatedColumns {
		if k.table == table && mentionsIdent(def, k.name) {
			return true
		}
	}
	return false
}

func (b *builder) addConstraint(t *model.Table, c model.Constraint) {
	name := t.QualifiedName()
	obj := "constraint " + c.Name + " on " + t.Schema + "." + t.Name
	add := "ALTER TABLE " + name + " ADD CONSTRAINT " + q(c.Name) + " " + c.Definition
	switch c.Type {
	case "f", "c":
		stage := stageAddConstraint
		if c.Type == "f" {
			stage = stageAddForeignKey
		}
		if !c.Validated {
			b.onTable(name).add(stage, PhaseTransactional, constraintLock(c), obj, add+" NOT VALID")
			return
		}
		if c.Type == "f" && t.PartitionKey != "" {
			// PostgreSQL cannot add a foreign key NOT VALID to a partitioned
			// table: it is validated as it is added.
			b.onTable(name).add(stage, PhaseTransactional, constraintLock(c), obj, add, ValidationScan)
			return
		}
		// Added NOT VALID in the transaction (a short lock), validated online
		// afterwards without blocking writes.
		b.onTable(name).add(stage, PhaseTransactional, constraintLock(c), obj, add+" NOT VALID")
		added := b.seq
		b.onTable(name).add(stage, PhaseOnline, lockShareUpdateExclusive, obj, "ALTER TABLE "+name+" VALIDATE CONSTRAINT "+q(c.Name), ValidationScan)
		b.revertsLast(added)
		// A constraint that cannot be validated goes again: left NOT VALID it would
		// refuse the application's writes although the apply failed.
		b.cleanupLast("ALTER TABLE " + name + " DROP CONSTRAINT IF EXISTS " + q(c.Name))
		if c.Type == "c" && b.liveTables[name] != nil {
			b.checkLast(constraintCheck(name, obj, c.Definition))
		}
	default:
		if b.partitionedKey(t, c) {
			return
		}
		b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, add, IndexBuild, AccessExclusiveLock)
		if (c.Type == "u" || c.Type == "p") && b.liveTables[name] != nil {
			b.checkLast(keyCheck(name, obj, c.Definition))
		}
	}
}

// checkUniqueIndex attaches a duplicate check to the statement just added when it
// builds unique index x on an existing table.
func (b *builder) checkUniqueIndex(x model.Index, obj string) {
	if x.Unique && b.liveTables[x.Table] != nil && !b.newTables[x.Table] {
		b.checkLast(indexUniqueCheck(x.Table, obj, x.Definition))
	}
}

// dropForeignKeysOfDroppedTables drops, before the indexes, the foreign keys of
// tables this plan drops that reference table when table goes too: an index of it
// whose name a new table's index takes must go before the tables do, and a foreign
// key may rest on it. (Those of kept tables are dropped with their constraints.)
func (b *builder) dropForeignKeysOfDroppedTables(table string) {
	if !b.droppedTables[table] {
		return
	}
	for _, name := range sortedKeys(b.droppedTables) {
		t := b.liveTables[name]
		for _, c := range t.Constraints {
			if c.Type == "f" && c.References == table && !c.Inherited {
				b.onTable(name).add(stageDropConstraintFK, PhaseTransactional, lockAccessExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
					"ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(c.Name), AccessExclusiveLock)
			}
		}
	}
}

// constraintNamed reports whether a desired constraint with an index (primary key,
// unique, exclusion) in the schema has the name: its index takes that name.
func (b *builder) constraintNamed(schema, name string) bool {
	for _, t := range b.desired.Tables {
		if t.Schema != schema {
			continue
		}
		for _, c := range t.Constraints {
			if c.Name == name && (c.Type == "p" || c.Type == "u" || c.Type == "x") {
				return true
			}
		}
	}
	return false
}

// keyBody is a primary key's or unique constraint's definition without its kind:
// what PostgreSQL compares when a partitioned table's key adopts a partition's
// (columns, NULLS NOT DISTINCT, INCLUDE); a primary key may adopt a unique
// constraint and the other way round.
func keyBody(c model.Constraint) (string, bool) {
	switch c.Type {
	case "p":
		return strings.CutPrefix(c.Definition, "PRIMARY KEY ")
	case "u":
		return strings.CutPrefix(c.Definition, "UNIQUE ")
	}
	return "", false
}

// partitionKeyChild is the key of a partition that Git attaches to its parent's
// key, and whether the database has it already (local, not attached).
type partitionKeyChild struct {
	table    *model.Table
	key      model.Constraint
	exists   bool
	children []partitionKeyChild
}

// partitionedKey plans primary key or unique constraint c of the existing
// partitioned table t the way pg_dump restores one, when PostgreSQL's own
// adoption could pick another key than Git's: ALTER TABLE parent ADD CONSTRAINT
// attaches, in each partition, the first matching key it finds (a primary key may
// adopt a unique constraint), so a partition holding a matching key that Git keeps
// apart from the one it inherits would converge on the wrong one. The key is
// added to the parent ONLY (invalid until every partition's key is attached),
// each partition's key Git names is added where it is missing (ONLY again on a
// sub-partitioned table, recursively), and attached (ALTER INDEX ... ATTACH
// PARTITION), which makes it the parent's and the parent's key valid. Nothing is
// dropped: a partition's key that the parent's does not adopt stays as it is.
// It reports whether it planned the key; otherwise the caller adds it whole.
func (b *builder) partitionedKey(t *model.Table, c model.Constraint) bool {
	name := t.QualifiedName()
	body, ok := keyBody(c)
	if !ok || t.PartitionKey == "" || b.liveTables[name] == nil {
		return false
	}
	children, needed, ok := b.partitionKeyChildren(name, body, 0)
	if !ok || !needed || len(children) == 0 {
		return false
	}
	obj := "constraint " + c.Name + " on " + t.Schema + "." + t.Name
	b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj,
		"ALTER TABLE ONLY "+name+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition, AccessExclusiveLock)
	b.checkLast(keyCheck(name, obj, c.Definition))
	b.attachPartitionKeys(qn(t.Schema, c.Name), children)
	return true
}

// attachPartitionKeys adds the partitions' keys that are missing and attaches
// each to the partitioned index parent, deepest first.
func (b *builder) attachPartitionKeys(parent string, children []partitionKeyChild) {
	for _, ch := range children {
		name := ch.table.QualifiedName()
		obj := "constraint " + ch.key.Name + " on " + ch.table.Schema + "." + ch.table.Name
		if !ch.exists {
			if ch.table.PartitionKey != "" {
				b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj,
					"ALTER TABLE ONLY "+name+" ADD CONSTRAINT "+q(ch.key.Name)+" "+ch.key.Definition, AccessExclusiveLock)
				b.attachPartitionKeys(qn(ch.table.Schema, ch.key.Name), ch.children)
			} else {
				b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj,
					"ALTER TABLE "+name+" ADD CONSTRAINT "+q(ch.key.Name)+" "+ch.key.Definition, IndexBuild, AccessExclusiveLock)
			}
		}
		b.add(stageAddConstraint, PhaseTransactional, lockShareUpdateExclusive, obj,
			"ALTER INDEX "+parent+" ATTACH PARTITION "+qn(ch.table.Schema, ch.key.Name))
	}
}

// partitionKeyChildren finds, for each partition of table in Git, the key it
// inherits from a parent key of the given body, and reports whether PostgreSQL
// could adopt another one (a partition has a matching key of another name), and
// whether every partition's key is known and the partitions are the same in the
// database when the key is added (none is attached, detached or dropped around it).
func (b *builder) partitionKeyChildren(table, body string, depth int) (children []partitionKeyChild, needed, ok bool) {
	if depth > 32 {
		return nil, false, false
	}
	for _, lp := range b.live.Tables {
		if lp.PartitionOf != table {
			continue
		}
		if dp := b.desiredTables[lp.QualifiedName()]; dp == nil || dp.PartitionOf != table {
			return nil, false, false
		}
	}
	for i := range b.desired.Tables {
		dp := &b.desired.Tables[i]
		if dp.PartitionOf != table {
			continue
		}
		lp := b.liveTables[dp.QualifiedName()]
		if lp == nil || lp.PartitionOf != table {
			return nil, false, false
		}
		var key *model.Constraint
		for j := range dp.Constraints {
			if dc := &dp.Constraints[j]; dc.Inherited {
				if kb, ok := keyBody(*dc); ok && kb == body {
					if key != nil {
						return nil, false, false
					}
					key = dc
				}
			}
		}
		if key == nil {
			return nil, false, false
		}
		ch := partitionKeyChild{table: dp, key: *key}
		for _, lc := range lp.Constraints {
			kb, isKey := keyBody(lc)
			switch {
			case lc.Name == key.Name:
				if lc.Inherited || lc.Type != key.Type || lc.Definition != key.Definition {
					return nil, false, false
				}
				ch.exists = true
			case isKey && kb == body && !lc.Inherited:
				needed = true
			}
		}
		if dp.PartitionKey != "" && !ch.exists {
			sub, subNeeded, subOK := b.partitionKeyChildren(dp.QualifiedName(), body, depth+1)
			if !subOK {
				return nil, false, false
			}
			needed = needed || subNeeded
			ch.children = sub
		}
		children = append(children, ch)
	}
	return children, needed, true
}

// parentAddsCheck reports whether a parent of classic inheritance that table d
// inherits from in the database already (l) has, in Git, an inherited CHECK named
// name: the plan adds it to that parent (or to the parent's parent), and
// PostgreSQL adds it to the children with it, as inherited only.
func (b *builder) parentAddsCheck(l, d *model.Table, name string) bool {
	for _, p := range d.Inherits {
		if !contains(l.Inherits, p) {
			continue
		}
		if dp := b.desiredTables[p]; dp != nil {
			for _, c := range dp.Constraints {
				if c.Name == name && c.Type == "c" && !strings.Contains(c.Definition, "NO INHERIT") {
					return true
				}
			}
		}
	}
	return false
}

// leavesParentOf reports whether table l (d in Git) leaves, in this plan, every
// parent it has its inherited constraint (or column, when column) name from: a
// partition detached from its partitioned table, or a child of classic inheritance
// whose parents that Git keeps have no such constraint (column).
func (b *builder) leavesParentOf(l, d *model.Table, name string, column bool) bool {
	if l.PartitionOf != "" {
		return l.PartitionOf != d.PartitionOf
	}
	left := false
	for _, p := range l.Inherits {
		if !contains(d.Inherits, p) {
			left = true
			continue
		}
		lp := b.liveTables[p]
		if lp == nil {
			continue
		}
		if column && lp.Column(name) != nil || !column && hasConstraint(lp, name) {
			return false
		}
	}
	return left
}

// parentKeyStays reports whether inherited primary key or unique constraint lc of
// partition l is the partition's part of a key of its parent that Git keeps as
// it is, on a parent l stays a partition of: lc then stays too.
func (b *builder) parentKeyStays(l *model.Table, lc model.Constraint) bool {
	if lc.Type != "p" && lc.Type != "u" || l.PartitionOf == "" || b.droppedTables[l.PartitionOf] {
		return false
	}
	if d := b.desiredTables[l.QualifiedName()]; d == nil || d.PartitionOf != l.PartitionOf {
		return false
	}
	lp, dp := b.liveTables[l.PartitionOf], b.desiredTables[l.PartitionOf]
	if lp == nil || dp == nil {
		return false
	}
	for _, pc := range lp.Constraints {
		// Attached to a plain partitioned index (ParentIndex), or the clone of the
		// parent's key of the same definition.
		if lc.ParentIndex != "" && qn(lp.Schema, pc.Name) != lc.ParentIndex || lc.ParentIndex == "" && (pc.Type != lc.Type || pc.Definition != lc.Definition) {
			continue
		}
		for _, dc := range dp.Constraints {
			if dc.Name == pc.Name && dc.Type == pc.Type && dc.Definition == pc.Definition {
				return true
			}
		}
	}
	return false
}
