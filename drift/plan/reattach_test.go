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

package plan

import (
	"slices"
	"strings"
	"testing"
)

func TestForeignKeyColumns(t *testing.T) {
	for _, tc := range []struct {
		def       string
		cols, ref []string
		ok        bool
	}{
		{"FOREIGN KEY (id, at) REFERENCES public.m(id, at)", []string{"id", "at"}, []string{"id", "at"}, true},
		{`FOREIGN KEY ("a, b", c) REFERENCES s."t(x)"("x, y", z) ON DELETE CASCADE`, []string{`"a, b"`, "c"}, []string{`"x, y"`, "z"}, true},
		{"FOREIGN KEY (a) REFERENCES t(b) MATCH FULL ON UPDATE SET NULL (a)", []string{"a"}, []string{"b"}, true},
		{"CHECK ((a > 0))", nil, nil, false},
	} {
		cols, ref, ok := foreignKeyColumns(tc.def)
		trim := func(s []string) []string {
			out := make([]string, len(s))
			for i, x := range s {
				out[i] = strings.TrimSpace(x)
			}
			return out
		}
		if ok != tc.ok || !slices.Equal(trim(cols), tc.cols) || !slices.Equal(trim(ref), tc.ref) {
			t.Errorf("foreignKeyColumns(%q) = %q, %q, %v; want %q, %q, %v", tc.def, cols, ref, ok, tc.cols, tc.ref, tc.ok)
		}
	}
}
