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

package load

import (
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:s3cret@db:5432/app?sslmode=require": "postgres://app:xxxxx@db:5432/app?sslmode=require",
		"postgresql://app@db/app":                           "postgresql://app@db/app",
		"postgres://db/app?user=app&password=s3cret":        "postgres://db/app?password=xxxxx&user=app",
		"postgres://app:s3cret@db/app?sslpassword=s3cret":   "postgres://app:xxxxx@db/app?sslpassword=xxxxx",
		"postgres://app:s3c/r?e@t@db:5432/app":              "postgres://xxxxx@db:5432/app",
		"postgres://app:s3c%zz@db/app":                      "postgres://xxxxx@db/app",
		"postgres://db:bad/app?password=s3cret":             "postgres://db:bad/app?xxxxx",
		"host=db user=app password=s3cret sslmode=disable":  "host=db user=app password=xxxxx sslmode=disable",
		"host=db password = 's3 c\\'ret' dbname=app":        "host=db password = xxxxx dbname=app",
		"host=db PASSWORD=s3cret":                           "host=db PASSWORD=xxxxx",
		"host=db sslpassword=s3cret":                        "host=db sslpassword=xxxxx",
		"host=db garbage s3cret":                            "host=db garbage xxxxx",
		"":                                                  "",
	} {
		got := RedactURL(in)
		if got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "s3") {
			t.Errorf("RedactURL(%q) = %q leaks the password", in, got)
		}
	}
}
