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

package v1alpha1

// Annotation keys of the events the controllers emit. Reconcilers pass them
// to AnnotatedEventf; the notify package turns them into the metadata of
// alerts. As in Flux, the metadata key of an alert is the annotation key
// without the group prefix: schemactl.dev/revision becomes revision, which is
// also the key Flux's receivers read the revision from.
//
// Event reasons are the condition reasons of condition_types.go.
const (
	// EventAnnotationPrefix is the prefix of every annotation key that is
	// forwarded to alerts; annotations without it are not.
	EventAnnotationPrefix = "schemactl.dev/"

	// RevisionAnnotation holds the source revision the event is about, in
	// Flux's format (main@sha1:<hex>).
	RevisionAnnotation = EventAnnotationPrefix + "revision"

	// PlanIDAnnotation holds the id of the plan the event is about
	// (sha256:<hex> of its statements).
	PlanIDAnnotation = EventAnnotationPrefix + "plan-id"

	// StatementsAnnotation holds the number of statements of the plan, in
	// decimal.
	StatementsAnnotation = EventAnnotationPrefix + "statements"

	// HazardsAnnotation holds the hazards of the plan, comma separated
	// (for example "DataLoss,IndexBuild").
	HazardsAnnotation = EventAnnotationPrefix + "hazards"

	// DriftReportAnnotation holds the drift report of a Database, one
	// "object: change" per line, in the order of the report.
	DriftReportAnnotation = EventAnnotationPrefix + "drift-report"

	// DriftFingerprintAnnotation holds a digest of the drift report (for
	// example sha256:<hex> of DriftReportAnnotation's value). Alerts with
	// the same fingerprint on the same object are sent once; set it on
	// DriftDetected and DriftReported events.
	DriftFingerprintAnnotation = EventAnnotationPrefix + "drift-fingerprint"

	// ApproveCommandAnnotation holds the command that approves a blocked
	// plan, for example
	// "schemactl approve database orders -n shop --plan sha256:...".
	ApproveCommandAnnotation = EventAnnotationPrefix + "approve-command"
)
