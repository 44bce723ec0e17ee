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

// stageSettings holds session settings of the apply transaction; it sorts before
// every other stage.
const stageSettings = 0

// routines plans views, materialized views, functions and triggers. It runs before
// the tables are planned: a function that is dropped and created again marks the
// check constraints and indexes that use it for rebuilding.
//
// Objects PostgreSQL cannot change in place are dropped and created again together
// with everything that depends on them, found through the pg_depend edges of the
// live schema (views on views, functions reading a view's row type, triggers,
// constraints, indexes and defaults using a function). Drops run dependents first,
// creations dependencies first, both ordered by a depth-first walk of those edges, so
// planning stays linear in the number of objects and edges.
func (b *builder) routines() error {
	r := newRoutinePlan(b)
	r.seed()
	r.propagate()
	r.planTriggerDrops()
	r.planDrops()
	r.planFunctions()
	r.planViews()
	r.planCreates()
	r.planTriggers()
	r.planFinalFunctionDrops()
	b.recreatedViews = r.recreateViews
	return nil
}

// routinePlan is the state of routines.
type routinePlan struct {
	b *builder

	liveViews, desiredViews map[string]*model.View
	liveFns, desiredFns     map[string]*model.Function
	liveTrgs, desiredTrgs   map[string]*model.Trigger

	// liveDependents maps a referenced object to its dependents; liveRelDependents
	// maps a relation to the dependents of it and of its columns.
	liveDependents, liveRelDependents map[string][]string
	// liveDeps and desiredDeps map a dependent to what it references.
	liveDeps, desiredDeps map[string][]string

	// recreateViews are live views that are dropped and, when Git has them,
	// created again; replaceViews are changed by CREATE OR REPLACE VIEW.
	recreateViews, replaceViews map[string]bool
	// recreateFns are live functions dropped and created again; replaceFns are
	// changed by CREATE OR REPLACE.
	recreateFns, replaceFns map[string]bool
	// recreateTrgs are live triggers dropped (or replaced) and created again.
	recreateTrgs map[string]bool
	// queue holds the objects whose dependents must be recreated too.
	queue []string
	seen  map[string]bool
	// swappedTypes are enums this plan replaces by a new type.
	swappedTypes map[string]bool
	// functionBodiesOff is set once the plan creates a function.
	functionBodiesOff bool
}

func newRoutinePlan(b *builder) *routinePlan {
	r := &routinePlan{b: b,
		liveViews: map[string]*model.View{}, desiredViews: map[string]*model.View{},
		liveFns: map[string]*model.Function{}, desiredFns: map[string]*model.Function{},
		liveTrgs: map[string]*model.Trigger{}, desiredTrgs: map[string]*model.Trigger{},
		liveDependents: map[string][]string{}, liveRelDependents: map[string][]string{},
		liveDeps: map[string][]string{}, desiredDeps: map[string][]string{},
		recreateViews: map[string]bool{}, replaceViews: map[string]bool{},
		recreateFns: map[string]bool{}, replaceFns: map[string]bool{},
		recreateTrgs: map[string]bool{}, seen: map[string]bool{}, swappedTypes: map[string]bool{},
	}
	for i := range b.live.Views {
		r.liveViews[b.live.Views[i].Key()] = &b.live.Views[i]
	}
	for i := range b.desired.Views {
		r.desiredViews[b.desired.Views[i].Key()] = &b.desired.Views[i]
	}
	for i := range b.live.Functions {
		r.liveFns[b.live.Functions[i].Key()] = &b.live.Functions[i]
	}
	for i := range b.desired.Functions {
		r.desiredFns[b.desired.Functions[i].Key()] = &b.desired.Functions[i]
	}
	for i := range b.live.Triggers {
		r.liveTrgs[b.live.Triggers[i].Key()] = &b.live.Triggers[i]
	}
	for i := range b.desired.Triggers {
		r.desiredTrgs[b.desired.Triggers[i].Key()] = &b.desired.Triggers[i]
	}
	for _, d := range b.live.Dependencies {
		r.liveDependents[d.Referenced] = append(r.liveDependents[d.Referenced], d.Dependent)
		if rel := relationOf(d.Referenced); rel != "" {
			r.liveRelDependents[rel] = append(r.liveRelDependents[rel], d.Dependent)
		}
		r.liveDeps[d.Dependent] = append(r.liveDeps[d.Dependent], d.Referenced)
	}
	for _, d := range b.desired.Dependencies {
		r.desiredDeps[d.Dependent] = append(r.desiredDeps[d.Dependent], d.Referenced)
	}
	return r
}

// relationOf returns the qualified relation of a "rel" or "col" reference, else "".
func relationOf(ref string) string {
	switch {
	case strings.HasPrefix(ref, "rel "):
		return ref[4:]
	case strings.HasPrefix(ref, "col "):
		// "col schema.table.column": the relation is everything before the last
		// top-level dot.
		return stripLastName(ref[4:])
	}
	return ""
}

// stripLastName removes the last dot-separated (possibly quoted) name.
func stripLastName(s string) string {
	inQuote := false
	last := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case '.':
			if !inQuote {
				last = i
			}
		}
	}
	if last < 0 {
		return s
	}
	return s[:last]
}

// seed finds the objects that cannot stay as they are: changed views and functions
// PostgreSQL cannot replace in place, columns whose type changes or that are
// dropped, dropped tables and views, swapped enums.
func (r *routinePlan) seed() {
	b := r.b
	for _, e := range b.desired.Enums {
		name := qn(e.Schema, e.Name)
		if b.enumsSwapped[name] {
			r.swappedTypes[name] = true
			r.push("type " + name)
		}
	}
	// Sorted: the queue's order is the order of what propagate plans.
	for _, name := range sortedKeys(b.droppedTables) {
		r.push("rel " + name)
	}
	for _, name := range sortedKeys(b.recreated) {
		r.push("rel " + name)
	}
	for i := range b.live.Tables {
		lt := &b.live.Tables[i]
		dt := b.desiredTables[lt.QualifiedName()]
		if dt == nil {
			continue
		}
		for j := range lt.Columns {
			lc := &lt.Columns[j]
			dc := dt.Column(lc.Name)
			if dc == nil || columnRecreatedUnderDependents(lt, dt, lc, dc) || r.swappedTypes[strings.TrimSuffix(lc.Type, "[]")] {
				r.push(model.RefColumn(lt.Schema, lt.Name, lc.Name))
			}
		}
	}
	// Sorted: the changes and blocks reported on the way follow this order (a
	// plan is the same every time, its ID too).
	for _, k := range sortedKeys(r.liveViews) {
		l, d := r.liveViews[k], r.desiredViews[k]
		switch {
		case d == nil:
			r.recreateView(k)
		case l.Materialized != d.Materialized:
			r.recreateView(k)
		case l.Materialized && l.Definition != d.Definition:
			r.recreateView(k)
		case !l.Materialized && (l.Definition != d.Definition || !sameViewColumns(l.Columns, d.Columns)):
			if viewReplaceable(l, d) {
				r.replaceViews[k] = true
			} else {
				r.recreateView(k)
			}
		}
	}
	for _, k := range sortedKeys(r.desiredViews) {
		d := r.desiredViews[k]
		// A table becomes a view: the table (with the partitions and children that
		// go with it) is dropped early, before the view is created (tables); the
		// partitions and children Git keeps leave it first.
		if r.liveViews[k] == nil && b.liveTables[k] != nil {
			if b.dropEarly(k) {
				b.change(viewObj(d), "a table of this name exists in the database: it is dropped (its rows are lost) and the view created")
				continue
			}
			b.block(viewObj(d), "a table of this name exists in the database; drop or rename it by hand first")
		}
	}
	for _, k := range sortedKeys(r.liveFns) {
		l, d := r.liveFns[k], r.desiredFns[k]
		if d == nil || l.Definition == d.Definition {
			continue
		}
		if functionReplaceable(l, d) {
			r.replaceFns[k] = true
		} else {
			r.recreateFn(k)
		}
	}
}

// columnRecreatedUnderDependents reports whether a column changes in a way
// PostgreSQL refuses while a view, rule or trigger uses it: its type or collation
// changes, or it is dropped and added again (a generated expression).
func columnRecreatedUnderDependents(lt, dt *model.Table, lc, dc *model.Column) bool {
	if lc.Type != dc.Type || lc.Collation != dc.Collation {
		return true
	}
	if dc.Generated == "" {
		return false
	}
	if lc.Generated != dc.Generated {
		return true
	}
	for i := range dt.Columns {
		bc := &dt.Columns[i]
		if lb := lt.Column(bc.Name); lb != nil && (lb.Type != bc.Type || lb.Collation != bc.Collation) && mentionsIdent(lc.Generated, bc.Name) {
			return true
		}
	}
	return false
}

func (r *routinePlan) push(ref string) {
	if !r.seen[ref] {
		r.seen[ref] = true
		r.queue = append(r.queue, ref)
	}
}

func (r *routinePlan) recreateView(k string) {
	r.recreateViews[k] = true
	delete(r.replaceViews, k)
	r.push("rel " + k)
}

func (r *routinePlan) recreateFn(k string) {
	r.recreateFns[k] = true
	delete(r.replaceFns, k)
	r.push("fn " + k)
}

// propagate walks the live dependents of every object in the queue: views,
// functions and triggers on them are recreated too; check constraints, indexes and
// defaults that use a recreated function are rebuilt by the table planner.
func (r *routinePlan) propagate() {
	b := r.b
	for len(r.queue) > 0 {
		ref := r.queue[0]
		r.queue = r.queue[1:]
		deps := r.liveDependents[ref]
		if strings.HasPrefix(ref, "rel ") {
			// The relation goes away: everything on it and on its columns.
			deps = r.liveRelDependents[ref[4:]]
		}
		isFn := strings.HasPrefix(ref, "fn ")
		for _, d := range deps {
			kind, key, _ := strings.Cut(d, " ")
			switch kind {
			case "rel":
				if r.liveViews[key] != nil {
					r.recreateView(key)
				}
			case "fn":
				if r.liveFns[key] != nil {
					r.recreateFn(key)
				}
			case "trg":
				if r.liveTrgs[key] != nil {
					r.recreateTrgs[key] = true
				}
			case "con":
				if isFn {
					table, name, _ := strings.Cut(key, "\t")
					b.rebuildConstraints[pairKey{table, name}] = true
				}
			case "idx":
				if isFn {
					b.rebuildIndexes[key] = true
				}
			case "def":
				if isFn {
					r.rebuildDefault(key)
				}
			case "gen":
				if isFn {
					table, col, _ := strings.Cut(key, "\t")
					b.block("column "+table+"."+col, "its generation expression uses "+ref[3:]+
						", which is dropped and created again; change the column and the function in two steps")
				}
			}
		}
	}
	// Triggers of views that are dropped go with them.
	for k, t := range r.liveTrgs {
		if r.recreateViews[qn(t.Schema, t.Table)] {
			r.recreateTrgs[k] = true
		}
	}
}

// rebuildDefault drops a column default that uses a function dropped and created
// again, and sets the desired default after the function is back.
func (r *routinePlan) rebuildDefault(key string) {
	b := r.b
	table, col, _ := strings.Cut(key, "\t")
	if b.droppedTables[table] || b.recreated[table] {
		return
	}
	dt := b.desiredTables[table]
	obj := "column " + table + "." + col
	b.onTable(table).add(stageDropConstraint, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+table+" ALTER COLUMN "+q(col)+" DROP DEFAULT")
	if dt == nil {
		return
	}
	if dc := dt.Column(col); dc != nil && dc.Default != "" {
		b.onTable(table).add(stageAddConstraint, PhaseTransactional, lockAccessExclusive, obj, "ALTER TABLE "+table+" ALTER COLUMN "+q(col)+" SET DEFAULT "+dc.Default)
	}
}

// planDrops drops the views that go or are recreated and the functions that are
// recreated, dependents first.
func (r *routinePlan) planDrops() {
	var nodes []string
	for k := range r.recreateViews {
		nodes = append(nodes, "rel "+k)
	}
	for k := range r.recreateFns {
		nodes = append(nodes, "fn "+k)
	}
	order := topoOrder(nodes, r.liveDeps)
	for i := len(order) - 1; i >= 0; i-- {
		kind, key, _ := strings.Cut(order[i], " ")
		if kind == "rel" {
			r.dropView(r.liveViews[key])
		} else {
			r.dropFunction(r.liveFns[key], stageDropRoutines)
		}
	}
}

// planCreates creates the views and the functions that read relations (their row
// types, or SQL-standard bodies), dependencies first.
func (r *routinePlan) planCreates() {
	var nodes []string
	for k := range r.desiredViews {
		if r.liveViews[k] == nil || r.recreateViews[k] || r.replaceViews[k] {
			nodes = append(nodes, "rel "+k)
		}
	}
	for k, f := range r.desiredFns {
		if r.lateFunction(f) && r.functionChanges(k) {
			nodes = append(nodes, "fn "+k)
		}
	}
	for _, n := range topoOrder(nodes, r.desiredDeps) {
		kind, key, _ := strings.Cut(n, " ")
		if kind == "rel" {
			r.createView(r.desiredViews[key])
		} else {
			r.createFunction(r.desiredFns[key], stageCreateView)
		}
	}
}

// topoOrder returns nodes ordered dependencies first along deps (only edges between
// nodes count); ties keep the sorted order of the nodes. Cycles cannot occur in
// pg_depend among these kinds; a visiting mark keeps a broken graph from looping.
func topoOrder(nodes []string, deps map[string][]string) []string {
	sort.Strings(nodes)
	in := map[string]bool{}
	for _, n := range nodes {
		in[n] = true
	}
	state := map[string]int{}
	out := make([]string, 0, len(nodes))
	var visit func(n string)
	visit = func(n string) {
		if state[n] != 0 {
			return
		}
		state[n] = 1
		ds := append([]string{}, deps[n]...)
		sort.Strings(ds)
		for _, d := range ds {
			if rel := relationOf(d); rel != "" {
				d = "rel " + rel
			}
			if in[d] && d != n {
				visit(d)
			}
		}
		state[n] = 2
		out = append(out, n)
	}
	for _, n := range nodes {
		visit(n)
	}
	return out
}
