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
	"time"

	"github.com/fluxcd/pkg/runtime/acl"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/source"
)

// sourceKey resolves a source reference of a consumer in consumerNamespace:
// an empty namespace is the consumer's, and with noCrossNamespaceRefs
// (--no-cross-namespace-refs) another namespace is an acl.AccessDeniedError.
// Every consumer of a source (Database, DatabaseSet) goes through it.
func sourceKey(consumerNamespace, kind string, ref types.NamespacedName, noCrossNamespaceRefs bool) (types.NamespacedName, error) {
	if ref.Namespace == "" {
		ref.Namespace = consumerNamespace
	}
	if noCrossNamespaceRefs && ref.Namespace != consumerNamespace {
		return ref, acl.AccessDeniedError(fmt.Sprintf(
			"can't access '%s/%s', cross-namespace references have been blocked", kind, ref))
	}
	return ref, nil
}

// getFluxSource reads one of Flux's source objects. The error wraps
// ErrSourceKindNotInstalled when the kind is not served and ErrSourceNotReady
// when the object is missing.
func getFluxSource(ctx context.Context, reader client.Reader, kind string, key types.NamespacedName) (fluxSource, error) {
	newObj, ok := fluxSourceKinds[kind]
	if !ok {
		return nil, fmt.Errorf("%q is not a kind of Flux's sources", kind)
	}
	obj := newObj()
	if err := reader.Get(ctx, key, obj); err != nil {
		switch {
		case apimeta.IsNoMatchError(err):
			return nil, fmt.Errorf("%w: %s.%s is not served by the API server: install Flux's source-controller (and its CRDs) to use %s '%s'",
				ErrSourceKindNotInstalled, kind, v1alpha1.FluxSourceGroup, kind, key)
		case client.IgnoreNotFound(err) == nil:
			return nil, fmt.Errorf("%w: %s '%s' not found", ErrSourceNotReady, kind, key)
		}
		return nil, fmt.Errorf("reading %s '%s': %w", kind, key, err)
	}
	return obj, nil
}

// getSchemaRepository reads a SchemaRepository; the error wraps
// ErrSourceNotReady when it is missing.
func getSchemaRepository(ctx context.Context, reader client.Reader, key types.NamespacedName) (*v1alpha1.SchemaRepository, error) {
	var obj v1alpha1.SchemaRepository
	if err := reader.Get(ctx, key, &obj); err != nil {
		if client.IgnoreNotFound(err) == nil {
			return nil, fmt.Errorf("%w: %s '%s' not found", ErrSourceNotReady, v1alpha1.SchemaRepositoryKind, key)
		}
		return nil, fmt.Errorf("reading %s '%s': %w", v1alpha1.SchemaRepositoryKind, key, err)
	}
	return &obj, nil
}

// currentRevision returns the revision of the current artifact of the source
// ref (a SchemaRepository or one of Flux's sources) for a consumer in
// consumerNamespace, without fetching it. Its errors are those of
// GetArtifact and GetFluxArtifact: ErrSourceNotReady while the source is
// missing or has no artifact, ErrSourceKindNotInstalled, and an
// acl.AccessDeniedError for a reference the ACL refuses.
func currentRevision(ctx context.Context, reader client.Reader, consumerNamespace string, ref v1alpha1.CrossNamespaceSourceReference, noCrossNamespaceRefs bool) (string, error) {
	key, err := sourceKey(consumerNamespace, ref.Kind, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, noCrossNamespaceRefs)
	if err != nil {
		return "", err
	}
	if ref.IsFlux() {
		obj, err := getFluxSource(ctx, reader, ref.Kind, key)
		if err != nil {
			return "", err
		}
		if a := obj.GetArtifact(); a != nil && a.Revision != "" {
			return a.Revision, nil
		}
	} else {
		obj, err := getSchemaRepository(ctx, reader, key)
		if err != nil {
			return "", err
		}
		if a := obj.GetArtifact(); a != nil && a.Revision != "" {
			return a.Revision, nil
		}
	}
	return "", fmt.Errorf("%w: %s '%s' has no artifact yet", ErrSourceNotReady, ref.Kind, key)
}

// sourceError turns an error of the source lookup into the outcome of a
// consumer's reconcile: a wait for what time mends (a source without an
// artifact, a kind not installed, a pinned revision not retained), a stall for
// a reference the ACL refuses, and a transient error otherwise.
func sourceError(err error, retry time.Duration) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrRevisionUnavailable):
		return &waiting{reason: v1alpha1.SourceRevisionUnavailableReason, message: err.Error(), after: retry}
	case acl.IsAccessDenied(err):
		return stall(v1alpha1.CrossNamespaceRefBlockedReason, "%v", err)
	case errors.Is(err, ErrSourceKindNotInstalled):
		return &waiting{reason: v1alpha1.SourceKindNotInstalledReason, message: err.Error(), after: retry}
	case errors.Is(err, ErrSourceNotReady):
		return &waiting{reason: v1alpha1.SourceNotReadyReason, message: err.Error(), after: retry}
	case errors.Is(err, source.ErrDigestMismatch):
		return transient(v1alpha1.ArtifactDigestMismatchReason, err)
	case errors.Is(err, source.ErrArchiveFetch), errors.Is(err, source.ErrUnsafePath), errors.Is(err, source.ErrSizeLimitExceeded), errors.Is(err, source.ErrStorage):
		return transient(v1alpha1.ArtifactFailedReason, err)
	}
	return transient(v1alpha1.SourceNotReadyReason, err)
}
