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

// reconcileGraveyard purges the graveyard entries (tables and column values that
// soft drop kept, drift.Graveyard) older than the agent's --graveyard-retention,
// at every reconcile. It is housekeeping: a failure is logged, never fails the
// reconcile.
func (r *DatabaseReconciler) reconcileGraveyard(ctx context.Context, _ *v1alpha1.Database, run *dbRun) error {
	retention := r.GraveyardRetention
	if retention == 0 {
		retention = drift.DefaultGraveyardRetention
	}
	if retention < 0 || run.conn == nil {
		return nil
	}
	log := ctrl.LoggerFrom(ctx)
	gone, err := drift.PurgeGraveyard(ctx, run.conn, retention, "")
	for _, e := range gone {
		log.Info("purged a graveyard entry past the retention", "entry", e.Name, "kind", e.Kind, "original", e.Original(), "rows", e.Rows, "retention", retention.String())
	}
	if err != nil {
		log.Error(err, "purging the graveyard")
	}
	return nil
}
