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

// View is a view or a materialized view.
type View struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Materialized is true for a materialized view.
	Materialized bool `json:"materialized,omitempty"`
	// Definition is pg_get_viewdef, without the trailing semicolon.
	Definition string `json:"definition"`
	// Columns are the view's columns in order.
	Columns []ViewColumn `json:"columns"`
	// Options are the reloptions, sorted: check_option, security_barrier and
	// security_invoker of a view, storage parameters of a materialized view.
	Options []string `json:"options,omitempty"`
	// Populated is false for a materialized view created or left WITH NO DATA.
	Populated bool `json:"populated"`
	// Indexes are the indexes of a materialized view.
	Indexes []Index `json:"indexes,omitempty"`
	Comment string  `json:"comment,omitempty"`
}

// ViewColumn is a column of a view. CREATE OR REPLACE VIEW keeps existing columns
// only when their names, types and collations stay.
type ViewColumn struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Collation string `json:"collation,omitempty"`
	Comment   string `json:"comment,omitempty"`
	// Settings are what ALTER VIEW / ALTER MATERIALIZED VIEW ... ALTER COLUMN set
	// on the column beyond its definition, each as "clause|reset": a default (of a
	// view), a statistics target, storage, compression and attribute options.
	Settings []string `json:"settings,omitempty"`
}

// Function is a function, procedure or (ordinary) aggregate, identified by its
// schema, name and input argument types: overloads are different functions.
type Function struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Signature are the input argument types (oidvectortypes of proargtypes), the
	// identity of the function.
	Signature string `json:"signature"`
	// Arguments are pg_get_function_identity_arguments, with names and modes, as
	// DROP and COMMENT take them.
	Arguments string `json:"arguments"`
	// AllArguments are the modes and types of all arguments, OUT included;
	// CREATE OR REPLACE cannot change them.
	AllArguments string `json:"allArguments,omitempty"`
	// Kind is f (function), p (procedure), a (aggregate) or w (window function).
	Kind string `json:"kind"`
	// Definition is pg_get_functiondef (language, volatility, strictness, security,
	// parallel safety, cost, SET configuration and body included), or a canonical
	// CREATE AGGREGATE for an aggregate.
	Definition string `json:"definition"`
	// Result is pg_get_function_result; CREATE OR REPLACE cannot change it.
	Result string `json:"result,omitempty"`
	// ArgNames are the argument names (proargnames); CREATE OR REPLACE cannot
	// rename an input argument.
	ArgNames []string `json:"argNames,omitempty"`
	// Defaults is the number of arguments with defaults; CREATE OR REPLACE cannot
	// remove one.
	Defaults int    `json:"defaults,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// Trigger is a trigger on a table or view (constraint triggers included). Triggers
// that PostgreSQL creates itself (foreign keys) and the clones on partitions are not
// listed.
type Trigger struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	Name   string `json:"name"`
	// Definition is pg_get_triggerdef.
	Definition string `json:"definition"`
	// Enabled is tgenabled: O (origin and local), D (disabled), R (replica) or A (always).
	Enabled string `json:"enabled"`
	// Constraint is true for a constraint trigger.
	Constraint bool   `json:"constraint,omitempty"`
	Comment    string `json:"comment,omitempty"`
	// PartitionStates are the partitions (qualified) whose clone of this trigger of
	// a partitioned table has another state than the trigger: "partition=state".
	PartitionStates []string `json:"partitionStates,omitempty"`
	// PartitionComments are the comments on the partitions' clones of this
	// trigger (COMMENT ON TRIGGER ... ON partition), by partition (qualified).
	PartitionComments map[string]string `json:"partitionComments,omitempty"`
}

// Dependency is an edge of pg_depend between two objects of the model, used to order
// drops and creations and to find what must be recreated with an object. Objects are
// named "rel schema.name" (RefRelation), "col schema.table.column" (RefColumn),
// "fn schema.name(types)" (RefFunction), "trg schema.table.name" (RefTrigger),
// "con schema.table\tname" (a check or exclusion constraint, its name as it is),
// "idx schema.name" (an index), "def schema.table\tcolumn" (a column default),
// "gen schema.table\tcolumn" (a generated column's expression) and "type schema.name"
// (an enum); other names are quoted as quote_ident does.
type Dependency struct {
	Dependent  string `json:"dependent"`
	Referenced string `json:"referenced"`
}

// RefRelation names a table, view or materialized view in a Dependency.
func RefRelation(schema, name string) string { return "rel " + Qualified(schema, name) }

// RefColumn names a column of a table, view or materialized view.
func RefColumn(schema, table, column string) string {
	return "col " + Qualified(schema, table) + "." + QuoteIdent(column)
}

// RefFunction names a function, procedure or aggregate by its input argument types.
func RefFunction(schema, name, types string) string {
	return "fn " + Qualified(schema, name) + "(" + types + ")"
}

// RefTrigger names a trigger of a table or view.
func RefTrigger(schema, table, name string) string {
	return "trg " + Qualified(schema, table) + "." + QuoteIdent(name)
}

// Key returns the qualified name of the view.
func (v *View) Key() string { return Qualified(v.Schema, v.Name) }

// Key returns the qualified signature of the function, "schema.name(types)".
func (f *Function) Key() string { return Qualified(f.Schema, f.Name) + "(" + f.Signature + ")" }

// Key returns the trigger's table and name, "schema.table.name".
func (t *Trigger) Key() string { return Qualified(t.Schema, t.Table) + "." + QuoteIdent(t.Name) }
