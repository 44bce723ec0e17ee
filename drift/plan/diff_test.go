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
	"testing"
)

type item struct{ name, v string }

// TestByName: creates and alters come in desired order, drops after them in live
// order; the live counterpart of a key is the last live item with it.
func TestByName(t *testing.T) {
	desired := []item{{"c", "1"}, {"a", "2"}, {"x", "3"}, {"b", "4"}}
	live := []item{{"z", "0"}, {"a", "old"}, {"b", "first"}, {"y", "0"}, {"b", "second"}}
	var got []string
	byName[item]{
		key:    func(i *item) string { return i.name },
		create: func(d *item) { got = append(got, "create "+d.name+d.v) },
		alter:  func(d, l *item) { got = append(got, "alter "+d.name+d.v+" from "+l.v) },
		drop:   func(l *item) { got = append(got, "drop "+l.name) },
	}.visit(desired, live)
	want := []string{"create c1", "alter a2 from old", "create x3", "alter b4 from second", "drop z", "drop y"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// Nil functions skip their case; the items passed are the lists' own.
	var altered *item
	byName[item]{key: func(i *item) string { return i.name }, alter: func(d, _ *item) { altered = d }}.visit(desired, live)
	if altered != &desired[3] {
		t.Error("alter did not get the desired list's own item")
	}
}

// TestByKey: a struct key pairs items on every field; passes may be split (alters
// in one visit, drops in another) without calling the missing functions.
func TestByKey(t *testing.T) {
	type k struct{ table, name string }
	type obj struct{ table, name, v string }
	key := func(o *obj) k { return k{o.table, o.name} }
	desired := []obj{{"t", "a", "1"}, {"u", "a", "2"}}
	live := []obj{{"u", "a", "old"}, {"t", "b", "0"}}
	var got []string
	byKey[obj, k]{key: key, alter: func(d, l *obj) { got = append(got, "alter "+d.table+"."+d.name+" from "+l.v) }}.visit(desired, live)
	byKey[obj, k]{key: key, drop: func(l *obj) { got = append(got, "drop "+l.table+"."+l.name) }}.visit(desired, live)
	want := []string{"alter u.a from old", "drop t.b"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
