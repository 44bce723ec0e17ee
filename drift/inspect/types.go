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
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/model"
)

func (in *inspector) enums(ctx context.Context) error {
	return in.query(ctx, "enums", func(r pgx.Rows) error {
		var e model.Enum
		if err := r.Scan(&e.Schema, &e.Name, &e.Labels, &e.Comment); err != nil {
			return err
		}
		in.s.Enums = append(in.s.Enums, e)
		return nil
	})
}

// domains reads domains and their named checks (two queries, joined by name).
func (in *inspector) domains(ctx context.Context) error {
	type key struct{ schema, name string }
	byName := map[key]int{}
	if err := in.query(ctx, "domains", func(r pgx.Rows) error {
		var d model.Domain
		if err := r.Scan(&d.Schema, &d.Name, &d.Type, &d.Collation, &d.Default, &d.NotNull, &d.Comment); err != nil {
			return err
		}
		byName[key{d.Schema, d.Name}] = len(in.s.Domains)
		in.s.Domains = append(in.s.Domains, d)
		return nil
	}); err != nil {
		return err
	}
	return in.query(ctx, "domain_checks", func(r pgx.Rows) error {
		var (
			schema, name string
			c            model.DomainCheck
		)
		if err := r.Scan(&schema, &name, &c.Name, &c.Definition, &c.Validated, &c.Comment); err != nil {
			return err
		}
		c.Definition = strings.TrimSuffix(c.Definition, " NOT VALID")
		if i, ok := byName[key{schema, name}]; ok {
			in.s.Domains[i].Checks = append(in.s.Domains[i].Checks, c)
		}
		return nil
	})
}

// composites reads composite types, one row per attribute, in attribute order.
func (in *inspector) composites(ctx context.Context) error {
	return in.query(ctx, "composites", func(r pgx.Rows) error {
		var (
			schema, name, comment string
			a                     model.Attribute
		)
		if err := r.Scan(&schema, &name, &a.Name, &a.Type, &a.Collation, &a.Comment, &comment); err != nil {
			return err
		}
		n := len(in.s.CompositeTypes)
		if n == 0 || in.s.CompositeTypes[n-1].Schema != schema || in.s.CompositeTypes[n-1].Name != name {
			in.s.CompositeTypes = append(in.s.CompositeTypes, model.CompositeType{Schema: schema, Name: name, Attributes: []model.Attribute{}, Comment: comment})
			n++
		}
		if a.Name != "" {
			in.s.CompositeTypes[n-1].Attributes = append(in.s.CompositeTypes[n-1].Attributes, a)
		}
		return nil
	})
}

// ranges reads range types, and leaves out the constructor functions PostgreSQL
// made for them (the functions step read them as functions).
func (in *inspector) ranges(ctx context.Context) error {
	if err := in.query(ctx, "ranges", func(r pgx.Rows) error {
		var x model.RangeType
		if err := r.Scan(&x.Schema, &x.Name, &x.Subtype, &x.Multirange, &x.Opclass, &x.Collation, &x.Canonical, &x.Subdiff, &x.Comment); err != nil {
			return err
		}
		in.s.RangeTypes = append(in.s.RangeTypes, x)
		return nil
	}); err != nil {
		return err
	}
	type signature struct{ schema, name, args string }
	internal := map[signature]bool{}
	if err := in.query(ctx, "type_functions", func(r pgx.Rows) error {
		var schema, name, args string
		if err := r.Scan(&schema, &name, &args); err != nil {
			return err
		}
		internal[signature{schema, name, args}] = true
		return nil
	}); err != nil {
		return err
	}
	if len(internal) > 0 {
		in.s.Functions = filter(in.s.Functions, func(f model.Function) bool {
			return !internal[signature{f.Schema, f.Name, f.Arguments}]
		})
	}
	return nil
}

func (in *inspector) collations(ctx context.Context) error {
	return in.query(ctx, "collations", func(r pgx.Rows) error {
		var c model.Collation
		if err := r.Scan(&c.Schema, &c.Name, &c.Provider, &c.Deterministic, &c.Collate, &c.Ctype, &c.Locale, &c.Comment); err != nil {
			return err
		}
		if c.Provider == "i" {
			// An ICU collation's LC_COLLATE and LC_CTYPE are not its definition (and
			// are NULL from PostgreSQL 15 on).
			c.Collate, c.Ctype = "", ""
		}
		in.s.Collations = append(in.s.Collations, c)
		return nil
	})
}

// excludeTypes removes the types and collations whose "schema.name" matches, and the
// policies of excluded tables.
func excludeTypes(s *model.Schema, match func(schema, name string) bool, excludedTables map[string]bool) {
	s.Domains = filter(s.Domains, func(d model.Domain) bool { return !match(d.Schema, d.Name) })
	s.CompositeTypes = filter(s.CompositeTypes, func(c model.CompositeType) bool { return !match(c.Schema, c.Name) })
	s.RangeTypes = filter(s.RangeTypes, func(r model.RangeType) bool { return !match(r.Schema, r.Name) })
	s.Collations = filter(s.Collations, func(c model.Collation) bool { return !match(c.Schema, c.Name) })
	s.Policies = filter(s.Policies, func(p model.Policy) bool { return !excludedTables[model.Qualified(p.Schema, p.Table)] })
}
