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
	"errors"
	"fmt"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	ctrl "sigs.k8s.io/controller-runtime"
)

// The three classes of reconcile failures every controller of this package sorts its
// errors into: stalling (the user must act; not retried), waiting (a dependency is
// not ready or a window is closed; requeued, not an error) and transient (retried
// with backoff). outcome turns them into conditions, in one place for every kind.

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

// stallErr is stall for an error that already says it all.
func stallErr(reason string, err error) error { return &stallingError{reason: reason, err: err} }

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

// outcome sorts the error of a pass into Ready, Reconciling and Stalled, and the
// result and error returned to controller-runtime:
//   - nil: Reconciling and Stalled go; Ready is what the steps set.
//   - stalling: Stalled=True and Ready=False with its reason; no requeue, no error
//     (a change of the object or of what it refers to triggers the next pass).
//   - waiting: Ready=False and Reconciling=True with its reason; requeued after its
//     delay, no error.
//   - transient or any other error: Ready=False with its reason (Failed for an error
//     of no class) and Reconciling=True (ProgressingWithRetry); the error is
//     returned, so controller-runtime retries with backoff.
//
// handled tells whether the pass handled the object's generation (success or
// stall), the one rule by which observedGeneration advances.
func outcome(obj conditions.Setter, result ctrl.Result, err error) (_ ctrl.Result, _ error, handled bool) {
	var (
		st   *stallingError
		wait *waiting
		tr   *transientError
	)
	switch {
	case err == nil:
		conditions.Delete(obj, meta.ReconcilingCondition)
		conditions.Delete(obj, meta.StalledCondition)
		return result, nil, true
	case errors.As(err, &st):
		conditions.MarkStalled(obj, st.reason, "%s", st.Error())
		conditions.MarkFalse(obj, meta.ReadyCondition, st.reason, "%s", st.Error())
		conditions.Delete(obj, meta.ReconcilingCondition)
		return ctrl.Result{}, nil, true
	case errors.As(err, &wait):
		conditions.Delete(obj, meta.StalledCondition)
		conditions.MarkFalse(obj, meta.ReadyCondition, wait.reason, "%s", wait.message)
		conditions.MarkReconciling(obj, wait.reason, "%s", wait.message)
		return ctrl.Result{RequeueAfter: wait.after}, nil, false
	}
	reason := meta.FailedReason
	if errors.As(err, &tr) {
		reason = tr.reason
	}
	conditions.Delete(obj, meta.StalledCondition)
	conditions.MarkFalse(obj, meta.ReadyCondition, reason, "%s", err.Error())
	conditions.MarkReconciling(obj, meta.ProgressingWithRetryReason, "retrying: %s", err.Error())
	return result, err, false
}
