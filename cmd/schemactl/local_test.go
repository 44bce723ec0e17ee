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
	"bytes"
	"context"
	"encoding/json"
	"errors"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// schemactlBinary is built once per test run: the local commands are a public
// interface, tested as a user runs them, exit codes included.
var schemactlBinary string

func buildSchemactl(t *testing.T) string {
	t.Helper()
	if schemactlBinary != "" {
		return schemactlBinary
	}
	dir, err := os.MkdirTemp("", "schemactl-bin-")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "schemactl")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building schemactl: %v\n%s", err, out)
	}
	schemactlBinary = bin
	return bin
}

func runSchemactl(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), buildSchemactl(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

func sqlDir(t *testing.T, sql string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "schema.sql"), []byte(sql), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLocalPlanApply_exitCodes drives `schemactl plan` and `schemactl apply` against a
// real database: 2 when changes are pending, 0 when in sync, 3 when destructive
// statements are blocked (nothing applied), 1 on errors; JSON output; the URL from
// the environment; no password in any output.
func TestLocalPlanApply_exitCodes(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	v1 := sqlDir(t, "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\nCREATE INDEX orders_note_idx ON orders (note);\n")

	code, out, errOut := runSchemactl(t, env, "plan", "--dir", v1)
	if code != 2 || !strings.Contains(out, "CREATE TABLE public.orders") {
		t.Fatalf("plan with changes: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runSchemactl(t, env, "plan", "--dir", v1, "-o", "json")
	var j struct {
		ID         string `json:"id"`
		InSync     bool   `json:"inSync"`
		Statements []struct {
			SQL string `json:"sql"`
		} `json:"statements"`
	}
	if code != 2 || json.Unmarshal([]byte(out), &j) != nil || j.InSync || !strings.HasPrefix(j.ID, "sha256:") || len(j.Statements) != 2 {
		t.Fatalf("plan -o json: code %d: %s", code, out)
	}
	code, out, errOut = runSchemactl(t, env, "apply", "--dir", v1)
	if code != 0 || !strings.Contains(out, "applied plan") {
		t.Fatalf("apply: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runSchemactl(t, env, "plan", "--dir", v1)
	if code != 0 || !strings.Contains(out, "in sync") {
		t.Fatalf("plan after apply: code %d\n%s", code, out)
	}

	// Destructive: blocked with exit 3, nothing applied.
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), "INSERT INTO orders VALUES (1, 'keep me')"); err != nil {
		t.Fatal(err)
	}
	v2 := sqlDir(t, "CREATE TABLE orders (id bigint PRIMARY KEY);\n")
	code, out, errOut = runSchemactl(t, env, "apply", "--dir", v2)
	if code != 3 || !strings.Contains(errOut, "DROP COLUMN note") {
		t.Fatalf("destructive apply: code %d\n%s\n%s", code, out, errOut)
	}
	var note string
	if err := conn.QueryRow(context.Background(), "SELECT note FROM orders WHERE id = 1").Scan(&note); err != nil || note != "keep me" {
		t.Fatalf("blocked apply changed data: %q %v", note, err)
	}
	code, _, errOut = runSchemactl(t, env, "apply", "--dir", v2, "--allow-destructive")
	if code != 0 {
		t.Fatalf("apply --allow-destructive: code %d: %s", code, errOut)
	}

	// Errors: exit 1, with file:line, and never the password.
	bad := sqlDir(t, "CREATE TABLE x (id int);\nCREATE DATABASE evil;\n")
	code, _, errOut = runSchemactl(t, env, "plan", "--dir", bad)
	if code != 1 || !strings.Contains(errOut, "schema.sql:2") {
		t.Fatalf("rejected statement: code %d: %s", code, errOut)
	}
	code, out, errOut = runSchemactl(t, nil, "plan", "--dir", v1, "--url", "postgres://u:TopSecret42@127.0.0.1:1/x?connect_timeout=2")
	if code != 1 || strings.Contains(out+errOut, "TopSecret42") {
		t.Fatalf("unreachable database: code %d, output %q %q", code, out, errOut)
	}
	code, _, errOut = runSchemactl(t, nil, "plan", "--dir", v1)
	if code != 1 || !strings.Contains(errOut, "SCHEMACTL_URL") {
		t.Fatalf("no URL: code %d: %s", code, errOut)
	}
}

// TestLocalPlanApply_privilegedTargetWarns: plan and apply against a superuser
// target warn on stderr and report the privilege in -o json; against a role that
// only owns its database (the scratch load on another, superuser, URL) they do not.
func TestLocalPlanApply_privilegedTargetWarns(t *testing.T) {
	srv := pgtest.NewServer(t)
	owner := srv.NewRole(t, "")
	url := srv.NewDatabase(t)
	ownedURL := srv.NewDatabase(t)
	conn, err := pgx.Connect(context.Background(), srv.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	u, err := neturl.Parse(ownedURL)
	if err != nil {
		t.Fatal(err)
	}
	dbname := strings.TrimPrefix(u.Path, "/")
	if _, err := conn.Exec(context.Background(), "ALTER DATABASE "+pgx.Identifier{dbname}.Sanitize()+" OWNER TO "+pgx.Identifier{owner}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	dir := sqlDir(t, "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n")
	const warning = `warning: role "%s" applies the plan with dangerous privileges: SUPERUSER: bypasses every permission check`

	type jsonOut struct {
		TargetRole          string `json:"targetRole"`
		DangerousPrivileges []struct {
			Name string `json:"name"`
			Risk string `json:"risk"`
		} `json:"dangerousPrivileges"`
	}
	for _, tc := range []struct {
		name, url, role string
		dangerous       bool
	}{
		{name: "superuser", url: url, role: pgtest.Superuser, dangerous: true},
		{name: "owner only", url: pgtest.URLAs(t, ownedURL, owner), role: owner},
	} {
		env := []string{"SCHEMACTL_URL=" + tc.url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
		want := strings.Replace(warning, "%s", tc.role, 1)
		code, out, errOut := runSchemactl(t, env, "plan", "--dir", dir)
		if code != 2 || strings.Contains(errOut, want) != tc.dangerous || (!tc.dangerous && strings.Contains(errOut, "dangerous")) {
			t.Errorf("%s: plan: code %d\n%s\n%s", tc.name, code, out, errOut)
		}
		code, out, errOut = runSchemactl(t, env, "plan", "--dir", dir, "-o", "json")
		var j jsonOut
		if err := json.Unmarshal([]byte(out), &j); code != 2 || err != nil {
			t.Fatalf("%s: plan -o json: code %d %v\n%s\n%s", tc.name, code, err, out, errOut)
		}
		if j.TargetRole != tc.role || j.DangerousPrivileges == nil {
			t.Errorf("%s: plan -o json: targetRole %q, dangerousPrivileges %v", tc.name, j.TargetRole, j.DangerousPrivileges)
		}
		if tc.dangerous && (len(j.DangerousPrivileges) != 1 || j.DangerousPrivileges[0].Name != "SUPERUSER" || j.DangerousPrivileges[0].Risk == "") {
			t.Errorf("%s: dangerousPrivileges %+v", tc.name, j.DangerousPrivileges)
		}
		if !tc.dangerous && len(j.DangerousPrivileges) != 0 {
			t.Errorf("%s: dangerousPrivileges %+v", tc.name, j.DangerousPrivileges)
		}
		code, out, errOut = runSchemactl(t, env, "apply", "--dir", dir)
		if code != 0 || !strings.Contains(out, "applied plan") || strings.Contains(errOut, want) != tc.dangerous || (!tc.dangerous && strings.Contains(errOut, "dangerous")) {
			t.Errorf("%s: apply: code %d\n%s\n%s", tc.name, code, out, errOut)
		}
	}
}

// TestLocalPlan_notValidNote: a check validated in the database that Git declares
// NOT VALID is kept (in sync, exit 0) and said so, in the text plan and in -o json.
func TestLocalPlan_notValidNote(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(context.Background(), "CREATE TABLE public.t (n int CONSTRAINT n_pos CHECK (n > 0))"); err != nil {
		t.Fatal(err)
	}
	dir := sqlDir(t, "CREATE TABLE public.t (n int);\nALTER TABLE public.t ADD CONSTRAINT n_pos CHECK (n > 0) NOT VALID;\n")
	const note = "constraint n_pos on public.t: validated in the database; Git says NOT VALID: kept"
	code, out, errOut := runSchemactl(t, env, "plan", "--dir", dir)
	if code != 0 || !strings.Contains(out, "-- in sync") || !strings.Contains(out, "-- note: "+note) {
		t.Fatalf("plan: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, "plan", "--dir", dir, "-o", "json")
	var j struct {
		InSync bool `json:"inSync"`
		Notes  []struct {
			Object string `json:"object"`
			Change string `json:"change"`
		} `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &j); code != 0 || err != nil || !j.InSync || len(j.Notes) != 1 || j.Notes[0].Object+": "+j.Notes[0].Change != note {
		t.Fatalf("plan -o json: code %d %v\n%s\n%s", code, err, out, errOut)
	}
}

// migrationDir copies a migration folder of drift/migrate/testdata into a
// temporary one the test may add files to.
func migrationDir(t *testing.T, layout string) string {
	t.Helper()
	src := filepath.Join("..", "..", "drift", "migrate", "testdata", layout)
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestLocalMigrations_exitCodes drives `schemactl plan|apply --format migrations`
// and `schemactl migrations status` against a real database: plan 2 while a
// migration is pending, 0 when applied and in sync, 2 on drift, 1 for a changed
// migration; apply 0, 3 for a destructive pending set (nothing applied), 0 with
// --approve of the plan's id, 1 for a changed migration.
func TestLocalMigrations_exitCodes(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	dir := migrationDir(t, "dbmate")
	mig := func(args ...string) []string { return append(args, "--format", "migrations", "--dir", dir) }

	code, out, errOut := runSchemactl(t, env, mig("plan")...)
	if code != 2 || !strings.Contains(out, "-- migrations (dbmate): 0 applied, 3 pending") || !strings.Contains(out, "without a transaction") {
		t.Fatalf("plan with pending migrations: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, mig("apply")...)
	if code != 0 || strings.Count(out, "-- applied ") != 3 || !strings.Contains(out, "-- no drift") {
		t.Fatalf("apply: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, mig("plan")...)
	if code != 0 || !strings.Contains(out, "3 applied, 0 pending") {
		t.Fatalf("plan in sync: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, "migrations", "status", "--dir", dir)
	if code != 0 || strings.Count(out, " applied ") != 3 {
		t.Fatalf("migrations status: code %d\n%s\n%s", code, out, errOut)
	}

	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(t.Context(), "ALTER TABLE users ADD COLUMN nickname text"); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runSchemactl(t, env, mig("plan")...)
	if code != 2 || !strings.Contains(out, "column public.users.nickname: ") || !strings.Contains(out, "(last touched by 20240101120000_create_users.sql)") {
		t.Fatalf("plan with drift: code %d\n%s\n%s", code, out, errOut)
	}
	if _, err := conn.Exec(t.Context(), "ALTER TABLE users DROP COLUMN nickname"); err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(filepath.Join(dir, "20240104120000_drop_email.sql"), []byte("-- migrate:up\nALTER TABLE users DROP COLUMN email;\n-- migrate:down\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runSchemactl(t, env, mig("plan", "-o", "json")...)
	var j struct {
		PlanID      string `json:"planId"`
		Destructive []struct {
			Position string `json:"position"`
		} `json:"destructive"`
	}
	if code != 2 || json.Unmarshal([]byte(out), &j) != nil || !strings.HasPrefix(j.PlanID, "sha256:") || len(j.Destructive) != 1 || j.Destructive[0].Position != "20240104120000_drop_email.sql:2" {
		t.Fatalf("plan -o json: code %d: %s", code, out)
	}
	code, out, errOut = runSchemactl(t, env, mig("apply")...)
	if code != 3 || !strings.Contains(errOut, "--approve "+j.PlanID) {
		t.Fatalf("destructive apply: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runSchemactl(t, env, mig("apply", "--approve", j.PlanID)...)
	if code != 0 || !strings.Contains(out, "-- applied 20240104120000 (20240104120000_drop_email.sql)") {
		t.Fatalf("approved apply: code %d\n%s\n%s", code, out, errOut)
	}

	if err := os.WriteFile(filepath.Join(dir, "20240101120000_create_users.sql"), []byte("-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"plan", "apply"} {
		code, out, errOut = runSchemactl(t, env, mig(cmd)...)
		if code != 1 || !strings.Contains(errOut, "20240101120000_create_users.sql: migration 20240101120000 was applied") {
			t.Fatalf("%s with a changed migration: code %d\n%s\n%s", cmd, code, out, errOut)
		}
	}
	code, out, _ = runSchemactl(t, env, "migrations", "status", "--dir", dir)
	if code != 0 || !strings.Contains(out, "changed") {
		t.Fatalf("migrations status of a changed migration: code %d\n%s", code, out)
	}
}

// TestLocalPlan_untrustedExtensionHint: an extension PostgreSQL does not trust
// (dblink) is refused with file:line; the engine states the fact, the CLI adds
// how to allow it with its own flag, and with the flag the plan creates it.
func TestLocalPlan_untrustedExtensionHint(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	dir := sqlDir(t, "CREATE TABLE t (id int);\nCREATE EXTENSION dblink;\n")
	code, out, errOut := runSchemactl(t, env, "plan", "--dir", dir)
	if code != 1 || !strings.Contains(errOut, `schema.sql:2: extension "dblink"`) ||
		!strings.Contains(errOut, "hint: allow it with --allow-extension dblink, or install it in the target database first") {
		t.Fatalf("plan: code %d\n%s\n%s", code, out, errOut)
	}
	if strings.Count(errOut, "--allow-extension") != 1 || strings.Contains(errOut, "spec.allowedExtensions") {
		t.Errorf("the hint is the CLI's alone:\n%s", errOut)
	}
	code, out, errOut = runSchemactl(t, env, "plan", "--dir", dir, "--allow-extension", "dblink")
	if code != 2 || !strings.Contains(out, "CREATE EXTENSION IF NOT EXISTS dblink") {
		t.Fatalf("plan --allow-extension dblink: code %d\n%s\n%s", code, out, errOut)
	}
}
