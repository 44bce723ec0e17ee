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
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// buildHooked builds schemactl with its test hooks (SCHEMACTL_TEST_CRASH).
func buildHooked(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "schemactl")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-tags", "schemactl_testhooks", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building schemactl: %v\n%s", err, out)
	}
	return bin
}

// A crash of the command (an unrecovered panic in a goroutine, or a plain exit
// with 2 that did not come from the command's result) exits with 1 and says
// so, never with 2 ("changes pending"); a kill exits with 128+signal.
func TestSupervisor_crashIsNeverAnExitCodeWithMeaning(t *testing.T) {
	bin := buildHooked(t)
	for _, tt := range []struct {
		crash    string
		wantCode int
		wantErr  string
	}{
		{"goroutine-panic", 1, "schemactl crashed (exit status 2)"},
		{"exit-2", 1, "schemactl crashed (exit status 2)"},
		{"sigkill", 137, "killed by signal 9"},
		{"", 0, ""},
	} {
		cmd := exec.CommandContext(t.Context(), bin, "version", "--client")
		cmd.Env = append(os.Environ(), "SCHEMACTL_TEST_CRASH="+tt.crash)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tt.wantCode || !strings.Contains(errb.String(), tt.wantErr) {
			t.Errorf("crash %q: exit %d, stderr %q; want %d and %q", tt.crash, code, errb.String(), tt.wantCode, tt.wantErr)
		}
		if tt.crash == "" && out.String() != "client: dev\n" && !strings.HasPrefix(out.String(), "client: ") {
			t.Errorf("normal run: stdout %q", out.String())
		}
	}
}

// SIGTERM sent to schemactl reaches the command, whose own exit code comes
// back.
func TestSupervisor_forwardsSignals(t *testing.T) {
	bin := buildHooked(t)
	cmd := exec.CommandContext(t.Context(), bin, "version", "--client")
	cmd.Env = append(os.Environ(), "SCHEMACTL_TEST_CRASH=wait-signal")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("worker said %q, %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("SIGTERM did not reach the command")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 7 {
		t.Fatalf("exit %v, want the command's code 7", err)
	}
}

// A view whose expression is too deep for PostgreSQL's parser (it crashed the
// process with SIGSEGV and exit 2) makes `schemactl plan` fail with 1 and the
// statement's file:line.
func TestLocalPlan_deepStatement_exitsOneWithPosition(t *testing.T) {
	srv := pgtest.NewServer(t)
	url := srv.NewDatabase(t)
	env := []string{"SCHEMACTL_URL=" + url, "SCHEMACTL_SCRATCH_URL=" + srv.AdminURL()}
	dir := sqlDir(t, "CREATE TABLE t (a int);\n\nCREATE VIEW v AS SELECT "+strings.Repeat("1+", 50000)+"1;\n")
	code, out, errOut := runSchemactl(t, env, "plan", "--dir", dir)
	if code != 1 || !strings.Contains(errOut, "schema.sql:3:1: statement too large/deep to parse") || strings.Contains(errOut, "crashed") {
		t.Fatalf("plan: code %d\nstdout: %s\nstderr: %.2000s", code, out, errOut)
	}
}
