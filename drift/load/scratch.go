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
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/internal/connstr"
)

// cleanupTimeout bounds dropping the scratch database and role, which runs
// with a context detached from the caller's so that a cancelled load still
// cleans up. Dropping the 2.3 GB scratch database of a 50 MiB folder (some
// 240,000 relation files) took more than a minute on a busy 2-core machine;
// a drop cut short is finished by the next load or the agent's start-up.
const cleanupTimeout = 5 * time.Minute

// scratch is one scratch database and the role that owns it; both have the same
// name: prefix, "l" (the load holds the name's advisory lock), creation time in
// unix seconds, "_", 16 random hex digits.
type scratch struct {
	prefix   string
	name     string
	password string
	// super: the admin that created the scratch role is a superuser.
	super bool
}

// legacyStaleAfter is when a scratch name without the lock marker (made by
// versions that took no lock, which may still be running during an upgrade) is
// taken for a leftover: older than this and without sessions.
const legacyStaleAfter = 15 * time.Minute

func newScratch(prefix string, now time.Time) (*scratch, error) {
	b := make([]byte, 8+24)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("generating scratch database name: %w", err)
	}
	return &scratch{
		prefix:   prefix,
		name:     fmt.Sprintf("%sl%d_%s", prefix, now.Unix(), hex.EncodeToString(b[:8])),
		password: base64.RawURLEncoding.EncodeToString(b[8:]),
	}, nil
}

// parseScratchName returns the creation time embedded in a scratch name of this
// prefix and whether it carries the lock marker, and false for any name this
// package did not make.
func parseScratchName(prefix, name string) (created time.Time, locked, ok bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return time.Time{}, false, false
	}
	rest, locked = strings.CutPrefix(rest, "l")
	secs, random, ok := strings.Cut(rest, "_")
	if !ok || len(random) != 16 || len(secs) == 0 || len(secs) > 12 {
		return time.Time{}, false, false
	}
	if _, err := hex.DecodeString(random); err != nil || strings.ToLower(random) != random {
		return time.Time{}, false, false
	}
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != secs {
		return time.Time{}, false, false
	}
	return time.Unix(n, 0), locked, true
}

func (s *scratch) ident() string { return pgx.Identifier{s.name}.Sanitize() }

const lockKeyPrefix = "schemactl scratch\x00"

// lockKey is the key of the session advisory lock a load holds, from before it
// creates its scratch database and role until it has dropped them: a scratch
// name whose lock no session holds belongs to a load that is gone.
func lockKey(name string) int64 {
	// dropLeftovers computes the same in SQL.
	sum := sha256.Sum256([]byte(lockKeyPrefix + name))
	return int64(binary.BigEndian.Uint64(sum[:8])) //nolint:gosec // a hash, reinterpreted
}

// create makes the role and its database. The role can log in and do nothing
// else beyond owning the database: no superuser, no CREATEDB, no CREATEROLE, no
// replication, no BYPASSRLS, no membership in any role. It keeps INHERIT: from
// PostgreSQL 15 on, the database owner reaches the public schema through its
// implicit membership in pg_database_owner. Its password is random
// and sent only as a SCRAM verifier, so it appears in no server log.
//
// The loader opens exactly one session as the role and holds it for the whole
// load (statements and inspection), so CONNECTION LIMIT 1 leaves no way in
// for anyone else, even for SQL of the desired schema that changed the role's
// password (a role may change its own password, not its limit or expiry).
// VALID UNTIL deadline bounds password logins should the loader die without
// cleaning up. With a superuser admin the role also gets temp_file_limit
// (a superuser-only setting) from limitTempFiles, before its session starts,
// once the size cap is known.
func (s *scratch) create(ctx context.Context, admin *pgx.Conn, deadline time.Duration) error {
	verifier, err := scramVerifier(s.password, nil, 4096)
	if err != nil {
		return err
	}
	var (
		super bool
		until string
	)
	if err := admin.QueryRow(ctx, `SELECT rolsuper, (pg_catalog.now() + pg_catalog.make_interval(secs => $1))::pg_catalog.text
		FROM pg_catalog.pg_roles WHERE rolname = current_user`, deadline.Seconds()).Scan(&super, &until); err != nil {
		return fmt.Errorf("checking the admin role: %w", err)
	}
	s.super = super
	id := s.ident()
	stmts := []string{
		"CREATE ROLE " + id + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 1 VALID UNTIL " + quoteLiteral(until) + " PASSWORD " + quoteLiteral(verifier),
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
	// The role's statements go in one round trip (the simple protocol runs
	// them in one implicit transaction); CREATE DATABASE cannot run in one.
	n := len(stmts) - 2
	batches := []string{strings.Join(stmts[:n], "; "), stmts[n], stmts[n+1]}
	for _, q := range batches {
		if _, err := admin.Exec(ctx, q); err != nil {
			return fmt.Errorf("creating scratch database %s: %w", s.name, err)
		}
	}
	return nil
}

// limitTempFiles gives the scratch role temp_file_limit = bytes (rounded down
// to kB; 0: none), before its session starts, when the admin is a superuser
// (only a superuser may set it for a role).
func (s *scratch) limitTempFiles(ctx context.Context, admin *pgx.Conn, bytes int64) error {
	kb := bytes / 1024
	if !s.super || kb <= 0 {
		return nil
	}
	if _, err := admin.Exec(ctx, "ALTER ROLE "+s.ident()+" SET temp_file_limit = "+strconv.FormatInt(kb, 10)); err != nil {
		return fmt.Errorf("limiting the scratch role's temporary files: %w", err)
	}
	return nil
}

// lockOut makes the role unable to log in, before the loader closes its one
// session: from then on the role's password, whoever knows it, opens nothing.
func (s *scratch) lockOut(ctx context.Context, admin *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if admin != nil && !admin.IsClosed() {
		_, _ = admin.Exec(ctx, "ALTER ROLE "+s.ident()+" NOLOGIN PASSWORD NULL")
	}
}

// drop removes the database (terminating its sessions) and the role; the
// scratch name's lock is released when the admin's session closes, after. It
// uses a context of its own so that it also runs after the caller's was
// cancelled, and reconnects when admin is gone (a cancelled query closes its
// connection, which releases the lock).
func (s *scratch) drop(ctx context.Context, admin *pgx.Conn, adminCfg *pgx.ConnConfig) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if admin == nil || admin.IsClosed() {
		conn, err := connect(ctx, adminCfg, "dropping scratch database "+s.name)
		if err != nil {
			return err
		}
		defer func() { _ = conn.Close(ctx) }()
		admin = conn
	}
	err := dropScratchName(ctx, admin, s.name)
	if err != nil {
		err = fmt.Errorf("dropping scratch database %s: %w", s.name, err)
	}
	// The lock goes with the admin's session, which the loader closes last.
	return err
}

// dropLeftovers runs dropLeftovers for the load's prefix after the load, with
// a context of its own, ignoring failures: housekeeping.
func (s *scratch) dropLeftovers(ctx context.Context, admin *pgx.Conn, adminCfg *pgx.ConnConfig) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if admin == nil || admin.IsClosed() {
		conn, err := connect(ctx, adminCfg, "dropping leftover scratch databases")
		if err != nil {
			return
		}
		defer func() { _ = conn.Close(ctx) }()
		admin = conn
	}
	_, _ = dropLeftovers(ctx, admin, s.prefix)
}

// dropScratchName drops the database and the role of a scratch name: the
// database WITH (FORCE), ending the sessions in it, then any other session of
// the role and the role itself. name is one of ours (lowercase letters, digits, underscores).
func dropScratchName(ctx context.Context, admin *pgx.Conn, name string) error {
	id := pgx.Identifier{name}.Sanitize()
	var errs []error
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)"); err != nil {
		errs = append(errs, err)
	}
	// Sessions of the role elsewhere (it could connect to any database that
	// grants CONNECT to PUBLIC) would outlive it. One round trip.
	if _, err := admin.Exec(ctx, `SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity
		WHERE usename OPERATOR(pg_catalog.=) `+quoteLiteral(name)+` AND pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid();
		DROP ROLE IF EXISTS `+id); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// dropLeftovers drops, at once, every scratch database and role of prefix
// whose load no longer holds its advisory lock: the leftovers of a run that
// was killed (kill -9, a crashed node) before it could clean up. pg_locks is
// cluster-wide, so the lock is seen whatever database the load's admin session
// is in. A load takes its lock before it creates anything and releases it only
// after dropping everything, so a live load is never touched. It returns the
// names it dropped; names it could not drop (another admin's, without the
// rights) are left for their owner and reported in the error.
//
// Names without the lock marker, made by earlier versions that took no lock,
// are dropped only when older than 15 minutes and without sessions.
func dropLeftovers(ctx context.Context, admin *pgx.Conn, prefix string) ([]string, error) {
	now := time.Now()
	// Each name with whether its lock is held; the key's halves as pg_locks
	// shows a bigint advisory key (classid, objid, objsubid 1).
	rows, err := admin.Query(ctx, `SELECT n.name, EXISTS (SELECT FROM pg_catalog.pg_locks l
			WHERE l.locktype = 'advisory' AND l.objsubid = 1
			AND l.classid::pg_catalog.int8 = (k.key >> 32) & 4294967295 AND l.objid::pg_catalog.int8 = k.key & 4294967295)
		FROM (SELECT datname::pg_catalog.text FROM pg_catalog.pg_database WHERE starts_with(datname, $1)
			UNION SELECT rolname::pg_catalog.text FROM pg_catalog.pg_roles WHERE starts_with(rolname, $1)) n(name),
		LATERAL (SELECT ('x' || pg_catalog.left(pg_catalog.encode(pg_catalog.sha256($2::pg_catalog.bytea OPERATOR(pg_catalog.||) pg_catalog.convert_to(n.name, 'UTF8')), 'hex'), 16))::bit(64)::pg_catalog.int8) k(key)
		ORDER BY 1`, prefix, []byte(lockKeyPrefix))
	if err != nil {
		return nil, fmt.Errorf("listing scratch databases: %w", err)
	}
	type candidate struct {
		name string
		held bool
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (candidate, error) {
		var c candidate
		err := r.Scan(&c.name, &c.held)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing scratch databases: %w", err)
	}
	var (
		dropped []string
		errs    []error
	)
	for _, c := range list {
		name := c.name
		created, locked, ok := parseScratchName(prefix, name)
		if !ok {
			continue
		}
		if !locked {
			// A name of a version that took no lock: the old rule, old and
			// unused, and DROP DATABASE without FORCE as the final guard.
			if now.Sub(created) > legacyStaleAfter && dropUnused(ctx, admin, name) == nil {
				dropped = append(dropped, name)
			}
			continue
		}
		if c.held {
			continue
		}
		if err := dropScratchName(ctx, admin, name); err != nil {
			errs = append(errs, fmt.Errorf("dropping leftover scratch database %s: %w", name, err))
			continue
		}
		dropped = append(dropped, name)
	}
	return dropped, errors.Join(errs...)
}

// dropUnused drops the database of a legacy scratch name unless someone uses
// it, then its role.
func dropUnused(ctx context.Context, admin *pgx.Conn, name string) error {
	id := pgx.Identifier{name}.Sanitize()
	var busy bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_catalog.pg_stat_activity WHERE datname OPERATOR(pg_catalog.=) $1 OR usename OPERATOR(pg_catalog.=) $1)", name).Scan(&busy); err != nil {
		return err
	}
	if busy {
		return errors.New("in use")
	}
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+id); err != nil {
		return err
	}
	_, err := admin.Exec(ctx, "DROP ROLE IF EXISTS "+id)
	return err
}

// CleanupLeftovers connects to the scratch server of adminURL (a role with
// CREATEDB and CREATEROLE, as for Options.AdminURL) and drops every scratch
// database and role of prefix (DefaultPrefix when empty) left behind by a
// load that is gone: one whose advisory lock no session holds. Live loads,
// here or on any other host, are never touched. It returns the names it
// dropped. Every load does the same before it starts; the agent calls it at
// start-up for its default scratch server.
func CleanupLeftovers(ctx context.Context, adminURL, prefix string) ([]string, error) {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	if !validPrefix(prefix) {
		return nil, fmt.Errorf("scratch prefix %q must be 1 to 32 lowercase letters, digits or underscores, starting with a letter", prefix)
	}
	cfg, err := connstr.Parse(adminURL)
	if err != nil {
		return nil, fmt.Errorf("scratch server: %w", err)
	}
	admin, err := connect(ctx, cfg, connstr.Redact(adminURL)+" (scratch server)")
	if err != nil {
		return nil, err
	}
	defer closeConn(ctx, admin)
	return dropLeftovers(ctx, admin, prefix)
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
