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
	"os"
	"testing"
	"time"

	"github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/metrics"
	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlconfig "sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/notify"
)

// Timeouts shared by the Eventually assertions of the controller tests.
const (
	testTimeout  = 30 * time.Second
	testInterval = 100 * time.Millisecond
)

// testFieldOwner is the field owner of the reconcilers under test.
const testFieldOwner = "schema-controller"

var (
	// testEnv is the API server and etcd shared by the tests of the package.
	testEnv *kubetest.Environment

	// testClient reads and writes without cache, so that assertions see
	// what the API server holds.
	testClient client.Client

	// testDeps are the dependencies handed to every reconciler.
	testDeps testDependencies

	// testSetups register the reconcilers under test with the manager. A
	// controller's test file appends its setup in an init function, so that
	// the controllers of the package run together in one manager, as in the
	// agent.
	testSetups []func(ctx context.Context, mgr ctrl.Manager, deps testDependencies) error
)

// testDependencies is what the wiring of cmd/schema-controller hands to the
// reconcilers, built once for the test manager.
type testDependencies struct {
	// EventRecorder records Kubernetes events.
	EventRecorder events.Recorder
	// Metrics records Flux's reconcile metrics.
	Metrics controller.Metrics
	// StoragePath is a temporary folder for artifact caches.
	StoragePath string
	// Dispatcher delivers the events of EventRecorder to alert providers, as in
	// the agent.
	Dispatcher *notify.Dispatcher
}

// TestMain starts an API server with the CRDs installed, registers the
// reconcilers of testSetups with one manager and runs the tests against it.
func TestMain(m *testing.M) {
	os.Exit(runTestMain(m))
}

func runTestMain(m *testing.M) int {
	// The controllers log to stderr with TEST_LOG_LEVEL=debug; otherwise
	// the assertions tell what went wrong.
	if os.Getenv("TEST_LOG_LEVEL") == "debug" {
		ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.UseDevMode(true)))
	} else {
		ctrl.SetLogger(logr.Discard())
	}
	// The Database tests use a real PostgreSQL: the server of SCHEMACTL_TEST_PG_URL
	// or a throwaway cluster removed at the end of the run.
	defer pgtest.UseShared()()
	env, err := kubetest.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping envtest:", err)
		}
	}()
	testEnv, testClient = env, env.Client

	storage, err := os.MkdirTemp("", "reconcile-test-storage-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(storage) }()

	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 env.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Client: client.Options{
			// As in the agent: Secrets are read from the API server.
			Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}, &corev1.ConfigMap{}}},
		},
		Controller: ctrlconfig.Controller{RecoverPanic: new(true)},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating manager:", err)
		return 1
	}
	recorder, err := events.NewRecorder(ctrl.Log.WithName("events"), "", testFieldOwner, events.WithManager(mgr))
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating event recorder:", err)
		return 1
	}
	// As in the agent, events also go to the alert dispatcher; fast retries for tests.
	dispatcher, err := notify.Setup(mgr, notify.Options{RetryMinDelay: 20 * time.Millisecond, RateLimit: 100, RateBurst: 100})
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating the alert dispatcher:", err)
		return 1
	}
	testDeps = testDependencies{
		EventRecorder: notify.NewRecorder(recorder, dispatcher, "test-cluster"),
		Dispatcher:    dispatcher,
		Metrics:       controller.NewMetrics(mgr, metrics.MustMakeRecorder(), v1alpha1.Finalizer),
		StoragePath:   storage,
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, setup := range testSetups {
		if err := setup(ctx, mgr, testDeps); err != nil {
			fmt.Fprintln(os.Stderr, "setting up reconcilers:", err)
			return 1
		}
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		fmt.Fprintln(os.Stderr, "manager cache did not sync")
		return 1
	}

	code := m.Run()

	cancel()
	if err := <-done; err != nil {
		fmt.Fprintln(os.Stderr, "manager:", err)
	}
	return code
}
