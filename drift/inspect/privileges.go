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

package inspect

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/model"
)

// privileges reads grants, owners and the server's roles; Inspect calls it only when
// privileges are managed.
func (in *inspector) privileges(ctx context.Context) error {
	if err := in.query(ctx, "grants", func(r pgx.Rows) error {
		var g model.Grant
		if err := r.Scan(&g.Kind, &g.Object, &g.Column, &g.Grantee, &g.Privilege, &g.Grantable); err != nil {
			return err
		}
		in.s.Grants = append(in.s.Grants, g)
		return nil
	}); err != nil {
		return err
	}
	if err := in.query(ctx, "owners", func(r pgx.Rows) error {
		var o model.Ownership
		if err := r.Scan(&o.Kind, &o.Object, &o.Owner); err != nil {
			return err
		}
		if o.Owner != "" {
			in.s.Owners = append(in.s.Owners, o)
		}
		return nil
	}); err != nil {
		return err
	}
	rows, err := in.tx.Query(ctx, queries["roles"])
	if err != nil {
		return err
	}
	roles, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	in.s.Roles = roles
	return in.tx.QueryRow(ctx, queries["self"]).Scan(&in.s.Self)
}
