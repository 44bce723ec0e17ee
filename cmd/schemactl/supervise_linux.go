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

import "syscall"

// workerSysProcAttr makes the worker die with the supervisor: a supervisor
// killed with SIGKILL (by an operator, a CI timeout, the OOM killer) must not
// leave its worker changing the database in the background. The signal goes
// when the thread that started the worker ends, so supervise starts it from a
// thread locked to its goroutine for the life of the process.
func workerSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// watchSupervisor is not needed on Linux: the kernel kills the worker
// (workerSysProcAttr).
func watchSupervisor() {}
