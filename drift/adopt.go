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

package drift

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/apply"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/drift/plan"
)

// Adoption is the drift of a live database turned into SQL for Git: the reverse
// plan (the statements that turn the desired schema into the live one), in
// canonical form. Added to the desired folder as its last file, it makes the
// desired schema equal to the live database, so the next plan is empty.
type Adoption struct {
	// PlanID is the id of the forward plan (live → desired) whose drift this
	// adopts: the plan `schemactl plan` shows.
	PlanID string `json:"planID"`
	// Drift are the differences adopted, as the forward plan reports them.
	Drift []Difference `json:"drift"`
	// Statements are the canonical statements of the reverse plan, in order.
	Statements []Statement `json:"statements"`
	// Drops are the statements that drop something Git declares (the database no
	// longer has it): adopting them removes it from the desired schema.
	Drops []string `json:"drops"`
	// Rebuilt are the statements that drop a partitioned index or key Git
	// declares with the partition indexes and keys attached to it, which the
	// statements after them create again as the database has them: PostgreSQL
	// cannot detach a partition's index, nor drop one that is attached.
	Rebuilt []string `json:"rebuilt,omitempty"`
	// Blocked are differences no statement can adopt (an unsupported object kind
	// that differs, a change the engine cannot plan); the adopted folder still
	// differs in them.
	Blocked []Difference `json:"blocked"`
	// Warnings are the skipped statements of the desired SQL.
	Warnings []Warning `json:"-"`
}

// Empty reports whether there is nothing to adopt: the database matches Git.
func (a *Adoption) Empty() bool { return len(a.Drift) == 0 && len(a.Blocked) == 0 }

// SQL renders the adoption as a file for Git: a header naming the drift it adopts,
// the drops it contains and what it cannot adopt, then one statement per line
// group, each ended by a semicolon. The output is deterministic: the same drift
// gives the same file.
func (a *Adoption) SQL() string {
	var b strings.Builder
	b.WriteString("-- Adopted by schemactl adopt: the changes made in the database, as SQL for Git.\n")
	b.WriteString("-- Add this file to the schema folder as its LAST file (it must sort after the others);\n")
	b.WriteString("-- the desired schema then equals the database and the plan is empty.\n")
	if a.Empty() {
		b.WriteString("-- Nothing to adopt: the database matches the desired schema.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "-- Adopts the drift of plan %s (%d difference(s)):\n", a.PlanID, len(a.Drift))
	for _, d := range a.Drift {
		b.WriteString("--   " + oneLine(d.Object+": "+d.Change) + "\n")
	}
	if len(a.Drops) > 0 {
		fmt.Fprintf(&b, "-- WARNING: %d statement(s) below DROP what Git declares (the database no longer has it):\n", len(a.Drops))
		for _, s := range a.Drops {
			b.WriteString("--   " + oneLine(s) + "\n")
		}
	}
	if len(a.Rebuilt) > 0 {
		fmt.Fprintf(&b, "-- %d statement(s) below drop a partitioned index or key with what is attached to it, created again\n", len(a.Rebuilt))
		b.WriteString("-- after them as the database has it (a partition's index cannot be detached):\n")
		for _, s := range a.Rebuilt {
			b.WriteString("--   " + oneLine(s) + "\n")
		}
	}
	if len(a.Blocked) > 0 {
		fmt.Fprintf(&b, "-- NOT ADOPTED: %d difference(s) no statement can adopt; edit Git by hand:\n", len(a.Blocked))
		for _, d := range a.Blocked {
			b.WriteString("--   " + oneLine(d.Object+": "+d.Change) + "\n")
		}
	}
	for _, s := range a.Statements {
		b.WriteString("\n" + s.SQL + ";\n")
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Adopt loads the desired schema of opts.Dir, inspects the target database and
// returns its drift as SQL for Git (see Adoption). It never writes to the target.
func Adopt(ctx context.Context, opts Options) (*Adoption, error) {
	if opts.URL == "" {
		return nil, errNoURL
	}
	conn, err := Connect(ctx, opts.URL)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	lopts, err := opts.loadOptions(ctx, conn)
	if err != nil {
		return nil, err
	}
	desired, warnings, err := LoadDesiredWith(ctx, opts.Dir, lopts, opts.inspectOptions())
	if err != nil {
		return &Adoption{Warnings: warnings}, err
	}
	a, err := AdoptModel(ctx, conn, desired, opts)
	if a != nil {
		a.Warnings = warnings
	}
	return a, err
}

// AdoptModel returns the drift of the database behind conn from an already loaded
// desired model as SQL for Git: the reverse plan (desired and live swapped), in
// canonical form. It never writes to the database.
func AdoptModel(ctx context.Context, conn *pgx.Conn, desired *model.Schema, opts Options) (*Adoption, error) {
	forward, live, err := DiffModel(ctx, conn, desired, opts)
	if err != nil {
		return nil, err
	}
	return adoptPlans(ctx, conn, forward, desired, live, opts)
}

// AdoptFrom is AdoptModel for a caller that planned already: forward is the plan
// from live to desired.
func AdoptFrom(ctx context.Context, conn *pgx.Conn, forward *ChangePlan, desired, live *Model, opts Options) (*Adoption, error) {
	return adoptPlans(ctx, conn, forward, desired, live, opts)
}

func adoptPlans(ctx context.Context, conn *pgx.Conn, forward *plan.Plan, desired, live *model.Schema, opts Options) (*Adoption, error) {
	a := &Adoption{PlanID: forward.ID, Drift: forward.Changes, Statements: []Statement{}, Drops: []string{}, Blocked: []Difference{}}
	if forward.Empty() {
		return a, nil
	}
	// The reverse plan turns the desired model into the live one. The extensions
	// it creates are the target's own, so no extension check applies.
	popts := opts.planOptions()
	casts, err := inspectCasts(ctx, conn, live, desired)
	if err != nil {
		return nil, fmt.Errorf("adopting: %w", err)
	}
	popts.Casts = casts
	drops, rebuilt, from := rebuilds(desired, live)
	reverse, err := plan.Build(live, from, popts)
	if err != nil {
		return nil, fmt.Errorf("adopting: %w", err)
	}
	a.Statements = append(append(drops, canonical(reverse.Statements, leftovers(desired))...), weaken(desired, live)...)
	for _, s := range a.Statements {
		switch {
		case rebuilt[s.SQL]:
			a.Rebuilt = append(a.Rebuilt, s.SQL)
		case isDrop(s):
			a.Drops = append(a.Drops, s.SQL)
		}
	}
	// What cannot be adopted, as the forward plan words it (database, then Git).
	switch {
	case len(reverse.Blocked) > 0 && len(forward.Blocked) > 0:
		a.Blocked = append(a.Blocked, forward.Blocked...)
	case len(reverse.Blocked) > 0:
		a.Blocked = append(a.Blocked, reverse.Blocked...)
	case len(a.Statements) == 0:
		// Drift that no statement turns Git into (PostgreSQL cannot detach a
		// partition's index, nor unpopulate a materialized view in place).
		for _, d := range forward.Changes {
			a.Blocked = append(a.Blocked, Difference{Object: d.Object, Change: d.Change + " (no statement adopts it)"})
		}
	}
	return a, nil
}

// isDrop reports whether a statement of the reverse plan removes something Git
// declares: it loses data, or drops an object.
func isDrop(s Statement) bool {
	if s.Destructive() {
		return true
	}
	for _, line := range strings.Split(s.SQL, "\n") {
		if strings.HasPrefix(line, "DROP ") && !strings.Contains(line, "__schemactl_") {
			return true
		}
	}
	return strings.Contains(s.SQL, " DROP COLUMN ")
}

// validateRE is a VALIDATE CONSTRAINT step of the online phase.
var validateRE = regexp.MustCompile(`^ALTER TABLE (.+) VALIDATE CONSTRAINT (.+)$`)

// canonical turns a plan's statements into the SQL one writes in Git rather than
// the steps apply takes to keep a busy database available: no CONCURRENTLY (the
// folder loads into an empty scratch database), a constraint added NOT VALID and
// validated later is added valid, an online SET NOT NULL loses its helper check,
// and what only touches data (ANALYZE, REFRESH MATERIALIZED VIEW, which the loader
// skips) goes. Dropping a temporary index before it is built goes too.
//
// leftovers are the statements that remove a helper of an interrupted online
// step that Git itself declares (a dump taken mid-apply): they stay.
func canonical(stmts []plan.Statement, leftovers map[string]bool) []plan.Statement {
	// A constraint added NOT VALID whose VALIDATE step follows is added valid.
	adds := map[int]bool{}
	validates := map[int]bool{}
	for i, s := range stmts {
		m := validateRE.FindStringSubmatch(s.SQL)
		if m == nil {
			continue
		}
		prefix := "ALTER TABLE " + m[1] + " ADD CONSTRAINT " + m[2] + " "
		for j := range i {
			if sql := stmts[j].SQL; strings.HasPrefix(sql, prefix) && strings.HasSuffix(sql, " NOT VALID") {
				adds[j], validates[i] = true, true
			}
		}
	}
	// The helper check of an online SET NOT NULL (added NOT VALID, validated,
	// dropped): SET NOT NULL alone says it. A helper left over in a database is
	// no such step and stays.
	helpers := map[string]bool{}
	for j := range adds {
		sql := stmts[j].SQL
		if m := addConstraintRE.FindStringSubmatch(sql); m != nil && strings.Contains(m[2], "__schemactl_not_null") {
			helpers[sql] = true
			helpers["ALTER TABLE "+m[1]+" DROP CONSTRAINT IF EXISTS "+m[2]] = true
		}
	}
	var out []plan.Statement
	for i, s := range stmts {
		sql := s.SQL
		switch {
		case leftovers[sql]:
		case validates[i], helpers[sql]:
			continue
		case strings.HasPrefix(sql, "ANALYZE "), strings.HasPrefix(sql, "REFRESH MATERIALIZED VIEW "):
			continue
		case !leftovers[sql] && strings.HasPrefix(sql, "DROP INDEX CONCURRENTLY IF EXISTS ") && strings.Contains(sql, "__schemactl_new"):
			// The temporary index of an online key is not there yet in Git.
			continue
		}
		sql = strings.ReplaceAll(sql, "INDEX CONCURRENTLY ", "INDEX ")
		// The loader runs each statement on its own, where SET LOCAL does nothing;
		// SET holds for the rest of the file, as in pg_dump's output.
		if rest, ok := strings.CutPrefix(sql, "SET LOCAL "); ok {
			sql = "SET " + rest
		}
		if adds[i] {
			sql = strings.TrimSuffix(sql, " NOT VALID")
		}
		s.SQL = sql
		s.Phase, s.PhaseName = plan.PhaseTransactional, plan.PhaseTransactional.String()
		s.Cleanup = nil
		out = append(out, s)
	}
	if out == nil {
		out = []plan.Statement{}
	}
	return out
}

// inspectCasts inspects the conversions the plan from live to desired needs, on
// the target.
func inspectCasts(ctx context.Context, conn *pgx.Conn, desired, live *model.Schema) (map[plan.CastPair]plan.Cast, error) {
	return apply.InspectCasts(ctx, conn, plan.NeededCasts(desired, live))
}

// addConstraintRE is ALTER TABLE t ADD CONSTRAINT c ... as the planner writes it.
var addConstraintRE = regexp.MustCompile(`^ALTER TABLE (\S+) ADD CONSTRAINT ("(?:[^"]|"")+"|\S+) `)

// AdoptFile is one file of AdoptPerObject: the definitions, as the database has
// them, of the drifted objects of one kind.
type AdoptFile struct {
	// Name is the file's name, adopt_<kind>.sql.
	Name string
	// Kind is the object kind ("table", "index", "view", ...).
	Kind string
	// Objects are the drifted objects the file defines or names as gone.
	Objects []string
	// SQL is the file's text.
	SQL string
}

// AdoptPerObject loads the desired schema of opts.Dir, inspects the target and
// returns the drifted objects' own definitions as the database has them, one file
// per object kind: what replaces each object's definition in Git (a table's file
// holds its whole CREATE TABLE with its columns and constraints). An object Git
// declares and the database no longer has is named in a comment: remove its
// definition. Unlike Adopt's file, these replace definitions in the folder rather
// than follow them.
func AdoptPerObject(ctx context.Context, opts Options) ([]AdoptFile, error) {
	if opts.URL == "" {
		return nil, errNoURL
	}
	conn, err := Connect(ctx, opts.URL)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	lopts, err := opts.loadOptions(ctx, conn)
	if err != nil {
		return nil, err
	}
	desired, _, err := LoadDesiredWith(ctx, opts.Dir, lopts, opts.inspectOptions())
	if err != nil {
		return nil, err
	}
	forward, live, err := DiffModel(ctx, conn, desired, opts)
	if err != nil {
		return nil, err
	}
	return perObject(forward, live, opts)
}

func perObject(forward *plan.Plan, live *model.Schema, opts Options) ([]AdoptFile, error) {
	drifted := map[string]bool{}
	var order []string
	for _, d := range forward.Changes {
		k := ownerObject(d.Object)
		if !drifted[k] {
			drifted[k] = true
			order = append(order, k)
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	// The definitions of the live objects: the plan that creates the live schema
	// in an empty database, in canonical form.
	defs, err := plan.Build(live, &model.Schema{}, opts.planOptions())
	if err != nil {
		return nil, fmt.Errorf("adopting: %w", err)
	}
	byObject := map[string][]string{}
	for _, s := range canonical(defs.Statements, nil) {
		k := ownerObject(s.Object)
		if drifted[k] {
			byObject[k] = append(byObject[k], s.SQL)
		}
	}
	files := map[string]*AdoptFile{}
	var kinds []string
	for _, k := range order {
		kind := objectKind(k)
		f := files[kind]
		if f == nil {
			f = &AdoptFile{Kind: kind, Name: "adopt_" + strings.ReplaceAll(kind, " ", "_") + ".sql"}
			files[kind] = f
			kinds = append(kinds, kind)
		}
		f.Objects = append(f.Objects, k)
		var b strings.Builder
		b.WriteString("\n-- " + k + "\n")
		if stmts := byObject[k]; len(stmts) > 0 {
			for _, s := range stmts {
				b.WriteString(s + ";\n")
			}
		} else {
			b.WriteString("-- not in the database: remove its definition from Git\n")
		}
		f.SQL += b.String()
	}
	out := make([]AdoptFile, 0, len(kinds))
	for _, kind := range kinds {
		f := files[kind]
		f.SQL = "-- Adopted by schemactl adopt --per-object: the definitions, as the database has them,\n" +
			"-- of the " + kind + " objects that drifted (plan " + forward.ID + ").\n" +
			"-- Replace each object's definition in Git with the one below.\n" + f.SQL
		out = append(out, *f)
	}
	return out, nil
}

// ownerObject is the object whose definition holds obj: a column's or a table
// constraint's table, a view column's view; obj itself otherwise.
func ownerObject(obj string) string {
	kind, rest, _ := strings.Cut(obj, " ")
	switch kind {
	case "column":
		if i := strings.LastIndex(rest, "."); i > 0 {
			return "table " + rest[:i]
		}
	case "constraint":
		if _, table, ok := strings.Cut(rest, " on "); ok {
			return "table " + table
		}
	case "view":
		if strings.Count(rest, ".") > 1 {
			return "view " + rest[:strings.LastIndex(rest, ".")]
		}
	case "materialized":
		if r, ok := strings.CutPrefix(rest, "view "); ok && strings.Count(r, ".") > 1 {
			return "materialized view " + r[:strings.LastIndex(r, ".")]
		}
	}
	return obj
}

// objectKind is the kind of an object as the plan names it: the words before
// its name ("materialized view public.mv" → "materialized view").
func objectKind(obj string) string {
	for _, k := range []string{"materialized view", "text search configuration", "text search dictionary", "default privileges"} {
		if strings.HasPrefix(obj, k+" ") {
			return k
		}
	}
	kind, _, _ := strings.Cut(obj, " ")
	return kind
}

// leftovers are the statements that drop the online helpers (a NOT NULL helper
// check, a temporary key index) that the model git declares.
func leftovers(git *model.Schema) map[string]bool {
	out := map[string]bool{}
	for i := range git.Tables {
		t := &git.Tables[i]
		for _, c := range t.Constraints {
			if strings.Contains(c.Name, "__schemactl_") {
				out["ALTER TABLE "+t.QualifiedName()+" DROP CONSTRAINT IF EXISTS "+model.QuoteIdent(c.Name)] = true
			}
		}
	}
	for _, x := range git.Indexes {
		if strings.Contains(x.Name, "__schemactl_") {
			out["DROP INDEX CONCURRENTLY IF EXISTS "+model.Qualified(x.Schema, x.Name)] = true
		}
	}
	return out
}

// weaken returns the statements that make a constraint Git declares valid NOT
// VALID, as the database has it. The plan never weakens a constraint (it keeps a
// validated one and notes it), so the reverse plan has no statement for it: Git
// must say NOT VALID itself for the plan to be empty.
func weaken(git, db *model.Schema) []Statement {
	var out []Statement
	add := func(object, sql string) {
		out = append(out, Statement{SQL: sql, Object: object, Phase: plan.PhaseTransactional, PhaseName: plan.PhaseTransactional.String()})
	}
	gitTables := map[string]*model.Table{}
	for i := range git.Tables {
		gitTables[git.Tables[i].QualifiedName()] = &git.Tables[i]
	}
	for i := range db.Tables {
		t := &db.Tables[i]
		gt := gitTables[t.QualifiedName()]
		if gt == nil {
			continue
		}
		for _, c := range t.Constraints {
			if c.Validated || c.Inherited {
				continue
			}
			for _, gc := range gt.Constraints {
				if gc.Name == c.Name && gc.Validated && gc.Definition == c.Definition {
					object := "constraint " + c.Name + " on " + t.Schema + "." + t.Name
					add(object, "ALTER TABLE "+t.QualifiedName()+" DROP CONSTRAINT "+model.QuoteIdent(c.Name)+
						", ADD CONSTRAINT "+model.QuoteIdent(c.Name)+" "+c.Definition+" NOT VALID")
					if gc.Comment != "" {
						add(object, "COMMENT ON CONSTRAINT "+model.QuoteIdent(c.Name)+" ON "+t.QualifiedName()+" IS "+model.QuoteLiteral(gc.Comment))
					}
				}
			}
		}
	}
	gitDomains := map[string]*model.Domain{}
	for i := range git.Domains {
		gitDomains[model.Qualified(git.Domains[i].Schema, git.Domains[i].Name)] = &git.Domains[i]
	}
	for _, d := range db.Domains {
		name := model.Qualified(d.Schema, d.Name)
		gd := gitDomains[name]
		if gd == nil {
			continue
		}
		for _, c := range d.Checks {
			if c.Validated {
				continue
			}
			for _, gc := range gd.Checks {
				if gc.Name == c.Name && gc.Validated && gc.Definition == c.Definition {
					object := "domain " + d.Schema + "." + d.Name
					add(object, "ALTER DOMAIN "+name+" DROP CONSTRAINT "+model.QuoteIdent(c.Name))
					add(object, "ALTER DOMAIN "+name+" ADD CONSTRAINT "+model.QuoteIdent(c.Name)+" "+c.Definition+" NOT VALID")
					if gc.Comment != "" {
						add(object, "COMMENT ON CONSTRAINT "+model.QuoteIdent(c.Name)+" ON DOMAIN "+name+" IS "+model.QuoteLiteral(gc.Comment))
					}
				}
			}
		}
	}
	return out
}

// keyNode is a partitioned or partition index as adopting sees it: a plain index
// or the index of a primary key, unique or exclusion constraint (named after it).
type keyNode struct {
	table      string // qualified table
	constraint string // the constraint's name, "" for a plain index
	parent     string // qualified partitioned index it is attached to, "" if none
	definition string
}

// keyNodes are the indexes and key constraints of s by qualified index name.
func keyNodes(s *model.Schema) map[string]keyNode {
	out := map[string]keyNode{}
	tables := map[string]*model.Table{}
	for i := range s.Tables {
		tables[s.Tables[i].QualifiedName()] = &s.Tables[i]
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		for _, c := range t.Constraints {
			if c.Type != "p" && c.Type != "u" && c.Type != "x" {
				continue
			}
			n := keyNode{table: t.QualifiedName(), constraint: c.Name, parent: c.ParentIndex, definition: c.Definition}
			// A key attached to its parent table's key: PostgreSQL names no
			// parent, the parent table's key of the same definition is it.
			if n.parent == "" && c.Inherited {
				if pt := tables[t.PartitionOf]; pt != nil {
					for _, pc := range pt.Constraints {
						if pc.Type == c.Type && pc.Definition == c.Definition {
							n.parent = model.Qualified(pt.Schema, pc.Name)
						}
					}
				}
			}
			out[model.Qualified(t.Schema, c.Name)] = n
		}
	}
	for _, x := range s.Indexes {
		out[model.Qualified(x.Schema, x.Name)] = keyNode{table: x.Table, parent: x.ParentIndex, definition: x.Definition}
	}
	return out
}

// rebuilds handles what the reverse plan cannot do in place on partitioned
// indexes: PostgreSQL cannot detach a partition's index or key from the
// partitioned index it is attached to, nor drop it alone, and dropping a
// partitioned index or key drops every partition index and key attached to it.
// A partitioned index or key of Git that has a partition index or key the
// database does not have attached to it (the database has it alone, attached
// elsewhere, or not at all), or that the database does not have as Git declares
// it while a partition's key is attached to it, is dropped with everything
// attached to it; the reverse plan then creates from the database what it holds
// of them, with its attachments. rebuilds returns the drops, first in the adopt
// file, those of them whose index the database has (it is created again), and
// Git as it stands after them, the model the reverse plan starts from.
func rebuilds(git, db *model.Schema) ([]plan.Statement, map[string]bool, *model.Schema) {
	gn, dn := keyNodes(git), keyNodes(db)
	// Only where the tables stay: the reverse plan drops and creates a table
	// whose partitioning changes, with its indexes and keys.
	gt, dt := map[string]*model.Table{}, map[string]*model.Table{}
	for i := range git.Tables {
		gt[git.Tables[i].QualifiedName()] = &git.Tables[i]
	}
	for i := range db.Tables {
		dt[db.Tables[i].QualifiedName()] = &db.Tables[i]
	}
	stays := func(table string) bool {
		g, d := gt[table], dt[table]
		return g != nil && d != nil && g.PartitionKey == d.PartitionKey && g.PartitionOf == d.PartitionOf
	}
	children := map[string][]string{}
	for name, n := range gn {
		if n.parent != "" {
			children[n.parent] = append(children[n.parent], name)
		}
	}
	rebuild := map[string]bool{}
	for name, n := range gn {
		if n.parent == "" || rebuild[n.parent] || !stays(n.table) || !stays(gn[n.parent].table) {
			continue
		}
		p, ok := dn[n.parent]
		d, dok := dn[name]
		switch {
		case !dok && !ok && (n.constraint == "" || gn[n.parent].constraint != ""):
			// Both go: dropping the parent drops the partition's index or key
			// (a key attached to a plain index needs the CASCADE below).
		case !dok && renamed(n, dn):
			// The database has it under another name: the reverse plan renames it.
		case !dok || d.parent != n.parent || d.table != n.table || (d.constraint == "") != (n.constraint == ""):
			// Git's partition index is not attached to the parent in the database.
			rebuild[n.parent] = true
		case n.constraint != "" && (!ok || p.definition != gn[n.parent].definition || p.constraint != gn[n.parent].constraint):
			// The parent goes or changes: a partition's key attached to it
			// keeps a plain DROP INDEX from dropping it.
			rebuild[n.parent] = true
		}
	}
	if len(rebuild) == 0 {
		return nil, nil, git
	}
	// An attached index or key cannot be dropped on its own: its topmost
	// ancestor is dropped instead.
	for name := range rebuild {
		top := name
		for gn[top].parent != "" {
			top = gn[top].parent
		}
		if top != name {
			delete(rebuild, name)
			rebuild[top] = true
		}
	}
	// An ancestor's drop covers its descendants'.
	removed := map[string]bool{}
	var remove func(name string)
	remove = func(name string) {
		removed[name] = true
		for _, c := range children[name] {
			remove(c)
		}
	}
	var names []string
	for name := range rebuild {
		remove(name)
		names = append(names, name)
	}
	slices.Sort(names)
	var drops []plan.Statement
	again := map[string]bool{}
	for _, name := range names {
		n := gn[name]
		var sql, object string
		if n.constraint != "" {
			// The partitions' keys attached to a partitioned key go with it.
			object = "constraint " + n.constraint + " on " + strings.ReplaceAll(n.table, `"`, "")
			sql = "ALTER TABLE " + n.table + " DROP CONSTRAINT " + model.QuoteIdent(n.constraint)
		} else {
			object = "index " + strings.ReplaceAll(name, `"`, "")
			sql = "DROP INDEX " + name
			// A partition's key attached to a plain partitioned index goes
			// only with CASCADE (which drops the key).
			if hasKeyBelow(name, gn, children) {
				sql += " CASCADE"
			}
		}
		if _, ok := dn[name]; ok {
			again[sql] = true
		}
		drops = append(drops, plan.Statement{SQL: sql, Object: object, Phase: plan.PhaseTransactional, PhaseName: plan.PhaseTransactional.String()})
	}
	reduced := *git
	reduced.Tables = make([]model.Table, len(git.Tables))
	for i, t := range git.Tables {
		t.Constraints = slices.DeleteFunc(slices.Clone(t.Constraints), func(c model.Constraint) bool {
			return (c.Type == "p" || c.Type == "u" || c.Type == "x") && removed[model.Qualified(t.Schema, c.Name)]
		})
		reduced.Tables[i] = t
	}
	reduced.Indexes = slices.DeleteFunc(slices.Clone(git.Indexes), func(x model.Index) bool {
		return removed[model.Qualified(x.Schema, x.Name)]
	})
	return drops, again, &reduced
}

// renamed reports whether nodes has a partition index or key of the same kind
// and definition as n, attached to n's parent on n's table: n under another name.
func renamed(n keyNode, nodes map[string]keyNode) bool {
	for _, d := range nodes {
		if d.parent == n.parent && d.table == n.table && d.constraint != "" && n.constraint != "" && d.definition == n.definition {
			return true
		}
	}
	return false
}

// hasKeyBelow reports whether a key constraint's index is attached, directly or
// further down, to the partitioned index name of a model.
func hasKeyBelow(name string, nodes map[string]keyNode, children map[string][]string) bool {
	for _, c := range children[name] {
		if nodes[c].constraint != "" || hasKeyBelow(c, nodes, children) {
			return true
		}
	}
	return false
}
