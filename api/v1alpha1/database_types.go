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

// DatabaseKind is the kind of Database objects.
const DatabaseKind = "Database"

// Limits of the lists a Database keeps in its status. The controller truncates
// to them and reports the full count next to the list; the API server refuses
// longer lists.
const (
	// MaxDriftChanges is the number of per-object entries kept in
	// status.drift.changes.
	MaxDriftChanges = 50

	// MaxPlanSQL is the number of statements kept in status.plan.sql.
	MaxPlanSQL = 50

	// MaxPlanHazards is the number of distinct hazards kept in
	// status.plan.hazards.
	MaxPlanHazards = 32
)

// DatabaseFormat is what the folder of a Database holds.
// +kubebuilder:validation:Enum=Declarative;Migrations
type DatabaseFormat string

const (
	// FormatDeclarative is a desired schema: SQL files loaded in lexical order.
	FormatDeclarative DatabaseFormat = "Declarative"

	// FormatMigrations is a folder of versioned migrations, applied in order.
	FormatMigrations DatabaseFormat = "Migrations"
)

// MigrationsSpec configures a Database of format Migrations.
type MigrationsSpec struct {
	// Layout is the folder's naming convention: auto (detected from the
	// files), golang-migrate, flyway, dbmate or atlas.
	// +kubebuilder:validation:Enum=auto;golang-migrate;flyway;dbmate;atlas
	// +kubebuilder:default=auto
	// +optional
	Layout string `json:"layout,omitempty"`

	// AllowOutOfOrder lets a pending migration older than the newest applied
	// one run; without it such a folder stalls the Database.
	// +optional
	AllowOutOfOrder bool `json:"allowOutOfOrder,omitempty"`
}

// DriftPolicy says what the controller does when the live database differs
// from the desired schema.
// +kubebuilder:validation:Enum=Correct;Report
type DriftPolicy string

const (
	// DriftPolicyCorrect applies the plan that makes the live database equal
	// to the desired schema (within the apply window and the destructive
	// rules).
	DriftPolicyCorrect DriftPolicy = "Correct"

	// DriftPolicyReport never writes to the database; differences are only
	// reported. It works with read-only credentials.
	DriftPolicyReport DriftPolicy = "Report"
)

// DatabaseSpec is the desired state of a Database: which SQL in which source
// it must hold, how to reach it, and the rules for changing it.
type DatabaseSpec struct {
	// SourceRef is the source holding the desired SQL.
	// +required
	SourceRef CrossNamespaceSourceReference `json:"sourceRef"`

	// Path of the folder of .sql files inside the source, loaded in lexical
	// order. Defaults to the root of the source.
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="!self.matches('(^|/)[.][.](/|$)')",message="path must not contain '..'"
	// +optional
	Path string `json:"path,omitempty"`

	// SourceRevision pins the Database to one revision of its source (e.g.
	// main@sha1:<hex>) instead of the source's current one. A DatabaseSet sets
	// it on its members to roll a new revision out in waves. For a
	// SchemaRepository the artifacts the agent retains are reachable (the
	// current one, the one before, and any revision a Database pins); for
	// Flux's sources only the current artifact is: while the pinned revision
	// is not available the Database waits with reason
	// SourceRevisionUnavailable and changes nothing.
	// +kubebuilder:validation:MaxLength=256
	// +optional
	SourceRevision string `json:"sourceRevision,omitempty"`

	// SecretRef names a Secret in the same namespace with the connection:
	// either the key url (a postgres:// URL) or the keys host, port, user,
	// password, dbname and sslmode.
	// +required
	SecretRef meta.LocalObjectReference `json:"secretRef"`

	// Interval at which the live database is compared with the desired
	// schema.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ms|s|m|h))+$') || duration(self) >= duration('1s')",message="interval must be at least 1s"
	// +required
	Interval metav1.Duration `json:"interval"`

	// RetryInterval is the interval at which a failed reconcile is retried.
	// Defaults to Interval.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	RetryInterval *metav1.Duration `json:"retryInterval,omitempty"`

	// Timeout bounds one reconcile: loading, inspecting, applying and
	// verifying. Defaults to Interval.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// DriftPolicy is Correct (apply the plan) or Report (never write).
	// Defaults to Correct for format Declarative and to Report for format
	// Migrations (where it governs only the drift from the applied
	// migrations; pending migrations are applied either way).
	// +optional
	DriftPolicy DriftPolicy `json:"driftPolicy,omitempty"`

	// Format is what the folder at path holds: Declarative (the desired
	// schema as SQL files) or Migrations (versioned migrations of
	// golang-migrate, Flyway, dbmate or Atlas; see docs/migrations.md).
	// +kubebuilder:default=Declarative
	// +optional
	Format DatabaseFormat `json:"format,omitempty"`

	// Migrations configures format Migrations.
	// +optional
	Migrations *MigrationsSpec `json:"migrations,omitempty"`

	// AllowDestructive lets plans with destructive statements (drops, type
	// changes that lose data) run without approval. Even then nothing is
	// dropped on the first reconcile of a Database.
	// +optional
	AllowDestructive bool `json:"allowDestructive,omitempty"`

	// SoftDrop turns an allowed or approved DROP TABLE into a move into the
	// schema schemactl_graveyard (renamed <table>__<planid12>_<yyyymmddhhmmss>):
	// instant, no copy, restorable with `schemactl graveyard restore`.
	// +optional
	SoftDrop bool `json:"softDrop,omitempty"`

	// AllowedExtensions names extensions the desired SQL may create although
	// PostgreSQL does not mark them trusted (dblink, file_fdw, adminpack, ...:
	// their scripts run as a superuser and some reach outside the database).
	// Trusted extensions (pg_trgm, pgcrypto, citext, hstore, ...) and those
	// already installed in the target need no entry. Any other untrusted
	// extension is refused, with its file:line, before anything runs.
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=63
	// +listType=set
	// +optional
	AllowedExtensions []string `json:"allowedExtensions,omitempty"`

	// ScratchTrustedStatements names kinds of statements that only a superuser
	// may run and that the scratch server's admin completes for the desired
	// SQL, each with exactly one statement it names from the catalog, never
	// the SQL's own text. leakproof: CREATE or ALTER FUNCTION ... LEAKPROOF runs
	// NOT LEAKPROOF as the unprivileged scratch role, then the admin runs ALTER
	// FUNCTION <identity> LEAKPROOF (the scratch admin must be a superuser).
	// Without an entry such a statement is refused with its file:line; any
	// other superuser-only statement is refused whatever this says.
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:Enum=leakproof
	// +listType=set
	// +optional
	ScratchTrustedStatements []string `json:"scratchTrustedStatements,omitempty"`

	// ApprovedPlan is the id of one blocked plan (status.plan.id) that may be
	// applied once. A different plan needs a new approval.
	// +kubebuilder:validation:Pattern="^sha256:[a-f0-9]{64}$"
	// +optional
	ApprovedPlan string `json:"approvedPlan,omitempty"`

	// ApplyWindow restricts writes to recurring windows of time. Drift is
	// still detected and reported outside the window.
	// +optional
	ApplyWindow *ApplyWindow `json:"applyWindow,omitempty"`

	// Schemas lists the schemas that are managed; objects in other schemas
	// are neither inspected nor changed.
	// +kubebuilder:default={public}
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=63
	// +listType=set
	// +optional
	Schemas []string `json:"schemas,omitempty"`

	// Exclude lists objects left alone, as patterns on schema.name (path.Match
	// syntax, e.g. public.schema_migrations or audit.*).
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MinLength=1
	// +optional
	Exclude []string `json:"exclude,omitempty"`

	// LockTimeout is PostgreSQL's lock_timeout for the statements of an
	// apply, so that a blocked ALTER does not queue the application behind it.
	// +kubebuilder:default="5s"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	LockTimeout *metav1.Duration `json:"lockTimeout,omitempty"`

	// Scratch is the PostgreSQL server on which the desired SQL is loaded
	// into a throwaway database. Defaults to the controller's default scratch
	// server when it has one, or else the database's own server.
	// +optional
	Scratch *ScratchServer `json:"scratch,omitempty"`

	// ManagePrivileges makes GRANTs and REVOKEs on managed objects part of
	// the desired schema. When false, privileges are ignored.
	// +optional
	ManagePrivileges bool `json:"managePrivileges,omitempty"`

	// Audit installs the DDL audit in the database (as `schemactl audit
	// install` does) when it is missing, so that the drift report, the
	// DriftDetected event and alerts say who changed each drifted object.
	// PostgreSQL lets only a superuser create its event triggers: for another
	// role the Database gets AuditUnavailable=True and works without it.
	// +optional
	Audit bool `json:"audit,omitempty"`

	// Suspend tells the controller to stop reconciling this database. Nothing
	// is read or written while suspended.
	// +optional
	Suspend bool `json:"suspend,omitempty"`

	// DependsOn lists Databases that must be Ready before this one is
	// reconciled. The namespace defaults to the Database's own.
	// +optional
	DependsOn []meta.NamespacedObjectReference `json:"dependsOn,omitempty"`
}

// Kinds of Flux's sources (group source.toolkit.fluxcd.io) a Database may take
// its desired SQL from, besides SchemaRepository.
const (
	// FluxSourceGroup is the API group of Flux's sources.
	FluxSourceGroup = "source.toolkit.fluxcd.io"
	// GitRepositoryKind is Flux's Git source.
	GitRepositoryKind = "GitRepository"
	// OCIRepositoryKind is Flux's OCI artifact source.
	OCIRepositoryKind = "OCIRepository"
	// BucketKind is Flux's S3-compatible bucket source.
	BucketKind = "Bucket"
	// ExternalArtifactKind is Flux's artifact produced by a third-party
	// controller.
	ExternalArtifactKind = "ExternalArtifact"
)

// CrossNamespaceSourceReference refers to a source of desired SQL, optionally
// in another namespace: a SchemaRepository, or one of Flux's sources, whose
// status.artifact is fetched and verified against its digest.
// +kubebuilder:validation:XValidation:rule="!has(self.apiVersion) || (self.kind == 'SchemaRepository' ? self.apiVersion.startsWith('schemactl.dev/') : self.apiVersion.startsWith('source.toolkit.fluxcd.io/'))",message="apiVersion must be schemactl.dev/<version> for SchemaRepository, source.toolkit.fluxcd.io/<version> for Flux's kinds"
type CrossNamespaceSourceReference struct {
	// APIVersion of the source, e.g. source.toolkit.fluxcd.io/v1; optional,
	// as in Flux's Kustomization. The kind decides the group.
	// +optional
	APIVersion string `json:"apiVersion,omitempty"`

	// Kind of the source: SchemaRepository, or Flux's GitRepository,
	// OCIRepository, Bucket or ExternalArtifact.
	// +kubebuilder:validation:Enum=SchemaRepository;GitRepository;OCIRepository;Bucket;ExternalArtifact
	// +kubebuilder:default=SchemaRepository
	// +optional
	Kind string `json:"kind,omitempty"`

	// Name of the source.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`

	// Namespace of the source; defaults to the Database's own. Refused when
	// the controller runs with --no-cross-namespace-refs.
	// +kubebuilder:validation:MaxLength=63
	// +optional
	Namespace string `json:"namespace,omitempty"`
}

// IsFlux reports whether the reference is to one of Flux's sources.
func (in CrossNamespaceSourceReference) IsFlux() bool {
	switch in.Kind {
	case GitRepositoryKind, OCIRepositoryKind, BucketKind, ExternalArtifactKind:
		return true
	}
	return false
}

// String returns the reference as kind/[namespace/]name.
func (in CrossNamespaceSourceReference) String() string {
	if in.Namespace != "" {
		return in.Kind + "/" + in.Namespace + "/" + in.Name
	}
	return in.Kind + "/" + in.Name
}

// ApplyWindow is a recurring window of time in which changes may be written.
// A window opens at every time the cron schedule fires and stays open for the
// duration.
type ApplyWindow struct {
	// Schedule in cron syntax (five fields, or a descriptor such as @daily).
	// +kubebuilder:validation:Pattern=`^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\S+\s+){4}\S+)$`
	// +required
	Schedule string `json:"schedule"`

	// Duration for which the window stays open.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ms|s|m|h))+$') || duration(self) > duration('0s')",message="duration must be positive"
	// +required
	Duration metav1.Duration `json:"duration"`

	// TimeZone of the schedule, an IANA name such as Europe/Berlin.
	// +kubebuilder:default=UTC
	// +kubebuilder:validation:Pattern=`^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$`
	// +optional
	TimeZone string `json:"timeZone,omitempty"`
}

// ScratchServer is the PostgreSQL server used to load the desired SQL.
type ScratchServer struct {
	// SecretRef names a Secret in the same namespace with the connection to
	// the scratch server, in the same keys as the Database's secretRef. The
	// role needs CREATEDB and must not be a superuser.
	// +required
	SecretRef meta.LocalObjectReference `json:"secretRef"`
}

// DatabaseStatus is the observed state of a Database.
type DatabaseStatus struct {
	// ObservedGeneration is the last generation that was fully handled.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions holds the conditions of the Database: Ready, Reconciling,
	// Stalled and Drifted.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// LastAppliedRevision is the source revision the database was last
	// brought to.
	// +optional
	LastAppliedRevision string `json:"lastAppliedRevision,omitempty"`

	// LastAttemptedRevision is the source revision of the last reconcile,
	// successful or not.
	// +optional
	LastAttemptedRevision string `json:"lastAttemptedRevision,omitempty"`

	// Drift is the report of the last detected drift; nil while the database
	// holds the desired schema of the applied revision.
	// +optional
	Drift *DriftReport `json:"drift,omitempty"`

	// Plan is the plan waiting to be applied (outside the apply window,
	// blocked as destructive, or reported only); nil when nothing is pending.
	// +optional
	Plan *PendingPlan `json:"plan,omitempty"`

	// LastApplied describes the last plan that was applied.
	// +optional
	LastApplied *AppliedPlan `json:"lastApplied,omitempty"`

	meta.ReconcileRequestStatus `json:",inline"`
}

// DriftReport lists the differences between the live database and the desired
// schema of the applied revision.
type DriftReport struct {
	// DetectedAt is when this drift was first seen.
	// +required
	DetectedAt metav1.Time `json:"detectedAt"`

	// Count is the number of differing objects; it may exceed the number of
	// entries in Changes.
	// +kubebuilder:validation:Minimum=0
	// +required
	Count int32 `json:"count"`

	// Changes holds one entry per differing object, at most MaxDriftChanges.
	// +kubebuilder:validation:MaxItems=50
	// +optional
	Changes []DriftChange `json:"changes,omitempty"`

	// Notes are differences kept on purpose, at most MaxDriftChanges: a
	// constraint validated in the database that Git declares NOT VALID is never
	// weakened, and said so here.
	// +kubebuilder:validation:MaxItems=50
	// +optional
	Notes []DriftChange `json:"notes,omitempty"`

	// AdoptSQL is the SQL that adopts this drift into Git, as `schemactl adopt`
	// writes it: added to the source folder as its last file, it makes the
	// desired schema equal to the database. Empty when it is larger than
	// MaxAdoptSQLBytes (AdoptSQLBytes then says its size; run schemactl adopt
	// --url --dir locally) or could not be computed.
	// +kubebuilder:validation:MaxLength=8192
	// +optional
	AdoptSQL string `json:"adoptSQL,omitempty"`

	// AdoptSQLBytes is the size of the adopt SQL in bytes, also when it is too
	// large for AdoptSQL.
	// +kubebuilder:validation:Minimum=0
	// +optional
	AdoptSQLBytes int32 `json:"adoptSQLBytes,omitempty"`
}

// MaxAdoptSQLBytes is the largest adopt SQL a Database's status carries
// (status.drift.adoptSQL).
const MaxAdoptSQLBytes = 8192

// DriftChange is one object that differs.
type DriftChange struct {
	// Object names the object: its kind and qualified name, e.g.
	// "index public.orders_created_at_idx".
	// +required
	Object string `json:"object"`

	// Change says how it differs, e.g. "exists in the database, not in Git".
	// +required
	Change string `json:"change"`

	// Attribution says who made the change, when the DDL audit recorded it
	// (spec.audit, schemactl audit install).
	// +optional
	Attribution *DriftAttribution `json:"attribution,omitempty"`
}

// DriftAttribution is who changed a drifted object, from where, when and with
// what statement, as the DDL audit recorded it.
type DriftAttribution struct {
	// At is when the statement ran.
	// +required
	At metav1.Time `json:"at"`
	// SessionUser is the role that logged in.
	// +required
	SessionUser string `json:"sessionUser"`
	// CurrentUser is the role the statement ran as.
	// +optional
	CurrentUser string `json:"currentUser,omitempty"`
	// ClientAddr is the client's address; empty over a Unix socket.
	// +optional
	ClientAddr string `json:"clientAddr,omitempty"`
	// ApplicationName is the client's application_name.
	// +optional
	ApplicationName string `json:"applicationName,omitempty"`
	// CommandTag is the statement's kind, e.g. "CREATE INDEX".
	// +optional
	CommandTag string `json:"commandTag,omitempty"`
	// Statement is the statement's text, truncated to MaxAttributionStatement.
	// +kubebuilder:validation:MaxLength=512
	// +optional
	Statement string `json:"statement,omitempty"`
}

// MaxAttributionStatement is the length a statement is truncated to in a
// DriftAttribution.
const MaxAttributionStatement = 512

// PendingPlan is a plan computed but not applied.
type PendingPlan struct {
	// ID is the digest of the plan (its statements and the fingerprint of
	// the live schema it was planned against); spec.approvedPlan takes it.
	// +required
	ID string `json:"id"`

	// Revision is the source revision the plan leads to.
	// +optional
	Revision string `json:"revision,omitempty"`

	// Statements is the number of statements in the plan; it may exceed the
	// number of entries in SQL.
	// +kubebuilder:validation:Minimum=0
	// +required
	Statements int32 `json:"statements"`

	// Destructive is true when the plan holds a statement that can lose data.
	// +optional
	Destructive bool `json:"destructive,omitempty"`

	// Hazards lists the distinct hazards of the plan's statements, e.g.
	// DataLoss, TableRewrite, AccessExclusiveLock, IndexBuild.
	// +kubebuilder:validation:MaxItems=32
	// +optional
	Hazards []string `json:"hazards,omitempty"`

	// SQL holds the first MaxPlanSQL statements of the plan, in order.
	// +kubebuilder:validation:MaxItems=50
	// +optional
	SQL []string `json:"sql,omitempty"`
}

// AppliedPlan describes a plan that was applied.
type AppliedPlan struct {
	// PlanID is the id of the applied plan: the plan made and executed under
	// the apply lock, as schemactl.apply_log.approval_id records it.
	// +required
	PlanID string `json:"planID"`

	// Revision is the source revision that was applied.
	// +optional
	Revision string `json:"revision,omitempty"`

	// At is when the apply finished.
	// +required
	At metav1.Time `json:"at"`

	// Duration is how long the apply took.
	// +optional
	Duration *metav1.Duration `json:"duration,omitempty"`

	// Statements is the number of statements that were run.
	// +kubebuilder:validation:Minimum=0
	// +required
	Statements int32 `json:"statements"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=sdb,categories=schemactl
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Revision",type=string,JSONPath=`.status.lastAppliedRevision`
// +kubebuilder:printcolumn:name="Drifted",type=string,JSONPath=`.status.conditions[?(@.type=="Drifted")].status`
// +kubebuilder:printcolumn:name="Suspended",type=boolean,JSONPath=`.spec.suspend`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// Database is a PostgreSQL database whose schema is kept equal to the SQL in a
// source. Differences made out of band are drift: corrected or reported
// according to spec.driftPolicy.
type Database struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired state of the Database.
	Spec DatabaseSpec `json:"spec,omitempty"`

	// Status is the observed state of the Database, written by its controller.
	// +kubebuilder:default={"observedGeneration":-1}
	Status DatabaseStatus `json:"status,omitempty"`
}

// GetConditions returns the status conditions of the object.
func (in *Database) GetConditions() []metav1.Condition {
	return in.Status.Conditions
}

// SetConditions sets the status conditions of the object.
func (in *Database) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// GetRequeueAfter returns the interval at which the database is compared.
func (in *Database) GetRequeueAfter() time.Duration {
	return in.Spec.Interval.Duration
}

// GetRetryInterval returns the interval at which a failed reconcile is
// retried: spec.retryInterval, or else spec.interval.
func (in *Database) GetRetryInterval() time.Duration {
	if in.Spec.RetryInterval != nil && in.Spec.RetryInterval.Duration > 0 {
		return in.Spec.RetryInterval.Duration
	}
	return in.GetRequeueAfter()
}

// GetTimeout returns the bound of one reconcile: spec.timeout, or else
// spec.interval.
func (in *Database) GetTimeout() time.Duration {
	if in.Spec.Timeout != nil && in.Spec.Timeout.Duration > 0 {
		return in.Spec.Timeout.Duration
	}
	return in.GetRequeueAfter()
}

// GetLockTimeout returns the lock_timeout of applies; 0 when unset, which the
// engine reads as its one default (drift.DefaultLockTimeout, 5s).
func (in *Database) GetLockTimeout() time.Duration {
	if in.Spec.LockTimeout != nil && in.Spec.LockTimeout.Duration > 0 {
		return in.Spec.LockTimeout.Duration
	}
	return 0
}

// GetDriftPolicy returns the drift policy; when unset, Correct for format
// Declarative and Report for format Migrations.
func (in *Database) GetDriftPolicy() DriftPolicy {
	if in.Spec.DriftPolicy == "" {
		if in.GetFormat() == FormatMigrations {
			return DriftPolicyReport
		}
		return DriftPolicyCorrect
	}
	return in.Spec.DriftPolicy
}

// GetFormat returns spec.format, Declarative when empty.
func (in *Database) GetFormat() DatabaseFormat {
	if in.Spec.Format == "" {
		return FormatDeclarative
	}
	return in.Spec.Format
}

// GetMigrationsLayout returns spec.migrations.layout, auto when empty.
func (in *Database) GetMigrationsLayout() string {
	if in.Spec.Migrations == nil || in.Spec.Migrations.Layout == "" {
		return "auto"
	}
	return in.Spec.Migrations.Layout
}

// GetSourceNamespace returns the namespace of the source: the one in
// spec.sourceRef, or else the Database's own.
func (in *Database) GetSourceNamespace() string {
	if in.Spec.SourceRef.Namespace != "" {
		return in.Spec.SourceRef.Namespace
	}
	return in.Namespace
}

// GetDependsOn returns the Databases this one depends on, in the form Flux's
// runtime/dependency package sorts.
func (in *Database) GetDependsOn() []meta.DependencyReference {
	refs := make([]meta.DependencyReference, 0, len(in.Spec.DependsOn))
	for _, d := range in.Spec.DependsOn {
		refs = append(refs, meta.DependencyReference{Name: d.Name, Namespace: d.Namespace})
	}
	return refs
}

// +kubebuilder:object:root=true

// DatabaseList is a list of Database objects.
type DatabaseList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the Database objects of the list.
	Items []Database `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Database{}, &DatabaseList{})
}
