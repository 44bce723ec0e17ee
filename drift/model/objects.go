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

package model

// Object is an object that one CREATE statement rendered from the catalog defines,
// and that changes by being dropped and created again: extended statistics, rules,
// operators, text search dictionaries and configurations (whose mappings change in
// place), casts.
type Object struct {
	// Kind is "statistics", "rule", "operator", "text search dictionary", "text
	// search configuration" or "cast" (which belongs to no schema).
	Kind   string `json:"kind"`
	Schema string `json:"schema"`
	// Name is the statistics object's name, "rule on table" for a rule, and
	// "op(left,right)" for an operator.
	Name string `json:"name"`
	// Table is the qualified table or view a statistics object or rule belongs to.
	Table string `json:"table,omitempty"`
	// Create is the CREATE statement, as PostgreSQL renders it from the catalog.
	Create string `json:"create"`
	// After are statements that set what CREATE cannot: a statistics target, a
	// rule's firing (DISABLE RULE, ENABLE REPLICA RULE...), a text search
	// configuration's mappings (ADD MAPPING FOR token WITH dictionaries).
	After []string `json:"after,omitempty"`
	// Drop is the statement that drops it.
	Drop string `json:"drop"`
	// Target names it in COMMENT ON (e.g. "STATISTICS s.name").
	Target  string `json:"target"`
	Comment string `json:"comment,omitempty"`
}

// ID returns the object's kind and qualified name, as plans report it.
func (o *Object) ID() string {
	if o.Schema == "" {
		return o.Kind + " " + o.Name
	}
	return o.Kind + " " + o.Schema + "." + o.Name
}
