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
	"sort"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

// tableKey pairs tables by schema and name, as QualifiedName would, without
// building the quoted name of every table on every pass.
func tableKey(t *model.Table) pairKey { return pairKey{t.Schema, t.Name} }

func tableObj(t *model.Table) string { return "table " + t.Schema + "." + t.Name }

func columnObj(t *model.Table, c string) string { return "column " + t.Schema + "." + t.Name + "." + c }

func (b *builder) tables() error {
	// Create new tables parents first (partitions and inheritance children need them).
	created := map[string]bool{}
	var create func(t *model.Table)
	create = func(t *model.Table) {
		name := t.QualifiedName()
		if created[name] {
			return
		}
		created[name] = true
		parents := append([]string{}, t.Inherits...)
		if t.PartitionOf != "" {
			parents = append(parents, t.PartitionOf)
		}
		for _, p := range parents {
			if b.newTables[p] {
				create(b.desiredTables[p])
			}
		}
		b.createTable(t)
	}
	byKey[model.Table, pairKey]{key: tableKey, create: create}.visit(b.desired.Tables, b.live.Tables)
	// Tables that stay: their columns and properties, then their persistence, then
	// their constraints (each pass over every table before the next), parents
	// before their children: ALTER TABLE on a parent recurses to its children
	// (a column's default, NOT NULL, type, a dropped column), and a child's own
	// difference is set after it, whatever the tables' names.
	kept := b.parentsFirst()
	for _, d := range kept {
		if err := b.alterTable(b.liveTables[d.QualifiedName()], d); err != nil {
			return err
		}
	}
	b.persistence()
	for _, d := range kept {
		b.constraints(b.liveTables[d.QualifiedName()], d)
	}
	referenced := map[string]bool{}
	for _, t := range b.live.Tables {
		for _, c := range t.Constraints {
			if c.Type == "f" {
				referenced[c.References] = true
			}
		}
	}
	var dropped, early []string
	byKey[model.Table, pairKey]{key: tableKey, drop: func(t *model.Table) {
		b.change(tableObj(t), "exists in the database, not in Git")
		if b.droppedEarly[t.QualifiedName()] {
			early = append(early, t.QualifiedName())
			b.dropForeignKeysOfDroppedTables(t.QualifiedName())
			return
		}
		dropped = append(dropped, t.QualifiedName())
		for _, c := range t.Constraints {
			if c.Type == "f" && !c.Inherited && !b.droppedTables[c.References] && b.referencedKeyReplaced(c) {
				// The key it references changes or goes (a primary key moving to
				// another column, whose old column goes): the constraint goes
				// first, not with its table at the end.
				b.onTable(t.QualifiedName()).add(stageDropConstraintFK, PhaseTransactional, lockAccessExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
					"ALTER TABLE "+t.QualifiedName()+" DROP CONSTRAINT IF EXISTS "+q(c.Name), AccessExclusiveLock)
			}
		}
		if t.PartitionOf != "" && !b.droppedTables[t.PartitionOf] && b.detachEarly(t.PartitionOf, t.QualifiedName()) {
			// Its bound may overlap a new partition's: it leaves the table first.
			b.onTable(t.PartitionOf).add(stageDetachPartition, PhaseTransactional, lockAccessExclusive, tableObj(t), "ALTER TABLE "+t.PartitionOf+" DETACH PARTITION "+t.QualifiedName(), AccessExclusiveLock)
		} else if t.PartitionOf != "" && !b.droppedTables[t.PartitionOf] && referenced[t.PartitionOf] {
			// A foreign key to the partitioned table holds on to each of its
			// partitions: the partition leaves the table before it is dropped.
			b.onTable(t.PartitionOf).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, tableObj(t), "ALTER TABLE "+t.PartitionOf+" DETACH PARTITION "+t.QualifiedName(), AccessExclusiveLock)
		}
	}}.visit(b.desired.Tables, b.live.Tables)
	if len(early) > 0 {
		// A view takes the name: the table goes before the views are created, once
		// the views over it and the foreign keys to it are gone.
		b.onTable(soleTable(early)).add(stageDropRecreated, PhaseTransactional, lockAccessExclusive, "table "+strings.Join(early, ", "), "DROP TABLE "+strings.Join(early, ", "), DataLoss, AccessExclusiveLock)
	}
	if len(dropped) > 0 {
		// One statement: PostgreSQL resolves foreign keys, partitions and inheritance
		// among the tables it drops together.
		b.onTable(soleTable(dropped)).add(stageDropTable, PhaseTransactional, lockAccessExclusive, "table "+strings.Join(dropped, ", "), "DROP TABLE "+strings.Join(dropped, ", "), DataLoss, AccessExclusiveLock)
	}
	return nil
}

// parentsFirst returns the desired tables that exist in the database, each
// after its parents, in Git and in the database (partitioned tables and
// inheritance parents, at any depth), else in the model's order (by name).
func (b *builder) parentsFirst() []*model.Table {
	depth := map[string]int{}
	var depthOf func(name string, n int) int
	depthOf = func(name string, n int) int {
		if d, ok := depth[name]; ok || n > 32 {
			return d
		}
		d := 0
		for _, m := range []*model.Table{b.desiredTables[name], b.liveTables[name]} {
			if m == nil {
				continue
			}
			for _, p := range parentsOf(m) {
				d = max(d, depthOf(p, n+1)+1)
			}
		}
		depth[name] = d
		return d
	}
	var out []*model.Table
	for i := range b.desired.Tables {
		d := &b.desired.Tables[i]
		if b.liveTables[d.QualifiedName()] != nil {
			depthOf(d.QualifiedName(), 0)
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return depth[out[i].QualifiedName()] < depth[out[j].QualifiedName()] })
	return out
}

// dropEarly plans dropped table name to go early (tables): a view of Git takes
// its name, or an enum swap must not find it holding the old type. Its
// partitions and inheritance descendants that Git drops go with it; those Git
// keeps leave it first, early too (leftEarly: DETACH PARTITION, NO INHERIT in
// alterTable), and keep their own descendants. It returns false when Git keeps
// the table.
func (b *builder) dropEarly(name string) bool {
	if !b.droppedTables[name] {
		return false
	}
	if b.droppedEarly == nil {
		b.droppedEarly, b.leftEarly = map[string]bool{}, map[pairKey]bool{}
	}
	in := map[string]bool{name: true}
	b.droppedEarly[name] = true
	for changed := true; changed; {
		changed = false
		for i := range b.live.Tables {
			t := &b.live.Tables[i]
			if in[t.QualifiedName()] {
				continue
			}
			for _, p := range parentsOf(t) {
				if !in[p] {
					continue
				}
				if !b.droppedTables[t.QualifiedName()] {
					b.leftEarly[pairKey{t.QualifiedName(), p}] = true
					continue
				}
				in[t.QualifiedName()] = true
				b.droppedEarly[t.QualifiedName()] = true
				changed = true
				break
			}
		}
	}
	return true
}

// persistence plans SET LOGGED and SET UNLOGGED. A logged table cannot reference an
// unlogged one (nor the other way round): tables become logged after the tables they
// reference, and unlogged after the tables that reference them.
func (b *builder) persistence() {
	var changed []*model.Table
	for i := range b.desired.Tables {
		d := &b.desired.Tables[i]
		if l := b.liveTables[d.QualifiedName()]; l != nil && l.Unlogged != d.Unlogged {
			changed = append(changed, d)
		}
	}
	// before[t] are the tables of changed that must change before t.
	before := map[string][]*model.Table{}
	for _, t := range changed {
		for _, u := range changed {
			if t == u || t.Unlogged != u.Unlogged {
				continue
			}
			// t references u: logged → u first; unlogged → t first.
			if b.references(t, u) {
				if !t.Unlogged {
					before[t.QualifiedName()] = append(before[t.QualifiedName()], u)
				} else {
					before[u.QualifiedName()] = append(before[u.QualifiedName()], t)
				}
			}
		}
	}
	done := map[string]bool{}
	var visit func(t *model.Table)
	visit = func(t *model.Table) {
		if done[t.QualifiedName()] {
			return
		}
		done[t.QualifiedName()] = true
		for _, u := range before[t.QualifiedName()] {
			visit(u)
		}
		b.onTable(t.QualifiedName()).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, tableObj(t), "ALTER TABLE "+t.QualifiedName()+" SET "+strings.ToUpper(persistence(t.Unlogged)), TableRewrite, AccessExclusiveLock)
	}
	for _, t := range changed {
		visit(t)
	}
}

// references reports whether table t has, live or desired, a foreign key to u.
func (b *builder) references(t, u *model.Table) bool {
	for _, m := range []*model.Table{b.liveTables[t.QualifiedName()], b.desiredTables[t.QualifiedName()]} {
		if m == nil {
			continue
		}
		for _, c := range m.Constraints {
			if c.Type == "f" && c.References == u.QualifiedName() {
				return true
			}
		}
	}
	return false
}

func columnDefinition(c *model.Column) string {
	var s strings.Builder
	s.WriteString(q(c.Name) + " " + c.Type)
	if c.Collation != "" {
		s.WriteString(" COLLATE " + c.Collation)
	}
	if c.Compression != "" {
		s.WriteString(" COMPRESSION " + compressionName(c.Compression))
	}
	if c.Generated != "" {
		s.WriteString(" GENERATED ALWAYS AS (" + c.Generated + ") STORED")
	}
	if c.Identity != "" {
		s.WriteString(" " + identityClause(c))
	}
	if c.Default != "" {
		s.WriteString(" DEFAULT " + c.Default)
	}
	if c.NotNull {
		s.WriteString(" NOT NULL")
	}
	return s.String()
}

func identityClause(c *model.Column) string {
	kind := "BY DEFAULT"
	if c.Identity == "a" {
		kind = "ALWAYS"
	}
	s := "GENERATED " + kind + " AS IDENTITY"
	if o := c.IdentityOptions; o != nil {
		cy := "NO CYCLE"
		if o.Cycle {
			cy = "CYCLE"
		}
		s += fmt.Sprintf(" (SEQUENCE NAME %s INCREMENT BY %d MINVALUE %d MAXVALUE %d START WITH %d CACHE %d %s)", o.Name, o.Increment, o.Min, o.Max, o.Start, o.Cache, cy)
	}
	return s
}

func compressionName(c string) string {
	switch c {
	case "p":
		return "pglz"
	case "l":
		return "lz4"
	case "":
		return "default"
	}
	return c
}

func storageName(s string) string {
	switch s {
	case "p":
		return "PLAIN"
	case "e":
		return "EXTERNAL"
	case "m":
		return "MAIN"
	case "x":
		return "EXTENDED"
	}
	return s
}

// attachesOnItsOwn reports whether new partition t is created as a table of its
// own and then attached, rather than with PARTITION OF, and returns the indexes
// of t that are created with it, before it is attached. PARTITION OF clones each
// index or key of the parent under a name PostgreSQL chooses, so it is not used
// when Git has t's own key back an index or key of the parent (its own primary
// key or unique constraint under its own name), nor when Git has an index of t
// attached to an index of the parent that exists and stays: PARTITION OF would
// clone the parent's index first and leave t's key or index beside it, while
// ATTACH PARTITION adopts them as Git has them. The parent exists, or is a new
// table attached on its own too (its indexes exist before t is attached).
//
// The table of its own is created with all of t's columns and the parent's
// checks, which ATTACH PARTITION requires: PostgreSQL merges them into inherited
// ones (a partition's column or check is never local, conislocal false), so t
// ends as PARTITION OF would make it. A generated column is written with its
// expression (ATTACH requires it generated too); an identity column of the parent
// is a plain NOT NULL column in its partitions (PostgreSQL 15).
func (b *builder) attachesOnItsOwn(t *model.Table) (bool, []model.Index) {
	p := t.PartitionOf
	if p == "" || b.desiredTables[p] == nil || b.newTables[p] && !b.onItsOwn[p] || !b.newTables[p] && b.liveTables[p] == nil {
		return false, nil
	}
	// own are the indexes of t that Git attaches to an index of the parent that
	// stays: ATTACH PARTITION adopts them once they exist, under their names.
	var own []model.Index
	ownNamed := false
	for _, x := range b.desired.Indexes {
		if x.Table == t.QualifiedName() && x.ParentIndex != "" && x.Valid && b.indexStays(x.ParentIndex) {
			own = append(own, x)
			ownNamed = ownNamed || !cloneIndexName(t.Name, x)
		}
	}
	if ownNamed {
		return true, own
	}
	hasLocalKey := false
	for _, c := range t.Constraints {
		switch {
		case c.Type != "p" && c.Type != "u":
		case !c.Inherited:
			hasLocalKey = true
		case c.Name != defaultKeyName(t.Name, c):
			return true, own // the parent's key, under the name of t's own key
		}
	}
	if !hasLocalKey {
		return false, nil
	}
	// An existing unique index of the parent (attached to the grandparent's or
	// not) that no index of t in Git is attached to: t's own key is.
	for _, x := range b.desired.Indexes {
		if x.Table != p || !x.Unique {
			continue
		}
		attached := false
		for _, y := range b.desired.Indexes {
			attached = attached || y.Table == t.QualifiedName() && y.ParentIndex == qn(x.Schema, x.Name)
		}
		if !attached {
			return true, own
		}
	}
	return false, nil
}

// cloneIndexName reports whether the name of index x of partition table looks
// like the name PostgreSQL gives the index it clones there from a plain
// partitioned index (ChooseRelationName): the table's name, the index's column
// names (or "expr") joined by "_", and "_idx", with a number when that is
// taken. Only the shape is compared (the columns are identifiers of the index's
// definition): an index Git names so is taken to be the clone CREATE TABLE ...
// PARTITION OF makes; any other name is Git's own.
func cloneIndexName(table string, x model.Index) bool {
	rest, ok := strings.CutPrefix(x.Name, table+"_")
	if !ok {
		return false
	}
	rest = strings.TrimRight(rest, "0123456789")
	mid, ok := strings.CutSuffix(rest, "_idx")
	if !ok || mid == "" {
		return false
	}
	idents := map[string]bool{"expr": true}
	for _, tok := range identTokens(x.Definition) {
		idents[tok] = true
	}
	// mid is identifiers joined by "_" (which identifiers may hold too).
	var joined func(s string, n int) bool
	joined = func(s string, n int) bool {
		if idents[s] {
			return true
		}
		for i := strings.IndexByte(s, '_'); i > 0 && n < 16; i = nextUnderscore(s, i) {
			if idents[s[:i]] && joined(s[i+1:], n+1) {
				return true
			}
		}
		return false
	}
	return joined(mid, 0)
}

// nextUnderscore returns the index of the next "_" of s after i, or -1.
func nextUnderscore(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '_')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func (b *builder) createTable(t *model.Table) {
	name := t.QualifiedName()
	obj := tableObj(t)
	b.change(obj, "missing in the database")
	attach, ownIndexes := b.attachesOnItsOwn(t)
	if attach {
		b.onItsOwn[name] = true
	}
	var parts []string
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Inherited && !attach {
			continue
		}
		parts = append(parts, columnDefinition(c))
	}
	var notValidBeforeAttach []model.Constraint
	for _, c := range t.Constraints {
		switch {
		case c.Type == "f":
			continue // added after the tables they reference, or cloned from the parent
		case c.Type == "c" && !c.Validated:
			// A CHECK that Git declares NOT VALID is added after, as Git adds it:
			// one written in CREATE TABLE would be validated. The parent's is
			// added before ATTACH PARTITION, which requires it.
			if c.Inherited && attach {
				notValidBeforeAttach = append(notValidBeforeAttach, c)
			}
			continue
		case c.Inherited && !(attach && (c.Type == "p" || c.Type == "u" || c.Type == "c")):
			continue
		}
		parts = append(parts, "CONSTRAINT "+q(c.Name)+" "+c.Definition)
	}
	var s strings.Builder
	s.WriteString("CREATE ")
	if t.Unlogged {
		s.WriteString("UNLOGGED ")
	}
	s.WriteString("TABLE " + name)
	if t.PartitionOf != "" && !attach {
		s.WriteString(" PARTITION OF " + t.PartitionOf)
		if len(parts) > 0 {
			s.WriteString(" (\n    " + strings.Join(parts, ",\n    ") + "\n)")
		}
		s.WriteString(" " + t.PartitionBound)
	} else {
		s.WriteString(" (")
		if len(parts) > 0 {
			s.WriteString("\n    " + strings.Join(parts, ",\n    ") + "\n")
		}
		s.WriteString(")")
		if len(t.Inherits) > 0 {
			s.WriteString(" INHERITS (" + strings.Join(t.Inherits, ", ") + ")")
		}
	}
	if t.PartitionKey != "" {
		s.WriteString(" PARTITION BY " + t.PartitionKey)
	}
	if t.AccessMethod != "" {
		s.WriteString(" USING " + q(t.AccessMethod))
	}
	if len(t.Options) > 0 {
		s.WriteString(" WITH (" + strings.Join(t.Options, ", ") + ")")
	}
	b.add(stageCreateTable, PhaseTransactional, lockNone, obj, s.String())
	for _, c := range notValidBeforeAttach {
		b.add(stageCreateTable, PhaseTransactional, lockNone, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
			"ALTER TABLE "+name+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition+" NOT VALID")
	}
	for _, x := range ownIndexes {
		// Adopted by the parent's index as the table is attached.
		ix := qn(x.Schema, x.Name)
		b.withTable[ix] = true
		b.add(stageCreateTable, PhaseTransactional, lockNone, "index "+x.Schema+"."+x.Name, rewriteIndexDef(x, x.Name, false, false), IndexBuild)
		if x.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, "index "+x.Schema+"."+x.Name, commentSQL("INDEX", ix, x.Comment))
		}
	}
	if attach {
		// After the parent's columns change (stageAlterTable): the table has its
		// columns as Git has them, which ATTACH PARTITION requires of the parent.
		b.onTable(t.PartitionOf).add(stageAddConstraint, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER TABLE "+t.PartitionOf+" ATTACH PARTITION "+name+" "+t.PartitionBound)
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Statistics >= 0 {
			b.onTable(name).add(stageAlterTable, PhaseTransactional, lockShareUpdateExclusive, columnObj(t, c.Name), fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STATISTICS %d", name, q(c.Name), c.Statistics))
		}
		if c.Storage != "" {
			b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STORAGE %s", name, q(c.Name), storageName(c.Storage)))
		}
		if len(c.Options) > 0 {
			b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET (%s)", name, q(c.Name), strings.Join(c.Options, ", ")))
		}
		if c.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, columnObj(t, c.Name), commentSQL("COLUMN", name+"."+q(c.Name), c.Comment))
		}
		if c.Inherited {
			// Columns that come from a parent carry the parent's defaults and NOT NULL;
			// local differences are set here (a table attached after has them
			// written in its CREATE TABLE).
			if pc := b.parentColumn(t, c.Name); pc != nil && !attach {
				if c.NotNull && !pc.NotNull {
					b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), "ALTER TABLE "+name+" ALTER COLUMN "+q(c.Name)+" SET NOT NULL")
				}
				if c.Default != pc.Default && c.Identity == "" && c.Generated == "" {
					if c.Default == "" {
						b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), "ALTER TABLE "+name+" ALTER COLUMN "+q(c.Name)+" DROP DEFAULT")
					} else {
						b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), "ALTER TABLE "+name+" ALTER COLUMN "+q(c.Name)+" SET DEFAULT "+c.Default)
					}
				}
			}
			continue
		}
		b.identityComment(nil, c)
	}
	for _, c := range t.Constraints {
		if c.Comment != "" {
			// Also on a constraint the table has from its parent: comments are
			// not inherited.
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name, commentSQL("CONSTRAINT", q(c.Name)+" ON "+name, c.Comment))
		}
		b.keyIndexComment(t, "", false, c, stageComment, PhaseTransactional)
		if c.Inherited {
			continue
		}
		if c.Type == "f" {
			b.onTable(name).add(stageAddForeignKey, PhaseTransactional, lockShareRowExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
				"ALTER TABLE "+name+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition+notValid(c))
		}
		if c.Type == "c" && !c.Validated {
			b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
				"ALTER TABLE "+name+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition+notValid(c))
		}
	}
	b.tableFlags(nil, t)
	if t.Comment != "" {
		b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("TABLE", name, t.Comment))
	}
}

// afterParentChanges returns the live column l of a partition or inheritance child
// as the plan's changes of the same column of its parent leave it: ALTER TABLE on
// the parent changes the type, default and NOT NULL of the children's inherited
// column too (and refuses a type change on a child alone).
func (b *builder) afterParentChanges(t *model.Table, l *model.Column) *model.Column {
	for _, p := range parentsOf(t) {
		lpt, dpt := b.liveTables[p], b.desiredTables[p]
		if lpt == nil || dpt == nil {
			continue
		}
		lp, dp := lpt.Column(l.Name), dpt.Column(l.Name)
		if lp == nil || dp == nil {
			continue
		}
		c := *l
		if lp.Type != dp.Type || lp.Collation != dp.Collation {
			c.Type, c.Collation = dp.Type, dp.Collation
		}
		if lp.Default != dp.Default {
			c.Default = dp.Default
		}
		if lp.NotNull != dp.NotNull {
			c.NotNull = dp.NotNull
		}
		return &c
	}
	return l
}

// mergedWithParent reports whether column col of table t, local in the database or
// in Git, is also inherited from a parent t keeps: the parent's ALTER COLUMN
// recurses to it all the same.
func (b *builder) mergedWithParent(t *model.Table, col string) bool {
	lt := b.liveTables[t.QualifiedName()]
	if lt == nil {
		return false
	}
	for _, p := range parentsOf(t) {
		if p != lt.PartitionOf && !contains(lt.Inherits, p) {
			continue
		}
		if lp := b.liveTables[p]; lp != nil && lp.Column(col) != nil {
			return true
		}
	}
	return false
}

// childMergingColumn returns an existing table that inherits column col from the
// existing table t and from another parent as well, or "".
func (b *builder) childMergingColumn(t *model.Table, col string) string {
	name := t.QualifiedName()
	if b.liveTables[name] == nil {
		return ""
	}
	for _, c := range b.live.Tables {
		if !contains(c.Inherits, name) {
			continue
		}
		for _, p := range c.Inherits {
			if lp := b.liveTables[p]; p != name && lp != nil && lp.Column(col) != nil {
				return c.QualifiedName()
			}
		}
	}
	return ""
}

// parentColumn returns the column of the (first) desired parent of t that t's
// inherited column name comes from, or nil.
func (b *builder) parentColumn(t *model.Table, name string) *model.Column {
	for _, p := range parentsOf(t) {
		if pt := b.desiredTables[p]; pt != nil {
			if c := pt.Column(name); c != nil {
				return c
			}
		}
	}
	return nil
}

// parentsOf returns the partitioned table of a partition, else the tables t
// inherits from.
func parentsOf(t *model.Table) []string {
	if t.PartitionOf != "" {
		return []string{t.PartitionOf}
	}
	return t.Inherits
}

// tableFlags plans row-level security and replica identity; l is nil for a new table.
func (b *builder) tableFlags(l, d *model.Table) {
	name := d.QualifiedName()
	obj := tableObj(d)
	var lRLS, lForce bool
	lRI, lRII := "d", ""
	if l != nil {
		lRLS, lForce, lRI, lRII = l.RowSecurity, l.ForceRowSecurity, l.ReplicaIdentity, l.ReplicaIdentityIndex
	}
	if lRLS != d.RowSecurity {
		if l != nil {
			b.change(obj, differs("row level security", onOff(lRLS), onOff(d.RowSecurity)))
		}
		// Enabled after the table's policies are created, disabled before they are
		// dropped: row level security is never on without them.
		stage := stageTableAfterIndex
		if !d.RowSecurity {
			stage = stageDropPolicy
		}
		b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" "+map[bool]string{true: "ENABLE", false: "DISABLE"}[d.RowSecurity]+" ROW LEVEL SECURITY")
	}
	if lForce != d.ForceRowSecurity {
		if l != nil {
			b.change(obj, differs("force row level security", onOff(lForce), onOff(d.ForceRowSecurity)))
		}
		b.onTable(name).add(stageTableAfterIndex, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" "+map[bool]string{true: "FORCE", false: "NO FORCE"}[d.ForceRowSecurity]+" ROW LEVEL SECURITY")
	}
	lCK := ""
	if l != nil {
		lCK = l.ClusterKey
	}
	if lCK != d.ClusterKey {
		if l != nil {
			b.change(obj, differs("clustered on", orNone(lCK), orNone(d.ClusterKey)))
		}
		// After the key, which may be built online.
		phase := PhaseTransactional
		if l != nil {
			phase = PhaseOnline
		}
		switch {
		case d.ClusterKey != "":
			b.onTable(name).add(stageTableAfterIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+name+" CLUSTER ON "+q(d.ClusterKey))
		case !b.clusteredIndex(name):
			b.onTable(name).add(stageTableAfterIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+name+" SET WITHOUT CLUSTER")
		}
	}
	if lRI != d.ReplicaIdentity || lRII != d.ReplicaIdentityIndex {
		if l != nil {
			b.change(obj, differs("replica identity", replicaIdentity(lRI, lRII), replicaIdentity(d.ReplicaIdentity, d.ReplicaIdentityIndex)))
		}
		phase := PhaseTransactional
		if d.ReplicaIdentity == "i" {
			// The index may be built concurrently by this plan: set it afterwards.
			phase = PhaseOnline
		}
		b.onTable(name).add(stageTableAfterIndex, phase, lockAccessExclusive, obj, "ALTER TABLE "+name+" REPLICA IDENTITY "+replicaIdentity(d.ReplicaIdentity, d.ReplicaIdentityIndex))
	}
}

func onOff(v bool) string {
	if v {
		return "enabled"
	}
	return "disabled"
}

func replicaIdentity(ri, idx string) string {
	switch ri {
	case "n":
		return "NOTHING"
	case "f":
		return "FULL"
	case "i":
		return "USING INDEX " + q(idx)
	}
	return "DEFAULT"
}

func (b *builder) alterTable(l, d *model.Table) error {
	name := d.QualifiedName()
	obj := tableObj(d)
	if l.PartitionKey != d.PartitionKey {
		b.change(obj, differs("partition key", l.PartitionKey, d.PartitionKey))
		b.block(obj, "the partition key cannot change in place: "+differs("partition key", l.PartitionKey, d.PartitionKey))
	}
	if l.PartitionOf != d.PartitionOf || l.PartitionBound != d.PartitionBound {
		b.change(obj, differs("partition of", strings.TrimSpace(l.PartitionOf+" "+l.PartitionBound), strings.TrimSpace(d.PartitionOf+" "+d.PartitionBound)))
		// Detached also when the old parent goes: dropping it would take the
		// partition along.
		if l.PartitionOf != "" {
			stage := stageAlterTable
			switch {
			case b.leftEarly[pairKey{name, l.PartitionOf}]:
				stage = stageDetachRecreated
			case b.keyDetachEarly(l, d):
				stage = stageDetachForIndex // reattach.go
			case b.detachEarly(l.PartitionOf, name):
				stage = stageDetachPartition
			}
			b.onTable(l.PartitionOf).add(stage, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+l.PartitionOf+" DETACH PARTITION "+name, AccessExclusiveLock)
		}
		if d.PartitionOf != "" {
			b.onTable(d.PartitionOf).add(stageAddConstraint, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER TABLE "+d.PartitionOf+" ATTACH PARTITION "+name+" "+d.PartitionBound, ValidationScan)
			b.checkLast(attachCheck(d))
		}
	}
	if stage := b.switchStage(l, d); strings.Join(l.Inherits, ",") != strings.Join(d.Inherits, ",") && stage != 0 {
		b.change(obj, differs("inherits", strings.Join(l.Inherits, ", "), strings.Join(d.Inherits, ", ")))
		// The new parents first: the columns and checks the table has only
		// from the old ones stay inherited only (their count never drops to 0).
		for _, p := range d.Inherits {
			if !contains(l.Inherits, p) {
				b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" INHERIT "+p, AccessExclusiveLock)
			}
		}
		for _, p := range l.Inherits {
			if !contains(d.Inherits, p) {
				b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" NO INHERIT "+p, AccessExclusiveLock)
			}
		}
	} else if strings.Join(l.Inherits, ",") != strings.Join(d.Inherits, ",") {
		b.change(obj, differs("inherits", strings.Join(l.Inherits, ", "), strings.Join(d.Inherits, ", ")))
		for _, p := range l.Inherits {
			if !contains(d.Inherits, p) {
				stage := stageAlterTable
				if b.leftEarly[pairKey{name, p}] {
					stage = stageDetachRecreated // its parent goes early
				}
				b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" NO INHERIT "+p, AccessExclusiveLock)
			}
		}
		for _, p := range d.Inherits {
			if !contains(l.Inherits, p) {
				readd := b.checksForInherit(l, d, p)
				b.onTable(name).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" INHERIT "+p, AccessExclusiveLock)
				for _, c := range readd {
					b.onTable(p).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, "constraint "+c.Name+" on "+p,
						"ALTER TABLE "+p+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition+notValid(c), ValidationScan, AccessExclusiveLock)
				}
			}
		}
	}
	if l.Unlogged != d.Unlogged {
		b.change(obj, differs("persistence", persistence(l.Unlogged), persistence(d.Unlogged)))
	}
	if l.AccessMethod != d.AccessMethod {
		b.change(obj, differs("access method", l.AccessMethod, d.AccessMethod))
		am := d.AccessMethod
		if am == "" {
			am = "heap"
		}
		b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" SET ACCESS METHOD "+q(am), TableRewrite, AccessExclusiveLock)
	}
	if strings.Join(l.Options, ",") != strings.Join(d.Options, ",") {
		b.change(obj, differs("storage parameters", strings.Join(l.Options, ", "), strings.Join(d.Options, ", ")))
		reset, set := optionChanges(l.Options, d.Options)
		if len(reset) > 0 {
			b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" RESET ("+strings.Join(reset, ", ")+")")
		}
		if len(set) > 0 {
			b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" SET ("+strings.Join(set, ", ")+")")
		}
	}
	b.tableFlags(l, d)
	if l.Comment != d.Comment {
		b.change(obj, differs("comment", l.Comment, d.Comment))
		b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("TABLE", name, d.Comment))
	}
	// A generated column that reads a column whose type changes blocks the type
	// change: it is dropped before and added again after.
	for i := range d.Columns {
		dc := &d.Columns[i]
		lc := l.Column(dc.Name)
		if lc == nil || lc.Generated == "" || dc.Generated == "" {
			continue
		}
		for j := range d.Columns {
			bc := &d.Columns[j]
			if lb := l.Column(bc.Name); lb != nil && (lb.Type != bc.Type || lb.Collation != bc.Collation) && mentionsIdent(lc.Generated, bc.Name) {
				b.forceRecreate[pairKey{name, dc.Name}] = true
			}
		}
	}
	var err error
	byName[model.Column]{
		key: func(c *model.Column) string { return c.Name },
		create: func(dc *model.Column) {
			if dc.Inherited && b.partitionLeftEarly(l, d) {
				// Added on its own, before it is attached again.
				c := *dc
				c.Inherited = false
				b.addColumn(d, &c)
				return
			}
			b.addColumn(d, dc)
		},
		alter: func(dc, lc *model.Column) {
			if err == nil {
				err = b.alterColumn(d, lc, dc)
			}
		},
		drop: func(lc *model.Column) {
			b.change(columnObj(d, lc.Name), "exists in the database, not in Git")
			if lc.Inherited && (b.leavesParentOf(l, d, lc.Name, true) || b.partitionLeftEarly(l, d) || b.leftWithColumn(l, d, lc.Name)) {
				// The table leaves the parents it has the column from, which leaves
				// the column to it as its own: it goes after (same stage, planned later).
				b.onTable(name).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(d, lc.Name), "ALTER TABLE "+name+" DROP COLUMN IF EXISTS "+q(lc.Name), DataLoss, AccessExclusiveLock)
				return
			}
			if lc.Inherited {
				return // goes with the parent's column or the NO INHERIT
			}
			stage := stageAlterTable
			if lc.Generated != "" || b.enumsSwapped[strings.TrimSuffix(lc.Type, "[]")] {
				// Before the columns its expression reads, which may go too; before
				// the swap of its enum, which does not convert it (swapEnum).
				stage = stageDropDependentColumn
			}
			only := ""
			if b.childrenKeepColumn(name, lc.Name) {
				// Every child keeps it as its own in Git: ONLY leaves it to them,
				// declared, with their rows.
				only = "ONLY "
			}
			b.onTable(name).add(stage, PhaseTransactional, lockAccessExclusive, columnObj(d, lc.Name), "ALTER TABLE "+only+name+" DROP COLUMN "+q(lc.Name), DataLoss, AccessExclusiveLock)
		},
	}.visit(d.Columns, l.Columns)
	return err
}

// switchParentsEarly reports whether the existing table l of classic
// inheritance, which leaves parents and gains others in Git (d), switches them
// with INHERIT of the new ones first, then NO INHERIT of the old, so that the
// columns and checks it has only from an old parent and gets only from a new
// one in Git stay inherited only (leaving first would make them its own for
// good); some column it has only inherited must come from a new parent. It is
// done early (switchStage: after the tables are created, before any column
// changes) when the table already has every column (same type, NOT NULL where
// the parent's is) and check of each new parent as it stands then, an existing
// one as in the database (what it gains later reaches the table by merging with
// the columns it has); else at the table's own turn, after its parents changed,
// when no old parent changes its columns (or it goes), and the table has every
// column and check of the new parents as Git has them.
func (b *builder) switchParentsEarly(l, d *model.Table) bool { return b.switchStage(l, d) != 0 }

// switchStage is the stage of the parent switch of switchParentsEarly, 0 when
// there is none.
func (b *builder) switchStage(l, d *model.Table) int {
	left := leftParents(l, d)
	if l.PartitionOf != "" || d.PartitionOf != "" || len(left) == 0 {
		return 0
	}
	for _, p := range left {
		if b.leftEarly[pairKey{l.QualifiedName(), p}] {
			return 0 // it leaves a parent that goes early (dropEarly)
		}
	}
	// fits: the table can INHERIT p as it stands then (cols: its columns,
	// checks: its checks), and p then has every column and check that the table
	// has only inherited and gets only from p in Git (they would become its own
	// once the old parents are left, for good).
	needed := false
	fits := func(dp, cols, checks *model.Table) bool {
		for _, pc := range cols.Columns {
			lc, dc := l.Column(pc.Name), d.Column(pc.Name)
			if lc == nil || dc == nil || lc.Type != pc.Type || lc.Collation != pc.Collation || pc.NotNull && !lc.NotNull {
				return false
			}
		}
		inheritable := func(c model.Constraint) bool { return c.Type == "c" && !strings.Contains(c.Definition, "NO INHERIT") }
		for _, pc := range checks.Constraints {
			if inheritable(pc) && !slices.ContainsFunc(l.Constraints, func(c model.Constraint) bool { return c.Name == pc.Name && c.Definition == pc.Definition }) {
				return false
			}
		}
		for _, pc := range dp.Columns {
			if lc, dc := l.Column(pc.Name), d.Column(pc.Name); lc != nil && dc != nil && lc.Inherited && dc.Inherited {
				needed = true
				if cols.Column(pc.Name) == nil {
					return false
				}
			}
		}
		for _, pc := range dp.Constraints {
			if !inheritable(pc) {
				continue
			}
			lc, dc := constraintNamed(l, pc.Name), constraintNamed(d, pc.Name)
			if lc != nil && dc != nil && lc.Inherited && dc.Inherited {
				needed = true
				if constraintNamed(checks, pc.Name) == nil {
					return false
				}
			}
		}
		return true
	}
	early, late := true, true
	for _, p := range d.Inherits {
		if contains(l.Inherits, p) {
			continue
		}
		dp := b.desiredTables[p]
		if dp == nil {
			return 0
		}
		if lp := b.liveTables[p]; lp != nil {
			// Early it stands as in the database; at the table's turn its columns
			// changed already (parents first), not yet its checks.
			early = early && fits(dp, lp, lp)
			late = late && fits(dp, dp, lp)
			for _, pc := range dp.Columns {
				if lc := l.Column(pc.Name); lc == nil || lc.Type != pc.Type {
					early = false // what it gains later must merge
				}
			}
		} else {
			early = early && fits(dp, dp, dp)
			late = late && fits(dp, dp, dp)
		}
	}
	if !needed {
		return 0
	}
	if early {
		return stageAddMergedColumn
	}
	for _, p := range left {
		lp, dp := b.liveTables[p], b.desiredTables[p]
		if lp == nil || dp == nil {
			continue // it goes at the end
		}
		for i := range lp.Columns {
			lc := &lp.Columns[i]
			dc := dp.Column(lc.Name)
			if dc == nil || dc.Type != lc.Type || dc.Collation != lc.Collation || dc.Default != lc.Default || dc.NotNull != lc.NotNull || dc.Generated != lc.Generated {
				late = false
			}
		}
	}
	if late {
		return stageAlterTable
	}
	return 0
}

// constraintNamed returns the constraint of t named name, or nil.
func constraintNamed(t *model.Table, name string) *model.Constraint {
	for i := range t.Constraints {
		if t.Constraints[i].Name == name {
			return &t.Constraints[i]
		}
	}
	return nil
}

// childrenKeepColumn reports whether the existing table parent, which drops
// column col, is a parent of classic inheritance some of whose children (in
// the database, each kept in Git under parent) keep the column in Git, declared
// by themselves, while the others drop it: ALTER TABLE ONLY parent DROP COLUMN
// then leaves it to each as its own (pg_attribute.attislocal), with their rows,
// instead of dropping it from them too; those that drop it do so themselves.
func (b *builder) childrenKeepColumn(parent, col string) bool {
	lp := b.liveTables[parent]
	if lp == nil || lp.PartitionKey != "" {
		return false
	}
	some := false
	for i := range b.live.Tables {
		lt := &b.live.Tables[i]
		if !contains(lt.Inherits, parent) {
			continue
		}
		dt := b.desiredTables[lt.QualifiedName()]
		if dt == nil || !contains(dt.Inherits, parent) || len(lt.Inherits) > 1 {
			return false
		}
		lc, dc := lt.Column(col), dt.Column(col)
		switch {
		case lc == nil:
			return false
		case dc == nil:
			continue // dropped by the child itself, after
		case dc.Inherited || lc.Type != dc.Type || b.recreatedColumns[pairKey{lt.QualifiedName(), col}]:
			return false
		}
		some = true
	}
	return some
}

// leftWithColumn reports whether every parent of classic inheritance that the
// existing table l has column col from leaves it (NO INHERIT) or drops the
// column ONLY (childrenKeepColumn): the column is then the table's own.
func (b *builder) leftWithColumn(l, d *model.Table, col string) bool {
	if l.PartitionOf != "" || len(l.Inherits) == 0 {
		return false
	}
	for _, p := range l.Inherits {
		lp := b.liveTables[p]
		if lp == nil || lp.Column(col) == nil || !contains(d.Inherits, p) {
			continue
		}
		if dp := b.desiredTables[p]; dp == nil || dp.Column(col) != nil || !b.childrenKeepColumn(p, col) {
			return false
		}
	}
	return true
}

// livePrimaryKeyReplaced returns the name of the live primary key of table d that
// holds column col when Git has another primary key (or none), and "" otherwise.
func livePrimaryKeyReplaced(d, l *model.Table, col string) string {
	if l == nil {
		return ""
	}
	for _, lc := range l.Constraints {
		if lc.Type != "p" || lc.Inherited || !mentionsIdent(lc.Definition, col) {
			continue
		}
		for _, dc := range d.Constraints {
			if dc.Name == lc.Name && dc.Type == "p" && dc.Definition == lc.Definition {
				return ""
			}
		}
		return lc.Name
	}
	return ""
}

// optionChanges returns the keys of live options ("key=value") to RESET and the
// desired options to SET.
func optionChanges(live, desired []string) (reset, set []string) {
	for _, o := range live {
		k, _, _ := strings.Cut(o, "=")
		if !hasOptionKey(desired, k) {
			reset = append(reset, k)
		}
	}
	for _, o := range desired {
		if !contains(live, o) {
			set = append(set, o)
		}
	}
	return reset, set
}

func hasOptionKey(opts []string, key string) bool {
	for _, o := range opts {
		if k, _, _ := strings.Cut(o, "="); k == key {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// volatileDefault guesses whether adding a column with this default rewrites the table:
// PostgreSQL 11+ stores a non-volatile default without a rewrite.
func volatileDefault(def string) bool {
	for _, f := range []string{"nextval(", "random(", "gen_random_uuid(", "uuid_generate", "clock_timestamp(", "timeofday("} {
		if strings.Contains(def, f) {
			return true
		}
	}
	return false
}

// partitionLeftEarly reports whether the existing partition l, attached again
// (to the same parent with another bound, or to another parent) as d, leaves its
// parent before the parent's columns change (detachEarly): the columns the
// parent adds or drops do not reach it, and are added or dropped on its own
// before it is attached again.
func (b *builder) partitionLeftEarly(l, d *model.Table) bool {
	return l.PartitionOf != "" && d.PartitionOf != "" && (l.PartitionOf != d.PartitionOf || l.PartitionBound != d.PartitionBound) &&
		(b.detachEarly(l.PartitionOf, l.QualifiedName()) || b.keyDetachEarly(l, d))
}

// detachEarly reports whether partition, which leaves the existing partitioned table
// parent (dropped, detached, moved or bound anew), leaves it before the tables are
// created: another partition of parent is created, attached or bound anew by the
// plan, and its bound may overlap partition's old one. The parent's columns must
// stay as they are: a partition detached before they change would miss the change
// (then it leaves after them, as any other).
func (b *builder) detachEarly(parent, partition string) bool {
	if !b.parentColumnsStay(parent) {
		return false
	}
	for _, t := range b.desired.Tables {
		name := t.QualifiedName()
		if t.PartitionOf != parent || name == partition {
			continue
		}
		if l := b.liveTables[name]; l == nil || l.PartitionOf != parent || l.PartitionBound != t.PartitionBound {
			return true
		}
	}
	return false
}

// parentColumnsStay reports whether the existing partitioned table parent
// stays with the same partition key and its columns as they are, but those it
// adds (which a partition detached first gets on its own, partitionLeftEarly).
func (b *builder) parentColumnsStay(parent string) bool {
	lp, dp := b.liveTables[parent], b.desiredTables[parent]
	if lp == nil || dp == nil || lp.PartitionKey == "" || lp.PartitionKey != dp.PartitionKey {
		return false
	}
	for i := range dp.Columns {
		dc := &dp.Columns[i]
		lc := lp.Column(dc.Name)
		if lc == nil {
			continue // added: a partition detached first gets it on its own (partitionLeftEarly)
		}
		if lc.Type != dc.Type || lc.Collation != dc.Collation || lc.Generated != dc.Generated ||
			lc.Default != dc.Default || lc.NotNull != dc.NotNull || lc.Identity != dc.Identity {
			return false
		}
	}
	return true
}

// keyDetachEarly reports whether the existing partition l, attached again as d
// (to its parent with another bound, or to another parent), leaves its parent
// before the indexes are dropped (stageDetachForIndex): one of its keys is
// attached to a partitioned index that goes, or goes or changes itself, and
// neither could go while it is attached (reattach.go). Its parent's columns
// must stay as they are (parentColumnsStay).
func (b *builder) keyDetachEarly(l, d *model.Table) bool {
	if l.PartitionOf == "" || d.PartitionOf == "" || l.PartitionOf == d.PartitionOf && l.PartitionBound == d.PartitionBound ||
		b.droppedTables[l.PartitionOf] || !b.parentColumnsStay(l.PartitionOf) {
		return false
	}
	for _, lc := range l.Constraints {
		if lc.ParentIndex != "" && (b.partitionedIndexGoes(lc.ParentIndex) || keyChanges(d, lc)) {
			return true
		}
	}
	return false
}

// checksForInherit plans what ALTER TABLE child INHERIT parent needs of the
// parent's inherited checks, which the child must have already: a check Git gives
// the child only through the parent is dropped from the parent before and returned
// by the caller to be added again after, so that it reaches the child (and the
// parent's other children) as inherited only, as in a database loaded from Git.
// Adding it to the child first would leave it local there.
func (b *builder) checksForInherit(l, d *model.Table, parent string) []model.Constraint {
	lp, dp := b.liveTables[parent], b.desiredTables[parent]
	if lp == nil || dp == nil {
		return nil
	}
	var out []model.Constraint
	for _, dc := range dp.Constraints {
		if dc.Type != "c" || strings.Contains(dc.Definition, "NO INHERIT") || hasConstraint(l, dc.Name) {
			continue
		}
		var lc *model.Constraint
		for i := range lp.Constraints {
			if lp.Constraints[i].Name == dc.Name {
				lc = &lp.Constraints[i]
			}
		}
		var childC *model.Constraint
		for i := range d.Constraints {
			if d.Constraints[i].Name == dc.Name {
				childC = &d.Constraints[i]
			}
		}
		if lc == nil || lc.Definition != dc.Definition || lc.Type != dc.Type || childC == nil || !childC.Inherited {
			continue // added with the parent's other constraints, or local in the child
		}
		b.onTable(parent).add(stageAlterTable, PhaseTransactional, lockAccessExclusive, "constraint "+dc.Name+" on "+parent,
			"ALTER TABLE "+parent+" DROP CONSTRAINT "+q(dc.Name), AccessExclusiveLock)
		b.inheritChecks[pairKey{d.QualifiedName(), dc.Name}] = true
		out = append(out, dc)
	}
	return out
}
