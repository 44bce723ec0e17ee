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
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestAdopt_hotfixIntoGit drives `schemactl adopt` as a team would after a
// hotfix: the database gained an index and a column and lost a table; adopt
// writes the file, which, added last to the folder, makes `schemactl plan` exit 0.
// --per-object writes the drifted objects' definitions by kind.
func TestAdopt_hotfixIntoGit(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	dir := sqlDir(t, "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nCREATE TABLE audit (id bigint);\n")
	if code, _, errOut := runSchemactl(t, env, "apply", "--dir", dir); code != 0 {
		t.Fatalf("apply: code %d: %s", code, errOut)
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), `CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note)`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), `ALTER TABLE orders ADD COLUMN placed_at timestamptz NOT NULL DEFAULT now(); DROP TABLE audit`); err != nil {
		t.Fatal(err)
	}

	// --per-object first, while the folder has no adopt file yet.
	objects := t.TempDir()
	code, out, errOut := runSchemactl(t, env, "adopt", "--dir", dir, "--per-object", "--out", objects)
	if code != 2 {
		t.Fatalf("adopt --per-object: code %d\n%s\n%s", code, out, errOut)
	}
	table, err := os.ReadFile(filepath.Join(objects, "adopt_table.sql"))
	if err != nil {
		t.Fatalf("adopt --per-object wrote no adopt_table.sql: %v\n%s", err, out)
	}
	index, err := os.ReadFile(filepath.Join(objects, "adopt_index.sql"))
	if err != nil {
		t.Fatalf("adopt --per-object wrote no adopt_index.sql: %v\n%s", err, out)
	}
	for _, want := range []string{"CREATE TABLE public.orders", "placed_at timestamp with time zone", "-- table public.audit\n-- not in the database: remove its definition from Git"} {
		if !strings.Contains(string(table), want) {
			t.Errorf("adopt_table.sql lacks %q:\n%s", want, table)
		}
	}
	if !strings.Contains(string(index), "CREATE INDEX orders_note_idx ON public.orders") || strings.Contains(string(index), "CONCURRENTLY") {
		t.Errorf("adopt_index.sql:\n%s", index)
	}

	file := filepath.Join(dir, "zz_adopt.sql")
	code, out, errOut = runSchemactl(t, env, "adopt", "--dir", dir, "--out", file)
	if code != 2 || out != "" || !strings.Contains(errOut, "wrote "+file) || strings.Contains(errOut, "last file") {
		t.Fatalf("adopt: code %d\n%s\n%s", code, out, errOut)
	}
	sql, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"-- Adopts the drift of plan sha256:",
		"--   index public.orders_note_idx: exists in the database, not in Git",
		"-- WARNING: 1 statement(s) below DROP what Git declares",
		"--   DROP TABLE public.audit",
		"\nCREATE INDEX orders_note_idx ON public.orders USING btree (note);\n",
	} {
		if !strings.Contains(string(sql), want) {
			t.Errorf("the adopt file lacks %q:\n%s", want, sql)
		}
	}
	if code, out, errOut := runSchemactl(t, env, "plan", "--dir", dir); code != 0 {
		t.Fatalf("plan after adopting: code %d\n%s\n%s", code, out, errOut)
	}
	// Adopted: nothing more to adopt.
	code, out, _ = runSchemactl(t, env, "adopt", "--dir", dir)
	if code != 0 || !strings.Contains(out, "Nothing to adopt") {
		t.Fatalf("adopt when in sync: code %d\n%s", code, out)
	}
	// A file that does not sort last is warned about.
	early := filepath.Join(dir, "a_adopt.sql")
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	_, _, errOut = runSchemactl(t, env, "adopt", "--dir", dir, "--out", early)
	if !strings.Contains(errOut, "a_adopt.sql must be the folder's last file") {
		t.Errorf("no warning for an adopt file that does not sort last:\n%s", errOut)
	}
}
