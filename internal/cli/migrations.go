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
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schemactl/schema-controller/drift"
)

// The values of --format of the local plan and apply commands.
const (
	FormatDeclarative = "declarative"
	FormatMigrations  = "migrations"
)

// MigrationFlags are the flags of the local commands for a migration folder.
type MigrationFlags struct {
	// Format is --format: declarative (a desired schema) or migrations.
	Format string
	// Layout is --layout: auto, golang-migrate, flyway, dbmate or atlas.
	Layout string
	// AllowOutOfOrder is --allow-out-of-order.
	AllowOutOfOrder bool
	// Approve is --approve: the id of the pending set whose destructive
	// statements are approved.
	Approve string
}

func (o *LocalOptions) migrationOptions() (drift.MigrationOptions, error) {
	l, err := drift.ParseMigrationLayout(o.Layout)
	if err != nil {
		return drift.MigrationOptions{}, err
	}
	return drift.MigrationOptions{Options: o.engine(), Layout: l, AllowOutOfOrder: o.AllowOutOfOrder, ApprovedID: o.Approve}, nil
}

// jsonMigrations is the JSON shape of `schemactl plan|apply --format migrations -o
// json`; documented in docs/migrations.md.
type jsonMigrations struct {
	Layout string `json:"layout"`
	// Migrations are every migration of the folder and of the history, with its
	// state (applied, pending, out-of-order, changed, dirty, missing).
	Migrations []jsonMigration `json:"migrations"`
	// PlanID approves the destructive statements of the pending set (--approve).
	PlanID      string                   `json:"planId"`
	Destructive []drift.MigrationFinding `json:"destructive"`
	// Drift are the differences of the live database from its applied
	// migrations, each with the migration that last touched the object.
	Drift []drift.DriftSource `json:"drift"`
	// Correction are the statements that would remove the drift (never run by
	// a migrations apply).
	Correction []drift.Statement `json:"correction"`
	// Ran are the migrations the apply ran.
	Ran      []jsonRan `json:"ran,omitempty"`
	Warnings []string  `json:"warnings"`
	Error    string    `json:"error,omitempty"`
}

type jsonMigration struct {
	Version   string     `json:"version,omitempty"`
	Name      string     `json:"name,omitempty"`
	File      string     `json:"file,omitempty"`
	State     string     `json:"state"`
	AppliedAt *time.Time `json:"appliedAt,omitempty"`
	AppliedBy string     `json:"appliedBy,omitempty"`
	Tool      string     `json:"tool,omitempty"`
}

type jsonRan struct {
	Version       string `json:"version,omitempty"`
	File          string `json:"file"`
	Transactional bool   `json:"transactional"`
	Duration      string `json:"duration"`
}

func migrationsJSON(res *drift.MigrationResult, err error) jsonMigrations {
	j := jsonMigrations{Migrations: []jsonMigration{}, Destructive: []drift.MigrationFinding{}, Drift: []drift.DriftSource{},
		Correction: []drift.Statement{}, Warnings: []string{}}
	if res == nil {
		return j
	}
	if res.Dir != nil {
		j.Layout = string(res.Dir.Layout)
	}
	if res.Status != nil {
		for _, e := range res.Status.Entries {
			jm := jsonMigration{Version: e.Version, Name: e.Name, File: e.File, State: string(e.State)}
			if e.Applied != nil {
				jm.Tool, jm.AppliedBy = e.Applied.Tool, e.Applied.AppliedBy
				if !e.Applied.AppliedAt.IsZero() {
					at := e.Applied.AppliedAt
					jm.AppliedAt = &at
				}
			}
			j.Migrations = append(j.Migrations, jm)
		}
	}
	j.PlanID = res.PlanID
	j.Destructive = append(j.Destructive, res.Destructive...)
	j.Drift = append(j.Drift, res.DriftSources...)
	if res.Drift != nil {
		j.Correction = append(j.Correction, res.Drift.Statements...)
	}
	for _, r := range res.Ran {
		j.Ran = append(j.Ran, jsonRan{Version: r.Migration.Version, File: r.Migration.File, Transactional: r.Transactional, Duration: r.Duration.Round(time.Millisecond).String()})
	}
	for _, w := range res.Warnings {
		j.Warnings = append(j.Warnings, w.String())
	}
	if err != nil {
		j.Error = err.Error()
	}
	return j
}

// writeMigrationsSQL prints the pending migrations and the drift as SQL comments,
// then the statements that would correct the drift.
func writeMigrationsSQL(w io.Writer, res *drift.MigrationResult) {
	if res == nil || res.Status == nil {
		return
	}
	st := res.Status
	_, _ = fmt.Fprintf(w, "-- migrations (%s): %d applied, %d pending\n", res.Dir.Layout, len(st.Applied), len(st.Pending))
	if len(st.Adopt) > 0 {
		_, _ = fmt.Fprintf(w, "-- %d applied by another tool, recorded in schemactl.migrations at the next apply\n", len(st.Adopt))
	}
	for _, e := range st.Missing {
		_, _ = fmt.Fprintf(w, "-- missing: version %s was applied (%s) and has no file\n", e.Version, e.Applied.Tool)
	}
	if len(res.Ran) == 0 {
		_, _ = fmt.Fprint(w, drift.MigrationSummary(st.Pending, res.ServerVersionNum))
	}
	if len(res.Destructive) > 0 && res.PlanID != "" {
		_, _ = fmt.Fprintf(w, "-- pending set %s has destructive statements: approve exactly this set with --approve %s\n", res.PlanID, res.PlanID)
	}
	for _, r := range res.Ran {
		how := "in a transaction"
		if !r.Transactional {
			how = "without a transaction"
		}
		_, _ = fmt.Fprintf(w, "-- applied %s %s in %s\n", r.Migration.Label(), how, r.Duration.Round(time.Millisecond))
	}
	if res.Drift == nil {
		return
	}
	if res.Drift.Empty() {
		_, _ = fmt.Fprintln(w, "-- no drift: the database matches its applied migrations")
		return
	}
	_, _ = fmt.Fprintf(w, "-- drift: %d difference(s) from the applied migrations\n", len(res.DriftSources))
	for _, s := range res.DriftSources {
		by := ""
		if s.Migration != "" {
			by = " (last touched by " + s.Migration + ")"
		}
		_, _ = fmt.Fprintf(w, "--   %s: %s%s\n", s.Object, s.Change, by)
	}
	if len(res.Drift.Statements) > 0 {
		_, _ = fmt.Fprintln(w, "-- statements that would remove the drift (not run: write a migration, or restore the database):")
		_, _ = fmt.Fprint(w, res.Drift.SQL())
	}
}

// RunPlanMigrations runs `schemactl plan --format migrations`: it prints the
// pending migrations and the drift, and returns ExitChanges when a migration is
// pending or the database drifted.
func RunPlanMigrations(ctx context.Context, o LocalOptions, stdout, stderr io.Writer) error {
	mo, err := o.migrationOptions()
	if err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	res, err := drift.PlanMigrations(ctx, mo)
	writeMigrationWarnings(stderr, res)
	if o.Output == "json" {
		if werr := writeJSON(stdout, migrationsJSON(res, err)); werr != nil && err == nil {
			err = werr
		}
	} else {
		writeMigrationsSQL(stdout, res)
	}
	if err != nil {
		return err
	}
	if len(res.Status.Pending) > 0 || len(res.Status.Adopt) > 0 || (res.Drift != nil && !res.Drift.Empty()) {
		return WithExitCode(ExitChanges, nil)
	}
	return nil
}

// RunApplyMigrations runs `schemactl apply --format migrations`: exit 0 when every
// pending migration ran (drift is reported, never corrected), ExitBlocked when
// the pending set has destructive statements that are neither allowed nor
// approved, ExitFailure otherwise.
func RunApplyMigrations(ctx context.Context, o LocalOptions, stdout, stderr io.Writer) error {
	mo, err := o.migrationOptions()
	if err != nil {
		return err
	}
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	res, err := drift.ApplyMigrations(ctx, mo)
	if err == nil {
		// The drift check after the apply: the database against every applied
		// migration, this apply's included.
		mo.ApprovedID = ""
		after, derr := drift.PlanMigrations(ctx, mo)
		if derr != nil {
			err = fmt.Errorf("checking drift after the apply: %w", derr)
		} else {
			res.Drift, res.DriftSources, res.Warnings = after.Drift, after.DriftSources, after.Warnings
		}
	}
	writeMigrationWarnings(stderr, res)
	if o.Output == "json" {
		if werr := writeJSON(stdout, migrationsJSON(res, err)); werr != nil && err == nil {
			err = werr
		}
	} else {
		writeMigrationsSQL(stdout, res)
	}
	if drift.IsBlocked(err) {
		return WithExitCode(ExitBlocked, fmt.Errorf("%w\nuse --allow-destructive, or --approve %s to apply exactly this pending set", err, res.PlanID))
	}
	return err
}

func writeMigrationWarnings(w io.Writer, res *drift.MigrationResult) {
	if res == nil {
		return
	}
	for _, x := range res.Warnings {
		_, _ = fmt.Fprintln(w, "warning: replay: "+x.String())
	}
	if msg := res.Target.Warning(); msg != "" {
		_, _ = fmt.Fprintln(w, "warning: "+msg)
	}
}

// MigrationStatusOptions are the flags of `schemactl migrations status`.
type MigrationStatusOptions struct {
	URL    string
	Dir    string
	Layout string
	Output string
}

// RunMigrationStatus runs `schemactl migrations status`: every migration of the
// folder and of the database's history with its state. It never writes.
func RunMigrationStatus(ctx context.Context, o MigrationStatusOptions, stdout io.Writer) error {
	if o.URL == "" {
		return fmt.Errorf("no database URL: pass --url or set SCHEMACTL_URL")
	}
	if o.Dir == "" {
		return fmt.Errorf("no migration folder: pass --dir")
	}
	if o.Output != "table" && o.Output != "json" {
		return fmt.Errorf("unknown output format %q: use table or json", o.Output)
	}
	l, err := drift.ParseMigrationLayout(o.Layout)
	if err != nil {
		return err
	}
	d, err := drift.ReadMigrations(o.Dir, l)
	if err != nil {
		return err
	}
	conn, err := drift.Connect(ctx, o.URL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	st, err := drift.MigrationStatusOf(ctx, conn, d)
	if err != nil {
		return err
	}
	res := &drift.MigrationResult{Dir: d, Status: st}
	if o.Output == "json" {
		return writeJSON(stdout, migrationsJSON(res, nil).Migrations)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "VERSION\tFILE\tSTATE\tAPPLIED AT\tAPPLIED BY")
	for _, m := range migrationsJSON(res, nil).Migrations {
		at := ""
		if m.AppliedAt != nil {
			at = m.AppliedAt.UTC().Format(time.RFC3339)
		}
		by := m.AppliedBy
		if m.Tool != "" && m.Tool != "schemactl" {
			by = strings.TrimSpace(by + " (" + m.Tool + ")")
		}
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", dash(m.Version), dash(m.File), m.State, dash(at), dash(by))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
