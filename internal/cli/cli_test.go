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
	"errors"
	"fmt"
	"testing"

	"github.com/schemactl/schema-controller/internal/cli"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantMsg  string
	}{
		{"nil", nil, cli.ExitOK, ""},
		{"plain", errors.New("boom"), cli.ExitFailure, "boom"},
		{"code without message", cli.WithExitCode(cli.ExitChanges, nil), cli.ExitChanges, ""},
		{"code with message", cli.WithExitCode(4, errors.New("locked")), 4, "locked"},
		{"wrapped", fmt.Errorf("planning: %w", cli.WithExitCode(cli.ExitChanges, errors.New("2 statements"))), cli.ExitChanges, "planning: 2 statements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cli.ExitCode(tt.err); got != tt.wantCode {
				t.Errorf("ExitCode = %d, want %d", got, tt.wantCode)
			}
			if got := cli.Message(tt.err); got != tt.wantMsg {
				t.Errorf("Message = %q, want %q", got, tt.wantMsg)
			}
		})
	}
}

func TestExitError_unwrap(t *testing.T) {
	inner := errors.New("inner")
	if !errors.Is(cli.WithExitCode(2, inner), inner) {
		t.Error("errors.Is does not see through ExitError")
	}
}
