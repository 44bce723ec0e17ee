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
	"sort"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

// recreateTables plans the tables that cannot change in place and are dropped and
// created again: those whose partition key changes (partitioned ↔ plain, or another
// key). Their rows are lost (DataLoss), so the plan is destructive.
//
// It drops them early in the transaction (stageDropRecreated, once the views and
// functions over them are gone), together with their partitions that Git keeps
// under them, after (stageDetachRecreated) detaching the partitions and inheritance
// children Git keeps elsewhere, dropping the foreign keys of other tables that
// reference them and releasing the sequences they own that Git keeps. The rest
// of the plan is then built against a copy of the live model without them, so that
// they, their indexes, triggers, policies and grants, and the foreign keys to them,
// are created as new ones; views and functions over them are recreated like those
// over a dropped table. It returns the names of the tables it drops; the builder's
// index must then be made again over the new live model.
func (b *builder) recreateTables() map[string]bool {
	liveT, desT := b.liveTables, b.desiredTables
	gone := map[string]bool{}
	var names []string
	for _, name := range sortedKeys(liveT) {
		l, d := liveT[name], desT[name]
		if d != nil && l.PartitionKey != d.PartitionKey {
			gone[name] = true
			names = append(names, name)
			b.change(tableObj(d), differs("partition key", l.PartitionKey, d.PartitionKey)+": dropped and created again, its rows are lost")
		}
	}
	if len(gone) == 0 {
		return nil
	}
	// Partitions and inheritance children of a table that goes: those Git keeps
	// under it go too (and are created again), those Git keeps elsewhere are
	// detached first, the others go with it.
	detach := map[string]string{}      // partition → parent
	noInherit := map[string][]string{} // child → parents that go
	for changed := true; changed; {
		changed = false
		for _, name := range sortedKeys(liveT) {
			l, d := liveT[name], desT[name]
			if gone[name] {
				continue
			}
			if l.PartitionOf != "" && gone[l.PartitionOf] && detach[name] == "" {
				if d == nil || d.PartitionOf == l.PartitionOf {
					gone[name] = true
					names = append(names, name)
					changed = true
					if d != nil {
						b.change(tableObj(d), "partition of "+l.PartitionOf+", which is created again: dropped and created again, its rows are lost")
					}
					continue
				}
				detach[name] = l.PartitionOf
			}
			for _, p := range l.Inherits {
				if gone[p] && !contains(noInherit[name], p) {
					if d == nil {
						gone[name] = true
						names = append(names, name)
						changed = true
						break
					}
					noInherit[name] = append(noInherit[name], p)
				}
			}
		}
	}
	live := *b.live
	live.Tables = nil
	for _, t := range b.live.Tables {
		name := t.QualifiedName()
		if gone[name] {
			continue
		}
		t.Columns = append([]model.Column(nil), t.Columns...)
		t.Constraints = append([]model.Constraint(nil), t.Constraints...)
		if parent := detach[name]; parent != "" {
			b.onTable(parent).add(stageDetachRecreated, PhaseTransactional, lockAccessExclusive, tableObj(&t), "ALTER TABLE "+parent+" DETACH PARTITION "+name, AccessExclusiveLock)
			t.PartitionOf, t.PartitionBound = "", ""
			for i := range t.Columns {
				t.Columns[i].Inherited = false
			}
			for i := range t.Constraints {
				t.Constraints[i].Inherited = false
				t.Constraints[i].ParentIndex = ""
			}
		}
		if ps := noInherit[name]; len(ps) > 0 {
			for _, p := range ps {
				b.onTable(name).add(stageDetachRecreated, PhaseTransactional, lockAccessExclusive, tableObj(&t), "ALTER TABLE "+name+" NO INHERIT "+p, AccessExclusiveLock)
			}
			t.Inherits = without(t.Inherits, ps)
			if len(t.Inherits) == 0 {
				for i := range t.Columns {
					t.Columns[i].Inherited = false
				}
			}
		}
		// Foreign keys to a table that goes are dropped before it and, when Git
		// has them, added again after it (they are missing from the copy).
		kept := t.Constraints[:0]
		for _, c := range t.Constraints {
			if c.Type == "f" && gone[c.References] && !c.Inherited {
				b.onTable(name).add(stageDetachRecreated, PhaseTransactional, lockAccessExclusive, "constraint "+c.Name+" on "+t.Schema+"."+t.Name,
					"ALTER TABLE "+name+" DROP CONSTRAINT IF EXISTS "+q(c.Name), AccessExclusiveLock)
				continue
			}
			if c.Type == "f" && gone[c.References] {
				continue
			}
			kept = append(kept, c)
		}
		t.Constraints = kept
		live.Tables = append(live.Tables, t)
	}
	onGone := func(schema, table string) bool { return gone[qn(schema, table)] }
	live.Indexes = nil
	for _, x := range b.live.Indexes {
		if gone[x.Table] {
			continue
		}
		if _, detached := detach[x.Table]; detached {
			x.ParentIndex = ""
		}
		live.Indexes = append(live.Indexes, x)
	}
	live.Triggers = nil
	for _, t := range b.live.Triggers {
		if !onGone(t.Schema, t.Table) {
			live.Triggers = append(live.Triggers, t)
		}
	}
	live.Policies = nil
	for _, p := range b.live.Policies {
		if !onGone(p.Schema, p.Table) {
			live.Policies = append(live.Policies, p)
		}
	}
	live.Grants = nil
	for _, g := range b.live.Grants {
		if !(g.Kind == "table" || g.Kind == "column") || !gone[g.Object] {
			live.Grants = append(live.Grants, g)
		}
	}
	live.Owners = nil
	for _, o := range b.live.Owners {
		if o.Kind != "table" || !gone[o.Object] {
			live.Owners = append(live.Owners, o)
		}
	}
	// A sequence owned by a column of a table that goes would go with it: when Git
	// keeps it, it is released first (its value is kept) and owned again later.
	live.Sequences = nil
	desSeq := map[string]bool{}
	for _, s := range b.desired.Sequences {
		desSeq[qn(s.Schema, s.Name)] = true
	}
	for _, s := range b.live.Sequences {
		if s.OwnedBy != "" && gone[stripLastName(s.OwnedBy)] {
			if !desSeq[qn(s.Schema, s.Name)] {
				continue
			}
			b.add(stageDetachRecreated, PhaseTransactional, lockNone, "sequence "+s.Schema+"."+s.Name, "ALTER SEQUENCE "+qn(s.Schema, s.Name)+" OWNED BY NONE")
			s.OwnedBy = ""
		}
		live.Sequences = append(live.Sequences, s)
	}
	sort.Strings(names)
	b.onTable(soleTable(names)).add(stageDropRecreated, PhaseTransactional, lockAccessExclusive, "table "+strings.Join(names, ", "), "DROP TABLE "+strings.Join(names, ", "), DataLoss, AccessExclusiveLock)
	b.live = &live
	return gone
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func without(list, drop []string) []string {
	var out []string
	for _, s := range list {
		if !contains(drop, s) {
			out = append(out, s)
		}
	}
	return out
}
