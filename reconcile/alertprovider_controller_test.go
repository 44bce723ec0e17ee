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
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/notify"
)

// alertTestDispatcher is the Dispatcher of the test manager, as the agent
// wires it.
var alertTestDispatcher *notify.Dispatcher

func init() {
	testSetups = append(testSetups, func(ctx context.Context, mgr ctrl.Manager, deps testDependencies) error {
		d := deps.Dispatcher
		alertTestDispatcher = d
		if err := (&AlertProviderReconciler{
			Client:         mgr.GetClient(),
			Recorder:       deps.EventRecorder,
			Metrics:        deps.Metrics,
			ControllerName: testFieldOwner,
			Dispatcher:     d,
		}).SetupWithManager(ctx, mgr, AlertProviderReconcilerOptions{}); err != nil {
			return err
		}
		return (&AlertRuleReconciler{
			Client:         mgr.GetClient(),
			Recorder:       deps.EventRecorder,
			Metrics:        deps.Metrics,
			ControllerName: testFieldOwner,
		}).SetupWithManager(ctx, mgr, AlertRuleReconcilerOptions{})
	})
}

// alertReady checks the Ready condition of obj: status, reason and message,
// and that the generation was handled.
func alertReady(g Gomega, obj conditions.Getter, observed int64, status metav1.ConditionStatus, reason, message string) {
	ready := conditions.Get(obj, meta.ReadyCondition)
	g.Expect(ready).NotTo(BeNil())
	g.Expect(ready.Status).To(Equal(status))
	g.Expect(ready.Reason).To(Equal(reason))
	g.Expect(ready.Message).To(Equal(message))
	g.Expect(observed).To(Equal(obj.GetGeneration()))
}

// alertGet reads obj again from the API server.
func alertGet[T client.Object](g Gomega, obj T) T {
	g.Expect(testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj)).To(Succeed())
	return obj
}

// alertRequestReconcile sets the reconcile.fluxcd.io/requestedAt annotation.
func alertRequestReconcile(t *testing.T, obj client.Object, token string) {
	t.Helper()
	g := NewWithT(t)
	g.Eventually(func() error {
		alertGet(g, obj)
		ann := obj.GetAnnotations()
		if ann == nil {
			ann = map[string]string{}
		}
		ann[meta.ReconcileRequestAnnotation] = token
		obj.SetAnnotations(ann)
		return testClient.Update(context.Background(), obj)
	}, testTimeout, testInterval).Should(Succeed())
}

// alertUpdate changes obj with mutate, retrying on conflicts.
func alertUpdate[T client.Object](t *testing.T, obj T, mutate func(T)) {
	t.Helper()
	g := NewWithT(t)
	g.Eventually(func() error {
		alertGet(g, obj)
		mutate(obj)
		return testClient.Update(context.Background(), obj)
	}, testTimeout, testInterval).Should(Succeed())
}

// alertEventuallyGone waits until obj is deleted from the API server.
func alertEventuallyGone(t *testing.T, obj client.Object) {
	t.Helper()
	NewWithT(t).Eventually(func() bool {
		return apierrors.IsNotFound(testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj))
	}, testTimeout, testInterval).Should(BeTrue())
}

// TestAlertProviderReconciler_lifecycle: a provider whose Secret lacks the
// address is not Ready and says which key is missing; adding the key makes
// it Ready; requestedAt is echoed; suspend and delete.
func TestAlertProviderReconciler_lifecycle(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := testEnv.CreateNamespace(t, "alertprovider")
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "slack-webhook", Namespace: ns},
		StringData: map[string]string{"url": "https://hooks.slack.com/services/T0K3N"},
	}
	g.Expect(testClient.Create(ctx, secret)).To(Succeed())
	obj := &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "slack", Namespace: ns},
		Spec: v1alpha1.AlertProviderSpec{
			Type:      v1alpha1.SlackProvider,
			Channel:   "#db-alerts",
			SecretRef: meta.LocalObjectReference{Name: "slack-webhook"},
		},
	}
	g.Expect(testClient.Create(ctx, obj)).To(Succeed())

	g.Eventually(func(g Gomega) {
		alertGet(g, obj)
		g.Expect(obj.Finalizers).To(ContainElement(v1alpha1.Finalizer))
		alertReady(g, obj, obj.Status.ObservedGeneration, metav1.ConditionFalse, v1alpha1.InvalidProviderReason,
			`secret "slack-webhook" has no key "address"`)
		g.Expect(conditions.IsStalled(obj)).To(BeTrue())
	}, testTimeout, testInterval).Should(Succeed())

	// The Secret's watch brings the provider back once the key is there.
	alertUpdate(t, secret, func(s *corev1.Secret) {
		s.StringData = map[string]string{notify.AddressKey: "https://hooks.slack.com/services/T0K3N"}
	})
	g.Eventually(func(g Gomega) {
		alertGet(g, obj)
		alertReady(g, obj, obj.Status.ObservedGeneration, metav1.ConditionTrue, meta.SucceededReason, "slack provider is ready")
		g.Expect(conditions.Has(obj, meta.StalledCondition)).To(BeFalse())
	}, testTimeout, testInterval).Should(Succeed())
	for _, c := range obj.Status.Conditions {
		g.Expect(c.Message).NotTo(ContainSubstring("T0K3N"))
	}

	// An invalid address is reported without repeating it.
	alertUpdate(t, secret, func(s *corev1.Secret) {
		s.StringData = map[string]string{notify.AddressKey: "hooks.slack.com/services/T0K3N"}
	})
	g.Eventually(func(g Gomega) {
		alertGet(g, obj)
		alertReady(g, obj, obj.Status.ObservedGeneration, metav1.ConditionFalse, v1alpha1.InvalidProviderReason,
			`the address in secret "slack-webhook" is invalid: the scheme must be http or https`)
	}, testTimeout, testInterval).Should(Succeed())
	alertUpdate(t, secret, func(s *corev1.Secret) {
		s.StringData = map[string]string{notify.AddressKey: "https://hooks.slack.com/services/T0K3N"}
	})
	g.Eventually(func() bool { return conditions.IsReady(alertGet(g, obj)) }, testTimeout, testInterval).Should(BeTrue())

	alertRequestReconcile(t, obj, "token-1")
	g.Eventually(func() string { return alertGet(g, obj).Status.LastHandledReconcileAt }, testTimeout, testInterval).Should(Equal("token-1"))

	alertUpdate(t, obj, func(p *v1alpha1.AlertProvider) { p.Spec.Suspend = true })
	g.Eventually(func() bool {
		alertGet(g, obj)
		return obj.Status.ObservedGeneration == obj.Generation
	}, testTimeout, testInterval).Should(BeTrue())
	g.Expect(conditions.IsReady(obj)).To(BeTrue(), "suspending leaves the status as it was")

	g.Expect(testClient.Delete(ctx, obj)).To(Succeed())
	alertEventuallyGone(t, obj)
}

// TestAlertRuleReconciler_lifecycle: a rule waits for its provider, is
// Ready once the provider is, stalls on an invalid exclusion expression,
// echoes requestedAt and is deleted.
func TestAlertRuleReconciler_lifecycle(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := testEnv.CreateNamespace(t, "alertrule")
	obj := &v1alpha1.AlertRule{
		ObjectMeta: metav1.ObjectMeta{Name: "drift", Namespace: ns},
		Spec: v1alpha1.AlertRuleSpec{
			ProviderRef:  meta.LocalObjectReference{Name: "webhook"},
			EventSources: []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}},
		},
	}
	g.Expect(testClient.Create(ctx, obj)).To(Succeed())
	g.Eventually(func(g Gomega) {
		alertGet(g, obj)
		ready := conditions.Get(obj, meta.ReadyCondition)
		g.Expect(ready).NotTo(BeNil())
		alertReady(g, obj, ready.ObservedGeneration, metav1.ConditionFalse, v1alpha1.ProviderNotReadyReason, `AlertProvider "webhook" not found`)
		g.Expect(conditions.IsReconciling(obj)).To(BeTrue())
		// Waiting is not done: the generation stays unobserved.
		g.Expect(obj.Status.ObservedGeneration).NotTo(Equal(obj.Generation))
	}, testTimeout, testInterval).Should(Succeed())

	g.Expect(testClient.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "webhook", Namespace: ns},
		StringData: map[string]string{notify.AddressKey: "https://receiver.example/hook"},
	})).To(Succeed())
	g.Expect(testClient.Create(ctx, &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "webhook", Namespace: ns},
		Spec:       v1alpha1.AlertProviderSpec{Type: v1alpha1.GenericProvider, SecretRef: meta.LocalObjectReference{Name: "webhook"}},
	})).To(Succeed())
	g.Eventually(func(g Gomega) {
		alertGet(g, obj)
		alertReady(g, obj, obj.Status.ObservedGeneration, metav1.ConditionTrue, meta.SucceededReason, `sending to generic provider "webhook"`)
		g.Expect(conditions.IsReconciling(obj)).To(BeFalse())
	}, testTimeout, testInterval).Should(Succeed())

	alertUpdate(t, obj, func(r *v1alpha1.AlertRule) { r.Spec.ExclusionList = []string{"^ok", "(unclosed"} })
	g.Eventually(func(g Gomega) {
		alertGet(g, obj)
		alertReady(g, obj, obj.Status.ObservedGeneration, metav1.ConditionFalse, v1alpha1.InvalidRuleReason,
			"exclusionList[1] is not a valid regular expression: error parsing regexp: missing closing ): `(unclosed`")
		g.Expect(conditions.IsStalled(obj)).To(BeTrue())
	}, testTimeout, testInterval).Should(Succeed())
	alertUpdate(t, obj, func(r *v1alpha1.AlertRule) { r.Spec.ExclusionList = []string{"^ok"} })
	g.Eventually(func() bool { return conditions.IsReady(alertGet(g, obj)) }, testTimeout, testInterval).Should(BeTrue())

	alertRequestReconcile(t, obj, "token-2")
	g.Eventually(func() string { return alertGet(g, obj).Status.LastHandledReconcileAt }, testTimeout, testInterval).Should(Equal("token-2"))

	alertUpdate(t, obj, func(r *v1alpha1.AlertRule) { r.Spec.Suspend = true })
	g.Eventually(func() bool {
		alertGet(g, obj)
		return obj.Status.ObservedGeneration == obj.Generation
	}, testTimeout, testInterval).Should(BeTrue())

	g.Expect(testClient.Delete(ctx, obj)).To(Succeed())
	alertEventuallyGone(t, obj)
}

// TestAlerts_throughManager records a drift event through notify.Recorder
// wrapping the agent's recorder, with the Dispatcher reading rules and
// providers from the manager's cache: one Kubernetes event and one webhook
// call with the drift report, and none for the same drift again.
func TestAlerts_throughManager(t *testing.T) {
	g := NewWithT(t)
	ctx := context.Background()
	ns := testEnv.CreateNamespace(t, "alerts")

	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [1 << 16]byte
		n, _ := r.Body.Read(b[:])
		mu.Lock()
		bodies = append(bodies, string(b[:n]))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	got := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), bodies...)
	}

	g.Expect(testClient.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "webhook", Namespace: ns},
		StringData: map[string]string{notify.AddressKey: srv.URL},
	})).To(Succeed())
	provider := &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "webhook", Namespace: ns},
		Spec:       v1alpha1.AlertProviderSpec{Type: v1alpha1.GenericProvider, SecretRef: meta.LocalObjectReference{Name: "webhook"}},
	}
	g.Expect(testClient.Create(ctx, provider)).To(Succeed())
	rule := &v1alpha1.AlertRule{
		ObjectMeta: metav1.ObjectMeta{Name: "drift", Namespace: ns},
		Spec: v1alpha1.AlertRuleSpec{
			ProviderRef:   meta.LocalObjectReference{Name: "webhook"},
			EventSources:  []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}},
			EventSeverity: v1alpha1.EventSeverityError,
		},
	}
	g.Expect(testClient.Create(ctx, rule)).To(Succeed())
	g.Eventually(func() bool { return conditions.IsReady(alertGet(g, rule)) }, testTimeout, testInterval).Should(BeTrue())

	rec := testDeps.EventRecorder // the agent's recorder: Kubernetes events and alerts
	db := &v1alpha1.Database{ObjectMeta: metav1.ObjectMeta{Name: "orders", Namespace: ns}}
	report := &v1alpha1.DriftReport{Count: 1, Changes: []v1alpha1.DriftChange{
		{Object: "index public.orders_created_at_idx", Change: "exists in the database, not in Git"},
	}}
	ann := notify.DriftAnnotations(report)
	ann[v1alpha1.RevisionAnnotation] = "main@sha1:1a2b3c4d"
	for range 3 { // three reconcile intervals, the same drift
		start := time.Now()
		rec.AnnotatedEventf(db, nil, ann, corev1.EventTypeWarning, v1alpha1.DriftDetectedReason, "Reconcile", "drift detected: %d change(s)", 1)
		g.Expect(time.Since(start)).To(BeNumerically("<", 2*time.Second)) // never waits for delivery
	}
	rec.Eventf(db, nil, corev1.EventTypeNormal, v1alpha1.AppliedReason, "Reconcile", "below the rule's severity")

	g.Eventually(got, testTimeout, testInterval).Should(HaveLen(1))
	g.Consistently(got, 500*time.Millisecond, testInterval).Should(HaveLen(1))
	g.Expect(got()[0]).To(ContainSubstring(`"drift-report":"index public.orders_created_at_idx: exists in the database, not in Git"`))
	g.Expect(got()[0]).To(ContainSubstring(`"cluster":"test-cluster"`))
	g.Expect(got()[0]).To(ContainSubstring(`"revision":"main@sha1:1a2b3c4d"`))

	g.Eventually(func(g Gomega) {
		var list corev1.EventList
		g.Expect(testClient.List(ctx, &list, client.InNamespace(ns))).To(Succeed())
		var reasons []string
		for _, e := range list.Items {
			reasons = append(reasons, e.Reason)
		}
		g.Expect(reasons).To(ContainElement(v1alpha1.DriftDetectedReason))
	}, testTimeout, testInterval).Should(Succeed())
}
