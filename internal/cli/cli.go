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

// Package cli holds what the schemactl commands share: errors that carry a
// process exit code.
package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schema-controller/drift"
)

// Exit codes of schemactl. Commands return errors; main turns them into one of
// these with ExitCode.
const (
	// ExitOK means success.
	ExitOK = 0

	// ExitFailure means the command failed.
	ExitFailure = 1

	// ExitChanges means the command succeeded and found something to do,
	// e.g. `schemactl diff` or `schemactl plan` with a pending plan, so that
	// CI can tell "in sync" from "changes pending" without parsing output.
	ExitChanges = 2
)

// ExitCodesHelp documents the exit codes of schemactl, for --help and
// docs/cli.md.
const ExitCodesHelp = `Exit codes:
  0  success; diff, drift and plan: in sync
  1  failure: an error, an object that does not exist, a timeout; also a
     crash of schemactl itself, which never exits with 0, 2 or 3 (killed by
     a signal: 128 + the signal's number)
  2  changes pending: diff and plan found a plan to apply, drift found drift
  3  blocked: the plan has destructive statements that are neither allowed
     nor approved (apply; resume, reconcile and approve --wait when they end
     on a blocked Database)
  4  partially applied (apply): an online step failed after earlier
     statements were committed; the failed step was cleaned up, the database
     is consistent, and running apply again finishes the plan`

// FluxExitCodesHelp says how the exit codes compare with the flux CLI's,
// for CI scripts written for both.
const FluxExitCodesHelp = `Exit codes and the flux CLI, for CI scripts: flux exits 0 on success and 1 on
any error; schemactl does the same for every cluster command (get, create,
export, delete, suspend, resume, reconcile, tree, stats, logs, check,
install), so "flux ... || exit 1" and "set -e" work the same with schemactl.
The codes 2, 3 and 4 are schemactl's own: 2 is not a failure, 3 (blocked)
and 4 (partially applied) are failures that say what to do next. The diff
commands differ: flux diff kustomization exits 1 when it finds
differences and >1 on an error, schemactl diff, drift and plan exit 2 when
there is something to apply and 1 on an error. Under "set -e" test for 2
explicitly:

  schemactl diff database orders -n shop || [ $? -eq 2 ]   # pending is fine
  schemactl drift database orders -n shop || [ $? -ne 1 ]  # fail on errors only

resume, reconcile and approve --wait exit 3 where flux would exit 1 with a
not-ready message: the Database waits for an approval of its destructive
plan.`

// ExitError is an error that tells main which exit code to use.
type ExitError struct {
	// Code is the process exit code.
	Code int

	// Err is the underlying error; nil for an exit code without a message.
	Err error
}

// Error returns the message of the underlying error.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit code %d", e.Code)
	}
	return e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *ExitError) Unwrap() error {
	return e.Err
}

// WithExitCode wraps err so that main exits with code. err may be nil when
// the code alone says it all (ExitChanges); main then prints nothing.
func WithExitCode(code int, err error) error {
	return &ExitError{Code: code, Err: err}
}

// ExitCode returns the exit code for err: ExitOK for nil, the code of the
// first ExitError in its chain, or else ExitFailure.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	if e, ok := errors.AsType[*ExitError](err); ok {
		return e.Code
	}
	return ExitFailure
}

// Message returns what main prints for err, or "" when there is nothing to
// print (nil, or an ExitError without an underlying error).
func Message(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*ExitError](err); ok && e.Err == nil {
		return ""
	}
	msg := err.Error()
	if hint := extensionHint(err); hint != "" {
		msg += "\n" + hint
	}
	return msg
}

// extensionHint tells how to allow the extensions err refuses as not trusted
// (drift.ExtensionNotAllowedError), or returns "".
func extensionHint(err error) string {
	exts := drift.ExtensionsNotAllowed(err)
	if len(exts) == 0 {
		return ""
	}
	flags := make([]string, len(exts))
	for i, e := range exts {
		flags[i] = "--allow-extension " + e.Name
	}
	it := "it"
	if len(exts) > 1 {
		it = "them"
	}
	return "hint: allow " + it + " with " + strings.Join(flags, " ") + ", or install " + it + " in the target database first"
}
