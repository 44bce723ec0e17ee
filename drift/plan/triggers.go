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

func triggerObj(t *model.Trigger) string {
	return "trigger " + t.Name + " on " + t.Schema + "." + t.Table
}

// triggerState is the ALTER TABLE clause that sets a trigger's enabled state.
func triggerState(enabled string) string {
	switch enabled {
	case "D":
		return "DISABLE"
	case "R":
		return "ENABLE REPLICA"
	case "A":
		return "ENABLE ALWAYS"
	}
	return "ENABLE"
}

func triggerStateName(enabled string) string {
	return strings.ToLower(triggerState(enabled)) + "d"
}

func (r *routinePlan) triggerOnDroppedRelation(t *model.Trigger) bool {
	rel := qn(t.Schema, t.Table)
	return r.b.droppedTables[rel] || r.recreateViews[rel]
}

// planTriggerDrops drops the triggers that go or are created again, before the
// functions and views they use are dropped. Triggers of dropped tables and views go
// with them.
func (r *routinePlan) planTriggerDrops() {
	b := r.b
	for i := range b.live.Triggers {
		l := &b.live.Triggers[i]
		k := l.Key()
		d := r.desiredTrgs[k]
		obj := triggerObj(l)
		if d == nil {
			b.change(obj, "exists in the database, not in Git")
		}
		if r.triggerOnDroppedRelation(l) {
			continue
		}
		if d != nil && d.Definition != l.Definition {
			b.change(obj, differs("definition", l.Definition, d.Definition))
			if !r.recreateTrgs[k] && !l.Constraint && !d.Constraint {
				continue // CREATE OR REPLACE TRIGGER, without a moment without it
			}
			r.recreateTrgs[k] = true
		}
		if d == nil || r.recreateTrgs[k] {
			b.add(stageDropRoutines, PhaseTransactional, lockAccessExclusive, obj, "DROP TRIGGER "+q(l.Name)+" ON "+qn(l.Schema, l.Table))
		}
	}
}

// planTriggers creates, replaces and enables or disables triggers, after the tables,
// views and functions they need.
func (r *routinePlan) planTriggers() {
	b := r.b
	// pair plans desired trigger d; l is the live one, nil when it is new.
	pair := func(d, l *model.Trigger) {
		k := d.Key()
		obj := triggerObj(d)
		table := qn(d.Schema, d.Table)
		created := l == nil || r.recreateTrgs[k] || r.triggerOnDroppedRelation(l)
		switch {
		case l == nil:
			b.change(obj, "missing in the database")
		case created && l.Definition == d.Definition:
			b.change(obj, "its table, view or function is dropped and created again: created again")
		}
		if created {
			b.add(stageCreateTrigger, PhaseTransactional, lockShareRowExclusive, obj, d.Definition)
		} else if l.Definition != d.Definition {
			b.add(stageCreateTrigger, PhaseTransactional, lockNone, obj, strings.Replace(d.Definition, "CREATE TRIGGER ", "CREATE OR REPLACE TRIGGER ", 1))
		}
		replaced := !created && l.Definition != d.Definition
		liveState := "O"
		if l != nil && !created && !replaced {
			liveState = l.Enabled
		}
		if l != nil && l.Enabled != d.Enabled {
			b.change(obj, differs("state", triggerStateName(l.Enabled), triggerStateName(d.Enabled)))
		}
		// A created or replaced trigger starts enabled (origin and local).
		parentAltered := liveState != d.Enabled || replaced && l.Enabled != d.Enabled
		if parentAltered {
			b.onTable(table).add(stageCreateTrigger, PhaseTransactional, triggerStateLock(d.Enabled), obj, "ALTER TABLE "+table+" "+triggerState(d.Enabled)+" TRIGGER "+q(d.Name))
		}
		// The partitions' clones follow the trigger (ALTER TABLE on the parent
		// reaches them) unless changed on a partition alone.
		have := map[string]string{}
		if l != nil && !created && !replaced && !parentAltered {
			have = partitionStates(l.PartitionStates)
			for p := range have {
				if b.underReattached(p) {
					// Detached and attached again (reattach.go): the clone
					// comes back as the trigger is.
					delete(have, p)
				}
			}
		}
		want := partitionStates(d.PartitionStates)
		for _, p := range sortedKeys(mergeKeys(have, want)) {
			h, w := have[p], want[p]
			if h == "" {
				h = d.Enabled
			}
			if w == "" {
				w = d.Enabled
			}
			if h != w {
				b.change(obj, "on partition "+p+": "+differs("state", triggerStateName(h), triggerStateName(w)))
				b.onTable(p).add(stageCreateTrigger, PhaseTransactional, triggerStateLock(w), obj, "ALTER TABLE "+p+" "+triggerState(w)+" TRIGGER "+q(d.Name))
			}
		}
		// The comments on the partitions' clones: a clone created again (with
		// its trigger, or its partition attached again) has none.
		haveC := map[string]string{}
		if l != nil && !created {
			for p, c := range l.PartitionComments {
				if b.desiredTables[p] != nil && !b.leavesParent(p) && !b.underReattached(p) {
					haveC[p] = c // else it goes, or leaves (its clone goes)
				}
			}
		}
		for _, p := range sortedKeys(mergeKeys(haveC, d.PartitionComments)) {
			if h, w := haveC[p], d.PartitionComments[p]; h != w {
				if l != nil && l.PartitionComments[p] != w {
					b.change(obj, "on partition "+p+": "+differs("comment", l.PartitionComments[p], w))
				}
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TRIGGER", q(d.Name)+" ON "+p, w))
			}
		}
		switch {
		case created:
			if d.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TRIGGER", q(d.Name)+" ON "+table, d.Comment))
			}
		case l.Comment != d.Comment:
			b.change(obj, differs("comment", l.Comment, d.Comment))
			b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TRIGGER", q(d.Name)+" ON "+table, d.Comment))
		}
	}
	byName[model.Trigger]{
		key:    func(t *model.Trigger) string { return t.Key() },
		create: func(d *model.Trigger) { pair(d, nil) },
		alter:  pair,
	}.visit(b.desired.Triggers, b.live.Triggers)
}

// partitionStates parses Trigger.PartitionStates into partition → state.
func partitionStates(list []string) map[string]string {
	m := map[string]string{}
	for _, e := range list {
		if i := strings.LastIndex(e, "="); i > 0 {
			m[e[:i]] = e[i+1:]
		}
	}
	return m
}

func mergeKeys(a, b map[string]string) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}
