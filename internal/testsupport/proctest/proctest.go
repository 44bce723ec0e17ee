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

// Package proctest runs the binaries of end-to-end tests (the agent, schemactl,
// Flux's controllers) as processes: built from this module, started with their
// output kept, killed on purpose, stopped when the test ends.
package proctest

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Buffer is an output sink a process writes while the test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Tail returns the last lines of s.
func Tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// Process is one running binary.
type Process struct {
	// Name names the process in messages.
	Name string
	// Cmd is the command.
	Cmd *exec.Cmd
	// Out is its stdout and stderr.
	Out Buffer
	// Started is when it was started.
	Started time.Time

	done chan struct{}
	err  error // set when done is closed
}

// Options configure Start.
type Options struct {
	// Name names the process in messages; the binary's base name when empty.
	Name string
	// Env is added to the test's environment.
	Env []string
	// Graceful stops the process at the end of the test with SIGINT, then
	// SIGKILL after 10s; without it the process is killed at once.
	Graceful bool
	// LogOnFailure logs the end of the output when the test failed.
	LogOnFailure bool
}

// Start starts bin with args. The process is stopped when the test ends.
func Start(t testing.TB, o Options, bin string, args ...string) *Process {
	t.Helper()
	name := o.Name
	if name == "" {
		name = filepath.Base(bin)
	}
	p := &Process{Name: name, Started: time.Now(), done: make(chan struct{})}
	p.Cmd = exec.Command(bin, args...) //nolint:noctx,gosec // a test binary the test names; stopped by signal, on purpose or in the cleanup, not by a context
	if len(o.Env) > 0 {
		p.Cmd.Env = append(os.Environ(), o.Env...)
	}
	p.Cmd.Stdout, p.Cmd.Stderr = &p.Out, &p.Out
	if err := p.Cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		p.err = p.Cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		if o.Graceful {
			_ = p.Cmd.Process.Signal(os.Interrupt)
			select {
			case <-p.done:
			case <-time.After(10 * time.Second):
			}
		}
		_ = p.Cmd.Process.Kill()
		<-p.done
		if o.LogOnFailure && t.Failed() {
			t.Logf("--- %s output:\n%s", name, Tail(p.Out.String(), 200))
		}
	})
	return p
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is the process's exit error; valid once Done is closed.
func (p *Process) Err() error { return p.err }

// Exited tells whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Check returns an error when the process has exited.
func (p *Process) Check() error {
	select {
	case <-p.done:
		if p.err == nil {
			return fmt.Errorf("%s exited", p.Name)
		}
		return fmt.Errorf("%s exited: %w", p.Name, p.err)
	default:
		return nil
	}
}

// Kill sends SIGKILL and waits for the process's end; it reports whether the
// signal ended it (false: it had exited by itself).
func (p *Process) Kill(t testing.TB) bool {
	t.Helper()
	if err := p.Cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("SIGKILL %s: %v", p.Name, err)
	}
	<-p.done
	ee := (*exec.ExitError)(nil)
	if !errors.As(p.err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// Wait waits at most patience for the process's end and returns its exit code;
// a process still running then is killed and fails the test.
func (p *Process) Wait(t testing.TB, patience time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(patience):
		_ = p.Cmd.Process.Kill()
		t.Fatalf("%s did not finish within %s:\n%s", p.Name, patience, p.Out.String())
	}
	return ExitCode(p.err)
}

// WaitReady polls http://addr/readyz until it answers 200, failing the test when
// the process exits first or patience passes.
func (p *Process) WaitReady(t testing.TB, addr string, patience time.Duration) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for {
		select {
		case <-p.done:
			t.Fatalf("%s exited: %v\n%s", p.Name, p.err, Tail(p.Out.String(), 100))
		default:
		}
		resp, err := http.Get("http://" + addr + "/readyz") //nolint:noctx // a short poll of a local process
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready at %s within %s: %v\n%s", p.Name, addr, patience, err, Tail(p.Out.String(), 100))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// ExitCode is the exit code of a process's Wait error: -1 when it did not exit
// normally.
func ExitCode(err error) int {
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// Build builds the command pkg of this module (e.g. "cmd/schemactl") into the
// test's temporary folder and returns the binary's path.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/schemactl/schema-controller/"+pkg) //nolint:gosec // a package of this module the test names
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return bin
}
