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

package drift

import (
	"context"
	"errors"
	"fmt"

	"github.com/schemactl/schema-controller/drift/apply"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/drift/plan"
)

// This file is the door of the engine for its callers (the controller and the CLI):
// they import this package alone, never a sub-package. The types below are the
// sub-packages' own, under the names a caller uses.

// Scope is what of a database is managed: the schemas (empty means every
// non-system schema), the objects left alone, and whether privileges and
// ownership are compared.
type Scope struct {
	// Schemas are the managed schemas; empty means all non-system schemas.
	Schemas []string
	// Exclude are "schema.name" glob patterns of objects to leave alone.
	Exclude []string
	// ManagePrivileges compares GRANTs and ownership (see Options.ManagePrivileges).
	ManagePrivileges bool
}

func (s Scope) inspectOptions() inspect.Options {
	return inspect.Options{Schemas: s.Schemas, Exclude: s.Exclude, ManagePrivileges: s.ManagePrivileges}
}

// key renders the scope for a CacheKey.
func (s Scope) key() string { return ScopeKey(s.inspectOptions()) }

// Scope returns the managed scope of the options.
func (o *Options) Scope() Scope {
	return Scope{Schemas: o.Schemas, Exclude: o.Exclude, ManagePrivileges: o.ManagePrivileges}
}

// Model is a schema as the engine sees it: the desired schema loaded from SQL, or
// a live database inspected.
type Model = model.Schema

// Warning is a statement of the desired SQL that the load skipped, with its
// file:line.
type Warning = load.Warning

// ChangePlan is an ordered plan of statements from a live schema to the desired
// one, with its differences and hazards.
type ChangePlan = plan.Plan

// Difference is one difference between the live and the desired schema.
type Difference = plan.Difference

// Statement is one statement of a plan.
type Statement = plan.Statement

// Hazard names a risk of a statement (data loss, a table rewrite, a long lock…).
type Hazard = plan.Hazard

// PreflightResult is the outcome of one pre-flight check of the existing data.
type PreflightResult = plan.PreflightResult

// Outcome is what became of one statement of a failed apply.
type Outcome = apply.Outcome

// The outcomes of the statements of an apply (see ApplyError).
const (
	Committed  = apply.Committed
	Failed     = apply.Failed
	RolledBack = apply.RolledBack
	Reverted   = apply.Reverted
	NotRun     = apply.NotRun
	Unknown    = apply.Unknown
)

// StatementOutcome is a statement of a failed apply and its outcome.
type StatementOutcome = apply.StatementOutcome

// CleanupOutcome is a cleanup statement run after a failed online step.
type CleanupOutcome = apply.CleanupOutcome

// StatementError is the failure of one statement; Unwrap gives PostgreSQL's error.
type StatementError = apply.StatementError

// LockKey is the advisory lock key every apply takes on its database.
const LockKey = apply.LockKey

// DefaultLockTimeout is the lock_timeout every statement carries unless
// Options.LockTimeout says otherwise.
const DefaultLockTimeout = plan.DefaultLockTimeout

// PlanChangedError is returned by ApplyModel when the plan made under the lock is
// not the plan the caller expected (the database or the desired schema moved since
// the caller planned). Nothing was applied; plan again.
type PlanChangedError struct {
	// Expected is the approval id the caller planned; Actual the one made under the
	// lock.
	Expected, Actual string
}

func (e *PlanChangedError) Error() string {
	return fmt.Sprintf("the plan changed while taking the lock (%s, now %s); nothing was applied", e.Expected, e.Actual)
}

// IsInvalidSQL tells a problem of the desired SQL (its author must fix it: a syntax
// error, a refused or failing statement, no .sql files) from a failure of the
// scratch server, worth a retry.
func IsInvalidSQL(err error) bool {
	var (
		syn *load.SyntaxError
		rej *load.RejectError
		ex  *load.ExecError
	)
	return errors.As(err, &syn) || errors.As(err, &rej) || errors.As(err, &ex) || errors.Is(err, load.ErrNoFiles)
}

// IsExtensionRefused tells whether err is a plan refused for extensions the target
// does not trust and that are not allowed (*ExtensionError).
func IsExtensionRefused(err error) bool {
	var e *ExtensionError
	return errors.As(err, &e)
}

// IsBlocked tells whether err is a destructive plan (*BlockedError) or a pending
// set of destructive migrations (*MigrationsBlockedError) that was neither allowed
// nor approved.
func IsBlocked(err error) bool {
	var (
		e *BlockedError
		m *MigrationsBlockedError
	)
	return errors.As(err, &e) || errors.As(err, &m)
}

// IsPlanChanged tells whether err is a plan that changed under the lock
// (*PlanChangedError).
func IsPlanChanged(err error) bool {
	var e *PlanChangedError
	return errors.As(err, &e)
}

// AsApplyError returns the failed apply in err, or nil.
func AsApplyError(err error) *ApplyError {
	var e *ApplyError
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// CleanupLeftovers drops the scratch databases and roles that loads on the server
// of adminURL left behind (a process killed mid-load) and that no session holds;
// it returns their names.
func CleanupLeftovers(ctx context.Context, adminURL string) ([]string, error) {
	return load.CleanupLeftovers(ctx, adminURL, "")
}

// DefaultPreflightTimeout is the time budget of the pre-flight checks when
// Options.PreflightTimeout is 0.
const DefaultPreflightTimeout = apply.DefaultPreflightTimeout
