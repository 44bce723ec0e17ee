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
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/schemactl/schema-controller/internal/cli"
)

// The exit codes of schemactl mean something (2: changes pending, 3: blocked),
// but the Go runtime exits with 2 on an unrecovered panic and on a fatal signal
// (a crash in C code, say), and a process killed by a signal has no code at
// all. So schemactl runs as two processes: a thin supervisor, which starts the
// same binary as the worker with the same arguments, standard streams and
// environment, and forwards SIGINT, SIGTERM and SIGHUP to it; the worker writes
// its exit code to a pipe just before it exits. The supervisor exits with that
// code when the worker wrote it and then exited with it, and with 1 (after
// saying so) otherwise: a crash never looks like "in sync" or "changes pending".
// The worker dies with the supervisor: killing schemactl with SIGKILL stops the
// command, as it would without the supervisor.

// supervisedEnv marks the worker; its value is the file descriptor of the exit
// code pipe.
const supervisedEnv = "SCHEMACTL_SUPERVISED"

// exitPipe is the worker's end of the exit code pipe, nil when unsupervised.
var exitPipe *os.File

// supervise runs the worker and returns the supervisor's exit code, or returns
// false in the worker (and when the worker cannot be started: the command then
// runs unsupervised in this process).
func supervise() (int, bool) {
	if v, ok := os.LookupEnv(supervisedEnv); ok {
		_ = os.Unsetenv(supervisedEnv)
		if v == "3" {
			exitPipe = os.NewFile(3, "exit-code")
		}
		watchSupervisor()
		return 0, false
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, false
	}
	cmd := exec.Command(exe, os.Args[1:]...) //nolint:gosec,noctx // G204/G702: this binary with its own arguments; the worker lives as long as the supervisor, which forwards signals instead of cancelling
	cmd.Args[0] = os.Args[0]
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{w}
	cmd.Env = append(os.Environ(), supervisedEnv+"=3")
	// The worker dies with the supervisor (workerSysProcAttr): on Linux, when
	// the thread that started it ends; this goroutine keeps that thread until
	// the process exits.
	cmd.SysProcAttr = workerSysProcAttr()
	runtime.LockOSThread()
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	if err := cmd.Start(); err != nil {
		signal.Stop(sigs)
		_ = r.Close()
		_ = w.Close()
		return 0, false
	}
	_ = w.Close()
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	reported := make(chan int, 1)
	go func() {
		var b [1]byte
		if n, err := io.ReadFull(r, b[:]); n == 1 && err == nil {
			reported <- int(b[0])
		}
		close(reported)
	}()
	err = cmd.Wait()
	signal.Stop(sigs)
	code, wrote := <-reported
	_ = r.Close()
	return supervisorExit(err, code, wrote, os.Stderr), true
}

// supervisorExit maps how the worker ended to the supervisor's exit code.
func supervisorExit(waitErr error, code int, wrote bool, stderr io.Writer) int {
	status := 0
	var ee *exec.ExitError
	switch {
	case waitErr == nil:
	case errors.As(waitErr, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			sig := ws.Signal()
			switch sig {
			case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGPIPE:
				// Interrupted or its output closed: nothing to add.
			default:
				_, _ = fmt.Fprintf(stderr, "Error: schemactl was killed by signal %d (%s)\n", int(sig), sig)
			}
			return 128 + int(sig)
		}
		status = ee.ExitCode()
	default:
		_, _ = fmt.Fprintf(stderr, "Error: schemactl: waiting for the command: %v\n", waitErr)
		return cli.ExitFailure
	}
	if wrote && code == status {
		return status
	}
	_, _ = fmt.Fprintf(stderr, "Error: schemactl crashed (exit status %d); this is a bug, please report it with the output above\n", status)
	return cli.ExitFailure
}

// exit reports code to the supervisor, if any, and exits with it.
func exit(code int) {
	if exitPipe != nil {
		_, _ = exitPipe.Write([]byte{byte(code)}) // #nosec G115 -- exit codes are 0..255
	}
	os.Exit(code)
}
