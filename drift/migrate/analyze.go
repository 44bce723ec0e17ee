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

package migrate

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/schemactl/schema-controller/drift/load"
)

// Analysis is what PostgreSQL's parser tells about the statements of a migration.
type Analysis struct {
	// NoTransaction is the file:line and reason of the first statement that
	// cannot run inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM,
	// ...), empty when there is none.
	NoTransaction string
	// AddsEnumValue is the file:line of an ALTER TYPE ... ADD VALUE: PostgreSQL
	// before 12 runs it only outside a transaction block.
	AddsEnumValue string
	// Destructive are the statements that can lose data.
	Destructive []Finding
	// Touches are the objects the statements create, alter or drop, as
	// "schema.name" (unqualified names are taken as public's).
	Touches []string
	// TransactionControl are the BEGIN/COMMIT statements of the migration; they
	// are skipped when the migration runs in its own transaction.
	TransactionControl []int
	// Rejected are the statements that reach beyond the database (roles,
	// databases, tablespaces, server files) with the loader's reason.
	Rejected []Finding
}

// Finding is a statement of a migration and why it is reported.
type Finding struct {
	// Position is the statement's file:line.
	Position string `json:"position"`
	// SQL is the statement.
	SQL string `json:"sql"`
	// Reason says what the statement does, e.g. "DROP TABLE".
	Reason string `json:"reason"`
	// TypeChange is set for an ALTER COLUMN ... TYPE without USING whose new type
	// the parser tells: the caller compares it with the live column's type and
	// drops the finding when the conversion keeps every value.
	TypeChange *TypeChange `json:"-"`
}

// TypeChange is a column's new type, as format_type renders it.
type TypeChange struct {
	Table, Column, NewType string
}

// Analyze parses each statement of a migration with p and reports what must run
// outside a transaction, what can lose data and what objects it touches. A
// statement that reaches beyond the database (the loader's Reject class) is an
// error at its file:line, as for a desired schema. A ROLLBACK or SAVEPOINT
// inside a migration is an error too: the migration's transaction is schemactl's.
func Analyze(p *load.Parser, stmts []load.Statement) (Analysis, error) {
	var a Analysis
	seen := map[string]bool{}
	for i, s := range stmts {
		if s.Class == load.Reject {
			a.Rejected = append(a.Rejected, Finding{Position: s.Position(), SQL: s.SQL, Reason: s.Reason})
			continue
		}
		node, err := p.Parse(s.SQL)
		if err != nil {
			return a, fmt.Errorf("%s: %w", s.Position(), err)
		}
		if t, ok := node.GetNode().(*pg_query.Node_TransactionStmt); ok {
			switch t.TransactionStmt.Kind {
			case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START,
				pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
				a.TransactionControl = append(a.TransactionControl, i)
				continue
			default:
				return a, &FileError{File: s.File, Line: s.Line, Message: "ROLLBACK, SAVEPOINT and two-phase commit are not allowed in a migration: each migration runs in a transaction of its own"}
			}
		}
		if why := noTransaction(node); why != "" && a.NoTransaction == "" {
			a.NoTransaction = s.Position() + ": " + why
		}
		if ae, ok := node.GetNode().(*pg_query.Node_AlterEnumStmt); ok && ae.AlterEnumStmt.NewVal != "" && ae.AlterEnumStmt.OldVal == "" && a.AddsEnumValue == "" {
			a.AddsEnumValue = s.Position()
		}
		for _, f := range destructive(node) {
			f.Position, f.SQL = s.Position(), s.SQL
			a.Destructive = append(a.Destructive, f)
		}
		for _, o := range touches(node) {
			if !seen[o] {
				seen[o] = true
				a.Touches = append(a.Touches, o)
			}
		}
	}
	if len(a.Rejected) > 0 {
		var lines []string
		for _, r := range a.Rejected {
			lines = append(lines, r.Position+": "+r.Reason)
		}
		return a, fmt.Errorf("%s", strings.Join(lines, "\n"))
	}
	return a, nil
}

// noTransaction tells why a statement cannot run inside a transaction block, or "".
func noTransaction(node *pg_query.Node) string {
	switch n := node.GetNode().(type) {
	case *pg_query.Node_IndexStmt:
		if n.IndexStmt.Concurrent {
			return "CREATE INDEX CONCURRENTLY cannot run inside a transaction block"
		}
	case *pg_query.Node_DropStmt:
		if n.DropStmt.Concurrent {
			return "DROP INDEX CONCURRENTLY cannot run inside a transaction block"
		}
	case *pg_query.Node_ReindexStmt:
		for _, p := range n.ReindexStmt.Params {
			if d := p.GetDefElem(); d != nil && d.Defname == "concurrently" {
				return "REINDEX CONCURRENTLY cannot run inside a transaction block"
			}
		}
	case *pg_query.Node_VacuumStmt:
		if n.VacuumStmt.IsVacuumcmd {
			return "VACUUM cannot run inside a transaction block"
		}
	case *pg_query.Node_AlterTableStmt:
		for _, c := range n.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd != nil && cmd.Subtype == pg_query.AlterTableType_AT_DetachPartition {
				if pc := cmd.GetDef().GetPartitionCmd(); pc != nil && pc.Concurrent {
					return "DETACH PARTITION CONCURRENTLY cannot run inside a transaction block"
				}
			}
		}
	case *pg_query.Node_AlterSystemStmt:
		return "ALTER SYSTEM cannot run inside a transaction block"
	}
	return ""
}

// destructive returns what can lose data in a statement: the hazards the engine
// tags DataLoss in its own plans (dropping a table, column, type, domain, schema or
// sequence, changing a column's type) and the data statements that empty a table
// (TRUNCATE, DELETE or UPDATE without WHERE).
func destructive(node *pg_query.Node) []Finding {
	reason := func(r string) []Finding { return []Finding{{Reason: r}} }
	switch n := node.GetNode().(type) {
	case *pg_query.Node_DropStmt:
		switch n.DropStmt.RemoveType {
		case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN,
			pg_query.ObjectType_OBJECT_SCHEMA, pg_query.ObjectType_OBJECT_SEQUENCE, pg_query.ObjectType_OBJECT_FOREIGN_TABLE:
			return reason("DROP " + strings.ReplaceAll(strings.TrimPrefix(n.DropStmt.RemoveType.String(), "OBJECT_"), "_", " "))
		}
		if n.DropStmt.Behavior == pg_query.DropBehavior_DROP_CASCADE {
			return reason("DROP ... CASCADE (may drop dependent tables' columns)")
		}
	case *pg_query.Node_AlterTableStmt:
		var out []Finding
		for _, c := range n.AlterTableStmt.Cmds {
			cmd := c.GetAlterTableCmd()
			if cmd == nil {
				continue
			}
			switch cmd.Subtype {
			case pg_query.AlterTableType_AT_DropColumn:
				out = append(out, Finding{Reason: "DROP COLUMN " + cmd.Name})
			case pg_query.AlterTableType_AT_AlterColumnType:
				f := Finding{Reason: "ALTER COLUMN " + cmd.Name + " TYPE (the conversion may change, cut or reject values)"}
				cd := cmd.GetDef().GetColumnDef()
				if r := n.AlterTableStmt.Relation; r != nil && cd != nil && cd.RawDefault == nil {
					if t := typeText(cd.TypeName); t != "" {
						f.TypeChange = &TypeChange{Table: qualify(r.Schemaname, r.Relname), Column: cmd.Name, NewType: t}
					}
				}
				out = append(out, f)
			}
		}
		return out
	case *pg_query.Node_TruncateStmt:
		return reason("TRUNCATE")
	case *pg_query.Node_DeleteStmt:
		if n.DeleteStmt.WhereClause == nil {
			return reason("DELETE without WHERE")
		}
	case *pg_query.Node_UpdateStmt:
		if n.UpdateStmt.WhereClause == nil {
			return reason("UPDATE without WHERE")
		}
	}
	return nil
}

// builtinTypes are the names the parser gives built-in types, with the names
// format_type renders them by.
var builtinTypes = map[string]string{
	"int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real", "float8": "double precision",
	"bool": "boolean", "varchar": "character varying", "bpchar": "character", "varbit": "bit varying", "bit": "bit",
	"numeric": "numeric", "text": "text", "jsonb": "jsonb", "json": "json", "uuid": "uuid", "date": "date",
	"bytea": "bytea", "inet": "inet", "cidr": "cidr",
	"smallint": "smallint", "integer": "integer", "bigint": "bigint", "real": "real",
}

// typeText renders a built-in type of the parse tree as format_type does
// ("character varying(20)", "numeric(12,2)", "bigint[]"), or "" when it cannot
// tell (another type, a temporal type with a precision, a modifier that is not a
// number): the change then stays destructive.
func typeText(t *pg_query.TypeName) string {
	if t == nil || t.Setof || t.PctType {
		return ""
	}
	var parts []string
	for _, n := range t.Names {
		if s := n.GetString_(); s != nil {
			parts = append(parts, s.Sval)
		}
	}
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	if len(parts) != 1 {
		return ""
	}
	name, ok := builtinTypes[parts[0]]
	if !ok {
		return ""
	}
	if len(t.Typmods) > 0 {
		var mods []string
		for _, m := range t.Typmods {
			c := m.GetAConst()
			if c == nil || c.GetIval() == nil {
				return ""
			}
			mods = append(mods, fmt.Sprint(c.GetIval().Ival))
		}
		name += "(" + strings.Join(mods, ",") + ")"
	}
	if len(t.ArrayBounds) > 0 {
		name += "[]"
	}
	return name
}

// touches returns the objects a statement creates, alters, drops or comments on.
func touches(node *pg_query.Node) []string {
	rel := func(r *pg_query.RangeVar) []string {
		if r == nil {
			return nil
		}
		return []string{qualify(r.Schemaname, r.Relname)}
	}
	switch n := node.GetNode().(type) {
	case *pg_query.Node_CreateStmt:
		return rel(n.CreateStmt.Relation)
	case *pg_query.Node_AlterTableStmt:
		out := rel(n.AlterTableStmt.Relation)
		if r := n.AlterTableStmt.Relation; r != nil {
			for _, c := range n.AlterTableStmt.Cmds {
				if cmd := c.GetAlterTableCmd(); cmd != nil && cmd.Name != "" {
					out = append(out, qualify(r.Schemaname, r.Relname)+"."+cmd.Name)
				}
				if cd := c.GetAlterTableCmd().GetDef().GetColumnDef(); cd != nil {
					out = append(out, qualify(r.Schemaname, r.Relname)+"."+cd.Colname)
				}
			}
		}
		return out
	case *pg_query.Node_IndexStmt:
		// The index, not its table: a later index does not "touch" the table's
		// columns.
		if n.IndexStmt.Idxname != "" && n.IndexStmt.Relation != nil {
			return []string{qualify(n.IndexStmt.Relation.Schemaname, n.IndexStmt.Idxname)}
		}
	case *pg_query.Node_ViewStmt:
		return rel(n.ViewStmt.View)
	case *pg_query.Node_CreateTableAsStmt:
		if n.CreateTableAsStmt.Into != nil {
			return rel(n.CreateTableAsStmt.Into.Rel)
		}
	case *pg_query.Node_CreateSeqStmt:
		return rel(n.CreateSeqStmt.Sequence)
	case *pg_query.Node_AlterSeqStmt:
		return rel(n.AlterSeqStmt.Sequence)
	case *pg_query.Node_CreateTrigStmt:
		out := rel(n.CreateTrigStmt.Relation)
		if r := n.CreateTrigStmt.Relation; r != nil {
			out = append(out, qualify(r.Schemaname, r.Relname)+"."+n.CreateTrigStmt.Trigname)
		}
		return out
	case *pg_query.Node_CreateFunctionStmt:
		return []string{names(n.CreateFunctionStmt.Funcname)}
	case *pg_query.Node_CreateEnumStmt:
		return []string{names(n.CreateEnumStmt.TypeName)}
	case *pg_query.Node_AlterEnumStmt:
		return []string{names(n.AlterEnumStmt.TypeName)}
	case *pg_query.Node_CompositeTypeStmt:
		return rel(n.CompositeTypeStmt.Typevar)
	case *pg_query.Node_CreateDomainStmt:
		return []string{names(n.CreateDomainStmt.Domainname)}
	case *pg_query.Node_CreateSchemaStmt:
		return []string{n.CreateSchemaStmt.Schemaname}
	case *pg_query.Node_RenameStmt:
		return rel(n.RenameStmt.Relation)
	case *pg_query.Node_DropStmt:
		var out []string
		for _, o := range n.DropStmt.Objects {
			if l := o.GetList(); l != nil {
				out = append(out, names(l.Items))
			}
		}
		return out
	}
	return nil
}

func qualify(schema, name string) string {
	if schema == "" {
		schema = "public"
	}
	return schema + "." + name
}

// names renders a qualified name list (schema, name) as "schema.name".
func names(items []*pg_query.Node) string {
	var parts []string
	for _, it := range items {
		if s := it.GetString_(); s != nil {
			parts = append(parts, s.Sval)
		}
	}
	if len(parts) == 1 {
		return qualify("", parts[0])
	}
	return strings.Join(parts, ".")
}
