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

package connstr

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzRedactPassword: whatever a password holds, its URL (as typed, and
// percent-encoded in the query) and its quoted keyword/value form redact to
// exactly the string without it, and Build reads back through Parse.
func FuzzRedactPassword(f *testing.F) {
	for _, pw := range []string{"s3cret", "p@ss/w:rd", "a?b#c", "50%off", "sp ace", "it's", `back\slash`, "@@//::??##", "x&password=y", "'", ""} {
		f.Add(pw)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		if strings.ContainsRune(pw, 0) {
			return
		}
		for in, want := range map[string]string{
			"postgres://app:" + pw + "@db:5432/app?sslmode=disable":                                       "postgres://xxxxx@db:5432/app?sslmode=disable",
			"postgres://db/app?password=" + url.QueryEscape(pw) + "&sslmode=disable":                      "postgres://db/app?password=xxxxx&sslmode=disable",
			"host=db password='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw) + "' dbname=app": "host=db password=xxxxx dbname=app",
		} {
			if got := Redact(in); got != want {
				t.Errorf("Redact(%q) = %q, want %q", in, got, want)
			}
		}
		u, err := Build(Parts{Host: "db", User: "app", Password: pw, HasPassword: true, Database: "app"})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := Parse(u)
		if err != nil {
			t.Fatalf("Parse(Build(%q)): %v", pw, err)
		}
		if cfg.Password != pw {
			t.Errorf("Parse(Build(%q)) has password %q", pw, cfg.Password)
		}
		if got := Redact(u); got != "postgres://xxxxx@db/app" {
			t.Errorf("Redact(%q) = %q", u, got)
		}
	})
}

// FuzzParseRawPassword: a password typed unencoded in a URL is read as typed
// (or, where it holds a valid %XX, as its decoding) with the host, port and
// database after its last '@', or refused with an error that does not show it.
func FuzzParseRawPassword(f *testing.F) {
	for _, pw := range []string{"s3cret", "p@ss/w:rd", "a?b#c", "50%off", "sp ace", "it's", "x?sslmode=y", "%41", "@@//::??##"} {
		f.Add(pw)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		if strings.ContainsAny(pw, "\x00") {
			return
		}
		in := "postgres://app:" + pw + "@db:5432/app?sslmode=disable"
		cfg, err := Parse(in)
		if err != nil {
			if len(pw) >= 3 && strings.Contains(err.Error(), pw) {
				t.Errorf("Parse(%q) = %q shows the password", in, err)
			}
			return
		}
		if cfg.Host != "db" || cfg.Port != 5432 || cfg.Database != "app" || cfg.User != "app" {
			t.Errorf("Parse(%q) = user %q host %q port %d db %q", in, cfg.User, cfg.Host, cfg.Port, cfg.Database)
		}
		if cfg.Password != pw && cfg.Password != unescape(pw) {
			t.Errorf("Parse(%q) has password %q", in, cfg.Password)
		}
	})
}
