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

// byKey is the list diff of one object kind: desired and live items are paired by
// a comparable key. Visit calls, in a fixed order, create for each desired item the
// live list lacks and alter for each desired item with its live counterpart, both in
// desired order, then drop for each live item the desired list lacks, in live order.
// A nil function skips its case, so that one kind may be visited in several passes
// (alters, then drops after other work). When two live items share a key, the last
// one is the counterpart.
type byKey[T any, K comparable] struct {
	key    func(*T) K
	create func(d *T)
	alter  func(d, l *T)
	drop   func(l *T)
}

// byName is byKey over a string key: a name, or a qualified name.
type byName[T any] = byKey[T, string]

func (n byKey[T, K]) visit(desired, live []T) {
	liveByKey := make(map[K]*T, len(live))
	for i := range live {
		liveByKey[n.key(&live[i])] = &live[i]
	}
	// The desired keys are only needed for drops.
	var want map[K]bool
	if n.drop != nil {
		want = make(map[K]bool, len(desired))
	}
	for i := range desired {
		d := &desired[i]
		k := n.key(d)
		if want != nil {
			want[k] = true
		}
		l, ok := liveByKey[k]
		switch {
		case !ok && n.create != nil:
			n.create(d)
		case ok && n.alter != nil:
			n.alter(d, l)
		}
	}
	if n.drop == nil {
		return
	}
	for i := range live {
		if l := &live[i]; !want[n.key(l)] {
			n.drop(l)
		}
	}
}

// pairKey is a map key of an object that lives on a table (a column, a constraint)
// or of a table and something of it: table is qualified.
type pairKey struct{ table, name string }
