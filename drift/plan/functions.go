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

func functionKind(f *model.Function) string {
	switch f.Kind {
	case "p":
		return "PROCEDURE"
	case "a":
		return "AGGREGATE"
	}
	return "FUNCTION"
}

func functionKey(f *model.Function) string { return f.Key() }

func functionObj(f *model.Function) string {
	return strings.ToLower(functionKind(f)) + " " + f.Schema + "." + f.Name + "(" + f.Signature + ")"
}

// functionSignature is the function as DROP and COMMENT name it.
func functionSignature(f *model.Function) string {
	if f.Kind == "a" && f.Arguments == "" {
		return qn(f.Schema, f.Name) + "(*)"
	}
	return qn(f.Schema, f.Name) + "(" + f.Arguments + ")"
}

// functionReplaceable reports whether CREATE OR REPLACE turns l into d. PostgreSQL
// refuses to change the kind, the result type (OUT arguments included), the name of
// an argument, or to remove an argument default; aggregates are always dropped and
// created again.
func functionReplaceable(l, d *model.Function) bool {
	return l.Kind == d.Kind && l.Kind != "a" && l.Result == d.Result && l.AllArguments == d.AllArguments &&
		slices.Equal(l.ArgNames, d.ArgNames) && d.Defaults >= l.Defaults
}

// lateFunction reports whether a desired function must be created after the tables
// and views: it reads a relation's row type or a relation in an SQL-standard body
// (both recorded in pg_depend), or an enum this plan swaps (the new type takes the
// old name only in the table stage). The others are created before the tables, whose
// defaults, checks and generated columns may call them.
func (r *routinePlan) lateFunction(f *model.Function) bool {
	for _, ref := range r.desiredDeps["fn "+f.Key()] {
		if strings.HasPrefix(ref, "rel ") || strings.HasPrefix(ref, "col ") {
			return true
		}
		if strings.HasPrefix(ref, "type ") && r.swappedTypes[ref[5:]] {
			return true
		}
	}
	return false
}

// functionChanges reports whether the desired function k is created or replaced.
func (r *routinePlan) functionChanges(k string) bool {
	return r.liveFns[k] == nil || r.recreateFns[k] || r.replaceFns[k]
}

// planFunctions creates, replaces and comments functions; those that read
// relations are created with the views (planCreates).
func (r *routinePlan) planFunctions() {
	b := r.b
	var early []string
	// pair plans desired function d; l is the live one, nil when it is new.
	pair := func(d, l *model.Function) {
		k := d.Key()
		obj := functionObj(d)
		switch {
		case l == nil:
			b.change(obj, "missing in the database")
		case r.recreateFns[k] && l.Definition != d.Definition:
			b.change(obj, differs("definition", l.Definition, d.Definition)+" (cannot be replaced in place: dropped and created again)")
		case r.recreateFns[k]:
			b.change(obj, "depends on an object that is dropped and created again: dropped and created again")
		case r.replaceFns[k]:
			b.change(obj, differs("definition", l.Definition, d.Definition))
		}
		if r.functionChanges(k) && !r.lateFunction(d) {
			early = append(early, "fn "+k)
		}
		switch {
		case l == nil || r.recreateFns[k]:
			if d.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL(functionKind(d), functionSignature(d), d.Comment))
			}
		case l.Comment != d.Comment:
			b.change(obj, differs("comment", l.Comment, d.Comment))
			b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL(functionKind(d), functionSignature(d), d.Comment))
		}
	}
	byName[model.Function]{
		key:    functionKey,
		create: func(d *model.Function) { pair(d, nil) },
		alter:  pair,
	}.visit(b.desired.Functions, b.live.Functions)
	for _, n := range topoOrder(early, r.desiredDeps) {
		r.createFunction(r.desiredFns[strings.TrimPrefix(n, "fn ")], stageCreateFunction)
	}
}

// createFunction creates or replaces a function. Bodies are not checked at creation
// (check_function_bodies = off, as pg_dump does): an SQL function may read a table
// that this plan creates later.
func (r *routinePlan) createFunction(d *model.Function, stage int) {
	b := r.b
	if !r.functionBodiesOff {
		r.functionBodiesOff = true
		b.add(stageSettings, PhaseTransactional, lockNone, "session", "SET LOCAL check_function_bodies = off")
	}
	b.add(stage, PhaseTransactional, lockNone, functionObj(d), strings.TrimRight(d.Definition, "\n ;"))
}

func (r *routinePlan) dropFunction(f *model.Function, stage int) {
	if r.desiredFns[f.Key()] == nil {
		r.b.change(functionObj(f), "exists in the database, not in Git")
	}
	r.b.add(stage, PhaseTransactional, lockNone, functionObj(f), "DROP "+functionKind(f)+" "+functionSignature(f))
	r.b.droppedRoutineNames = append(r.b.droppedRoutineNames, [2]string{f.Schema, f.Name})
}

// planFinalFunctionDrops drops the functions Git no longer has, after the tables
// (whose defaults and checks may use them) and before the types they may take.
func (r *routinePlan) planFinalFunctionDrops() {
	var nodes []string
	for k := range r.liveFns {
		if r.desiredFns[k] == nil && !r.recreateFns[k] {
			nodes = append(nodes, "fn "+k)
		}
	}
	order := topoOrder(nodes, r.liveDeps)
	for i := len(order) - 1; i >= 0; i-- {
		r.dropFunction(r.liveFns[strings.TrimPrefix(order[i], "fn ")], stageDropFunction)
	}
}
