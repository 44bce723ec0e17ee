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

// Package kubetest starts a real Kubernetes API server and etcd (envtest) with
// the CRDs of config/crd/bases installed, for tests that need the API server's
// own validation, defaulting and subresources. No fake client.
//
// The binaries come from `make testbin` (bin/k8s/<version>), found through
// KUBEBUILDER_ASSETS, which the Makefile sets.
package kubetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// KubernetesVersion is the version of the control plane that `make testbin`
// builds; it matches the k8s.io client libraries of go.mod.
const KubernetesVersion = "1.37.2"

// startTimeout bounds the start of kube-apiserver and etcd unless
// startTimeoutEnv is set.
const (
	startTimeout    = 2 * time.Minute
	startTimeoutEnv = "KUBEBUILDER_CONTROLPLANE_START_TIMEOUT"
)

// AssetsEnv is the environment variable naming the folder that holds the
// kube-apiserver and etcd binaries.
const AssetsEnv = "KUBEBUILDER_ASSETS"

// Environment is a running API server and etcd.
type Environment struct {
	// Config reaches the API server as an administrator.
	Config *rest.Config

	// Client is a client without cache: every read goes to the API server.
	Client client.Client

	// Scheme knows the built-in kinds and those of api/v1alpha1.
	Scheme *runtime.Scheme

	// KubeConfig is a kubeconfig file's content for Config, for tools such
	// as kubectl or schemactl run as subprocesses.
	KubeConfig []byte

	env      *envtest.Environment
	stopOnce sync.Once
	stopErr  error
}

type options struct {
	scheme   *runtime.Scheme
	crdDirs  []string
	fluxCRDs bool
}

// Option configures New and Start.
type Option func(*options)

// WithScheme replaces the default scheme (NewScheme) of the client.
func WithScheme(s *runtime.Scheme) Option {
	return func(o *options) { o.scheme = s }
}

// WithCRDDirectory installs the CRDs of more folders besides config/crd/bases.
func WithCRDDirectory(dirs ...string) Option {
	return func(o *options) { o.crdDirs = append(o.crdDirs, dirs...) }
}

// NewScheme returns a scheme with the built-in kinds of client-go, the kinds
// of api/v1alpha1 and those of Flux's source-controller (v1).
func NewScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := sourcev1.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}

// New starts an API server and etcd with the CRDs of config/crd/bases
// installed. Use it from TestMain; call Stop when done. It fails with an
// error saying to run `make testbin` when the binaries cannot be found.
func New(opts ...Option) (*Environment, error) {
	o := options{}
	for _, apply := range opts {
		apply(&o)
	}
	if o.scheme == nil {
		o.scheme = NewScheme()
	}
	assets, err := AssetsDir()
	if err != nil {
		return nil, err
	}
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	if o.fluxCRDs {
		dir, err := FluxSourceCRDDirectory()
		if err != nil {
			return nil, err
		}
		o.crdDirs = append(o.crdDirs, dir)
	}
	existing := false
	// envtest's default start timeout of 20s is not enough on a busy machine (a
	// test run in parallel with others on two cores); its environment variable
	// KUBEBUILDER_CONTROLPLANE_START_TIMEOUT, when set, is used instead.
	timeout := startTimeout
	if os.Getenv(startTimeoutEnv) != "" {
		timeout = 0
	}
	env := &envtest.Environment{
		ControlPlaneStartTimeout: timeout,
		BinaryAssetsDirectory:    assets,
		CRDDirectoryPaths:        append([]string{filepath.Join(root, "config", "crd", "bases")}, o.crdDirs...),
		ErrorIfCRDPathMissing:    true,
		Scheme:                   o.scheme,
		UseExistingCluster:       &existing,
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("starting envtest: %w", err), env.Stop())
	}
	c, err := client.New(cfg, client.Options{Scheme: o.scheme})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("creating client: %w", err), env.Stop())
	}
	return &Environment{Config: cfg, Client: c, Scheme: o.scheme, KubeConfig: env.KubeConfig, env: env}, nil
}

// Start is New for a single test: it fails the test when the environment
// does not start and stops it when the test and its subtests are done.
func Start(t testing.TB, opts ...Option) *Environment {
	t.Helper()
	e, err := New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Stop(); err != nil {
			t.Errorf("stopping envtest: %v", err)
		}
	})
	return e
}

// Stop stops the API server and etcd and removes their data. It is safe to
// call more than once.
func (e *Environment) Stop() error {
	e.stopOnce.Do(func() { e.stopErr = e.env.Stop() })
	return e.stopErr
}

// WriteKubeConfig writes KubeConfig to a file in the test's temporary folder
// and returns its path.
func (e *Environment) WriteKubeConfig(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, e.KubeConfig, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// CreateNamespace creates a namespace with a generated name starting with
// prefix, deletes it when the test ends, and returns its name.
func (e *Environment) CreateNamespace(t testing.TB, prefix string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: prefix + "-"}}
	if err := e.Client.Create(ctx, ns); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	t.Cleanup(func() {
		// envtest runs no namespace controller: the namespace stays
		// Terminating, which is enough to keep tests apart.
		_ = e.Client.Delete(context.Background(), ns)
	})
	return ns.Name
}

// AssetsDir returns the folder holding kube-apiserver and etcd:
// KUBEBUILDER_ASSETS when set, or else bin/k8s/<KubernetesVersion> in the
// module root, so that `go test` works without the Makefile once the
// binaries are built. It fails when the binaries are not there.
func AssetsDir() (string, error) {
	dir := os.Getenv(AssetsEnv)
	if dir == "" {
		root, err := ModuleRoot()
		if err != nil {
			return "", fmt.Errorf("%s is not set and %w; run `make testbin` and set %s=<repo>/bin/k8s/%s", AssetsEnv, err, AssetsEnv, KubernetesVersion)
		}
		dir = filepath.Join(root, "bin", "k8s", KubernetesVersion)
	}
	for _, name := range []string{"kube-apiserver", "etcd"} {
		fi, err := os.Stat(filepath.Join(dir, name)) //nolint:gosec // G703: probes the control plane in KUBEBUILDER_ASSETS, the developer's own setting
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", fmt.Errorf("no executable %s in %s (%s=%q): run `make testbin` to build the control plane", name, dir, AssetsEnv, os.Getenv(AssetsEnv))
		}
	}
	return dir, nil
}

// ModuleRoot returns the root folder of this module, found by walking up
// from the working directory (a test runs in its package's folder) to the
// go.mod file.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
