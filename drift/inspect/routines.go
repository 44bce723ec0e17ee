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

// views reads views and materialized views with their columns and (materialized
// views only) indexes: three queries, joined here by oid.
func (in *inspector) views(ctx context.Context) error {
	byOID := map[uint32]int{}
	if err := in.query(ctx, "views", func(r pgx.Rows) error {
		var (
			oid uint32
			v   model.View
		)
		if err := r.Scan(&oid, &v.Schema, &v.Name, &v.Materialized, &v.Definition, &v.Options, &v.Populated, &v.Comment); err != nil {
			return err
		}
		if len(v.Options) == 0 {
			v.Options = nil
		}
		byOID[oid] = len(in.s.Views)
		in.s.Views = append(in.s.Views, v)
		return nil
	}); err != nil {
		return err
	}
	if err := in.query(ctx, "view_columns", func(r pgx.Rows) error {
		var (
			oid uint32
			c   model.ViewColumn
		)
		if err := r.Scan(&oid, &c.Name, &c.Type, &c.Collation, &c.Comment, &c.Settings); err != nil {
			return err
		}
		if len(c.Settings) == 0 {
			c.Settings = nil
		}
		if i, ok := byOID[oid]; ok {
			in.s.Views[i].Columns = append(in.s.Views[i].Columns, c)
		}
		return nil
	}); err != nil {
		return err
	}
	return in.query(ctx, "view_indexes", func(r pgx.Rows) error {
		var (
			oid uint32
			x   model.Index
		)
		if err := r.Scan(&oid, &x.Schema, &x.Name, &x.Table, &x.Definition, &x.Unique, &x.Valid, &x.Clustered, &x.Comment); err != nil {
			return err
		}
		if i, ok := byOID[oid]; ok {
			in.s.Views[i].Indexes = append(in.s.Views[i].Indexes, x)
		}
		return nil
	})
}

func (in *inspector) functions(ctx context.Context) error {
	return in.query(ctx, "functions", func(r pgx.Rows) error {
		var f model.Function
		if err := r.Scan(&f.Schema, &f.Name, &f.Signature, &f.Arguments, &f.AllArguments, &f.Kind, &f.Definition, &f.Result, &f.ArgNames, &f.Defaults, &f.Comment); err != nil {
			return err
		}
		if len(f.ArgNames) == 0 {
			f.ArgNames = nil
		}
		in.s.Functions = append(in.s.Functions, f)
		return nil
	})
}

func (in *inspector) triggers(ctx context.Context) error {
	return in.query(ctx, "triggers", func(r pgx.Rows) error {
		var t model.Trigger
		var comments []string
		if err := r.Scan(&t.Schema, &t.Table, &t.Name, &t.Definition, &t.Enabled, &t.Constraint, &t.Comment, &t.PartitionStates, &comments); err != nil {
			return err
		}
		for j := 0; j+1 < len(comments); j += 2 {
			if t.PartitionComments == nil {
				t.PartitionComments = map[string]string{}
			}
			t.PartitionComments[comments[j]] = comments[j+1]
		}
		if len(t.PartitionStates) == 0 {
			t.PartitionStates = nil
		}
		in.s.Triggers = append(in.s.Triggers, t)
		return nil
	})
}

func (in *inspector) dependencies(ctx context.Context) error {
	return in.query(ctx, "dependencies", func(r pgx.Rows) error {
		var d model.Dependency
		if err := r.Scan(&d.Dependent, &d.Referenced); err != nil {
			return err
		}
		if d.Dependent != d.Referenced {
			in.s.Dependencies = append(in.s.Dependencies, d)
		}
		return nil
	})
}

// excludeRoutines removes the views and functions whose "schema.name" matches, and
// the triggers of excluded tables and views. Dependencies stay: they only order
// statements.
func excludeRoutines(s *model.Schema, match func(schema, name string) bool, excludedTables map[string]bool) {
	s.Views = filter(s.Views, func(v model.View) bool {
		if match(v.Schema, v.Name) {
			excludedTables[model.Qualified(v.Schema, v.Name)] = true
			return false
		}
		return true
	})
	s.Functions = filter(s.Functions, func(f model.Function) bool { return !match(f.Schema, f.Name) })
	s.Triggers = filter(s.Triggers, func(t model.Trigger) bool {
		return !excludedTables[model.Qualified(t.Schema, t.Table)] && !match(t.Schema, t.Name)
	})
}
