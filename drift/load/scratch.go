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
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// cleanupTimeout bounds dropping the scratch database and role, which runs
// with a context detached from the caller's so that a cancelled load still
// cleans up.
const cleanupTimeout = time.Minute

// scratch is one scratch database and the role that owns it; both have the same
// name: prefix, creation time in unix seconds, "_", 16 random hex digits.
type scratch struct {
	name     string
	password string
}

func newScratch(prefix string, now time.Time) (*scratch, error) {
	b := make([]byte, 8+24)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("generating scratch database name: %w", err)
	}
	return &scratch{
		name:     fmt.Sprintf("%s%d_%s", prefix, now.Unix(), hex.EncodeToString(b[:8])),
		password: base64.RawURLEncoding.EncodeToString(b[8:]),
	}, nil
}

// parseScratchName returns the creation time embedded in a scratch name of this
// prefix, and false for any name this package did not make.
func parseScratchName(prefix, name string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return time.Time{}, false
	}
	secs, random, ok := strings.Cut(rest, "_")
	if !ok || len(random) != 16 || len(secs) == 0 || len(secs) > 12 {
		return time.Time{}, false
	}
	if _, err := hex.DecodeString(random); err != nil || strings.ToLower(random) != random {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != secs {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

func (s *scratch) ident() string { return pgx.Identifier{s.name}.Sanitize() }

// create makes the role and its database. The role can log in and do nothing
// else beyond owning the database: no superuser, no CREATEDB, no CREATEROLE, no
// replication, no BYPASSRLS, no membership in any role. It keeps INHERIT: from
// PostgreSQL 15 on, the database owner reaches the public schema through its
// implicit membership in pg_database_owner. Its password is random
// and sent only as a SCRAM verifier, so it appears in no server log.
func (s *scratch) create(ctx context.Context, admin *pgx.Conn) error {
	verifier, err := scramVerifier(s.password, nil, 4096)
	if err != nil {
		return err
	}
	var super bool
	if err := admin.QueryRow(ctx, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user").Scan(&super); err != nil {
		return fmt.Errorf("checking the admin role: %w", err)
	}
	id := s.ident()
	stmts := []string{
		"CREATE ROLE " + id + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD " + quoteLiteral(verifier),
	}
	if !super {
		// A non-superuser admin (CREATEDB, CREATEROLE) may create a database
		// owned by, and later drop, only a role it is a member of.
		stmts = append(stmts, "GRANT "+id+" TO CURRENT_USER")
	}
	stmts = append(stmts,
		// template0: template1 may carry objects someone added to it.
		"CREATE DATABASE "+id+" OWNER "+id+" TEMPLATE template0 ENCODING 'UTF8'",
		"REVOKE ALL ON DATABASE "+id+" FROM PUBLIC",
	)
	for _, q := range stmts {
		if _, err := admin.Exec(ctx, q); err != nil {
			return fmt.Errorf("creating scratch database %s: %w", s.name, err)
		}
	}
	return nil
}

// drop removes the database (terminating its sessions) and the role. It uses a
// context of its own so that it also runs after the caller's was cancelled, and
// reconnects when admin is gone (a cancelled query closes its connection).
func (s *scratch) drop(ctx context.Context, admin *pgx.Conn, adminCfg *pgx.ConnConfig) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if admin == nil || admin.IsClosed() {
		conn, err := connect(ctx, adminCfg, "dropping scratch database "+s.name)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		admin = conn
	}
	var errs []error
	for _, q := range []string{
		"DROP DATABASE IF EXISTS " + s.ident() + " WITH (FORCE)",
		"DROP ROLE IF EXISTS " + s.ident(),
	} {
		if _, err := admin.Exec(ctx, q); err != nil {
			errs = append(errs, fmt.Errorf("dropping scratch database %s: %w", s.name, err))
		}
	}
	return errors.Join(errs...)
}

// dropStale drops the scratch databases and roles of earlier runs that crashed
// before cleaning up: those of this prefix created more than staleAfter ago and
// without sessions (a live load always has one). DROP DATABASE without FORCE
// is the final guard: it fails, and the database is left for a later run, when
// someone is connected. Failures are ignored: this is housekeeping.
func dropStale(ctx context.Context, admin *pgx.Conn, prefix string, staleAfter time.Duration, now time.Time) {
	names := func(q string) []string {
		rows, err := admin.Query(ctx, q, prefix)
		if err != nil {
			return nil
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil
		}
		return out
	}
	stale := func(name string) bool {
		t, ok := parseScratchName(prefix, name)
		return ok && now.Sub(t) > staleAfter
	}
	for _, name := range names(`SELECT d.datname FROM pg_catalog.pg_database d
		WHERE starts_with(d.datname, $1)
		AND NOT EXISTS (SELECT FROM pg_catalog.pg_stat_activity a WHERE a.datname = d.datname)`) {
		if stale(name) {
			_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize())
		}
	}
	for _, name := range names(`SELECT r.rolname FROM pg_catalog.pg_roles r
		WHERE starts_with(r.rolname, $1)
		AND NOT EXISTS (SELECT FROM pg_catalog.pg_database d WHERE d.datname = r.rolname)`) {
		if stale(name) {
			_, _ = admin.Exec(ctx, "DROP ROLE IF EXISTS "+pgx.Identifier{name}.Sanitize())
		}
	}
}

// scramVerifier returns the SCRAM-SHA-256 verifier PostgreSQL stores for
// password (RFC 5802, RFC 7677), with a random salt when salt is nil.
func scramVerifier(password string, salt []byte, iterations int) (string, error) {
	if salt == nil {
		salt = make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return "", fmt.Errorf("generating salt: %w", err)
		}
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return "", fmt.Errorf("deriving password key: %w", err)
	}
	mac := func(msg string) []byte {
		h := hmac.New(sha256.New, salted)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	stored := sha256.Sum256(mac("Client Key"))
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iterations, b64(salt), b64(stored[:]), b64(mac("Server Key"))), nil
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
