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
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The DDL audit (attribution of drift): an event trigger on ddl_command_end and
// sql_drop records every DDL statement in schemactl.ddl_audit, with who ran it,
// from where and when. The schemactl schema is ours: never inspected, never drift.

//go:embed audit_install.sql
var auditInstallSQL string

//go:embed audit_uninstall.sql
var auditUninstallSQL string

// ApplyIDSetting is the session setting our applies carry while they run
// (schemactl.apply_id = the plan id): the audit records DDL made under it as
// ours, and attribution never reports it.
const ApplyIDSetting = "schemactl.apply_id"

// AuditOptions bound the audit table.
type AuditOptions struct {
	// Retention is how long a record is kept (default 30 days).
	Retention time.Duration
	// MaxRows is the most records kept, the oldest go first (default 10000).
	MaxRows int
	// StatementBytes is the length statements are truncated to (default 2000).
	StatementBytes int
}

// Default bounds of the audit table.
const (
	DefaultAuditRetention      = 30 * 24 * time.Hour
	DefaultAuditMaxRows        = 10000
	DefaultAuditStatementBytes = 2000
)

// ErrAuditNeedsSuperuser is returned by InstallAudit when the role may not create
// event triggers: PostgreSQL allows that to superusers only.
var ErrAuditNeedsSuperuser = errors.New("the DDL audit needs event triggers, which PostgreSQL lets only a superuser create: " +
	"ask a DBA to run `schemactl audit install --url URL` once as a superuser; plan, apply and adopt work without it, without attribution")

// InstallAudit installs (or updates) the DDL audit in the database behind conn:
// the table schemactl.ddl_audit, its settings, the functions and the event
// triggers schemactl_ddl_audit_end and schemactl_ddl_audit_drop. It runs in one
// transaction; a role that may not create event triggers gets
// ErrAuditNeedsSuperuser and nothing is left.
func InstallAudit(ctx context.Context, conn *pgx.Conn, o AuditOptions) error {
	if o.Retention <= 0 {
		o.Retention = DefaultAuditRetention
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultAuditMaxRows
	}
	if o.StatementBytes <= 0 {
		o.StatementBytes = DefaultAuditStatementBytes
	}
	var super bool
	if err := conn.QueryRow(ctx, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user").Scan(&super); err != nil {
		return fmt.Errorf("installing the DDL audit: %w", err)
	}
	if !super {
		return ErrAuditNeedsSuperuser
	}
	sql := strings.NewReplacer(
		"{{retention}}", fmt.Sprintf("'%d seconds'", int64(o.Retention.Seconds())),
		"{{max_rows}}", fmt.Sprint(o.MaxRows),
		"{{statement_bytes}}", fmt.Sprint(o.StatementBytes),
	).Replace(auditInstallSQL)
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql)
		return err
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return ErrAuditNeedsSuperuser
	}
	if err != nil {
		return fmt.Errorf("installing the DDL audit: %w", err)
	}
	return nil
}

// UninstallAudit removes everything InstallAudit created, and the schemactl
// schema when nothing else is left in it.
func UninstallAudit(ctx context.Context, conn *pgx.Conn) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, auditUninstallSQL)
		return err
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42501" {
		return fmt.Errorf("removing the DDL audit needs a superuser (its event triggers): %w", err)
	}
	if err != nil {
		return fmt.Errorf("removing the DDL audit: %w", err)
	}
	return nil
}

// AuditInstalled reports whether the DDL audit's event triggers are in the
// database behind conn.
func AuditInstalled(ctx context.Context, conn *pgx.Conn) (bool, error) {
	var n int
	err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_catalog.pg_event_trigger WHERE evtname IN ('schemactl_ddl_audit_end', 'schemactl_ddl_audit_drop')").Scan(&n)
	return n == 2, err
}

// Attribution says who made a change of the database, from where, when and with
// what statement: the last DDL the audit recorded on the object, not made by one
// of our applies.
type Attribution struct {
	// At is when the statement ran.
	At time.Time `json:"at"`
	// SessionUser is the role that logged in; CurrentUser the role the statement
	// ran as (after SET ROLE).
	SessionUser string `json:"sessionUser"`
	CurrentUser string `json:"currentUser"`
	// ClientAddr is the client's address; empty over a Unix socket.
	ClientAddr string `json:"clientAddr,omitempty"`
	// ApplicationName is the client's application_name.
	ApplicationName string `json:"applicationName"`
	// CommandTag is the statement's kind, e.g. "CREATE INDEX".
	CommandTag string `json:"commandTag"`
	// ObjectIdentity is the object as PostgreSQL names it in the audit.
	ObjectIdentity string `json:"objectIdentity"`
	// Statement is the text of the statement, truncated.
	Statement string `json:"statement"`
}

// String renders the attribution on one line: who, from where, when, what.
func (a *Attribution) String() string {
	who := a.SessionUser
	if a.CurrentUser != "" && a.CurrentUser != a.SessionUser {
		who += " (as " + a.CurrentUser + ")"
	}
	from := a.ClientAddr
	if from == "" {
		from = "local socket"
	}
	app := a.ApplicationName
	if app == "" {
		app = "unnamed"
	}
	return fmt.Sprintf("by %s from %s, application %s, at %s: %s", who, from, app, a.At.UTC().Format(time.RFC3339),
		strings.Join(strings.Fields(a.Statement), " "))
}

// identities are the names the audit may have recorded a change of object
// under, most specific first: the object itself ("public.t.c", "c on public.t")
// and the table holding it (ALTER TABLE records the table).
func identities(object string) []string {
	var out []string
	rest := object
	for {
		_, r, ok := strings.Cut(rest, " ")
		if !ok {
			break
		}
		out = append(out, r)
		rest = r
	}
	if kind, r, _ := strings.Cut(object, " "); kind == "column" {
		if i := strings.LastIndex(r, "."); i > 0 {
			out = append(out, r[:i])
		}
	}
	return out
}

// Attribute reads the DDL audit of the database behind conn and returns, for
// each difference whose object it recorded a change of, who made it (keyed by
// Difference.Object). Changes made by our applies are not attributed. Without
// the audit (not installed, or not readable by the role) it returns nothing and
// no error: attribution is an aid, not a requirement.
func Attribute(ctx context.Context, conn *pgx.Conn, diffs []Difference) (map[string]Attribution, error) {
	if len(diffs) == 0 {
		return nil, nil
	}
	var readable bool
	err := conn.QueryRow(ctx, `SELECT pg_catalog.to_regclass('schemactl.ddl_audit') IS NOT NULL
		AND pg_catalog.has_table_privilege('schemactl.ddl_audit', 'SELECT')`).Scan(&readable)
	if err != nil || !readable {
		return nil, err
	}
	var ids []string
	for _, d := range diffs {
		ids = append(ids, identities(d.Object)...)
	}
	rows, err := conn.Query(ctx, `
SELECT DISTINCT ON (object_identity) object_identity, at, session_role, current_role_name,
       coalesce(pg_catalog.host(client_addr), ''), application_name, command_tag, coalesce(statement, ''), apply_id IS NOT NULL
FROM schemactl.ddl_audit WHERE object_identity = ANY ($1)
ORDER BY object_identity, id DESC`, ids)
	if err != nil {
		return nil, fmt.Errorf("reading the DDL audit: %w", err)
	}
	found := map[string]Attribution{}
	for rows.Next() {
		var a Attribution
		var ours bool
		if err := rows.Scan(&a.ObjectIdentity, &a.At, &a.SessionUser, &a.CurrentUser, &a.ClientAddr, &a.ApplicationName, &a.CommandTag, &a.Statement, &ours); err != nil {
			rows.Close()
			return nil, fmt.Errorf("reading the DDL audit: %w", err)
		}
		if !ours {
			found[a.ObjectIdentity] = a
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the DDL audit: %w", err)
	}
	out := map[string]Attribution{}
	for _, d := range diffs {
		for _, id := range identities(d.Object) {
			if a, ok := found[id]; ok {
				out[d.Object] = a
				break
			}
		}
	}
	return out, nil
}
