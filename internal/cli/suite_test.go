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

package cli_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/metrics"
	"k8s.io/apimachinery/pkg/labels"
	ctrl "sigs.k8s.io/controller-runtime"
	ctrlcache "sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/cli"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/internal/testsupport/proctest"
	"github.com/schemactl/schema-controller/reconcile"
	"github.com/schemactl/schema-controller/source"
)

// update rewrites the golden files (and the embedded install manifests)
// instead of comparing with them.
var update = flag.Bool("update", false, "rewrite golden files and generated manifests")

// staticLabel marks objects the agent of the test never sees: their status is
// written by the test, for golden tables that do not depend on timing.
const staticLabel = "cli-test.schemactl.dev/static"

var (
	// testEnv is the API server, with the agent's reconcilers running in
	// this process against it.
	testEnv *kubetest.Environment
	// testClient reads and writes without cache.
	testClient client.Client
	// testKubeconfig is a kubeconfig file for testEnv.
	testKubeconfig string
)

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runTestMain(m))
}

// runTestMain starts the API server and the agent as schema-controller wires
// it (the SchemaRepository, Database and DatabaseSet reconcilers in one manager), against
// real PostgreSQL and git servers the tests start.
func runTestMain(m *testing.M) int {
	defer pgtest.UseShared()()
	dir, err := os.MkdirTemp("", "cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(dir) }()
	// Objects labelled staticLabel are left out of the manager's cache, the way
	// the agent's --watch-label-selector shards objects.
	notStatic, err := labels.Parse("!" + staticLabel)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	byObject := map[client.Object]ctrlcache.ByObject{}
	for _, obj := range []client.Object{&v1alpha1.SchemaRepository{}, &v1alpha1.Database{}, &v1alpha1.DatabaseSet{}} {
		byObject[obj] = ctrlcache.ByObject{Label: notStatic}
	}
	configure := func(o *ctrl.Options) { o.Cache = ctrlcache.Options{ByObject: byObject} }
	return kubetest.Main(m, configure, func(ctx context.Context, env *kubetest.Environment, mgr ctrl.Manager) error {
		testEnv, testClient = env, env.Client
		testKubeconfig = filepath.Join(dir, "kubeconfig")
		if err := os.WriteFile(testKubeconfig, env.KubeConfig, 0o600); err != nil {
			return err
		}
		return setupAgent(ctx, mgr, filepath.Join(dir, "storage"))
	})
}

// setupAgent registers the SchemaRepository, Database and DatabaseSet reconcilers with mgr,
// as cmd/schema-controller does.
func setupAgent(ctx context.Context, mgr ctrl.Manager, storage string) error {
	recorder, err := events.NewRecorder(ctrl.Log.WithName("events"), "", "schema-controller", events.WithManager(mgr))
	if err != nil {
		return fmt.Errorf("creating event recorder: %w", err)
	}
	store, err := source.NewStore(filepath.Join(storage, "schemarepositories"))
	if err != nil {
		return err
	}
	m := helper.NewMetrics(mgr, metrics.MustMakeRecorder(), v1alpha1.Finalizer)
	rateLimiter := helper.GetRateLimiter(helper.RateLimiterOptions{MinRetryDelay: 200 * time.Millisecond, MaxRetryDelay: 2 * time.Second})
	if err := (&reconcile.SchemaRepositoryReconciler{
		Client: mgr.GetClient(), Recorder: recorder, Metrics: m, Storage: store, ControllerName: "schema-controller",
	}).SetupWithManager(ctx, mgr, reconcile.SchemaRepositoryReconcilerOptions{RateLimiter: rateLimiter}); err != nil {
		return err
	}
	if err := (&reconcile.DatabaseReconciler{
		Client: mgr.GetClient(), Recorder: recorder, Metrics: m, ControllerName: "schema-controller",
		Artifacts:                 &reconcile.SchemaRepositoryArtifacts{Reader: mgr.GetClient(), Storage: store},
		Cache:                     &drift.Cache{},
		DependencyRequeueInterval: time.Second,
	}).SetupWithManager(ctx, mgr, reconcile.DatabaseReconcilerOptions{MaxConcurrentReconciles: 4, RateLimiter: rateLimiter}); err != nil {
		return err
	}
	return (&reconcile.DatabaseSetReconciler{
		Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Recorder: recorder, Metrics: m, ControllerName: "schema-controller",
	}).SetupWithManager(mgr, reconcile.DatabaseSetReconcilerOptions{MaxConcurrentReconciles: 2, RateLimiter: rateLimiter})
}

// output is what a command wrote.
type output struct {
	out, err *proctest.Buffer
}

// globals returns the global options of a command run in namespace ns
// against the test cluster, and what it writes. --timeout is 90s (the test
// waits are much shorter) and waits poll every 200ms.
func globals(t *testing.T, ns string) (*cli.GlobalOptions, output) {
	t.Helper()
	g := cli.NewGlobalOptions()
	*g.ConfigFlags.KubeConfig = testKubeconfig
	*g.ConfigFlags.Namespace = ns
	g.Timeout = 90 * time.Second
	g.PollInterval = 200 * time.Millisecond
	o := output{out: &proctest.Buffer{}, err: &proctest.Buffer{}}
	g.SetStreams(o.out, o.err)
	return g, o
}

// newNamespace creates a namespace for a test.
func newNamespace(t *testing.T) string {
	t.Helper()
	name := strings.ToLower(regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(t.Name(), "-"))
	if len(name) > 40 {
		name = name[:40]
	}
	return testEnv.CreateNamespace(t, strings.Trim(name, "-"))
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update to accept):\n--- want\n%s--- got\n%s", path, want, got)
	}
}

// ageColumn matches the last column of a table row: AGE, which depends on
// the clock.
var ageColumn = regexp.MustCompile(`(?m)^(.*   )\d+[smhdy][0-9smhdy]*$`)

// normalizeAge replaces the ages of a table with "<age>".
func normalizeAge(table string) string {
	return ageColumn.ReplaceAllString(table, "${1}<age>")
}
