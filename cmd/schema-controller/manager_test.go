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

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fluxcd/pkg/runtime/jitter"
	"github.com/fluxcd/pkg/runtime/logger"
	"github.com/spf13/pflag"
	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// get returns the status code and body of a GET of url.
func get(url string) (int, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// eventually calls f every 100ms until it returns nil or the timeout passes.
func eventually(t *testing.T, timeout time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %v", timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestRun_againstEnvtest_servesProbesAndMetricsAndStops(t *testing.T) {
	ctrl.SetLogger(logger.NewLogger(logger.Options{LogEncoding: "console", LogLevel: "info"}))
	env := kubetest.Start(t)

	healthAddr, metricsAddr := freeAddr(t), freeAddr(t)
	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{
		"--health-addr=" + healthAddr,
		"--metrics-addr=" + metricsAddr,
		"--storage-addr=" + freeAddr(t),
		"--storage-path=" + t.TempDir(),
		"--enable-leader-election",
		"--leader-election-lease-duration=4s",
		"--leader-election-renew-deadline=3s",
		"--leader-election-retry-period=1s",
		"--watch-label-selector=sharding.fluxcd.io/shard=shard1",
		"--interval-jitter-percentage=20",
	}); err != nil {
		t.Fatal(err)
	}
	opts.RuntimeNamespace = "default"

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, env.Config, opts) }()

	for _, path := range []string{"/healthz", "/readyz"} {
		url := "http://" + healthAddr + path
		eventually(t, 30*time.Second, func() error {
			code, body, err := get(url)
			if err != nil {
				return err
			}
			if code != http.StatusOK {
				return fmt.Errorf("GET %s: %d %s", url, code, body)
			}
			return nil
		})
	}

	// The lease is held, under an id that includes the shard.
	lease := &coordinationv1.Lease{}
	eventually(t, 30*time.Second, func() error {
		key := client.ObjectKey{Namespace: "default", Name: leaseName(opts)}
		if err := env.Client.Get(ctx, key, lease); err != nil {
			return err
		}
		if lease.Spec.HolderIdentity == nil || *lease.Spec.HolderIdentity == "" {
			return errors.New("lease has no holder")
		}
		return nil
	})

	// --interval-jitter-percentage took effect: requeues spread over ±20%.
	seen := map[time.Duration]bool{}
	for range 50 {
		d := jitter.JitteredIntervalDuration(10 * time.Minute)
		if d < 8*time.Minute || d > 12*time.Minute {
			t.Fatalf("jittered 10m = %s, want within ±20%%", d)
		}
		seen[d] = true
	}
	if len(seen) < 2 {
		t.Error("requeue intervals are not jittered")
	}

	metricsURL := "http://" + metricsAddr + "/metrics"
	eventually(t, 30*time.Second, func() error {
		code, body, err := get(metricsURL)
		if err != nil {
			return err
		}
		if code != http.StatusOK {
			return fmt.Errorf("GET %s: %d", metricsURL, code)
		}
		if !strings.Contains(body, "leader_election_master_status") {
			return errors.New("/metrics does not report leader election")
		}
		return nil
	})

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("manager did not stop within 30s of cancel")
	}
	t.Logf("stopped in %s", time.Since(start))

	if _, _, err := get("http://" + healthAddr + "/healthz"); err == nil {
		t.Error("health endpoint still served after stop")
	}
	// ReleaseOnCancel: the lease is given up so that a successor need not
	// wait for it to expire.
	if err := env.Client.Get(context.Background(), client.ObjectKeyFromObject(lease), lease); err != nil {
		t.Fatal(err)
	}
	if lease.Spec.HolderIdentity != nil && *lease.Spec.HolderIdentity != "" {
		t.Errorf("lease still held by %q after stop", *lease.Spec.HolderIdentity)
	}
}

func TestNewManager_watchOneNamespaceWithoutRuntimeNamespace_fails(t *testing.T) {
	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{"--watch-all-namespaces=false"}); err != nil {
		t.Fatal(err)
	}
	opts.RuntimeNamespace = ""
	_, err := newManager(&rest.Config{Host: "https://127.0.0.1:1"}, opts)
	if err == nil || !strings.Contains(err.Error(), "RUNTIME_NAMESPACE") {
		t.Errorf("err = %v, want one naming RUNTIME_NAMESPACE", err)
	}
}

func TestRun_invalidIntervalJitter_fails(t *testing.T) {
	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{"--interval-jitter-percentage=100"}); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), &rest.Config{Host: "https://127.0.0.1:1"}, opts)
	if err == nil || !strings.Contains(err.Error(), "interval-jitter-percentage") {
		t.Errorf("err = %v, want one naming --interval-jitter-percentage", err)
	}
}

func TestRun_invalidWatchConfigsSelector_fails(t *testing.T) {
	var opts Options
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	opts.BindFlags(fs)
	if err := fs.Parse([]string{"--watch-configs-label-selector=a in ("}); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), &rest.Config{Host: "https://127.0.0.1:1"}, opts)
	if err == nil || !strings.Contains(err.Error(), "watch-configs-label-selector") {
		t.Errorf("err = %v, want one naming --watch-configs-label-selector", err)
	}
}
