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
	"bufio"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// adoptAll runs TestAdopt_corpus over every convergence case instead of the first
// case of each kind (SCHEMACTL_ADOPT_ALL=1 does the same).
var adoptAll = flag.Bool("adopt-all", false, "run TestAdopt_corpus over every case of testdata/cases")

// adoptExceptions reads testdata/adopt-exceptions.txt: "case direction: reason"
// per line, direction forward, reverse or both.
func adoptExceptions(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("testdata/adopt-exceptions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		head, reason, ok := strings.Cut(line, ":")
		fields := strings.Fields(head)
		if !ok || len(fields) != 2 || strings.TrimSpace(reason) == "" {
			t.Fatalf("adopt-exceptions.txt:%d: want \"case direction: reason\", got %q", n, line)
		}
		dirs := []string{fields[1]}
		switch fields[1] {
		case "both":
			dirs = []string{"forward", "reverse"}
		case "forward", "reverse":
		default:
			t.Fatalf("adopt-exceptions.txt:%d: direction %q: want forward, reverse or both", n, fields[1])
		}
		if _, err := os.Stat(filepath.Join("testdata/cases", fields[0])); err != nil {
			t.Fatalf("adopt-exceptions.txt:%d: no case %s", n, fields[0])
		}
		for _, d := range dirs {
			out[fields[0]+"/"+d] = strings.TrimSpace(reason)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAdopt_corpus proves the contract of adopt on the convergence cases, in both
// directions: a database loaded from old.sql (forward; new.sql for reverse), a
// folder of new.sql (old.sql), adopt, the adopted file added to the folder as its
// last file, and the plan of the folder against the database is empty. A case
// that cannot hold is listed in testdata/adopt-exceptions.txt with its reason;
// a listed case that holds fails the test, so the list stays true.
//
// By default it runs the first case of each kind (the name up to its first "-"),
// about 3.5 minutes on two busy cores; -adopt-all or SCHEMACTL_ADOPT_ALL=1 runs
// every case (about 30 minutes), which also proves every listed exception.
func TestAdopt_corpus(t *testing.T) {
	srv := pgtest.Shared(t)
	caseRoles(t, srv)
	exceptions := adoptExceptions(t)
	dirs, err := filepath.Glob("testdata/cases/*")
	if err != nil {
		t.Fatal(err)
	}
	dirs = slices.DeleteFunc(dirs, func(d string) bool {
		st, err := os.Stat(d)
		return err != nil || !st.IsDir()
	})
	all := *adoptAll || os.Getenv("SCHEMACTL_ADOPT_ALL") == "1"
	if !all {
		kinds := map[string]bool{}
		dirs = slices.DeleteFunc(dirs, func(d string) bool {
			name := filepath.Base(d)
			kind, _, _ := strings.Cut(name, "-")
			if kinds[kind] {
				return true
			}
			kinds[kind] = true
			return false
		})
	}
	t.Logf("adopt over %d case(s), both directions", len(dirs))
	next := make(chan string)
	var wg sync.WaitGroup
	for range min(caseWorkers, len(dirs)) {
		target := srv.NewDatabase(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for dir := range next {
				name := filepath.Base(dir)
				for _, d := range []string{"forward", "reverse"} {
					t.Run(name+"/"+d, func(t *testing.T) {
						emptyDatabase(t, target)
						reason := exceptions[name+"/"+d]
						problem := adoptCase(t, srv, dir, target, d == "reverse")
						switch {
						case reason != "" && problem == "":
							t.Errorf("listed in adopt-exceptions.txt (%s) but the contract holds: remove it from the list", reason)
						case reason != "":
							t.Skipf("listed in adopt-exceptions.txt: %s (found: %s)", reason, problem)
						case problem != "":
							t.Error(problem)
						}
					})
				}
			}
		}()
	}
	for _, dir := range dirs {
		next <- dir
	}
	close(next)
	wg.Wait()
}

// adoptCase runs one direction of a case against target and returns what breaks
// the contract, or "".
func adoptCase(t *testing.T, srv *pgtest.Server, dir, target string, reverse bool) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	exp := readExpect(t, dir)
	iopts := inspect.Options{ManagePrivileges: exp.privileges}
	from, to := "old.sql", "new.sql"
	if reverse {
		from, to = to, from
	}
	execFile(ctx, t, target, filepath.Join(dir, from))
	if _, err := os.Stat(filepath.Join(dir, "seed.sql")); err == nil && !reverse {
		execFile(ctx, t, target, filepath.Join(dir, "seed.sql"))
	}
	folder := t.TempDir()
	sql, err := os.ReadFile(filepath.Join(dir, to))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "schema.sql"), sql, 0o644); err != nil {
		t.Fatal(err)
	}
	desired, _, err := drift.LoadDesired(ctx, folder, srv.AdminURL(), 30*time.Second, iopts)
	if err != nil {
		t.Fatalf("loading %s: %v", to, err)
	}
	conn, err := drift.Connect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	a, err := drift.AdoptModel(ctx, conn, desired, drift.Options{ManagePrivileges: exp.privileges})
	if err != nil {
		return "adopt: " + err.Error()
	}
	t.Logf("adopt file:\n%s", a.SQL())
	if err := os.WriteFile(filepath.Join(folder, "zz_adopt.sql"), []byte(a.SQL()), 0o644); err != nil {
		t.Fatal(err)
	}
	adopted, _, err := drift.LoadDesired(ctx, folder, srv.AdminURL(), 30*time.Second, iopts)
	if err != nil {
		return "loading the folder with the adopted file: " + err.Error()
	}
	p, _, err := drift.Diff(ctx, conn, adopted, iopts)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		var lines []string
		for _, c := range p.Changes {
			lines = append(lines, c.Object+": "+c.Change)
		}
		for _, c := range p.Blocked {
			lines = append(lines, "cannot plan: "+c.Object+": "+c.Change)
		}
		return "the plan after adopting is not empty: " + strings.Join(lines, "; ") + "\n" + p.SQL()
	}
	return ""
}
