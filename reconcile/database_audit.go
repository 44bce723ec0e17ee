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
	"strings"

	"github.com/fluxcd/pkg/runtime/conditions"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
)

// reconcileAudit installs the DDL audit when spec.audit asks for it and it is
// missing. It sets AuditUnavailable=True when the role may not install it
// (a superuser is needed) and removes it otherwise; it emits one
// AuditNeedsSuperuser Warning event when the condition appears. The rest of the
// reconcile goes on either way. A failed read or install is transient.
func (r *DatabaseReconciler) reconcileAudit(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	if !obj.Spec.Audit {
		conditions.Delete(obj, v1alpha1.AuditUnavailableCondition)
		return nil
	}
	installed, err := drift.AuditInstalled(ctx, run.conn)
	if err != nil {
		return transient(v1alpha1.InspectFailedReason, err)
	}
	if !installed {
		err = drift.InstallAudit(ctx, run.conn, drift.AuditOptions{})
	}
	switch {
	case errors.Is(err, drift.ErrAuditNeedsSuperuser):
		msg := err.Error()
		if old := conditions.Get(obj, v1alpha1.AuditUnavailableCondition); old == nil || old.Status != metav1.ConditionTrue || old.Message != msg {
			r.event(obj, run, corev1.EventTypeWarning, v1alpha1.AuditNeedsSuperuserReason, msg, nil)
		}
		conditions.MarkTrue(obj, v1alpha1.AuditUnavailableCondition, v1alpha1.AuditNeedsSuperuserReason, "%s", msg)
		return nil
	case err != nil:
		return transient(v1alpha1.InspectFailedReason, err)
	}
	conditions.Delete(obj, v1alpha1.AuditUnavailableCondition)
	return nil
}

// attribute reads who made the drift of the plan from the DDL audit, when the
// database has one (installed by spec.audit or by a DBA). Attribution is an
// aid: a failure is logged and the report goes without it.
func (r *DatabaseReconciler) attribute(ctx context.Context, run *dbRun) {
	a, err := drift.Attribute(ctx, run.conn, run.plan.Changes)
	if err != nil {
		ctrl.LoggerFrom(ctx).Info("reading the DDL audit failed; the drift report has no attribution", "error", err.Error())
		return
	}
	run.attribution = a
}

// attribution is the status form of who changed object, or nil.
func attribution(run *dbRun, object string) *v1alpha1.DriftAttribution {
	a, ok := run.attribution[object]
	if !ok {
		return nil
	}
	stmt := a.Statement
	if len(stmt) > v1alpha1.MaxAttributionStatement {
		stmt = strings.ToValidUTF8(stmt[:v1alpha1.MaxAttributionStatement], "")
	}
	return &v1alpha1.DriftAttribution{At: metav1.NewTime(a.At), SessionUser: a.SessionUser, CurrentUser: a.CurrentUser,
		ClientAddr: a.ClientAddr, ApplicationName: a.ApplicationName, CommandTag: a.CommandTag, Statement: stmt}
}

// attributedSummary is summarize with who made each change, for the
// DriftDetected event.
func attributedSummary(run *dbRun, ds []drift.Difference, n int) string {
	out := make([]drift.Difference, len(ds))
	for i, d := range ds {
		out[i] = d
		if a, ok := run.attribution[d.Object]; ok {
			out[i].Change = strings.SplitN(d.Change, "\n", 2)[0] + " (" + a.String() + ")"
		}
	}
	return summarize(out, n)
}
