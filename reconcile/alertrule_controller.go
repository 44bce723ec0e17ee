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
	"fmt"
	"regexp"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/patch"
	"github.com/fluxcd/pkg/runtime/predicates"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// alertRuleProviderIndex indexes AlertRules by their AlertProvider, as
// namespace/name.
const alertRuleProviderIndex = ".spec.providerRef"

// AlertRule reconciles wait this long before looking again at a provider
// that is missing or not Ready (the provider's watch usually wakes them up
// first).
const alertRuleProviderRequeue = time.Minute

// AlertRuleReconciler checks that each AlertRule can be used: its exclusion
// expressions compile, its event sources stay in its namespace when
// cross-namespace references are refused, and its AlertProvider exists and
// is Ready. Matching events to rules is the notify.Dispatcher's work.
type AlertRuleReconciler struct {
	client.Client
	events.Recorder
	helper.Metrics

	// ControllerName is the field owner of status patches.
	ControllerName string

	// NoCrossNamespaceRefs refuses event sources in other namespaces than
	// the rule's.
	NoCrossNamespaceRefs bool
}

// AlertRuleReconcilerOptions configures the AlertRule controller.
type AlertRuleReconcilerOptions struct {
	// MaxConcurrentReconciles is the number of AlertRules reconciled at
	// once.
	MaxConcurrentReconciles int

	// RateLimiter is the retry backoff of failing reconciles.
	RateLimiter workqueue.TypedRateLimiter[reconcile.Request]
}

// SetupWithManager registers the controller: AlertRules are indexed by
// provider and reconciled when their spec changes, a reconcile is requested,
// or their AlertProvider changes.
func (r *AlertRuleReconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager, opts AlertRuleReconcilerOptions) error {
	if err := mgr.GetFieldIndexer().IndexField(ctx, &v1alpha1.AlertRule{}, alertRuleProviderIndex, func(o client.Object) []string {
		rule := o.(*v1alpha1.AlertRule)
		return []string{rule.Namespace + "/" + rule.Spec.ProviderRef.Name}
	}); err != nil {
		return fmt.Errorf("indexing AlertRules by provider: %w", err)
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.AlertRule{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicates.ReconcileRequestedPredicate{}))).
		Watches(&v1alpha1.AlertProvider{}, handler.EnqueueRequestsFromMapFunc(r.requestsForProvider),
			builder.WithPredicates(predicate.ResourceVersionChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles, RateLimiter: opts.RateLimiter}).
		Complete(r)
}

// requestsForProvider returns the AlertRules that use an AlertProvider.
func (r *AlertRuleReconciler) requestsForProvider(ctx context.Context, o client.Object) []reconcile.Request {
	var list v1alpha1.AlertRuleList
	if err := r.List(ctx, &list, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{alertRuleProviderIndex: o.GetNamespace() + "/" + o.GetName()}); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing AlertRules of a provider", "provider", o.GetName())
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for i := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&list.Items[i])})
	}
	return reqs
}

// Reconcile runs the frame (frame.run) with the steps reconcileRule and
// reconcileProvider.
func (r *AlertRuleReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := &v1alpha1.AlertRule{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	f := &frame{Client: r.Client, Recorder: r.Recorder, Metrics: r.Metrics, owner: r.ControllerName, owned: alertOwnedConditions, readyEvents: true}
	return f.run(ctx, obj, status{&obj.Status.ObservedGeneration, &obj.Status.ReconcileRequestStatus, obj.Spec.Suspend}, steps{
		reconcile: func(ctx context.Context, _ *patch.SerialPatcher) (ctrl.Result, error) {
			if err := r.reconcileRule(obj); err != nil {
				return ctrl.Result{}, err
			}
			return ctrl.Result{}, r.reconcileProvider(ctx, obj)
		},
	})
}

// reconcileRule checks the rule itself. It returns a stall
// with InvalidRuleReason when an exclusion expression does not compile, and
// with CrossNamespaceRefBlockedReason when an event source names another
// namespace while cross-namespace references are refused; both become Ready
// False and Stalled. It sets no condition on success.
func (r *AlertRuleReconciler) reconcileRule(obj *v1alpha1.AlertRule) error {
	for i, expr := range obj.Spec.ExclusionList {
		if _, err := regexp.Compile(expr); err != nil {
			return stall(v1alpha1.InvalidRuleReason, "exclusionList[%d] is not a valid regular expression: %w", i, err)
		}
	}
	if r.NoCrossNamespaceRefs {
		for i, src := range obj.Spec.EventSources {
			if src.Namespace != "" && src.Namespace != obj.Namespace {
				return stall(v1alpha1.CrossNamespaceRefBlockedReason, "eventSources[%d] names namespace %q: cross-namespace references are not allowed", i, src.Namespace)
			}
		}
	}
	return nil
}

// reconcileProvider checks the rule's AlertProvider. It marks Ready True
// when the provider exists and is Ready for its current generation; when
// it is missing or not Ready it returns a wait with
// ProviderNotReadyReason (Ready False, Reconciling, requeue). Read errors are
// returned to be retried.
func (r *AlertRuleReconciler) reconcileProvider(ctx context.Context, obj *v1alpha1.AlertRule) error {
	var p v1alpha1.AlertProvider
	key := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.ProviderRef.Name}
	if err := r.Get(ctx, key, &p); err != nil {
		if apierrors.IsNotFound(err) {
			return &waiting{reason: v1alpha1.ProviderNotReadyReason, after: alertRuleProviderRequeue,
				message: fmt.Sprintf("AlertProvider %q not found", key.Name)}
		}
		return fmt.Errorf("reading AlertProvider %q: %w", key.Name, err)
	}
	ready := conditions.Get(&p, meta.ReadyCondition)
	if ready == nil || ready.Status != "True" || p.Status.ObservedGeneration != p.Generation {
		msg := fmt.Sprintf("AlertProvider %q is not ready", key.Name)
		if ready != nil && ready.Status != "True" && ready.Message != "" {
			msg += ": " + ready.Message
		}
		return &waiting{reason: v1alpha1.ProviderNotReadyReason, after: alertRuleProviderRequeue, message: msg}
	}
	msg := fmt.Sprintf("sending to %s provider %q", p.Spec.Type, p.Name)
	if p.Spec.Suspend {
		msg += " (suspended)"
	}
	conditions.MarkTrue(obj, meta.ReadyCondition, meta.SucceededReason, "%s", msg)
	return nil
}
