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
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/version"
)

func run(t *testing.T, root *cobra.Command, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(context.Background(), root, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExecute_version_printsVersion(t *testing.T) {
	old := version.Version
	version.Version = "v1.2.3-test"
	t.Cleanup(func() { version.Version = old })

	code, out, errOut := run(t, newRootCmd(), "version", "--client")
	if code != cli.ExitOK || out != "client: v1.2.3-test\n" || errOut != "" {
		t.Errorf("version: code %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestExecute_unknownCommand_failsWithoutUsage(t *testing.T) {
	code, out, errOut := run(t, newRootCmd(), "frobnicate")
	if code != cli.ExitFailure {
		t.Errorf("code = %d, want %d", code, cli.ExitFailure)
	}
	if !strings.Contains(errOut, `unknown command "frobnicate"`) || strings.Count(errOut, "Error:") != 1 {
		t.Errorf("stderr = %q, want the error once", errOut)
	}
	if out != "" {
		t.Errorf("stdout = %q, want nothing", out)
	}
}

func TestExecute_commandError_exitCodeAndNoUsage(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantCode   int
		wantStderr string
	}{
		{"plain error", errors.New("connecting: refused"), cli.ExitFailure, "Error: connecting: refused\n"},
		{"changes pending", cli.WithExitCode(cli.ExitChanges, nil), cli.ExitChanges, ""},
		{"wrapped exit code", errors.Join(cli.WithExitCode(3, errors.New("boom"))), 3, "Error: boom\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := newRootCmd()
			root.AddCommand(&cobra.Command{
				Use:  "fail",
				RunE: func(*cobra.Command, []string) error { return tt.err },
			})
			code, _, errOut := run(t, root, "fail")
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			if errOut != tt.wantStderr {
				t.Errorf("stderr = %q, want %q (no usage)", errOut, tt.wantStderr)
			}
		})
	}
}
