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

// SchemaRepositoryKind is the kind of SchemaRepository objects.
const SchemaRepositoryKind = "SchemaRepository"

// SchemaRepositorySpec is the desired state of a SchemaRepository: where the
// Git repository is, which ref to follow and how often to look.
type SchemaRepositorySpec struct {
	// URL of the Git repository: http://, https://, ssh://, file://, or the
	// scp-like form user@host:path (taken as SSH).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^(https?|ssh|file)://.+$') || self.matches('^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:.+$')",message="url must start with http://, https://, ssh:// or file://, or be scp-like (git@host:org/repo)"
	// +required
	URL string `json:"url"`

	// SecretRef names a Secret in the same namespace with the credentials of
	// the repository: username and password, bearerToken, or identity (an SSH
	// private key, optionally with password) and known_hosts; ca.crt for a
	// custom certificate authority over HTTPS.
	// +optional
	SecretRef *meta.LocalObjectReference `json:"secretRef,omitempty"`

	// Interval at which the remote is checked for a new revision.
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +kubebuilder:validation:XValidation:rule="!self.matches('^([0-9]+([.][0-9]+)?(ms|s|m|h))+$') || duration(self) >= duration('1s')",message="interval must be at least 1s"
	// +required
	Interval metav1.Duration `json:"interval"`

	// Timeout bounds each Git operation (listing refs, fetching).
	// +kubebuilder:default="60s"
	// +kubebuilder:validation:Type=string
	// +kubebuilder:validation:Pattern="^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"
	// +optional
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// Reference selects the ref to follow. Without it the remote's default
	// branch (HEAD) is followed.
	// +optional
	Reference *GitRepositoryRef `json:"ref,omitempty"`

	// Ignore holds patterns in gitignore syntax of files to leave out of the
	// artifact. The .git folder is always left out.
	// +optional
	Ignore *string `json:"ignore,omitempty"`

	// Suspend tells the controller to stop polling this repository. The
	// current artifact stays available.
	// +optional
	Suspend bool `json:"suspend,omitempty"`

	// Webhook lets a Git host tell the agent about a push, so that the new
	// commit is fetched and applied at once instead of at the next interval.
	// The agent serves it on --receiver-addr.
	// +optional
	Webhook *WebhookSpec `json:"webhook,omitempty"`
}

// WebhookSpec configures the push webhook of a SchemaRepository, served by the
// agent at /hook/<namespace>/<name> on --receiver-addr.
type WebhookSpec struct {
	// SecretRef names a Secret in the same namespace whose key token is the
	// webhook's secret: the HMAC key of GitHub's X-Hub-Signature-256 and of a
	// generic X-Signature (sha256=<hex> or sha512=<hex>), or the value of
	// GitLab's X-Gitlab-Token.
	// +required
	SecretRef meta.LocalObjectReference `json:"secretRef"`
}

// GitRepositoryRef selects the Git reference to follow. At most one field may
// be set, except branch and commit together, as Flux's GitRepository accepts
// them: the commit is checked out and the branch names the revision.
// +kubebuilder:validation:XValidation:rule="[has(self.branch) || has(self.commit), has(self.tag), has(self.semver), has(self.name)].filter(x, x).size() <= 1",message="at most one of branch, tag, semver, commit and name may be set, except branch with commit"
type GitRepositoryRef struct {
	// Branch to follow, e.g. main.
	// +kubebuilder:validation:MinLength=1
	// +optional
	Branch string `json:"branch,omitempty"`

	// Tag to check out, e.g. v1.2.0.
	// +kubebuilder:validation:MinLength=1
	// +optional
	Tag string `json:"tag,omitempty"`

	// SemVer is a semantic version range; the highest matching tag is
	// checked out, e.g. ">=1.0.0 <2.0.0".
	// +kubebuilder:validation:MinLength=1
	// +optional
	SemVer string `json:"semver,omitempty"`

	// Name is a full reference name, e.g. refs/heads/main or
	// refs/pull/42/head.
	// +kubebuilder:validation:Pattern="^refs/.+$"
	// +optional
	Name string `json:"name,omitempty"`

	// Commit is an exact commit SHA-1 to check out.
	// +kubebuilder:validation:Pattern="^[a-f0-9]{40}$"
	// +optional
	Commit string `json:"commit,omitempty"`
}

// SchemaRepositoryStatus is the observed state of a SchemaRepository.
type SchemaRepositoryStatus struct {
	// ObservedGeneration is the last generation that was fully handled.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// Conditions holds the conditions of the SchemaRepository: Ready,
	// Reconciling, Stalled, FetchFailed, ArtifactInStorage.
	// +optional
	// +listType=map
	// +listMapKey=type
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// Artifact is the output of the last successful fetch.
	// +optional
	Artifact *Artifact `json:"artifact,omitempty"`

	// ObservedIgnore is the spec.ignore the artifact was produced with, so
	// that a change of the patterns produces a new artifact even when the
	// remote did not move.
	// +optional
	ObservedIgnore *string `json:"observedIgnore,omitempty"`

	meta.ReconcileRequestStatus `json:",inline"`
}

// Artifact describes the files of a source at one revision, as stored in the
// controller's local cache.
type Artifact struct {
	// Revision identifies the commit in Flux's format: <branch>@sha1:<hex>,
	// <tag>@sha1:<hex>, <refname>@sha1:<hex>, or sha1:<hex> for a bare commit.
	// +required
	Revision string `json:"revision"`

	// Digest of the artifact's content in the form <algorithm>:<hex>: a hash
	// of the files themselves (path, kind, size and content of each, in path
	// order), equal for equal files whatever the commit. It is not the digest
	// of the tarball at url; that is archiveDigest.
	// +kubebuilder:validation:Pattern="^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$"
	// +required
	Digest string `json:"digest"`

	// Size of the artifact's content in bytes.
	// +optional
	Size *int64 `json:"size,omitempty"`

	// LastUpdateTime is when the artifact was produced.
	// +required
	LastUpdateTime metav1.Time `json:"lastUpdateTime"`

	// Path of the artifact relative to the controller's cache directory.
	// +optional
	Path string `json:"path,omitempty"`

	// URL is where the agent serves the artifact's files as a gzip-compressed
	// tarball, http://<--storage-adv-addr>/schemarepository/<namespace>/<name>/<hex>.tar.gz,
	// the shape of the url of a Flux source's artifact. Empty when the agent
	// serves no artifacts (--storage-addr "").
	// +optional
	URL string `json:"url,omitempty"`

	// ArchiveDigest is the digest of the tarball at url in the form
	// sha256:<hex>, what a consumer verifies the download with (the field Flux
	// sources name digest).
	// +kubebuilder:validation:Pattern="^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$"
	// +optional
	ArchiveDigest string `json:"archiveDigest,omitempty"`
}

// HasRevision reports whether the artifact is of the given revision. A nil
// artifact has no revision.
func (in *Artifact) HasRevision(revision string) bool {
	return in != nil && in.Revision == revision
}

// HasDigest reports whether the artifact has the given digest. A nil
// artifact has no digest.
func (in *Artifact) HasDigest(digest string) bool {
	return in != nil && in.Digest == digest
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=srepo,categories=schemactl
// +kubebuilder:printcolumn:name="URL",type=string,JSONPath=`.spec.url`
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:printcolumn:name="Revision",type=string,JSONPath=`.status.artifact.revision`
// +kubebuilder:printcolumn:name="Suspended",type=boolean,JSONPath=`.spec.suspend`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`

// SchemaRepository is a Git repository holding desired schemas as plain SQL
// files. Its controller follows a ref and keeps the files of the current
// revision in a local cache for the Databases that refer to it.
type SchemaRepository struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec is the desired state of the SchemaRepository.
	Spec SchemaRepositorySpec `json:"spec,omitempty"`

	// Status is the observed state of the SchemaRepository, written by its controller.
	// +kubebuilder:default={"observedGeneration":-1}
	Status SchemaRepositoryStatus `json:"status,omitempty"`
}

// GetConditions returns the status conditions of the object.
func (in *SchemaRepository) GetConditions() []metav1.Condition {
	return in.Status.Conditions
}

// SetConditions sets the status conditions of the object.
func (in *SchemaRepository) SetConditions(conditions []metav1.Condition) {
	in.Status.Conditions = conditions
}

// GetRequeueAfter returns the interval at which the remote is checked.
func (in *SchemaRepository) GetRequeueAfter() time.Duration {
	return in.Spec.Interval.Duration
}

// GetTimeout returns the timeout of one Git operation, 60s when unset.
func (in *SchemaRepository) GetTimeout() time.Duration {
	if in.Spec.Timeout != nil && in.Spec.Timeout.Duration > 0 {
		return in.Spec.Timeout.Duration
	}
	return 60 * time.Second
}

// GetArtifact returns the current artifact, or nil when there is none yet.
func (in *SchemaRepository) GetArtifact() *Artifact {
	return in.Status.Artifact
}

// +kubebuilder:object:root=true

// SchemaRepositoryList is a list of SchemaRepository objects.
type SchemaRepositoryList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`

	// Items are the SchemaRepository objects of the list.
	Items []SchemaRepository `json:"items"`
}

func init() {
	SchemeBuilder.Register(&SchemaRepository{}, &SchemaRepositoryList{})
}
