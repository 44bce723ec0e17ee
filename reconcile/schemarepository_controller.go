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
	"strings"
	"time"

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
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
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

// schemaRepositoryReadyConditions derive Ready, in order of priority, as in
// Flux's source-controller.
var schemaRepositoryReadyConditions = rreconcile.Conditions{
	Target: meta.ReadyCondition,
	Owned:  schemaRepositoryOwnedConditions,
	Summarize: []string{
		meta.StalledCondition,
		v1alpha1.FetchFailedCondition,
		v1alpha1.ArtifactInStorageCondition,
		meta.ReconcilingCondition,
	},
	NegativePolarity: []string{
		meta.StalledCondition,
		v1alpha1.FetchFailedCondition,
		meta.ReconcilingCondition,
	},
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
}

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

// Reconcile brings one SchemaRepository up to date with its remote.
func (r *SchemaRepositoryReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	start := time.Now()
	log := ctrl.LoggerFrom(ctx)

	obj := &v1alpha1.SchemaRepository{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	sp := patch.NewSerialPatcher(obj, r.Client)

	defer func() {
		result, retErr = r.finalize(ctx, sp, obj, result, retErr)
		r.Metrics.RecordDuration(ctx, obj, start)
		r.Metrics.RecordReadiness(ctx, obj)
	}()

	if !obj.GetDeletionTimestamp().IsZero() {
		return r.reconcileDelete(ctx, obj)
	}

	// The finalizer is patched at once, not with the status at the end, so
	// that no artifact can be written for an object whose deletion would not
	// wait for its removal.
	if !controllerutil.ContainsFinalizer(obj, v1alpha1.Finalizer) {
		controllerutil.AddFinalizer(obj, v1alpha1.Finalizer)
		if err := sp.Patch(ctx, obj, patch.WithFieldOwner(r.ControllerName)); err != nil {
			return ctrl.Result{}, fmt.Errorf("adding the finalizer: %w", err)
		}
	}

	r.Metrics.RecordSuspend(ctx, obj, obj.Spec.Suspend)
	if obj.Spec.Suspend {
		log.Info("reconciliation is suspended for this object")
		return ctrl.Result{}, nil
	}

	return r.reconcile(ctx, sp, obj)
}

// schemaRepositoryStep is one step of the reconciliation. It returns an
// error to stop the chain; a *schemaRepositoryStall stops it for good.
type schemaRepositoryStep func(ctx context.Context, sp *patch.SerialPatcher, obj *v1alpha1.SchemaRepository, st *schemaRepositoryState) error

// schemaRepositoryState is what the steps of one reconciliation pass on.
type schemaRepositoryState struct {
	// artifact is the artifact of the resolved revision.
	artifact *source.Artifact
	// fetched tells whether the artifact was fetched in this run.
	fetched bool
}

// schemaRepositoryStall is an error a retry cannot fix: the object (or its
// Secret) has to change. It ends the reconciliation with Stalled=True and
// no requeue; a change of the object or of its Secret triggers the next.
type schemaRepositoryStall struct {
	reason string
	err    error
}

func (e *schemaRepositoryStall) Error() string { return e.err.Error() }
func (e *schemaRepositoryStall) Unwrap() error { return e.err }

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
		var stall *schemaRepositoryStall
		if errors.As(err, &stall) {
			conditions.MarkStalled(obj, stall.reason, "%s", stall.err)
			conditions.MarkFalse(obj, meta.ReadyCondition, stall.reason, "%s", stall.err)
			r.event(obj, corev1.EventTypeWarning, stall.reason, r.currentRevision(obj), stall.err.Error())
			return ctrl.Result{}, nil
		}
		if err != nil {
			return ctrl.Result{}, err
		}
	}
	return ctrl.Result{RequeueAfter: obj.GetRequeueAfter()}, nil
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
		return &schemaRepositoryStall{
			reason: v1alpha1.FileURLNotAllowedReason,
			err: errors.New("file:// repository URLs are not allowed: they read from the agent's own filesystem; " +
				"use https:// or ssh://, or run the agent with --allow-file-urls (for demos and tests only)"),
		}
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
			return nil, &schemaRepositoryStall{
				reason: v1alpha1.AuthenticationFailedReason,
				err:    fmt.Errorf("secret '%s' not found", key),
			}
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
		return &schemaRepositoryStall{reason: reason, err: err}
	}
	conditions.MarkTrue(obj, v1alpha1.FetchFailedCondition, reason, "%s", err)
	revision := attempted
	if revision == "" {
		revision = r.currentRevision(obj)
	}
	r.event(obj, corev1.EventTypeWarning, reason, revision, err.Error())
	return err
}

// reconcileArtifact records the artifact in the status, with
// ArtifactInStorage=True, emits a NewArtifact event when the revision or
// content changed, and removes older artifacts beyond those retained.
func (r *SchemaRepositoryReconciler) reconcileArtifact(ctx context.Context, _ *patch.SerialPatcher, obj *v1alpha1.SchemaRepository, st *schemaRepositoryState) error {
	a := st.artifact
	prev := obj.GetArtifact()
	changed := !prev.HasRevision(a.Revision) || !prev.HasDigest(a.Digest)
	size := a.Size
	obj.Status.Artifact = &v1alpha1.Artifact{
		Revision:       a.Revision,
		Digest:         a.Digest,
		Size:           &size,
		LastUpdateTime: metav1.NewTime(a.LastUpdateTime),
		Path:           a.RelPath,
	}
	obj.Status.ObservedIgnore = obj.Spec.Ignore
	conditions.MarkTrue(obj, v1alpha1.ArtifactInStorageCondition, meta.SucceededReason,
		"stored artifact for revision '%s'", a.Revision)

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
	removed, err := r.Storage.GC(schemaRepositoryOwner(obj), a.RelPath)
	if err != nil {
		// A failed garbage collection costs disk space, not correctness.
		log.Error(err, "removing old artifacts")
	}
	if len(removed) > 0 {
		log.V(1).Info("removed old artifacts", "paths", removed)
	}
	return nil
}

// reconcileDelete removes the artifacts of the object, then the finalizer.
func (r *SchemaRepositoryReconciler) reconcileDelete(ctx context.Context, obj *v1alpha1.SchemaRepository) (ctrl.Result, error) {
	if err := r.Storage.Remove(schemaRepositoryOwner(obj)); err != nil {
		return ctrl.Result{}, fmt.Errorf("removing artifacts: %w", err)
	}
	controllerutil.RemoveFinalizer(obj, v1alpha1.Finalizer)
	ctrl.LoggerFrom(ctx).V(1).Info("removed artifacts and finalizer")
	return ctrl.Result{}, nil
}

// finalize derives Ready from the owned conditions, records
// lastHandledReconcileAt, patches the object and jitters the requeue. It is
// deferred by Reconcile, so it runs whatever the outcome.
func (r *SchemaRepositoryReconciler) finalize(ctx context.Context, sp *patch.SerialPatcher, obj *v1alpha1.SchemaRepository, res ctrl.Result, recErr error) (ctrl.Result, error) {
	if !obj.GetDeletionTimestamp().IsZero() && !controllerutil.ContainsFinalizer(obj, v1alpha1.Finalizer) {
		// Deleted: only the finalizer removal is left to patch.
		if err := sp.Patch(ctx, obj, patch.WithFieldOwner(r.ControllerName)); err != nil && !apierrors.IsNotFound(err) {
			return res, errors.Join(recErr, fmt.Errorf("removing the finalizer: %w", err))
		}
		return res, recErr
	}
	if obj.Spec.Suspend && recErr == nil {
		// Suspended: the conditions stay as the last run left them; a
		// reconcile request is acknowledged, and the new generation (the
		// suspension itself) counts as handled when the object is Ready.
		if v, ok := meta.ReconcileAnnotationValue(obj.GetAnnotations()); ok {
			obj.Status.SetLastHandledReconcileRequest(v)
		}
		opts := rreconcile.AddPatchOptions(obj, nil, schemaRepositoryOwnedConditions, r.ControllerName)
		if err := sp.Patch(ctx, obj, opts...); err != nil && !apierrors.IsNotFound(err) {
			return res, fmt.Errorf("patching status: %w", err)
		}
		return res, nil
	}
	if recErr != nil {
		// A retry follows: the object is still progressing towards Ready.
		conditions.MarkReconciling(obj, meta.ProgressingWithRetryReason, "%s", recErr)
	}
	isSuccess := func(res ctrl.Result, err error) bool {
		return err == nil && res.RequeueAfter == obj.GetRequeueAfter()
	}
	recErr = rreconcile.NewResultFinalizer(isSuccess, "", schemaRepositoryReadyConditions).Finalize(obj, res, recErr)

	opts := rreconcile.AddPatchOptions(obj, nil, schemaRepositoryOwnedConditions, r.ControllerName)
	if err := sp.Patch(ctx, obj, opts...); err != nil {
		if apierrors.IsNotFound(err) {
			return res, recErr
		}
		recErr = errors.Join(recErr, fmt.Errorf("patching status: %w", err))
	}
	if recErr == nil {
		res = jitter.JitteredRequeueInterval(res)
	}
	return res, recErr
}

// patchOptions returns the options of an intermediate status patch: our
// field owner and conditions. Only finalize advances observedGeneration.
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
