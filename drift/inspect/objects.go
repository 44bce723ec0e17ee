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

// objects reads extended statistics, rules and operators.
func (in *inspector) objects(ctx context.Context) error {
	return in.query(ctx, "objects", func(r pgx.Rows) error {
		var o model.Object
		if err := r.Scan(&o.Kind, &o.Schema, &o.Name, &o.Table, &o.Create, &o.After, &o.Drop, &o.Target, &o.Comment); err != nil {
			return err
		}
		if len(o.After) == 0 {
			o.After = nil
		}
		in.s.Objects = append(in.s.Objects, o)
		return nil
	})
}
