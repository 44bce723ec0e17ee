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

package kubetest

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlconfig "sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// ManagerOptions are the options of a test manager for e, as the agent sets
// them: no metrics server nor health probes, Secrets and ConfigMaps read from
// the API server (never cached), panics of a reconciler recovered.
func (e *Environment) ManagerOptions() ctrl.Options {
	return ctrl.Options{
		Scheme:                 e.Scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Client: client.Options{
			Cache: &client.CacheOptions{DisableFor: []client.Object{&corev1.Secret{}, &corev1.ConfigMap{}}},
		},
		Controller: ctrlconfig.Controller{RecoverPanic: new(true)},
	}
}

// Main is the TestMain of a package whose tests run the agent's reconcilers in
// one manager against a real API server. It sets the controllers' logger (to
// stderr with TEST_LOG_LEVEL=debug, else discarded), starts the API server,
// creates a manager with e.ManagerOptions changed by configure (may be nil),
// calls setup to register the reconcilers, starts the manager, waits for its
// cache, runs the tests and stops everything. It returns the exit code.
func Main(m *testing.M, configure func(*ctrl.Options), setup func(ctx context.Context, env *Environment, mgr ctrl.Manager) error) int {
	return MainWith(m, nil, configure, setup)
}

// MainWith is Main with options for the environment (WithFluxSourceCRDs, ...).
func MainWith(m *testing.M, envOpts []Option, configure func(*ctrl.Options), setup func(ctx context.Context, env *Environment, mgr ctrl.Manager) error) int {
	if os.Getenv("TEST_LOG_LEVEL") == "debug" {
		ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.UseDevMode(true)))
	} else {
		ctrl.SetLogger(logr.Discard())
	}
	env, err := New(envOpts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() {
		if err := env.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping envtest:", err)
		}
	}()
	opts := env.ManagerOptions()
	if configure != nil {
		configure(&opts)
	}
	mgr, err := ctrl.NewManager(env.Config, opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating manager:", err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := setup(ctx, env, mgr); err != nil {
		fmt.Fprintln(os.Stderr, "setting up reconcilers:", err)
		return 1
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
