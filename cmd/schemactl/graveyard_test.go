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
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestGraveyard_softDropListRestorePurge: apply --soft-drop moves a dropped table
// into the graveyard; graveyard list shows it, restore puts it back, purge drops
// what a second soft drop kept.
func TestGraveyard_softDropListRestorePurge(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	v1 := sqlDir(t, "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nCREATE TABLE keep (id int PRIMARY KEY);\n")
	v2 := sqlDir(t, "CREATE TABLE keep (id int PRIMARY KEY);\n")
	if code, _, errOut := runSchemactl(t, env, "apply", "--dir", v1); code != 0 {
		t.Fatalf("apply v1: code %d: %s", code, errOut)
	}
	if code, out, errOut := runSchemactl(t, env, "graveyard", "list"); code != 0 || !strings.Contains(out, "the graveyard is empty") {
		t.Fatalf("list of an empty graveyard: code %d\n%s\n%s", code, out, errOut)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), "INSERT INTO orders VALUES (1, 'a'), (2, 'b')"); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runSchemactl(t, env, "apply", "--dir", v2, "--soft-drop", "--allow-destructive")
	if code != 0 {
		t.Fatalf("apply --soft-drop: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, "graveyard", "list")
	if code != 0 || !strings.Contains(out, "NAME") || !strings.Contains(out, " table ") || !strings.Contains(out, "public.orders") {
		t.Fatalf("list: code %d\n%s\n%s", code, out, errOut)
	}
	name := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[1])[0]
	if fields := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[1]); fields[len(fields)-1] != "2" {
		t.Fatalf("list: rows %q, want 2\n%s", fields[len(fields)-1], out)
	}
	if code, out, errOut := runSchemactl(t, env, "plan", "--dir", v2); code != 0 {
		t.Fatalf("plan after the soft drop (the graveyard is not drift): code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runSchemactl(t, env, "graveyard", "restore", name); code != 0 || !strings.Contains(out, "restored table public.orders (2 rows)") {
		t.Fatalf("restore: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runSchemactl(t, env, "plan", "--dir", v1); code != 0 {
		t.Fatalf("plan of v1 after the restore: code %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := runSchemactl(t, env, "apply", "--dir", v2, "--soft-drop", "--allow-destructive"); code != 0 {
		t.Fatalf("second apply --soft-drop: code %d: %s", code, errOut)
	}
	if code, out, errOut := runSchemactl(t, env, "graveyard", "purge", "--older-than", "168h"); code != 0 || !strings.Contains(out, "nothing to purge") {
		t.Fatalf("purge --older-than 168h: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runSchemactl(t, env, "graveyard", "purge"); code != 0 || !strings.Contains(out, "purged orders__") {
		t.Fatalf("purge: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := runSchemactl(t, env, "graveyard", "list"); code != 0 || !strings.Contains(out, "the graveyard is empty") {
		t.Fatalf("list after the purge: code %d\n%s\n%s", code, out, errOut)
	}
}
