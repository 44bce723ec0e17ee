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
	_ "embed"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed fingerprint.sql
var fingerprintQuery string

// LiveFingerprint is the catalog fingerprint of a database (Fingerprint).
type LiveFingerprint struct {
	// Digest changes with any committed change of the catalog rows the inspection,
	// the planner and the per-pass checks read (fingerprint.sql says which); two
	// equal digests mean no such change happened in between.
	Digest string
	// GraveyardEntries is the number of tables in the graveyard schema: the
	// graveyard is purged by age, which no catalog change announces.
	GraveyardEntries int64
}

// Fingerprint reads the catalog fingerprint of the database behind conn in one
// query (one round trip). A drift check that found the database in sync may skip
// the next inspection while the fingerprint and the desired model stay the same:
// a change by hand always changes the fingerprint. A change that is not a
// schema change may change it too (TRUNCATE, CLUSTER, VACUUM FULL and REINDEX
// give a table a new file); that costs one full inspection, never a missed
// drift. VACUUM and ANALYZE leave it unchanged.
func Fingerprint(ctx context.Context, conn *pgx.Conn) (LiveFingerprint, error) {
	names := make([]string, len(dangerousRoles))
	for i, d := range dangerousRoles {
		names[i] = d.name
	}
	var fp LiveFingerprint
	// One round trip: no statement prepared first (a new connection each pass
	// would prepare it each time).
	if err := conn.QueryRow(ctx, fingerprintSQL(serverMajor(conn)), pgx.QueryExecModeExec, names).Scan(&fp.Digest, &fp.GraveyardEntries); err != nil {
		return LiveFingerprint{}, fmt.Errorf("reading the catalog fingerprint: %w", err)
	}
	return fp, nil
}

// fingerprintSQL is the query for a server major version: pg_publication_namespace
// exists from PostgreSQL 15 on.
func fingerprintSQL(major int) string {
	if major == 0 || major >= 15 {
		return fingerprintQuery
	}
	lines := strings.Split(fingerprintQuery, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !strings.Contains(l, "pg_publication_namespace") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

//go:embed catalog_counters.sql
var catalogCountersQuery string

// CatalogCounters reads the catalog counters of the database behind conn in one
// query that reads no catalog table: the rows inserted, updated and deleted in
// the catalogs Fingerprint reads, from PostgreSQL's cumulative statistics. They
// only grow, and any DDL moves them once its transaction has ended and its
// backend has published its statistics (when it next goes idle: about a second,
// at most a minute). Equal counters therefore say that no DDL was published in
// between; a DDL not published yet is seen by a later read. It returns "" when
// the counters cannot be trusted: before PostgreSQL 15 (the statistics collector
// may drop messages) and with track_counts off. Statistics reset (by hand or
// after a crash) change the value.
func CatalogCounters(ctx context.Context, conn *pgx.Conn) (string, error) {
	if serverMajor(conn) < 15 {
		return "", nil
	}
	var s string
	if err := conn.QueryRow(ctx, catalogCountersQuery, pgx.QueryExecModeExec).Scan(&s); err != nil {
		return "", fmt.Errorf("reading the catalog counters: %w", err)
	}
	if !strings.HasPrefix(s, "on ") {
		return "", nil
	}
	return s, nil
}
