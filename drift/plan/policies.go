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

func policyObj(p *model.Policy) string { return "policy " + p.Name + " on " + p.Schema + "." + p.Table }

// policyKey is the identity of a policy: its name on its table.
type policyKey struct{ schema, table, name string }

func keyOfPolicy(p *model.Policy) policyKey { return policyKey{p.Schema, p.Table, p.Name} }

func policyTarget(p *model.Policy) string { return q(p.Name) + " ON " + qn(p.Schema, p.Table) }

// createPolicySQL renders CREATE POLICY.
func createPolicySQL(p *model.Policy) string {
	s := "CREATE POLICY " + policyTarget(p)
	if !p.Permissive {
		s += " AS RESTRICTIVE"
	}
	s += " FOR " + p.Command + " TO " + strings.Join(p.Roles, ", ")
	if p.Using != "" {
		s += " USING (" + p.Using + ")"
	}
	if p.WithCheck != "" {
		s += " WITH CHECK (" + p.WithCheck + ")"
	}
	return s
}

// policies plans row-level security policies. New and recreated policies are created
// after the tables, views and functions they read and before row level security is
// enabled; policies that go are dropped before the columns and functions they read
// change, and after row level security is disabled (tableFlags), so a table with
// row level security on never lacks its policies. Roles, USING and WITH CHECK change
// with ALTER POLICY; the command, PERMISSIVE/RESTRICTIVE, or removing a USING or
// WITH CHECK clause need a drop and a create in the same transaction.
func (b *builder) policies() error {
	changed := b.changedColumns()
	dropped := b.droppedRoutines()
	missing := func(d *model.Policy) {
		b.change(policyObj(d), "missing in the database")
		b.createPolicy(d)
	}
	byKey[model.Policy, policyKey]{
		key:    keyOfPolicy,
		create: missing,
		alter: func(d, l *model.Policy) {
			if b.droppedTables[qn(d.Schema, d.Table)] {
				missing(d) // the live one goes with its table
				return
			}
			obj := policyObj(d)
			recreate := l.Command != d.Command || l.Permissive != d.Permissive ||
				(l.Using != "" && d.Using == "") || (l.WithCheck != "" && d.WithCheck == "")
			switch {
			case l.Command != d.Command:
				b.change(obj, differs("command", l.Command, d.Command))
			case l.Permissive != d.Permissive:
				b.change(obj, differs("type", permissiveName(l.Permissive), permissiveName(d.Permissive)))
			}
			var alter []string
			if strings.Join(l.Roles, ",") != strings.Join(d.Roles, ",") {
				b.change(obj, differs("roles", strings.Join(l.Roles, ", "), strings.Join(d.Roles, ", ")))
				alter = append(alter, "TO "+strings.Join(d.Roles, ", "))
			}
			if l.Using != d.Using {
				b.change(obj, differs("using", l.Using, d.Using))
				alter = append(alter, "USING ("+d.Using+")")
			}
			if l.WithCheck != d.WithCheck {
				b.change(obj, differs("with check", l.WithCheck, d.WithCheck))
				alter = append(alter, "WITH CHECK ("+d.WithCheck+")")
			}
			if !recreate && b.policyReads(l, changed, dropped) {
				// A column it reads changes type or is recreated, or a function or view
				// it calls is dropped and created again: PostgreSQL refuses while it exists.
				recreate = true
			}
			if recreate {
				b.add(stageDropPolicy, PhaseTransactional, lockAccessExclusive, obj, "DROP POLICY IF EXISTS "+policyTarget(l))
				b.createPolicy(d)
				return
			}
			if len(alter) > 0 {
				b.add(stageCreatePolicy, PhaseTransactional, lockAccessExclusive, obj, "ALTER POLICY "+policyTarget(d)+" "+strings.Join(alter, " "))
			}
			if l.Comment != d.Comment {
				b.change(obj, differs("comment", l.Comment, d.Comment))
				b.add(stageComment, PhaseTransactional, lockNone, obj, commentSQL("POLICY", policyTarget(d), d.Comment))
			}
		},
		drop: func(l *model.Policy) {
			if b.droppedTables[qn(l.Schema, l.Table)] {
				return // it goes with its table
			}
			b.change(policyObj(l), "exists in the database, not in Git")
			b.add(stageDropPolicy, PhaseTransactional, lockAccessExclusive, policyObj(l), "DROP POLICY IF EXISTS "+policyTarget(l))
		},
	}.visit(b.desired.Policies, b.live.Policies)
	return nil
}

func (b *builder) createPolicy(d *model.Policy) {
	b.add(stageCreatePolicy, PhaseTransactional, lockAccessExclusive, policyObj(d), createPolicySQL(d))
	if d.Comment != "" {
		b.add(stageComment, PhaseTransactional, lockNone, policyObj(d), commentSQL("POLICY", policyTarget(d), d.Comment))
	}
}

func permissiveName(p bool) string {
	if p {
		return "PERMISSIVE"
	}
	return "RESTRICTIVE"
}

// policyReads reports whether a live policy reads a column this plan changes or
// recreates, an enum it swaps, or a function or view it drops.
func (b *builder) policyReads(p *model.Policy, changed map[pairKey]bool, dropped [][2]string) bool {
	table := qn(p.Schema, p.Table)
	for _, expr := range []string{p.Using, p.WithCheck} {
		if expr == "" {
			continue
		}
		for _, tok := range identTokens(expr) {
			if changed[pairKey{table, tok}] {
				return true
			}
		}
		for name := range b.enumsSwapped {
			if s, n, ok := splitQualified(name); ok && mentionsQualified(expr, s, n) {
				return true
			}
		}
		for _, r := range dropped {
			if mentionsQualified(expr, r[0], r[1]) {
				return true
			}
		}
	}
	return false
}

// changedColumns returns the live columns whose type or collation
// changes, that are dropped, or that are dropped and added again.
func (b *builder) changedColumns() map[pairKey]bool {
	out := map[pairKey]bool{}
	for k := range b.recreatedColumns {
		out[k] = true
	}
	for i := range b.live.Tables {
		l := &b.live.Tables[i]
		d := b.desiredTables[l.QualifiedName()]
		if d == nil {
			continue
		}
		for _, lc := range l.Columns {
			dc := d.Column(lc.Name)
			if dc == nil || dc.Type != lc.Type || dc.Collation != lc.Collation || dc.Generated != lc.Generated {
				out[pairKey{l.QualifiedName(), lc.Name}] = true
			}
		}
	}
	return out
}

// droppedRoutines returns the schema and name of the functions, procedures and views
// this plan drops (to create them again or for good), as recorded where each
// DROP statement is made.
func (b *builder) droppedRoutines() [][2]string {
	return b.droppedRoutineNames
}

// splitQualified splits a rendered schema.name into its unquoted parts.
func splitQualified(s string) (schema, name string, ok bool) {
	t := identTokens(s)
	if len(t) < 3 || t[1] != "." {
		return "", "", false
	}
	return t[0], t[2], true
}
