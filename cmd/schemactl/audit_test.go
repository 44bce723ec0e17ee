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
	neturl "net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestAudit_attributesHotfix: with the DDL audit installed, a change made by a
// role with application_name hotfix is attributed in the text plan and in
// plan -o json; a change made by our own apply is not; a role that is not a
// superuser is told it cannot install the audit; uninstall leaves nothing in the
// catalog.
func TestAudit_attributesHotfix(t *testing.T) {
	srv := pgtest.NewServer(t)
	dba := srv.NewRole(t, "SUPERUSER") // the hotfix comes from another role than the one applying
	plain := srv.NewRole(t, "")
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	v1 := sqlDir(t, "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n")
	v2 := sqlDir(t, "CREATE TABLE orders (id bigint PRIMARY KEY, note text, extra int);\n")

	code, out, errOut := runSchemactl(t, nil, "audit", "install", "--url", pgtest.URLAs(t, url, plain))
	if code != 1 || !strings.Contains(errOut, "only a superuser create") || !strings.Contains(errOut, "schemactl audit install --url URL") {
		t.Fatalf("audit install as a plain role: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, "audit", "install", "--max-rows", "100")
	if code != 0 || !strings.Contains(out, "DDL audit installed") {
		t.Fatalf("audit install: code %d\n%s\n%s", code, out, errOut)
	}
	// Our own applies: v2 adds a column, v1 is the desired schema again.
	for _, dir := range []string{v1, v2} {
		if code, _, errOut := runSchemactl(t, env, "apply", "--dir", dir, "--allow-destructive"); code != 0 {
			t.Fatalf("apply: code %d: %s", code, errOut)
		}
	}
	if code, out, _ := runSchemactl(t, env, "plan", "--dir", v2); code != 0 {
		t.Fatalf("plan after our apply (the audit must not be drift): code %d\n%s", code, out)
	}

	// The hotfix, by another role, from an application named hotfix.
	u, err := neturl.Parse(pgtest.URLAs(t, url, dba))
	if err != nil {
		t.Fatal(err)
	}
	u.RawQuery = "application_name=hotfix"
	conn, err := pgx.Connect(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), "CREATE INDEX orders_note_idx ON orders (note)"); err != nil {
		t.Fatal(err)
	}

	// Planned against v1, the column our apply added is drift too, but not the hotfix's.
	code, out, errOut = runSchemactl(t, env, "plan", "--dir", v1)
	if code != 2 || !strings.Contains(out, "-- changed: index public.orders_note_idx: by "+dba+" from ") ||
		!strings.Contains(out, "application hotfix, at ") || !strings.Contains(out, ": CREATE INDEX orders_note_idx ON orders (note)") {
		t.Fatalf("plan: code %d, no attribution of the hotfix:\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "-- changed: column public.orders.extra") {
		t.Errorf("our own apply is attributed:\n%s", out)
	}
	code, out, _ = runSchemactl(t, env, "plan", "--dir", v1, "-o", "json")
	var j struct {
		Changes []struct {
			Object      string `json:"object"`
			Attribution *struct {
				SessionUser     string `json:"sessionUser"`
				CurrentUser     string `json:"currentUser"`
				ApplicationName string `json:"applicationName"`
				CommandTag      string `json:"commandTag"`
				ObjectIdentity  string `json:"objectIdentity"`
				Statement       string `json:"statement"`
				At              string `json:"at"`
			} `json:"attribution"`
		} `json:"changes"`
	}
	if code != 2 || json.Unmarshal([]byte(out), &j) != nil {
		t.Fatalf("plan -o json: code %d\n%s", code, out)
	}
	seen := map[string]bool{}
	for _, c := range j.Changes {
		seen[c.Object] = true
		switch c.Object {
		case "index public.orders_note_idx":
			a := c.Attribution
			if a == nil || a.ApplicationName != "hotfix" || a.SessionUser != dba || a.CurrentUser != dba || a.CommandTag != "CREATE INDEX" ||
				a.ObjectIdentity != "public.orders_note_idx" || a.At == "" || !strings.Contains(a.Statement, "CREATE INDEX orders_note_idx") {
				t.Errorf("attribution of the hotfix: %+v", a)
			}
		case "column public.orders.extra":
			if c.Attribution != nil {
				t.Errorf("our own apply is attributed: %+v", c.Attribution)
			}
		}
	}
	if !seen["index public.orders_note_idx"] || !seen["column public.orders.extra"] {
		t.Errorf("changes: %s", out)
	}

	// Uninstall leaves nothing of the audit.
	if code, out, errOut := runSchemactl(t, env, "audit", "uninstall"); code != 0 {
		t.Fatalf("audit uninstall: code %d\n%s\n%s", code, out, errOut)
	}
	var left string
	err = conn.QueryRow(context.Background(), `SELECT concat_ws(', ',
  (SELECT string_agg(evtname, ', ') FROM pg_event_trigger),
  (SELECT string_agg(proname, ', ') FROM pg_proc WHERE proname LIKE 'ddl\_audit%'),
  (SELECT string_agg(relname, ', ') FROM pg_class WHERE relname LIKE 'ddl\_audit%'),
  (SELECT string_agg(nspname || ' usage for public', ', ') FROM pg_namespace WHERE nspname = 'schemactl' AND has_schema_privilege('public', oid, 'USAGE')))`).Scan(&left)
	if err != nil || left != "" {
		t.Fatalf("audit uninstall left: %q (%v)", left, err)
	}
	if code, out, _ := runSchemactl(t, env, "plan", "--dir", v1); code != 2 || strings.Contains(out, "-- changed:") {
		t.Errorf("plan after uninstall: code %d\n%s", code, out)
	}
}
