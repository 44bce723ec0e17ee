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
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

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
	// The Database tests use a real PostgreSQL: the server of SCHEMACTL_TEST_PG_URL
	// or a throwaway cluster removed at the end of the run.
	defer pgtest.UseShared()()
	storage, err := os.MkdirTemp("", "reconcile-test-storage-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(storage) }()
	return kubetest.MainWith(m, []kubetest.Option{kubetest.WithFluxSourceCRDs()}, nil, func(ctx context.Context, env *kubetest.Environment, mgr ctrl.Manager) error {
		testEnv, testClient = env, env.Client
		recorder, err := events.NewRecorder(ctrl.Log.WithName("events"), "", testFieldOwner, events.WithManager(mgr))
		if err != nil {
			return fmt.Errorf("creating event recorder: %w", err)
		}
		// As in the agent, events also go to the alert dispatcher; fast retries for tests.
		dispatcher, err := notify.Setup(mgr, notify.Options{RetryMinDelay: 20 * time.Millisecond, RateLimit: 100, RateBurst: 100})
		if err != nil {
			return fmt.Errorf("creating the alert dispatcher: %w", err)
		}
		testDeps = testDependencies{
			EventRecorder: notify.NewRecorder(recorder, dispatcher, "test-cluster"),
			Dispatcher:    dispatcher,
			Metrics:       controller.NewMetrics(mgr, metrics.MustMakeRecorder(), v1alpha1.Finalizer),
			StoragePath:   storage,
		}
		for _, setup := range testSetups {
			if err := setup(ctx, mgr, testDeps); err != nil {
				return err
			}
		}
		return nil
	})
}
