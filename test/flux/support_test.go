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

package flux

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

const (
	// assetsEnv names the folder holding source-controller and
	// notification-controller; the Makefile sets it.
	assetsEnv = "SCHEMACTL_FLUX_ASSETS"
	// fluxbinMod pins the controllers' versions.
	fluxbinMod = "hack/fluxbin/go.mod"

	sourceControllerModule       = "github.com/fluxcd/source-controller"
	notificationControllerModule = "github.com/fluxcd/notification-controller"
)

// fluxVersions returns the versions of source-controller and
// notification-controller pinned in hack/fluxbin/go.mod.
func fluxVersions(root string) (source, notification string, err error) {
	data, err := os.ReadFile(filepath.Join(root, fluxbinMod))
	if err != nil {
		return "", "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case sourceControllerModule:
			source = f[1]
		case notificationControllerModule:
			notification = f[1]
		}
	}
	if source == "" || notification == "" {
		return "", "", fmt.Errorf("%s does not require both %s and %s", fluxbinMod, sourceControllerModule, notificationControllerModule)
	}
	return source, notification, nil
}

// fluxAssets returns the folder of the two controllers: SCHEMACTL_FLUX_ASSETS,
// or else where hack/fluxbin.sh builds them. It fails when they are missing.
func fluxAssets(root, source, notification string) (string, error) {
	dir := os.Getenv(assetsEnv)
	if dir == "" {
		dir = filepath.Join(root, "bin", "flux", "source-controller-"+source+"_notification-controller-"+notification)
	}
	for _, name := range []string{"source-controller", "notification-controller"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return "", fmt.Errorf("no executable %s in %s (%s=%q): run `make fluxbin` to build Flux's controllers (make test builds them first)", name, dir, assetsEnv, os.Getenv(assetsEnv))
		}
	}
	return dir, nil
}

// moduleCRDs returns the config/crd/bases folder of module@version, from the Go
// module cache (`go mod download`, from the module proxy on a cold cache).
func moduleCRDs(ctx context.Context, module, version string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = os.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w: %s", module, version, err, stderr.String())
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil {
		return "", err
	}
	if mod.Error != "" {
		return "", fmt.Errorf("go mod download %s@%s: %s", module, version, mod.Error)
	}
	return filepath.Join(mod.Dir, "config", "crd", "bases"), nil
}

// docsPatch matches the operations of docs/flux.md's patch of the Alert CRD.
var docsPatch = regexp.MustCompile(`(?m)^\s*- op: add\n\s*path: /spec/versions/(\d+)(/schema/openAPIV3Schema/properties/spec/properties/eventSources/items/properties/kind/enum)/-\n\s*value: (\w+)$`)

// patchedNotificationCRDs copies notification-controller's CRDs to a temporary
// folder and applies to the Alert CRD the patch of docs/flux.md that adds our
// kinds to those an Alert may name (its paths, read from the page).
func patchedNotificationCRDs(t *testing.T, root, dir string) string {
	t.Helper()
	out := t.TempDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	patched := false
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(e.Name(), "_alerts.yaml") {
			data = patchAlertCRD(t, root, data)
			patched = true
		}
		if err := os.WriteFile(filepath.Join(out, e.Name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !patched {
		t.Fatalf("no Alert CRD in %s", dir)
	}
	return out
}

func patchAlertCRD(t *testing.T, root string, data []byte) []byte {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(root, "docs", "flux.md"))
	if err != nil {
		t.Fatal(err)
	}
	ops := docsPatch.FindAllStringSubmatch(string(doc), -1)
	if len(ops) != 2 {
		t.Fatalf("docs/flux.md: want 2 operations adding kinds to the Alert CRD, found %d", len(ops))
	}
	var crd map[string]any
	if err := yaml.Unmarshal(data, &crd); err != nil {
		t.Fatal(err)
	}
	versions, _ := dig(crd, "spec", "versions").([]any)
	for _, op := range ops {
		i, err := strconv.Atoi(op[1])
		if err != nil || i >= len(versions) {
			t.Fatalf("docs/flux.md patches spec.versions[%s]; the Alert CRD has %d versions", op[1], len(versions))
		}
		v, _ := versions[i].(map[string]any)
		if v["name"] != "v1beta3" {
			t.Fatalf("docs/flux.md patches spec.versions[%d], which is %v, not v1beta3", i, v["name"])
		}
		path := append([]string{}, strings.Split(strings.TrimPrefix(op[2], "/"), "/")...)
		parent, _ := dig(v, path[:len(path)-1]...).(map[string]any)
		enum, ok := parent[path[len(path)-1]].([]any)
		if !ok {
			t.Fatalf("docs/flux.md's path %s is not an enum in the Alert CRD", op[2])
		}
		parent[path[len(path)-1]] = append(enum, op[3])
	}
	out, err := yaml.Marshal(crd)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func dig(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

// freeAddr returns a free 127.0.0.1:port.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// eventually calls f every 250ms until it returns nil or timeout passes.
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
		time.Sleep(250 * time.Millisecond)
	}
}
