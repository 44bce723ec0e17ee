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
	"strings"
	"testing"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func planHas(p *plan.Plan, prefix string) bool {
	for _, s := range p.Statements {
		if strings.HasPrefix(s.SQL, prefix) {
			return true
		}
	}
	return false
}

// dblink (untrusted) in the desired schema: refused with file:line unless allowed
// (then planned) or already installed in the target (then loaded and nothing to
// plan); the trusted pg_trgm needs nothing.
func TestPlan_untrustedExtension(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	dir := writeDir(t, map[string]string{"s.sql": "CREATE EXTENSION pg_trgm;\nCREATE EXTENSION dblink;\nCREATE TABLE t (a int);\n"})
	opts := drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir}

	_, err := drift.Plan(ctx, opts)
	var rej *load.RejectError
	if !errors.As(err, &rej) || !strings.HasPrefix(err.Error(), `s.sql:2: extension "dblink"`) {
		t.Fatalf("plan: %v, want dblink refused at s.sql:2", err)
	}

	opts.AllowedExtensions = []string{"dblink"}
	res, err := drift.Plan(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !planHas(res.Plan, `CREATE EXTENSION IF NOT EXISTS dblink`) || !planHas(res.Plan, `CREATE EXTENSION IF NOT EXISTS pg_trgm`) {
		t.Errorf("allowed: the plan does not create dblink and pg_trgm:\n%v", res.Plan.Statements)
	}

	execSQL(t, url, "CREATE EXTENSION dblink")
	opts.AllowedExtensions = nil
	res, err = drift.Plan(ctx, opts)
	if err != nil {
		t.Fatalf("dblink installed in the target: %v", err)
	}
	if planHas(res.Plan, `CREATE EXTENSION IF NOT EXISTS dblink`) || !planHas(res.Plan, `CREATE EXTENSION IF NOT EXISTS pg_trgm`) {
		t.Errorf("installed: %v", res.Plan.Statements)
	}
}

// The plan checks the target on its own: a desired model that holds an untrusted
// extension (loaded where it was allowed) is not planned for a target that lacks
// it unless allowed there too.
func TestDiff_refusesUntrustedExtensionOnTarget(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	dir := writeDir(t, map[string]string{"s.sql": "CREATE EXTENSION dblink;\nCREATE EXTENSION citext;\n"})
	desired, _, err := drift.LoadDesiredWith(ctx, dir, load.Options{AdminURL: srv.AdminURL(), AllowedExtensions: []string{"dblink"}}, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	_, _, err = drift.DiffWith(ctx, conn, desired, inspect.Options{}, plan.Options{})
	var extErr *drift.ExtensionError
	if !errors.As(err, &extErr) || len(extErr.Extensions) != 1 || !strings.HasPrefix(extErr.Extensions[0], "dblink ") {
		t.Fatalf("diff: %v, want dblink refused", err)
	}
	if !drift.IsExtensionNotAllowed(err) {
		t.Errorf("error %v: want an extension not allowed", err)
	}
	if na := drift.ExtensionsNotAllowed(err); len(na) != 1 || na[0].Name != "dblink" || !na[0].OnTarget || na[0].Version == "" {
		t.Errorf("not allowed: %+v, want dblink on the target", na)
	}
	// The engine states the fact; how to allow an extension is its caller's to say.
	if msg := err.Error(); !strings.Contains(msg, "extension dblink (version ") || strings.Contains(msg, "--allow-extension") || strings.Contains(msg, "allowedExtensions") {
		t.Errorf("error %q: want the fact alone", msg)
	}
	// The apply path refuses the same and leaves the target alone.
	if _, err := drift.ApplyModel(ctx, conn, desired, drift.Options{}, ""); !errors.As(err, &extErr) {
		t.Errorf("apply: %v, want the refusal", err)
	}
	if got, err := drift.InstalledExtensions(ctx, conn); err != nil || strings.Join(got, ",") != "plpgsql" {
		t.Errorf("target extensions %q (%v), want plpgsql only", got, err)
	}
	p, _, err := drift.DiffWith(ctx, conn, desired, inspect.Options{}, plan.Options{AllowedExtensions: []string{"dblink"}})
	if err != nil || !planHas(p, "CREATE EXTENSION IF NOT EXISTS dblink") {
		t.Errorf("allowed: %v", err)
	}
}

// An extension the target has at another version is updated only along an
// update path the server has: a downgrade without one is refused before
// anything runs, an upgrade is planned.
func TestDiff_extensionUpdatePath(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	execSQL(t, url, "CREATE EXTENSION hstore VERSION '1.7'")
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	desiredAt := func(version string) *drift.Model {
		dir := writeDir(t, map[string]string{"s.sql": "CREATE EXTENSION hstore VERSION '" + version + "';\n"})
		desired, _, err := drift.LoadDesiredWith(ctx, dir, load.Options{AdminURL: srv.AdminURL()}, inspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return desired
	}
	_, _, err = drift.DiffWith(ctx, conn, desiredAt("1.6"), inspect.Options{}, plan.Options{})
	var extErr *drift.ExtensionError
	if !errors.As(err, &extErr) || !strings.Contains(err.Error(), "extension hstore cannot be updated from version 1.7 to 1.6") {
		t.Fatalf("downgrade: %v, want a refusal naming the versions", err)
	}
	if _, err := drift.ApplyModel(ctx, conn, desiredAt("1.6"), drift.Options{}, ""); !errors.As(err, &extErr) {
		t.Errorf("apply of the downgrade: %v, want the refusal", err)
	}
	var version string
	if err := conn.QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'hstore'").Scan(&version); err != nil || version != "1.7" {
		t.Errorf("hstore at %q (%v) after the refused downgrade, want 1.7", version, err)
	}
	p, _, err := drift.DiffWith(ctx, conn, desiredAt("1.8"), inspect.Options{}, plan.Options{})
	if err != nil || !planHas(p, "ALTER EXTENSION hstore UPDATE TO '1.8'") {
		t.Errorf("upgrade: %v, want ALTER EXTENSION hstore UPDATE TO '1.8'", err)
	}
}
