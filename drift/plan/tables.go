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
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/schemactl/schema-controller/drift/model"
)

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
	for i := range b.desired.Tables {
		t := &b.desired.Tables[i]
		if b.newTables[t.QualifiedName()] {
			create(t)
		}
	}
	for i := range b.desired.Tables {
		d := &b.desired.Tables[i]
		if l := b.liveTables[d.QualifiedName()]; l != nil {
			if err := b.alterTable(l, d); err != nil {
				return err
			}
		}
	}
	b.persistence()
	for i := range b.desired.Tables {
		d := &b.desired.Tables[i]
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
	for i := range b.live.Tables {
		t := &b.live.Tables[i]
		if b.droppedEarly[t.QualifiedName()] {
			b.change(tableObj(t), "exists in the database, not in Git")
			early = append(early, t.QualifiedName())
			b.dropForeignKeysOfDroppedTables(t.QualifiedName())
			continue
		}
		if b.droppedTables[t.QualifiedName()] {
			b.change(tableObj(t), "exists in the database, not in Git")
			dropped = append(dropped, t.QualifiedName())
			for _, c := range t.Constraints {
				if c.Type == "f" && !c.Inherited && !b.droppedTables[c.References] && b.referencedKeyReplaced(c) {
					// The key it references changes or goes (a primary key moving to
					// another column, whose old column goes): the constraint goes
					// first, not with its table at the end.
					b.add(stageDropConstraintFK, PhaseTransactional, lockAccessExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
						"ALTER TABLE "+t.QualifiedName()+" DROP CONSTRAINT IF EXISTS "+q(c.Name), AccessExclusiveLock)
				}
			}
			if t.PartitionOf != "" && !b.droppedTables[t.PartitionOf] && referenced[t.PartitionOf] {
				// A foreign key to the partitioned table holds on to each of its
				// partitions: the partition leaves the table before it is dropped.
				b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, tableObj(t), "ALTER TABLE "+t.PartitionOf+" DETACH PARTITION "+t.QualifiedName(), AccessExclusiveLock)
			}
		}
	}
	if len(early) > 0 {
		// A view takes the name: the table goes before the views are created, once
		// the views over it and the foreign keys to it are gone.
		b.add(stageDropRecreated, PhaseTransactional, lockAccessExclusive, "table "+strings.Join(early, ", "), "DROP TABLE "+strings.Join(early, ", "), DataLoss, AccessExclusiveLock)
	}
	if len(dropped) > 0 {
		// One statement: PostgreSQL resolves foreign keys, partitions and inheritance
		// among the tables it drops together.
		b.add(stageDropTable, PhaseTransactional, lockAccessExclusive, "table "+strings.Join(dropped, ", "), "DROP TABLE "+strings.Join(dropped, ", "), DataLoss, AccessExclusiveLock)
	}
	return nil
}

// dropEarly returns the tables to drop early so that a view of Git can take the
// name of dropped table name: it and its partitions and inheritance descendants,
// all of which go. It returns nil when the table is kept, or when Git keeps one
// of its descendants (which would have to leave it first).
func (b *builder) dropEarly(name string) []string {
	if !b.droppedTables[name] {
		return nil
	}
	out := []string{name}
	in := map[string]bool{name: true}
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
					return nil
				}
				in[t.QualifiedName()] = true
				out = append(out, t.QualifiedName())
				changed = true
				break
			}
		}
	}
	return out
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
		b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, tableObj(t), "ALTER TABLE "+t.QualifiedName()+" SET "+strings.ToUpper(persistence(t.Unlogged)), TableRewrite, AccessExclusiveLock)
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

// attachesOwnKey reports whether new partition t is created as a table of its own
// and then attached, rather than with PARTITION OF: its own primary key or unique
// constraint backs an index or key of its existing partitioned table. PARTITION
// OF would clone the parent's index or key first, under a name of its own, and
// leave t's key beside it; ATTACH PARTITION adopts t's key instead, as Git has it.
// Only for partitions whose parent has no CHECK constraint and no generated or
// identity column, which a table of its own would hold as local ones.
func (b *builder) attachesOwnKey(t *model.Table) bool {
	p := t.PartitionOf
	if p == "" || b.newTables[p] || b.liveTables[p] == nil || b.desiredTables[p] == nil {
		return false
	}
	for _, c := range b.desiredTables[p].Constraints {
		if c.Type == "c" {
			return false
		}
	}
	for i := range t.Columns {
		if t.Columns[i].Generated != "" || t.Columns[i].Identity != "" {
			return false
		}
	}
	hasLocalKey := false
	for _, c := range t.Constraints {
		switch {
		case c.Type != "p" && c.Type != "u":
		case !c.Inherited:
			hasLocalKey = true
		case c.Name != defaultKeyName(t.Name, c):
			return true // the parent's key, under the name of t's own key
		}
	}
	if !hasLocalKey {
		return false
	}
	// An existing unique index of the parent that no index of t in Git is
	// attached to: t's own key is.
	for _, x := range b.desired.Indexes {
		if x.Table != p || !x.Unique || x.ParentIndex != "" {
			continue
		}
		attached := false
		for _, y := range b.desired.Indexes {
			attached = attached || y.Table == t.QualifiedName() && y.ParentIndex == qn(x.Schema, x.Name)
		}
		if !attached {
			return true
		}
	}
	return false
}

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

func (b *builder) createTable(t *model.Table) {
	name := t.QualifiedName()
	obj := tableObj(t)
	b.change(obj, "missing in the database")
	attach := b.attachesOwnKey(t)
	var parts []string
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Inherited && !attach {
			continue
		}
		parts = append(parts, columnDefinition(c))
	}
	for _, c := range t.Constraints {
		if c.Type == "f" || c.Inherited && !(attach && (c.Type == "p" || c.Type == "u")) {
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
	if attach {
		b.add(stageCreateTable, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER TABLE "+t.PartitionOf+" ATTACH PARTITION "+name+" "+t.PartitionBound)
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Statistics >= 0 {
			b.add(stageAlterTable, PhaseTransactional, lockShareUpdateExclusive, columnObj(t, c.Name), fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STATISTICS %d", name, q(c.Name), c.Statistics))
		}
		if c.Storage != "" {
			b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STORAGE %s", name, q(c.Name), storageName(c.Storage)))
		}
		if len(c.Options) > 0 {
			b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET (%s)", name, q(c.Name), strings.Join(c.Options, ", ")))
		}
		if c.Inherited {
			// Columns that come from a parent carry the parent's defaults and NOT NULL;
			// local differences are set here.
			if pc := b.parentColumn(t, c.Name); pc != nil {
				if c.NotNull && !pc.NotNull {
					b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), "ALTER TABLE "+name+" ALTER COLUMN "+q(c.Name)+" SET NOT NULL")
				}
				if c.Default != pc.Default && c.Identity == "" && c.Generated == "" {
					if c.Default == "" {
						b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), "ALTER TABLE "+name+" ALTER COLUMN "+q(c.Name)+" DROP DEFAULT")
					} else {
						b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(t, c.Name), "ALTER TABLE "+name+" ALTER COLUMN "+q(c.Name)+" SET DEFAULT "+c.Default)
					}
				}
			}
			continue
		}
		if c.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, columnObj(t, c.Name), commentSQL("COLUMN", name+"."+q(c.Name), c.Comment))
		}
		b.identityComment(nil, c)
	}
	for _, c := range t.Constraints {
		if c.Inherited {
			continue
		}
		if c.Type == "f" {
			b.add(stageAddForeignKey, PhaseTransactional, lockShareRowExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
				"ALTER TABLE "+name+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition+notValid(c))
		}
		if c.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name, commentSQL("CONSTRAINT", q(c.Name)+" ON "+name, c.Comment))
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

func notValid(c model.Constraint) string {
	if !c.Validated {
		return " NOT VALID"
	}
	return ""
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
		b.add(stage, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" "+map[bool]string{true: "ENABLE", false: "DISABLE"}[d.RowSecurity]+" ROW LEVEL SECURITY")
	}
	if lForce != d.ForceRowSecurity {
		if l != nil {
			b.change(obj, differs("force row level security", onOff(lForce), onOff(d.ForceRowSecurity)))
		}
		b.add(stageTableAfterIndex, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" "+map[bool]string{true: "FORCE", false: "NO FORCE"}[d.ForceRowSecurity]+" ROW LEVEL SECURITY")
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
			b.add(stageTableAfterIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+name+" CLUSTER ON "+q(d.ClusterKey))
		case !b.clusteredIndex(name):
			b.add(stageTableAfterIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+name+" SET WITHOUT CLUSTER")
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
		b.add(stageTableAfterIndex, phase, lockAccessExclusive, obj, "ALTER TABLE "+name+" REPLICA IDENTITY "+replicaIdentity(d.ReplicaIdentity, d.ReplicaIdentityIndex))
	}
}

// clusteredIndex reports whether Git clusters table on one of its plain indexes.
func (b *builder) clusteredIndex(table string) bool {
	for _, x := range b.desired.Indexes {
		if x.Table == table && x.Clustered {
			return true
		}
	}
	return false
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
			b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+l.PartitionOf+" DETACH PARTITION "+name, AccessExclusiveLock)
		}
		if d.PartitionOf != "" {
			b.add(stageAddConstraint, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER TABLE "+d.PartitionOf+" ATTACH PARTITION "+name+" "+d.PartitionBound, ValidationScan)
		}
	}
	if strings.Join(l.Inherits, ",") != strings.Join(d.Inherits, ",") {
		b.change(obj, differs("inherits", strings.Join(l.Inherits, ", "), strings.Join(d.Inherits, ", ")))
		for _, p := range l.Inherits {
			if !contains(d.Inherits, p) {
				b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" NO INHERIT "+p, AccessExclusiveLock)
			}
		}
		for _, p := range d.Inherits {
			if !contains(l.Inherits, p) {
				b.add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" INHERIT "+p, AccessExclusiveLock)
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
		b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" SET ACCESS METHOD "+q(am), TableRewrite, AccessExclusiveLock)
	}
	if strings.Join(l.Options, ",") != strings.Join(d.Options, ",") {
		b.change(obj, differs("storage parameters", strings.Join(l.Options, ", "), strings.Join(d.Options, ", ")))
		reset, set := optionChanges(l.Options, d.Options)
		if len(reset) > 0 {
			b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" RESET ("+strings.Join(reset, ", ")+")")
		}
		if len(set) > 0 {
			b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" SET ("+strings.Join(set, ", ")+")")
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
	for i := range d.Columns {
		dc := &d.Columns[i]
		lc := l.Column(dc.Name)
		if lc == nil {
			b.addColumn(d, dc)
			continue
		}
		if err := b.alterColumn(d, lc, dc); err != nil {
			return err
		}
	}
	for i := range l.Columns {
		lc := &l.Columns[i]
		if d.Column(lc.Name) == nil {
			b.change(columnObj(d, lc.Name), "exists in the database, not in Git")
			if lc.Inherited {
				continue // goes with the parent's column or the NO INHERIT
			}
			b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, columnObj(d, lc.Name), "ALTER TABLE "+name+" DROP COLUMN "+q(lc.Name), DataLoss, AccessExclusiveLock)
		}
	}
	return nil
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

func (b *builder) addColumn(t *model.Table, c *model.Column) {
	obj := columnObj(t, c.Name)
	b.change(obj, "missing in the database")
	if c.Inherited {
		return // added by the parent
	}
	hz := []Hazard{AccessExclusiveLock}
	if c.Generated != "" || c.Identity != "" || volatileDefault(c.Default) {
		hz = append(hz, TableRewrite)
	}
	if c.NotNull && c.Default == "" && c.Generated == "" && c.Identity == "" {
		hz = append(hz, ValidationScan)
	}
	name := t.QualifiedName()
	b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ADD COLUMN "+columnDefinition(c), hz...)
	if c.Statistics >= 0 {
		b.add(stageAlterTable, PhaseTransactional, lockShareUpdateExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STATISTICS %d", name, q(c.Name), c.Statistics))
	}
	if c.Storage != "" {
		b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STORAGE %s", name, q(c.Name), storageName(c.Storage)))
	}
	if len(c.Options) > 0 {
		b.add(stageAlterTable, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET (%s)", name, q(c.Name), strings.Join(c.Options, ", ")))
	}
	if c.Comment != "" {
		b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("COLUMN", name+"."+q(c.Name), c.Comment))
	}
	b.identityComment(nil, c)
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
	if l.Inherited && d.Inherited {
		l = b.afterParentChanges(t, l)
	}
	name := t.QualifiedName()
	obj := columnObj(t, d.Name)
	col := q(d.Name)
	alterLocking := func(lock, sql string, hz ...Hazard) {
		b.add(stageAlterTable, PhaseTransactional, lock, obj, "ALTER TABLE "+name+" ALTER COLUMN "+col+" "+sql, hz...)
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
		b.add(stageDropDependentColumn, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" DROP COLUMN "+col, hz...)
		b.add(stageAddDependentColumn, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ADD COLUMN "+columnDefinition(d), hz...)
		b.recreatedColumns[pairKey{name, d.Name}] = true
		if d.Statistics >= 0 {
			b.add(stageAddDependentColumn, PhaseTransactional, lockShareUpdateExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STATISTICS %d", name, col, d.Statistics))
		}
		if d.Storage != "" {
			b.add(stageAddDependentColumn, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET STORAGE %s", name, col, storageName(d.Storage)))
		}
		if len(d.Options) > 0 {
			b.add(stageAddDependentColumn, PhaseTransactional, lockAccessExclusive, obj, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET (%s)", name, col, strings.Join(d.Options, ", ")))
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
	if l.Identity != "" && d.Identity == "" {
		b.change(obj, differs("identity", identityName(l.Identity), "none"))
		// Early: the identity sequence goes with it, and a new sequence of this plan
		// may take its name (identity → serial).
		b.add(stageDropIdentity, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+name+" ALTER COLUMN "+col+" DROP IDENTITY")
	}
	defaultChanged := l.Default != d.Default
	if l.Default != "" && (defaultChanged || typeChanged) {
		// A default that cannot be cast to a new type makes ALTER TYPE fail: drop it
		// first and set the desired one after the type change.
		if defaultChanged {
			b.change(obj, differs("default", l.Default, d.Default))
		}
		alter("DROP DEFAULT")
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
		alter(sql, hz...)
		if l.Type != d.Type && (hasHazard(hz, TableRewrite) || strings.Contains(sql, " USING ")) && !b.online.composites[strings.TrimSuffix(d.Type, "[]")] {
			_, using, _ := strings.Cut(sql, " USING ")
			b.checkLast(typeCheck(name, t.Schema, t.Name, d.Name, d.Type, using))
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
			var opts []string
			if lo.Increment != do.Increment {
				opts = append(opts, fmt.Sprintf("SET INCREMENT BY %d", do.Increment))
			}
			if lo.Min != do.Min {
				opts = append(opts, fmt.Sprintf("SET MINVALUE %d", do.Min))
			}
			if lo.Max != do.Max && !(typeChanged && lo.Type != do.Type) {
				opts = append(opts, fmt.Sprintf("SET MAXVALUE %d", do.Max))
			}
			if lo.Start != do.Start {
				opts = append(opts, fmt.Sprintf("SET START WITH %d", do.Start))
			}
			if lo.Cache != do.Cache {
				opts = append(opts, fmt.Sprintf("SET CACHE %d", do.Cache))
			}
			if lo.Name != do.Name {
				b.change(obj, differs("identity sequence", lo.Name, do.Name))
				_, newName, _ := strings.Cut(do.Name, ".")
				b.add(stageAlterTable, PhaseTransactional, lockNone, obj, "ALTER SEQUENCE "+lo.Name+" RENAME TO "+newName)
			}
			if lo.Cycle != do.Cycle {
				opts = append(opts, map[bool]string{true: "SET CYCLE", false: "SET NO CYCLE"}[do.Cycle])
			}
			if len(opts) > 0 {
				b.change(obj, "identity options differ")
				restart, carry, problem := sequenceRestart(lo.Position, lo.Start, do.Start, do.Increment, do.Min, do.Max)
				if problem != "" {
					b.block(obj, "identity "+problem)
					break
				}
				if restart {
					opts = append(opts, "RESTART")
				}
				alter(strings.Join(opts, " "))
				if carry && !typeChanged {
					agg := map[bool]string{true: "max", false: "min"}[do.Increment > 0]
					b.add(stageAlterTable, PhaseTransactional, lockNone, obj, carryOver(fmt.Sprintf("pg_catalog.pg_get_serial_sequence(%s, %s)", lit(name), lit(d.Name)),
						do.Start, do.Increment, fmt.Sprintf("(SELECT %s(%s) FROM %s)", agg, col, name)))
				}
			}
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

// constraints plans the constraints of table d; l is nil for a new table (its
// constraints were created with it).
func (b *builder) constraints(l, d *model.Table) {
	if l == nil {
		return
	}
	name := d.QualifiedName()
	cobj := func(c string) string { return "constraint " + c + " on " + d.Schema + "." + d.Name }
	live := map[string]model.Constraint{}
	for _, c := range l.Constraints {
		live[c.Name] = c
	}
	for _, dc := range d.Constraints {
		lc, ok := live[dc.Name]
		if ok && dc.Inherited && lc.Inherited {
			continue // owned by the parent
		}
		if !ok && dc.Inherited && d.PartitionOf != "" {
			b.partitionKey(l, d, dc)
			continue
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
				continue
			}
		}
		if ok && replace {
			stage := stageDropConstraint
			if lc.Type == "f" {
				stage = stageDropConstraintFK
			}
			b.add(stage, PhaseTransactional, lockAccessExclusive, cobj(dc.Name), "ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(dc.Name), AccessExclusiveLock)
		}
		if !ok || replace {
			b.addConstraint(d, dc)
			if dc.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, cobj(dc.Name), commentSQL("CONSTRAINT", q(dc.Name)+" ON "+name, dc.Comment))
			}
			continue
		}
		if lc.Validated && !dc.Validated {
			b.note(cobj(dc.Name), notValidKept)
		}
		if !lc.Validated && dc.Validated {
			b.change(cobj(dc.Name), "not validated in the database")
			b.add(stageAddConstraint, PhaseOnline, lockShareUpdateExclusive, cobj(dc.Name), "ALTER TABLE "+name+" VALIDATE CONSTRAINT "+q(dc.Name), ValidationScan)
		}
		if lc.Comment != dc.Comment {
			b.change(cobj(dc.Name), differs("comment", lc.Comment, dc.Comment))
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, cobj(dc.Name), commentSQL("CONSTRAINT", q(dc.Name)+" ON "+name, dc.Comment))
		}
	}
	for _, lc := range l.Constraints {
		cols := b.pkNotNullDrops[pairKey{name, lc.Name}]
		phase, stage := PhaseTransactional, stageAlterTable
		if b.online.droppedKeys[pairKey{name, lc.Name}] {
			phase, stage = PhaseOnline, stageTableAfterIndex
		}
		for _, c := range cols {
			b.add(stage, phase, lockAccessExclusive, columnObj(d, c), "ALTER TABLE "+name+" ALTER COLUMN "+q(c)+" DROP NOT NULL")
		}
	}
	desired := map[string]bool{}
	for _, c := range d.Constraints {
		desired[c.Name] = true
	}
	for _, lc := range l.Constraints {
		if desired[lc.Name] || lc.Inherited || b.online.droppedKeys[pairKey{name, lc.Name}] {
			continue
		}
		b.change(cobj(lc.Name), "exists in the database, not in Git")
		stage := stageDropConstraint
		if lc.Type == "f" {
			stage = stageDropConstraintFK
		}
		b.add(stage, PhaseTransactional, lockAccessExclusive, cobj(lc.Name), "ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(lc.Name), AccessExclusiveLock)
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
	b.add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, add, IndexBuild, AccessExclusiveLock)
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
			b.add(stage, PhaseTransactional, constraintLock(c), obj, add+" NOT VALID")
			return
		}
		if c.Type == "f" && t.PartitionKey != "" {
			// PostgreSQL cannot add a foreign key NOT VALID to a partitioned
			// table: it is validated as it is added.
			b.add(stage, PhaseTransactional, constraintLock(c), obj, add, ValidationScan)
			return
		}
		// Added NOT VALID in the transaction (a short lock), validated online
		// afterwards without blocking writes.
		b.add(stage, PhaseTransactional, constraintLock(c), obj, add+" NOT VALID")
		added := b.seq
		b.add(stage, PhaseOnline, lockShareUpdateExclusive, obj, "ALTER TABLE "+name+" VALIDATE CONSTRAINT "+q(c.Name), ValidationScan)
		b.revertsLast(added)
		// A constraint that cannot be validated goes again: left NOT VALID it would
		// refuse the application's writes although the apply failed.
		b.cleanupLast("ALTER TABLE " + name + " DROP CONSTRAINT IF EXISTS " + q(c.Name))
		if c.Type == "c" && b.liveTables[name] != nil {
			b.checkLast(constraintCheck(name, obj, c.Definition))
		}
	default:
		b.add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, add, IndexBuild, AccessExclusiveLock)
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

// indexes plans the indexes that do not back constraints.
func (b *builder) indexes() error {
	live := map[string]model.Index{}
	for _, x := range b.live.Indexes {
		live[qn(x.Schema, x.Name)] = x
	}
	// built are the indexes this plan creates or creates again: a partitioned
	// index is created without ONLY, and PostgreSQL creates the partitions' indexes
	// or attaches those that match (partitionIndexes creates them first, under
	// their names in Git). An invalid partitioned index is made valid by attaching
	// the partitions' indexes it lacks, not built again.
	built := map[string]bool{}
	for _, x := range b.desired.Indexes {
		l, ok := live[qn(x.Schema, x.Name)]
		t := b.desiredTables[x.Table]
		partitioned := t != nil && t.PartitionKey != ""
		// Storage parameters alone change in place, except on a partitioned index
		// (PostgreSQL cannot ALTER INDEX ... SET there).
		changed := l.Definition != x.Definition && !(l.Valid && !partitioned && sameButOptions(l.Definition, x.Definition))
		if x.ParentIndex == "" && (!ok || changed || !l.Valid && !partitioned || b.mentionsRecreatedColumn(x.Table, x.Definition)) {
			built[qn(x.Schema, x.Name)] = true
		}
	}
	desiredIdx := map[string]bool{}
	for _, x := range b.desired.Indexes {
		desiredIdx[qn(x.Schema, x.Name)] = true
	}
	// gone reports whether a live index goes with a partitioned index this plan
	// drops or builds again (PostgreSQL drops the partitions' indexes with it).
	var gone func(l model.Index) bool
	gone = func(l model.Index) bool {
		if l.ParentIndex == "" {
			return false
		}
		if !desiredIdx[l.ParentIndex] || built[l.ParentIndex] {
			return true
		}
		p, ok := live[l.ParentIndex]
		return ok && gone(p)
	}
	b.partitionIndexes(live, built, gone)
	desired := map[string]bool{}
	for _, x := range b.desired.Indexes {
		name := qn(x.Schema, x.Name)
		desired[name] = true
		obj := "index " + x.Schema + "." + x.Name
		l, ok := live[name]
		if x.ParentIndex != "" {
			continue // partitionIndexes
		}
		if ok && gone(l) {
			// Attached to a partitioned index that goes: it goes too, and is
			// created again on its own.
			b.change(obj, "goes with the partitioned index "+l.ParentIndex+"; created again")
			ok = false
			built[name] = true
		}
		table := b.desiredTables[x.Table]
		partitioned := table != nil && table.PartitionKey != ""
		// A unique index a foreign key of the plan may rest on is built inside
		// the transaction, before the foreign keys (stageCreateKeyIndex).
		keyIndex := x.Unique && b.online.fkTargets[x.Table]
		online := !b.newTables[x.Table] && !partitioned && !keyIndex
		phase := PhaseTransactional
		if online {
			phase = PhaseOnline
		}
		buildStage := stageCreateIndex
		if keyIndex {
			buildStage = stageCreateKeyIndex
		}
		rebuild := ok && b.rebuildIndexes[name]
		// riKept: the index is its table's replica identity in the database and in
		// Git; dropping it takes the replica identity away, so a replacement sets it
		// again.
		lt := b.liveTables[x.Table]
		riKept := ok && table != nil && table.ReplicaIdentity == "i" && table.ReplicaIdentityIndex == x.Name &&
			lt != nil && lt.ReplicaIdentity == "i" && lt.ReplicaIdentityIndex == x.Name
		switch {
		case !ok:
			b.change(obj, "missing in the database")
			b.add(buildStage, phase, indexLock(online), obj, rewriteIndexDef(x, x.Name, online, false), IndexBuild)
			if online {
				b.cleanupLast("DROP INDEX CONCURRENTLY IF EXISTS " + name)
			}
			b.checkUniqueIndex(x, obj)
		case rebuild:
			// It mentions an enum this plan swaps: it goes before the swap and comes
			// back after it, in the same transaction so that a unique index never
			// stops being enforced.
			if l.Definition != x.Definition {
				b.change(obj, differs("definition", l.Definition, x.Definition))
			}
			b.add(stageDropIndex, PhaseTransactional, lockAccessExclusive, obj, "DROP INDEX IF EXISTS "+name)
			b.add(buildStage, PhaseTransactional, lockShare, obj, rewriteIndexDef(x, x.Name, false, false), IndexBuild)
			phase = PhaseTransactional
		case !l.Valid && online:
			b.change(obj, "invalid in the database (an interrupted concurrent build)")
			b.add(stageCreateIndex, PhaseOnline, lockShareUpdateExclusive, obj, "DROP INDEX CONCURRENTLY IF EXISTS "+name)
			b.add(stageCreateIndex, PhaseOnline, lockShareUpdateExclusive, obj, rewriteIndexDef(x, x.Name, true, false), IndexBuild)
			b.cleanupLast("DROP INDEX CONCURRENTLY IF EXISTS " + name)
			b.checkUniqueIndex(x, obj)
		case l.Valid && !partitioned && l.Definition != x.Definition && b.indexOptionsOnly(obj, name, l.Definition, x.Definition):
			// Only the storage parameters differ: ALTER INDEX, no rebuild.
		case l.Definition != x.Definition || !l.Valid && !partitioned:
			b.change(obj, differs("definition", l.Definition, x.Definition))
			if online {
				// Build the replacement first, then swap: there is never a moment
				// without the index.
				tmp := tempIndexName(x.Name)
				dropTmp := "DROP INDEX CONCURRENTLY IF EXISTS " + qn(x.Schema, tmp)
				b.add(stageCreateIndex, PhaseOnline, lockShareUpdateExclusive, obj, dropTmp)
				b.add(stageCreateIndex, PhaseOnline, lockShareUpdateExclusive, obj, rewriteIndexDef(x, tmp, true, false), IndexBuild)
				b.cleanupLast(dropTmp)
				b.checkUniqueIndex(x, obj)
				cleanup := []string{dropTmp}
				reverts := []int{b.seq}
				if riKept {
					// Dropping the replica identity's index would leave the table
					// without one: the replacement takes over first.
					b.add(stageCreateIndex, PhaseOnline, lockAccessExclusive, obj, "ALTER TABLE "+x.Table+" REPLICA IDENTITY USING INDEX "+q(tmp))
					b.cleanupLast(dropTmp)
					b.revertsLast(reverts...)
					reverts = append(reverts, b.seq)
					// A failed swap gives the replica identity back to the old index
					// before the replacement goes.
					cleanup = []string{"ALTER TABLE " + x.Table + " REPLICA IDENTITY USING INDEX " + q(x.Name), dropTmp}
					riKept = false
				}
				// The swap is one statement (one implicit transaction): either the
				// replacement has the name or the old index is still there, never
				// neither. DROP INDEX (not CONCURRENTLY) holds ACCESS EXCLUSIVE only for
				// the catalog change, bounded by lock_timeout.
				b.add(stageCreateIndex, PhaseOnline, lockAccessExclusive, obj, "DROP INDEX IF EXISTS "+name+";\nALTER INDEX "+qn(x.Schema, tmp)+" RENAME TO "+q(x.Name))
				b.cleanupLast(cleanup...)
				b.revertsLast(reverts...)
			} else {
				b.dropForeignKeysOfDroppedTables(l.Table)
				b.add(stageDropIndex, PhaseTransactional, lockAccessExclusive, obj, "DROP INDEX IF EXISTS "+name)
				b.add(buildStage, PhaseTransactional, lockShare, obj, rewriteIndexDef(x, x.Name, false, false), IndexBuild)
			}
		case b.mentionsRecreatedColumn(x.Table, x.Definition):
			// The column under it was dropped and added again in the transaction.
			b.add(buildStage, phase, indexLock(online), obj, rewriteIndexDef(x, x.Name, online, true), IndexBuild)
		}
		created := built[name] || rebuild
		if created && riKept {
			b.add(stageCreateIndex, phase, lockAccessExclusive, obj, "ALTER TABLE "+x.Table+" REPLICA IDENTITY USING INDEX "+q(x.Name))
		}
		if (ok && l.Comment != x.Comment) || (created && x.Comment != "") {
			if ok && l.Comment != x.Comment {
				b.change(obj, differs("comment", l.Comment, x.Comment))
			}
			b.add(stageCreateIndex, phase, lockShareUpdateExclusive, obj, commentSQL("INDEX", name, x.Comment))
		}
		if (ok && l.Clustered != x.Clustered && !created) || (created && x.Clustered) {
			if ok && l.Clustered != x.Clustered {
				b.change(obj, differs("clustered", fmt.Sprint(l.Clustered), fmt.Sprint(x.Clustered)))
			}
			if x.Clustered {
				b.add(stageCreateIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+x.Table+" CLUSTER ON "+q(x.Name))
			} else {
				b.add(stageCreateIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+x.Table+" SET WITHOUT CLUSTER")
			}
		}
		var lstats []string
		if ok && !created {
			lstats = l.Statistics
		}
		if strings.Join(lstats, ",") != strings.Join(x.Statistics, ",") {
			if ok && !created {
				b.change(obj, differs("statistics targets", strings.Join(l.Statistics, ", "), strings.Join(x.Statistics, ", ")))
			}
			for _, st := range indexStatisticsChanges(lstats, x.Statistics) {
				b.add(stageCreateIndex, phase, lockShareUpdateExclusive, obj, "ALTER INDEX "+name+" ALTER COLUMN "+st)
			}
		}
	}
	var drops []model.Index
	for _, x := range b.live.Indexes {
		if !desired[qn(x.Schema, x.Name)] && !b.droppedTables[x.Table] {
			drops = append(drops, x)
		}
	}
	sort.Slice(drops, func(i, j int) bool { return drops[i].Name < drops[j].Name })
	for _, x := range drops {
		obj := "index " + x.Schema + "." + x.Name
		b.change(obj, "exists in the database, not in Git")
		if x.ParentIndex != "" {
			if !gone(x) && !b.droppedTables[x.Table] {
				// An index attached to a partitioned index cannot be detached
				// or dropped on its own.
				b.block(obj, "partition index attached to "+x.ParentIndex+" in the database, not in Git: it cannot be detached or dropped without its partitioned index")
			}
			continue // goes with its parent index
		}
		if b.online.keys[qn(x.Schema, x.Name)] {
			continue // dropped as its constraint takes its place (onlineKey)
		}
		lt := b.liveTables[x.Table]
		if lt != nil && lt.PartitionKey != "" || b.constraintNamed(x.Schema, x.Name) || b.rebuildIndexes[qn(x.Schema, x.Name)] ||
			b.mayUseDroppedExtension(x) {
			// Partitioned indexes cannot be dropped concurrently; an index whose name
			// a new constraint's index takes, that mentions an enum this plan swaps,
			// or that may use an operator class or function of an extension this
			// plan drops, must be gone before the transaction needs it gone.
			b.add(stageDropIndex, PhaseTransactional, lockAccessExclusive, obj, "DROP INDEX IF EXISTS "+qn(x.Schema, x.Name))
			continue
		}
		b.add(stageDropIndex, PhaseOnline, lockShareUpdateExclusive, obj, "DROP INDEX CONCURRENTLY IF EXISTS "+qn(x.Schema, x.Name))
	}
	return nil
}

// indexOptionsOnly plans ALTER INDEX ... SET/RESET when two renderings of an index
// differ only in their storage parameters (WITH (...)), and reports whether they do.
func (b *builder) indexOptionsOnly(obj, name, live, desired string) bool {
	lrest, lopts := cutIndexOptions(live)
	drest, dopts := cutIndexOptions(desired)
	if lrest != drest {
		return false
	}
	b.change(obj, differs("storage parameters", strings.Join(lopts, ", "), strings.Join(dopts, ", ")))
	reset, set := optionChanges(lopts, dopts)
	if len(reset) > 0 {
		b.add(stageCreateIndex, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER INDEX "+name+" RESET ("+strings.Join(reset, ", ")+")")
	}
	if len(set) > 0 {
		b.add(stageCreateIndex, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER INDEX "+name+" SET ("+strings.Join(set, ", ")+")")
	}
	return true
}

// sameButOptions reports whether two index definitions differ at most in their
// storage parameters.
func sameButOptions(a, b string) bool {
	ra, _ := cutIndexOptions(a)
	rb, _ := cutIndexOptions(b)
	return ra == rb
}

// cutIndexOptions splits pg_get_indexdef's " WITH (k=v, ...)" out of an index
// definition, returning the rest and the options.
func cutIndexOptions(def string) (string, []string) {
	i := strings.Index(def, " WITH (")
	if i < 0 {
		return def, nil
	}
	depth, inQuote := 0, false
	for j := i + len(" WITH "); j < len(def); j++ {
		switch c := def[j]; {
		case c == '\'':
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				inner := def[i+len(" WITH (") : j]
				var opts []string
				for _, o := range splitTopLevel(inner) {
					opts = append(opts, strings.TrimSpace(o))
				}
				return def[:i] + def[j+1:], opts
			}
		}
	}
	return def, nil
}

// splitTopLevel splits s at commas outside single quotes.
func splitTopLevel(s string) []string {
	var out []string
	start, inQuote := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
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
				b.add(stageDropConstraintFK, PhaseTransactional, lockAccessExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
					"ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(c.Name), AccessExclusiveLock)
			}
		}
	}
}

// partitionIndexes plans the indexes of partitions that are attached to a
// partitioned index in Git. They are created under their own names before the
// partitioned index they belong to (deepest partitions first), which adopts them,
// and attached explicitly when that index already exists; an index left
// unattached by hand is attached. An index of a new partition comes with CREATE
// TABLE ... PARTITION OF when its partitioned index exists already.
func (b *builder) partitionIndexes(live map[string]model.Index, built map[string]bool, gone func(model.Index) bool) {
	desired := map[string]model.Index{}
	var children []model.Index
	for _, x := range b.desired.Indexes {
		desired[qn(x.Schema, x.Name)] = x
		if x.ParentIndex != "" {
			children = append(children, x)
		}
	}
	depth := func(x model.Index) int {
		n := 0
		for p, ok := x, true; ok && p.ParentIndex != "" && n < 32; n++ {
			p, ok = desired[p.ParentIndex]
		}
		return n
	}
	sort.SliceStable(children, func(i, j int) bool { return depth(children[i]) > depth(children[j]) })
	created := map[string]bool{}
	for _, x := range children {
		name := qn(x.Schema, x.Name)
		obj := "index " + x.Schema + "." + x.Name
		l, ok := live[name]
		parentNew := built[x.ParentIndex] || created[x.ParentIndex]
		lt, dt := b.liveTables[x.Table], b.desiredTables[x.Table]
		if ok && l.ParentIndex != "" && lt != nil && dt != nil && lt.PartitionOf != "" && lt.PartitionOf != dt.PartitionOf {
			// The partition leaves its parent (alterTable): DETACH PARTITION
			// detaches its indexes too.
			l.ParentIndex = ""
		}
		// attaching: the partition is attached by this plan (stageAddConstraint),
		// which adopts a matching index or creates one: its index comes first.
		attaching := lt != nil && dt != nil && dt.PartitionOf != "" && lt.PartitionOf != dt.PartitionOf
		stage := stagePartitionIndex
		if attaching {
			stage = stageAlterTable
		}
		attach := "ALTER INDEX " + x.ParentIndex + " ATTACH PARTITION " + name
		switch {
		case b.newTables[x.Table] && !parentNew:
			if !ok {
				b.change(obj, "missing in the database")
			}
		case !ok || gone(l):
			if ok {
				b.change(obj, "goes with the partitioned index "+l.ParentIndex+"; created again")
			} else {
				b.change(obj, "missing in the database")
			}
			b.add(stage, PhaseTransactional, lockShare, obj, rewriteIndexDef(x, x.Name, false, false), IndexBuild)
			b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, attach)
			created[name] = true
		case l.Definition != x.Definition && l.ParentIndex == "":
			b.change(obj, differs("definition", l.Definition, x.Definition))
			b.add(stageDropIndex, PhaseTransactional, lockAccessExclusive, obj, "DROP INDEX IF EXISTS "+name)
			b.add(stage, PhaseTransactional, lockShare, obj, rewriteIndexDef(x, x.Name, false, false), IndexBuild)
			b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, attach)
			created[name] = true
		case l.Definition != x.Definition && b.indexOptionsOnly(obj, name, l.Definition, x.Definition):
			// Only the storage parameters differ: ALTER INDEX on the partition's index.
		case l.Definition != x.Definition:
			what := differs("definition", l.Definition, x.Definition)
			b.change(obj, what)
			b.block(obj, "partition index "+what+": it is attached to "+l.ParentIndex+" and cannot change on its own")
		case l.ParentIndex != x.ParentIndex:
			b.change(obj, differs("attached to", orNone(l.ParentIndex), x.ParentIndex))
			if l.ParentIndex != "" {
				b.block(obj, "partition index attached to "+l.ParentIndex+" in the database, to "+x.ParentIndex+" in Git: an index cannot be detached")
				continue
			}
			b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, attach)
		}
		if ok && !gone(l) && !created[name] && l.Comment != x.Comment {
			b.change(obj, differs("comment", l.Comment, x.Comment))
			b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("INDEX", name, x.Comment))
		} else if created[name] && x.Comment != "" {
			b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("INDEX", name, x.Comment))
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// mayUseDroppedExtension reports whether the index's columns, expressions or
// predicate mention an object of the schema of an extension this plan drops
// (pg_get_indexdef qualifies every name outside pg_catalog).
func (b *builder) mayUseDroppedExtension(x model.Index) bool {
	_, body, ok := strings.Cut(x.Definition, " USING ")
	if !ok {
		return false
	}
	ts := identTokens(body)
	for _, e := range b.live.Extensions {
		if b.extensionKept(e.Name) {
			continue
		}
		for i := 0; i+1 < len(ts); i++ {
			if ts[i] == e.Schema && ts[i+1] == "." {
				return true
			}
		}
	}
	return false
}

func (b *builder) extensionKept(name string) bool {
	for _, e := range b.desired.Extensions {
		if e.Name == name {
			return true
		}
	}
	return false
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

// indexStatisticsChanges returns the "n SET STATISTICS v" clauses that turn the live
// statistics targets of an index's columns ("n=v") into the desired ones; a target
// that goes returns to the default, -1.
func indexStatisticsChanges(live, desired []string) []string {
	var out []string
	for _, d := range desired {
		if !contains(live, d) {
			n, v, _ := strings.Cut(d, "=")
			out = append(out, n+" SET STATISTICS "+v)
		}
	}
	for _, l := range live {
		n, _, _ := strings.Cut(l, "=")
		if !hasOptionKey(desired, n) {
			out = append(out, n+" SET STATISTICS -1")
		}
	}
	return out
}

func tempIndexName(name string) string { return tempName(name, "__schemactl_new") }

// tempName appends suffix to name, shortening name so the result fits PostgreSQL's
// 63-byte identifiers (on a UTF-8 character boundary).
func tempName(name, suffix string) string {
	if len(name)+len(suffix) > 63 {
		n := 63 - len(suffix)
		for n > 0 && !utf8.RuneStart(name[n]) {
			n--
		}
		name = name[:n]
	}
	return name + suffix
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

// rewriteIndexDef turns pg_get_indexdef's text into the statement to run: under another
// name, CONCURRENTLY, or IF NOT EXISTS. pg_get_indexdef always renders
// "CREATE [UNIQUE] INDEX <quote_ident(name)> ON ...".
func rewriteIndexDef(x model.Index, name string, concurrently, ifNotExists bool) string {
	prefix := "CREATE INDEX "
	if x.Unique {
		prefix = "CREATE UNIQUE INDEX "
	}
	head := prefix + q(x.Name) + " ON "
	rest, ok := strings.CutPrefix(x.Definition, head)
	if !ok {
		return x.Definition // unexpected rendering: run it as PostgreSQL printed it
	}
	// A partitioned index built ON ONLY the parent stays invalid until every
	// partition's index is attached (pg_dump's way); without ONLY, PostgreSQL creates
	// them itself.
	rest = strings.TrimPrefix(rest, "ONLY ")
	s := prefix
	if concurrently {
		s += "CONCURRENTLY "
	}
	if ifNotExists {
		s += "IF NOT EXISTS "
	}
	return s + q(name) + " ON " + rest
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
