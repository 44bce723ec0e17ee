//go:build linux

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
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/cli"
)

// openPTY returns the two ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { _ = m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("naming the pseudo-terminal: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return m, s
}

// TestTerminal_colorsAndSpinner: on a terminal the output is colored and a
// wait draws a spinner in place; NO_COLOR keeps the spinner and drops the
// colors; on a pipe there are neither.
func TestTerminal_colorsAndSpinner(t *testing.T) {
	createGoldenObjects(t)
	master, tty := openPTY(t)
	var mu sync.Mutex
	var screen strings.Builder
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	read := func() string {
		time.Sleep(200 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		s := screen.String()
		screen.Reset()
		return s
	}

	g, out := globals(t, "shop")
	g.SetStreams(tty, tty)
	if !g.Color || !g.ErrColor || !g.ErrTerminal {
		t.Fatalf("on a terminal: color %v, stderr color %v, stderr terminal %v", g.Color, g.ErrColor, g.ErrTerminal)
	}
	mustRun(t, "get", out, cli.Get(context.Background(), g, cli.GetOptions{Output: cli.OutputTable}, []string{"databases"}))
	if s := read(); !strings.Contains(s, "\x1b[32mTrue\x1b[0m") {
		t.Errorf("get on a terminal is not colored: %q", s)
	}

	// A wait the agent never answers (the object is hidden from it).
	ns := newNamespace(t)
	createStatic(t, staticDatabase(ns, "hidden", v1alpha1.DatabaseStatus{}, true))
	t.Setenv("NO_COLOR", "1")
	g, _ = globals(t, ns)
	g.SetStreams(tty, tty)
	if g.Color || g.ErrColor || !g.ErrTerminal {
		t.Fatalf("NO_COLOR on a terminal: color %v, stderr color %v, stderr terminal %v", g.Color, g.ErrColor, g.ErrTerminal)
	}
	g.Timeout = 1500 * time.Millisecond
	err := cli.Resume(context.Background(), g, cli.ResumeOptions{Wait: true}, []string{"database", "hidden"})
	if err == nil || !strings.HasPrefix(err.Error(), "timed out after 1.5s") {
		t.Errorf("resume: %v", err)
	}
	s := read()
	if !strings.Contains(s, "\r\x1b[K⠋ Database "+ns+"/hidden: waiting for the agent") || !strings.HasSuffix(s, "\r\x1b[K") {
		t.Errorf("no spinner drawn and cleared: %q", s)
	}
	if strings.Contains(s, "\x1b[3") || strings.Contains(s, "\x1b[2m") {
		t.Errorf("colors despite NO_COLOR: %q", s)
	}

	g, out = globals(t, ns)
	g.SetStreams(io.Writer(out.out), out.err)
	if g.Color || g.ErrColor || g.ErrTerminal {
		t.Errorf("on a pipe: color %v, stderr color %v, stderr terminal %v", g.Color, g.ErrColor, g.ErrTerminal)
	}
}
