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

package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schemactl/schema-controller/drift"
)

// ExitBlocked is the exit code of `schemactl apply` when the plan has destructive
// statements that are not allowed; nothing was applied.
const ExitBlocked = 3

// ExitPartial is the exit code of `schemactl apply` when an online step failed after
// earlier statements were committed: the failed step was cleaned up, the database is
// consistent, and running apply again finishes the plan.
const ExitPartial = 4

// LocalOptions are the flags of the local `plan` and `apply` commands.
type LocalOptions struct {
	drift.Options
	// Output is "sql" or "json".
	Output string
	// Timeout bounds the whole command.
	Timeout time.Duration
	// Preflight is --preflight-timeout: the time budget of the pre-flight checks of
	// the existing data; 0 turns them off.
	Preflight time.Duration
	// MigrationFlags are --format migrations and its flags.
	MigrationFlags
}

// engine returns the drift options with the pre-flight budget of the flag.
func (o *LocalOptions) engine() drift.Options {
	d := o.Options
	d.PreflightTimeout = o.Preflight
	if o.Preflight <= 0 {
		d.PreflightTimeout = -1
	}
	return d
}

// Validate checks the options before anything connects.
func (o *LocalOptions) Validate() error {
	if o.URL == "" {
		return errors.New("no database URL: pass --url or set SCHEMACTL_URL")
	}
	if o.Dir == "" {
		return errors.New("no schema folder: pass --dir")
	}
	if o.Output != "sql" && o.Output != "json" {
		return fmt.Errorf("unknown output format %q: use sql or json", o.Output)
	}
	if o.Format != "" && o.Format != FormatDeclarative && o.Format != FormatMigrations {
		return fmt.Errorf("unknown --format %q: use declarative or migrations", o.Format)
	}
	return nil
}

// jsonPlan is the JSON shape of `schemactl plan -o json`; documented in docs/cli.md.
type jsonPlan struct {
	ID          string             `json:"id"`
	InSync      bool               `json:"inSync"`
	Destructive bool               `json:"destructive"`
	Hazards     []drift.Hazard     `json:"hazards"`
	Statements  []drift.Statement  `json:"statements"`
	Changes     []jsonChange       `json:"changes"`
	Blocked     []drift.Difference `json:"blocked"`
	Unsupported []string           `json:"unsupported"`
	// Notes are differences the plan keeps on purpose (a constraint validated in
	// the database that Git declares NOT VALID), also when it is in sync.
	Notes    []drift.Difference `json:"notes"`
	Warnings []string           `json:"warnings"`
	// Preflight are the outcomes of the pre-flight checks (passed, refused, not
	// checked).
	Preflight []drift.PreflightResult `json:"preflight"`
	Applied   *bool                   `json:"applied,omitempty"`
	// TargetRole is the role the plan is applied as; DangerousPrivileges is what
	// it may do beyond owning its schemas (empty for a least-privileged role).
	TargetRole          string                     `json:"targetRole"`
	DangerousPrivileges []drift.DangerousPrivilege `json:"dangerousPrivileges"`
	// Result is the outcome of a failed apply, statement by statement.
	Result *jsonResult `json:"result,omitempty"`
}

// jsonChange is a drifted object, with who changed it when the DDL audit
// recorded it (schemactl audit install).
type jsonChange struct {
	drift.Difference
	Attribution *drift.Attribution `json:"attribution,omitempty"`
}

func toChanges(res *drift.Result) []jsonChange {
	out := make([]jsonChange, 0, len(res.Plan.Changes))
	for _, d := range res.Plan.Changes {
		c := jsonChange{Difference: d}
		if a, ok := res.Attribution[d.Object]; ok {
			c.Attribution = &a
		}
		out = append(out, c)
	}
	return out
}

// writeAttribution prints, under the plan, who changed each drifted object the
// DDL audit recorded, one "-- changed: " line each.
func writeAttribution(w io.Writer, res *drift.Result) {
	for _, d := range res.Plan.Changes {
		if a, ok := res.Attribution[d.Object]; ok {
			_, _ = fmt.Fprintf(w, "-- changed: %s: %s\n", d.Object, a.String())
		}
	}
}

// jsonResult is what became of each statement of a failed apply.
type jsonResult struct {
	// Outcome is "partial" (something was committed), "failed" (nothing is left
	// applied) or "unknown" (the connection was lost while a statement or the
	// COMMIT was in flight: see unknown).
	Outcome string `json:"outcome"`
	// Consistent is false when a cleanup statement failed (see cleanup).
	Consistent bool                     `json:"consistent"`
	Error      string                   `json:"error"`
	Failed     []drift.StatementOutcome `json:"failed"`
	Committed  []drift.StatementOutcome `json:"committed"`
	Reverted   []drift.StatementOutcome `json:"reverted"`
	RolledBack []drift.StatementOutcome `json:"rolledBack"`
	// Unknown are the statements in flight when the connection was lost.
	Unknown []drift.StatementOutcome `json:"unknown"`
	NotRun  []drift.StatementOutcome `json:"notRun"`
	Cleanup []drift.CleanupOutcome   `json:"cleanup"`
}

func toResult(e *drift.ApplyError) *jsonResult {
	r := &jsonResult{Outcome: "failed", Consistent: e.Consistent(), Error: e.Error(),
		Failed: e.With(drift.Failed), Committed: e.With(drift.Committed), Reverted: e.With(drift.Reverted),
		RolledBack: e.With(drift.RolledBack), Unknown: e.With(drift.Unknown), NotRun: e.With(drift.NotRun), Cleanup: e.Cleanup}
	switch {
	case len(r.Unknown) > 0:
		r.Outcome = "unknown"
	case e.Partial():
		r.Outcome = "partial"
	}
	for _, l := range []*[]drift.StatementOutcome{&r.Failed, &r.Committed, &r.Reverted, &r.RolledBack, &r.Unknown, &r.NotRun} {
		if *l == nil {
			*l = []drift.StatementOutcome{}
		}
	}
	if r.Cleanup == nil {
		r.Cleanup = []drift.CleanupOutcome{}
	}
	return r
}

func toJSON(res *drift.Result, applied *bool) jsonPlan {
	p := res.Plan
	j := jsonPlan{ID: p.ID, InSync: p.Empty(), Destructive: p.Destructive(), Hazards: p.Hazards(),
		Statements: p.Statements, Changes: toChanges(res), Blocked: p.Blocked, Unsupported: p.Unsupported, Applied: applied,
		Preflight: p.Preflight, Notes: p.Notes}
	if j.Notes == nil {
		j.Notes = []drift.Difference{}
	}
	if j.Preflight == nil {
		j.Preflight = []drift.PreflightResult{}
	}
	for _, w := range res.Warnings {
		j.Warnings = append(j.Warnings, w.String())
	}
	for _, s := range []*[]string{&j.Unsupported, &j.Warnings} {
		if *s == nil {
			*s = []string{}
		}
	}
	if j.Hazards == nil {
		j.Hazards = []drift.Hazard{}
	}
	if j.Blocked == nil {
		j.Blocked = []drift.Difference{}
	}
	j.DangerousPrivileges = []drift.DangerousPrivilege{}
	if res.Target != nil {
		j.TargetRole = res.Target.Role
		j.DangerousPrivileges = append(j.DangerousPrivileges, res.Target.Dangerous...)
	}
	return j
}

// writeWarnings prints the skipped statements of the desired SQL and the warning
// about a dangerously privileged target role, one "warning: " line each.
func writeWarnings(w io.Writer, res *drift.Result) {
	for _, x := range res.Warnings {
		_, _ = fmt.Fprintln(w, "warning: "+x.String())
	}
	if msg := res.Target.Warning(); msg != "" {
		_, _ = fmt.Fprintln(w, "warning: "+msg)
	}
	if res.AuditError != "" {
		_, _ = fmt.Fprintln(w, "warning: no attribution: "+res.AuditError)
	}
}

func writeSQL(w io.Writer, p *drift.ChangePlan) {
	if p.Empty() {
		_, _ = fmt.Fprintln(w, "-- in sync: the database matches the desired schema")
		_, _ = fmt.Fprint(w, p.NotesSQL())
	} else {
		_, _ = fmt.Fprintf(w, "-- plan %s: %d statement(s)", p.ID, len(p.Statements))
		if hs := p.Hazards(); len(hs) > 0 {
			s := make([]string, len(hs))
			for i, h := range hs {
				s[i] = string(h)
			}
			_, _ = fmt.Fprintf(w, ", hazards: %s", strings.Join(s, ", "))
		}
		_, _ = fmt.Fprintln(w)
		_, _ = fmt.Fprint(w, p.SQL())
	}
	blocked := map[string]bool{}
	for _, d := range p.Blocked {
		blocked[d.Object] = true
	}
	for _, u := range p.Unsupported {
		state := "in sync"
		if blocked["unsupported "+u] {
			state = "differs"
		}
		_, _ = fmt.Fprintf(w, "-- unsupported (not managed yet, %s): %s\n", state, u)
	}
}

// RunPlan runs `schemactl plan`: it prints the plan and returns an error with
// ExitChanges when changes are pending.
func RunPlan(ctx context.Context, o LocalOptions, stdout, stderr io.Writer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Format == FormatMigrations {
		return RunPlanMigrations(ctx, o, stdout, stderr)
	}
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	res, err := drift.Plan(ctx, o.engine())
	if res != nil {
		writeWarnings(stderr, res)
	}
	var refused *drift.RefusedError
	if err != nil && !errors.As(err, &refused) {
		return err
	}
	// A plan the pre-flight checks refuse is shown with the reasons, then fails.
	if o.Output == "json" {
		if werr := writeJSON(stdout, toJSON(res, nil)); werr != nil {
			return werr
		}
	} else {
		writeSQL(stdout, res.Plan)
		writeAttribution(stdout, res)
	}
	if err != nil {
		return err
	}
	if !res.Plan.Empty() {
		return WithExitCode(ExitChanges, nil)
	}
	return nil
}

// RunApply runs `schemactl apply`: exit 0 when converged, ExitBlocked when
// destructive statements are not allowed, ExitPartial when an online step failed
// after earlier statements were committed and the database is consistent (re-run to
// finish), ExitFailure otherwise (an error, a refused plan, nothing left applied or a
// cleanup that failed).
func RunApply(ctx context.Context, o LocalOptions, stdout, stderr io.Writer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Format == FormatMigrations {
		return RunApplyMigrations(ctx, o, stdout, stderr)
	}
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	res, err := drift.Apply(ctx, o.engine())
	if res != nil {
		writeWarnings(stderr, res)
	}
	failed := drift.AsApplyError(err)
	if res != nil && res.Plan != nil {
		applied := res.Applied
		if o.Output == "json" {
			j := toJSON(res, &applied)
			if failed != nil {
				j.Result = toResult(failed)
			}
			if werr := writeJSON(stdout, j); werr != nil && err == nil {
				err = werr
			}
		} else {
			writeSQL(stdout, res.Plan)
			if res.Applied {
				_, _ = fmt.Fprintf(stdout, "-- applied plan %s: %d statement(s) in %s\n", res.Plan.ID, len(res.Plan.Statements), res.Duration.Round(time.Millisecond))
			}
		}
	}
	if drift.IsBlocked(err) {
		// The engine's message names no flag: the way out is the CLI's to say.
		return WithExitCode(ExitBlocked, fmt.Errorf("%w\nuse --allow-destructive to apply it", err))
	}
	if failed != nil && failed.Partial() && failed.Consistent() {
		return WithExitCode(ExitPartial, err)
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
