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
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

// grantKey is the identity of a grant: a privilege of a grantee on an object (or a
// column of it). Two grants with one key differ at most in their grant option.
type grantKey struct{ kind, object, column, grantee, privilege string }

func keyOfGrant(g *model.Grant) grantKey {
	return grantKey{g.Kind, g.Object, g.Column, g.Grantee, g.Privilege}
}

// compare orders grant keys field by field.
func (k grantKey) compare(o grantKey) int {
	return cmp.Or(cmp.Compare(k.kind, o.kind), cmp.Compare(k.object, o.object), cmp.Compare(k.column, o.column),
		cmp.Compare(k.grantee, o.grantee), cmp.Compare(k.privilege, o.privilege))
}

// grantTarget renders "PRIV [(col)] ON KIND object" for GRANT and REVOKE.
func grantTarget(g *model.Grant) string {
	switch g.Kind {
	case "column":
		return g.Privilege + " (" + q(g.Column) + ") ON TABLE " + g.Object
	case "sequence":
		return g.Privilege + " ON SEQUENCE " + g.Object
	case "function":
		return g.Privilege + " ON ROUTINE " + g.Object
	case "schema":
		return g.Privilege + " ON SCHEMA " + g.Object
	case "type":
		// ON TYPE covers domains too.
		return g.Privilege + " ON TYPE " + g.Object
	}
	return g.Privilege + " ON TABLE " + g.Object
}

func grantObj(g *model.Grant) string {
	if g.Column != "" {
		return "column " + g.Object + "." + q(g.Column)
	}
	return g.Kind + " " + g.Object
}

// privileges plans GRANT and REVOKE when privileges are managed: a privilege Git has
// and the database lacks is granted, one the database has and Git lacks is revoked
// (or only its grant option). Grants on objects this plan creates or creates again
// follow their creation; objects it drops take their grants with them. Roles are
// never created: a grant to a role the server lacks is reported, not planned. Owners
// other than the applying role are reported, never changed.
func (b *builder) privileges() error {
	if !b.opts.ManagePrivileges {
		return nil
	}
	roles := map[string]bool{"PUBLIC": true}
	for _, r := range b.live.Roles {
		roles[r] = true
	}
	exists := b.desiredObjects()
	recreated := b.recreatedObjects()
	isRecreated := func(g *model.Grant) bool {
		if g.Kind == "type" {
			return b.recreatedTypes[g.Object]
		}
		name := g.Object
		if i := strings.IndexByte(name, '('); i >= 0 {
			name = name[:i]
		}
		return recreated[name]
	}
	// Grants of objects created again come back without them: they are not live.
	live := slices.DeleteFunc(slices.Clone(b.live.Grants), func(g model.Grant) bool { return isRecreated(&g) })
	// A function this plan creates (or creates again) starts with the built-in
	// default grant, EXECUTE to PUBLIC: it is compared as live, so that Git's REVOKE
	// of it is planned.
	liveFunctions := map[string]bool{}
	for _, f := range b.live.Functions {
		liveFunctions[qn(f.Schema, f.Name)+"("+f.Arguments+")"] = true
	}
	for _, f := range b.desired.Functions {
		obj := qn(f.Schema, f.Name) + "(" + f.Arguments + ")"
		if liveFunctions[obj] && !recreated[qn(f.Schema, f.Name)] {
			continue
		}
		live = append(live, model.Grant{Kind: "function", Object: obj, Grantee: "PUBLIC", Privilege: "EXECUTE"})
	}
	// So does a type (USAGE to PUBLIC).
	liveTypes := map[string]bool{}
	for _, name := range typeNames(b.live) {
		liveTypes[name] = true
	}
	for _, name := range typeNames(b.desired) {
		if !liveTypes[name] || b.recreatedTypes[name] {
			live = append(live, model.Grant{Kind: "type", Object: name, Grantee: "PUBLIC", Privilege: "USAGE"})
		}
	}
	desired := b.heldByOwning(b.desired.Grants, live)
	missing := func(g, l *model.Grant) {
		obj := grantObj(g)
		what := g.Privilege + " to " + g.Grantee
		if !roles[g.Grantee] {
			b.change(obj, "grant of "+what+" in Git: role "+g.Grantee+" does not exist on the server (roles are not created; not granted)")
			return
		}
		if l == nil {
			b.change(obj, "grant of "+what+" missing in the database")
		} else {
			b.change(obj, "grant option of "+what+": "+differs("", grantOption(l.Grantable), grantOption(g.Grantable))[2:])
		}
		if l != nil && !g.Grantable {
			b.add(stageComment, PhaseTransactional, lockNone, obj, "REVOKE GRANT OPTION FOR "+grantTarget(g)+" FROM "+g.Grantee)
			return
		}
		sql := "GRANT " + grantTarget(g) + " TO " + g.Grantee
		if g.Grantable {
			sql += " WITH GRANT OPTION"
		}
		b.add(stageComment, PhaseTransactional, lockNone, obj, sql)
	}
	// Revokes run in key order, once a key.
	revokes := map[grantKey]*model.Grant{}
	byKey[model.Grant, grantKey]{
		key:    keyOfGrant,
		create: func(g *model.Grant) { missing(g, nil) },
		alter: func(g, l *model.Grant) {
			if l.Grantable != g.Grantable {
				missing(g, l)
			}
		},
		drop: func(l *model.Grant) {
			if exists[objectName(l)] { // else the object goes, and its grants with it
				revokes[keyOfGrant(l)] = l
			}
		},
	}.visit(desired, live)
	for _, k := range slices.SortedFunc(maps.Keys(revokes), grantKey.compare) {
		l := revokes[k]
		obj := grantObj(l)
		b.change(obj, "grant of "+l.Privilege+" to "+l.Grantee+" exists in the database, not in Git")
		b.add(stageComment, PhaseTransactional, lockNone, obj, "REVOKE "+grantTarget(l)+" FROM "+l.Grantee)
	}
	for _, o := range b.live.Owners {
		if !exists[objectKey{name: o.Object}] && !exists[objectKey{name: strings.SplitN(o.Object, "(", 2)[0]}] {
			continue
		}
		b.change(o.Kind+" "+o.Object, "owned by "+o.Owner+", not by the role that applies (ownership is reported, not changed)")
	}
	return nil
}

// heldByOwning returns Git's grants without those to the role that applies on
// objects it owns (every object but those the database has another owner for): the
// owner holds every privilege by owning the object, and the grants query leaves the
// owner's privileges out, so such a grant would be planned again on every run. Each
// one left out is noted. The public schema is left alone (its owner is not read:
// pg_database_owner by default), and so is a grant the database shows.
func (b *builder) heldByOwning(grants, live []model.Grant) []model.Grant {
	if b.live.Self == "" {
		return grants
	}
	others := map[string]bool{"public": true}
	for _, o := range b.live.Owners {
		others[o.Object] = true
	}
	shown := map[grantKey]bool{}
	for i := range live {
		shown[keyOfGrant(&live[i])] = true
	}
	return slices.DeleteFunc(slices.Clone(grants), func(g model.Grant) bool {
		if g.Grantee != b.live.Self || others[g.Object] || shown[keyOfGrant(&g)] {
			return false
		}
		b.note(grantObj(&g), "grant of "+g.Privilege+" to "+g.Grantee+" in Git: held by "+g.Grantee+", the role that applies, as the object's owner (not granted)")
		return true
	})
}

func grantOption(g bool) string {
	if g {
		return "with grant option"
	}
	return "without grant option"
}

// objectKey is an object grants can be on: a table, sequence, view, function,
// type or schema by name, or a column of a table or view.
type objectKey struct{ name, column string }

// objectName is the object a grant is on, as desiredObjects names it.
func objectName(g *model.Grant) objectKey { return objectKey{g.Object, g.Column} }

// desiredObjects returns the objects of the desired schema that grants can be on, as
// the grants query renders them (functions with their identity arguments, and also
// by name alone).
func (b *builder) desiredObjects() map[objectKey]bool {
	out := map[objectKey]bool{}
	add := func(name string) { out[objectKey{name: name}] = true }
	for _, n := range b.desired.Namespaces {
		add(q(n.Name))
	}
	for _, t := range b.desired.Tables {
		add(t.QualifiedName())
		for _, c := range t.Columns {
			out[objectKey{t.QualifiedName(), c.Name}] = true
			if c.IdentityOptions != nil {
				add(c.IdentityOptions.Name)
			}
		}
	}
	for _, s := range b.desired.Sequences {
		add(qn(s.Schema, s.Name))
	}
	for _, v := range b.desired.Views {
		add(qn(v.Schema, v.Name))
		for _, c := range v.Columns {
			out[objectKey{qn(v.Schema, v.Name), c.Name}] = true
		}
	}
	for _, f := range b.desired.Functions {
		add(qn(f.Schema, f.Name) + "(" + f.Arguments + ")")
		add(qn(f.Schema, f.Name))
	}
	for _, name := range typeNames(b.desired) {
		add(name)
	}
	return out
}

// typeNames returns the qualified names of the types of s that grants can be on:
// enums, domains, range types and composite types, as the grants query renders them.
func typeNames(s *model.Schema) []string {
	var out []string
	for _, x := range s.Enums {
		out = append(out, qn(x.Schema, x.Name))
	}
	for _, x := range s.Domains {
		out = append(out, qn(x.Schema, x.Name))
	}
	for _, x := range s.RangeTypes {
		out = append(out, qn(x.Schema, x.Name))
	}
	for _, x := range s.CompositeTypes {
		out = append(out, qn(x.Schema, x.Name))
	}
	return out
}

// recreatedObjects returns the qualified names of objects this plan drops and creates
// again (views, functions by name), from the statements planned so far: they come
// back without their grants.
func (b *builder) recreatedObjects() map[string]bool {
	out := map[string]bool{}
	for _, r := range b.droppedRoutines() {
		out[qn(r[0], r[1])] = true
	}
	return out
}
