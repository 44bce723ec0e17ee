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
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/patch"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// frame is what every controller of this package runs in, after Flux's summarize
// helper: load the object, defer the summary (outcome to conditions, observed
// generation, status patch, metrics, events), handle deletion, the finalizer and
// suspension, then run the kind's own steps.
type frame struct {
	client.Client
	events.Recorder
	helper.Metrics

	// owner is the field owner of the patches.
	owner string
	// owned are the conditions this controller owns: a patch overwrites them.
	owned []string
	// readyEvents emits an event each time Ready changes status or reason (the
	// alert kinds, whose other steps emit none).
	readyEvents bool
	// metricConditions are recorded in gotk_reconcile_condition besides Ready and
	// Stalled (Drifted of a Database, FetchFailed of a SchemaRepository), for the
	// alerts of config/monitoring.
	metricConditions []string
}

// status is where an object of any kind keeps what the frame writes and reads.
type status struct {
	observedGeneration *int64
	requests           *meta.ReconcileRequestStatus
	suspended          bool
}

// steps are the parts of a reconcile that differ by kind; all but reconcile may be
// nil.
type steps struct {
	// reconcile runs the kind's steps; its error is sorted by outcome.
	reconcile func(ctx context.Context, patcher *patch.SerialPatcher) (ctrl.Result, error)
	// cleanup runs when the object is deleted, before its finalizer goes; an
	// error keeps the finalizer and is retried.
	cleanup func(ctx context.Context) error
	// after runs once the status is patched (or the object is gone): the kind's
	// own metrics.
	after func(ctx context.Context)
}

// run is Reconcile for every kind, obj being freshly read (client.IgnoreNotFound
// is the caller's). The one finalizer policy: the finalizer is patched at once,
// before any work, and the pass goes on; on deletion the kind's cleanup runs, then
// the finalizer goes. Nothing of the database is ever dropped.
func (f *frame) run(ctx context.Context, obj conditions.Setter, st status, s steps) (result ctrl.Result, retErr error) {
	start := time.Now()
	patcher := patch.NewSerialPatcher(obj, f.Client)
	defer func() {
		result, retErr = f.summarize(ctx, obj, st, patcher, result, retErr)
		if s.after != nil {
			s.after(ctx)
		}
		f.Metrics.RecordDuration(ctx, obj, start)
	}()
	if !obj.GetDeletionTimestamp().IsZero() {
		if s.cleanup != nil {
			if err := s.cleanup(ctx); err != nil {
				return ctrl.Result{}, err
			}
		}
		controllerutil.RemoveFinalizer(obj, v1alpha1.Finalizer)
		return ctrl.Result{}, nil
	}
	if !controllerutil.ContainsFinalizer(obj, v1alpha1.Finalizer) {
		controllerutil.AddFinalizer(obj, v1alpha1.Finalizer)
		if err := patcher.Patch(ctx, obj, patch.WithFieldOwner(f.owner)); err != nil {
			return ctrl.Result{}, fmt.Errorf("adding the finalizer: %w", err)
		}
	}
	if st.suspended {
		ctrl.LoggerFrom(ctx).Info("reconciliation is suspended for this object")
		return ctrl.Result{}, nil
	}
	return s.reconcile(ctx, patcher)
}

// summarize records the handled reconcile request, sorts the outcome into
// conditions (outcome), advances observedGeneration when the generation was
// handled, patches the status with the owned conditions, and records the
// readiness and suspension metrics. A deleted object gets only its finalizer
// removal patched.
func (f *frame) summarize(ctx context.Context, obj conditions.Setter, st status, patcher *patch.SerialPatcher, result ctrl.Result, err error) (ctrl.Result, error) {
	if !obj.GetDeletionTimestamp().IsZero() {
		if perr := patcher.Patch(ctx, obj, patch.WithFieldOwner(f.owner)); perr != nil && !apierrors.IsNotFound(perr) {
			err = errors.Join(err, fmt.Errorf("removing the finalizer: %w", perr))
		}
		f.recordConditions(ctx, obj)
		return result, err
	}
	before := conditions.Get(obj, meta.ReadyCondition).DeepCopy()
	if v, ok := meta.ReconcileAnnotationValue(obj.GetAnnotations()); ok {
		st.requests.SetLastHandledReconcileRequest(v)
	}
	result, err, handled := outcome(obj, result, err)
	if handled {
		*st.observedGeneration = obj.GetGeneration()
	}
	if perr := f.patch(ctx, obj, patcher); perr != nil {
		if apierrors.IsNotFound(perr) {
			return result, err
		}
		return result, errors.Join(err, fmt.Errorf("patching status: %w", perr))
	}
	f.recordConditions(ctx, obj)
	f.Metrics.RecordSuspend(ctx, obj, st.suspended)
	if after := conditions.Get(obj, meta.ReadyCondition); f.readyEvents && f.Recorder != nil && after != nil &&
		(before == nil || before.Status != after.Status || before.Reason != after.Reason) {
		eventType := corev1.EventTypeNormal
		if after.Status != "True" {
			eventType = corev1.EventTypeWarning
		}
		f.Eventf(obj, nil, eventType, after.Reason, "Reconcile", "%s", after.Message)
	}
	return result, err
}

// recordConditions records Ready, Stalled and the kind's metricConditions in
// gotk_reconcile_condition, or deletes them once obj is deleted.
func (f *frame) recordConditions(ctx context.Context, obj conditions.Getter) {
	f.Metrics.RecordReadiness(ctx, obj)
	f.Metrics.RecordStalled(ctx, obj)
	for _, c := range f.metricConditions {
		if f.Metrics.IsDelete(obj) {
			f.Metrics.DeleteCondition(ctx, obj, c)
			continue
		}
		f.Metrics.RecordCondition(ctx, obj, c)
	}
}

// patch writes the status with the owned conditions: the summary's patch and the
// intermediate ones of the steps (Reconciling before a long step).
func (f *frame) patch(ctx context.Context, obj conditions.Setter, patcher *patch.SerialPatcher) error {
	return patcher.Patch(ctx, obj, patch.WithOwnedConditions{Conditions: f.owned}, patch.WithFieldOwner(f.owner))
}
