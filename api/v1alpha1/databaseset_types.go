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
	"k8s.io/apimachinery/pkg/util/intstr"
)

// DatabaseSetKind is the kind of DatabaseSet objects.
const DatabaseSetKind = "DatabaseSet"

// Labels and annotations of DatabaseSets and their members.
const (
	// DatabaseSetLabel names, on a member Database, the DatabaseSet that owns it.
	DatabaseSetLabel = "schemactl.dev/databaseset"
	// DatabaseSetMemberLabel names, on a member Database, its member: the
	// Secret, list entry or CloudNativePG Cluster it was made for.
	DatabaseSetMemberLabel = "schemactl.dev/member"
	// ShardLabel is Flux's sharding key, set on members when
	// spec.template.shards is set: shard1 … shardN, by a hash of the member.
	ShardLabel = "sharding.fluxcd.io/key"
	// RolloutRequestAnnotation asks a DatabaseSet to resume or abort its
	// rollout: "resume <token>" or "abort <token>" (`schemactl rollout resume|abort`);
	// a request is handled once per token.
	RolloutRequestAnnotation = "schemactl.dev/rollout-request"
)

// Limits of DatabaseSets.
const (
	// MaxRolloutFailures is the number of failed members kept in
	// status.rollout.failures; status.rollout.failed counts them all.
	MaxRolloutFailures = 10
	// MaxApprovedPlans is the number of plan ids spec.approvedPlans holds.
	MaxApprovedPlans = 32
)

// Phases of a rollout.
const (
	// RolloutProgressing: members are being moved to the new revision.
	RolloutProgressing = "Progressing"
	// RolloutHalted: a failed or blocked member stopped the rollout; the
	// members not yet moved stay on the previous revision until `schemactl
	// rollout resume` or `abort`.
	RolloutHalted = "Halted"
	// RolloutComplete: every member is at the revision.
	RolloutComplete = "Complete"
	// RolloutAborted: every member was returned to the previous revision.
	RolloutAborted = "Aborted"
)

// Reasons of DatabaseSet conditions and events.
const (
	// RolloutStartedReason: a new revision is rolled out.
	RolloutStartedReason = "RolloutStarted"
	// RolloutWaveReason: a wave of members moved to the new revision.
	RolloutWaveReason = "RolloutWave"
	// RolloutHaltedReason: a failed or blocked member halted the rollout.
	RolloutHaltedReason = "RolloutHalted"
	// RolloutResumedReason: `schemactl rollout resume` continued the rollout.
	RolloutResumedReason = "RolloutResumed"
	// RolloutAbortedReason: the members were returned to the previous revision.
	RolloutAbortedReason = "RolloutAborted"
	// RolloutCompleteReason: every member is at the new revision.
	RolloutCompleteReason = "RolloutComplete"
	// MembersFailedReason: the members could not be listed or written.
	MembersFailedReason = "MembersFailed"
	// MemberGeneratorNotInstalledReason: spec.members.cnpgClusterSelector is
	// set but CloudNativePG's Cluster kind is not served.
	MemberGeneratorNotInstalledReason = "MemberGeneratorNotInstalled"
	// InvalidTemplateReason: spec.template.name does not give valid, distinct
	// names.
	InvalidTemplateReason = "InvalidTemplate"
)

// DatabaseSetSpec is the desired state of a DatabaseSet: one source, path and
// policy applied to many databases, each a member Database the set owns.
type DatabaseSetSpec struct {
	// SourceRef is the source holding the desired SQL of every member.
	// +required
	SourceRef CrossNamespaceSourceReference `json:"sourceRef"`

	// Path of the folder of .sql files inside the source.
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="!self.matches('(^|/)[.][.](/|$)')",message="path must not contain '..'"
	// +optional
	Path string `json:"path,omitempty"`

	// Members generates the members: one Database per Secret matching a
	// selector, per entry of a list, or per CloudNativePG Cluster matching a
	// selector. The generators add up; a Secret named twice is one member.
	// +required
	Members DatabaseSetMembers `json:"members"`

	// Template is what each member Database gets besides its Secret.
	// +required
	Template DatabaseSetTemplate `json:"template"`

	// Rollout says how a new revision of the source reaches the members.
	// +optional
	Rollout *RolloutSpec `json:"rollout,omitempty"`

	// ApprovedPlans are ids of blocked plans (status.plan.id of members) that
	// may be applied once: each member whose pending plan has one of these ids
	// gets it as its spec.approvedPlan. Members with the same live schema and
	// revision have the same plan id, so one approval covers them all.
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:Pattern="^sha256:[a-f0-9]{64}$"
	// +listType=set
	// +optional
	ApprovedPlans []string `json:"approvedPlans,omitempty"`

	// Interval at which members are generated again (the Secrets are also
	// watched). Defaults to the template's interval.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	Interval *metav1.Duration `json:"interval,omitempty"`

	// Suspend stops the set from changing its members; the members keep
	// being reconciled at their pinned revision.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// DatabaseSetMembers are the generators of a DatabaseSet's members.
// +kubebuilder:validation:XValidation:rule="has(self.secretSelector) || has(self.list) || has(self.cnpgClusterSelector)",message="one of secretSelector, list, cnpgClusterSelector is required"
type DatabaseSetMembers struct {
	// SecretSelector selects Secrets in the set's namespace; each is a member
	// (the connection, in the keys of a Database's secretRef).
	// +optional
	SecretSelector *metav1.LabelSelector `json:"secretSelector,omitempty"`

	// List names Secrets in the set's namespace, each a member.
	// +kubebuilder:validation:MaxItems=1000
	// +optional
	List []meta.LocalObjectReference `json:"list,omitempty"`

	// CNPGClusterSelector selects CloudNativePG Clusters
	// (postgresql.cnpg.io/v1) in the set's namespace; each is a member, its
	// connection the Cluster's app Secret, <cluster>-app.
	// +optional
	CNPGClusterSelector *metav1.LabelSelector `json:"cnpgClusterSelector,omitempty"`
}

// DatabaseSetTemplate is the part of each member Database that is the same for
// all members.
type DatabaseSetTemplate struct {
	// Name is the name of each member Database, a Go template with .Set (the
	// set's name) and .Member (the member's name: its Secret's or Cluster's).
	// Defaults to "{{ .Set }}-{{ .Member }}".
	// +kubebuilder:validation:MaxLength=253
	// +optional
	Name string `json:"name,omitempty"`

	// Labels are added to each member Database.
	// +optional
	Labels map[string]string `json:"labels,omitempty"`

	// Shards, when set, labels each member with Flux's sharding key
	// sharding.fluxcd.io/key: shard1 … shard<shards>, by a hash of the member,
	// so that agents started with --watch-label-selector share the members.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000
	// +optional
	Shards int32 `json:"shards,omitempty"`

	// Interval at which each member is compared with the desired schema.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ms|s|m|h))+$') || duration(self) >= duration('1s')",message="interval must be at least 1s"
	// +required
	Interval metav1.Duration `json:"interval"`

	// RetryInterval of each member; defaults to Interval.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	RetryInterval *metav1.Duration `json:"retryInterval,omitempty"`

	// Timeout of each member's reconcile; defaults to Interval.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// DriftPolicy of each member (see Database).
	// +optional
	DriftPolicy DriftPolicy `json:"driftPolicy,omitempty"`

	// Format of the folder (see Database).
	// +optional
	Format DatabaseFormat `json:"format,omitempty"`

	// Migrations configures format Migrations (see Database).
	// +optional
	Migrations *MigrationsSpec `json:"migrations,omitempty"`

	// AllowDestructive of each member (see Database).
	// +optional
	AllowDestructive bool `json:"allowDestructive,omitempty"`

	// SoftDrop of each member (see Database).
	// +optional
	SoftDrop bool `json:"softDrop,omitempty"`

	// AllowedExtensions of each member (see Database).
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=63
	// +listType=set
	// +optional
	AllowedExtensions []string `json:"allowedExtensions,omitempty"`

	// ApplyWindow of each member (see Database).
	// +optional
	ApplyWindow *ApplyWindow `json:"applyWindow,omitempty"`

	// Schemas managed in each member (see Database); defaults to public.
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=63
	// +listType=set
	// +optional
	Schemas []string `json:"schemas,omitempty"`

	// Exclude of each member (see Database).
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MinLength=1
	// +optional
	Exclude []string `json:"exclude,omitempty"`

	// LockTimeout of each member's applies (see Database).
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	LockTimeout *metav1.Duration `json:"lockTimeout,omitempty"`

	// Scratch server of each member (see Database).
	// +optional
	Scratch *ScratchServer `json:"scratch,omitempty"`

	// ManagePrivileges of each member (see Database).
	// +optional
	ManagePrivileges bool `json:"managePrivileges,omitempty"`

	// Audit of each member (see Database).
	// +optional
	Audit bool `json:"audit,omitempty"`
}

// RolloutSpec says how a new revision reaches the members: a canary wave,
// then waves of at most maxParallel members, each started once the one before
// is at the revision and pauseBetweenWaves has passed.
type RolloutSpec struct {
	// Canary is the number of members of the first wave.
	// +kubebuilder:default=1
	// +kubebuilder:validation:Minimum=0
	// +optional
	Canary *int32 `json:"canary,omitempty"`

	// MaxParallel is the size of the following waves: a number, or a
	// percentage of the members (rounded up).
	// +kubebuilder:default="10%"
	// +kubebuilder:validation:XIntOrString
	// +kubebuilder:validation:XValidation:rule="type(self) == int ? self >= 1 : self.matches('^[1-9][0-9]?%$|^100%$')",message="maxParallel must be a positive number or a percentage 1%-100%"
	// +optional
	MaxParallel *intstr.IntOrString `json:"maxParallel,omitempty"`

	// PauseBetweenWaves is how long to wait after a wave is at the revision
	// before the next starts.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	PauseBetweenWaves *metav1.Duration `json:"pauseBetweenWaves,omitempty"`

	// MaxFailures is the number of failed or blocked members the rollout
	// tolerates; one more halts it.
	// +kubebuilder:validation:Minimum=0
	// +optional
	MaxFailures int32 `json:"maxFailures,omitempty"`
}

// DatabaseSetStatus is the observed state of a DatabaseSet. It is bounded: it
// counts members, the members themselves are the Databases labeled
// schemactl.dev/databaseset=<name>.
type DatabaseSetStatus struct {
	// ObservedGeneration is the last generation that was fully handled.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions holds Ready, Reconciling and Stalled.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// Members is the number of members.
	// +optional
	Members int32 `json:"members"`
	// Ready is the number of members Ready.
	// +optional
	Ready int32 `json:"ready"`
	// Drifted is the number of members with Drifted=True.
	// +optional
	Drifted int32 `json:"drifted"`
	// Failed is the number of members failing (not Ready for a reason other
	// than waiting or a blocked plan).
	// +optional
	Failed int32 `json:"failed"`
	// Blocked is the number of members whose plan waits for an approval.
	// +optional
	Blocked int32 `json:"blocked"`

	// Rollout is the progress of the current revision.
	// +optional
	Rollout *RolloutStatus `json:"rollout,omitempty"`

	meta.ReconcileRequestStatus `json:",inline"`
}

// RolloutStatus is the progress of a revision through the members.
type RolloutStatus struct {
	// Revision is the revision rolled out.
	// +optional
	Revision string `json:"revision,omitempty"`
	// PreviousRevision is the revision the members not yet moved keep.
	// +optional
	PreviousRevision string `json:"previousRevision,omitempty"`
	// Phase is Progressing, Halted, Complete or Aborted.
	// +kubebuilder:validation:Enum=Progressing;Halted;Complete;Aborted
	// +optional
	Phase string `json:"phase,omitempty"`
	// Wave is the number of waves started.
	// +optional
	Wave int32 `json:"wave,omitempty"`
	// Updated is the number of members moved to the revision.
	// +optional
	Updated int32 `json:"updated"`
	// UpToDate is the number of moved members Ready at the revision.
	// +optional
	UpToDate int32 `json:"upToDate"`
	// WaveStartedAt is when the last wave started.
	// +optional
	WaveStartedAt *metav1.Time `json:"waveStartedAt,omitempty"`
	// WaveCompletedAt is when the last wave was at the revision (the start of
	// pauseBetweenWaves).
	// +optional
	WaveCompletedAt *metav1.Time `json:"waveCompletedAt,omitempty"`
	// Failed is the number of failed or blocked members moved.
	// +optional
	Failed int32 `json:"failed,omitempty"`
	// Failures lists the first MaxRolloutFailures failed or blocked members
	// and why.
	// +kubebuilder:validation:MaxItems=10
	// +optional
	Failures []MemberFailure `json:"failures,omitempty"`
	// Message says what the rollout waits for.
	// +optional
	Message string `json:"message,omitempty"`
	// LastHandledRequest is the last value of the
	// schemactl.dev/rollout-request annotation that was handled.
	// +optional
	LastHandledRequest string `json:"lastHandledRequest,omitempty"`
}

// MemberFailure is a member that failed or is blocked, and why.
type MemberFailure struct {
	// Database is the member Database's name.
	// +required
	Database string `json:"database"`
	// Reason is the reason of its Ready condition.
	// +required
	Reason string `json:"reason"`
	// Message is the message of its Ready condition, truncated.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Message string `json:"message,omitempty"`
	// PlanID is the id of its pending plan, when blocked.
	// +optional
	PlanID string `json:"planID,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=sdbs,categories=schemactl
// +kubebuilder:printcolumn:name="Members",type=integer,JSONPath=`.status.members`
// +kubebuilder:printcolumn:name="Ready",type=integer,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="Failed",type=integer,JSONPath=`.status.failed`
// +kubebuilder:printcolumn:name="Blocked",type=integer,JSONPath=`.status.blocked`
// +kubebuilder:printcolumn:name="Rollout",type=string,JSONPath=`.status.rollout.phase`
// +kubebuilder:printcolumn:name="Revision",type=string,JSONPath=`.status.rollout.revision`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// DatabaseSet is a fleet of Databases with one source, path and policy: it
// creates one Database per member (a Secret, a list entry, a CloudNativePG
// Cluster), keeps them in step with its spec, removes them when a member goes
// (never touching the database itself), and rolls new revisions out in waves.
type DatabaseSet struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired state of the DatabaseSet.
	Spec DatabaseSetSpec `json:"spec,omitempty"`

	// Status is the observed state of the DatabaseSet.
	// +kubebuilder:default={"observedGeneration":-1}
	Status DatabaseSetStatus `json:"status,omitempty"`
}

// GetConditions returns the status conditions of the object.
func (in *DatabaseSet) GetConditions() []metav1.Condition {
	return in.Status.Conditions
}

// SetConditions sets the status conditions of the object.
func (in *DatabaseSet) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// GetInterval returns the interval at which members are generated again:
// spec.interval, or else the template's interval.
func (in *DatabaseSet) GetInterval() time.Duration {
	if in.Spec.Interval != nil && in.Spec.Interval.Duration > 0 {
		return in.Spec.Interval.Duration
	}
	return in.Spec.Template.Interval.Duration
}

// +kubebuilder:object:root=true

// DatabaseSetList is a list of DatabaseSet objects.
type DatabaseSetList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the DatabaseSet objects of the list.
	Items []DatabaseSet `json:"items"`
}

func init() {
	SchemeBuilder.Register(&DatabaseSet{}, &DatabaseSetList{})
}
