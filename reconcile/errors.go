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

package reconcile

import (
	"fmt"
	"time"
)

// The three classes of reconcile failures every controller of this package sorts its
// errors into (see STYLE.md): stalling (the user must act; not retried), waiting (a
// dependency is not ready or a window is closed; requeued, not an error) and transient
// (retried with backoff).

// stallingError is an error a retry cannot fix: the user must act.
type stallingError struct {
	reason string
	err    error
}

func (e *stallingError) Error() string { return e.err.Error() }
func (e *stallingError) Unwrap() error { return e.err }

func stall(reason string, format string, args ...any) error {
	return &stallingError{reason: reason, err: fmt.Errorf(format, args...)}
}

// transientError is an error retried with backoff; reason is its condition reason.
type transientError struct {
	reason string
	err    error
}

func (e *transientError) Error() string { return e.err.Error() }
func (e *transientError) Unwrap() error { return e.err }

func transient(reason string, err error) error { return &transientError{reason: reason, err: err} }

// waiting is a requeue that is not an error: a dependency or source not ready yet.
type waiting struct {
	reason, message string
	after           time.Duration
}

func (w *waiting) Error() string { return w.message }
