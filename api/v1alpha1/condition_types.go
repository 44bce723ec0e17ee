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

import "github.com/fluxcd/pkg/apis/meta"

// Finalizer is the finalizer the controllers put on the objects of this group,
// so that they can release what they hold (cached artifacts, metrics) before
// an object goes away.
const Finalizer = "finalizers.schemactl.dev"

// Condition types. The generic ones come from Flux and kstatus and are used as
// they are: meta.ReadyCondition, meta.ReconcilingCondition and
// meta.StalledCondition. The types below are specific to this group. Failure
// conditions (FetchFailed) exist only while True; Drifted is kept in both
// states on a Database so that `kubectl get` can show it.
const (
	// DriftedCondition is True while the live database differs from the
	// desired schema of the revision it was last brought to, i.e. while an
	// out-of-band change is present. A new revision that is not applied yet is
	// not drift.
	DriftedCondition string = "Drifted"

	// FetchFailedCondition is True while a SchemaRepository cannot fetch its
	// remote (network, authentication, unknown ref).
	FetchFailedCondition string = "FetchFailed"

	// ArtifactInStorageCondition is True when the artifact of the current
	// revision of a SchemaRepository is present in the local cache.
	ArtifactInStorageCondition string = "ArtifactInStorage"

	// PrivilegedRoleCondition is True while the role a Database is applied as
	// can do more than own its schemas (SUPERUSER, pg_execute_server_program,
	// ...): SQL from Git runs with that role's rights during apply. It exists
	// only while True.
	PrivilegedRoleCondition string = "PrivilegedRole"

	// AuditUnavailableCondition is True while a Database asks for the DDL audit
	// (spec.audit) and it cannot be installed: PostgreSQL lets only a superuser
	// create event triggers. It exists only while True.
	AuditUnavailableCondition string = "AuditUnavailable"
)

// Reasons of SchemaRepository conditions and events. Event reasons use the
// same strings as condition reasons.
const (
	// GitOperationFailedReason signals that a Git operation (list refs,
	// fetch, checkout) failed.
	GitOperationFailedReason string = "GitOperationFailed"

	// AuthenticationFailedReason signals that the credentials of a source or
	// database were rejected, or that the referenced Secret lacks the keys
	// the authentication method needs.
	AuthenticationFailedReason string = "AuthenticationFailed"

	// NewArtifactReason signals that a new revision was fetched and its
	// artifact stored.
	NewArtifactReason string = "NewArtifact"

	// ArtifactUpToDateReason signals that the remote did not move and the
	// stored artifact is current.
	ArtifactUpToDateReason string = "ArtifactUpToDate"

	// StorageOperationFailedReason signals that the artifact could not be
	// written to or read from the local cache.
	StorageOperationFailedReason string = "StorageOperationFailed"

	// SizeLimitExceededReason signals that the files of a revision exceed
	// the artifact size limit.
	SizeLimitExceededReason string = "SizeLimitExceeded"

	// InvalidURLReason signals that the URL of a source cannot be used.
	InvalidURLReason string = meta.InvalidURLReason

	// FileURLNotAllowedReason signals that a source has a file:// URL and the
	// agent does not run with --allow-file-urls.
	FileURLNotAllowedReason string = "FileURLNotAllowed"
)

// Reasons of Database conditions and events. Event reasons use the same
// strings as condition reasons; the notification controller matches on them.
const (
	// AppliedReason signals that a plan was applied and the live schema
	// verified equal to the desired one.
	AppliedReason string = "Applied"

	// ApplyFailedReason signals that applying a plan failed; the
	// transaction was rolled back where PostgreSQL allows it.
	ApplyFailedReason string = "ApplyFailed"

	// InSyncReason signals that the live database holds the desired schema
	// and nothing needs to be done.
	InSyncReason string = "InSync"

	// DriftDetectedReason signals that the live database differs from the
	// desired schema of the already applied revision.
	DriftDetectedReason string = "DriftDetected"

	// DriftCorrectedReason signals that detected drift was corrected by an
	// apply.
	DriftCorrectedReason string = "DriftCorrected"

	// DriftReportedReason signals that drift was detected and left alone
	// because the drift policy is Report.
	DriftReportedReason string = "DriftReported"

	// DestructiveBlockedReason signals that the pending plan contains
	// destructive statements and is neither allowed nor approved.
	DestructiveBlockedReason string = "DestructiveBlocked"

	// PlanChangedReason signals that the live database changed between
	// planning and taking the apply lock, so that the plan made under the lock
	// is not the one decided on; the Database plans again shortly.
	PlanChangedReason string = "PlanChanged"

	// FirstRunDestructiveReason signals that the first reconcile of a
	// Database found objects that exist only in the live database; they are
	// never dropped on adoption and are reported instead.
	FirstRunDestructiveReason string = "FirstRunDestructive"

	// ApprovalAppliedReason signals that an approved destructive plan was
	// applied.
	ApprovalAppliedReason string = "ApprovalApplied"

	// OutsideApplyWindowReason signals that changes are pending but the
	// current time is outside the apply window.
	OutsideApplyWindowReason string = "OutsideApplyWindow"

	// DependencyNotReadyReason signals that a Database listed in dependsOn
	// is not Ready yet. It is the same string as Flux's.
	DependencyNotReadyReason string = meta.DependencyNotReadyReason

	// SourceNotReadyReason signals that the referenced source has no
	// artifact yet, or does not exist.
	SourceNotReadyReason string = "SourceNotReady"

	// SourceKindNotInstalledReason signals that spec.sourceRef names a kind of
	// Flux whose CRD is not installed in the cluster (Flux is not installed, or
	// not its source-controller). The Database waits and looks again.
	SourceKindNotInstalledReason string = "SourceKindNotInstalled"

	// ArtifactFailedReason signals that the artifact of a Flux source could not
	// be downloaded or extracted; retried with backoff. It is the same string as
	// Flux's.
	ArtifactFailedReason string = meta.ArtifactFailedReason

	// ArtifactDigestMismatchReason signals that the artifact of a Flux source
	// does not have the digest the source announced (altered in storage or on
	// the way); nothing of it is used, and it is fetched again with backoff.
	ArtifactDigestMismatchReason string = "ArtifactDigestMismatch"

	// SourceRevisionUnavailableReason signals that the revision a Database is
	// pinned to (spec.sourceRevision) is not available from its source: not
	// retained in the agent's store, or, for Flux's sources, not the current
	// artifact.
	SourceRevisionUnavailableReason string = "SourceRevisionUnavailable"

	// InvalidSQLReason signals that the desired SQL does not load; the
	// message cites file and line.
	InvalidSQLReason string = "InvalidSQL"

	// ScratchUnavailableReason signals that the server the desired SQL is
	// loaded on (spec.scratch, the agent's scratch URL or the target's own
	// server) cannot be reached or refused the connection; retried with
	// backoff while the Database keeps its last applied revision.
	ScratchUnavailableReason string = "ScratchUnavailable"

	// LoadFailedReason signals that loading the desired SQL failed for another
	// reason than the SQL itself (the scratch server failed during the load,
	// the load timed out); retried with backoff.
	LoadFailedReason string = "LoadFailed"

	// InvalidPathReason signals that spec.path does not exist in the
	// artifact or escapes it.
	InvalidPathReason string = meta.InvalidPathReason

	// InvalidSecretReason signals that a referenced Secret is missing or
	// lacks the keys it needs.
	InvalidSecretReason string = "InvalidSecret"

	// ConnectionFailedReason signals that the database could not be reached.
	ConnectionFailedReason string = "ConnectionFailed"

	// InspectFailedReason signals that reading the live catalog failed.
	InspectFailedReason string = "InspectFailed"

	// PlanFailedReason signals that no plan could be computed from the
	// difference (for example an unsupported change).
	PlanFailedReason string = "PlanFailed"

	// VerifyFailedReason signals that after an apply the re-inspected live
	// schema still differs from the desired one.
	VerifyFailedReason string = "VerifyFailed"

	// CrossNamespaceRefBlockedReason signals that a reference to another
	// namespace was refused because of --no-cross-namespace-refs.
	CrossNamespaceRefBlockedReason string = "CrossNamespaceRefBlocked"

	// MigrationsRefusedReason: the migration folder cannot be applied until the
	// user acts: an applied migration's file changed, a pending migration is
	// older than the newest applied one (and spec.migrations.allowOutOfOrder is
	// false), or a migration failed half-way (dirty). The message names the file.
	MigrationsRefusedReason string = "MigrationsRefused"

	// InvalidApplyWindowReason signals that the applyWindow's schedule or time zone
	// cannot be parsed.
	InvalidApplyWindowReason string = "InvalidApplyWindow"

	// DangerousPrivilegesReason signals that the role a Database is applied as
	// has dangerous privileges; the message names them. Its Warning event is
	// emitted when the condition appears or its message changes, not on every
	// reconcile.
	DangerousPrivilegesReason string = "DangerousPrivileges"

	// AuditNeedsSuperuserReason signals that the DDL audit of spec.audit cannot
	// be installed by the role the Database is applied as. Its Warning event is
	// emitted when the condition appears, not on every reconcile.
	AuditNeedsSuperuserReason string = "AuditNeedsSuperuser"
)

// Reasons of AlertProvider and AlertRule conditions.
const (
	// InvalidProviderReason signals that an AlertProvider cannot be used:
	// its Secret is missing, lacks the address, or the address is invalid.
	InvalidProviderReason string = "InvalidProvider"

	// ProviderNotReadyReason signals that the AlertProvider referenced by an
	// AlertRule does not exist or is not Ready.
	ProviderNotReadyReason string = "ProviderNotReady"

	// InvalidRuleReason signals that an AlertRule cannot be used, for
	// example because an exclusion expression does not compile.
	InvalidRuleReason string = "InvalidRule"
)
