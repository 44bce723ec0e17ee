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

import (
	"github.com/fluxcd/pkg/apis/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AlertRuleKind is the kind of AlertRule objects.
const AlertRuleKind = "AlertRule"

// Event severities an AlertRule can select.
const (
	// EventSeverityInfo selects every event.
	EventSeverityInfo = "info"

	// EventSeverityError selects only warnings and errors.
	EventSeverityError = "error"
)

// AlertRuleSpec is the desired state of an AlertRule: which events are sent
// to which provider.
type AlertRuleSpec struct {
	// ProviderRef names the AlertProvider, in the same namespace, that
	// delivers the alerts.
	// +required
	ProviderRef meta.LocalObjectReference `json:"providerRef"`

	// EventSources selects the objects whose events are sent.
	// +kubebuilder:validation:MinItems=1
	// +required
	EventSources []EventSourceReference `json:"eventSources"`

	// EventSeverity is info (every event) or error (only warnings and
	// errors).
	// +kubebuilder:validation:Enum=info;error
	// +kubebuilder:default=info
	// +optional
	EventSeverity string `json:"eventSeverity,omitempty"`

	// ExclusionList holds regular expressions (RE2); events whose message
	// matches any of them are not sent.
	// +optional
	ExclusionList []string `json:"exclusionList,omitempty"`

	// Summary is a short text added to every message.
	// +kubebuilder:validation:MaxLength=255
	// +optional
	Summary string `json:"summary,omitempty"`

	// EventMetadata is added to the metadata of every message; on conflict
	// with the event's own metadata the event wins.
	// +optional
	EventMetadata map[string]string `json:"eventMetadata,omitempty"`

	// Suspend tells the controller to stop sending alerts for this rule.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// EventSourceReference selects objects whose events reach an AlertRule.
// +kubebuilder:validation:XValidation:rule="!has(self.matchLabels) || self.name == '*'",message="matchLabels may only be used with name '*'"
type EventSourceReference struct {
	// Kind of the objects.
	// +kubebuilder:validation:Enum=SchemaRepository;Database;DatabaseSet
	// +required
	Kind string `json:"kind"`

	// Name of the object, or * for every object of the kind.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`

	// Namespace of the objects; defaults to the AlertRule's own.
	// +kubebuilder:validation:MaxLength=63
	// +optional
	Namespace string `json:"namespace,omitempty"`

	// MatchLabels narrows name '*' to the objects carrying all these labels.
	// +optional
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

// AlertRuleStatus is the observed state of an AlertRule.
type AlertRuleStatus struct {
	// ObservedGeneration is the last generation that was fully handled.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions holds the conditions of the rule: Ready says whether its
	// provider exists and the rule can be used.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	meta.ReconcileRequestStatus `json:",inline"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=arule,categories=schemactl
// +kubebuilder:printcolumn:name="Provider",type=string,JSONPath=`.spec.providerRef.name`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Suspended",type=boolean,JSONPath=`.spec.suspend`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// AlertRule selects events of SchemaRepositories and Databases and sends them
// to an AlertProvider.
type AlertRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired state of the AlertRule.
	Spec AlertRuleSpec `json:"spec,omitempty"`

	// Status is the observed state of the AlertRule, written by its controller.
	// +kubebuilder:default={"observedGeneration":-1}
	Status AlertRuleStatus `json:"status,omitempty"`
}

// GetConditions returns the status conditions of the object.
func (in *AlertRule) GetConditions() []metav1.Condition {
	return in.Status.Conditions
}

// SetConditions sets the status conditions of the object.
func (in *AlertRule) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// GetEventSeverity returns the selected severity, info when unset.
func (in *AlertRule) GetEventSeverity() string {
	if in.Spec.EventSeverity == "" {
		return EventSeverityInfo
	}
	return in.Spec.EventSeverity
}

// +kubebuilder:object:root=true

// AlertRuleList is a list of AlertRule objects.
type AlertRuleList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the AlertRule objects of the list.
	Items []AlertRule `json:"items"`
}

func init() {
	SchemeBuilder.Register(&AlertRule{}, &AlertRuleList{})
}
