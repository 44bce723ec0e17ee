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
	"reflect"
	"syscall"
)

// sysProcAttr runs a server command as cred (nil: as ourselves) in its own process
// group, so a terminal's Ctrl-C reaches only the test process, which then stops
// the server in order. A postmaster also gets SIGQUIT (immediate shutdown) when
// the test process dies, so a crashed or timed-out test leaves no server running.
// Only some systems (Linux) have that parent-death signal; the field is set by
// name so that this file builds everywhere without build constraints.
func sysProcAttr(cred *syscall.Credential, postmaster bool) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	if postmaster {
		if f := reflect.ValueOf(a).Elem().FieldByName("Pdeathsig"); f.IsValid() && f.CanSet() {
			f.Set(reflect.ValueOf(syscall.SIGQUIT))
		}
	}
	return a
}
