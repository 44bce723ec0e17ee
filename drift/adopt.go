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
	reverse, err := plan.Build(live, desired, popts)
	if err != nil {
		return nil, fmt.Errorf("adopting: %w", err)
	}
	a.Statements = append(canonical(reverse.Statements, leftovers(desired)), weaken(desired, live)...)
	for _, s := range a.Statements {
		if isDrop(s) {
			a.Drops = append(a.Drops, s.SQL)
		}
	}
	// What cannot be adopted, as the forward plan words it (database, then Git).
	switch {
	case len(reverse.Blocked) > 0 || len(forward.Blocked) > 0:
		a.Blocked = append(a.Blocked, forward.Blocked...)
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
