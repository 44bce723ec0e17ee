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
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

func sameExtensionUse(a, b *extensionUse) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// availableExtension is one row of pg_available_extension_versions.
type availableExtension struct {
	version  string
	trusted  bool
	requires []string
}

// lookupExtension returns the version of name that CREATE EXTENSION (or ALTER
// EXTENSION ... UPDATE) would install on the server behind conn: version, or the
// default version when empty. ok is false when the server has no such version.
func lookupExtension(ctx context.Context, conn *pgx.Conn, name, version string) (availableExtension, bool, error) {
	var a availableExtension
	err := conn.QueryRow(ctx, `SELECT v.version::pg_catalog.text, v.trusted, COALESCE(v.requires::pg_catalog.text[], '{}')
		FROM pg_catalog.pg_available_extension_versions v
		WHERE v.name OPERATOR(pg_catalog.=) $1 AND v.version::pg_catalog.text OPERATOR(pg_catalog.=) COALESCE($2,
			(SELECT e.default_version::pg_catalog.text FROM pg_catalog.pg_available_extensions e WHERE e.name OPERATOR(pg_catalog.=) $1))`,
		name, nullIfEmpty(version)).Scan(&a.version, &a.trusted, &a.requires)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("looking up extension %s: %w", name, err)
	}
	return a, true, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// checkExtensions refuses, before anything runs, every statement that would
// install an extension PostgreSQL does not mark trusted for the version it
// would install (its script would run with superuser rights, and such
// extensions reach outside the database: dblink, file_fdw, adminpack...),
// unless allowed lists it. CASCADE is followed through the extensions it would
// install too. Extensions or versions the server does not have are refused as
// well, since they cannot load. conn is the admin's session on the scratch
// server; pg_available_extension_versions reads the server's files and is the
// same in every database.
func checkExtensions(ctx context.Context, conn *pgx.Conn, plan []planned, allowed []string) error {
	var (
		rejected []Statement
		refused  []*ExtensionNotAllowedError
	)
	for _, p := range plan {
		u := p.v.ext
		if u == nil {
			continue
		}
		reason, notAllowed, err := extensionRefusal(ctx, conn, u.name, u.version, u.cascade, allowed, map[string]bool{})
		if err != nil {
			return fmt.Errorf("%s: %w", p.Position(), err)
		}
		if reason != "" {
			s := *p.Statement // a copy: the caller's statement stays as it was
			s.Class, s.Reason = Reject, reason
			rejected = append(rejected, s)
		}
		if notAllowed != nil {
			refused = append(refused, notAllowed)
		}
	}
	if len(rejected) > 0 {
		return &RejectError{Statements: rejected, NotAllowed: refused}
	}
	return nil
}

// ExtensionNotAllowedError is an extension that PostgreSQL does not mark trusted
// for the version that would be installed and that the caller did not allow.
// Its message states the fact alone: how to allow one is the caller's to say (a
// flag of the CLI, a field of the Database).
type ExtensionNotAllowedError struct {
	Name, Version string
	// OnTarget is set when the target server does not trust it (and lacks it),
	// rather than the scratch server the desired SQL is loaded on.
	OnTarget bool
}

func (e *ExtensionNotAllowedError) Error() string {
	if e.OnTarget {
		return fmt.Sprintf("extension %s (version %s) is not trusted by PostgreSQL on the target, not installed there and not allowed", e.Name, e.Version)
	}
	return fmt.Sprintf("extension %q (version %s) is not trusted by PostgreSQL and not allowed: its script runs as a superuser and it may reach outside the database", e.Name, e.Version)
}

// extensionRefusal returns why installing version (default: the default
// version) of name is refused, or "" when it is not, and the extension that is
// not allowed when that is why.
func extensionRefusal(ctx context.Context, conn *pgx.Conn, name, version string, cascade bool, allowed []string, seen map[string]bool) (string, *ExtensionNotAllowedError, error) {
	if seen[name] {
		return "", nil, nil
	}
	seen[name] = true
	a, ok, err := lookupExtension(ctx, conn, name, version)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		if version != "" {
			return fmt.Sprintf("extension %q version %q is not available on the scratch server", name, version), nil, nil
		}
		return fmt.Sprintf("extension %q is not available on the scratch server", name), nil, nil
	}
	if !a.trusted && !slices.Contains(allowed, name) {
		e := &ExtensionNotAllowedError{Name: name, Version: a.version}
		return e.Error(), e, nil
	}
	if cascade {
		for _, r := range a.requires {
			reason, notAllowed, err := extensionRefusal(ctx, conn, r, "", true, allowed, seen)
			if err != nil || reason != "" {
				if reason != "" {
					reason = fmt.Sprintf("CASCADE from %q: %s", name, reason)
				}
				return reason, notAllowed, err
			}
		}
	}
	return "", nil, nil
}
