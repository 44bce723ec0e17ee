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
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Statement is one top-level SQL statement of a desired-schema file.
type Statement struct {
	// File is the path of the file relative to the loaded directory, slash-separated
	// (for ParseFile: the name it was given).
	File string
	// Line and Col are the 1-based position of the statement's first token. Col
	// counts characters (Unicode code points), not bytes.
	Line, Col int
	// SQL is the exact text of the statement, from its first token to the end of
	// its last token: leading comments and the terminating semicolon are not part
	// of it.
	SQL string
	// Class says whether the statement is executed, skipped or rejected.
	Class Class
	// Reason says why a Skip or Reject statement is not executed, for example
	// "data statement (INSERT)" or "creates a role". It is empty for Execute.
	Reason string
}

// Position returns "file:line" of the statement.
func (s Statement) Position() string { return fmt.Sprintf("%s:%d", s.File, s.Line) }

// Class is how the loader treats a statement. The zero Class is none of the
// three; LoadStatements classifies such statements itself.
type Class int

const (
	// Execute statements describe schema and are executed in the scratch database.
	Execute Class = iota + 1
	// Skip statements describe data, ownership, transaction control or session
	// state; they are not executed and each produces a Warning.
	Skip
	// Reject statements reach beyond one database (roles, databases, tablespaces,
	// server files...). A single one fails the whole load before anything is
	// executed.
	Reject
)

// String returns the lowercase name of the class.
func (c Class) String() string {
	switch c {
	case Execute:
		return "execute"
	case Skip:
		return "skip"
	case Reject:
		return "reject"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// Warning is a statement or line of the desired schema that was not loaded (or
// not entirely), with its position.
type Warning struct {
	File    string
	Line    int
	Message string
}

// String returns "file:line: message".
func (w Warning) String() string { return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message) }

// SyntaxError is a desired-schema file that the PostgreSQL parser does not
// accept (or that is not valid UTF-8 text).
type SyntaxError struct {
	File      string
	Line, Col int
	Message   string
}

// Error returns "file:line:col: message", for example
// `schema.sql:3:8: syntax error at or near "TABL"`.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Message)
}

// RejectError lists every rejected statement of a load. When it is returned
// nothing has been executed.
type RejectError struct {
	Statements []Statement
	// NotAllowed are the extensions some of the statements would install that
	// are refused as not trusted and not allowed (Unwrap gives them).
	NotAllowed []*ExtensionNotAllowedError
}

// Unwrap returns the extensions that are not allowed.
func (e *RejectError) Unwrap() []error {
	out := make([]error, len(e.NotAllowed))
	for i, x := range e.NotAllowed {
		out[i] = x
	}
	return out
}

// Error returns one "file:line: reason" line per rejected statement.
func (e *RejectError) Error() string {
	lines := make([]string, len(e.Statements))
	for i, s := range e.Statements {
		lines[i] = s.Position() + ": " + s.Reason
	}
	return strings.Join(lines, "\n")
}

// ExecError is a desired-schema statement that PostgreSQL refused while loading
// it into the scratch database.
type ExecError struct {
	File      string
	Line, Col int
	// Message and Code are PostgreSQL's error message and SQLSTATE.
	Message, Code string
	// Detail and Hint are PostgreSQL's optional detail and hint.
	Detail, Hint string

	err *pgconn.PgError
}

// Error returns "file:line:col: message (SQLSTATE code)". Line and Col point at
// the position PostgreSQL reported inside the statement, or at the statement's
// first token when it reported none.
func (e *ExecError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s (SQLSTATE %s)", e.File, e.Line, e.Col, e.Message, e.Code)
}

// Unwrap returns the underlying *pgconn.PgError.
func (e *ExecError) Unwrap() error {
	if e.err == nil {
		return nil
	}
	return e.err
}
