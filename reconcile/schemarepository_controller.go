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
	"net/url"
	"strings"

	eventv1 "github.com/fluxcd/pkg/apis/event/v1"
	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/jitter"
	"github.com/fluxcd/pkg/runtime/patch"
	"github.com/fluxcd/pkg/runtime/predicates"
	rreconcile "github.com/fluxcd/pkg/runtime/reconcile"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	ctrlreconcile "sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/source"
)

// SchemaRepositorySecretIndexKey indexes SchemaRepository objects by the name
// of the Secret in spec.secretRef, so that a change of a Secret reconciles
// the sources that use it.
const SchemaRepositorySecretIndexKey = ".spec.secretRef.name" //nolint:gosec // G101: the name of a field index, not a credential

// RevisionAnnotation is the annotation of events that carries the revision
// of the artifact, as Flux's controllers do: <group>/revision, which the Flux
// notification-controller reads as the revision.
var RevisionAnnotation = v1alpha1.GroupVersion.Group + "/" + eventv1.MetaRevisionKey

// schemaRepositoryOwnedConditions are the conditions the SchemaRepository
// reconciler owns: a patch overwrites them with the reconciler's view.
var schemaRepositoryOwnedConditions = []string{
	meta.ReadyCondition,
	meta.ReconcilingCondition,
	meta.StalledCondition,
	v1alpha1.FetchFailedCondition,
	v1alpha1.ArtifactInStorageCondition,
}

// SchemaRepositoryReconciler reconciles SchemaRepository objects: it follows
// a ref of a Git repository and keeps the files of its current revision in
// Storage for the Databases that refer to it.
type SchemaRepositoryReconciler struct {
	client.Client
	events.Recorder
	helper.Metrics

	// Storage holds the artifacts.
	Storage *source.Store

	// ControllerName is the field owner of status patches.
	ControllerName string

	// AllowFileURLs lets sources use file:// URLs (--allow-file-urls). Off, they
	// stall with FileURLNotAllowed: a file URL reads a repository from the agent's
	// own filesystem, which a tenant that may create SchemaRepositories must not
	// reach. The demo and tests turn it on.
	AllowFileURLs bool

	// StorageAdvAddr is the host[:port] under which the agent serves the
	// tarballs of Storage (--storage-adv-addr): status.artifact.url is
	// http://<StorageAdvAddr>/schemarepository/<namespace>/<name>/<hex>.tar.gz.
	// Empty, the status has no url.
	StorageAdvAddr string
}

// ArtifactURLPrefix is the path under which the agent serves the tarballs of
// SchemaRepository artifacts: <prefix><namespace>/<name>/<hex>.tar.gz, as
// source-controller serves /gitrepository/... .
const ArtifactURLPrefix = "/schemarepository/"

// SchemaRepositoryReconcilerOptions configures SetupWithManager.
type SchemaRepositoryReconcilerOptions struct {
	// RateLimiter paces retries after errors; nil keeps controller-runtime's
	// default. Flux's helper.GetRateLimiter builds one from
	// --min-retry-delay and --max-retry-delay.
	RateLimiter workqueue.TypedRateLimiter[ctrlreconcile.Request]
}

// SetupWithManager registers the reconciler with mgr: it watches
// SchemaRepository objects (on a new generation or a reconcile request) and
// the metadata of Secrets, indexed by spec.secretRef.name, so that rotating
// credentials reconciles the sources that use them without caching every
// Secret of the cluster.
func (r *SchemaRepositoryReconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager, opts SchemaRepositoryReconcilerOptions) error {
	if r.ControllerName == "" {
		r.ControllerName = "schema-controller"
	}
	if err := mgr.GetFieldIndexer().IndexField(ctx, &v1alpha1.SchemaRepository{}, SchemaRepositorySecretIndexKey,
		func(o client.Object) []string {
			obj, ok := o.(*v1alpha1.SchemaRepository)
			if !ok || obj.Spec.SecretRef == nil || obj.Spec.SecretRef.Name == "" {
				return nil
			}
			return []string{obj.Spec.SecretRef.Name}
		}); err != nil {
		return fmt.Errorf("indexing SchemaRepository objects by Secret: %w", err)
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.SchemaRepository{}, builder.WithPredicates(
			predicate.Or(predicate.GenerationChangedPredicate{}, predicates.ReconcileRequestedPredicate{}),
		)).
		WatchesMetadata(&corev1.Secret{},
			handler.EnqueueRequestsFromMapFunc(r.requestsForSecret),
			builder.WithPredicates(predicate.ResourceVersionChangedPredicate{}),
		).
		WithOptions(controller.Options{RateLimiter: opts.RateLimiter}).
		Complete(r)
}

// requestsForSecret returns the SchemaRepository objects that use the Secret.
func (r *SchemaRepositoryReconciler) requestsForSecret(ctx context.Context, secret client.Object) []ctrlreconcile.Request {
	var list v1alpha1.SchemaRepositoryList
	if err := r.List(ctx, &list, client.InNamespace(secret.GetNamespace()),
		client.MatchingFields{SchemaRepositorySecretIndexKey: secret.GetName()}); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing SchemaRepository objects for a Secret", "secret", secret.GetName())
		return nil
	}
	reqs := make([]ctrlreconcile.Request, 0, len(list.Items))
	for _, obj := range list.Items {
		reqs = append(reqs, ctrlreconcile.Request{NamespacedName: types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name}})
	}
	return reqs
}

// Reconcile runs the frame (frame.run) with the SchemaRepository's steps; on
// deletion its artifacts are removed before the finalizer goes.
func (r *SchemaRepositoryReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := &v1alpha1.SchemaRepository{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	f := &frame{Client: r.Client, Recorder: r.Recorder, Metrics: r.Metrics, owner: r.ControllerName, owned: schemaRepositoryOwnedConditions,
		metricConditions: []string{v1alpha1.FetchFailedCondition}}
	return f.run(ctx, obj, status{&obj.Status.ObservedGeneration, &obj.Status.ReconcileRequestStatus, obj.Spec.Suspend}, steps{
		reconcile: func(ctx context.Context, sp *patch.SerialPatcher) (ctrl.Result, error) {
			return r.reconcile(ctx, sp, obj)
		},
		cleanup: func(ctx context.Context) error {
			if err := r.Storage.Remove(schemaRepositoryOwner(obj)); err != nil {
				return fmt.Errorf("removing artifacts: %w", err)
			}
			ctrl.LoggerFrom(ctx).V(1).Info("removed artifacts")
			return nil
		},
	})
}

// schemaRepositoryStep is one step of the reconciliation. It returns an
// error to stop the chain; a stall stops it for good.
type schemaRepositoryStep func(ctx context.Context, sp *patch.SerialPatcher, obj *v1alpha1.SchemaRepository, st *schemaRepositoryState) error

// schemaRepositoryState is what the steps of one reconciliation pass on.
type schemaRepositoryState struct {
	// artifact is the artifact of the resolved revision.
	artifact *source.Artifact
	// fetched tells whether the artifact was fetched in this run.
	fetched bool
}

// reconcile runs the steps in order and turns their outcome into a result.
func (r *SchemaRepositoryReconciler) reconcile(ctx context.Context, sp *patch.SerialPatcher, obj *v1alpha1.SchemaRepository) (ctrl.Result, error) {
	if obj.Generation != obj.Status.ObservedGeneration {
		rreconcile.ProgressiveStatus(false, obj, meta.ProgressingReason,
			"processing object: new generation %d -> %d", obj.Status.ObservedGeneration, obj.Generation)
		if err := sp.Patch(ctx, obj, r.patchOptions()...); err != nil {
			return ctrl.Result{}, fmt.Errorf("patching status: %w", err)
		}
	}
	var st schemaRepositoryState
	for _, step := range []schemaRepositoryStep{r.reconcileStorage, r.reconcileSource, r.reconcileArtifact} {
		err := step(ctx, sp, obj, &st)
		var stalled *stallingError
		if errors.As(err, &stalled) {
			r.event(obj, corev1.EventTypeWarning, stalled.reason, r.currentRevision(obj), stalled.Error())
		}
		if err != nil {
			return ctrl.Result{}, err
		}
	}
	return ctrl.Result{RequeueAfter: jitter.JitteredIntervalDuration(obj.GetRequeueAfter())}, nil
}

// reconcileStorage checks that the artifact in the status is still in the
// store (an emptyDir cache does not survive a rescheduled pod). When it is
// not, it drops status.artifact and ArtifactInStorage and marks Reconciling,
// so that the next steps build it again.
func (r *SchemaRepositoryReconciler) reconcileStorage(ctx context.Context, sp *patch.SerialPatcher, obj *v1alpha1.SchemaRepository, _ *schemaRepositoryState) error {
	missing := false
	if a := obj.GetArtifact(); a != nil {
		if _, err := r.Storage.Get(a.Path); err != nil {
			obj.Status.Artifact = nil
			missing = true
		}
	}
	if obj.GetArtifact() == nil {
		msg := "building artifact"
		if missing {
			msg += ": disappeared from storage"
		}
		rreconcile.ProgressiveStatus(true, obj, meta.ProgressingReason, "%s", msg)
		conditions.Delete(obj, v1alpha1.ArtifactInStorageCondition)
		if err := sp.Patch(ctx, obj, r.patchOptions()...); err != nil {
			return fmt.Errorf("patching status: %w", err)
		}
	}
	return nil
}

// reconcileSource reads the Secret, asks the remote for the revision of the
// ref and, when the store lacks it, fetches it (depth 1) and stores it.
//
// It sets FetchFailed=True on a failure worth a retry (network,
// authentication refused, unknown ref, size limit) and returns the error; it
// returns a stall (Stalled=True) for an invalid URL or reference and for a
// Secret that is missing or lacks keys, and for a file:// URL without
// AllowFileURLs (FileURLNotAllowed). It removes FetchFailed on success and
// marks Reconciling before a fetch.
func (r *SchemaRepositoryReconciler) reconcileSource(ctx context.Context, sp *patch.SerialPatcher, obj *v1alpha1.SchemaRepository, st *schemaRepositoryState) error {
	if u, err := source.ParseURL(obj.Spec.URL); err == nil && u.Transport == source.TransportFile && !r.AllowFileURLs {
		return stallErr(v1alpha1.FileURLNotAllowedReason,
			errors.New("file:// repository URLs are not allowed: they read from the agent's own filesystem; "+
				"use https:// or ssh://, or run the agent with --allow-file-urls (for demos and tests only)"))
	}
	data, err := r.secretData(ctx, obj)
	if err != nil {
		return err
	}
	repo, err := source.NewRepository(obj.Spec.URL, data)
	if err != nil {
		return r.sourceError(obj, "", err)
	}

	ctx, cancel := context.WithTimeout(ctx, obj.GetTimeout())
	defer cancel()
	var attempted string
	res, err := source.Sync(ctx, repo, r.Storage, source.SyncRequest{
		Owner:     schemaRepositoryOwner(obj),
		Reference: schemaRepositoryReference(obj),
		Ignore:    schemaRepositoryIgnore(obj),
		BeforeFetch: func(ctx context.Context, c source.Commit) error {
			attempted = c.Revision()
			rreconcile.ProgressiveStatus(false, obj, meta.ProgressingReason,
				"building artifact: new upstream revision '%s'", attempted)
			if err := sp.Patch(ctx, obj, r.patchOptions()...); err != nil {
				return fmt.Errorf("patching status: %w", err)
			}
			return nil
		},
	})
	if err != nil {
		return r.sourceError(obj, attempted, err)
	}
	conditions.Delete(obj, v1alpha1.FetchFailedCondition)
	st.artifact, st.fetched = res.Artifact, res.Fetched
	return nil
}

// secretData returns the data of the Secret in spec.secretRef, or nil when
// there is none. A missing Secret stalls: the watch on Secrets reconciles
// the object again once it exists.
func (r *SchemaRepositoryReconciler) secretData(ctx context.Context, obj *v1alpha1.SchemaRepository) (map[string][]byte, error) {
	if obj.Spec.SecretRef == nil || obj.Spec.SecretRef.Name == "" {
		return nil, nil
	}
	var secret corev1.Secret
	key := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.SecretRef.Name}
	if err := r.Get(ctx, key, &secret); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, stall(v1alpha1.AuthenticationFailedReason, "secret '%s' not found", key)
		}
		return nil, fmt.Errorf("reading secret '%s': %w", key, err)
	}
	return secret.Data, nil
}

// sourceError sorts an error of the source package: a stall for what the
// user must fix, FetchFailed=True and a Warning event for the rest.
func (r *SchemaRepositoryReconciler) sourceError(obj *v1alpha1.SchemaRepository, attempted string, err error) error {
	reason := v1alpha1.GitOperationFailedReason
	switch {
	case errors.Is(err, source.ErrInvalidURL):
		reason = v1alpha1.InvalidURLReason
	case errors.Is(err, source.ErrInvalidAuth), errors.Is(err, source.ErrAuthenticationFailed), errors.Is(err, source.ErrHostKey):
		reason = v1alpha1.AuthenticationFailedReason
	case errors.Is(err, source.ErrSizeLimitExceeded):
		reason = v1alpha1.SizeLimitExceededReason
	case errors.Is(err, source.ErrStorage):
		reason = v1alpha1.StorageOperationFailedReason
	}
	if source.IsStalling(err) {
		return stallErr(reason, err)
	}
	conditions.MarkTrue(obj, v1alpha1.FetchFailedCondition, reason, "%s", err)
	revision := attempted
	if revision == "" {
		revision = r.currentRevision(obj)
	}
	r.event(obj, corev1.EventTypeWarning, reason, revision, err.Error())
	return transient(reason, err)
}

// reconcileArtifact records the artifact in the status, with
// ArtifactInStorage=True, emits a NewArtifact event when the revision or
// content changed, and removes older artifacts beyond those retained.
func (r *SchemaRepositoryReconciler) reconcileArtifact(ctx context.Context, _ *patch.SerialPatcher, obj *v1alpha1.SchemaRepository, st *schemaRepositoryState) error {
	a, err := r.Storage.EnsureTarball(st.artifact)
	if err != nil {
		return transient(v1alpha1.StorageOperationFailedReason, err)
	}
	prev := obj.GetArtifact()
	changed := !prev.HasRevision(a.Revision) || !prev.HasDigest(a.Digest)
	size := a.Size
	obj.Status.Artifact = &v1alpha1.Artifact{
		Revision:       a.Revision,
		Digest:         a.Digest,
		Size:           &size,
		LastUpdateTime: metav1.NewTime(a.LastUpdateTime),
		Path:           a.RelPath,
		ArchiveDigest:  a.TarballDigest,
	}
	if r.StorageAdvAddr != "" && a.TarballDigest != "" {
		obj.Status.Artifact.URL = (&url.URL{Scheme: "http", Host: r.StorageAdvAddr,
			Path: ArtifactURLPrefix + schemaRepositoryOwner(obj) + "/" + a.TarballName()}).String()
	}
	obj.Status.ObservedIgnore = obj.Spec.Ignore
	conditions.MarkTrue(obj, v1alpha1.ArtifactInStorageCondition, meta.SucceededReason,
		"stored artifact for revision '%s'", a.Revision)
	conditions.MarkTrue(obj, meta.ReadyCondition, meta.SucceededReason, "stored artifact for revision '%s'", a.Revision)

	if changed {
		msg := fmt.Sprintf("stored artifact for revision '%s'", a.Revision)
		if len(a.Warnings) > 0 {
			msg += "; left out: " + strings.Join(a.Warnings, "; ")
		}
		r.event(obj, corev1.EventTypeNormal, v1alpha1.NewArtifactReason, a.Revision, msg)
	}
	log := ctrl.LoggerFrom(ctx)
	if !st.fetched {
		log.V(1).Info("remote unchanged, artifact up to date", "revision", a.Revision)
	}
	for _, w := range a.Warnings {
		log.Info("artifact warning", "revision", a.Revision, "warning", w)
	}
	removed, err := r.Storage.GCPinned(schemaRepositoryOwner(obj), a.RelPath, r.pinnedRevisions(ctx, obj))
	if err != nil {
		// A failed garbage collection costs disk space, not correctness.
		log.Error(err, "removing old artifacts")
	}
	if len(removed) > 0 {
		log.V(1).Info("removed old artifacts", "paths", removed)
	}
	return nil
}

// pinnedRevisions returns whether a revision of obj is pinned by a Database
// (spec.sourceRevision, as a DatabaseSet's rollout sets it): garbage collection
// keeps those artifacts, so that members not yet moved to a new revision keep
// being enforced at theirs. When the Databases cannot be listed, nothing is
// pinned beyond the retained artifacts (logged).
func (r *SchemaRepositoryReconciler) pinnedRevisions(ctx context.Context, obj *v1alpha1.SchemaRepository) func(string) bool {
	var list v1alpha1.DatabaseList
	if err := r.List(ctx, &list); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing Databases for their pinned revisions")
		return nil
	}
	pins := map[string]bool{}
	for i := range list.Items {
		db := &list.Items[i]
		if db.Spec.SourceRevision != "" && !db.Spec.SourceRef.IsFlux() &&
			db.Spec.SourceRef.Name == obj.Name && db.GetSourceNamespace() == obj.Namespace {
			pins[db.Spec.SourceRevision] = true
		}
	}
	return func(revision string) bool { return pins[revision] }
}

// patchOptions returns the options of an intermediate status patch: our
// field owner and conditions. Only the frame's summary advances
// observedGeneration.
func (r *SchemaRepositoryReconciler) patchOptions() []patch.Option {
	return []patch.Option{
		patch.WithOwnedConditions{Conditions: schemaRepositoryOwnedConditions},
		patch.WithFieldOwner(r.ControllerName),
	}
}

// event records a Kubernetes event (and forwards it to a notification
// controller, when one is configured) with the revision as annotation.
func (r *SchemaRepositoryReconciler) event(obj *v1alpha1.SchemaRepository, eventType, reason, revision, msg string) {
	var annotations map[string]string
	if revision != "" {
		annotations = map[string]string{RevisionAnnotation: revision}
	}
	r.AnnotatedEventf(obj, nil, annotations, eventType, reason, "Reconcile", "%s", msg)
}

// currentRevision returns the revision of the current artifact, or "".
func (r *SchemaRepositoryReconciler) currentRevision(obj *v1alpha1.SchemaRepository) string {
	if a := obj.GetArtifact(); a != nil {
		return a.Revision
	}
	return ""
}

// schemaRepositoryOwner is the owner of the artifacts of obj in the store.
func schemaRepositoryOwner(obj *v1alpha1.SchemaRepository) string {
	return obj.Namespace + "/" + obj.Name
}

// schemaRepositoryReference converts spec.ref.
func schemaRepositoryReference(obj *v1alpha1.SchemaRepository) source.Reference {
	ref := obj.Spec.Reference
	if ref == nil {
		return source.Reference{}
	}
	return source.Reference{Branch: ref.Branch, Tag: ref.Tag, SemVer: ref.SemVer, Name: ref.Name, Commit: ref.Commit}
}

// schemaRepositoryIgnore returns spec.ignore, "" when unset.
func schemaRepositoryIgnore(obj *v1alpha1.SchemaRepository) string {
	s := obj.Spec.Ignore
	if s == nil {
		return ""
	}
	return *s
}
