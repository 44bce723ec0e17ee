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

// types plans collations, domains, range and composite types, in that order: a
// domain may use a collation, a range a domain, a composite type any of them.
func (b *builder) types() error {
	used := b.typesInUse()
	b.collations(used)
	b.domains()
	b.ranges(used)
	b.composites(used)
	return nil
}

// typesInUse returns the qualified types and collations that live table columns use
// (arrays by their element type): they cannot be dropped and created again.
func (b *builder) typesInUse() map[string]bool {
	used := map[string]bool{}
	for _, t := range b.live.Tables {
		if b.droppedTables[t.QualifiedName()] {
			continue
		}
		for _, c := range t.Columns {
			used[strings.TrimSuffix(c.Type, "[]")] = true
			if c.Collation != "" {
				used[c.Collation] = true
			}
		}
	}
	for _, d := range b.live.Domains {
		used[d.Type] = true
		if d.Collation != "" {
			used[d.Collation] = true
		}
	}
	for _, c := range b.live.CompositeTypes {
		for _, a := range c.Attributes {
			used[strings.TrimSuffix(a.Type, "[]")] = true
			if a.Collation != "" {
				used[a.Collation] = true
			}
		}
	}
	return used
}

func (b *builder) collations(used map[string]bool) {
	obj := func(c *model.Collation) string { return "collation " + c.Schema + "." + c.Name }
	create := func(c *model.Collation) {
		if c.Provider == "d" {
			b.block(obj(c), "a collation with the default provider cannot be created")
			return
		}
		name := qn(c.Schema, c.Name)
		b.add(stageCreateType, PhaseTransactional, lockNone, obj(c), "CREATE COLLATION "+name+" "+collationDef(c))
		if c.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockNone, obj(c), commentSQL("COLLATION", name, c.Comment))
		}
	}
	byName[model.Collation]{
		key: func(c *model.Collation) string { return qn(c.Schema, c.Name) },
		create: func(c *model.Collation) {
			b.change(obj(c), "missing in the database")
			create(c)
		},
		alter: func(c, l *model.Collation) {
			name := qn(c.Schema, c.Name)
			if collationDef(l) != collationDef(c) {
				b.change(obj(c), differs("definition", collationDef(l), collationDef(c)))
				if used[name] {
					b.block(obj(c), "a collation cannot change in place and columns use it: change them to another collation first")
					return
				}
				b.add(stageCreateType, PhaseTransactional, lockNone, obj(c), "DROP COLLATION "+name)
				create(c)
				return
			}
			if l.Comment != c.Comment {
				b.change(obj(c), differs("comment", l.Comment, c.Comment))
				b.add(stageComment, PhaseTransactional, lockNone, obj(c), commentSQL("COLLATION", name, c.Comment))
			}
		},
		drop: func(c *model.Collation) {
			b.change(obj(c), "exists in the database, not in Git")
			b.add(stageDropType, PhaseTransactional, lockNone, obj(c), "DROP COLLATION "+qn(c.Schema, c.Name))
		},
	}.visit(b.desired.Collations, b.live.Collations)
}

// collationDef renders the options of CREATE COLLATION.
func collationDef(c *model.Collation) string {
	var opts []string
	switch c.Provider {
	case "i":
		opts = append(opts, "provider = icu", "locale = "+lit(c.Locale))
	case "c":
		opts = append(opts, "provider = libc", "lc_collate = "+lit(c.Collate), "lc_ctype = "+lit(c.Ctype))
	default:
		opts = append(opts, "provider = default")
	}
	if !c.Deterministic {
		opts = append(opts, "deterministic = false")
	}
	return "(" + strings.Join(opts, ", ") + ")"
}

func domainObj(d *model.Domain) string { return "domain " + d.Schema + "." + d.Name }

func (b *builder) domains() {
	live := map[string]*model.Domain{}
	for i := range b.live.Domains {
		d := &b.live.Domains[i]
		live[qn(d.Schema, d.Name)] = d
	}
	desired := map[string]*model.Domain{}
	for i := range b.desired.Domains {
		d := &b.desired.Domains[i]
		desired[qn(d.Schema, d.Name)] = d
	}
	// New domains are created base types first (a domain over a domain).
	created := map[string]bool{}
	var create func(d *model.Domain)
	create = func(d *model.Domain) {
		name := qn(d.Schema, d.Name)
		if created[name] {
			return
		}
		created[name] = true
		if base := desired[strings.TrimSuffix(d.Type, "[]")]; base != nil && live[qn(base.Schema, base.Name)] == nil {
			create(base)
		}
		b.createDomain(d)
	}
	byName[model.Domain]{
		key:    func(d *model.Domain) string { return qn(d.Schema, d.Name) },
		create: create,
		alter:  func(d, l *model.Domain) { b.alterDomain(l, d) },
		drop: func(l *model.Domain) {
			b.change(domainObj(l), "exists in the database, not in Git")
			b.dropDomainChecksOnDroppedFunctions(l)
			b.add(stageDropType, PhaseTransactional, lockNone, domainObj(l), "DROP DOMAIN "+qn(l.Schema, l.Name), DataLoss)
		},
	}.visit(b.desired.Domains, b.live.Domains)
}

// createDomain creates a domain with its base type, collation and NOT NULL; its
// default and checks are added once functions exist (stageDomainConstraint), since
// they may call functions this plan creates.
func (b *builder) createDomain(d *model.Domain) {
	name := qn(d.Schema, d.Name)
	obj := domainObj(d)
	b.change(obj, "missing in the database")
	sql := "CREATE DOMAIN " + name + " AS " + d.Type
	if d.Collation != "" {
		sql += " COLLATE " + d.Collation
	}
	if d.NotNull {
		sql += " NOT NULL"
	}
	b.add(stageCreateType, PhaseTransactional, lockNone, obj, sql)
	if d.Default != "" {
		b.add(stageDomainConstraint, PhaseTransactional, lockNone, obj, "ALTER DOMAIN "+name+" SET DEFAULT "+d.Default)
	}
	for _, c := range d.Checks {
		b.add(stageDomainConstraint, PhaseTransactional, lockDomainTables, obj, "ALTER DOMAIN "+name+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition+domainNotValid(c))
		if c.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("CONSTRAINT", q(c.Name)+" ON DOMAIN "+name, c.Comment))
		}
	}
	if d.Comment != "" {
		b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("DOMAIN", name, d.Comment))
	}
}

func domainNotValid(c model.DomainCheck) string {
	if !c.Validated {
		return " NOT VALID"
	}
	return ""
}

// alterDomain plans the differences of an existing domain. Its base type and
// collation cannot change in place (ALTER DOMAIN has no such form).
func (b *builder) alterDomain(l, d *model.Domain) {
	name := qn(d.Schema, d.Name)
	obj := domainObj(d)
	if l.Type != d.Type || l.Collation != d.Collation {
		what := differs("base type", l.Type, d.Type)
		if l.Collation != d.Collation {
			what = differs("collation", l.Collation, d.Collation)
		}
		b.change(obj, what)
		b.block(obj, "a domain's base type and collation cannot change in place: "+what+
			"; create a new domain and move the columns to it in Git")
		return
	}
	if l.Default != d.Default {
		b.change(obj, differs("default", l.Default, d.Default))
		if d.Default == "" {
			b.add(stageDomainConstraint, PhaseTransactional, lockNone, obj, "ALTER DOMAIN "+name+" DROP DEFAULT")
		} else {
			b.add(stageDomainConstraint, PhaseTransactional, lockNone, obj, "ALTER DOMAIN "+name+" SET DEFAULT "+d.Default)
		}
	}
	if l.NotNull != d.NotNull {
		b.change(obj, differs("not null", fmt.Sprint(l.NotNull), fmt.Sprint(d.NotNull)))
		if d.NotNull {
			// Every column of the domain is scanned, under a SHARE lock.
			cols, container := b.domainColumns(l, false)
			if container != "" {
				b.block(obj, "NOT NULL cannot be set: "+container+", where PostgreSQL cannot check the domain's values")
				return
			}
			b.add(stageDomainConstraint, PhaseTransactional, lockDomainTables, obj, "ALTER DOMAIN "+name+" SET NOT NULL", ValidationScan)
			b.checkLast(b.domainNotNullCheck(l, cols))
		} else {
			b.add(stageDomainConstraint, PhaseTransactional, lockNone, obj, "ALTER DOMAIN "+name+" DROP NOT NULL")
		}
	}
	// Drops first: a check may come back under the same name with a new definition.
	for _, c := range l.Checks {
		if dc, ok := findCheck(d.Checks, c.Name); !ok || dc.Definition != c.Definition {
			if !ok {
				b.change(obj, "check "+c.Name+" exists in the database, not in Git")
			} else {
				b.change(obj, "check "+c.Name+": "+differs("definition", c.Definition, dc.Definition))
			}
			b.add(stageDomainConstraint, PhaseTransactional, lockNone, obj, "ALTER DOMAIN "+name+" DROP CONSTRAINT IF EXISTS "+q(c.Name))
		}
	}
	// validated attaches to the statement added last, which validates check c
	// online, the pre-flight check of the values of the domain's columns.
	validated := func(c model.DomainCheck) {
		cols, _ := b.domainColumns(l, true)
		b.checkLast(b.domainCheckCheck(l, c, cols))
	}
	// validatable reports whether PostgreSQL can validate check c (blocked,
	// reported, when a column holds the domain where it cannot check it).
	validatable := func(c model.DomainCheck) bool {
		if _, container := b.domainColumns(l, true); container != "" {
			b.block(obj, "check "+c.Name+" cannot be validated: "+container+", where PostgreSQL cannot check the domain's values")
			return false
		}
		return true
	}
	// pair plans desired check c; ok tells whether the domain has lc live.
	pair := func(c, lc model.DomainCheck, ok bool) {
		if !ok || lc.Definition != c.Definition {
			if !ok {
				b.change(obj, "check "+c.Name+" missing in the database")
			}
			if c.Validated && !validatable(c) {
				return
			}
			// Added NOT VALID (no scan under the lock), validated online after.
			b.add(stageDomainConstraint, PhaseTransactional, lockDomainTables, obj, "ALTER DOMAIN "+name+" ADD CONSTRAINT "+q(c.Name)+" "+c.Definition+" NOT VALID")
			if c.Validated {
				added := b.seq
				b.add(stageAddConstraint, PhaseOnline, lockDomainTables, obj, "ALTER DOMAIN "+name+" VALIDATE CONSTRAINT "+q(c.Name), ValidationScan)
				b.cleanupLast("ALTER DOMAIN " + name + " DROP CONSTRAINT IF EXISTS " + q(c.Name))
				b.revertsLast(added)
				validated(c)
			}
			if c.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("CONSTRAINT", q(c.Name)+" ON DOMAIN "+name, c.Comment))
			}
			return
		}
		if lc.Validated && !c.Validated {
			b.note(obj, "check "+c.Name+" "+notValidKept)
		}
		if !lc.Validated && c.Validated {
			b.change(obj, "check "+c.Name+" not validated in the database")
			if validatable(c) {
				b.add(stageAddConstraint, PhaseOnline, lockDomainTables, obj, "ALTER DOMAIN "+name+" VALIDATE CONSTRAINT "+q(c.Name), ValidationScan)
				validated(c)
			}
		}
		if lc.Comment != c.Comment {
			b.change(obj, "check "+c.Name+": "+differs("comment", lc.Comment, c.Comment))
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("CONSTRAINT", q(c.Name)+" ON DOMAIN "+name, c.Comment))
		}
	}
	byName[model.DomainCheck]{
		key:    func(c *model.DomainCheck) string { return c.Name },
		create: func(c *model.DomainCheck) { pair(*c, model.DomainCheck{}, false) },
		alter:  func(c, lc *model.DomainCheck) { pair(*c, *lc, true) },
	}.visit(d.Checks, l.Checks)
	if l.Comment != d.Comment {
		b.change(obj, differs("comment", l.Comment, d.Comment))
		b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("DOMAIN", name, d.Comment))
	}
}

func findCheck(cs []model.DomainCheck, name string) (model.DomainCheck, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c, true
		}
	}
	return model.DomainCheck{}, false
}

func rangeObj(r *model.RangeType) string { return "range type " + r.Schema + "." + r.Name }

// rangeDef renders CREATE TYPE ... AS RANGE's options.
func rangeDef(r *model.RangeType) string {
	opts := []string{"SUBTYPE = " + r.Subtype}
	if r.Opclass != "" {
		opts = append(opts, "SUBTYPE_OPCLASS = "+r.Opclass)
	}
	if r.Collation != "" {
		opts = append(opts, "COLLATION = "+r.Collation)
	}
	if r.Canonical != "" {
		opts = append(opts, "CANONICAL = "+r.Canonical)
	}
	if r.Subdiff != "" {
		opts = append(opts, "SUBTYPE_DIFF = "+r.Subdiff)
	}
	if r.Multirange != "" {
		opts = append(opts, "MULTIRANGE_TYPE_NAME = "+qn(r.Schema, r.Multirange))
	}
	return "(" + strings.Join(opts, ", ") + ")"
}

// ranges plans range types. A range type cannot be altered: a changed one is dropped
// and created again when no column uses it, else the change is reported.
func (b *builder) ranges(used map[string]bool) {
	create := func(r *model.RangeType) {
		if r.Canonical != "" {
			b.block(rangeObj(r), "a range type with a canonical function needs a shell type and the function first: create it by hand")
			return
		}
		stage := stageCreateType
		if r.Subdiff != "" {
			stage = stageDomainConstraint // after the functions it names
		}
		name := qn(r.Schema, r.Name)
		b.add(stage, PhaseTransactional, lockNone, rangeObj(r), "CREATE TYPE "+name+" AS RANGE "+rangeDef(r))
		if r.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockNone, rangeObj(r), commentSQL("TYPE", name, r.Comment))
		}
	}
	byName[model.RangeType]{
		key: func(r *model.RangeType) string { return qn(r.Schema, r.Name) },
		create: func(r *model.RangeType) {
			b.change(rangeObj(r), "missing in the database")
			create(r)
		},
		alter: func(r, l *model.RangeType) {
			name, obj := qn(r.Schema, r.Name), rangeObj(r)
			if rangeDef(l) != rangeDef(r) {
				b.change(obj, differs("definition", rangeDef(l), rangeDef(r)))
				if used[name] || used[qn(l.Schema, l.Multirange)] {
					b.block(obj, "a range type cannot change in place and columns use it: move them to a new type in Git")
					return
				}
				b.add(stageCreateType, PhaseTransactional, lockNone, obj, "DROP TYPE "+name)
				b.recreatedTypes[name] = true
				create(r)
				return
			}
			if l.Comment != r.Comment {
				b.change(obj, differs("comment", l.Comment, r.Comment))
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TYPE", name, r.Comment))
			}
		},
		drop: func(r *model.RangeType) {
			b.change(rangeObj(r), "exists in the database, not in Git")
			b.add(stageDropType, PhaseTransactional, lockNone, rangeObj(r), "DROP TYPE "+qn(r.Schema, r.Name), DataLoss)
		},
	}.visit(b.desired.RangeTypes, b.live.RangeTypes)
}

func compositeObj(c *model.CompositeType) string { return "type " + c.Schema + "." + c.Name }

func attributeDef(a model.Attribute) string {
	s := q(a.Name) + " " + a.Type
	if a.Collation != "" {
		s += " COLLATE " + a.Collation
	}
	return s
}

// composites plans composite types: new ones in dependency order, attributes added,
// dropped and changed with ALTER TYPE, which PostgreSQL refuses while a table column
// stores the type (reported instead).
func (b *builder) composites(used map[string]bool) {
	live := map[string]*model.CompositeType{}
	for i := range b.live.CompositeTypes {
		c := &b.live.CompositeTypes[i]
		live[qn(c.Schema, c.Name)] = c
	}
	desired := map[string]*model.CompositeType{}
	for i := range b.desired.CompositeTypes {
		c := &b.desired.CompositeTypes[i]
		desired[qn(c.Schema, c.Name)] = c
	}
	created := map[string]bool{}
	var create func(c *model.CompositeType)
	create = func(c *model.CompositeType) {
		name := qn(c.Schema, c.Name)
		if created[name] {
			return
		}
		created[name] = true
		for _, a := range c.Attributes {
			if dep := desired[strings.TrimSuffix(a.Type, "[]")]; dep != nil && live[strings.TrimSuffix(a.Type, "[]")] == nil {
				create(dep)
			}
		}
		obj := compositeObj(c)
		b.change(obj, "missing in the database")
		defs := make([]string, len(c.Attributes))
		for i, a := range c.Attributes {
			defs[i] = attributeDef(a)
		}
		b.add(stageCreateType, PhaseTransactional, lockNone, obj, "CREATE TYPE "+name+" AS ("+strings.Join(defs, ", ")+")")
		for _, a := range c.Attributes {
			if a.Comment != "" {
				b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("COLUMN", name+"."+q(a.Name), a.Comment))
			}
		}
		if c.Comment != "" {
			b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TYPE", name, c.Comment))
		}
	}
	byName[model.CompositeType]{
		key:    func(c *model.CompositeType) string { return qn(c.Schema, c.Name) },
		create: create,
		alter:  func(c, l *model.CompositeType) { b.alterComposite(l, c, used[qn(c.Schema, c.Name)]) },
		drop: func(c *model.CompositeType) {
			b.change(compositeObj(c), "exists in the database, not in Git")
			b.add(stageDropType, PhaseTransactional, lockNone, compositeObj(c), "DROP TYPE "+qn(c.Schema, c.Name), DataLoss)
		},
	}.visit(b.desired.CompositeTypes, b.live.CompositeTypes)
}

func (b *builder) alterComposite(l, d *model.CompositeType, inUse bool) {
	name := qn(d.Schema, d.Name)
	obj := compositeObj(d)
	la := map[string]model.Attribute{}
	for _, a := range l.Attributes {
		la[a.Name] = a
	}
	da := map[string]model.Attribute{}
	for _, a := range d.Attributes {
		da[a.Name] = a
	}
	var clauses []string
	hz := []Hazard{}
	var kept []string
	for _, a := range l.Attributes {
		if _, ok := da[a.Name]; !ok {
			b.change(obj, "attribute "+a.Name+" exists in the database, not in Git")
			clauses = append(clauses, "DROP ATTRIBUTE "+q(a.Name))
			hz = append(hz, DataLoss)
		} else {
			kept = append(kept, a.Name)
		}
	}
	var order []string
	retyped := false
	for _, a := range d.Attributes {
		l, ok := la[a.Name]
		if !ok {
			b.change(obj, "attribute "+a.Name+" missing in the database")
			clauses = append(clauses, "ADD ATTRIBUTE "+attributeDef(a))
			continue
		}
		order = append(order, a.Name)
		if l.Type != a.Type || l.Collation != a.Collation {
			b.change(obj, "attribute "+a.Name+": "+differs("type", attributeDef(l), attributeDef(a)))
			clauses = append(clauses, "ALTER ATTRIBUTE "+q(a.Name)+" TYPE "+a.Type+collateClause(a.Collation))
			retyped = true
			// No table stores the type (see inUse below), so no value converts; the
			// change is still tagged as a column's would be, as a dropped attribute is.
			if l.Type != a.Type && !b.keepsEveryValue(l.Type, a.Type) {
				hz = append(hz, DataLoss)
			}
		}
	}
	if !slices.Equal(kept, order) {
		b.change(obj, "attribute order differs")
		b.block(obj, "the order of a composite type's attributes cannot change in place")
		return
	}
	if len(clauses) > 0 {
		if inUse && retyped {
			// Attributes are added and dropped while columns store the type (the
			// stored values gain NULL, or lose the attribute); a type change of
			// one would have to convert them, which PostgreSQL refuses.
			b.block(obj, "a table column stores this type: PostgreSQL cannot change the type of its attributes in place")
			return
		}
		b.add(stageCreateType, PhaseTransactional, lockNone, obj, "ALTER TYPE "+name+" "+strings.Join(clauses, ", "), hz...)
	}
	for _, a := range d.Attributes {
		l, ok := la[a.Name]
		if (ok && l.Comment != a.Comment) || (!ok && a.Comment != "") {
			if ok {
				b.change(obj, "attribute "+a.Name+": "+differs("comment", l.Comment, a.Comment))
			}
			b.add(stageComment, PhaseTransactional, lockShareUpdateExclusive, obj, commentSQL("COLUMN", name+"."+q(a.Name), a.Comment))
		}
	}
	if l.Comment != d.Comment {
		b.change(obj, differs("comment", l.Comment, d.Comment))
		b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("TYPE", name, d.Comment))
	}
}

func collateClause(c string) string {
	if c == "" {
		return ""
	}
	return " COLLATE " + c
}

// dropDomainChecksOnDroppedFunctions drops, before the functions go, the checks of
// a dropped domain that call a function this plan drops: functions are dropped
// before types (stageDropFunction), and PostgreSQL refuses to drop a function a
// domain's check calls.
func (b *builder) dropDomainChecksOnDroppedFunctions(l *model.Domain) {
	kept := map[string]bool{}
	for i := range b.desired.Functions {
		kept[b.desired.Functions[i].Key()] = true
	}
	for _, c := range l.Checks {
		for i := range b.live.Functions {
			f := &b.live.Functions[i]
			if !kept[f.Key()] && strings.Contains(c.Definition, qn(f.Schema, f.Name)+"(") {
				b.add(stageDropRoutines, PhaseTransactional, lockNone, domainObj(l), "ALTER DOMAIN "+qn(l.Schema, l.Name)+" DROP CONSTRAINT "+q(c.Name))
				break
			}
		}
	}
}

// orderTypeDrops orders the types and collations the plan drops (stageDropType)
// dependents first: a domain before the type or domain it is over, a composite type
// before the types of its attributes, a range before its subtype, each before the
// collation it uses. Otherwise they are dropped in the order the kinds are planned
// (enums, collations, domains, ranges, composites), and PostgreSQL refuses to drop
// a type another one still uses.
func (b *builder) orderTypeDrops() {
	uses := map[string][]string{}
	base := func(t string) string { return strings.TrimSuffix(t, "[]") }
	for _, d := range b.live.Domains {
		uses[qn(d.Schema, d.Name)] = []string{base(d.Type), d.Collation}
	}
	for _, r := range b.live.RangeTypes {
		uses[qn(r.Schema, r.Name)] = []string{base(r.Subtype), r.Collation}
	}
	for _, c := range b.live.CompositeTypes {
		name := qn(c.Schema, c.Name)
		for _, a := range c.Attributes {
			uses[name] = append(uses[name], base(a.Type), a.Collation)
		}
	}
	dropped := map[string]int{} // name → index of its statement
	for i, s := range b.p.Statements {
		if s.stage != stageDropType {
			continue
		}
		for _, prefix := range []string{"DROP DOMAIN ", "DROP TYPE ", "DROP COLLATION "} {
			if name, ok := strings.CutPrefix(s.SQL, prefix); ok {
				dropped[name] = i
			}
		}
	}
	// height is the longest chain of dropped types under a dropped type; the
	// highest goes first.
	height := map[string]int{}
	var visit func(name string, seen map[string]bool) int
	visit = func(name string, seen map[string]bool) int {
		if h, ok := height[name]; ok {
			return h
		}
		if seen[name] { // a cycle cannot be: PostgreSQL refuses one
			return 0
		}
		seen[name] = true
		h := 0
		for _, u := range uses[name] {
			if _, ok := dropped[u]; ok && u != name {
				h = max(h, visit(u, seen)+1)
			}
		}
		height[name] = h
		return h
	}
	for name, i := range dropped {
		b.p.Statements[i].within = -visit(name, map[string]bool{})
	}
}
