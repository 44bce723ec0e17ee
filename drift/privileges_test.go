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

package drift_test

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

func privileges(t *testing.T, url string) *drift.RolePrivileges {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	p, err := drift.TargetPrivileges(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func serverVersionNum(t *testing.T, url string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	var v int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTargetPrivileges_eachAttribute connects as roles created with each
// attribute or membership and checks what is reported, Via included.
func TestTargetPrivileges_eachAttribute(t *testing.T) {
	srv := pgtest.Shared(t)
	admin := srv.AdminURL()
	pre16 := serverVersionNum(t, admin) < 160000
	type want struct{ name, via string }
	for _, tc := range []struct {
		name    string
		options string
		setup   []string
		want    []want
	}{
		{name: "plain", want: nil},
		{name: "createdb", options: "CREATEDB", want: nil},
		{name: "bypassrls", options: "BYPASSRLS", want: nil},
		{name: "superuser", options: "SUPERUSER", want: []want{{drift.PrivSuperuser, ""}}},
		{name: "replication", options: "REPLICATION", want: []want{{drift.PrivReplication, ""}}},
		{name: "createrole", options: "CREATEROLE", want: func() []want {
			if pre16 {
				return []want{{drift.PrivCreateRole, ""}}
			}
			return nil
		}()},
		{name: "execute_server_program", setup: []string{"GRANT pg_execute_server_program TO %s"}, want: []want{{drift.PrivExecuteServerProgram, ""}}},
		{name: "write_server_files", setup: []string{"GRANT pg_write_server_files TO %s"}, want: []want{{drift.PrivWriteServerFiles, ""}}},
		{name: "read_server_files", setup: []string{"GRANT pg_read_server_files TO %s"}, want: []want{{drift.PrivReadServerFiles, ""}}},
		{name: "read_all_data", setup: []string{"GRANT pg_read_all_data TO %s"}, want: []want{{drift.PrivReadAllData, ""}}},
		{name: "write_all_data", setup: []string{"GRANT pg_write_all_data TO %s"}, want: []want{{drift.PrivWriteAllData, ""}}},
		// pg_signal_backend and pg_monitor are not dangerous in that sense.
		{name: "monitor", setup: []string{"GRANT pg_monitor, pg_signal_backend TO %s"}, want: nil},
		{name: "several", options: "REPLICATION", setup: []string{"GRANT pg_read_server_files, pg_execute_server_program TO %s"},
			want: []want{{drift.PrivReplication, ""}, {drift.PrivExecuteServerProgram, ""}, {drift.PrivReadServerFiles, ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			role := srv.NewRole(t, tc.options, tc.setup...)
			p := privileges(t, pgtest.URLAs(t, admin, role))
			if p.Role != role {
				t.Errorf("role %q, want %q", p.Role, role)
			}
			var got []want
			for _, d := range p.Dangerous {
				got = append(got, want{d.Name, d.Via})
				if d.Risk == "" {
					t.Errorf("%s has no risk", d.Name)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("dangerous %v, want %v", got, tc.want)
			}
			if w := p.Warning(); (w == "") != (len(tc.want) == 0) || (w != "" && !strings.Contains(w, `role "`+role+`"`)) {
				t.Errorf("warning %q", w)
			}
		})
	}
}

// TestTargetPrivileges_throughOtherRoles: privileges of a role the target may SET
// ROLE to count, through nested groups and without INHERIT, and so do those of the
// session user a SET ROLE can be reset to.
func TestTargetPrivileges_throughOtherRoles(t *testing.T) {
	srv := pgtest.Shared(t)
	admin := srv.AdminURL()

	group := srv.NewRole(t, "", "GRANT pg_execute_server_program TO %s")
	nested := srv.NewRole(t, "", "GRANT "+pgx.Identifier{group}.Sanitize()+" TO %s")
	p := privileges(t, pgtest.URLAs(t, admin, nested))
	if len(p.Dangerous) != 1 || p.Dangerous[0].Name != drift.PrivExecuteServerProgram {
		t.Errorf("nested group: %+v", p.Dangerous)
	}

	superGroup := srv.NewRole(t, "SUPERUSER")
	member := srv.NewRole(t, "NOINHERIT", "GRANT "+pgx.Identifier{superGroup}.Sanitize()+" TO %s")
	p = privileges(t, pgtest.URLAs(t, admin, member))
	if len(p.Dangerous) != 1 || p.Dangerous[0].Name != drift.PrivSuperuser || p.Dangerous[0].Via != superGroup {
		t.Errorf("member of a superuser role: %+v", p.Dangerous)
	}

	// A superuser session switched to a plain role with the role startup
	// parameter: current_user is the plain role, RESET ROLE returns to the superuser.
	plain := srv.NewRole(t, "")
	su := srv.NewRole(t, "SUPERUSER")
	u, err := url.Parse(pgtest.URLAs(t, admin, su))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("role", plain)
	u.RawQuery = q.Encode()
	p = privileges(t, u.String())
	if p.Role != plain || len(p.Dangerous) != 1 || p.Dangerous[0].Name != drift.PrivSuperuser || p.Dangerous[0].Via != su {
		t.Errorf("session user superuser, current user plain: %+v", p)
	}
}

// TestTargetPrivileges_risksAreReal shows on the server what two of the reported
// privileges allow: before PostgreSQL 16 a CREATEROLE role grants itself
// pg_execute_server_program, and that role's COPY … TO PROGRAM runs a shell command.
func TestTargetPrivileges_risksAreReal(t *testing.T) {
	srv := pgtest.Shared(t)
	admin := srv.AdminURL()
	if serverVersionNum(t, admin) >= 160000 {
		t.Skip("CREATEROLE cannot grant predefined roles from PostgreSQL 16 on")
	}
	role := srv.NewRole(t, "CREATEROLE")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URLAs(t, admin, role))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "GRANT pg_execute_server_program TO CURRENT_USER"); err != nil {
		t.Fatalf("a CREATEROLE role could not grant itself pg_execute_server_program: %v", err)
	}
	if _, err := conn.Exec(ctx, "COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'"); err != nil {
		t.Fatalf("COPY TO PROGRAM: %v", err)
	}
	p, err := drift.TargetPrivileges(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range p.Dangerous {
		names = append(names, d.Name)
	}
	if want := []string{drift.PrivCreateRole, drift.PrivExecuteServerProgram}; !reflect.DeepEqual(names, want) {
		t.Errorf("after the grant: %v, want %v", names, want)
	}
}
