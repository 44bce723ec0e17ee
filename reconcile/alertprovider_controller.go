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

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/patch"
	"github.com/fluxcd/pkg/runtime/predicates"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/notify"
)

// alertProviderSecretIndex indexes AlertProviders by the Secrets they refer
// to, as namespace/name.
const alertProviderSecretIndex = ".spec.alertProviderSecretRefs" //nolint:gosec // G101: the name of a field index, not a credential

// alertOwnedConditions are the conditions the AlertProvider and AlertRule
// reconcilers own.
var alertOwnedConditions = []string{meta.ReadyCondition, meta.ReconcilingCondition, meta.StalledCondition}

// AlertProviderReconciler checks that each AlertProvider can be used: its
// Secrets exist and hold a valid address (and, for generic-hmac, a token),
// its proxy address and CA certificate parse. Ready says so, or says why
// not, without ever repeating a Secret's value. Deliveries themselves are
// the notify.Dispatcher's work.
type AlertProviderReconciler struct {
	client.Client
	events.Recorder
	helper.Metrics

	// ControllerName is the field owner of status patches.
	ControllerName string

	// Dispatcher, when set, forgets the delivery metrics of deleted
	// providers.
	Dispatcher *notify.Dispatcher
}

// AlertProviderReconcilerOptions configures the AlertProvider controller.
type AlertProviderReconcilerOptions struct {
	// MaxConcurrentReconciles is the number of AlertProviders reconciled at
	// once.
	MaxConcurrentReconciles int

	// RateLimiter is the retry backoff of failing reconciles.
	RateLimiter workqueue.TypedRateLimiter[reconcile.Request]
}

// SetupWithManager registers the controller: AlertProviders are indexed by
// their Secrets and reconciled when their spec changes, a reconcile is
// requested, or one of their Secrets changes.
func (r *AlertProviderReconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager, opts AlertProviderReconcilerOptions) error {
	if err := mgr.GetFieldIndexer().IndexField(ctx, &v1alpha1.AlertProvider{}, alertProviderSecretIndex, func(o client.Object) []string {
		p := o.(*v1alpha1.AlertProvider)
		keys := []string{p.Namespace + "/" + p.Spec.SecretRef.Name}
		if p.Spec.CertSecretRef != nil {
			keys = append(keys, p.Namespace+"/"+p.Spec.CertSecretRef.Name)
		}
		if p.Spec.ProxySecretRef != nil {
			keys = append(keys, p.Namespace+"/"+p.Spec.ProxySecretRef.Name)
		}
		return keys
	}); err != nil {
		return fmt.Errorf("indexing AlertProviders by secret: %w", err)
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.AlertProvider{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicates.ReconcileRequestedPredicate{}))).
		Watches(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.requestsForSecret),
			builder.WithPredicates(predicate.ResourceVersionChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles, RateLimiter: opts.RateLimiter}).
		Complete(r)
}

// requestsForSecret returns the AlertProviders that refer to a Secret.
func (r *AlertProviderReconciler) requestsForSecret(ctx context.Context, o client.Object) []reconcile.Request {
	var list v1alpha1.AlertProviderList
	if err := r.List(ctx, &list, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{alertProviderSecretIndex: o.GetNamespace() + "/" + o.GetName()}); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing AlertProviders of a secret", "secret", o.GetName())
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for i := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&list.Items[i])})
	}
	return reqs
}

// Reconcile runs the frame (frame.run) with one step, reconcileProvider; on
// deletion the Dispatcher forgets the provider's delivery metrics.
func (r *AlertProviderReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := &v1alpha1.AlertProvider{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	f := &frame{Client: r.Client, Recorder: r.Recorder, Metrics: r.Metrics, owner: r.ControllerName, owned: alertOwnedConditions, readyEvents: true}
	return f.run(ctx, obj, status{&obj.Status.ObservedGeneration, &obj.Status.ReconcileRequestStatus, obj.Spec.Suspend}, steps{
		reconcile: func(ctx context.Context, _ *patch.SerialPatcher) (ctrl.Result, error) {
			return ctrl.Result{}, r.reconcileProvider(ctx, obj)
		},
		cleanup: func(context.Context) error {
			if r.Dispatcher != nil {
				r.Dispatcher.ForgetProvider(obj.Namespace, obj.Name)
			}
			return nil
		},
	})
}

// reconcileProvider resolves the Secrets of obj. It marks Ready True when the
// provider can be used; when it cannot (a missing Secret or key, an invalid
// address) it returns a stall with InvalidProviderReason,
// which becomes Ready False and Stalled until a Secret or the spec changes.
// Other read errors are returned as they are, to be retried.
func (r *AlertProviderReconciler) reconcileProvider(ctx context.Context, obj *v1alpha1.AlertProvider) error {
	if err := notify.ValidateProvider(ctx, r.Client, obj); err != nil {
		var invalid *notify.InvalidProviderError
		if errors.As(err, &invalid) {
			return stallErr(v1alpha1.InvalidProviderReason, err)
		}
		return err
	}
	conditions.MarkTrue(obj, meta.ReadyCondition, meta.SucceededReason, "%s provider is ready", obj.Spec.Type)
	return nil
}
