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

package drift

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/load"
	"github.com/schemactl/schema-controller/drift/model"
)

// InstalledExtensions returns the names of the extensions installed in the database
// behind conn, sorted.
func InstalledExtensions(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	rows, err := conn.Query(ctx, "SELECT extname::pg_catalog.text FROM pg_catalog.pg_extension ORDER BY 1")
	if err != nil {
		return nil, fmt.Errorf("listing the target's extensions: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("listing the target's extensions: %w", err)
	}
	return names, nil
}

// MergeExtensions returns the sorted union of lists of extension names.
func MergeExtensions(lists ...[]string) []string {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// ExtensionNotAllowedError is an extension the desired schema would create that
// PostgreSQL does not mark trusted (on the scratch server the SQL is loaded on, or
// on the target) and that the caller did not allow (Options.AllowedExtensions).
// Its message states the fact alone; the caller says how to allow one.
type ExtensionNotAllowedError = load.ExtensionNotAllowedError

// IsExtensionNotAllowed tells whether err holds an extension that is not trusted
// and not allowed (*ExtensionNotAllowedError), from the load of the desired SQL
// or from the check of the target.
func IsExtensionNotAllowed(err error) bool {
	return len(ExtensionsNotAllowed(err)) > 0
}

// ExtensionsNotAllowed returns the extensions err refuses as not trusted and not
// allowed (*ExtensionNotAllowedError), one per name, in the order refused.
func ExtensionsNotAllowed(err error) []*ExtensionNotAllowedError {
	var all []*ExtensionNotAllowedError
	var (
		rej *load.RejectError
		ext *ExtensionError
		one *ExtensionNotAllowedError
	)
	switch {
	case errors.As(err, &rej):
		all = rej.NotAllowed
	case errors.As(err, &ext):
		all = ext.NotAllowed
	case errors.As(err, &one):
		all = []*ExtensionNotAllowedError{one}
	}
	var out []*ExtensionNotAllowedError
	seen := map[string]bool{}
	for _, e := range all {
		if !seen[e.Name] {
			seen[e.Name] = true
			out = append(out, e)
		}
	}
	return out
}

// ExtensionError is a plan refused because it would create extensions that
// PostgreSQL on the target does not mark trusted and that are not allowed, or at
// a version the target server does not have, or would update an extension along
// no update path the server has. Nothing was planned or applied.
type ExtensionError struct {
	// Extensions are "name version" of each refused extension.
	Extensions []string
	// NotAllowed are those the target does not trust (the others are not
	// available there at all); Unwrap gives them.
	NotAllowed []*ExtensionNotAllowedError
	reasons    []string
}

// Unwrap returns the extensions that are not allowed.
func (e *ExtensionError) Unwrap() []error {
	out := make([]error, len(e.NotAllowed))
	for i, x := range e.NotAllowed {
		out[i] = x
	}
	return out
}

func (e *ExtensionError) Error() string {
	return "the plan needs extensions the target does not allow or cannot provide; nothing was planned:\n  " + strings.Join(e.reasons, "\n  ")
}

// checkTargetExtensions refuses extensions of desired that live lacks and that the
// target does not trust for the version that would be installed, unless allowed,
// and version changes the target server has no update path for.
func checkTargetExtensions(ctx context.Context, conn *pgx.Conn, desired, live *model.Schema, allowed []string) error {
	have := map[string]bool{}
	for _, e := range live.Extensions {
		have[e.Name] = true
	}
	refused := &ExtensionError{}
	for _, e := range desired.Extensions {
		if have[e.Name] || slices.Contains(allowed, e.Name) {
			continue
		}
		var trusted bool
		err := conn.QueryRow(ctx, `SELECT trusted FROM pg_catalog.pg_available_extension_versions
			WHERE name OPERATOR(pg_catalog.=) $1 AND version::pg_catalog.text OPERATOR(pg_catalog.=) $2`, e.Name, e.Version).Scan(&trusted)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			refused.Extensions = append(refused.Extensions, e.Name+" "+e.Version)
			refused.reasons = append(refused.reasons, fmt.Sprintf("extension %s version %s is not available on the target server", e.Name, e.Version))
		case err != nil:
			return fmt.Errorf("checking extension %s on the target: %w", e.Name, err)
		case !trusted:
			na := &ExtensionNotAllowedError{Name: e.Name, Version: e.Version, OnTarget: true}
			refused.Extensions = append(refused.Extensions, e.Name+" "+e.Version)
			refused.NotAllowed = append(refused.NotAllowed, na)
			refused.reasons = append(refused.reasons, na.Error())
		}
	}
	// An extension the target has at another version is updated along the
	// server's update scripts: without a path between the versions (a downgrade,
	// mostly) ALTER EXTENSION ... UPDATE TO fails, so the plan is refused first.
	liveVersion := map[string]string{}
	for _, e := range live.Extensions {
		liveVersion[e.Name] = e.Version
	}
	for _, e := range desired.Extensions {
		from, ok := liveVersion[e.Name]
		if !ok || from == e.Version {
			continue
		}
		var path *string
		err := conn.QueryRow(ctx, `SELECT path FROM pg_catalog.pg_extension_update_paths($1)
			WHERE source OPERATOR(pg_catalog.=) $2 AND target OPERATOR(pg_catalog.=) $3`, e.Name, from, e.Version).Scan(&path)
		switch {
		case errors.Is(err, pgx.ErrNoRows) || (err == nil && path == nil):
			refused.Extensions = append(refused.Extensions, e.Name+" "+e.Version)
			refused.reasons = append(refused.reasons, fmt.Sprintf("extension %s cannot be updated from version %s to %s on the target server: it has no update path between them (pg_extension_update_paths)", e.Name, from, e.Version))
		case err != nil:
			return fmt.Errorf("checking the update path of extension %s on the target: %w", e.Name, err)
		}
	}
	if len(refused.reasons) > 0 {
		return refused
	}
	return nil
}
