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
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// fluxSourceAPIModule is the module of Flux's source kinds this module builds
// against; its CRDs are those of source-controller at the same version.
const (
	fluxSourceAPIModule = "github.com/fluxcd/source-controller/api"
	fluxSourceModule    = "github.com/fluxcd/source-controller"
)

// WithFluxSourceCRDs installs Flux's source CRDs (GitRepository, OCIRepository,
// Bucket, ExternalArtifact, HelmRepository, HelmChart): those of
// source-controller's config/crd/bases at the version of the api module this
// binary is built with, taken from the Go module cache (`go mod download`, from
// the module proxy on a cold cache).
func WithFluxSourceCRDs() Option {
	return func(o *options) { o.fluxCRDs = true }
}

// FluxSourceCRDDirectory returns the folder of Flux's source CRDs matching the
// api module of the running binary (see WithFluxSourceCRDs).
func FluxSourceCRDDirectory() (string, error) {
	version, err := fluxSourceAPIVersion()
	if err != nil {
		return "", err
	}
	return moduleCRDDirectory(fluxSourceModule, version)
}

// moduleCRDDirectory returns the config/crd/bases folder of module@version,
// from the Go module cache (`go mod download` outside any module, from the
// module proxy on a cold cache; the download is checked against the checksum
// database like any module's).
func moduleCRDDirectory(module, version string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module+"@"+version) //nolint:gosec // G204: a fixed module at a pinned version
	cmd.Dir = os.TempDir()                                                                // outside any module: nothing to update
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w: %s", module, version, err, stderr.String())
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w", module, version, err)
	}
	if mod.Error != "" {
		return "", fmt.Errorf("go mod download %s@%s: %s", module, version, mod.Error)
	}
	dir := filepath.Join(mod.Dir, "config", "crd", "bases")
	if _, err := os.Stat(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// fluxSourceAPIVersion returns the version of the source-controller api module
// this module builds against: from the binary's build information when it has
// it, or else from `go list -m` in the module root (test binaries carry no
// dependency list).
func fluxSourceAPIVersion() (string, error) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == fluxSourceAPIModule {
				if m.Replace != nil {
					return m.Replace.Version, nil
				}
				return m.Version, nil
			}
		}
	}
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Version}}", fluxSourceAPIModule)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w: %s", fluxSourceAPIModule, err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

// InstallCRDs installs the CRDs of dirs (folders or files) into the running environment and waits
// until the API server serves them: a test installs Flux's CRDs after the agent
// started, as an operator would.
func (e *Environment) InstallCRDs(dirs ...string) error {
	_, err := envtest.InstallCRDs(e.Config, envtest.CRDInstallOptions{Paths: dirs, ErrorIfPathMissing: true, Scheme: e.Scheme})
	return err
}

// UninstallCRDs removes the CRDs of paths from the running environment and
// waits until they are gone: a test that installs an optional kind leaves the
// shared API server without it.
func (e *Environment) UninstallCRDs(paths ...string) error {
	return envtest.UninstallCRDs(e.Config, envtest.CRDInstallOptions{Paths: paths, ErrorIfPathMissing: true, Scheme: e.Scheme})
}
