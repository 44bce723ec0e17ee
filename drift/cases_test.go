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

package drift_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// update rewrites the plan.sql golden file of every convergence case run.
var update = flag.Bool("update", false, "rewrite the plan.sql golden files of testdata/cases")

// planOnly stops every convergence case after its plan is checked (expect and
// plan.sql): nothing is applied. A quick check of a change to the planner.
var planOnly = flag.Bool("plan-only", false, "check the plans of testdata/cases without applying them")

// expectation is the optional `expect` file of a convergence case:
//
//	hazards: DataLoss TableRewrite   # the plan's hazards, exactly
//	blocked: true                    # apply is refused without --allow-destructive
//	contains: <text>                 # some statement contains the text (repeatable)
//	not-contains: <text>             # no statement contains the text (repeatable)
//	unplannable: true                # the plan reports differences it cannot make
//	empty: true                      # old and new are the same schema: nothing to do
//	no-dump-check: <reason>          # skip the pg_dump comparison, with a reason
//	unsupported: <kind schema.name>  # the plan lists the object as unsupported (repeatable)
//	privileges: true                 # plan and apply with ManagePrivileges (grants compared)
//	apply-fails: <text>              # apply (destructive allowed) fails with the text, nothing changed
//	change: <text>                   # some reported change ("object: change") contains the text
//	rows-lost: <schema.table>        # a table the change drops and creates again (repeatable)
//	note: <text>                     # some note of the plan ("object: note") contains the text (repeatable)
type expectation struct {
	hazards     []string
	hazardsSet  bool
	blocked     bool
	contains    []string
	notContains []string
	unplannable bool
	empty       bool
	noDump      string
	unsupported []string
	privileges  bool
	applyFails  string
	changes     []string
	rowsLost    []string
	notes       []string
}

func readExpect(t *testing.T, dir string) expectation {
	var e expectation
	b, err := os.ReadFile(filepath.Join(dir, "expect"))
	if errors.Is(err, os.ErrNotExist) {
		return e
	}
	if err != nil {
		t.Fatal(err)
	}
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("expect:%d: want key: value, got %q", n+1, line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "hazards":
			e.hazardsSet = true
			e.hazards = strings.Fields(v)
		case "blocked":
			e.blocked = v == "true"
		case "contains":
			e.contains = append(e.contains, v)
		case "not-contains":
			e.notContains = append(e.notContains, v)
		case "unplannable":
			e.unplannable = v == "true"
		case "empty":
			e.empty = v == "true"
		case "no-dump-check":
			e.noDump = v
		case "unsupported":
			e.unsupported = append(e.unsupported, v)
		case "privileges":
			e.privileges = v == "true"
		case "apply-fails":
			e.applyFails = v
		case "change":
			e.changes = append(e.changes, v)
		case "rows-lost":
			e.rowsLost = append(e.rowsLost, v)
		case "note":
			e.notes = append(e.notes, v)
		default:
			t.Fatalf("expect:%d: unknown key %q", n+1, k)
		}
	}
	return e
}

// caseWorkers is how many convergence cases run at once. A case mostly waits for
// the server, so the runner does not use -parallel, which defaults to the number of
// CPUs; an explicit -parallel still wins.
const caseWorkers = 8

// TestConvergence runs every case of testdata/cases: load old.sql into a fresh database
// (plus seed.sql when present), plan and apply new.sql, then prove (a) the next plan is
// empty, (b) a normalized pg_dump of the database equals one of a database loaded
// from new.sql directly, and (c) the rows of kept tables and columns are unchanged.
func TestConvergence(t *testing.T) {
	srv := pgtest.Shared(t)
	caseRoles(t, srv)
	// Every folder of testdata/cases is a case (README.md documents them);
	// SCHEMACTL_CASES_DIR names another folder of cases (an outside corpus).
	root := casesDir()
	dirs, err := filepath.Glob(filepath.Join(root, "*"))
	if err != nil {
		t.Fatal(err)
	}
	dirs = slices.DeleteFunc(dirs, func(d string) bool {
		st, err := os.Stat(d)
		return err != nil || !st.IsDir()
	})
	if len(dirs) == 0 {
		t.Fatalf("no cases in %s", root)
	}
	workers := caseWorkers
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "test.parallel" {
			if n, err := strconv.Atoi(f.Value.String()); err == nil && n > 0 {
				workers = n
			}
		}
	})
	workers = min(workers, len(dirs))
	// t.Run may be called from several goroutines at once; each call returns when
	// its case is done. Each worker owns a target and a fresh database and empties
	// them before every case: creating and dropping three databases per case (each
	// DROP DATABASE waits for a checkpoint) took most of the run's time.
	next := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		dbs := caseDatabases{target: srv.NewDatabase(t), fresh: srv.NewDatabase(t)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dir := range next {
				t.Run(filepath.Base(dir), func(t *testing.T) {
					emptyDatabase(t, dbs.target)
					emptyDatabase(t, dbs.fresh)
					runCase(t, srv, dir, dbs)
				})
			}
		}()
	}
	for _, dir := range dirs {
		next <- dir
	}
	close(next)
	wg.Wait()
}

// casesDir is the folder of convergence cases: SCHEMACTL_CASES_DIR when set (an
// outside corpus in the same format, whose plan.sql goldens are optional like ours
// and are written only with -update), else testdata/cases.
func casesDir() string {
	if d := os.Getenv("SCHEMACTL_CASES_DIR"); d != "" {
		return d
	}
	return "testdata/cases"
}

// caseRoles are the roles privilege and policy cases grant to. Roles belong to the
// server, not to a database, and the loader refuses CREATE ROLE, so they are created
// once here, before the cases run, and left for the next run.
func caseRoles(t *testing.T, srv *pgtest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, srv.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	for _, r := range []string{"schemactl_case_reader", "schemactl_case_writer"} {
		// Concurrent test binaries may race to create the same role.
		_, err := conn.Exec(ctx, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '"+r+"') THEN CREATE ROLE "+r+" NOLOGIN; END IF; "+
			"EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL; END $$")
		if err != nil {
			t.Fatalf("creating role %s: %v", r, err)
		}
	}
}

// caseDatabases are the databases of a case: target gets old.sql and the plan,
// fresh gets new.sql for the independent pg_dump check.
type caseDatabases struct{ target, fresh string }

// emptyDatabase returns a database to the state of one just created from template0:
// every extension but plpgsql and every schema go, and public is created again as
// template0 has it (owner, privileges, comment). It then checks that nothing is left
// outside the system schemas, so a case never sees another case's objects.
func emptyDatabase(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	const reset = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE pg_catalog.format('DROP EXTENSION %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP
    EXECUTE pg_catalog.format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  -- database-level objects a case may create
  FOR r IN SELECT pubname FROM pg_catalog.pg_publication LOOP
    EXECUTE pg_catalog.format('DROP PUBLICATION %I', r.pubname);
  END LOOP;
  FOR r IN SELECT evtname FROM pg_catalog.pg_event_trigger LOOP
    EXECUTE pg_catalog.format('DROP EVENT TRIGGER %I', r.evtname);
  END LOOP;
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';`
	if _, err := conn.Exec(ctx, reset); err != nil {
		t.Fatalf("emptying %s: %v", url, err)
	}
	const leftovers = `
SELECT pg_catalog.concat_ws(', ',
  (SELECT pg_catalog.string_agg(n.nspname, ', ') FROM pg_catalog.pg_namespace n
   WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'public')),
  (SELECT pg_catalog.string_agg(e.extname, ', ') FROM pg_catalog.pg_extension e WHERE e.extname <> 'plpgsql'),
  (SELECT pg_catalog.string_agg(c.relname, ', ') FROM pg_catalog.pg_class c WHERE c.relnamespace = 'public'::regnamespace),
  (SELECT pg_catalog.string_agg(y.typname, ', ') FROM pg_catalog.pg_type y WHERE y.typnamespace = 'public'::regnamespace),
  (SELECT pg_catalog.string_agg(p.proname, ', ') FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'public'::regnamespace),
  (SELECT pg_catalog.string_agg(v.evtname, ', ') FROM pg_catalog.pg_event_trigger v),
  (SELECT pg_catalog.string_agg(b.pubname, ', ') FROM pg_catalog.pg_publication b),
  (SELECT pg_catalog.string_agg(s.setconfig::text, ', ') FROM pg_catalog.pg_db_role_setting s WHERE s.setdatabase = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())))`
	var left string
	if err := conn.QueryRow(ctx, leftovers).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != "" {
		t.Fatalf("emptying %s left: %s", url, left)
	}
}

func execFile(ctx context.Context, t *testing.T, url, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, string(b)); err != nil {
		t.Fatalf("executing %s: %v", file, err)
	}
}

func runCase(t *testing.T, srv *pgtest.Server, dir string, dbs caseDatabases) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	exp := readExpect(t, dir)
	// Privileges are compared only where the case asks for it, as a Database does
	// with spec.managePrivileges.
	iopts := inspect.Options{ManagePrivileges: exp.privileges}
	target := dbs.target
	execFile(ctx, t, target, filepath.Join(dir, "old.sql"))
	if _, err := os.Stat(filepath.Join(dir, "seed.sql")); err == nil {
		execFile(ctx, t, target, filepath.Join(dir, "seed.sql"))
	}
	// The desired folder holds only new.sql (the loader reads every .sql file).
	desiredDir := t.TempDir()
	newSQL, err := os.ReadFile(filepath.Join(dir, "new.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(desiredDir, "new.sql"), newSQL, 0o644); err != nil {
		t.Fatal(err)
	}
	desired, _, err := drift.LoadDesired(ctx, desiredDir, srv.AdminURL(), 30*time.Second, iopts)
	if err != nil {
		t.Fatalf("loading new.sql: %v", err)
	}
	conn, err := drift.Connect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	autoSeed(ctx, t, conn)

	p, liveBefore, err := drift.Diff(ctx, conn, desired, iopts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("plan %s:\n%s", p.ID, p.SQL())
	checkPlan(t, exp, p)
	checkStatementTables(t, p)
	checkGolden(t, dir, p)
	if *planOnly {
		return
	}
	if exp.unplannable {
		// Apply refuses an unplannable plan as a whole, even when allowed to destroy.
		_, err := drift.ApplyModel(ctx, conn, desired, drift.Options{AllowDestructive: true, ManagePrivileges: exp.privileges}, "")
		var ue *drift.UnplannableError
		if !errors.As(err, &ue) {
			t.Fatalf("apply of an unplannable plan: want UnplannableError, got %v", err)
		}
		after, err := inspect.Inspect(ctx, conn, iopts)
		if err != nil {
			t.Fatal(err)
		}
		if after.Fingerprint() != liveBefore.Fingerprint() {
			t.Fatal("a refused apply changed the database")
		}
	}
	if exp.empty || exp.unplannable {
		return
	}
	before := snapshot(ctx, t, conn, liveBefore, desired)

	if exp.blocked {
		_, err := drift.ApplyModel(ctx, conn, desired, drift.Options{ManagePrivileges: exp.privileges}, "")
		var be *drift.BlockedError
		if !errors.As(err, &be) {
			t.Fatalf("apply without --allow-destructive: want BlockedError, got %v", err)
		}
		after, err := inspect.Inspect(ctx, conn, iopts)
		if err != nil {
			t.Fatal(err)
		}
		if after.Fingerprint() != liveBefore.Fingerprint() {
			t.Fatal("a blocked apply changed the database")
		}
	}
	if exp.applyFails != "" {
		// The plan is valid but the data refuses it (a removed enum value in use):
		// the transaction rolls back and nothing is applied.
		_, err := drift.ApplyModel(ctx, conn, desired, drift.Options{AllowDestructive: true, ManagePrivileges: exp.privileges}, "")
		if err == nil || !strings.Contains(err.Error(), exp.applyFails) {
			t.Fatalf("apply: want an error containing %q, got %v", exp.applyFails, err)
		}
		after, err := inspect.Inspect(ctx, conn, iopts)
		if err != nil {
			t.Fatal(err)
		}
		if after.Fingerprint() != liveBefore.Fingerprint() {
			t.Fatal("a failed apply changed the database")
		}
		if rows := snapshot(ctx, t, conn, liveBefore, desired); fmt.Sprint(rows) != fmt.Sprint(before) {
			t.Fatalf("a failed apply changed rows:\nbefore: %v\nafter:  %v", before, rows)
		}
		return
	}
	if _, err := drift.ApplyModel(ctx, conn, desired, drift.Options{AllowDestructive: true, ManagePrivileges: exp.privileges}, ""); err != nil {
		t.Fatalf("apply: %v", err)
	}
	// (a) the next plan is empty.
	again, _, err := drift.Diff(ctx, conn, desired, iopts)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Fatalf("second plan is not empty:\n%s\nchanges: %v", again.SQL(), again.Changes)
	}
	// (c) rows of kept tables and columns are unchanged.
	after := snapshot(ctx, t, conn, liveBefore, desired)
	for table, rows := range before {
		if slices.Contains(exp.rowsLost, table) {
			if !slices.ContainsFunc(p.Statements, func(s plan.Statement) bool {
				return strings.HasPrefix(s.SQL, "DROP TABLE ") && strings.Contains(s.SQL, table) && slices.Contains(s.Hazards, plan.DataLoss)
			}) {
				t.Errorf("rows-lost: %s, but the plan does not drop it (DataLoss)", table)
			}
			continue
		}
		if got := after[table]; got != rows {
			t.Errorf("rows of %s changed:\nbefore: %s\nafter:  %s", table, rows, got)
		}
	}
	// (b) an independent check: pg_dump of the result equals pg_dump of new.sql loaded
	// into a fresh database. The apply log is ours, not the user's.
	if exp.noDump != "" {
		t.Logf("pg_dump check skipped: %s", exp.noDump)
		return
	}
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS schemactl CASCADE"); err != nil {
		t.Fatal(err)
	}
	fresh := dbs.fresh
	execFile(ctx, t, fresh, filepath.Join(dir, "new.sql"))
	got, want := normalizeDump(pgtest.PgDump(t, target)), normalizeDump(pgtest.PgDump(t, fresh))
	if got != want {
		t.Errorf("pg_dump differs from a database loaded from new.sql:\n%s", lineDiff(want, got))
	}
	// Idempotence: the fresh database plans nothing.
	fconn, err := drift.Connect(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = fconn.Close(context.Background()) }()
	fp, _, err := drift.Diff(ctx, fconn, desired, iopts)
	if err != nil {
		t.Fatal(err)
	}
	if !fp.Empty() {
		t.Errorf("a database loaded from new.sql plans changes:\n%s", fp.SQL())
	}
}

// namedTable matches the one table an ALTER TABLE or DROP TABLE statement names
// (qualified, quoted where needed); a comma after it means several.
var namedTable = regexp.MustCompile(`^(?:ALTER|DROP) TABLE (?:ONLY )?((?:"(?:[^"]|"")*"|[^\s",.]+)(?:\.(?:"(?:[^"]|"")*"|[^\s",.]+))*)(,?)`)

// checkStatementTables checks the builder's Statement.Table, which apply locks
// first, against the SQL of the transaction's statements that take ACCESS
// EXCLUSIVE: each that alters or drops one table names it, the others none.
func checkStatementTables(t *testing.T, p *plan.Plan) {
	t.Helper()
	for _, s := range p.Statements {
		if s.Phase != plan.PhaseTransactional || s.Lock != "ACCESS EXCLUSIVE" {
			continue
		}
		want := ""
		if m := namedTable.FindStringSubmatch(s.SQL); m != nil && m[2] == "" {
			want = m[1]
		}
		if s.Table != want {
			t.Errorf("%s: Table %q, want %q", s.SQL, s.Table, want)
		}
	}
}

func checkPlan(t *testing.T, exp expectation, p *plan.Plan) {
	t.Helper()
	for _, c := range exp.changes {
		found := false
		for _, d := range p.Changes {
			if strings.Contains(d.Object+": "+d.Change, c) {
				found = true
			}
		}
		if !found {
			t.Errorf("no change reported contains %q: %v", c, p.Changes)
		}
	}
	for _, n := range exp.notes {
		found := false
		for _, d := range p.Notes {
			if strings.Contains(d.Object+": "+d.Change, n) {
				found = true
			}
		}
		if !found {
			t.Errorf("no note of the plan contains %q: %v", n, p.Notes)
		}
	}
	for _, u := range exp.unsupported {
		found := false
		for _, id := range p.Unsupported {
			found = found || id == u
		}
		if !found {
			t.Errorf("the plan does not list %q as unsupported; it lists %q", u, p.Unsupported)
		}
	}
	if exp.empty {
		if !p.Empty() {
			t.Fatalf("want an empty plan, got:\n%s", p.SQL())
		}
		return
	}
	if p.Empty() {
		t.Fatal("old and new differ but the plan is empty")
	}
	if exp.unplannable != (len(p.Blocked) > 0) {
		t.Fatalf("unplannable: want %v, got blocked differences %v", exp.unplannable, p.Blocked)
	}
	if exp.hazardsSet {
		var got []string
		for _, h := range p.Hazards() {
			got = append(got, string(h))
		}
		want := append([]string{}, exp.hazards...)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("hazards: want %v, got %v", want, got)
		}
	}
	if exp.blocked != p.Destructive() {
		t.Errorf("destructive: want %v, got %v", exp.blocked, p.Destructive())
	}
	sql := p.SQL()
	for _, c := range exp.contains {
		if !strings.Contains(sql, c) {
			t.Errorf("plan does not contain %q", c)
		}
	}
	for _, c := range exp.notContains {
		if strings.Contains(sql, c) {
			t.Errorf("plan contains %q", c)
		}
	}
}

// checkGolden compares the plan, rendered by goldenPlan, with the case's plan.sql,
// or writes it with -update. A case without plan.sql is not compared.
func checkGolden(t *testing.T, dir string, p *plan.Plan) {
	t.Helper()
	file := filepath.Join(dir, "plan.sql")
	got := goldenPlan(p)
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the plan differs from plan.sql (rewrite it with -update if the change is intended):\n%s", lineDiff(string(want), got))
	}
}

// goldenPlan renders everything a plan decides: its script (hazards, phase, lock,
// rewrite and timeouts of every statement), and for each statement its object,
// cleanup, reverted statements and pre-flight check, then the differences reported,
// blocked and unsupported.
func goldenPlan(p *plan.Plan) string {
	var b strings.Builder
	b.WriteString("-- generated by go test ./drift -run TestConvergence -update; do not edit\n")
	for i, s := range p.Statements {
		fmt.Fprintf(&b, "\n-- [%d] %s (%s)\n", i, s.Object, s.Phase)
		if len(s.Hazards) > 0 {
			hs := make([]string, len(s.Hazards))
			for j, h := range s.Hazards {
				hs[j] = string(h)
			}
			b.WriteString("-- hazards: " + strings.Join(hs, ", ") + "\n")
		}
		b.WriteString("-- " + s.Notes() + "\n")
		for _, c := range s.Cleanup {
			b.WriteString("-- cleanup: " + c + "\n")
		}
		if len(s.Reverts) > 0 {
			fmt.Fprintf(&b, "-- reverts: %v\n", s.Reverts)
		}
		if c := s.Check; c != nil {
			fmt.Fprintf(&b, "-- check %s of %s: %s\n", c.Kind, c.What, strings.ReplaceAll(c.Query, "\n", " "))
		}
		b.WriteString(s.SQL + ";\n")
	}
	if len(p.Changes) > 0 {
		b.WriteString("\n")
	}
	for _, d := range p.Changes {
		b.WriteString("-- change: " + d.Object + ": " + strings.ReplaceAll(d.Change, "\n", " ") + "\n")
	}
	for _, d := range p.Blocked {
		b.WriteString("-- cannot plan: " + d.Object + ": " + strings.ReplaceAll(d.Change, "\n", " ") + "\n")
	}
	for _, u := range p.Unsupported {
		b.WriteString("-- unsupported: " + u + "\n")
	}
	return b.String()
}

// autoSeed inserts a default row into every table that accepts one, so that data
// preservation is checked even where a case has no seed.sql.
func autoSeed(ctx context.Context, t *testing.T, conn *pgx.Conn) {
	s, err := inspect.Inspect(ctx, conn, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range s.Tables {
		if tb.PartitionKey != "" {
			continue
		}
		// A table whose constraints refuse a default row simply stays empty.
		_, _ = conn.Exec(ctx, "INSERT INTO "+tb.QualifiedName()+" DEFAULT VALUES")
	}
}

// snapshot renders the rows of every table kept by the change, restricted to the
// columns kept with the same type, in a stable order.
func snapshot(ctx context.Context, t *testing.T, conn *pgx.Conn, live, desired *model.Schema) map[string]string {
	out := map[string]string{}
	dt := map[string]*model.Table{}
	for i := range desired.Tables {
		dt[desired.Tables[i].QualifiedName()] = &desired.Tables[i]
	}
	for _, lt := range live.Tables {
		d := dt[lt.QualifiedName()]
		if d == nil || lt.PartitionKey != "" {
			continue
		}
		var cols []string
		for _, c := range lt.Columns {
			if dc := d.Column(c.Name); dc != nil && dc.Type == c.Type && dc.Generated == "" && c.Generated == "" && !compositeChanged(live, desired, c.Type) {
				cols = append(cols, model.QuoteIdent(c.Name)+"::text")
			}
		}
		if len(cols) == 0 {
			continue
		}
		// The rows are ordered by bytes, so that a collation change does not reorder
		// them; the simple protocol keeps the statement from being prepared, since
		// a changed column collation changes the result's row description.
		// ONLY: an inheritance parent's own rows, not its children's (a table
		// that gains a parent would otherwise seem to gain rows).
		q := fmt.Sprintf(`SELECT coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE "C"), '') FROM (SELECT concat_ws('|', %s) AS r FROM ONLY %s) x`,
			strings.Join(cols, ", "), lt.QualifiedName())
		var rows string
		if err := conn.QueryRow(ctx, q, pgx.QueryExecModeSimpleProtocol).Scan(&rows); err != nil {
			t.Fatalf("snapshot of %s: %v", lt.QualifiedName(), err)
		}
		out[lt.QualifiedName()] = rows
	}
	return out
}

// compositeChanged reports whether typ is a composite type whose attributes
// (names and types) differ between live and desired: its stored values change
// shape (an added attribute shows as a trailing NULL), so the column is not
// compared.
func compositeChanged(live, desired *model.Schema, typ string) bool {
	attrs := func(s *model.Schema) string {
		for _, c := range s.CompositeTypes {
			if c.Schema+"."+c.Name == typ || model.QuoteIdent(c.Schema)+"."+model.QuoteIdent(c.Name) == typ {
				var out []string
				for _, a := range c.Attributes {
					out = append(out, a.Name+" "+a.Type)
				}
				return strings.Join(out, ", ")
			}
		}
		return ""
	}
	return attrs(live) != attrs(desired)
}

var createTableRE = regexp.MustCompile(`^CREATE (UNLOGGED )?TABLE `)

// normalizeDump normalizes a pg_dump script for comparison: comments, SET lines and
// meta-commands go, and the column lines of CREATE TABLE are sorted, because a column
// added by ALTER TABLE lands at the end (column order cannot change in place).
func normalizeDump(dump string) string {
	lines := strings.Split(pgtest.NormalizeDump(dump), "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		out = append(out, lines[i])
		if !createTableRE.MatchString(lines[i]) || !strings.HasSuffix(lines[i], "(") {
			continue
		}
		var body []string
		j := i + 1
		for ; j < len(lines) && !strings.HasPrefix(lines[j], ")"); j++ {
			body = append(body, strings.TrimSuffix(lines[j], ","))
		}
		sort.Strings(body)
		out = append(out, body...)
		i = j - 1
	}
	return strings.Join(out, "\n")
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	wm, gm := map[string]int{}, map[string]int{}
	for _, l := range w {
		wm[l]++
	}
	for _, l := range g {
		gm[l]++
	}
	var b strings.Builder
	for _, l := range w {
		if gm[l] == 0 {
			b.WriteString("- " + l + "\n")
		} else {
			gm[l]--
		}
	}
	for _, l := range g {
		if wm[l] == 0 {
			b.WriteString("+ " + l + "\n")
		} else {
			wm[l]--
		}
	}
	return b.String()
}
