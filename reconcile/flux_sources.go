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
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	ctrlsource "sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/source"
)

// ErrSourceKindNotInstalled is returned by FluxArtifacts.GetFluxArtifact when the
// API server does not serve the kind of Flux's source a Database names: Flux's
// source-controller is not installed. The Database waits
// (SourceKindNotInstalledReason) and looks again; nothing crashes.
var ErrSourceKindNotInstalled = errors.New("source kind not installed")

// fluxSource is what the controller needs of Flux's source kinds.
type fluxSource interface {
	client.Object
	GetArtifact() *meta.Artifact
}

// fluxSourceKinds are the kinds of Flux's sources a Database may name, with a
// constructor of the typed object (source-controller's api module, v1).
var fluxSourceKinds = map[string]func() fluxSource{
	v1alpha1.GitRepositoryKind:    func() fluxSource { return &sourcev1.GitRepository{} },
	v1alpha1.OCIRepositoryKind:    func() fluxSource { return &sourcev1.OCIRepository{} },
	v1alpha1.BucketKind:           func() fluxSource { return &sourcev1.Bucket{} },
	v1alpha1.ExternalArtifactKind: func() fluxSource { return &sourcev1.ExternalArtifact{} },
}

// FluxArtifacts gives consumers the artifact of one of Flux's sources
// (GitRepository, OCIRepository, Bucket, ExternalArtifact): it reads the object's
// status.artifact through Reader, downloads the tarball at its url, verifies it
// against its digest before anything is extracted, and extracts it into Storage
// with the path and size safety of SchemaRepository artifacts. Artifacts are
// cached by digest: a source whose artifact did not change costs no download.
type FluxArtifacts struct {
	// Reader reads Flux's source objects (the manager's cached client will do).
	Reader client.Reader
	// Storage holds the extracted artifacts; owners are <kind>/<namespace>/<name>.
	Storage *source.Store
	// HTTPClient downloads artifacts; nil means one with a 5 minute timeout.
	HTTPClient *http.Client
	// NoCrossNamespaceRefs refuses references to a source in another namespace
	// than the consumer's (--no-cross-namespace-refs).
	NoCrossNamespaceRefs bool
	// Hostname, when set, replaces the host of artifact URLs, as
	// SOURCE_CONTROLLER_LOCALHOST does for Flux's own consumers (an agent run out
	// of the cluster with a port-forward to source-controller).
	Hostname string

	// locks serializes the fetches of one source, so that two Databases of the
	// same source download and write its artifact once.
	locks sync.Map
}

// GetFluxArtifact returns the current artifact of the Flux source ref for a
// consumer in consumerNamespace. Its Revision and Digest are Flux's
// (main@sha1:<hex>, sha256:<hex> of the tarball). The error wraps
// ErrSourceKindNotInstalled when the kind is not served, ErrSourceNotReady while
// the object is missing or has no artifact, source.ErrDigestMismatch for an
// artifact that is not what the source announced, and is an acl.AccessDeniedError
// for a cross-namespace reference that is not allowed.
func (a *FluxArtifacts) GetFluxArtifact(ctx context.Context, consumerNamespace string, ref v1alpha1.CrossNamespaceSourceReference) (*SourceArtifact, error) {
	key, err := sourceKey(consumerNamespace, ref.Kind, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, a.NoCrossNamespaceRefs)
	if err != nil {
		return nil, err
	}
	obj, err := getFluxSource(ctx, a.Reader, ref.Kind, key)
	if err != nil {
		return nil, err
	}
	art := obj.GetArtifact()
	switch {
	case art == nil:
		return nil, fmt.Errorf("%w: %s '%s' has no artifact yet", ErrSourceNotReady, ref.Kind, key)
	case art.Digest == "":
		return nil, fmt.Errorf("%w: the artifact of %s '%s' has no digest to verify it against", ErrSourceNotReady, ref.Kind, key)
	}
	artifactURL, err := a.artifactURL(art.URL)
	if err != nil {
		return nil, fmt.Errorf("%w: %s '%s': %w", source.ErrArchiveFetch, ref.Kind, key, err)
	}
	owner := strings.ToLower(ref.Kind) + "/" + key.Namespace + "/" + key.Name
	mu, _ := a.locks.LoadOrStore(owner, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	stored, err := a.Storage.FetchArchive(ctx, a.httpClient(), owner, art.Revision, artifactURL, art.Digest)
	if err != nil {
		return nil, fmt.Errorf("artifact of %s '%s' at revision '%s': %w", ref.Kind, key, art.Revision, err)
	}
	if _, err := a.Storage.GC(owner, stored.RelPath); err != nil {
		ctrl.LoggerFrom(ctx).V(1).Info("garbage collection of Flux artifacts failed", "source", owner, "error", err.Error())
	}
	return &SourceArtifact{Revision: art.Revision, Digest: art.Digest, Path: stored.Path}, nil
}

// GetFluxArtifactRevision returns the artifact of the Flux source ref at
// revision (a Database's spec.sourceRevision): the current one, or one fetched
// before and still retained in Storage. The error wraps ErrRevisionUnavailable
// when the source's current artifact is another revision and that one was never
// fetched or is gone.
func (a *FluxArtifacts) GetFluxArtifactRevision(ctx context.Context, consumerNamespace string, ref v1alpha1.CrossNamespaceSourceReference, revision string) (*SourceArtifact, error) {
	art, err := a.GetFluxArtifact(ctx, consumerNamespace, ref)
	if err != nil || art.Revision == revision {
		return art, err
	}
	ns := ref.Namespace
	if ns == "" {
		ns = consumerNamespace
	}
	stored, err := a.Storage.FindRevision(strings.ToLower(ref.Kind)+"/"+ns+"/"+ref.Name, revision)
	if err != nil {
		return nil, err
	}
	if stored == nil {
		return nil, fmt.Errorf("%w: %s '%s/%s' serves revision '%s', and revision '%s' is not retained in the agent's store",
			ErrRevisionUnavailable, ref.Kind, ns, ref.Name, art.Revision, revision)
	}
	return &SourceArtifact{Revision: stored.Revision, Digest: stored.Digest, Path: stored.Path}, nil
}

func (a *FluxArtifacts) artifactURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid artifact URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("artifact URL %q is not http(s)", u.Redacted())
	}
	if a.Hostname != "" {
		u.Host = a.Hostname
	}
	return u.String(), nil
}

func (a *FluxArtifacts) httpClient() *http.Client {
	if a.HTTPClient != nil {
		return a.HTTPClient
	}
	return &http.Client{Timeout: 5 * time.Minute}
}

// FluxSourceRevisionChangePredicate lets through the events of a Flux source
// whose artifact changed (a first artifact, a new revision or digest), the
// creation of one that has an artifact (which is also how a watch started late
// sees the existing sources), and deletions.
type FluxSourceRevisionChangePredicate struct {
	predicate.Funcs
}

// Create lets through sources created with an artifact.
func (FluxSourceRevisionChangePredicate) Create(e event.CreateEvent) bool {
	s, ok := e.Object.(fluxSource)
	return ok && s.GetArtifact() != nil
}

// Generic drops generic events.
func (FluxSourceRevisionChangePredicate) Generic(event.GenericEvent) bool { return false }

// Delete lets deletions through, so that consumers notice a source is gone.
func (FluxSourceRevisionChangePredicate) Delete(event.DeleteEvent) bool { return true }

// Update lets through the updates that change the artifact.
func (FluxSourceRevisionChangePredicate) Update(e event.UpdateEvent) bool {
	oldObj, okOld := e.ObjectOld.(fluxSource)
	newObj, okNew := e.ObjectNew.(fluxSource)
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

// fluxSourceKey is the value of databaseFluxSourceIndex for a source.
func fluxSourceKey(kind, namespace, name string) string {
	return kind + "/" + namespace + "/" + name
}

// fluxSourceWatches adds a watch of each of Flux's source kinds to the Database
// controller once the API server serves it: at start for those installed, and
// later, within interval, for those installed after the agent started. A kind
// that is not installed is never watched, so that the controller's caches sync
// and the agent runs without Flux; Databases naming it wait with
// SourceKindNotInstalled.
type fluxSourceWatches struct {
	controller controller.Controller
	cache      cache.Cache
	mapper     apimeta.RESTMapper
	handler    func(kind string) handler.EventHandler
	interval   time.Duration
}

// Start implements manager.Runnable; it returns once every kind is watched.
func (w *fluxSourceWatches) Start(ctx context.Context) error {
	log := ctrl.LoggerFrom(ctx).WithName("flux-sources")
	pending := map[string]bool{}
	for kind := range fluxSourceKinds {
		pending[kind] = true
	}
	for {
		for kind := range pending {
			if _, err := w.mapper.RESTMapping(schema.GroupKind{Group: v1alpha1.FluxSourceGroup, Kind: kind}, sourcev1.GroupVersion.Version); err != nil {
				if !apimeta.IsNoMatchError(err) {
					log.Error(err, "looking up a Flux source kind", "kind", kind)
				}
				continue
			}
			src := ctrlsource.Kind[client.Object](w.cache, fluxSourceKinds[kind](), w.handler(kind), FluxSourceRevisionChangePredicate{})
			if err := w.controller.Watch(src); err != nil {
				log.Error(err, "watching a Flux source kind", "kind", kind)
				continue
			}
			log.Info("watching Flux source kind", "kind", kind)
			delete(pending, kind)
		}
		if len(pending) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(w.interval):
		}
	}
}
