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
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The dangerous privileges TargetPrivileges reports. Attributes are spelled as in
// CREATE ROLE; predefined roles by their name.
const (
	PrivSuperuser            = "SUPERUSER"
	PrivCreateRole           = "CREATEROLE"
	PrivReplication          = "REPLICATION"
	PrivExecuteServerProgram = "pg_execute_server_program"
	PrivWriteServerFiles     = "pg_write_server_files"
	PrivReadServerFiles      = "pg_read_server_files"
	PrivReadAllData          = "pg_read_all_data"
	PrivWriteAllData         = "pg_write_all_data"
)

// createRoleSafeSinceVersion is the server_version_num from which CREATEROLE manages
// only the roles it created (PostgreSQL 16).
const createRoleSafeSinceVersion = 160000

// dangerousRoles are the predefined roles whose membership lets SQL reach beyond
// the schemas the applying role owns, with what each lets it do. PostgreSQL's
// documentation says of the three *_server_* roles that they "could be used to gain
// superuser-level access".
var dangerousRoles = []struct{ name, risk string }{
	{PrivExecuteServerProgram, "COPY … TO/FROM PROGRAM runs shell commands on the database server as its operating-system user"},
	{PrivWriteServerFiles, "COPY … TO a file writes any file the server's operating-system user may write"},
	{PrivReadServerFiles, "COPY … FROM a file reads any file the server's operating-system user may read"},
	{PrivWriteAllData, "writes every table of every schema, not only the managed ones"},
	{PrivReadAllData, "reads every table of every schema, not only the managed ones"},
}

// DangerousPrivilege is one thing the role applying a plan may do beyond owning the
// schemas it manages.
type DangerousPrivilege struct {
	// Name is the role attribute (SUPERUSER, CREATEROLE, REPLICATION) or the
	// predefined role (pg_execute_server_program, …).
	Name string `json:"name"`
	// Via is the role that holds the attribute when it is not the applying role
	// itself but a role it is a member of (and may SET ROLE to).
	Via string `json:"via,omitempty"`
	// Risk says what SQL running with the privilege can do.
	Risk string `json:"risk"`
}

func (p DangerousPrivilege) String() string {
	s := p.Name
	if p.Via != "" {
		s += " (through role " + p.Via + ")"
	}
	return s + ": " + p.Risk
}

// RolePrivileges is what TargetPrivileges found about the role a plan is applied as.
type RolePrivileges struct {
	// Role is the role the session runs as (current_user).
	Role string `json:"role"`
	// Dangerous are its dangerous privileges; empty for a role that can do no more
	// than what it owns and was granted in the database. A superuser has only
	// SUPERUSER, which implies the rest.
	Dangerous []DangerousPrivilege `json:"dangerous"`
}

// Warning is a one-line warning about the dangerous privileges, "" when there are
// none. It names the role and the privileges, never a connection string.
func (r *RolePrivileges) Warning() string {
	if r == nil || len(r.Dangerous) == 0 {
		return ""
	}
	parts := make([]string, len(r.Dangerous))
	for i, p := range r.Dangerous {
		parts[i] = p.String()
	}
	return fmt.Sprintf("role %q applies the plan with dangerous privileges: %s. SQL from Git (function bodies, "+
		"view, default, check and index expressions) runs with them during apply; use a role that owns the "+
		"managed schemas and nothing more (see docs/security.md)",
		r.Role, strings.Join(parts, "; "))
}

// privilegesQuery lists the roles the session can act as (current_user, the session
// user it may RESET ROLE to, and every role either is a member of, which SET ROLE
// reaches even without INHERIT) that carry a dangerous attribute or are one of the
// dangerous predefined roles. A superuser is a member of every role.
const privilegesQuery = `
SELECT current_user::text,
       current_setting('server_version_num')::int,
       r.rolname::text, r.rolsuper, r.rolcreaterole, r.rolreplication
FROM pg_catalog.pg_roles r
WHERE (pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER') OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
  AND (r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolname = ANY($1))
ORDER BY r.rolname <> current_user, r.rolname <> session_user, r.rolname`

// TargetPrivileges returns the dangerous privileges of the role connected through
// conn: those that let SQL from Git, which runs with that role's rights during an
// apply (a function called by a default, a check, an index expression, a
// materialized view refreshed), reach beyond the schemas the role owns.
//
// Reported: SUPERUSER; membership of pg_execute_server_program,
// pg_write_server_files and pg_read_server_files (the server's programs and files);
// pg_read_all_data and pg_write_all_data (every schema's data); REPLICATION (logical
// decoding reads every change, and a forgotten slot holds WAL until the disk is
// full); and CREATEROLE before PostgreSQL 16, where it may grant itself any
// non-superuser role, pg_execute_server_program included (from 16 on it manages only
// the roles it created). An attribute held by a role the applying role is a member
// of counts, since SET ROLE reaches it. BYPASSRLS is not reported: the owner of a
// table already bypasses its row security, and the role reads no table it could not
// read anyway.
func TargetPrivileges(ctx context.Context, conn *pgx.Conn) (*RolePrivileges, error) {
	names := make([]string, len(dangerousRoles))
	for i, d := range dangerousRoles {
		names[i] = d.name
	}
	rows, err := conn.Query(ctx, privilegesQuery, names)
	if err != nil {
		return nil, fmt.Errorf("reading the privileges of the target role: %w", err)
	}
	defer rows.Close()
	out := &RolePrivileges{Dangerous: []DangerousPrivilege{}}
	seen := map[string]bool{}
	add := func(name, via, risk string) {
		if seen[name] {
			return
		}
		seen[name] = true
		out.Dangerous = append(out.Dangerous, DangerousPrivilege{Name: name, Via: via, Risk: risk})
	}
	var super *DangerousPrivilege
	for rows.Next() {
		var (
			role, name                  string
			version                     int
			rolsuper, createrole, repli bool
		)
		if err := rows.Scan(&role, &version, &name, &rolsuper, &createrole, &repli); err != nil {
			return nil, fmt.Errorf("reading the privileges of the target role: %w", err)
		}
		out.Role = role
		via := name
		if name == role {
			via = ""
		}
		if rolsuper && super == nil {
			super = &DangerousPrivilege{Name: PrivSuperuser, Via: via,
				Risk: "bypasses every permission check: COPY … TO PROGRAM runs shell commands on the database server, server files can be read and written, untrusted languages are available"}
		}
		if createrole && version < createRoleSafeSinceVersion {
			add(PrivCreateRole, via, "before PostgreSQL 16 it may grant itself any non-superuser role, pg_execute_server_program included")
		}
		if repli {
			add(PrivReplication, via, "logical decoding reads every change of the database, and a replication slot left behind keeps WAL until the disk is full")
		}
		for _, d := range dangerousRoles {
			if name == d.name {
				add(d.name, "", d.risk)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the privileges of the target role: %w", err)
	}
	if out.Role == "" {
		if err := conn.QueryRow(ctx, "SELECT current_user::text").Scan(&out.Role); err != nil {
			return nil, fmt.Errorf("reading the target role: %w", err)
		}
	}
	if super != nil {
		out.Dangerous = []DangerousPrivilege{*super}
	}
	return out, nil
}
