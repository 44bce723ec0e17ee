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

package reconcile

import (
	"errors"
	"fmt"
	"strings"

	"github.com/schemactl/schema-controller/drift"
)

// maxSQLInMessage bounds each statement quoted in a condition or event message.
const maxSQLInMessage = 120

// applyFailure is the condition and event message of a failed apply: whether
// something is left applied, the failed statement with PostgreSQL's message, the
// cleanup, and the committed and not-run statements by number (with their SQL,
// shortened), so that the Database says exactly what the database holds.
func applyFailure(revision string, e *drift.ApplyError) string {
	var b strings.Builder
	switch {
	case len(e.With(drift.Unknown)) > 0:
		fmt.Fprintf(&b, "applying revision %s was interrupted: the connection to the database was lost, so what the unknown statements did is not known; the next apply plans only what is missing", revision)
	case !e.Partial():
		fmt.Fprintf(&b, "applying revision %s failed; nothing was applied", revision)
	case e.Consistent():
		fmt.Fprintf(&b, "revision %s partially applied; the database is consistent and the rest is retried", revision)
	default:
		fmt.Fprintf(&b, "revision %s partially applied and a cleanup failed; the next apply removes what is left", revision)
	}
	for _, f := range e.With(drift.Failed) {
		cause := e.Err.Error()
		var se *drift.StatementError
		if errors.As(e.Err, &se) {
			cause = firstLine(se.Error())
		}
		fmt.Fprintf(&b, ". failed: statement %d [%s]: %s", f.Number, short(f.SQL), cause)
	}
	if len(e.With(drift.Failed)) == 0 {
		fmt.Fprintf(&b, ". error: %s", firstLine(e.Err.Error()))
	}
	for _, c := range e.Cleanup {
		if c.Error == "" {
			fmt.Fprintf(&b, ". cleaned up: %s", short(c.SQL))
		} else {
			fmt.Fprintf(&b, ". cleanup failed (%s): %s", c.Error, short(c.SQL))
		}
	}
	for _, l := range []struct {
		title string
		o     drift.Outcome
	}{{"committed", drift.Committed}, {"unknown", drift.Unknown}, {"reverted", drift.Reverted}, {"rolled back", drift.RolledBack}, {"not run", drift.NotRun}} {
		ss := e.With(l.o)
		if len(ss) == 0 {
			continue
		}
		parts := make([]string, len(ss))
		for i, s := range ss {
			parts[i] = fmt.Sprintf("%d [%s]", s.Number, short(s.SQL))
		}
		fmt.Fprintf(&b, ". %s: %s", l.title, strings.Join(parts, ", "))
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func short(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if r := []rune(sql); len(r) > maxSQLInMessage {
		return string(r[:maxSQLInMessage-1]) + "…"
	}
	return sql
}
