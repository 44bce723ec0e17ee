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
	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// A LEAKPROOF function in Git: refused by default with file:line and the opt-in
// named; with ScratchTrustedStatements leakproof it loads, the plan creates it
// LEAKPROOF, apply converges (the next plan is empty), and LEAKPROOF taken away
// by hand in the target is drift that the next plan puts back.
func TestApply_leakproofFunctionTrusted(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx := context.Background()
	url := srv.NewDatabase(t)
	dir := writeDir(t, map[string]string{"f.sql": "CREATE TABLE t (a int);\n" +
		"CREATE FUNCTION public.same(a integer, b integer) RETURNS boolean\n" +
		"    LANGUAGE sql IMMUTABLE STRICT LEAKPROOF AS $$ SELECT a = b $$;\n"})
	opts := drift.Options{URL: url, ScratchURL: srv.AdminURL(), Dir: dir}

	_, err := drift.Plan(ctx, opts)
	var rej *load.RejectError
	if !errors.As(err, &rej) || !strings.HasPrefix(err.Error(), "f.sql:2: declares a LEAKPROOF function") ||
		!strings.Contains(err.Error(), "--scratch-trusted-statements leakproof") {
		t.Fatalf("plan: %v, want f.sql:2 refused naming --scratch-trusted-statements leakproof", err)
	}
	if !drift.IsInvalidSQL(err) {
		t.Errorf("the refusal is not invalid SQL (a Database would retry instead of stalling): %v", err)
	}

	opts.ScratchTrustedStatements = []string{load.TrustedLeakproof}
	res, err := drift.Apply(ctx, opts)
	if err != nil || !res.Applied {
		t.Fatalf("apply: applied=%v err=%v", res != nil && res.Applied, err)
	}
	if !strings.Contains(res.Plan.SQL(), "LEAKPROOF") {
		t.Errorf("the plan does not create the function LEAKPROOF:\n%s", res.Plan.SQL())
	}
	leakproof := func() bool {
		conn, err := drift.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = conn.Close(ctx) }()
		var lp bool
		if err := conn.QueryRow(ctx, "SELECT proleakproof FROM pg_proc WHERE oid = 'public.same(integer, integer)'::regprocedure").Scan(&lp); err != nil {
			t.Fatal(err)
		}
		return lp
	}
	if !leakproof() {
		t.Error("the applied function is not LEAKPROOF")
	}
	res, err = drift.Plan(ctx, opts)
	if err != nil || !res.Plan.Empty() {
		t.Fatalf("the plan after apply is not empty (%v):\n%s", err, res.Plan.SQL())
	}

	execSQL(t, url, "ALTER FUNCTION public.same(integer, integer) NOT LEAKPROOF")
	res, err = drift.Plan(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Empty() || !strings.Contains(res.Plan.SQL(), "LEAKPROOF") {
		t.Fatalf("NOT LEAKPROOF by hand is not drift:\n%s", res.Plan.SQL())
	}
	if _, err := drift.Apply(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !leakproof() {
		t.Error("apply did not make the function LEAKPROOF again")
	}
}
