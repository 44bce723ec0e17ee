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
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
)

// AdoptOptions are the flags of the local `schemactl adopt`.
type AdoptOptions struct {
	LocalOptions
	// Out is the file the adopt SQL is written to (--out); empty means stdout.
	// With PerObject it is a folder.
	Out string
	// PerObject writes the drifted objects' own definitions, one file per object
	// kind, instead of the reverse plan (--per-object).
	PerObject bool
}

// RunAdopt runs `schemactl adopt --url URL --dir DIR`: it writes the SQL that,
// added to DIR as its last file, makes the desired schema equal to the database
// (or, with --per-object, the drifted objects' definitions by kind). Exit 0 with
// nothing to adopt, ExitChanges when something was written, 1 on error.
func RunAdopt(ctx context.Context, o AdoptOptions, stdout, stderr io.Writer) error {
	o.Output = "sql"
	if err := o.Validate(); err != nil {
		return err
	}
	if o.PerObject && o.Out == "" {
		return errors.New("--per-object writes one file per object kind: pass --out DIR")
	}
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	opts := o.engine()
	if o.PerObject {
		files, err := drift.AdoptPerObject(ctx, opts)
		if err != nil {
			return err
		}
		return writePerObject(o.Out, files, stdout)
	}
	a, err := drift.Adopt(ctx, opts)
	if a != nil {
		for _, w := range a.Warnings {
			_, _ = fmt.Fprintln(stderr, "warning: "+w.String())
		}
	}
	if err != nil {
		return err
	}
	if len(a.Blocked) > 0 {
		_, _ = fmt.Fprintf(stderr, "warning: %d difference(s) cannot be adopted as SQL (listed in the file's header); edit Git by hand\n", len(a.Blocked))
	}
	if o.Out == "" {
		_, _ = fmt.Fprint(stdout, a.SQL())
	} else {
		if err := os.WriteFile(o.Out, []byte(a.SQL()), 0o644); err != nil { //nolint:gosec // G306: a SQL file for Git, read by anyone like the folder's other files
			return fmt.Errorf("writing the adopt SQL: %w", err)
		}
		if last := lastFile(o.Dir, filepath.Base(o.Out)); last != "" && filepath.Base(o.Out) < last {
			_, _ = fmt.Fprintf(stderr, "warning: %s must be the folder's last file; it sorts before %s: rename it so that it sorts after\n", filepath.Base(o.Out), last)
		}
		_, _ = fmt.Fprintf(stderr, "wrote %s: %d statement(s) adopting %d difference(s)\n", o.Out, len(a.Statements), len(a.Drift))
	}
	if a.Empty() {
		return nil
	}
	return WithExitCode(ExitChanges, nil)
}

// lastFile is the name of the last .sql file directly in dir but self, in the
// loader's order; "" when there is none or dir cannot be read.
func lastFile(dir, self string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	last := ""
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".sql") && e.Name() != self && e.Name() > last {
			last = e.Name()
		}
	}
	return last
}

// writePerObject writes the files of --per-object into dir and lists them.
func writePerObject(dir string, files []drift.AdoptFile, stdout io.Writer) error {
	if len(files) == 0 {
		_, _ = fmt.Fprintln(stdout, "-- nothing to adopt: the database matches the desired schema")
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // G301: a folder for Git
		return fmt.Errorf("writing the adopt SQL: %w", err)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, []byte(f.SQL), 0o644); err != nil { //nolint:gosec // G306: a SQL file for Git
			return fmt.Errorf("writing the adopt SQL: %w", err)
		}
		_, _ = fmt.Fprintf(stdout, "%s: %d object(s)\n", path, len(f.Objects))
	}
	return WithExitCode(ExitChanges, nil)
}

// AdoptDatabase runs `schemactl adopt database NAME`: it prints the adopt SQL the
// agent keeps in the Database's status (status.drift.adoptSQL). Exit 0 without
// drift, ExitChanges when SQL was printed, 1 when there is drift but its SQL is
// too large for the status or could not be computed.
func AdoptDatabase(ctx context.Context, g *GlobalOptions, args []string) error {
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	_, db, err := g.getDatabase(ctx, args, "adopt the drift of")
	if err != nil {
		return err
	}
	if err := notCheckedYet(db); err != nil {
		return err
	}
	d := db.Status.Drift
	switch {
	case d == nil:
		g.ok("no drift to adopt: %s holds the desired schema of revision %s", describeDB(db), db.Status.LastAppliedRevision)
		return nil
	case d.AdoptSQL == "" && d.AdoptSQLBytes > 0:
		return fmt.Errorf("the adopt SQL of %s is %d bytes, more than the status carries (%d): run schemactl adopt --url URL --dir DIR against the database",
			describeDB(db), d.AdoptSQLBytes, v1alpha1.MaxAdoptSQLBytes)
	case d.AdoptSQL == "":
		return fmt.Errorf("%s has drift but no adopt SQL (the agent could not compute it): run schemactl adopt --url URL --dir DIR against the database", describeDB(db))
	}
	_, _ = fmt.Fprint(g.Streams.Out, d.AdoptSQL)
	return WithExitCode(ExitChanges, nil)
}
