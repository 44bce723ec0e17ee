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
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://app:s3cret@db:5432/app?sslmode=require":  "postgres://xxxxx@db:5432/app?sslmode=require",
		"postgresql://app@db/app":                            "postgresql://xxxxx@db/app",
		"postgres://db/app":                                  "postgres://db/app",
		"postgres://db/app?user=app&password=s3cret":         "postgres://db/app?user=app&password=xxxxx",
		"postgres://db/app?password=s3c&ret&sslmode=disable": "postgres://db/app?password=xxxxx&sslmode=disable",
		"postgres://db/app?password=s3c ret#x":               "postgres://db/app?password=xxxxx",
		"postgres://app:s3cret@db/app?sslpassword=s3cret":    "postgres://xxxxx@db/app?sslpassword=xxxxx",
		"postgres://app:s3c/r?e@t@db:5432/app":               "postgres://xxxxx@db:5432/app",
		"postgres://app:s3c/r?e#t@db:5432/app":               "postgres://xxxxx@db:5432/app",
		"postgres://app:s3c%zz@db/app":                       "postgres://xxxxx@db/app",
		"postgres://app:s3 c'r:e@db/app":                     "postgres://xxxxx@db/app",
		"postgres://db:bad/app?PASSWORD=s3cret":              "postgres://db:bad/app?PASSWORD=xxxxx",
		"postgres://db/app?pass%77ord=s3cret":                "postgres://db/app?pass%77ord=xxxxx",
		"host=db user=app password=s3cret sslmode=disable":   "host=db user=app password=xxxxx sslmode=disable",
		"host=db password = 's3 c\\'ret' dbname=app":         "host=db password = xxxxx dbname=app",
		"host=db password='s3@c w''ret' dbname=app":          "host=db password=xxxxx dbname=app",
		"host=db password='s3 cret dbname=app":               "host=db password=xxxxx dbname=app",
		"host=db password='s3 cret":                          "host=db password=xxxxx",
		"host=db password=s3 cret host=x":                    "host=db password=xxxxx host=x",
		"host=db PASSWORD=s3cret":                            "host=db PASSWORD=xxxxx",
		"host=db sslpassword=s3cret":                         "host=db sslpassword=xxxxx",
		"host=db garbage s3cret":                             "host=db xxxxx",
		"host='d b s3cret":                                   "host=xxxxx",
		"":                                                   "",
	} {
		got := Redact(in)
		if got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "s3") || strings.Contains(got, "ret") {
			t.Errorf("Redact(%q) = %q leaks the password", in, got)
		}
	}
}

// TestParse checks that unencoded passwords are read as the user meant, and
// that what cannot be read one way is refused with a redacted error.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		in, user, password, host, db string
		port                         uint16
	}{
		{"postgres://app:p@ss/w:rd@db.example:5433/app", "app", "p@ss/w:rd", "db.example", "app", 5433},
		{"postgres://app:a?b#c@db/app?sslmode=disable", "app", "a?b#c", "db", "app", 5432},
		{"postgres://app:50%off sale'@db/app", "app", "50%off sale'", "db", "app", 5432},
		{"postgres://app:p%40ss%2Fw%3Ard@db/app", "app", "p@ss/w:rd", "db", "app", 5432},
		{"postgres://app:p@ss@db/app?application_name=a@b", "app", "p@ss", "db", "app", 5432},
		{"postgres://app@db/app?application_name=a@b", "app", "", "db", "app", 5432},
		{"postgres://us@er:pw@db/app", "us@er", "pw", "db", "app", 5432},
		{"postgres://app:p@w@[::1]:5434/app", "app", "p@w", "::1", "app", 5434},
		{"host=db user=app password='p@ss w\\'rd?#%' dbname=app", "app", "p@ss w'rd?#%", "db", "app", 5432},
	} {
		cfg, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if cfg.User != c.user || cfg.Password != c.password || cfg.Host != c.host || cfg.Database != c.db || cfg.Port != c.port {
			t.Errorf("Parse(%q) = user %q password %q host %q port %d db %q", c.in, cfg.User, cfg.Password, cfg.Host, cfg.Port, cfg.Database)
		}
	}
	for in, want := range map[string]string{
		"postgres://app:s3c@ret@db:bad/app":            "cannot tell where the password ends",
		"postgres://app:s3c?sslmode=x@ret@db/app":      "cannot tell where the password ends",
		"postgres://app:s3cret@db/app?sslmode=bogus":   "sslmode is invalid",
		"postgres://app:s3cret@db:99999/app":           "invalid port",
		"postgres://[::1/app?password=s3cret":          "cannot parse it as URL; if the password holds special characters",
		"postgres://app:s3cret@db/app?port=bad":        "invalid port",
		"host=db password='s3@c w''ret' dbname=app":    "cannot parse it as keyword/value; if the password",
		"host=db password=s3cret sslmode=bogus":        "sslmode is invalid",
		"host=db password=s3cret connect_timeout=nope": "invalid connect_timeout",
	} {
		_, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded", in)
			continue
		}
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), Redact(in)) {
			t.Errorf("Parse(%q) = %q, want it to hold %q and %q", in, err, want, Redact(in))
		}
		if strings.Contains(err.Error(), "s3") || strings.Contains(err.Error(), "ret") {
			t.Errorf("Parse(%q) = %q leaks the password", in, err)
		}
	}
}

func TestBuild(t *testing.T) {
	for _, pw := range []string{"plain", "p@ss/w:rd", "a?b#c%d", "sp ace'quote", "%41%zz", "&x=y;+", ""} {
		u, err := Build(Parts{Host: "db", Port: "5433", User: "app", Password: pw, HasPassword: true, Database: "my db", SSLMode: "disable"})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := Parse(u)
		if err != nil {
			t.Fatalf("Parse(Build(%q)) = %v", pw, err)
		}
		if cfg.Password != pw || cfg.User != "app" || cfg.Host != "db" || cfg.Port != 5433 || cfg.Database != "my db" {
			t.Errorf("Build with password %q: %s reads back as user %q password %q host %q port %d db %q", pw, u, cfg.User, cfg.Password, cfg.Host, cfg.Port, cfg.Database)
		}
		if pw != "" && strings.Contains(Redact(u), pw) {
			t.Errorf("Redact(%s) shows the password", u)
		}
	}
	if _, err := Build(Parts{Host: "db", Port: "x"}); err == nil {
		t.Error("Build accepted port x")
	}
	u, err := Build(Parts{Host: "db", Password: "p@ss", HasPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := Parse(u); err != nil || cfg.Password != "p@ss" {
		t.Errorf("Build without user: %v", err)
	}
}
