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
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Database metrics, next to Flux's gotk_reconcile_duration_seconds and
// gotk_reconcile_condition recorded by the Metrics helper.
var (
	driftChanges = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "schemactl_database_drift_changes",
		Help: "Number of differences between the live database and the desired schema of its last applied revision (0 when in sync).",
	}, []string{"namespace", "name"})
	planStatements = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "schemactl_database_plan_statements",
		Help: "Number of statements of the pending plan of a database (0 when nothing is pending).",
	}, []string{"namespace", "name"})
	applies = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "schemactl_database_applies_total",
		Help: "Plans applied to databases, by result (success, failure).",
	}, []string{"namespace", "name", "result"})
	approvalPending = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "schemactl_database_approval_pending",
		Help: "1 while a destructive plan of a database waits for approval (Ready reason DestructiveBlocked or FirstRunDestructive), else 0.",
	}, []string{"namespace", "name"})
	applyDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "schemactl_database_apply_duration_seconds",
		Help: "Duration of one apply to a database: waiting for its advisory lock, planning again under it, the statements and the verification.",
		// 0.1 s to about 1 h.
		Buckets: prometheus.ExponentialBucketsRange(0.1, 3600, 12),
	}, []string{"namespace", "name"})
	desiredLoads = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "schemactl_desired_schema_loads_total",
		Help: "Desired schemas loaded into a scratch database (cache misses).",
	})
	driftChecks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "schemactl_database_drift_checks_total",
		Help: "Passes that reached the database, by check: unchanged (the catalog counters or fingerprint and the desired schema are those of the last pass that found it in sync: no inspection) or inspected.",
	}, []string{"check"})
	passPhase = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "schemactl_database_pass_phase_seconds",
		Help: "Time spent by Database passes in each phase: connect (waiting for a connection slot of the server included), counters (the catalog counters), fingerprint (the catalog fingerprint, when the counters moved), desired (the desired schema, from the cache or loaded) and inspect (inspection and plan).",
		// 100 µs to about 100 s.
		Buckets: prometheus.ExponentialBucketsRange(0.0001, 100, 13),
	}, []string{"phase"})
)

func init() {
	metrics.Registry.MustRegister(driftChanges, planStatements, approvalPending, applies, applyDuration, desiredLoads, driftChecks, passPhase)
}

func deleteDatabaseMetrics(namespace, name string) {
	driftChanges.DeleteLabelValues(namespace, name)
	planStatements.DeleteLabelValues(namespace, name)
	approvalPending.DeleteLabelValues(namespace, name)
	applyDuration.DeleteLabelValues(namespace, name)
	applies.DeletePartialMatch(prometheus.Labels{"namespace": namespace, "name": name})
}
