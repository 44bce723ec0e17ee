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

package layering_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports_driftIsTheOnlyDoor checks that the controller, the CLI and the
// commands reach the engine through package drift alone, never one of its
// sub-packages (drift/load, drift/plan, drift/inspect, drift/model, drift/apply):
// what they need of those, drift re-exports. Test files are held to the same rule.
func TestImports_driftIsTheOnlyDoor(t *testing.T) {
	const engine = "github.com/schemactl/schema-controller/drift"
	dirs := []string{"../../reconcile", "../cli", "../../cmd/schema-controller", "../../cmd/schemactl"}
	files := 0
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			path := filepath.Join(dir, e.Name())
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			files++
			for _, imp := range f.Imports {
				p, err := strconv.Unquote(imp.Path.Value)
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasPrefix(p, engine+"/") {
					t.Errorf("%s imports %s: import %s alone", path, p, engine)
				}
			}
		}
	}
	if files < 20 {
		t.Fatalf("read only %d Go files in %v: the paths are wrong", files, dirs)
	}
}
