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
	"context"
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/source"
)

// ErrSourceNotReady is returned by ArtifactGetter.GetArtifact while a source
// does not exist or has no artifact in the local store yet. It is a waiting
// condition for a consumer (SourceNotReadyReason), not an error to retry
// with backoff: the consumer's watch on sources triggers it again.
var ErrSourceNotReady = errors.New("source not ready")

// SourceArtifact is the current artifact of a source as a consumer sees it.
type SourceArtifact struct {
	// Revision is the revision in Flux's format, e.g. main@sha1:<hex>.
	Revision string
	// Digest is the digest of the content, sha256:<hex>.
	Digest string
	// Path is the absolute local folder holding the files. It stays
	// readable while the artifact is current and, after a newer one is
	// stored, until garbage collection removes it (the store retains the
	// previous artifact): read it within one reconciliation, do not keep it.
	Path string
}

// ArtifactGetter gives consumers, such as the Database controller, the
// current artifact of the source they refer to.
type ArtifactGetter interface {
	// GetArtifact returns the artifact of the source ref for a consumer in
	// the namespace consumerNamespace. The error wraps ErrSourceNotReady
	// when the source is missing or has no artifact yet, and is an
	// acl.AccessDeniedError (acl.IsAccessDenied) when the reference crosses
	// namespaces while that is forbidden.
	GetArtifact(ctx context.Context, consumerNamespace string, ref types.NamespacedName) (*SourceArtifact, error)

	// GetArtifactRevision returns the retained artifact of the source ref at
	// revision (a Database's spec.sourceRevision), current or not. The error
	// wraps ErrRevisionUnavailable when it is not retained, and is checked for
	// cross-namespace references as GetArtifact's.
	GetArtifactRevision(ctx context.Context, consumerNamespace string, ref types.NamespacedName, revision string) (*SourceArtifact, error)
}

// ErrRevisionUnavailable is returned for a pinned revision
// (spec.sourceRevision) that the agent does not hold: the Database waits
// (SourceRevisionUnavailableReason).
var ErrRevisionUnavailable = errors.New("pinned revision unavailable")

// SchemaRepositoryArtifacts is the ArtifactGetter of SchemaRepository
// sources: it reads the object's status through Reader (the manager's
// cached client will do) and finds the files in Storage, the store the
// SchemaRepositoryReconciler writes to.
type SchemaRepositoryArtifacts struct {
	// Reader reads SchemaRepository objects.
	Reader client.Reader
	// Storage is the store of the SchemaRepositoryReconciler.
	Storage *source.Store
	// NoCrossNamespaceRefs refuses references to a source in another
	// namespace than the consumer's (--no-cross-namespace-refs).
	NoCrossNamespaceRefs bool
}

var _ ArtifactGetter = (*SchemaRepositoryArtifacts)(nil)

// GetArtifact implements ArtifactGetter.
func (a *SchemaRepositoryArtifacts) GetArtifact(ctx context.Context, consumerNamespace string, ref types.NamespacedName) (*SourceArtifact, error) {
	ref, err := sourceKey(consumerNamespace, v1alpha1.SchemaRepositoryKind, ref, a.NoCrossNamespaceRefs)
	if err != nil {
		return nil, err
	}
	obj, err := getSchemaRepository(ctx, a.Reader, ref)
	if err != nil {
		return nil, err
	}
	status := obj.GetArtifact()
	if status == nil {
		return nil, fmt.Errorf("%w: %s '%s' has no artifact yet", ErrSourceNotReady, v1alpha1.SchemaRepositoryKind, ref)
	}
	stored, err := a.Storage.Get(status.Path)
	if err != nil || stored.Revision != status.Revision {
		return nil, fmt.Errorf("%w: the artifact of %s '%s' at revision '%s' is not in the local store yet",
			ErrSourceNotReady, v1alpha1.SchemaRepositoryKind, ref, status.Revision)
	}
	return &SourceArtifact{Revision: stored.Revision, Digest: stored.Digest, Path: stored.Path}, nil
}

// GetArtifactRevision implements ArtifactGetter.
func (a *SchemaRepositoryArtifacts) GetArtifactRevision(_ context.Context, consumerNamespace string, ref types.NamespacedName, revision string) (*SourceArtifact, error) {
	ref, err := sourceKey(consumerNamespace, v1alpha1.SchemaRepositoryKind, ref, a.NoCrossNamespaceRefs)
	if err != nil {
		return nil, err
	}
	stored, err := a.Storage.FindRevision(ref.Namespace+"/"+ref.Name, revision)
	if err != nil {
		return nil, err
	}
	if stored == nil {
		return nil, fmt.Errorf("%w: revision '%s' of %s '%s' is not retained in the agent's store",
			ErrRevisionUnavailable, revision, v1alpha1.SchemaRepositoryKind, ref)
	}
	return &SourceArtifact{Revision: stored.Revision, Digest: stored.Digest, Path: stored.Path}, nil
}

// SchemaRepositoryRevisionChangePredicate lets through the updates of a
// SchemaRepository whose artifact changed (a first artifact, a new revision,
// or new content for the same revision after a change of spec.ignore), and
// deletions. A consumer watches SchemaRepository objects with it and maps
// them to its own objects through an index on their source reference:
//
//	// in DatabaseReconciler.SetupWithManager
//	mgr.GetFieldIndexer().IndexField(ctx, &v1alpha1.Database{}, databaseSourceIndex,
//		func(o client.Object) []string { /* "<namespace>/<name>" of spec.sourceRef */ })
//	ctrl.NewControllerManagedBy(mgr).
//		For(&v1alpha1.Database{}, ...).
//		Watches(&v1alpha1.SchemaRepository{},
//			handler.EnqueueRequestsFromMapFunc(r.requestsFor(databaseSourceIndex)), // List with client.MatchingFields{databaseSourceIndex: ns/name}
//			builder.WithPredicates(SchemaRepositoryRevisionChangePredicate{}))
type SchemaRepositoryRevisionChangePredicate struct {
	predicate.Funcs
}

// Create drops creations: a new source has no artifact yet.
func (SchemaRepositoryRevisionChangePredicate) Create(event.CreateEvent) bool { return false }

// Generic drops generic events.
func (SchemaRepositoryRevisionChangePredicate) Generic(event.GenericEvent) bool { return false }

// Delete lets deletions through, so that consumers notice a source is gone.
func (SchemaRepositoryRevisionChangePredicate) Delete(event.DeleteEvent) bool { return true }

// Update lets through the updates that change the artifact.
func (SchemaRepositoryRevisionChangePredicate) Update(e event.UpdateEvent) bool {
	oldObj, okOld := e.ObjectOld.(*v1alpha1.SchemaRepository)
	newObj, okNew := e.ObjectNew.(*v1alpha1.SchemaRepository)
	if !okOld || !okNew {
		return false
	}
	oldArt, newArt := oldObj.GetArtifact(), newObj.GetArtifact()
	switch {
	case newArt == nil:
		return false
	case oldArt == nil:
		return true
	}
	return oldArt.Revision != newArt.Revision || oldArt.Digest != newArt.Digest
}
