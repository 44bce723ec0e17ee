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

// Command schemactl is the command-line client of schema-controller: it
// inspects and drives Databases in a cluster, and runs the drift engine
// locally (plan, apply) so that a pull request can preview its plan in CI.
//
// This package only wires commands up; exit codes come from internal/cli.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/schemactl/schema-controller/internal/cli"
)

func main() {
	if code, ok := supervise(); ok {
		os.Exit(code)
	}
	testHook()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, newRootCmd(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	exit(code)
}

// execute runs root with args and returns the process exit code. A failing
// command's error is printed once, to stderr, without the usage text.
func execute(ctx context.Context, root *cobra.Command, args []string, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if msg := cli.Message(err); msg != "" {
		_, _ = fmt.Fprintln(stderr, "Error:", msg)
	}
	return cli.ExitCode(err)
}
