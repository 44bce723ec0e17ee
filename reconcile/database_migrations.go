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
	"slices"
	"strings"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/connstr"
)

// reconcileMigrations takes the place of reconcileDesired for a Database of format
// Migrations. It connects, reads the migration folder of the revision and applies
// its pending migrations (drift.ApplyMigrationsOn: advisory lock, lock_timeout, a
// transaction per migration, other tools' history adopted) unless the history
// read without the lock has nothing to apply, adopt or refuse, then replays the
// applied migrations into a scratch database (cached per applied set) as the
// desired model of the drift check that the next steps run as for a declarative
// schema (driftPolicy Report by default).
//
// It stalls with MigrationsRefused on a changed, dirty or out-of-order migration and
// with InvalidSQL on a malformed folder (both name the file); it sets Ready=False
// DestructiveBlocked and status.plan, emits DestructiveBlocked once per pending set
// and ends the pass (run.done) when the pending set has destructive statements that
// are neither allowed nor approved (spec.approvedPlan = status.plan.id); it ends the
// pass with OutsideApplyWindow while migrations are pending outside the apply
// window. A failed migration is transient (ApplyFailed, with its file:line and an
// event); so is an unreachable database or scratch server. It emits Applied with the
// migrations that ran and sets status.lastApplied and lastAppliedRevision.
func (r *DatabaseReconciler) reconcileMigrations(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	conn := run.conn
	run.opts = engineOptions(obj, run)
	layout, err := drift.ParseMigrationLayout(obj.GetMigrationsLayout())
	if err != nil {
		return stall(v1alpha1.InvalidSQLReason, "%v", err)
	}
	dir, err := drift.ReadMigrations(run.dir, layout)
	if err != nil {
		return stall(v1alpha1.InvalidSQLReason, "revision %s: %v", run.revision, err)
	}
	mo := drift.MigrationOptions{Options: run.opts, Layout: dir.Layout, ApprovedID: obj.Spec.ApprovedPlan, Cache: r.Cache}
	mo.AllowDestructive = obj.Spec.AllowDestructive
	if m := obj.Spec.Migrations; m != nil {
		mo.AllowOutOfOrder = m.AllowOutOfOrder
	}
	before, err := drift.MigrationStatusOf(ctx, conn, dir)
	if err != nil {
		return transient(v1alpha1.InspectFailedReason, err)
	}
	if w := obj.Spec.ApplyWindow; w != nil && len(before.Pending) > 0 {
		open, next, err := windowState(w, r.now())
		if err != nil {
			return stall(v1alpha1.InvalidApplyWindowReason, "applyWindow: %v", err)
		}
		if !open {
			conditions.MarkFalse(obj, meta.ReadyCondition, v1alpha1.OutsideApplyWindowReason, "%d migration(s) pending; outside the apply window, next window opens at %s",
				len(before.Pending), next.UTC().Format(time.RFC3339))
			run.done = true
			return nil
		}
	}
	// Nothing to apply (most passes): no lock, and the history read once.
	res := &drift.MigrationResult{Dir: dir, Status: before}
	started := time.Now()
	if !drift.MigrationsUpToDate(before, mo) {
		res, err = drift.ApplyMigrationsOn(ctx, conn, dir, mo)
	}
	if len(res.Ran) > 0 || err != nil && !drift.IsBlocked(err) && !drift.IsMigrationStalled(err) {
		applyDuration.WithLabelValues(obj.Namespace, obj.Name).Observe(time.Since(started).Seconds())
	}
	if len(res.Ran) > 0 {
		r.migrationsApplied(obj, run, res, time.Since(started), err == nil)
	}
	switch {
	case err == nil:
	case drift.IsBlocked(err):
		r.migrationsBlocked(obj, run, res)
		run.done = true
		return nil
	case drift.IsMigrationStalled(err):
		return stall(v1alpha1.MigrationsRefusedReason, "revision %s: %v", run.revision, err)
	default:
		applies.WithLabelValues(obj.Namespace, obj.Name, "failure").Inc()
		msg := fmt.Sprintf("applying the migrations of revision %s failed: %v", run.revision, err)
		// One event per failure, not one per retry of the same failure.
		var failed *drift.MigrationExecError
		if errors.As(err, &failed) && conditions.GetMessage(obj, meta.ReadyCondition) != msg {
			r.event(obj, run, corev1.EventTypeWarning, v1alpha1.ApplyFailedReason, msg, nil)
		}
		return transient(v1alpha1.ApplyFailedReason, errors.New(msg))
	}
	if len(res.Ran) == 0 && obj.Status.LastAppliedRevision != run.revision {
		// Nothing was pending: the database already holds this revision.
		obj.Status.LastAppliedRevision = run.revision
	}
	obj.Status.Plan = nil
	after := res.Status
	if len(res.Ran) > 0 || len(res.Status.Adopt) > 0 {
		if after, err = drift.MigrationStatusOf(ctx, conn, dir); err != nil {
			return transient(v1alpha1.InspectFailedReason, err)
		}
	}
	run.migrations = after
	run.opts.Exclude = slices.Concat(run.opts.Exclude, drift.MigrationHistoryTables(after))
	desired, warnings, err := drift.ReplayMigrations(ctx, conn, after, mo)
	if err != nil {
		if drift.IsInvalidSQL(err) {
			return stall(v1alpha1.InvalidSQLReason, "revision %s: replaying the applied migrations: %v", run.revision, err)
		}
		reason := v1alpha1.LoadFailedReason
		var unreachable *connstr.Error
		if errors.As(err, &unreachable) {
			reason = v1alpha1.ScratchUnavailableReason
		}
		return transient(reason, fmt.Errorf("replaying the applied migrations of %s: %w", run.revision, err))
	}
	run.desired, run.warnings = desired, warnings
	return nil
}

// migrationsApplied records the migrations an apply ran: status.lastApplied, the
// metrics and an Applied event naming them, and the revision when every pending
// migration ran (complete).
func (r *DatabaseReconciler) migrationsApplied(obj *v1alpha1.Database, run *dbRun, res *drift.MigrationResult, d time.Duration, complete bool) {
	applies.WithLabelValues(obj.Namespace, obj.Name, "success").Inc()
	n := 0
	files := make([]string, len(res.Ran))
	for i, m := range res.Ran {
		n += len(m.Migration.Statements)
		files[i] = m.Migration.File
	}
	obj.Status.LastApplied = &v1alpha1.AppliedPlan{PlanID: res.PlanID, Revision: run.revision, At: metav1.NewTime(r.now()),
		Duration: &metav1.Duration{Duration: d}, Statements: count32(n)}
	if complete {
		obj.Status.LastAppliedRevision = run.revision
	}
	reason, msg := v1alpha1.AppliedReason, fmt.Sprintf("revision %s: %d migration(s) applied: %s", run.revision, len(res.Ran), strings.Join(files, ", "))
	if obj.Spec.ApprovedPlan != "" && obj.Spec.ApprovedPlan == res.PlanID && len(res.Destructive) > 0 {
		reason, msg = v1alpha1.ApprovalAppliedReason, fmt.Sprintf("approved migrations %s applied: %s", res.PlanID, strings.Join(files, ", "))
	}
	r.event(obj, run, corev1.EventTypeNormal, reason, msg, map[string]string{v1alpha1.StatementsAnnotation: fmt.Sprint(n)})
}

// migrationsBlocked sets Ready=False DestructiveBlocked with the id that approves
// the pending set, and status.plan with its destructive statements.
func (r *DatabaseReconciler) migrationsBlocked(obj *v1alpha1.Database, run *dbRun, res *drift.MigrationResult) {
	alreadyBlocked := hasBlockedEvent(obj, res.PlanID)
	n := 0
	for _, m := range res.Status.Pending {
		n += len(m.Statements)
	}
	pp := &v1alpha1.PendingPlan{ID: res.PlanID, Revision: run.revision, Statements: count32(n), Destructive: true}
	for i, f := range res.Destructive {
		if i == v1alpha1.MaxPlanSQL-1 && len(res.Destructive) > v1alpha1.MaxPlanSQL {
			pp.SQL = append(pp.SQL, fmt.Sprintf("-- … and %d more statement(s)", len(res.Destructive)-i))
			break
		}
		pp.SQL = append(pp.SQL, fmt.Sprintf("-- %s: %s\n%s", f.Position, f.Reason, f.SQL))
	}
	obj.Status.Plan = pp
	msg := fmt.Sprintf("pending migrations %s are blocked: %d destructive statement(s) (%s) and allowDestructive is false; approve them: %s",
		res.PlanID, len(res.Destructive), res.Destructive[0].Position+": "+res.Destructive[0].Reason, approveCommand(obj, res.PlanID))
	conditions.MarkFalse(obj, meta.ReadyCondition, v1alpha1.DestructiveBlockedReason, "%s", msg)
	if !alreadyBlocked {
		r.event(obj, run, corev1.EventTypeWarning, v1alpha1.DestructiveBlockedReason, msg, map[string]string{
			v1alpha1.ApproveCommandAnnotation: approveCommand(obj, res.PlanID),
		})
	}
}
