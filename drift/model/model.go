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

// Package model holds the value model of a PostgreSQL schema: one plain Go type per
// object kind, identified by kind, schema and name, ordered deterministically so plans
// and reports are stable. It imports nothing of ours and nothing of Kubernetes.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// Schema is the complete inspected model of one database, limited to the managed schemas.
type Schema struct {
	// ServerVersion is the server_version_num of the server that was inspected.
	ServerVersion int `json:"serverVersion"`
	// Namespaces are the schemas (namespaces) of the database.
	Namespaces []Namespace `json:"namespaces,omitempty"`
	// Extensions are the installed extensions.
	Extensions []Extension `json:"extensions,omitempty"`
	// Enums are the enum types.
	Enums []Enum `json:"enums,omitempty"`
	// Sequences are standalone sequences and sequences OWNED BY a column (serial);
	// identity sequences are part of their column.
	Sequences []Sequence `json:"sequences,omitempty"`
	// Tables are the ordinary, unlogged and partitioned tables.
	Tables []Table `json:"tables,omitempty"`
	// Indexes are the indexes that do not back a constraint.
	Indexes []Index `json:"indexes,omitempty"`
	// Domains, CompositeTypes, RangeTypes and Collations are the user-defined types
	// and collations (types.go).
	Domains        []Domain        `json:"domains,omitempty"`
	CompositeTypes []CompositeType `json:"compositeTypes,omitempty"`
	RangeTypes     []RangeType     `json:"rangeTypes,omitempty"`
	Collations     []Collation     `json:"collations,omitempty"`
	// Policies are the row-level security policies.
	Policies []Policy `json:"policies,omitempty"`
	// Grants and Owners are inspected only when privileges are managed.
	Grants []Grant     `json:"grants,omitempty"`
	Owners []Ownership `json:"owners,omitempty"`
	// Roles are the roles of the server (quoted as needed), read with the grants: a
	// grant to a role the server lacks is reported, not planned. They are not part
	// of the schema (nor of its fingerprint): other sessions create and drop roles.
	Roles []string `json:"-"`
	// Self is the role that inspects (quoted as needed), read with the roles: it owns
	// what it creates, and holds every privilege on it by owning it, so a grant to it
	// in Git on such an object is already held. Not part of the schema either.
	Self string `json:"-"`
	// Views are the views and materialized views (routines.go).
	Views []View `json:"views,omitempty"`
	// Functions are the functions, procedures and ordinary aggregates.
	Functions []Function `json:"functions,omitempty"`
	// Triggers are the triggers of tables and views.
	Triggers []Trigger `json:"triggers,omitempty"`
	// Dependencies are the pg_depend edges among views, functions, triggers, columns,
	// constraints, indexes and defaults, for ordering and recreation.
	Dependencies []Dependency `json:"dependencies,omitempty"`
	// Objects are extended statistics, rules and operators (objects.go).
	Objects []Object `json:"objects,omitempty"`
	// Unsupported are objects of kinds the engine does not plan yet, each with a
	// fingerprint of its definition so that drift in it is still detected.
	Unsupported []Unsupported `json:"unsupported,omitempty"`
}

// Namespace is a schema.
type Namespace struct {
	Name    string `json:"name"`
	Comment string `json:"comment,omitempty"`
}

// Extension is an installed extension.
type Extension struct {
	Name    string `json:"name"`
	Schema  string `json:"schema"`
	Version string `json:"version"`
	Comment string `json:"comment,omitempty"`
	// Types are the names of the types the extension created in Schema: a column of
	// one of them follows the extension when it moves to another schema.
	Types []string `json:"types,omitempty"`
}

// Sequence is a sequence that is not an identity column's.
type Sequence struct {
	Schema    string `json:"schema"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle"`
	Unlogged  bool   `json:"unlogged,omitempty"`
	// OwnedBy is "schema.table.column" for a sequence OWNED BY a column, else empty.
	OwnedBy string `json:"ownedBy,omitempty"`
	Comment string `json:"comment,omitempty"`
	// Position is where a live sequence stands, nil when it could not be read. It
	// is state, not schema: left out of JSON and so of the fingerprint.
	Position *SequencePosition `json:"-"`
}

// SequencePosition is where a sequence stands: Called is false for a sequence that
// has given no value since it was created or restarted (it sits at its START), and
// LastValue is then meaningless.
type SequencePosition struct {
	LastValue int64
	Called    bool
}

// SequenceOptions are the options of an identity column's sequence.
type SequenceOptions struct {
	// Name is the qualified name of the identity sequence.
	Name      string `json:"name"`
	Type      string `json:"type"`
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle"`
	// Comment is the comment on the identity sequence.
	Comment string `json:"comment,omitempty"`
	// Position is where the live identity sequence stands (see Sequence.Position).
	Position *SequencePosition `json:"-"`
}

// Table is a table with its columns and constraints.
type Table struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Unlogged is true for UNLOGGED tables.
	Unlogged bool `json:"unlogged,omitempty"`
	// Partitioned is the partition key (pg_get_partkeydef) of a partitioned table.
	PartitionKey string `json:"partitionKey,omitempty"`
	// PartitionOf is the qualified parent of a partition and PartitionBound its bound.
	PartitionOf    string `json:"partitionOf,omitempty"`
	PartitionBound string `json:"partitionBound,omitempty"`
	// PartitionCheck is a partition's implicit constraint (its bound and those
	// of the tables above it, pg_get_partition_constraintdef), with the table a
	// hash partition's refers to by name: the plan counts the rows of a table it
	// attaches that fall outside it. Not compared (it follows from the bounds).
	PartitionCheck string `json:"-"`
	// Inherits lists the qualified parents of classic inheritance, in order.
	Inherits []string `json:"inherits,omitempty"`
	// Options are the storage parameters (reloptions), sorted.
	Options []string `json:"options,omitempty"`
	// RowSecurity and ForceRowSecurity are the ENABLE/FORCE ROW LEVEL SECURITY flags.
	RowSecurity      bool `json:"rowSecurity,omitempty"`
	ForceRowSecurity bool `json:"forceRowSecurity,omitempty"`
	// ReplicaIdentity is d (default), n (nothing), f (full) or i (index).
	ReplicaIdentity string `json:"replicaIdentity"`
	// ReplicaIdentityIndex names the index of REPLICA IDENTITY USING INDEX.
	ReplicaIdentityIndex string `json:"replicaIdentityIndex,omitempty"`
	// AccessMethod is the table access method (heap by default).
	AccessMethod string       `json:"accessMethod,omitempty"`
	Columns      []Column     `json:"columns"`
	Constraints  []Constraint `json:"constraints,omitempty"`
	Comment      string       `json:"comment,omitempty"`
	// ClusterKey is the primary key, unique or exclusion constraint whose index the
	// table is CLUSTERed on (a plain index has its own Clustered flag).
	ClusterKey string `json:"clusterKey,omitempty"`
}

// Column is a table column.
type Column struct {
	Name string `json:"name"`
	// Type is format_type(atttypid, atttypmod), schema-qualified where needed.
	Type string `json:"type"`
	// Collation is the column's collation when it differs from its type's default.
	Collation string `json:"collation,omitempty"`
	Default   string `json:"default,omitempty"`
	NotNull   bool   `json:"notNull,omitempty"`
	// Identity is "a" for GENERATED ALWAYS, "d" for BY DEFAULT, empty otherwise.
	Identity        string           `json:"identity,omitempty"`
	IdentityOptions *SequenceOptions `json:"identityOptions,omitempty"`
	// Generated is the expression of a GENERATED ALWAYS AS (...) STORED column.
	Generated string `json:"generated,omitempty"`
	// Statistics is the per-column statistics target, -1 for the default.
	Statistics int `json:"statistics"`
	// Storage is the storage mode when it differs from the type's default (p, e, m, x).
	Storage string `json:"storage,omitempty"`
	// TypeStorage is the default storage mode of the column's type, the mode a column
	// returns to when its storage is reset (PostgreSQL < 16 has no SET STORAGE DEFAULT).
	TypeStorage string `json:"typeStorage,omitempty"`
	// Compression is the compression method (p = pglz, l = lz4), empty for the default.
	Compression string `json:"compression,omitempty"`
	// Options are the attribute options (n_distinct, n_distinct_inherited), sorted.
	Options []string `json:"options,omitempty"`
	// Inherited is true for a column that comes only from a parent (not local).
	Inherited bool   `json:"inherited,omitempty"`
	Comment   string `json:"comment,omitempty"`
}

// Constraint is a table constraint.
type Constraint struct {
	Name string `json:"name"`
	// Type is p (primary key), u (unique), c (check), f (foreign key), x (exclusion).
	Type string `json:"type"`
	// Definition is pg_get_constraintdef without a trailing NOT VALID.
	Definition string `json:"definition"`
	// Validated is false for a constraint added NOT VALID and not validated yet.
	Validated bool `json:"validated"`
	// References is the qualified table a foreign key points to.
	References string `json:"references,omitempty"`
	// Inherited is true for a constraint that only comes from a parent table.
	Inherited bool   `json:"inherited,omitempty"`
	Comment   string `json:"comment,omitempty"`
	// IndexComment is the comment on the index of a primary key, unique or
	// exclusion constraint (COMMENT ON INDEX), apart from the constraint's own.
	IndexComment string `json:"indexComment,omitempty"`
	// ParentIndex is the qualified partitioned index that backs no constraint
	// and that the index of this partition's key is attached to (a unique index
	// of the parent that adopted the partition's primary key, say).
	ParentIndex string `json:"parentIndex,omitempty"`
}

// Index is an index that does not back a constraint.
type Index struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Table  string `json:"table"`
	// Definition is pg_get_indexdef.
	Definition string `json:"definition"`
	Unique     bool   `json:"unique,omitempty"`
	// Valid is false for an index left INVALID, e.g. by a failed CREATE INDEX CONCURRENTLY.
	Valid bool `json:"valid"`
	// Clustered is true for the index a table is CLUSTERed on.
	Clustered bool `json:"clustered,omitempty"`
	// Statistics are the statistics targets set on the index's expression columns
	// (ALTER INDEX ... ALTER COLUMN n SET STATISTICS), as "n=target" in column order.
	Statistics []string `json:"statistics,omitempty"`
	// ParentIndex is the qualified partitioned index this index is attached to.
	ParentIndex string `json:"parentIndex,omitempty"`
	Comment     string `json:"comment,omitempty"`
}

// Unsupported is an object of a kind the engine cannot plan yet. Its Definition is a
// canonical rendering from the catalog so that a change in it is detected and reported.
type Unsupported struct {
	Kind       string `json:"kind"`
	Schema     string `json:"schema,omitempty"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

// Qualified returns the quoted schema-qualified name.
func Qualified(schema, name string) string {
	if schema == "" {
		return QuoteIdent(name)
	}
	return QuoteIdent(schema) + "." + QuoteIdent(name)
}

// QualifiedName returns the qualified name of the table.
func (t *Table) QualifiedName() string { return Qualified(t.Schema, t.Name) }

// Key returns the unquoted "schema.name" key of the table.
func (t *Table) Key() string { return t.Schema + "." + t.Name }

// Column returns the named column or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// ID returns a readable identity of the unsupported object.
func (u *Unsupported) ID() string {
	if u.Schema == "" {
		return u.Kind + " " + u.Name
	}
	return u.Kind + " " + u.Schema + "." + u.Name
}

// Fingerprint returns a stable SHA-256 digest of the model, e.g. to tell whether the
// live schema moved since a plan was made.
func (s *Schema) Fingerprint() string {
	c := *s
	c.ServerVersion = 0
	b, err := json.Marshal(&c)
	if err != nil {
		panic(fmt.Sprintf("marshal schema model: %v", err))
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// QuoteIdent quotes an identifier when PostgreSQL needs it, as quote_ident does.
func QuoteIdent(s string) string {
	if s != "" && !keywords[s] {
		plain := true
		for i, r := range s {
			if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && (r >= '0' && r <= '9' || r == '$'))) {
				plain = false
				break
			}
		}
		if plain {
			return s
		}
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// QuoteLiteral quotes a string literal, as quote_literal does (E” when backslashes occur).
func QuoteLiteral(s string) string {
	q := "'" + strings.ReplaceAll(s, "'", "''") + "'"
	if strings.Contains(s, `\`) {
		return "E" + strings.ReplaceAll(q, `\`, `\\`)
	}
	return q
}
