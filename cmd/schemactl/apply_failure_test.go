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

package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestLocalApply_refusedPartialFailed: a new column and a unique index over
// duplicated values. plan and apply are refused by the pre-flight check (exit 1, the
// reason in the plan and in JSON); with --preflight-timeout 0 the column is committed,
// the index build fails and is cleaned up: exit 4 with the committed statement in the
// JSON result and the error; run again, only the index is left and fails: exit 1,
// nothing applied.
func TestLocalApply_refusedPartialFailed(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), `CREATE TABLE public.t (id int PRIMARY KEY, email text);
INSERT INTO public.t VALUES (1, 'a'), (2, 'a'), (3, 'b');`); err != nil {
		t.Fatal(err)
	}
	dir := sqlDir(t, "CREATE TABLE public.t (id int PRIMARY KEY, email text, note text);\nCREATE UNIQUE INDEX t_email ON public.t (email);\n")
	const reason = "key (email) of public.t has 1 duplicated value (the most frequent in 2 rows); index public.t_email cannot be built"

	code, out, errOut := runSchemactl(t, env, "plan", "--dir", dir)
	if code != 1 || !strings.Contains(out, "-- preflight refused: "+reason) || !strings.Contains(errOut, reason) {
		t.Fatalf("plan: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, "plan", "--dir", dir, "-o", "json")
	var pj struct {
		Preflight []struct {
			Check, Outcome, Message string
		} `json:"preflight"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &pj) != nil || len(pj.Preflight) != 1 || pj.Preflight[0].Outcome != "refused" || pj.Preflight[0].Message != reason {
		t.Fatalf("plan -o json: code %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut = runSchemactl(t, env, "apply", "--dir", dir); code != 1 || !strings.Contains(errOut, reason) {
		t.Fatalf("apply: code %d\n%s", code, errOut)
	}

	type outcome struct {
		SQL     string `json:"sql"`
		Outcome string `json:"outcome"`
	}
	var aj struct {
		Applied bool `json:"applied"`
		Result  struct {
			Outcome    string    `json:"outcome"`
			Consistent bool      `json:"consistent"`
			Failed     []outcome `json:"failed"`
			Committed  []outcome `json:"committed"`
			NotRun     []outcome `json:"notRun"`
			Cleanup    []struct {
				SQL   string `json:"sql"`
				Error string `json:"error"`
			} `json:"cleanup"`
		} `json:"result"`
	}
	code, out, errOut = runSchemactl(t, env, "apply", "--dir", dir, "--preflight-timeout", "0", "-o", "json")
	if code != 4 || json.Unmarshal([]byte(out), &aj) != nil {
		t.Fatalf("apply without pre-flight: code %d\n%s\n%s", code, out, errOut)
	}
	r := aj.Result
	if r.Outcome != "partial" || !r.Consistent || len(r.Committed) != 1 || !strings.Contains(r.Committed[0].SQL, "ADD COLUMN note") ||
		len(r.Failed) != 1 || !strings.Contains(r.Failed[0].SQL, "CREATE UNIQUE INDEX CONCURRENTLY t_email") ||
		len(r.Cleanup) != 1 || r.Cleanup[0].SQL != "DROP INDEX CONCURRENTLY IF EXISTS public.t_email" || r.Cleanup[0].Error != "" {
		t.Fatalf("apply -o json result: %+v\n%s", r, out)
	}
	for _, want := range []string{"committed (1):", "ADD COLUMN note", "cleaned up: DROP INDEX CONCURRENTLY IF EXISTS public.t_email", "re-run apply to finish"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("apply error lacks %q:\n%s", want, errOut)
		}
	}

	code, _, errOut = runSchemactl(t, env, "apply", "--dir", dir, "--preflight-timeout", "0")
	if code != 1 || !strings.Contains(errOut, "nothing was applied") || !strings.Contains(errOut, "cleaned up: DROP INDEX CONCURRENTLY") {
		t.Fatalf("second apply: code %d\n%s", code, errOut)
	}
	var invalid int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM pg_catalog.pg_index WHERE NOT indisvalid").Scan(&invalid); err != nil || invalid != 0 {
		t.Fatalf("INVALID indexes left: %d %v", invalid, err)
	}
}
