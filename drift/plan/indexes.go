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

// clusteredIndex reports whether Git clusters table on one of its plain indexes.
func (b *builder) clusteredIndex(table string) bool {
	for _, x := range b.desired.Indexes {
		if x.Table == table && x.Clustered {
			return true
		}
	}
	return false
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
		if b.leavesParent(l.Table) {
			// DETACH PARTITION detaches the partition's indexes, which keep
			// theirs (a sub-partitioned partition's): they stay, unless the
			// partitioned index they are attached to is dropped on its own
			// (built again, or gone while its table stays), which happens before
			// any partition leaves: they go with it.
			p, ok := live[l.ParentIndex]
			return ok && (built[l.ParentIndex] || !desiredIdx[l.ParentIndex] && !b.droppedTables[p.Table])
		}
		if !desiredIdx[l.ParentIndex] || built[l.ParentIndex] {
			return true
		}
		p, ok := live[l.ParentIndex]
		return ok && gone(p)
	}
	b.partitionIndexes(live, built, gone)
	// pair plans desired index x; ok tells whether it has l live.
	pair := func(x, l model.Index, ok bool) {
		name := qn(x.Schema, x.Name)
		obj := "index " + x.Schema + "." + x.Name
		if x.ParentIndex != "" {
			return // partitionIndexes
		}
		if ok && gone(l) {
			// Attached to a partitioned index that goes: it goes too, and is
			// created again on its own.
			b.change(obj, "goes with the partitioned index "+l.ParentIndex+"; created again")
			ok = false
			built[name] = true
		}
		if lt, dt := b.liveTables[x.Table], b.desiredTables[x.Table]; ok && l.ParentIndex != "" && lt != nil && dt != nil && lt.PartitionOf == dt.PartitionOf {
			// Attached in the database, on its own in Git (its partitioned index
			// then invalid), and its partition stays where it is: PostgreSQL
			// cannot detach an index.
			b.change(obj, differs("attached to", l.ParentIndex, "none"))
			b.block(obj, "partition index attached to "+l.ParentIndex+" in the database, to none in Git: an index cannot be detached")
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
			b.add(buildStage, phase, indexLock(online), obj, b.partitionedIndexDef(x, rewriteIndexDef(x, x.Name, online, false)), IndexBuild)
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
			b.add(buildStage, PhaseTransactional, lockShare, obj, b.partitionedIndexDef(x, rewriteIndexDef(x, x.Name, false, false)), IndexBuild)
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
					b.onTable(x.Table).add(stageCreateIndex, PhaseOnline, lockAccessExclusive, obj, "ALTER TABLE "+x.Table+" REPLICA IDENTITY USING INDEX "+q(tmp))
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
				b.add(buildStage, PhaseTransactional, lockShare, obj, b.partitionedIndexDef(x, rewriteIndexDef(x, x.Name, false, false)), IndexBuild)
			}
		case b.mentionsRecreatedColumn(x.Table, x.Definition):
			// The column under it was dropped and added again in the transaction.
			b.add(buildStage, phase, indexLock(online), obj, b.partitionedIndexDef(x, rewriteIndexDef(x, x.Name, online, true)), IndexBuild)
		}
		created := built[name] || rebuild
		if created && riKept {
			b.onTable(x.Table).add(stageCreateIndex, phase, lockAccessExclusive, obj, "ALTER TABLE "+x.Table+" REPLICA IDENTITY USING INDEX "+q(x.Name))
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
				b.onTable(x.Table).add(stageCreateIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+x.Table+" CLUSTER ON "+q(x.Name))
			} else {
				b.onTable(x.Table).add(stageCreateIndex, phase, lockShareUpdateExclusive, obj, "ALTER TABLE "+x.Table+" SET WITHOUT CLUSTER")
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
	byName[model.Index]{
		key:    func(x *model.Index) string { return qn(x.Schema, x.Name) },
		create: func(x *model.Index) { pair(*x, model.Index{}, false) },
		alter:  func(x, l *model.Index) { pair(*x, *l, true) },
		drop: func(x *model.Index) {
			if !b.droppedTables[x.Table] {
				drops = append(drops, *x)
			}
		},
	}.visit(b.desired.Indexes, b.live.Indexes)
	sort.Slice(drops, func(i, j int) bool { return drops[i].Name < drops[j].Name })
	for _, x := range drops {
		obj := "index " + x.Schema + "." + x.Name
		b.change(obj, "exists in the database, not in Git")
		if x.ParentIndex != "" {
			if lt, dt := b.liveTables[x.Table], b.desiredTables[x.Table]; !gone(x) && lt != nil && dt != nil && lt.PartitionOf != "" && lt.PartitionOf != dt.PartitionOf {
				// Its partition leaves the partitioned table (alterTable): DETACH
				// PARTITION detaches the index, which can go after it.
				b.add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, "DROP INDEX IF EXISTS "+qn(x.Schema, x.Name))
				continue
			}
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
		if lt != nil && lt.PartitionKey != "" || b.constraintNamed(x.Schema, x.Name) || b.relationNamed(x.Schema, x.Name) || b.rebuildIndexes[qn(x.Schema, x.Name)] ||
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
	// creates reports whether the plan creates index x: a partitioned index it
	// builds, or a partition's index that is missing, goes with its partitioned
	// index, or changes. A new partition's index is created when its partitioned
	// index is (built ON ONLY, it clones nothing), else it comes with CREATE TABLE.
	var creates func(x model.Index, n int) bool
	creates = func(x model.Index, n int) bool {
		name := qn(x.Schema, x.Name)
		if x.ParentIndex == "" || n > 32 {
			return built[name]
		}
		p, ok := desired[x.ParentIndex]
		if b.newTables[x.Table] {
			return ok && creates(p, n+1)
		}
		l, ok := live[name]
		return !ok || gone(l) || l.Definition != x.Definition && l.ParentIndex == ""
	}
	created := map[string]bool{}
	for _, x := range children {
		name := qn(x.Schema, x.Name)
		obj := "index " + x.Schema + "." + x.Name
		l, ok := live[name]
		p, hasParent := desired[x.ParentIndex]
		parentNew := built[x.ParentIndex] || created[x.ParentIndex] || hasParent && creates(p, 0)
		lt, dt := b.liveTables[x.Table], b.desiredTables[x.Table]
		if ok && l.ParentIndex != "" && b.leavesParent(x.Table) && !gone(l) {
			// The partition leaves its parent (alterTable): DETACH PARTITION
			// detaches its indexes too, unless they went before with the
			// partitioned index they are attached to (gone).
			l.ParentIndex = ""
		}
		// attaching: the partition is attached by this plan (stageAddConstraint),
		// which adopts a matching index or creates one: its index comes first.
		attaching := lt != nil && dt != nil && dt.PartitionOf != "" && lt.PartitionOf != dt.PartitionOf
		stage := stagePartitionIndex
		attachStage := b.attachStage(x.ParentIndex, desired)
		if attaching {
			stage = stageAlterTable
		} else if b.earlyForReattach(x) {
			// The partition (or one above it) is attached again (reattach.go):
			// its index, attached to the index above it, comes first, for the
			// partitioned index to adopt it.
			stage = stageDropIndex
			if !b.reattachForIndex(x.Table) {
				// Attached under an index created in the same stage, before
				// the partition is attached (planned after this).
				attachStage = stageReattach
			}
		} else if b.attachedWithAncestor(x.Table) {
			// A partition of a partitioned table that this plan attaches: its index
			// and the attachment to the partitioned table's index (built ON ONLY)
			// come before that table is attached, which then adopts a valid index
			// instead of building its own tree of indexes.
			stage, attachStage = stageAlterTable, stageAttachIndexEarly
		}
		attach := "ALTER INDEX " + x.ParentIndex + " ATTACH PARTITION " + name
		switch {
		case b.withTable[name] && !parentNew:
			b.change(obj, "missing in the database") // created with its table (attachesOnItsOwn)
		case b.newTables[x.Table] && !parentNew:
			if !ok {
				b.change(obj, "missing in the database")
			}
			if x.Comment != "" {
				// The clone CREATE TABLE ... PARTITION OF made has no comment.
				b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("INDEX", name, x.Comment))
			}
		case !ok || gone(l):
			if ok {
				b.change(obj, "goes with the partitioned index "+l.ParentIndex+"; created again")
			} else {
				b.change(obj, "missing in the database")
			}
			b.add(stage, PhaseTransactional, lockShare, obj, b.partitionedIndexDef(x, rewriteIndexDef(x, x.Name, false, false)), IndexBuild)
			b.add(attachStage, PhaseTransactional, lockShareUpdateExclusive, obj, attach)
			created[name] = true
		case l.Definition != x.Definition && l.ParentIndex == "":
			b.change(obj, differs("definition", l.Definition, x.Definition))
			b.add(stageDropIndex, PhaseTransactional, lockAccessExclusive, obj, "DROP INDEX IF EXISTS "+name)
			b.add(stage, PhaseTransactional, lockShare, obj, b.partitionedIndexDef(x, rewriteIndexDef(x, x.Name, false, false)), IndexBuild)
			b.add(attachStage, PhaseTransactional, lockShareUpdateExclusive, obj, attach)
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
			b.add(attachStage, PhaseTransactional, lockShareUpdateExclusive, obj, attach)
		}
		if ok && !gone(l) && !created[name] && l.Comment != x.Comment {
			b.change(obj, differs("comment", l.Comment, x.Comment))
			b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("INDEX", name, x.Comment))
		} else if created[name] && x.Comment != "" {
			b.add(stageAttachIndex, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("INDEX", name, x.Comment))
		}
	}
	b.partitionKeysAdopted(live, desired, func(parent string) bool {
		p, ok := desired[parent]
		return built[parent] || created[parent] || ok && creates(p, 0)
	}, gone)
}

// partitionKeysAdopted plans the attachment of partitions' primary keys and
// unique constraints whose index a partitioned index that backs no constraint
// adopted (Constraint.ParentIndex): attached after that index is built (ON
// ONLY, or when PostgreSQL's adoption picked another) or when the key is added
// or attached by hand in neither. A key attached elsewhere in the database
// cannot be detached: that is blocked, unless its partitioned index goes.
func (b *builder) partitionKeysAdopted(live, desired map[string]model.Index, created func(string) bool, gone func(model.Index) bool) {
	// PostgreSQL refuses to drop a partitioned index that a partition's key
	// depends on (only CASCADE would, dropping the key).
	for i := range b.live.Tables {
		lt := &b.live.Tables[i]
		if b.droppedTables[lt.QualifiedName()] {
			continue
		}
		for _, lc := range lt.Constraints {
			if lc.ParentIndex == "" {
				continue
			}
			if b.reattachForIndex(lt.QualifiedName()) {
				b.reattach(lt, lc, gone)
				continue
			}
			if dt := b.desiredTables[lt.QualifiedName()]; dt != nil && b.keyDetachEarly(lt, dt) {
				continue // the partition leaves its parent first (alterTable)
			}
			p, ok := live[lc.ParentIndex]
			if _, kept := desired[lc.ParentIndex]; kept && !created(lc.ParentIndex) && !(ok && gone(p)) {
				continue
			}
			obj := "index " + strings.ReplaceAll(lc.ParentIndex, `"`, "")
			b.change(obj, "the key "+lc.Name+" of "+lt.Schema+"."+lt.Name+" is attached to it in the database")
			b.block(obj, "partitioned index "+lc.ParentIndex+" would be dropped or built again, but the key "+lc.Name+" of "+lt.QualifiedName()+
				" depends on it (its index is attached to it): PostgreSQL refuses to drop the index without CASCADE, which drops that key too (the planner never cascades), "+
				"and neither the key nor its index can be detached or dropped on their own; drop the index by hand with DROP INDEX "+lc.ParentIndex+" CASCADE "+
				"(which also drops whatever depends on that key, such as foreign keys that reference it), and the next plan adds what Git declares")
		}
	}
	for i := range b.desired.Tables {
		dt := &b.desired.Tables[i]
		lt := b.liveTables[dt.QualifiedName()]
		for _, dc := range dt.Constraints {
			var lc *model.Constraint
			if lt != nil {
				for j := range lt.Constraints {
					if lt.Constraints[j].Name == dc.Name {
						lc = &lt.Constraints[j]
					}
				}
			}
			// stays: the live key stays attached to its partitioned index after
			// this plan (neither the index nor the key goes).
			stays := lc != nil && lc.ParentIndex != "" && lc.Type == dc.Type && lc.Definition == dc.Definition && !b.droppedTables[lt.QualifiedName()]
			if stays {
				p, ok := live[lc.ParentIndex]
				stays = ok && desired[lc.ParentIndex].Name != "" && !created(lc.ParentIndex) && !gone(p)
			}
			obj := "constraint " + dc.Name + " on " + dt.Schema + "." + dt.Name
			if dc.ParentIndex == "" {
				if stays {
					b.change(obj, differs("index attached to", lc.ParentIndex, "none"))
					b.block(obj, "the key's index is attached to "+lc.ParentIndex+" in the database, to none in Git: an index cannot be detached")
				}
				continue
			}
			attach := "ALTER INDEX " + dc.ParentIndex + " ATTACH PARTITION " + qn(dt.Schema, dc.Name)
			switch {
			case b.newTables[dt.QualifiedName()] && !created(dc.ParentIndex):
				// CREATE TABLE ... PARTITION OF: the partitioned index adopts it.
			case created(dc.ParentIndex):
				b.add(b.attachStage(dc.ParentIndex, desired), PhaseTransactional, lockShareUpdateExclusive, obj, attach)
			case stays && lc.ParentIndex == dc.ParentIndex:
			case stays:
				b.change(obj, differs("index attached to", lc.ParentIndex, dc.ParentIndex))
				b.block(obj, "the key's index is attached to "+lc.ParentIndex+" in the database, to "+dc.ParentIndex+" in Git: an index cannot be detached")
			case b.attachedIndexStays(dt.QualifiedName(), dc.ParentIndex, live, gone):
				// Another index of the partition holds the place (reported where
				// it is planned): attaching the key would fail.
				b.change(obj, differs("index attached to", "none", dc.ParentIndex))
			default:
				if lc != nil && lc.Type == dc.Type && lc.Definition == dc.Definition {
					b.change(obj, differs("index attached to", orNone(lc.ParentIndex), dc.ParentIndex))
				}
				b.add(b.attachStage(dc.ParentIndex, desired), PhaseTransactional, lockShareUpdateExclusive, obj, attach)
			}
		}
	}
}

// attachStage is the stage of attaching a partition's index or key to the
// partitioned index (or key's index) parent: stageAttachKeyIndex, before the
// foreign keys, when the index at the top of its tree is unique on a table that
// foreign keys of the plan reference — it stays invalid, and no foreign key can
// rest on it, until every partition's index is attached — else stageAttachIndex.
// desired are the desired indexes by qualified name; keys are looked up among
// the desired tables' constraints.
func (b *builder) attachStage(parent string, desired map[string]model.Index) int {
	for n := 0; n < 32 && parent != ""; n++ {
		if x, ok := desired[parent]; ok {
			if x.ParentIndex == "" {
				if x.Unique && b.online.fkTargets[x.Table] {
					return stageAttachKeyIndex
				}
				return stageAttachIndex
			}
			parent = x.ParentIndex
			continue
		}
		table, up := b.keyOfIndex(parent)
		if table == "" {
			break
		}
		if up == "" {
			if b.online.fkTargets[table] {
				return stageAttachKeyIndex
			}
			break
		}
		parent = up
	}
	return stageAttachIndex
}

// keyOfIndex returns the table (qualified) of the desired primary key or unique
// constraint whose index is index (qualified), and the index it is attached to;
// "" when no key has that index.
func (b *builder) keyOfIndex(index string) (table, parent string) {
	if b.desiredKeys == nil {
		b.desiredKeys = map[string][2]string{}
		for i := range b.desired.Tables {
			t := &b.desired.Tables[i]
			for _, c := range t.Constraints {
				if c.Type == "p" || c.Type == "u" {
					b.desiredKeys[qn(t.Schema, c.Name)] = [2]string{t.QualifiedName(), c.ParentIndex}
				}
			}
		}
	}
	k := b.desiredKeys[index]
	return k[0], k[1]
}

// partitionedIndexDef returns stmt, the CREATE INDEX of x, built ON ONLY its
// partitioned table when Git attaches an index of its own to x on every partition
// the table has when the statement runs: without ONLY, PostgreSQL adopts the first
// matching index of each partition, which may be another one (a partition's primary
// key, a local index Git keeps apart), and the explicit ATTACH of the index Git
// names then fails. Built ON ONLY, x stays invalid until partitionIndexes has
// attached each partition's index, the last of which makes it valid. When a
// partition has neither an index nor a key attached to x in Git, PostgreSQL's
// adoption is left to do the work.
func (b *builder) partitionedIndexDef(x model.Index, stmt string) string {
	t := b.desiredTables[x.Table]
	if t == nil || t.PartitionKey == "" {
		return stmt
	}
	if !x.Valid {
		// Git declares it invalid: built ON ONLY with the index of some partition
		// never attached, as pg_dump writes one. Without ONLY, PostgreSQL would
		// create or adopt an index on every partition and make it valid.
		return onOnly(x, stmt)
	}
	self := qn(x.Schema, x.Name)
	attached := map[string]bool{}
	for _, y := range b.desired.Indexes {
		if y.ParentIndex == self {
			attached[y.Table] = true
		}
	}
	for _, t := range b.desired.Tables {
		for _, c := range t.Constraints {
			if c.ParentIndex == self {
				attached[t.QualifiedName()] = true // a partition's key adopted
			}
		}
	}
	parts := 0
	for _, p := range b.desired.Tables {
		if p.PartitionOf != x.Table {
			continue
		}
		if !attached[p.QualifiedName()] {
			return stmt
		}
		parts++
	}
	for _, p := range b.live.Tables {
		if p.PartitionOf != x.Table {
			continue
		}
		// A partition that stays attached until after the index is built (it is
		// dropped at the end, or kept without an index of its own) would leave
		// it invalid.
		if d := b.desiredTables[p.QualifiedName()]; d == nil || d.PartitionOf == x.Table && !attached[p.QualifiedName()] {
			return stmt
		}
	}
	if parts == 0 {
		return stmt
	}
	// A foreign table may be a partition (not modeled: Unsupported); it takes no
	// index, so an index built ON ONLY would never become valid.
	for _, u := range append(append([]model.Unsupported(nil), b.desired.Unsupported...), b.live.Unsupported...) {
		if u.Kind == "foreign table" {
			return stmt
		}
	}
	return onOnly(x, stmt)
}

// onOnly returns stmt, the CREATE INDEX of x, built ON ONLY its table.
func onOnly(x model.Index, stmt string) string {
	i := strings.Index(stmt, q(x.Name)+" ON ")
	if i < 0 {
		return stmt
	}
	i += len(q(x.Name) + " ON ")
	if strings.HasPrefix(stmt[i:], "ONLY ") {
		return stmt
	}
	return stmt[:i] + "ONLY " + stmt[i:]
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

// leavesParent reports whether the existing table, a partition, leaves its
// partitioned table to be kept as a table of its own or under another
// (alterTable plans its DETACH PARTITION).
func (b *builder) leavesParent(table string) bool {
	lt, dt := b.liveTables[table], b.desiredTables[table]
	return lt != nil && dt != nil && lt.PartitionOf != "" && lt.PartitionOf != dt.PartitionOf
}

// indexStays reports whether the plain index name (qualified) is there before
// the tables are created and stays as it is through the plan: it exists with the
// definition Git gives it, valid, attached to the same partitioned index (which
// stays too), and is neither built again nor dropped with a column or a swapped
// type; or it is created with a new partition attached on its own
// (attachesOnItsOwn). A table attached under its table then has its own index
// adopted by it. Any change counts as not staying.
func (b *builder) indexStays(name string) bool {
	for n := 0; n < 32; n++ {
		if b.withTable[name] {
			return true
		}
		l, d := b.liveIndexes[name], b.desiredIndexes[name]
		if l == nil || d == nil || l.Definition != d.Definition || !l.Valid || !d.Valid || l.ParentIndex != d.ParentIndex ||
			b.rebuildIndexes[name] || b.mentionsRecreatedColumn(d.Table, d.Definition) || b.recreated[d.Table] {
			return false
		}
		if d.ParentIndex == "" {
			return true
		}
		name = d.ParentIndex
	}
	return false
}

// attachedIndexStays reports whether a plain index of table stays attached to the
// partitioned index parent through the plan (an index cannot be detached).
func (b *builder) attachedIndexStays(table, parent string, live map[string]model.Index, gone func(model.Index) bool) bool {
	for _, x := range live {
		if x.Table == table && x.ParentIndex == parent && !gone(x) {
			return true
		}
	}
	return false
}

// relationNamed reports whether the plan creates a table, sequence or view named
// schema.name: an index of that name must be gone inside the transaction.
func (b *builder) relationNamed(schema, name string) bool {
	if b.newTables[qn(schema, name)] {
		return true
	}
	for _, s := range b.desired.Sequences {
		if s.Schema == schema && s.Name == name {
			return true
		}
	}
	for _, v := range b.desired.Views {
		if v.Schema == schema && v.Name == name {
			return true
		}
	}
	return false
}

// attachedWithAncestor reports whether the existing table is, in the database and
// in Git, a partition (at any depth) of a table that this plan attaches to a
// partitioned table.
func (b *builder) attachedWithAncestor(table string) bool {
	lt := b.liveTables[table]
	for n := 0; lt != nil && lt.PartitionOf != "" && n < 32; n++ {
		if d := b.desiredTables[lt.QualifiedName()]; d == nil || d.PartitionOf != lt.PartitionOf {
			return false
		}
		parent := lt.PartitionOf
		lp, dp := b.liveTables[parent], b.desiredTables[parent]
		if lp == nil || dp == nil {
			return false
		}
		if dp.PartitionOf != "" && lp.PartitionOf != dp.PartitionOf {
			return true
		}
		lt = lp
	}
	return false
}
