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

func grantKey(g *model.Grant) string {
	return g.Kind + "\x00" + g.Object + "\x00" + g.Column + "\x00" + g.Grantee + "\x00" + g.Privilege
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
		name := g.Object
		if i := strings.IndexByte(name, '('); i >= 0 {
			name = name[:i]
		}
		return recreated[name]
	}
	live := map[string]*model.Grant{}
	for i := range b.live.Grants {
		g := &b.live.Grants[i]
		if isRecreated(g) {
			continue // created again by this plan, without its grants
		}
		live[grantKey(g)] = g
	}
	desired := map[string]bool{}
	for i := range b.desired.Grants {
		g := &b.desired.Grants[i]
		desired[grantKey(g)] = true
		l := live[grantKey(g)]
		if l != nil && l.Grantable == g.Grantable {
			continue
		}
		obj := grantObj(g)
		what := g.Privilege + " to " + g.Grantee
		if !roles[g.Grantee] {
			b.change(obj, "grant of "+what+" in Git: role "+g.Grantee+" does not exist on the server (roles are not created; not granted)")
			continue
		}
		if l == nil {
			b.change(obj, "grant of "+what+" missing in the database")
		} else {
			b.change(obj, "grant option of "+what+": "+differs("", grantOption(l.Grantable), grantOption(g.Grantable))[2:])
		}
		if l != nil && !g.Grantable {
			b.add(stageComment, PhaseTransactional, lockNone, obj, "REVOKE GRANT OPTION FOR "+grantTarget(g)+" FROM "+g.Grantee)
			continue
		}
		sql := "GRANT " + grantTarget(g) + " TO " + g.Grantee
		if g.Grantable {
			sql += " WITH GRANT OPTION"
		}
		b.add(stageComment, PhaseTransactional, lockNone, obj, sql)
	}
	var revokes []*model.Grant
	for k, l := range live {
		if desired[k] || !exists[objectName(l)] {
			continue // kept, or the object goes
		}
		revokes = append(revokes, l)
	}
	sort.Slice(revokes, func(i, j int) bool { return grantKey(revokes[i]) < grantKey(revokes[j]) })
	for _, l := range revokes {
		obj := grantObj(l)
		b.change(obj, "grant of "+l.Privilege+" to "+l.Grantee+" exists in the database, not in Git")
		b.add(stageComment, PhaseTransactional, lockNone, obj, "REVOKE "+grantTarget(l)+" FROM "+l.Grantee)
	}
	for _, o := range b.live.Owners {
		if !exists[o.Object] && !exists[strings.SplitN(o.Object, "(", 2)[0]] {
			continue
		}
		b.change(o.Kind+" "+o.Object, "owned by "+o.Owner+", not by the role that applies (ownership is reported, not changed)")
	}
	return nil
}

func grantOption(g bool) string {
	if g {
		return "with grant option"
	}
	return "without grant option"
}

// objectName is the object a grant is on, as desiredObjects names it.
func objectName(g *model.Grant) string {
	if g.Column != "" {
		return g.Object + "\x00" + g.Column
	}
	return g.Object
}

// desiredObjects returns the objects of the desired schema that grants can be on, as
// the grants query renders them (functions with their identity arguments, and also
// by name alone).
func (b *builder) desiredObjects() map[string]bool {
	out := map[string]bool{}
	for _, n := range b.desired.Namespaces {
		out[q(n.Name)] = true
	}
	for _, t := range b.desired.Tables {
		out[t.QualifiedName()] = true
		for _, c := range t.Columns {
			out[t.QualifiedName()+"\x00"+c.Name] = true
			if c.IdentityOptions != nil {
				out[c.IdentityOptions.Name] = true
			}
		}
	}
	for _, s := range b.desired.Sequences {
		out[qn(s.Schema, s.Name)] = true
	}
	for _, v := range b.desired.Views {
		out[qn(v.Schema, v.Name)] = true
		for _, c := range v.Columns {
			out[qn(v.Schema, v.Name)+"\x00"+c.Name] = true
		}
	}
	for _, f := range b.desired.Functions {
		out[qn(f.Schema, f.Name)+"("+f.Arguments+")"] = true
		out[qn(f.Schema, f.Name)] = true
	}
	for _, x := range b.desired.Domains {
		out[qn(x.Schema, x.Name)] = true
	}
	for _, x := range b.desired.Enums {
		out[qn(x.Schema, x.Name)] = true
	}
	for _, x := range b.desired.RangeTypes {
		out[qn(x.Schema, x.Name)] = true
	}
	for _, x := range b.desired.CompositeTypes {
		out[qn(x.Schema, x.Name)] = true
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
