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
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

func viewKind(v *model.View) string {
	if v.Materialized {
		return "MATERIALIZED VIEW"
	}
	return "VIEW"
}

func viewObj(v *model.View) string {
	return strings.ToLower(viewKind(v)) + " " + v.Schema + "." + v.Name
}

func sameViewColumns(a, b []model.ViewColumn) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Type != b[i].Type || a[i].Collation != b[i].Collation {
			return false
		}
	}
	return true
}

// viewReplaceable reports whether CREATE OR REPLACE VIEW turns l into d: PostgreSQL
// keeps the existing columns only with the same names, types and collations, in the
// same order, and allows new columns only at the end.
func viewReplaceable(l, d *model.View) bool {
	if l.Materialized || d.Materialized || len(d.Columns) < len(l.Columns) {
		return false
	}
	return sameViewColumns(l.Columns, d.Columns[:len(l.Columns)])
}

func createViewSQL(v *model.View, replace bool) string {
	var s strings.Builder
	s.WriteString("CREATE ")
	if replace {
		s.WriteString("OR REPLACE ")
	}
	s.WriteString(viewKind(v) + " " + v.Key())
	if len(v.Options) > 0 {
		// check_option, security_barrier and security_invoker are reloptions too.
		// CREATE OR REPLACE VIEW replaces the whole list, also by an empty one.
		s.WriteString(" WITH (" + strings.Join(v.Options, ", ") + ")")
	}
	s.WriteString(" AS\n" + v.Definition)
	if v.Materialized {
		s.WriteString("\nWITH NO DATA")
	}
	return s.String()
}

// dropView drops a live view that goes or is created again.
func (r *routinePlan) dropView(v *model.View) {
	b := r.b
	obj := viewObj(v)
	if r.desiredViews[v.Key()] == nil {
		b.change(obj, "exists in the database, not in Git")
	}
	b.add(stageDropRoutines, PhaseTransactional, lockAccessExclusive, obj, "DROP "+viewKind(v)+" "+v.Key(), AccessExclusiveLock)
	b.droppedRoutineNames = append(b.droppedRoutineNames, [2]string{v.Schema, v.Name})
}

// planViews plans the properties of views that stay: comments, options, the indexes
// of materialized views, a materialized view left unpopulated.
func (r *routinePlan) planViews() {
	b := r.b
	alter := func(d, l *model.View) {
		k := d.Key()
		if r.recreateViews[k] {
			switch {
			case l.Materialized != d.Materialized:
				b.change(viewObj(d), differs("kind", strings.ToLower(viewKind(l)), strings.ToLower(viewKind(d))))
			case l.Definition != d.Definition:
				b.change(viewObj(d), differs("definition", l.Definition, d.Definition)+" (dropped and created again)")
			default:
				b.change(viewObj(d), "depends on an object that is dropped and created again: dropped and created again")
			}
			return
		}
		obj := viewObj(d)
		name := d.Key()
		if r.replaceViews[k] {
			b.change(obj, differs("definition", l.Definition, d.Definition))
		} else if strings.Join(l.Options, ",") != strings.Join(d.Options, ",") {
			b.change(obj, differs("options", strings.Join(l.Options, ", "), strings.Join(d.Options, ", ")))
			var reset, set []string
			for _, o := range l.Options {
				key, _, _ := strings.Cut(o, "=")
				if !hasOptionKey(d.Options, key) {
					reset = append(reset, key)
				}
			}
			for _, o := range d.Options {
				if !contains(l.Options, o) {
					set = append(set, o)
				}
			}
			if len(reset) > 0 {
				b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj, "ALTER "+viewKind(d)+" "+name+" RESET ("+strings.Join(reset, ", ")+")")
			}
			if len(set) > 0 {
				b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj, "ALTER "+viewKind(d)+" "+name+" SET ("+strings.Join(set, ", ")+")")
			}
		}
		if l.Comment != d.Comment {
			b.change(obj, differs("comment", l.Comment, d.Comment))
			b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL(viewKind(d), name, d.Comment))
		}
		commentColumn := func(c *model.ViewColumn) {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj+"."+c.Name, commentSQL("COLUMN", name+"."+q(c.Name), c.Comment))
		}
		byName[model.ViewColumn]{
			key: func(c *model.ViewColumn) string { return c.Name },
			create: func(c *model.ViewColumn) {
				if c.Comment != "" {
					commentColumn(c)
				}
				r.viewColumnSettings(d, *c, nil)
			},
			alter: func(c, lc *model.ViewColumn) {
				if lc.Comment != c.Comment {
					b.change(obj+"."+c.Name, differs("comment", lc.Comment, c.Comment))
					commentColumn(c)
				}
				r.viewColumnSettings(d, *c, lc.Settings)
			},
		}.visit(d.Columns, l.Columns)
		if d.Materialized {
			r.matviewIndexes(l, d)
			if !l.Populated && d.Populated {
				b.change(obj, "not populated in the database")
				b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj, "REFRESH MATERIALIZED VIEW "+name, ViewRefresh, AccessExclusiveLock)
				b.longLast()
			}
		}
	}
	byName[model.View]{
		key: func(v *model.View) string { return v.Key() },
		create: func(d *model.View) {
			b.change(viewObj(d), "missing in the database")
		},
		alter: alter,
	}.visit(b.desired.Views, b.live.Views)
}

// createView creates a view or materialized view (new, or dropped before), or
// replaces a view in place, with its comments, indexes and data.
func (r *routinePlan) createView(d *model.View) {
	b := r.b
	obj := viewObj(d)
	name := d.Key()
	replace := r.replaceViews[name]
	b.add(stageCreateView, PhaseTransactional, viewLock(d, replace), obj, createViewSQL(d, replace))
	if d.Materialized && !replace {
		b.longLast() // it runs its query
	}
	if replace {
		return
	}
	if d.Comment != "" {
		b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL(viewKind(d), name, d.Comment))
	}
	for _, c := range d.Columns {
		if c.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj+"."+c.Name, commentSQL("COLUMN", name+"."+q(c.Name), c.Comment))
		}
		r.viewColumnSettings(d, c, nil)
	}
	if !d.Materialized {
		return
	}
	// The indexes are built before the data is computed: REFRESH fills them in one go.
	for _, x := range d.Indexes {
		r.createMatviewIndex(x, false)
	}
	// A materialized view is created WITH NO DATA and refreshed: it runs its query
	// in the transaction. Git's copy may be unpopulated (pg_dump writes WITH NO DATA),
	// yet an unpopulated view cannot be queried, so it is always refreshed.
	b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj, "REFRESH MATERIALIZED VIEW "+name, ViewRefresh)
	b.longLast()
}

func (r *routinePlan) createMatviewIndex(x model.Index, online bool) {
	b := r.b
	obj := "index " + x.Schema + "." + x.Name
	phase := PhaseTransactional
	if online {
		phase = PhaseOnline
	}
	b.add(stageCreateView, phase, indexLock(online), obj, rewriteIndexDef(x, x.Name, online, false), IndexBuild)
	if online {
		b.cleanupLast("DROP INDEX CONCURRENTLY IF EXISTS " + qn(x.Schema, x.Name))
	}
	if x.Comment != "" {
		b.add(stageComment, phase, lockShareUpdateExclusive, obj, commentSQL("INDEX", qn(x.Schema, x.Name), x.Comment))
	}
	if x.Clustered {
		b.add(stageCreateView, phase, lockAccessExclusive, obj, "ALTER MATERIALIZED VIEW "+x.Table+" CLUSTER ON "+q(x.Name))
	}
}

// matviewIndexes plans the indexes of a materialized view that stays. New indexes
// are built concurrently after the transaction, like indexes of existing tables.
func (r *routinePlan) matviewIndexes(l, d *model.View) {
	b := r.b
	obj := func(x *model.Index) string { return "index " + x.Schema + "." + x.Name }
	byName[model.Index]{
		key: func(x *model.Index) string { return x.Name },
		create: func(x *model.Index) {
			b.change(obj(x), "missing in the database")
			r.createMatviewIndex(*x, true)
		},
		alter: func(x, lx *model.Index) {
			name := qn(x.Schema, x.Name)
			if lx.Definition != x.Definition || !lx.Valid {
				b.change(obj(x), differs("definition", lx.Definition, x.Definition))
				b.add(stageDropRoutines, PhaseTransactional, lockAccessExclusive, obj(x), "DROP INDEX "+name)
				r.createMatviewIndex(*x, false)
				return
			}
			if lx.Comment != x.Comment {
				b.change(obj(x), differs("comment", lx.Comment, x.Comment))
				b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj(x), commentSQL("INDEX", name, x.Comment))
			}
			if lx.Clustered != x.Clustered {
				b.change(obj(x), differs("clustered", fmt.Sprint(lx.Clustered), fmt.Sprint(x.Clustered)))
				if x.Clustered {
					b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj(x), "ALTER MATERIALIZED VIEW "+d.Key()+" CLUSTER ON "+q(x.Name))
				} else {
					b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj(x), "ALTER MATERIALIZED VIEW "+d.Key()+" SET WITHOUT CLUSTER")
				}
			}
		},
		drop: func(x *model.Index) {
			b.change(obj(x), "exists in the database, not in Git")
			b.add(stageDropRoutines, PhaseOnline, lockShareUpdateExclusive, obj(x), "DROP INDEX CONCURRENTLY IF EXISTS "+qn(x.Schema, x.Name))
		},
	}.visit(d.Indexes, l.Indexes)
}

// viewColumnSettings plans ALTER VIEW / ALTER MATERIALIZED VIEW ... ALTER COLUMN
// for the settings of column c that the live column (with settings live; nil for a
// view created by the plan) lacks, resetting those Git lacks.
func (r *routinePlan) viewColumnSettings(d *model.View, c model.ViewColumn, live []string) {
	if slices.Equal(live, c.Settings) {
		return
	}
	b := r.b
	obj := viewObj(d) + "." + c.Name
	alter := "ALTER " + viewKind(d) + " " + d.Key() + " ALTER COLUMN " + q(c.Name) + " "
	clauses := func(list []string) map[string]string {
		m := map[string]string{}
		for _, s := range list {
			set, reset, _ := strings.Cut(s, "|")
			m[settingKind(set)] = set + "|" + reset
		}
		return m
	}
	lm, dm := clauses(live), clauses(c.Settings)
	if live != nil {
		b.change(obj, differs("settings", settingsText(live), settingsText(c.Settings)))
	}
	for _, k := range sortedKeys(lm) {
		if _, ok := dm[k]; !ok {
			_, reset, _ := strings.Cut(lm[k], "|")
			b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj, alter+reset)
		}
	}
	for _, k := range sortedKeys(dm) {
		if lm[k] != dm[k] {
			set, _, _ := strings.Cut(dm[k], "|")
			b.add(stageCreateView, PhaseTransactional, lockAccessExclusive, obj, alter+set)
		}
	}
}

// settingKind is what a setting clause sets: "SET DEFAULT", "SET STATISTICS",
// "SET STORAGE", "SET COMPRESSION", or "SET (key" for an attribute option.
func settingKind(set string) string {
	if rest, ok := strings.CutPrefix(set, "SET ("); ok {
		key, _, _ := strings.Cut(rest, "=")
		return "SET (" + key
	}
	f := strings.Fields(set)
	if len(f) < 2 {
		return set
	}
	return f[0] + " " + f[1]
}

func settingsText(list []string) string {
	var out []string
	for _, s := range list {
		set, _, _ := strings.Cut(s, "|")
		out = append(out, set)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
