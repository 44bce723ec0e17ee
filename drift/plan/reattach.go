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

	"github.com/schemactl/schema-controller/drift/model"
)

// A partition's primary key or unique constraint whose index a partitioned
// index adopted (Constraint.ParentIndex) holds on to that index: PostgreSQL
// refuses to drop the partitioned index without CASCADE (which would drop the
// key, and whatever depends on it), refuses to drop the key while the index
// needs it, and an index cannot be detached on its own.
// DETACH PARTITION detaches every index of the partition, though. So when such
// an index goes (or is built again) and the partition stays where it is, the
// plan detaches the partition after the constraints of the tree are dropped
// (stageDetachForIndex), drops the index, and attaches the partition again
// before anything else of its parent changes (stageReattach): the indexes of
// its parent that stay adopt its matching indexes again, and a partitioned
// index built again adopts the key as Git says (partitionKeysAdopted). The
// key's drop and the partition's new indexes under the partitioned indexes that
// stay come in between (constraints, partitionIndexes), so that these adopt
// the indexes Git names instead of building their own.

// reattachForIndex reports whether the kept partition table (qualified) is
// detached and attached again around the drop of a partitioned index one of its
// keys is attached to.
func (b *builder) reattachForIndex(table string) bool {
	if v, ok := b.reattached[table]; ok {
		return v
	}
	v := b.computeReattach(table)
	b.reattached[table] = v
	return v
}

func (b *builder) computeReattach(table string) bool {
	lt, dt := b.liveTables[table], b.desiredTables[table]
	if lt == nil || dt == nil || lt.PartitionOf == "" || dt.PartitionOf != lt.PartitionOf || dt.PartitionBound != lt.PartitionBound ||
		b.droppedTables[lt.PartitionOf] || b.recreated[table] || b.recreated[lt.PartitionOf] || b.leftEarly[pairKey{table, lt.PartitionOf}] {
		return false
	}
	for _, lc := range lt.Constraints {
		if lc.ParentIndex != "" && (b.partitionedIndexGoes(lc.ParentIndex) || keyChanges(dt, lc)) {
			return true
		}
	}
	return false
}

// keyChanges reports whether the live key lc goes from table d of Git or is
// defined anew there.
func keyChanges(d *model.Table, lc model.Constraint) bool {
	dc := constraintNamed(d, lc.Name)
	return dc == nil || dc.Type != lc.Type || dc.Definition != lc.Definition
}

// earlyForReattach reports whether the desired partition index x is created
// (and attached to its partitioned index) before its partition, or the one
// above it, is attached again (reattach): the index of that partition is then
// adopted by a partitioned index that stays, instead of one built anew.
func (b *builder) earlyForReattach(x model.Index) bool {
	for n := 0; n < 32 && x.ParentIndex != ""; n++ {
		if b.reattachForIndex(x.Table) {
			return b.liveIndexes[x.ParentIndex] != nil && !b.partitionedIndexGoes(x.ParentIndex)
		}
		p := b.desiredIndexes[x.ParentIndex]
		if p == nil {
			return false
		}
		x = *p
	}
	return false
}

// underReattached reports whether the existing table (qualified), or a table it
// is a partition of at any depth, is detached and attached again: its clones of
// the triggers above come back as those triggers are.
// It is asked before the indexes are planned (triggers), so it does not keep
// its answers: the columns recreated are known only once the tables are.
func (b *builder) underReattached(table string) bool {
	for n := 0; n < 32 && table != ""; n++ {
		if v, ok := b.reattached[table]; ok && v || !ok && b.computeReattach(table) {
			return true
		}
		lt := b.liveTables[table]
		if lt == nil {
			return false
		}
		table = lt.PartitionOf
	}
	return false
}

// partitionedIndexGoes reports whether the live partitioned index name
// (qualified) is dropped on its own, or built again, while its table stays.
func (b *builder) partitionedIndexGoes(name string) bool {
	l := b.liveIndexes[name]
	if l == nil || b.droppedTables[l.Table] {
		return false
	}
	d := b.desiredIndexes[name]
	return d == nil || d.Definition != l.Definition || d.Table != l.Table || b.rebuildIndexes[name] || b.mentionsRecreatedColumn(d.Table, d.Definition)
}

// reattach plans the DETACH and ATTACH PARTITION of the partition lt whose key
// lc is attached to a partitioned index, when that index goes or the key goes
// or changes (reattachForIndex), once per partition. Its indexes attached to partitioned indexes that go would have gone
// with them: detached, they are dropped on their own.
func (b *builder) reattach(lt *model.Table, lc model.Constraint, gone func(model.Index) bool) {
	name := lt.QualifiedName()
	obj := tableObj(lt)
	var why string
	switch {
	case b.partitionedIndexGoes(lc.ParentIndex):
		why = ", which goes (PostgreSQL drops that index only with the key"
	case keyChanges(b.desiredTables[name], lc):
		why = ", which stays while the key goes or changes (PostgreSQL drops the key only with that index"
	default:
		return
	}
	b.change(obj, "detached from "+lt.PartitionOf+" and attached again: its key "+lc.Name+" is attached to the partitioned index "+
		strings.ReplaceAll(lc.ParentIndex, `"`, "")+why+", and cannot detach the key's index on its own)")
	if b.reattachPlanned[name] {
		return
	}
	b.reattachPlanned[name] = true
	b.onTable(lt.PartitionOf).add(stageDetachForIndex, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+lt.PartitionOf+" DETACH PARTITION "+name, AccessExclusiveLock)
	b.checkLast(b.detachCheck(lt, "the detach of "+name+" from "+lt.PartitionOf))
	for _, x := range b.live.Indexes {
		if x.Table == name && x.ParentIndex != "" && gone(x) {
			b.add(stageDropIndex, PhaseTransactional, lockAccessExclusive, "index "+x.Schema+"."+x.Name, "DROP INDEX IF EXISTS "+qn(x.Schema, x.Name))
		}
	}
	b.onTable(lt.PartitionOf).add(stageReattach, PhaseTransactional, lockShareUpdateExclusive, obj, "ALTER TABLE "+lt.PartitionOf+" ATTACH PARTITION "+name+" "+lt.PartitionBound, ValidationScan)
}

// CheckDetachReferenced counts the rows of other tables that foreign keys to a
// partitioned table point to in a partition the plan detaches and attaches
// again: PostgreSQL refuses DETACH PARTITION while any does.
const CheckDetachReferenced CheckKind = "detach-referenced"

// CheckPartitionBound counts the rows of an existing table that the plan
// attaches as a partition that fall outside its bound: ATTACH PARTITION would
// fail on them.
const CheckPartitionBound CheckKind = "partition-bound"

// attachCheck is the pre-flight check of attaching the existing table d as a
// partition: its rows where the partition's implicit constraint (as the
// database loaded from Git has it) is false. nil when it is not known.
func attachCheck(d *model.Table) *Check {
	if d.PartitionCheck == "" {
		return nil
	}
	return &Check{Kind: CheckPartitionBound, Table: d.QualifiedName(), Key: d.PartitionBound, What: "the attach of " + d.QualifiedName() + " to " + d.PartitionOf,
		Query: "SELECT count(*), 0::bigint FROM " + d.QualifiedName() + " WHERE NOT (" + d.PartitionCheck + ")"}
}

// detachCheck is the pre-flight check of detaching the live partition lt: the
// rows the foreign keys to its ancestors hold in it (nil when none points there).
func (b *builder) detachCheck(lt *model.Table, what string) *Check {
	ancestors := map[string]bool{}
	for p := lt.PartitionOf; p != "" && !ancestors[p]; {
		ancestors[p] = true
		if t := b.liveTables[p]; t != nil {
			p = t.PartitionOf
		} else {
			break
		}
	}
	var counts, fks []string
	for i := range b.live.Tables {
		t := &b.live.Tables[i]
		for _, c := range t.Constraints {
			if c.Type != "f" || c.Inherited || !ancestors[c.References] {
				continue
			}
			cols, refCols, ok := foreignKeyColumns(c.Definition)
			if !ok || len(cols) != len(refCols) {
				return nil
			}
			counts = append(counts, "(SELECT count(*) FROM "+t.QualifiedName()+" r WHERE EXISTS (SELECT 1 FROM "+lt.QualifiedName()+
				" p WHERE ("+prefixed("p", refCols)+") = ("+prefixed("r", cols)+")))")
			fks = append(fks, c.Name+" of "+t.QualifiedName())
		}
	}
	if len(counts) == 0 {
		return nil
	}
	return &Check{Kind: CheckDetachReferenced, Table: lt.QualifiedName(), Key: strings.Join(fks, ", "), What: what,
		Query: "SELECT " + strings.Join(counts, " + ") + ", 0::bigint"}
}

// foreignKeyColumns reads the columns and referenced columns of a foreign key's
// definition ("FOREIGN KEY (a, b) REFERENCES s.t(c, d) ...").
func foreignKeyColumns(def string) (cols, refCols []string, ok bool) {
	rest, ok := strings.CutPrefix(def, "FOREIGN KEY ")
	if !ok {
		return nil, nil, false
	}
	group, rest, ok := cutParens(rest)
	if !ok {
		return nil, nil, false
	}
	_, after, ok := strings.Cut(rest, " REFERENCES ")
	if !ok {
		return nil, nil, false
	}
	// The referenced table's name may be quoted and hold a parenthesis.
	i, quoted := -1, false
	for j := 0; j < len(after) && i < 0; j++ {
		switch {
		case after[j] == '"':
			quoted = !quoted
		case after[j] == '(' && !quoted:
			i = j
		}
	}
	if i < 0 {
		return nil, nil, false
	}
	refGroup, _, ok := cutParens(after[i:])
	if !ok {
		return nil, nil, false
	}
	return splitKeyList(group[1 : len(group)-1]), splitKeyList(refGroup[1 : len(refGroup)-1]), true
}

// prefixed qualifies each column of cols with the alias a.
func prefixed(a string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = a + "." + strings.TrimSpace(c)
	}
	return strings.Join(out, ", ")
}
