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
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AlertProviderKind is the kind of AlertProvider objects.
const AlertProviderKind = "AlertProvider"

// Types of AlertProvider.
const (
	// SlackProvider posts Block Kit messages to a Slack incoming webhook.
	SlackProvider = "slack"

	// GenericProvider posts Flux's event JSON to a webhook.
	GenericProvider = "generic"

	// GenericHMACProvider posts Flux's event JSON to a webhook, signed with
	// an HMAC-SHA256 of the body in the X-Signature header.
	GenericHMACProvider = "generic-hmac"

	// MSTeamsProvider posts to a Microsoft Teams webhook.
	MSTeamsProvider = "msteams"

	// DiscordProvider posts to a Discord webhook.
	DiscordProvider = "discord"
)

// AlertProviderSpec is the desired state of an AlertProvider: where and how
// messages are delivered.
type AlertProviderSpec struct {
	// Type of the provider.
	// +kubebuilder:validation:Enum=slack;generic;generic-hmac;msteams;discord
	// +required
	Type string `json:"type"`

	// Channel to post to, for providers that have channels (Slack).
	// +kubebuilder:validation:MaxLength=2048
	// +optional
	Channel string `json:"channel,omitempty"`

	// Username shown as the sender, for providers that support it.
	// +kubebuilder:validation:MaxLength=2048
	// +optional
	Username string `json:"username,omitempty"`

	// SecretRef names a Secret in the same namespace holding the webhook
	// address (key address) and, for generic-hmac, the HMAC key (key token).
	// Addresses and tokens are never written in the spec.
	// +required
	SecretRef meta.LocalObjectReference `json:"secretRef"`

	// CertSecretRef names a Secret in the same namespace with a CA
	// certificate (key ca.crt) to verify the receiver's TLS certificate.
	// +optional
	CertSecretRef *meta.LocalObjectReference `json:"certSecretRef,omitempty"`

	// ProxySecretRef names a Secret in the same namespace with the address
	// of an HTTP(S) proxy (key address) and optionally username and password.
	// +optional
	ProxySecretRef *meta.LocalObjectReference `json:"proxySecretRef,omitempty"`

	// Timeout of one delivery attempt.
	// +kubebuilder:default="15s"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// Suspend tells the controller to stop sending to this provider.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// AlertProviderStatus is the observed state of an AlertProvider.
type AlertProviderStatus struct {
	// ObservedGeneration is the last generation that was fully handled.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions holds the conditions of the provider: Ready says whether it
	// can be used, and if not why (missing Secret key, invalid address).
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	meta.ReconcileRequestStatus `json:",inline"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=aprov,categories=schemactl
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Suspended",type=boolean,JSONPath=`.spec.suspend`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// AlertProvider is a destination for alerts: a Slack, Microsoft Teams or
// Discord webhook, or a generic (optionally HMAC-signed) webhook.
type AlertProvider struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired state of the AlertProvider.
	Spec AlertProviderSpec `json:"spec,omitempty"`

	// Status is the observed state of the AlertProvider, written by its controller.
	// +kubebuilder:default={"observedGeneration":-1}
	Status AlertProviderStatus `json:"status,omitempty"`
}

// GetConditions returns the status conditions of the object.
func (in *AlertProvider) GetConditions() []metav1.Condition {
	return in.Status.Conditions
}

// SetConditions sets the status conditions of the object.
func (in *AlertProvider) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// GetTimeout returns the timeout of one delivery attempt, 15s when unset.
func (in *AlertProvider) GetTimeout() time.Duration {
	if in.Spec.Timeout != nil && in.Spec.Timeout.Duration > 0 {
		return in.Spec.Timeout.Duration
	}
	return 15 * time.Second
}

// +kubebuilder:object:root=true

// AlertProviderList is a list of AlertProvider objects.
type AlertProviderList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the AlertProvider objects of the list.
	Items []AlertProvider `json:"items"`
}

func init() {
	SchemeBuilder.Register(&AlertProvider{}, &AlertProviderList{})
}
