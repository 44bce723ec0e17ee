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
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Connect opens a connection with cfg; what names the target in errors (a
// redacted string, "scratch database x", ...). Errors name the user, never
// the password: pgx's *pgconn.ConnectError, which carries the whole
// configuration, is replaced by its cause, and any occurrence of the
// password in the cause's message is masked.
func Connect(ctx context.Context, cfg *pgx.ConnConfig, what string) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, Sanitize(err, fmt.Sprintf("connecting to %s as %s", what, cfg.User), &cfg.Config)
	}
	return conn, nil
}

// Open parses s and connects to it; errors name it by its redacted form.
func Open(ctx context.Context, s string, configure func(*pgx.ConnConfig)) (*pgx.Conn, error) {
	cfg, err := Parse(s)
	if err != nil {
		return nil, err
	}
	if configure != nil {
		configure(cfg)
	}
	return Connect(ctx, cfg, Redact(s))
}

// Sanitize returns err as an *Error with the message "prefix: cause", where
// cause is err without pgx's *pgconn.ConnectError or *pgconn.ParseConfigError
// wrappers and with the passwords of cfg (if any) masked.
func Sanitize(err error, prefix string, cfg *pgconn.Config) error {
	if err == nil {
		return nil
	}
	cause := err
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && ce.Unwrap() != nil {
		cause = ce.Unwrap()
	}
	var msg string
	var pce *pgconn.ParseConfigError
	if errors.As(cause, &pce) {
		msg = parseReason(cause, secretsOf(pce.ConnString, cfg)...)
		cause = nil // a *url.Error under it quotes the string
	} else {
		msg = scrub(cause.Error(), secretsOf("", cfg)...)
	}
	return &Error{msg: prefix + ": " + uniqueLines(msg), err: cause}
}

// uniqueLines joins the distinct lines of msg with "; " (pgx joins the error
// of each attempt, often the same one twice).
func uniqueLines(msg string) string {
	var out []string
	seen := map[string]bool{}
	for l := range strings.SplitSeq(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return strings.Join(out, "; ")
}
