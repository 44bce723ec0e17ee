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

package pgtest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"syscall"
	"testing"
)

func TestSweepClusters_removesDeadOwners(t *testing.T) {
	dead, err := os.MkdirTemp("", clusterPrefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dead) })
	// No process has pid 2^22+1 (above Linux's pid_max limit).
	if err := os.WriteFile(filepath.Join(dead, ownerFile), []byte("4194305 1"), 0o644); err != nil {
		t.Fatal(err)
	}
	alive, err := os.MkdirTemp("", clusterPrefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(alive) })
	if err := os.WriteFile(filepath.Join(alive, ownerFile), []byte(ownerToken()), 0o644); err != nil {
		t.Fatal(err)
	}

	sweepClusters()

	if _, err := os.Stat(dead); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover of a dead process not removed: %v", err)
	}
	if _, err := os.Stat(alive); err != nil {
		t.Errorf("directory of a live process removed: %v", err)
	}
}

func TestOwnerAlive(t *testing.T) {
	if !ownerAlive(ownerToken()) {
		t.Error("this process is not alive")
	}
	if ownerAlive("4194305 1") || ownerAlive("") || ownerAlive("garbage") {
		t.Error("a dead or malformed owner is alive")
	}
	if processStartTime(os.Getpid()) == 0 {
		t.Error("no start time for this process")
	}
}

func TestSysProcAttr_parentDeathSignal(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the parent-death signal exists on Linux only")
	}
	pdeathsig := func(a *syscall.SysProcAttr) any {
		return reflect.ValueOf(a).Elem().FieldByName("Pdeathsig").Interface()
	}
	if got := pdeathsig(sysProcAttr(nil, true)); got != syscall.SIGQUIT {
		t.Fatalf("Pdeathsig = %v, want SIGQUIT", got)
	}
	if got := pdeathsig(sysProcAttr(nil, false)); got != syscall.Signal(0) {
		t.Fatalf("Pdeathsig for a non-server command = %v, want none", got)
	}
}
