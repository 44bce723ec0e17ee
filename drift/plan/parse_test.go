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
	"reflect"
	"testing"
)

func TestCutIndexOptions(t *testing.T) {
	for _, tc := range []struct {
		def, rest string
		opts      []string
	}{
		{"CREATE INDEX i ON public.t USING btree (a)", "CREATE INDEX i ON public.t USING btree (a)", nil},
		{"CREATE INDEX i ON public.t USING btree (a) WITH (fillfactor='70') WHERE (a > 0)",
			"CREATE INDEX i ON public.t USING btree (a) WHERE (a > 0)", []string{"fillfactor='70'"}},
		{"CREATE INDEX i ON public.t USING gin (a) WITH (fastupdate='off', gin_pending_list_limit='64')",
			"CREATE INDEX i ON public.t USING gin (a)", []string{"fastupdate='off'", "gin_pending_list_limit='64'"}},
		// a quoted value with a comma and a parenthesis stays one option
		{"CREATE INDEX i ON public.t USING btree (a) WITH (x='a, b)')", "CREATE INDEX i ON public.t USING btree (a)", []string{"x='a, b)'"}},
	} {
		rest, opts := cutIndexOptions(tc.def)
		if rest != tc.rest || !reflect.DeepEqual(opts, tc.opts) {
			t.Errorf("cutIndexOptions(%q) = %q, %q; want %q, %q", tc.def, rest, opts, tc.rest, tc.opts)
		}
	}
	if !sameButOptions("CREATE INDEX i ON t USING btree (a) WITH (fillfactor='70')", "CREATE INDEX i ON t USING btree (a)") {
		t.Error("definitions that differ only in WITH are not the same but for options")
	}
	if sameButOptions("CREATE INDEX i ON t USING btree (a)", "CREATE INDEX i ON t USING hash (a)") {
		t.Error("a method change is not an options change")
	}
}

func TestMappingChanges(t *testing.T) {
	const head = "ALTER TEXT SEARCH CONFIGURATION public.c"
	live := []string{head + " ADD MAPPING FOR asciiword WITH english_stem", head + " ADD MAPPING FOR email WITH simple", head + " ADD MAPPING FOR int WITH simple"}
	desired := []string{head + " ADD MAPPING FOR asciiword WITH public.mine, english_stem", head + " ADD MAPPING FOR int WITH simple", head + " ADD MAPPING FOR url WITH simple"}
	want := []string{
		head + " DROP MAPPING IF EXISTS FOR email",
		head + " ALTER MAPPING FOR asciiword WITH public.mine, english_stem",
		head + " ADD MAPPING FOR url WITH simple",
	}
	if got := mappingChanges(live, desired); !reflect.DeepEqual(got, want) {
		t.Errorf("mappingChanges:\n%q\nwant\n%q", got, want)
	}
}

func TestPartitionStatesAndSettingKind(t *testing.T) {
	got := partitionStates([]string{`public."a=b"=D`, "s.p1=R"})
	if want := map[string]string{`public."a=b"`: "D", "s.p1": "R"}; !reflect.DeepEqual(got, want) {
		t.Errorf("partitionStates = %v, want %v", got, want)
	}
	for set, kind := range map[string]string{
		"SET DEFAULT 42":     "SET DEFAULT",
		"SET STATISTICS 100": "SET STATISTICS",
		"SET (n_distinct=5)": "SET (n_distinct",
		"SET STORAGE PLAIN":  "SET STORAGE",
	} {
		if got := settingKind(set); got != kind {
			t.Errorf("settingKind(%q) = %q, want %q", set, got, kind)
		}
	}
}
