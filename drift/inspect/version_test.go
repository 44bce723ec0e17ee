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

package inspect

import "testing"

func TestServerVersionNum(t *testing.T) {
	for v, want := range map[string]int{
		"15.20 (Debian 15.20-0+deb12u1)": 150020,
		"14.0":                           140000,
		"16beta1":                        160000,
		"17devel":                        170000,
		"18.1":                           180001,
		"9.6.24":                         0, // server_version_num 90624: not of this form
		"":                               0,
		"x":                              0,
	} {
		if got := serverVersionNum(v); got != want {
			t.Errorf("serverVersionNum(%q) = %d, want %d", v, got, want)
		}
	}
}
