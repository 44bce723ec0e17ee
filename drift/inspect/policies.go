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

func (in *inspector) policies(ctx context.Context) error {
	return in.query(ctx, "policies", func(r pgx.Rows) error {
		var p model.Policy
		if err := r.Scan(&p.Schema, &p.Table, &p.Name, &p.Permissive, &p.Command, &p.Roles, &p.Using, &p.WithCheck, &p.Comment); err != nil {
			return err
		}
		in.s.Policies = append(in.s.Policies, p)
		return nil
	})
}
