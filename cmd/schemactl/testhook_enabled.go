//go:build schemactl_testhooks

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
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// testHook, only in binaries built with the schemactl_testhooks tag (the
// tests' own), makes the command crash as SCHEMACTL_TEST_CRASH says, to test
// the supervisor.
func testHook() {
	switch os.Getenv("SCHEMACTL_TEST_CRASH") {
	case "goroutine-panic":
		go func() { panic("test crash") }()
		time.Sleep(time.Minute)
	case "exit-2":
		os.Exit(2)
	case "wait-signal":
		// Says it is ready, then exits with 7 (through exit, reporting it)
		// on SIGTERM: the supervisor must pass the signal on.
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM)
		_, _ = os.Stdout.WriteString("ready\n")
		<-sigs
		exit(7)
	case "wait-forever":
		// Says its process id, then waits: the test kills the supervisor.
		_, _ = os.Stdout.WriteString("pid " + strconv.Itoa(os.Getpid()) + "\n")
		time.Sleep(time.Hour)
	case "sigkill":
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
	}
}
