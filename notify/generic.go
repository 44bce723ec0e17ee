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

package notify

import (
	eventv1 "github.com/fluxcd/pkg/apis/event/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// genericEvent returns e as Flux's event (event.toolkit.fluxcd.io/v1), so
// that receivers written for Flux's generic provider work unchanged. The
// metadata carries revision, plan-id, statements, hazards, drift-report,
// drift-fingerprint and approve-command when the event has them, the
// rule's summary and eventMetadata, and cluster.
func genericEvent(e *Event) *eventv1.Event {
	return &eventv1.Event{
		InvolvedObject:      e.InvolvedObject,
		Severity:            e.Severity,
		Timestamp:           metav1.NewTime(e.Timestamp),
		Message:             e.Message,
		Reason:              e.Reason,
		Action:              e.Action,
		Metadata:            e.Metadata,
		ReportingController: e.ReportingController,
		ReportingInstance:   e.ReportingInstance,
	}
}
