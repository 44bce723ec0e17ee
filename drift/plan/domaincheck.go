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

package plan

import (
	"fmt"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

// The pre-flight checks of a domain's constraints, which PostgreSQL checks against
// every column of the domain (or of a domain over it) when they are set or
// validated.
const (
	// CheckDomainNotNull counts the NULLs of the columns of a domain that becomes
	// NOT NULL.
	CheckDomainNotNull CheckKind = "domain-not-null"
	// CheckDomainCheck counts the values of the columns of a domain that violate a
	// CHECK it validates.
	CheckDomainCheck CheckKind = "domain-check"
)

// domainColumn is a column that holds values of a domain.
type domainColumn struct {
	table  string // qualified and quoted
	column string // quoted
	name   string // schema.table.column, for messages
}

// domainColumns returns the live columns whose type is domain d or a domain over it,
// as they stand when a statement of the plan checks them: in the transaction
// (stageDomainConstraint, before the columns change) or, afterTransaction, online
// (columns Git drops or moves to another type are gone; tables Git drops are not).
// Partitioned tables are left out: their partitions hold the rows. container names
// a column that holds the domain inside an array or a composite type: PostgreSQL
// then refuses to check the domain's values at all.
func (b *builder) domainColumns(d *model.Domain, afterTransaction bool) (cols []domainColumn, container string) {
	over := map[string]bool{qn(d.Schema, d.Name): true}
	for changed := true; changed; {
		changed = false
		for _, ld := range b.live.Domains {
			if n := qn(ld.Schema, ld.Name); over[ld.Type] && !over[n] {
				over[n], changed = true, true
			}
		}
	}
	composites := map[string]bool{}
	for _, c := range b.live.CompositeTypes {
		for _, a := range c.Attributes {
			if over[strings.TrimSuffix(a.Type, "[]")] {
				composites[qn(c.Schema, c.Name)] = true
			}
		}
	}
	for _, t := range b.live.Tables {
		name := t.QualifiedName()
		dt := b.desiredTables[name]
		for _, c := range t.Columns {
			if afterTransaction && !b.droppedTables[name] && dt != nil {
				if dc := dt.Column(c.Name); dc == nil || dc.Type != c.Type {
					continue
				}
			}
			elem := strings.TrimSuffix(c.Type, "[]")
			switch {
			case over[c.Type]:
				if t.PartitionKey == "" {
					cols = append(cols, domainColumn{table: name, column: q(c.Name), name: t.Schema + "." + t.Name + "." + c.Name})
				}
			case container == "" && (over[elem] || composites[elem]):
				container = "column " + t.Schema + "." + t.Name + "." + c.Name + " holds it in an array or a composite type"
			}
		}
	}
	return cols, container
}

// domainCheck builds the check of kind over cols: a row violates it where cond
// (given the row of a column as r and its value, cast to the domain's base type,
// as value) holds. The query's second number has bit i set when cols[i] has a
// violating row (bit enumPairsMax for any column past those).
func domainCheck(kind CheckKind, domain, what, key string, cols []domainColumn, from func(c domainColumn) string) *Check {
	if len(cols) == 0 {
		return nil
	}
	parts := make([]string, len(cols))
	names := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = fmt.Sprintf("SELECT %d::bigint AS b FROM %s", uint64(1)<<min(i, enumPairsMax), from(c))
		names[i] = c.name
	}
	return &Check{Kind: kind, Table: cols[0].table, Column: domain, Key: key, What: what, Tables: names,
		Query: "SELECT count(*), coalesce(bit_or(b), 0)::bigint FROM (" + strings.Join(parts, " UNION ALL ") + ") x"}
}

// domainNotNullCheck counts the NULLs in the columns of domain d.
func (b *builder) domainNotNullCheck(d *model.Domain, cols []domainColumn) *Check {
	return domainCheck(CheckDomainNotNull, d.Schema+"."+d.Name, domainObj(d), "NOT NULL", cols, func(c domainColumn) string {
		return "ONLY " + c.table + " r WHERE r." + c.column + " IS NULL"
	})
}

// domainCheckCheck counts the values in the columns of domain d that violate check c
// (its definition as pg_get_constraintdef renders it: "CHECK ((VALUE > 0))"). The
// expression is left as it is: each column's values are exposed by a subquery as
// its only column, named value, which VALUE then reads; nil for another shape.
func (b *builder) domainCheckCheck(d *model.Domain, c model.DomainCheck, cols []domainColumn) *Check {
	rest, ok := strings.CutPrefix(c.Definition, "CHECK ")
	if !ok {
		return nil
	}
	expr, _, ok := cutParens(rest)
	if !ok {
		return nil
	}
	return domainCheck(CheckDomainCheck, d.Schema+"."+d.Name, "check "+c.Name+" of "+domainObj(d), "CHECK "+expr, cols, func(col domainColumn) string {
		// A check holds where its expression is true or NULL, as for a table.
		return "(SELECT r." + col.column + "::" + d.Type + " AS value FROM ONLY " + col.table + " r) v WHERE NOT " + expr
	})
}

// domainRefusal names the columns a domain check found (the bits of found) in n rows.
func (c *Check) domainRefusal(n, found int64) string {
	bits := uint64(found) //nolint:gosec // a bit set, not a quantity
	var cols []string
	for i := range enumPairsMax + 1 {
		if bits&(1<<i) == 0 {
			continue
		}
		if i == enumPairsMax || i >= len(c.Tables) {
			cols = append(cols, "others")
			break
		}
		cols = append(cols, c.Tables[i])
	}
	in := "column"
	if len(cols) > 1 {
		in = "columns"
	}
	where := in + " " + strings.Join(cols, ", ")
	if c.Kind == CheckDomainNotNull {
		return fmt.Sprintf("domain %s has %d NULL%s in %s; NOT NULL cannot be set", c.Column, n, plural(n), where)
	}
	return fmt.Sprintf("domain %s has %d value%s in %s violating %s; %s cannot be validated", c.Column, n, plural(n), where, c.Key, c.What)
}
