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

// objectStages are the stages at which an object kind is created, dropped, and
// dropped to be created again: statistics with the indexes, rules with the
// triggers (after the views they may belong to, before views are dropped),
// operators right after the functions they call, dropped before them, and
// dropped early when they are created again. after is the lock of the statements
// that follow the creation (a rule's firing is set by ALTER TABLE).
var objectStages = map[string]struct {
	create, drop, replace int
	after                 string
}{
	"statistics": {stageCreateIndex, stageDropIndex, stageDropIndex, lockNone},
	"rule":       {stageCreateTrigger, stageDropRoutines, stageDropRoutines, lockAccessExclusive},
	"operator":   {stageCreateOperator, stageDropOperator, stageDropRoutines, lockNone},
	// Dictionaries before the configurations that map to them, and after them
	// when dropped (configurations sort first, so they go first in a stage).
	"text search dictionary":    {stageCreateOperator, stageDropFunction, stageDropRoutines, lockNone},
	"text search configuration": {stageCreateTextSearch, stageDropOperator, stageDropRoutines, lockNone},
	// Casts after the types and functions they name, before the tables, views and
	// functions whose expressions may rely on them.
	"cast": {stageCreateOperator, stageDropOperator, stageDropRoutines, lockNone},
}

// catalogObjects plans extended statistics, rules and operators: a missing one is
// created, one Git lacks is dropped, a changed one is dropped and created again;
// a statistics target or a rule's firing changes in place. Those of tables and
// views this plan drops or creates again go and come back with them.
func (b *builder) catalogObjects() error {
	gone := func(o model.Object) bool {
		return o.Table != "" && (b.droppedTables[o.Table] || b.recreated[o.Table] || b.recreatedViews[o.Table])
	}
	create := func(o *model.Object) {
		st := objectStages[o.Kind]
		b.add(st.create, PhaseTransactional, lockNone, o.ID(), o.Create)
		for _, s := range o.After {
			b.onTable(afterTable(o)).add(st.create, PhaseTransactional, st.after, o.ID(), s)
		}
		if o.Comment != "" {
			b.add(st.create, PhaseTransactional, lockNone, o.ID(), objectComment(o))
		}
	}
	byName[model.Object]{
		key: func(o *model.Object) string { return o.ID() },
		create: func(o *model.Object) {
			b.change(o.ID(), "missing in the database")
			create(o)
		},
		alter: func(o, l *model.Object) {
			id, st := o.ID(), objectStages[o.Kind]
			switch {
			case l.Create != o.Create:
				b.change(id, differs("definition", l.Create, o.Create))
				b.add(st.replace, PhaseTransactional, lockNone, id, l.Drop)
				create(o)
				return
			case !slices.Equal(l.After, o.After) && o.Kind == "text search configuration":
				b.change(id, differs("mappings", strings.Join(mappingsText(l.After), "; "), strings.Join(mappingsText(o.After), "; ")))
				for _, s := range mappingChanges(l.After, o.After) {
					b.onTable(afterTable(o)).add(st.create, PhaseTransactional, st.after, id, s)
				}
			case !slices.Equal(l.After, o.After):
				b.change(id, differs(afterWhat(o.Kind), strings.Join(l.After, "; "), strings.Join(o.After, "; ")))
				after := o.After
				if len(after) == 0 {
					after = []string{resetAfter(*o)}
				}
				for _, s := range after {
					b.onTable(afterTable(o)).add(st.create, PhaseTransactional, st.after, id, s)
				}
			}
			if l.Comment != o.Comment {
				b.change(id, differs("comment", l.Comment, o.Comment))
				b.add(st.create, PhaseTransactional, lockNone, id, objectComment(o))
			}
		},
		drop: func(o *model.Object) {
			b.change(o.ID(), "exists in the database, not in Git")
			phase := PhaseTransactional
			if strings.HasPrefix(o.Kind, "text search ") {
				// After indexes that use it, which go concurrently after the
				// transaction; nothing else in the plan needs it gone.
				phase = PhaseOnline
			}
			b.add(objectStages[o.Kind].drop, phase, lockNone, o.ID(), o.Drop)
		},
	}.visit(b.desired.Objects, slices.DeleteFunc(slices.Clone(b.live.Objects), gone))
	return nil
}

// afterTable is the table the statements after an object's creation alter: a
// rule's firing is set by ALTER TABLE on its table.
func afterTable(o *model.Object) string {
	if o.Kind == "rule" {
		return o.Table
	}
	return ""
}

// objectComment is COMMENT ON the object's target (e.g. "STATISTICS s.name").
func objectComment(o *model.Object) string {
	kind, _, _ := strings.Cut(o.Target, " ")
	return commentSQL(kind, strings.TrimPrefix(o.Target, kind+" "), o.Comment)
}

func afterWhat(kind string) string {
	if kind == "rule" {
		return "firing"
	}
	return "statistics target"
}

// resetAfter returns the statement that takes an object back to what CREATE makes
// of it: the default statistics target, a rule that fires in origin mode.
func resetAfter(o model.Object) string {
	if o.Kind == "rule" {
		name, _, _ := strings.Cut(o.Name, " on ")
		return "ALTER TABLE " + o.Table + " ENABLE RULE " + q(name)
	}
	return "ALTER " + o.Target + " SET STATISTICS -1"
}

// mappings parses a text search configuration's "ALTER TEXT SEARCH CONFIGURATION
// c ADD MAPPING FOR token WITH dicts" statements into token → statement.
func mappings(after []string) map[string]string {
	m := map[string]string{}
	for _, s := range after {
		_, rest, ok := strings.Cut(s, " ADD MAPPING FOR ")
		if !ok {
			continue
		}
		token, _, _ := strings.Cut(rest, " WITH ")
		m[token] = s
	}
	return m
}

func mappingsText(after []string) []string {
	var out []string
	for _, s := range after {
		if _, rest, ok := strings.Cut(s, " ADD MAPPING FOR "); ok {
			out = append(out, rest)
		}
	}
	return out
}

// mappingChanges turns a configuration's live mappings into Git's: DROP MAPPING
// for token types Git does not map, ALTER MAPPING for those it maps to other
// dictionaries, ADD MAPPING for new ones.
func mappingChanges(live, desired []string) []string {
	lm, dm := mappings(live), mappings(desired)
	var out []string
	for _, token := range sortedKeys(lm) {
		if _, ok := dm[token]; !ok {
			head, _, _ := strings.Cut(lm[token], " ADD MAPPING FOR ")
			out = append(out, head+" DROP MAPPING IF EXISTS FOR "+token)
		}
	}
	for _, token := range sortedKeys(dm) {
		switch l, ok := lm[token]; {
		case !ok:
			out = append(out, dm[token])
		case l != dm[token]:
			out = append(out, strings.Replace(dm[token], " ADD MAPPING FOR ", " ALTER MAPPING FOR ", 1))
		}
	}
	return out
}
