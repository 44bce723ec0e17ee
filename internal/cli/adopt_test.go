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

package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestAdopt_database: the agent keeps the adopt SQL of a drift in the Database's
// status; `schemactl adopt database NAME` prints it, and that SQL added to the
// Git folder as its last file makes the plan against the database empty. Above
// the size cap the status carries only its size and the command says how to get it.
func TestAdopt_database(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newDBFixture(t, 10*time.Minute)
	f.database(time.Second)
	g, out := globals(t, f.ns)
	mustRun(t, "reconcile", out, cli.Reconcile(ctx, g, cli.ReconcileOptions{}, []string{"database", "orders"}))

	// A hotfix: a column the plan would drop (destructive: blocked, so the drift stays).
	f.exec("ALTER TABLE orders ADD COLUMN hotfix_flag boolean DEFAULT false")
	eventually(t, 30*time.Second, func() bool {
		d := f.get().Status.Drift
		return d != nil && d.AdoptSQL != ""
	})
	d := f.get().Status.Drift
	g, out = globals(t, f.ns)
	err := cli.AdoptDatabase(ctx, g, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitChanges {
		t.Fatalf("adopt database: exit %d (%v)\n%s", cli.ExitCode(err), err, out.err.String())
	}
	sql := out.out.String()
	if sql != d.AdoptSQL || int(d.AdoptSQLBytes) != len(sql) {
		t.Errorf("adopt database printed %d bytes, the status has %d (%d):\n%s", len(sql), len(d.AdoptSQL), d.AdoptSQLBytes, sql)
	}
	for _, want := range []string{"--   column public.orders.hotfix_flag: exists in the database, not in Git", "\nALTER TABLE public.orders ADD COLUMN hotfix_flag boolean DEFAULT false;\n"} {
		if !strings.Contains(sql, want) {
			t.Errorf("the adopt SQL lacks %q:\n%s", want, sql)
		}
	}
	// The drift report shows who made it, with the DDL audit installed.
	if err := drift.InstallAudit(ctx, f.conn, drift.AuditOptions{}); err != nil {
		t.Fatal(err)
	}
	f.exec("ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'x'")
	eventually(t, 30*time.Second, func() bool {
		d := f.get().Status.Drift
		return d != nil && len(d.Changes) == 2 && d.Changes[0].Attribution != nil
	})
	g, out = globals(t, f.ns)
	err = cli.Drift(ctx, g, cli.DriftOptions{Output: cli.OutputTable}, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitChanges || !strings.Contains(out.out.String(), "changed by postgres from ") ||
		!strings.Contains(out.out.String(), ": ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'x'\n") {
		t.Errorf("drift with attribution: exit %d\n%s", cli.ExitCode(err), out.out.String())
	}
	f.exec("ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'n/a'")
	eventually(t, 30*time.Second, func() bool {
		d := f.get().Status.Drift
		return d != nil && len(d.Changes) == 1
	})
	sql = f.get().Status.Drift.AdoptSQL

	// The contract: the folder of Git plus the adopt SQL plans nothing.
	url := dbURL(t, f.ns)
	dir := t.TempDir()
	for name, text := range map[string]string{"001_orders.sql": ordersV1, "999_adopt.sql": sql} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := drift.Plan(ctx, drift.Options{URL: url, ScratchURL: pgtest.Shared(t).AdminURL(), Dir: dir})
	if err != nil || !res.Plan.Empty() {
		t.Fatalf("plan of the folder with the adopt SQL: %v\n%s", err, res.Plan.SQL())
	}

	// Over the cap: the size only, and a way out.
	var b strings.Builder
	for i := range 80 {
		fmt.Fprintf(&b, "CREATE TABLE hotfix_table_%02d (id bigint PRIMARY KEY, payload text NOT NULL);\n", i)
	}
	f.exec(b.String())
	eventually(t, 30*time.Second, func() bool {
		d := f.get().Status.Drift
		return d != nil && d.AdoptSQL == "" && d.AdoptSQLBytes > v1alpha1.MaxAdoptSQLBytes
	})
	g, _ = globals(t, f.ns)
	err = cli.AdoptDatabase(ctx, g, []string{"database", "orders"})
	if cli.ExitCode(err) != cli.ExitFailure || err == nil || !strings.Contains(err.Error(), "more than the status carries (8192): run schemactl adopt --url URL --dir DIR") {
		t.Errorf("adopt database over the cap: exit %d, %v", cli.ExitCode(err), err)
	}
}

// dbURL reads the URL of the fixture's database from its Secret "db".
func dbURL(t *testing.T, ns string) string {
	t.Helper()
	s := &corev1.Secret{}
	if err := testClient.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "db"}, s); err != nil {
		t.Fatal(err)
	}
	return string(s.Data["url"])
}
