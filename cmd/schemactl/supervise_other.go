//go:build !linux

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
	"syscall"
	"time"

	"github.com/schemactl/schema-controller/internal/cli"
)

func workerSysProcAttr() *syscall.SysProcAttr { return nil }

// watchSupervisor ends the worker when the supervisor is gone (the worker
// then has another parent): a supervisor killed with SIGKILL must not leave
// its worker changing the database in the background.
func watchSupervisor() {
	ppid := os.Getppid()
	go func() {
		for {
			time.Sleep(time.Second)
			if os.Getppid() != ppid {
				os.Exit(cli.ExitFailure)
			}
		}
	}()
}
