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
	"strings"
	"testing"
)

// TestGraveyardNames: graveyard names carry the plan id and time, fit in 63
// bytes, never cut a UTF-8 character and never repeat within a plan.
func TestGraveyardNames(t *testing.T) {
	id := "sha256:0123456789abcdef"
	stamp := "20261206210000"
	if got := graveyardName("orders", id, stamp); got != "orders__0123456789ab_20261206210000" {
		t.Fatalf("graveyardName = %q", got)
	}
	used := map[string]bool{}
	long := strings.Repeat("é", 40) // 80 bytes
	seen := map[string]bool{}
	for range 12 {
		g := uniqueGraveyardName(long, id, stamp, used)
		if len(g) > 63 || !strings.HasSuffix(g, "__0123456789ab_20261206210000") || !utf8Valid(g) || seen[g] {
			t.Fatalf("name %q (%d bytes), seen %v", g, len(g), seen[g])
		}
		seen[g] = true
	}
	if got := parseIdentList(`id, "Region", "a""b") INCLUDE (x)`); strings.Join(got, "|") != `id|Region|a"b` {
		t.Fatalf("parseIdentList = %q", got)
	}
	if got := splitNames(`public.orders, "my schema"."a, b"`); len(got) != 2 || got[1] != [2]string{"my schema", "a, b"} {
		t.Fatalf("splitNames = %q", got)
	}
	if got := splitNames(`public.orders CASCADE`); got != nil {
		t.Fatalf("splitNames of a CASCADE = %q", got)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
