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

	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
)

// recordAdopt puts the SQL that adopts the drift into Git in the drift report
// (status.drift.adoptSQL) when it fits MaxAdoptSQLBytes, and its size in any
// case. The adopt SQL is an aid: a failure to compute it is logged and leaves
// the field empty, it never fails the reconcile.
func (r *DatabaseReconciler) recordAdopt(ctx context.Context, obj *v1alpha1.Database, run *dbRun) {
	report := obj.Status.Drift
	if report == nil {
		return
	}
	report.AdoptSQL, report.AdoptSQLBytes = "", 0
	a, err := drift.AdoptFrom(ctx, run.conn, run.plan, run.desired, run.live, run.opts)
	if err != nil {
		ctrl.LoggerFrom(ctx).V(1).Info("computing the adopt SQL failed", "error", err.Error())
		return
	}
	sql := a.SQL()
	report.AdoptSQLBytes = count32(len(sql))
	if len(sql) <= v1alpha1.MaxAdoptSQLBytes {
		report.AdoptSQL = sql
	}
}
