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
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// TrustedLeakproof is the trusted statement kind that lets the desired schema
// declare LEAKPROOF functions (CREATE FUNCTION ... LEAKPROOF, ALTER FUNCTION ...
// LEAKPROOF), which only a superuser may do.
const TrustedLeakproof = "leakproof"

// TrustedStatementKinds are the statement kinds Options.TrustedStatements may name.
var TrustedStatementKinds = []string{TrustedLeakproof}

// TrustedFlag and TrustedField name the opt-in in errors: the CLI flag and the
// Database field.
const (
	TrustedFlag  = "--scratch-trusted-statements"
	TrustedField = "spec.scratchTrustedStatements"
)

// leakproofReason is why a LEAKPROOF declaration is refused without the opt-in.
var leakproofReason = "declares a LEAKPROOF function, which only a superuser may do, and the scratch role that loads Git's SQL is none; " +
	"to have the scratch server's admin mark it LEAKPROOF (ALTER FUNCTION ... LEAKPROOF, nothing else), trust the statement kind explicitly: " +
	"schemactl " + TrustedFlag + " " + TrustedLeakproof + ", or a Database's " + TrustedField + ": [" + TrustedLeakproof + "]"

// validTrusted checks the kinds of Options.TrustedStatements.
func validTrusted(kinds []string) error {
	for _, k := range kinds {
		if !slices.Contains(TrustedStatementKinds, k) {
			return fmt.Errorf("load options: unknown trusted statement kind %q (known: %s)", k, strings.Join(TrustedStatementKinds, ", "))
		}
	}
	return nil
}

// leakproofDefs returns the LEAKPROOF options (true or false) of a CREATE or
// ALTER FUNCTION (or PROCEDURE) statement.
func leakproofDefs(node *pg_query.Node) []*pg_query.DefElem {
	var opts []*pg_query.Node
	switch n := node.GetNode().(type) {
	case *pg_query.Node_CreateFunctionStmt:
		opts = n.CreateFunctionStmt.GetOptions()
	case *pg_query.Node_AlterFunctionStmt:
		opts = n.AlterFunctionStmt.GetActions()
	default:
		return nil
	}
	var out []*pg_query.DefElem
	for _, o := range opts {
		if d := o.GetDefElem(); d != nil && d.GetDefname() == "leakproof" {
			out = append(out, d)
		}
	}
	return out
}

// declaresLeakproof reports whether a statement declares a function LEAKPROOF.
func declaresLeakproof(node *pg_query.Node) bool {
	for _, d := range leakproofDefs(node) {
		if d.GetArg().GetBoolean().GetBoolval() {
			return true
		}
	}
	return false
}

// trust goes through the planned statements before anything runs. A statement
// that declares a function LEAKPROOF is refused (a *RejectError with the
// statement's file:line, naming the opt-in) unless trusted has TrustedLeakproof;
// then it runs as the scratch role with NOT LEAKPROOF, and the admin marks the
// function it created or altered LEAKPROOF afterwards (markLeakproof).
func trust(sp *safeParser, plan []planned, trusted []string) error {
	var rejected []Statement
	for i := range plan {
		p := &plan[i]
		// Cheap first: only a text that mentions the keyword is parsed again.
		if p.v.admin || !strings.Contains(strings.ToLower(p.SQL), "leakproof") {
			continue
		}
		tree, tokens, err := parseOne(sp, p.SQL)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Position(), err)
		}
		node := tree.Stmts[0].Stmt
		if !declaresLeakproof(node) {
			continue
		}
		if !slices.Contains(trusted, TrustedLeakproof) {
			r := *p.Statement
			r.Class, r.Reason = Reject, leakproofReason
			rejected = append(rejected, r)
			continue
		}
		for _, d := range leakproofDefs(node) {
			d.Arg = &pg_query.Node{Node: &pg_query.Node_Boolean{Boolean: &pg_query.Boolean{Boolval: false}}}
		}
		sql, err := deparseTree(sp, tree, tokens)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Position(), err)
		}
		back, _, err := parseOne(sp, sql)
		if err != nil {
			return fmt.Errorf("%s: deparsed statement: %w", p.Position(), err)
		}
		if b := back.Stmts[0].Stmt; classify(b).class != Execute || nodeName(b) != nodeName(node) || declaresLeakproof(b) {
			return fmt.Errorf("%s: deparsed statement changed meaning: %s", p.Position(), sql)
		}
		p.exec, p.leakproof = sql, true
	}
	if len(rejected) > 0 {
		return &RejectError{Statements: rejected}
	}
	return nil
}

// markLeakproof runs after the scratch role executed a trusted LEAKPROOF
// statement (as NOT LEAKPROOF). The function is the one whose pg_proc row that
// statement wrote last (CREATE OR REPLACE and ALTER write a new row version):
// found by the role's session, named by the admin's from the catalog, never
// from Git's text, and marked with exactly ALTER FUNCTION <identity> LEAKPROOF.
func (l *loader) markLeakproof(ctx context.Context, p *planned) error {
	var oid uint32
	if err := l.role.QueryRow(ctx, `SELECT p.oid FROM pg_catalog.pg_proc p
		WHERE p.proowner OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) pg_catalog.current_user())
		ORDER BY pg_catalog.age(p.xmin) LIMIT 1`).Scan(&oid); err != nil {
		return fmt.Errorf("%s: finding the function to mark LEAKPROOF: %w", p.Position(), err)
	}
	// An empty search_path qualifies every type of the argument list.
	if _, err := l.adminConn.Exec(ctx, "SELECT pg_catalog.set_config('search_path', '', false)"); err != nil {
		return fmt.Errorf("%s: setting search_path: %w", p.Position(), err)
	}
	var identity string
	if err := l.adminConn.QueryRow(ctx, `SELECT pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid))
		FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
		WHERE p.oid OPERATOR(pg_catalog.=) $1`, oid).Scan(&identity); err != nil {
		return fmt.Errorf("%s: naming the function to mark LEAKPROOF: %w", p.Position(), err)
	}
	stmt := "ALTER FUNCTION " + identity + " LEAKPROOF"
	if err := l.exec(ctx, l.adminConn, stmt); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			e := newExecError(p, pgErr)
			e.Message = "marking " + identity + " LEAKPROOF as the scratch server's admin: " + e.Message +
				" (LEAKPROOF needs a superuser admin on the scratch server)"
			return e
		}
		return fmt.Errorf("%s: marking %s LEAKPROOF: %w", p.Position(), identity, err)
	}
	return nil
}

// adminStatementHook, when set (tests), sees every statement the loader executes
// on the admin's session in the scratch database (exec).
var adminStatementHook func(sql string)
