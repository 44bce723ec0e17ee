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

package load

import (
	"fmt"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// execKind selects the errors that executing a statement may turn into warnings.
type execKind int

const (
	kindPlain execKind = iota
	// kindSetting: SET and set_config; an unknown parameter (42704) is a warning,
	// so that settings of newer servers or removed ones do not fail the load.
	kindSetting
	// kindPrivilege: GRANT, REVOKE and ALTER DEFAULT PRIVILEGES; a grantee that
	// does not exist on the scratch server (42704) is a warning.
	kindPrivilege
	// kindExtensionComment: COMMENT ON EXTENSION; an admin that does not own the
	// extension (42501: not a superuser, plpgsql belongs to the bootstrap
	// superuser) is a warning, as Rails' structure.sql comments on plpgsql.
	kindExtensionComment
)

// verdict is the classification of one parsed statement with what executing it
// needs.
type verdict struct {
	class  Class
	reason string
	// warning is emitted for an Execute statement that is loaded only in part.
	warning string
	// copyIn marks COPY ... FROM stdin, whose data block the preprocessor skipped.
	copyIn bool
	// admin statements run on the admin connection to the scratch database, in the
	// form pg_query deparses them to: extensions are owned by the admin role and
	// their scripts come from the server, not from the desired schema.
	admin bool
	// rewrite statements run as deparsed after rewriteStatement changed them.
	rewrite bool
	kind    execKind
	setting string   // kindSetting: the parameter
	roles   []string // kindPrivilege: the grantees named by the statement
	// createsPublic marks a plain CREATE SCHEMA public (pg_dump writes it when the
	// source database's public schema was dropped and recreated).
	createsPublic bool
	// ext is the extension a CREATE EXTENSION (or CREATE LANGUAGE without a
	// handler, which PostgreSQL reads as one) or ALTER EXTENSION ... UPDATE
	// installs: checked against the scratch server's catalog before anything runs.
	ext *extensionUse
}

// extensionUse is an extension version a statement installs.
type extensionUse struct {
	name string
	// version is the VERSION / UPDATE TO, empty for the default version.
	version string
	// cascade: CREATE EXTENSION ... CASCADE also installs the extensions it
	// requires.
	cascade bool
	// update: ALTER EXTENSION ... UPDATE.
	update bool
}

// extensionUseOf returns what a CREATE or ALTER EXTENSION statement installs.
func extensionUseOf(node *pg_query.Node) *extensionUse {
	var (
		u    extensionUse
		opts []*pg_query.Node
	)
	switch n := node.GetNode().(type) {
	case *pg_query.Node_CreateExtensionStmt:
		u.name, opts = n.CreateExtensionStmt.Extname, n.CreateExtensionStmt.Options
	case *pg_query.Node_AlterExtensionStmt:
		u.name, opts, u.update = n.AlterExtensionStmt.Extname, n.AlterExtensionStmt.Options, true
	default:
		return nil
	}
	for _, o := range opts {
		d := o.GetDefElem()
		switch d.GetDefname() {
		case "new_version":
			u.version = d.GetArg().GetString_().GetSval()
		case "cascade":
			u.cascade = d.GetArg().GetBoolean().GetBoolval()
		}
	}
	return &u
}

func execute() verdict               { return verdict{class: Execute} }
func skip(reason string) verdict     { return verdict{class: Skip, reason: reason} }
func reject(reason string) verdict   { return verdict{class: Reject, reason: reason} }
func executeAdmin() verdict          { return verdict{class: Execute, admin: true} }
func dataStatement(s string) verdict { return skip("data statement (" + s + ")") }

// clusterObjects are object types whose statements reach beyond the scratch
// database (shared catalogs, other servers) or need superuser, with the noun
// used in reasons.
var clusterObjects = map[pg_query.ObjectType]string{
	pg_query.ObjectType_OBJECT_DATABASE:       "a database",
	pg_query.ObjectType_OBJECT_ROLE:           "a role",
	pg_query.ObjectType_OBJECT_TABLESPACE:     "a tablespace",
	pg_query.ObjectType_OBJECT_SUBSCRIPTION:   "a subscription",
	pg_query.ObjectType_OBJECT_PARAMETER_ACL:  "a configuration parameter",
	pg_query.ObjectType_OBJECT_EVENT_TRIGGER:  "an event trigger",
	pg_query.ObjectType_OBJECT_FDW:            "a foreign-data wrapper",
	pg_query.ObjectType_OBJECT_FOREIGN_SERVER: "a foreign server",
	pg_query.ObjectType_OBJECT_USER_MAPPING:   "a user mapping",
}

var objectKeywords = map[pg_query.ObjectType]string{
	pg_query.ObjectType_OBJECT_MATVIEW:         "MATERIALIZED VIEW",
	pg_query.ObjectType_OBJECT_FOREIGN_TABLE:   "FOREIGN TABLE",
	pg_query.ObjectType_OBJECT_OPCLASS:         "OPERATOR CLASS",
	pg_query.ObjectType_OBJECT_OPFAMILY:        "OPERATOR FAMILY",
	pg_query.ObjectType_OBJECT_TSCONFIGURATION: "TEXT SEARCH CONFIGURATION",
	pg_query.ObjectType_OBJECT_TSDICTIONARY:    "TEXT SEARCH DICTIONARY",
	pg_query.ObjectType_OBJECT_STATISTIC_EXT:   "STATISTICS",
	pg_query.ObjectType_OBJECT_LARGEOBJECT:     "LARGE OBJECT",
	pg_query.ObjectType_OBJECT_FDW:             "FOREIGN DATA WRAPPER",
	pg_query.ObjectType_OBJECT_FOREIGN_SERVER:  "SERVER",
	pg_query.ObjectType_OBJECT_EVENT_TRIGGER:   "EVENT TRIGGER",
}

// keyword returns the SQL keyword of an object type, e.g. "MATERIALIZED VIEW".
func keyword(t pg_query.ObjectType) string {
	if k, ok := objectKeywords[t]; ok {
		return k
	}
	return strings.ReplaceAll(strings.TrimPrefix(t.String(), "OBJECT_"), "_", " ")
}

// classify decides what the loader does with one top-level statement. The
// table is documented in doc.go; keep both in step.
func classify(node *pg_query.Node) verdict {
	switch n := node.GetNode().(type) {
	// Data.
	case *pg_query.Node_InsertStmt:
		return dataStatement("INSERT")
	case *pg_query.Node_UpdateStmt:
		return dataStatement("UPDATE")
	case *pg_query.Node_DeleteStmt:
		return dataStatement("DELETE")
	case *pg_query.Node_MergeStmt:
		return dataStatement("MERGE")
	case *pg_query.Node_TruncateStmt:
		return dataStatement("TRUNCATE")
	case *pg_query.Node_RefreshMatViewStmt:
		return dataStatement("REFRESH MATERIALIZED VIEW")
	case *pg_query.Node_CopyStmt:
		return copyVerdict(n.CopyStmt)
	case *pg_query.Node_SelectStmt:
		return selectVerdict(n.SelectStmt)

	// Session and transaction state.
	case *pg_query.Node_VariableSetStmt:
		return setVerdict(n.VariableSetStmt)
	case *pg_query.Node_TransactionStmt:
		return skip("transaction control (" + transactionKeyword(n.TransactionStmt.Kind) + ")")
	case *pg_query.Node_VariableShowStmt:
		return skip("query (SHOW)")
	case *pg_query.Node_ExplainStmt:
		return skip("query (EXPLAIN)")
	case *pg_query.Node_CallStmt:
		return skip("procedure call (CALL)")
	case *pg_query.Node_DiscardStmt:
		return skip("session reset (DISCARD)")
	case *pg_query.Node_LockStmt:
		return skip("table lock (LOCK)")
	case *pg_query.Node_ConstraintsSetStmt:
		return skip("transaction setting (SET CONSTRAINTS)")
	case *pg_query.Node_PrepareStmt:
		return skip("prepared statement (PREPARE)")
	case *pg_query.Node_ExecuteStmt:
		return skip("prepared statement (EXECUTE)")
	case *pg_query.Node_DeallocateStmt:
		return skip("prepared statement (DEALLOCATE)")
	case *pg_query.Node_DeclareCursorStmt:
		return skip("cursor (DECLARE)")
	case *pg_query.Node_FetchStmt:
		return skip("cursor (FETCH)")
	case *pg_query.Node_ClosePortalStmt:
		return skip("cursor (CLOSE)")
	case *pg_query.Node_ListenStmt:
		return skip("notification (LISTEN)")
	case *pg_query.Node_UnlistenStmt:
		return skip("notification (UNLISTEN)")
	case *pg_query.Node_NotifyStmt:
		return skip("notification (NOTIFY)")

	// Maintenance.
	case *pg_query.Node_VacuumStmt:
		if n.VacuumStmt.IsVacuumcmd {
			return skip("maintenance (VACUUM)")
		}
		return skip("maintenance (ANALYZE)")
	case *pg_query.Node_ClusterStmt:
		return skip("maintenance (CLUSTER)")
	case *pg_query.Node_ReindexStmt:
		return skip("maintenance (REINDEX)")

	// Ownership and security labels.
	case *pg_query.Node_AlterOwnerStmt:
		if noun, ok := clusterObjects[n.AlterOwnerStmt.ObjectType]; ok {
			return reject("changes the owner of " + noun)
		}
		return skip("ownership (ALTER " + keyword(n.AlterOwnerStmt.ObjectType) + " ... OWNER TO)")
	case *pg_query.Node_SecLabelStmt:
		return skip("security label (SECURITY LABEL)")

	// Beyond one database.
	case *pg_query.Node_CreateRoleStmt:
		return reject("creates a role")
	case *pg_query.Node_AlterRoleStmt:
		return reject("alters a role")
	case *pg_query.Node_AlterRoleSetStmt:
		return reject("alters a role's settings (ALTER ROLE ... SET)")
	case *pg_query.Node_DropRoleStmt:
		return reject("drops a role")
	case *pg_query.Node_GrantRoleStmt:
		if n.GrantRoleStmt.IsGrant {
			return reject("grants role membership")
		}
		return reject("revokes role membership")
	case *pg_query.Node_ReassignOwnedStmt:
		return reject("reassigns the objects of a role (REASSIGN OWNED)")
	case *pg_query.Node_DropOwnedStmt:
		return reject("drops the objects of a role (DROP OWNED)")
	case *pg_query.Node_CreatedbStmt:
		return reject("creates a database")
	case *pg_query.Node_AlterDatabaseStmt, *pg_query.Node_AlterDatabaseSetStmt,
		*pg_query.Node_AlterDatabaseRefreshCollStmt:
		return reject("alters a database")
	case *pg_query.Node_DropdbStmt:
		return reject("drops a database")
	case *pg_query.Node_CreateTableSpaceStmt:
		return reject("creates a tablespace")
	case *pg_query.Node_AlterTableSpaceOptionsStmt:
		return reject("alters a tablespace")
	case *pg_query.Node_DropTableSpaceStmt:
		return reject("drops a tablespace")
	case *pg_query.Node_AlterTableMoveAllStmt:
		return reject("moves relations between tablespaces")
	case *pg_query.Node_AlterSystemStmt:
		return reject("changes the server configuration (ALTER SYSTEM)")
	case *pg_query.Node_CreateSubscriptionStmt:
		return reject("creates a subscription")
	case *pg_query.Node_AlterSubscriptionStmt:
		return reject("alters a subscription")
	case *pg_query.Node_DropSubscriptionStmt:
		return reject("drops a subscription")
	case *pg_query.Node_LoadStmt:
		return reject("loads a server library (LOAD)")
	case *pg_query.Node_CheckPointStmt:
		return reject("forces a server-wide checkpoint (CHECKPOINT)")
	case *pg_query.Node_CreateEventTrigStmt:
		return reject("creates an event trigger (needs superuser)")
	case *pg_query.Node_AlterEventTrigStmt:
		return reject("alters an event trigger (needs superuser)")
	case *pg_query.Node_CreateFdwStmt:
		return reject("creates a foreign-data wrapper (needs superuser)")
	case *pg_query.Node_AlterFdwStmt:
		return reject("alters a foreign-data wrapper (needs superuser)")
	case *pg_query.Node_CreateForeignServerStmt:
		return reject("creates a foreign server (connects outside the database)")
	case *pg_query.Node_AlterForeignServerStmt:
		return reject("alters a foreign server (connects outside the database)")
	case *pg_query.Node_CreateUserMappingStmt:
		return reject("creates a user mapping (credentials for a remote server)")
	case *pg_query.Node_AlterUserMappingStmt:
		return reject("alters a user mapping (credentials for a remote server)")
	case *pg_query.Node_DropUserMappingStmt:
		return reject("drops a user mapping")
	case *pg_query.Node_ImportForeignSchemaStmt:
		return reject("imports a foreign schema (reads a remote server)")
	case *pg_query.Node_CreatePlangStmt:
		return reject("creates a procedural language (needs superuser; use CREATE EXTENSION)")
	case *pg_query.Node_CreateAmStmt:
		return reject("creates an access method (needs superuser)")

	// Extensions: run by the admin.
	case *pg_query.Node_CreateExtensionStmt, *pg_query.Node_AlterExtensionStmt:
		v := executeAdmin()
		v.ext = extensionUseOf(node)
		return v
	case *pg_query.Node_AlterExtensionContentsStmt:
		return executeAdmin()

	// Schema, with checks on the object type.
	case *pg_query.Node_CreateSchemaStmt:
		return createSchemaVerdict(n.CreateSchemaStmt)
	case *pg_query.Node_AlterTableStmt:
		return alterTableVerdict(n.AlterTableStmt)
	case *pg_query.Node_DropStmt:
		if noun, ok := clusterObjects[n.DropStmt.RemoveType]; ok {
			return reject("drops " + noun)
		}
		if n.DropStmt.RemoveType == pg_query.ObjectType_OBJECT_EXTENSION {
			return executeAdmin()
		}
		return execute()
	case *pg_query.Node_RenameStmt:
		if noun, ok := clusterObjects[n.RenameStmt.RenameType]; ok {
			return reject("renames " + noun)
		}
		return execute()
	case *pg_query.Node_AlterObjectSchemaStmt:
		if n.AlterObjectSchemaStmt.ObjectType == pg_query.ObjectType_OBJECT_EXTENSION {
			return executeAdmin()
		}
		return execute()
	case *pg_query.Node_CommentStmt:
		if noun, ok := clusterObjects[n.CommentStmt.Objtype]; ok {
			return reject("comments on " + noun)
		}
		if n.CommentStmt.Objtype == pg_query.ObjectType_OBJECT_EXTENSION {
			v := executeAdmin()
			v.kind = kindExtensionComment
			return v
		}
		return execute()
	case *pg_query.Node_GrantStmt:
		return grantVerdict(n.GrantStmt)
	case *pg_query.Node_AlterDefaultPrivilegesStmt:
		return defaultPrivilegesVerdict(n.AlterDefaultPrivilegesStmt)

	// Schema.
	case *pg_query.Node_CreateStmt, *pg_query.Node_IndexStmt, *pg_query.Node_CreateSeqStmt,
		*pg_query.Node_AlterSeqStmt, *pg_query.Node_ViewStmt, *pg_query.Node_CreateTableAsStmt,
		*pg_query.Node_CreateFunctionStmt, *pg_query.Node_AlterFunctionStmt,
		*pg_query.Node_CompositeTypeStmt, *pg_query.Node_CreateEnumStmt, *pg_query.Node_CreateRangeStmt,
		*pg_query.Node_AlterEnumStmt, *pg_query.Node_CreateDomainStmt, *pg_query.Node_AlterDomainStmt,
		*pg_query.Node_DefineStmt, *pg_query.Node_CreateCastStmt, *pg_query.Node_CreateOpClassStmt,
		*pg_query.Node_CreateOpFamilyStmt, *pg_query.Node_AlterOpFamilyStmt,
		*pg_query.Node_CreateConversionStmt, *pg_query.Node_CreateTransformStmt,
		*pg_query.Node_CreateStatsStmt, *pg_query.Node_AlterStatsStmt, *pg_query.Node_RuleStmt,
		*pg_query.Node_CreateTrigStmt, *pg_query.Node_CreatePolicyStmt, *pg_query.Node_AlterPolicyStmt,
		*pg_query.Node_AlterCollationStmt, *pg_query.Node_AlterObjectDependsStmt,
		*pg_query.Node_AlterOperatorStmt, *pg_query.Node_AlterTypeStmt,
		*pg_query.Node_AlterTsdictionaryStmt, *pg_query.Node_AlterTsconfigurationStmt,
		*pg_query.Node_CreatePublicationStmt, *pg_query.Node_AlterPublicationStmt,
		*pg_query.Node_CreateForeignTableStmt,
		// DO runs arbitrary code, but only as the unprivileged scratch role inside
		// the scratch database, like a function called by CREATE MATERIALIZED VIEW
		// would; hand-written and generated schemas use it for idempotent DDL.
		*pg_query.Node_DoStmt:
		v := execute()
		if doCreatesExtension(node.GetDoStmt()) {
			v.warning = "DO block creates an extension: it runs as the unprivileged scratch role, which may not be allowed to, and an extension it fails to create is missing from the desired schema (write CREATE EXTENSION as a statement of its own)"
		}
		return v
	}
	return reject("unsupported statement " + nodeName(node))
}

// doCreatesExtension reports whether a DO block's code mentions CREATE EXTENSION.
func doCreatesExtension(d *pg_query.DoStmt) bool {
	for _, a := range d.GetArgs() {
		if e := a.GetDefElem(); e != nil && e.Defname == "as" {
			code := strings.ToLower(e.GetArg().GetString_().GetSval())
			if strings.Contains(strings.Join(strings.Fields(code), " "), "create extension") {
				return true
			}
		}
	}
	return false
}

func nodeName(node *pg_query.Node) string {
	if node.GetNode() == nil {
		return "(empty)"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", node.GetNode()), "*pg_query.Node_")
}

func transactionKeyword(k pg_query.TransactionStmtKind) string {
	switch k {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN:
		return "BEGIN"
	case pg_query.TransactionStmtKind_TRANS_STMT_START:
		return "START TRANSACTION"
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
		return "COMMIT"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		return "ROLLBACK"
	case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		return "SAVEPOINT"
	case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
		return "RELEASE SAVEPOINT"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		return "ROLLBACK TO SAVEPOINT"
	case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE:
		return "PREPARE TRANSACTION"
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:
		return "COMMIT PREPARED"
	case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
		return "ROLLBACK PREPARED"
	}
	return k.String()
}

func copyVerdict(c *pg_query.CopyStmt) verdict {
	switch {
	case c.IsProgram && c.IsFrom:
		return reject("runs a server program (COPY ... FROM PROGRAM)")
	case c.IsProgram:
		return reject("runs a server program (COPY ... TO PROGRAM)")
	case c.Filename != "" && c.IsFrom:
		return reject("reads a server file (COPY ... FROM 'file')")
	case c.Filename != "":
		return reject("writes a server file (COPY ... TO 'file')")
	case c.IsFrom:
		v := dataStatement("COPY ... FROM stdin")
		v.copyIn = true
		return v
	}
	return dataStatement("COPY ... TO stdout")
}

// selectVerdict executes SELECT ... INTO (it creates a table) and a SELECT of
// set_config calls only (pg_dump's way to set search_path), and skips every
// other SELECT, naming setval and pg_extension_config_dump when those are all
// it calls.
func selectVerdict(s *pg_query.SelectStmt) verdict {
	if s.IntoClause != nil {
		return execute()
	}
	simple := s.Op == pg_query.SetOperation_SETOP_NONE && s.WithClause == nil &&
		len(s.FromClause) == 0 && s.WhereClause == nil && len(s.GroupClause) == 0 &&
		s.HavingClause == nil && len(s.WindowClause) == 0 && len(s.ValuesLists) == 0 &&
		len(s.SortClause) == 0 && s.LimitCount == nil && s.LimitOffset == nil &&
		len(s.LockingClause) == 0 && len(s.DistinctClause) == 0 && len(s.TargetList) > 0
	if !simple {
		return skip("query (SELECT)")
	}
	var calls []*pg_query.FuncCall
	name := ""
	for _, t := range s.TargetList {
		fc := t.GetResTarget().GetVal().GetFuncCall()
		if fc == nil || fc.Over != nil || fc.AggFilter != nil || len(fc.AggOrder) > 0 || fc.AggStar {
			return skip("query (SELECT)")
		}
		n, ok := builtinFunction(fc)
		if !ok || (name != "" && n != name) {
			return skip("query (SELECT)")
		}
		name = n
		calls = append(calls, fc)
	}
	switch name {
	case "setval":
		return skip("sequence value (setval)")
	case "pg_extension_config_dump":
		return skip("extension configuration marker (pg_extension_config_dump)")
	case "set_config":
		v := execute()
		for _, fc := range calls {
			cv := setConfigVerdict(fc)
			if cv.class != Execute {
				return cv
			}
			v.kind, v.setting = cv.kind, cv.setting
		}
		if len(calls) > 1 {
			v.kind = kindPlain
		}
		return v
	}
	return skip("query (SELECT)")
}

// builtinFunction returns the name of a call to a function named without schema
// or in pg_catalog.
func builtinFunction(fc *pg_query.FuncCall) (string, bool) {
	switch len(fc.Funcname) {
	case 1:
		return fc.Funcname[0].GetString_().GetSval(), true
	case 2:
		if fc.Funcname[0].GetString_().GetSval() == "pg_catalog" {
			return fc.Funcname[1].GetString_().GetSval(), true
		}
	}
	return "", false
}

func setConfigVerdict(fc *pg_query.FuncCall) verdict {
	if len(fc.Args) != 3 {
		return skip("query (SELECT)")
	}
	name, ok := constString(fc.Args[0])
	if !ok {
		return reject("set_config with a parameter name that is not a constant")
	}
	if local, ok := constString(fc.Args[2]); ok && isTrue(local) {
		return skip("set_config(..., true) (no effect outside a transaction)")
	}
	value, known := constString(fc.Args[1])
	return settingVerdict(strings.ToLower(name), value, known)
}

func setVerdict(s *pg_query.VariableSetStmt) verdict {
	switch s.Kind {
	case pg_query.VariableSetKind_VAR_SET_MULTI:
		return skip("transaction setting (SET " + s.Name + ")")
	case pg_query.VariableSetKind_VAR_RESET_ALL:
		return execute()
	}
	name := strings.ToLower(s.Name)
	value, known := "", true
	if s.Kind == pg_query.VariableSetKind_VAR_SET_VALUE {
		parts := make([]string, 0, len(s.Args))
		for _, a := range s.Args {
			v, ok := constString(a)
			known = known && ok
			parts = append(parts, v)
		}
		value = strings.Join(parts, ",")
	}
	v := settingVerdict(name, value, known)
	if v.class == Execute && s.IsLocal {
		return skip("SET LOCAL (no effect outside a transaction)")
	}
	return v
}

// settingVerdict classifies setting a run-time parameter to value (empty: its
// default; known: value is a constant).
func settingVerdict(name, value string, known bool) verdict {
	switch name {
	case "role":
		return reject("changes the session's role (SET ROLE)")
	case "session_authorization":
		return reject("changes the session's user (SET SESSION AUTHORIZATION)")
	case "statement_timeout", "lock_timeout", "transaction_timeout":
		return skip("timeout setting (" + name + "; the load's own timeouts apply)")
	case "standard_conforming_strings":
		// The statements were split by a scanner with this on; a server reading
		// backslashes as escapes would see different statements.
		if !known || (value != "" && !isTrue(value)) {
			return reject("sets standard_conforming_strings to other than on (desired SQL is read with it on)")
		}
	case "client_encoding":
		if !known || (value != "" && !isUTF8(value)) {
			return skip("client_encoding other than UTF8 (desired SQL files are read as UTF-8)")
		}
	}
	v := execute()
	v.kind, v.setting = kindSetting, name
	return v
}

// constString returns the text of a constant (string, number or boolean).
func constString(n *pg_query.Node) (string, bool) {
	c := n.GetAConst()
	if c == nil {
		if tc := n.GetTypeCast(); tc != nil {
			return constString(tc.Arg)
		}
		return "", false
	}
	switch {
	case c.GetSval() != nil:
		return c.GetSval().Sval, true
	case c.GetIval() != nil:
		return strconv.Itoa(int(c.GetIval().Ival)), true
	case c.GetFval() != nil:
		return c.GetFval().Fval, true
	case c.GetBoolval() != nil:
		return strconv.FormatBool(c.GetBoolval().Boolval), true
	}
	return "", false
}

// isTrue accepts PostgreSQL's spellings of a true boolean.
func isTrue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "on", "true", "yes", "1", "t", "y":
		return true
	}
	return false
}

func isUTF8(s string) bool {
	s = strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	return s == "utf8" || s == "unicode"
}

func createSchemaVerdict(cs *pg_query.CreateSchemaStmt) verdict {
	for _, elt := range cs.SchemaElts {
		if ev := classify(elt); ev.class != Execute {
			return reject("CREATE SCHEMA element " + ev.reason)
		}
	}
	v := execute()
	schema := cs.Schemaname
	if r := cs.Authrole; r != nil && r.Roletype == pg_query.RoleSpecType_ROLESPEC_CSTRING {
		if schema == "" {
			schema = r.Rolename
		}
		v.rewrite = true
		v.warning = fmt.Sprintf("owner %q of schema %q not loaded (ownership is not managed)", r.Rolename, schema)
	}
	v.createsPublic = schema == "public" && !cs.IfNotExists
	return v
}

// rewriteStatement changes a freshly parsed statement whose verdict has
// rewrite set into the form that is executed.
func rewriteStatement(node *pg_query.Node) {
	if cs := node.GetCreateSchemaStmt(); cs != nil && cs.Authrole != nil {
		if cs.Schemaname == "" {
			cs.Schemaname = cs.Authrole.Rolename
		}
		cs.Authrole = nil
	}
}

func alterTableVerdict(a *pg_query.AlterTableStmt) verdict {
	owner := 0
	for _, c := range a.Cmds {
		if c.GetAlterTableCmd().GetSubtype() == pg_query.AlterTableType_AT_ChangeOwner {
			owner++
		}
	}
	switch {
	case owner == 0:
		return execute()
	case owner == len(a.Cmds):
		return skip("ownership (ALTER " + keyword(a.Objtype) + " ... OWNER TO)")
	}
	return reject("combines OWNER TO with other changes (ownership is not managed: move OWNER TO into its own statement)")
}

func grantVerdict(g *pg_query.GrantStmt) verdict {
	verb := "grants"
	if !g.IsGrant {
		verb = "revokes"
	}
	if noun, ok := clusterObjects[g.Objtype]; ok {
		return reject(verb + " privileges on " + noun)
	}
	if g.Objtype == pg_query.ObjectType_OBJECT_LARGEOBJECT {
		return skip("privileges on a large object (data)")
	}
	v := execute()
	v.kind, v.roles = kindPrivilege, roleNames(g.Grantees)
	return v
}

func defaultPrivilegesVerdict(a *pg_query.AlterDefaultPrivilegesStmt) verdict {
	for _, o := range a.Options {
		d := o.GetDefElem()
		if d.GetDefname() != "roles" {
			continue
		}
		if names := roleNames(d.GetArg().GetList().GetItems()); len(names) > 0 {
			return skip("default privileges FOR ROLE " + strings.Join(names, ", ") + " (ownership is not managed)")
		}
	}
	if a.Action == nil {
		return reject("unsupported statement AlterDefaultPrivilegesStmt")
	}
	return grantVerdict(a.Action)
}

// roleNames returns the roles named explicitly (not PUBLIC, CURRENT_USER...).
func roleNames(nodes []*pg_query.Node) []string {
	var names []string
	for _, n := range nodes {
		if r := n.GetRoleSpec(); r != nil && r.Roletype == pg_query.RoleSpecType_ROLESPEC_CSTRING {
			names = append(names, r.Rolename)
		}
	}
	return names
}
