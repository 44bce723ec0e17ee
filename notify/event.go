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
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"
	"time"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// Severities of an Event: the strings of Flux's event API.
const (
	// SeverityInfo is the severity of Normal events.
	SeverityInfo = eventv1.EventSeverityInfo

	// SeverityError is the severity of Warning events.
	SeverityError = eventv1.EventSeverityError
)

// Metadata keys of an Event. Those taken from annotations are the annotation
// keys of api/v1alpha1 without the schemactl.dev/ prefix, the way Flux's
// notification-controller trims its own groups; revision is the key Flux's
// receivers read the revision from.
var (
	// MetaRevisionKey holds the source revision (v1alpha1.RevisionAnnotation).
	MetaRevisionKey = MetadataKey(v1alpha1.RevisionAnnotation)

	// MetaPlanIDKey holds the plan id (v1alpha1.PlanIDAnnotation).
	MetaPlanIDKey = MetadataKey(v1alpha1.PlanIDAnnotation)

	// MetaStatementsKey holds the statement count (v1alpha1.StatementsAnnotation).
	MetaStatementsKey = MetadataKey(v1alpha1.StatementsAnnotation)

	// MetaHazardsKey holds the hazards of the plan (v1alpha1.HazardsAnnotation).
	MetaHazardsKey = MetadataKey(v1alpha1.HazardsAnnotation)

	// MetaDriftReportKey holds the drift report, one "object: change" per
	// line (v1alpha1.DriftReportAnnotation).
	MetaDriftReportKey = MetadataKey(v1alpha1.DriftReportAnnotation)

	// MetaDriftFingerprintKey holds the digest of the drift report
	// (v1alpha1.DriftFingerprintAnnotation).
	MetaDriftFingerprintKey = MetadataKey(v1alpha1.DriftFingerprintAnnotation)

	// MetaApproveCommandKey holds the command approving a blocked plan
	// (v1alpha1.ApproveCommandAnnotation).
	MetaApproveCommandKey = MetadataKey(v1alpha1.ApproveCommandAnnotation)
)

// Metadata keys added by the dispatcher rather than by the emitter.
const (
	// MetaClusterKey holds the cluster name given to NewRecorder.
	MetaClusterKey = "cluster"

	// MetaSummaryKey holds the summary of the AlertRule that matched, the
	// key Flux's notification-controller uses for it.
	MetaSummaryKey = "summary"
)

// MetadataKey returns the metadata key of an event annotation: the key
// without the schemactl.dev/ prefix. Annotations without the prefix are not
// forwarded; MetadataKey returns "" for them.
func MetadataKey(annotation string) string {
	k, ok := strings.CutPrefix(annotation, v1alpha1.EventAnnotationPrefix)
	if !ok {
		return ""
	}
	return k
}

// Event is an event of a SchemaRepository or a Database on its way to the
// AlertProviders. The Recorder builds it from what a reconciler records.
type Event struct {
	// InvolvedObject is the object the event is about: kind, apiVersion,
	// namespace, name and uid.
	InvolvedObject corev1.ObjectReference

	// Labels are the labels of the involved object when the event was
	// recorded; the matchLabels of AlertRules select on them.
	Labels map[string]string

	// Severity is SeverityInfo (a Normal event) or SeverityError (a
	// Warning event).
	Severity string

	// Timestamp is when the event was recorded.
	Timestamp time.Time

	// Reason is the reason of the event, one of the reason constants of
	// api/v1alpha1 (DriftDetected, Applied, NewArtifact, ...).
	Reason string

	// Message is the human-readable message of the event.
	Message string

	// Action is what the controller did or failed to do (the action of
	// the events.k8s.io API), possibly empty.
	Action string

	// Metadata holds the event's schemactl.dev/ annotations under their
	// MetadataKey (revision, plan-id, drift-report, ...). The dispatcher adds
	// the AlertRule's summary and eventMetadata, and the cluster name.
	Metadata map[string]string

	// ClusterName names the cluster, shown in every message.
	ClusterName string

	// ReportingController is the name of the controller that recorded the
	// event, e.g. schema-controller.
	ReportingController string

	// ReportingInstance identifies the controller's instance (its host
	// name).
	ReportingInstance string
}

// Revision returns the revision the event is about, or "" when unknown.
func (e *Event) Revision() string {
	return e.Metadata[MetaRevisionKey]
}

// DriftReport returns the lines of the drift report of the event, one
// "object: change" per line, or nil when the event carries none.
func (e *Event) DriftReport() []string {
	r := strings.TrimSpace(e.Metadata[MetaDriftReportKey])
	if r == "" {
		return nil
	}
	return strings.Split(r, "\n")
}

// ObjectName returns "Kind/namespace/name" of the involved object.
func (e *Event) ObjectName() string {
	return fmt.Sprintf("%s/%s/%s", e.InvolvedObject.Kind, e.InvolvedObject.Namespace, e.InvolvedObject.Name)
}

// DeepCopy returns a copy of e that shares no maps with it.
func (e *Event) DeepCopy() *Event {
	c := *e
	c.Labels = maps.Clone(e.Labels)
	c.Metadata = maps.Clone(e.Metadata)
	return &c
}

// DriftAnnotations returns the annotations that carry report on a
// DriftDetected or DriftReported event: the report, one "object: change"
// per line (followed by "… and N more" when status holds fewer entries than
// report.Count), and its fingerprint, by which alerts are sent once per
// distinct drift. It returns nil for a nil report.
func DriftAnnotations(report *v1alpha1.DriftReport) map[string]string {
	if report == nil {
		return nil
	}
	lines := make([]string, 0, len(report.Changes)+1)
	for _, c := range report.Changes {
		line := c.Object + ": " + c.Change
		if a := c.Attribution; a != nil {
			line += " (" + describeAttribution(a) + ")"
		}
		lines = append(lines, line)
	}
	if more := int(report.Count) - len(report.Changes); more > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more", more))
	}
	text := strings.Join(lines, "\n")
	return map[string]string{
		v1alpha1.DriftReportAnnotation:      text,
		v1alpha1.DriftFingerprintAnnotation: Fingerprint(text),
	}
}

// Fingerprint returns sha256:<hex> of s, the form of
// v1alpha1.DriftFingerprintAnnotation.
func Fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// describeAttribution renders who made a drifted change on one line: who, from
// where, with what application, when and what statement.
func describeAttribution(a *v1alpha1.DriftAttribution) string {
	who := a.SessionUser
	if a.CurrentUser != "" && a.CurrentUser != a.SessionUser {
		who += " as " + a.CurrentUser
	}
	from := a.ClientAddr
	if from == "" {
		from = "local socket"
	}
	return fmt.Sprintf("by %s from %s, application %s, at %s: %s", who, from, a.ApplicationName,
		a.At.UTC().Format(time.RFC3339), strings.Join(strings.Fields(a.Statement), " "))
}
