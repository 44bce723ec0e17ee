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
	"slices"
	"strconv"
	"strings"
)

// CheckKind names what a pre-flight check looks for in the existing data.
type CheckKind string

// The pre-flight checks.
const (
	// CheckNotNull counts the NULLs of a column that becomes NOT NULL.
	CheckNotNull CheckKind = "not-null"
	// CheckUnique counts the duplicated values of a new unique index, unique
	// constraint or primary key.
	CheckUnique CheckKind = "unique"
	// CheckConstraint counts the rows that violate a new CHECK constraint.
	CheckConstraint CheckKind = "check"
	// CheckType converts every value of a column whose type changes.
	CheckType CheckKind = "type"
	// CheckEnumValues counts the rows of a column (of an enum or an array of it)
	// that hold a value the enum loses.
	CheckEnumValues CheckKind = "enum-values"
)

// The outcomes of a pre-flight check.
const (
	// PreflightPassed: the existing data lets the statement succeed.
	PreflightPassed = "passed"
	// PreflightRefused: the statement would fail on the existing data; the plan is
	// refused before anything runs.
	PreflightRefused = "refused"
	// PreflightNotChecked: the check did not finish within the pre-flight time
	// budget, or could not run before the plan (it reads a column the plan adds);
	// the statement may still fail during the apply, and then its step is cleaned up.
	PreflightNotChecked = "not checked"
)

// Check is a read-only query over the existing data that tells whether a statement of
// the plan can succeed. The query returns one row of two bigints: the number of
// violations (NULLs, duplicated values, violating rows, unconvertible values) and,
// for CheckUnique, the number of rows of the most duplicated value, for
// CheckEnumValues the set of (table, value) pairs found (enumValuesCheck). A type
// check returns 0 or fails with PostgreSQL's conversion error.
type Check struct {
	Kind CheckKind
	// Table is the qualified table the query reads.
	Table string
	// Column is the qualified column ("public.t.more") for CheckNotNull, CheckType
	// and CheckEnumValues, the domain ("public.qty") of a domain's checks.
	Column string
	// Key is the key of CheckUnique ("(email)"), the condition of CheckConstraint
	// ("CHECK ((n > 0))"), the new type of CheckType, the enum of CheckEnumValues.
	Key string
	// Tables (Table and the tables whose rows it holds: partitions, inheritance
	// children) and Values (the labels the enum loses) name what the second number
	// of CheckEnumValues encodes; Tables the columns (schema.table.column) of
	// CheckDomainNotNull and CheckDomainCheck.
	Tables []string
	Values []string
	// What names the object the statement builds ("unique index public.t_email").
	What  string
	Query string
}

// Refusal is the reason a plan is refused when the query found n violations (most:
// rows of the most duplicated value, for CheckUnique).
func (c *Check) Refusal(n, most int64) string {
	switch c.Kind {
	case CheckNotNull:
		return fmt.Sprintf("column %s has %d NULL%s; NOT NULL cannot be added", c.Column, n, plural(n))
	case CheckUnique:
		return fmt.Sprintf("key %s of %s has %d duplicated value%s (the most frequent in %d rows); %s cannot be built",
			c.Key, c.Table, n, plural(n), most, c.What)
	case CheckConstraint:
		return fmt.Sprintf("table %s has %d row%s violating %s; %s cannot be added", c.Table, n, plural(n), c.Key, c.What)
	case CheckSoftDropBudget:
		budget, _ := strconv.ParseInt(c.Key, 10, 64)
		return BudgetRefusal(c.Column, budget)
	case CheckEnumValues:
		return c.enumValuesRefusal(n, most)
	case CheckDomainNotNull, CheckDomainCheck:
		return c.domainRefusal(n, most)
	case CheckPartitionBound:
		return fmt.Sprintf("table %s has %d row%s outside the partition bound %s; %s cannot run", c.Table, n, plural(n), c.Key, c.What)
	case CheckDetachReferenced:
		return fmt.Sprintf("table %s has %d row%s referenced by foreign keys (%s); %s cannot run (DETACH PARTITION refuses while rows are referenced)", c.Table, n, plural(n), c.Key, c.What)
	default:
		if c.What != "" {
			return fmt.Sprintf("column %s has %d value%s violating %s; the type cannot be changed", c.Column, n, plural(n), c.What)
		}
		return fmt.Sprintf("column %s has %d value%s that cannot be converted to %s; the type cannot be changed", c.Column, n, plural(n), c.Key)
	}
}

// ConversionRefusal is the reason a plan is refused when the query of a CheckType
// failed with a data exception (msg, without the value PostgreSQL quotes).
func (c *Check) ConversionRefusal(msg string) string {
	return fmt.Sprintf("column %s has values that cannot be converted to %s (%s); the type cannot be changed", c.Column, c.Key, msg)
}

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// PreflightResult is the outcome of one pre-flight check.
type PreflightResult struct {
	// Statement is the 1-based number of the statement the check is for.
	Statement int `json:"statement"`
	// Object is the statement's object.
	Object string `json:"object"`
	// Check is the kind of check.
	Check CheckKind `json:"check"`
	// Outcome is PreflightPassed, PreflightRefused or PreflightNotChecked.
	Outcome string `json:"outcome"`
	// Message is the reason of a refusal or why the check did not finish.
	Message string `json:"message,omitempty"`
}

// Refused returns the pre-flight checks that refused the plan.
func (p *Plan) Refused() []PreflightResult {
	var out []PreflightResult
	for _, r := range p.Preflight {
		if r.Outcome == PreflightRefused {
			out = append(out, r)
		}
	}
	return out
}

// checkLast attaches c to the statement added last.
func (b *builder) checkLast(c *Check) {
	if c == nil || len(b.p.Statements) == 0 {
		return
	}
	if c.Kind == CheckUnique && b.hasInheritanceChildren(c.Table) {
		// A unique index of a parent of classic inheritance covers the parent's own
		// rows only (a partitioned table's covers its partitions': it has no rows).
		c.Query = strings.Replace(c.Query, " FROM "+c.Table+" ", " FROM ONLY "+c.Table+" ", 1)
	}
	b.p.Statements[len(b.p.Statements)-1].Check = c
}

// cleanupLast sets the cleanup statements of the statement added last.
func (b *builder) cleanupLast(sql ...string) {
	if len(b.p.Statements) == 0 {
		return
	}
	b.p.Statements[len(b.p.Statements)-1].Cleanup = sql
}

// revertsLast records that the cleanup of the statement added last removes the
// effect of the statements with these seq numbers (added before it).
func (b *builder) revertsLast(seqs ...int) {
	if len(b.p.Statements) == 0 {
		return
	}
	s := &b.p.Statements[len(b.p.Statements)-1]
	s.revertSeqs = append(s.revertSeqs, seqs...)
}

// notNullCheck counts the NULLs of column col of the existing table.
func notNullCheck(table, schema, tableName, col string) *Check {
	return &Check{Kind: CheckNotNull, Table: table, Column: schema + "." + tableName + "." + col,
		Query: "SELECT count(*), 0::bigint FROM " + table + " WHERE " + q(col) + " IS NULL"}
}

// newColumnNotNullCheck counts the rows of the existing table, which all get NULL in
// a NOT NULL column added without a default (col).
func newColumnNotNullCheck(table, schema, tableName, col string) *Check {
	return &Check{Kind: CheckNotNull, Table: table, Column: schema + "." + tableName + "." + col,
		Query: "SELECT count(*), 0::bigint FROM " + table}
}

// constraintCheck counts the rows of table violating a CHECK definition as
// pg_get_constraintdef renders it ("CHECK ((n > 0))", maybe "NO INHERIT" or "NOT
// VALID" after it); nil when the definition has another shape.
func constraintCheck(table, what, def string) *Check {
	rest, ok := strings.CutPrefix(def, "CHECK ")
	if !ok {
		return nil
	}
	expr, after, ok := cutParens(rest)
	if !ok {
		return nil
	}
	from := table
	if strings.Contains(after, "NO INHERIT") {
		// A constraint that is not inherited holds for the table's own rows only.
		from = "ONLY " + table
	}
	return &Check{Kind: CheckConstraint, Table: table, Key: strings.TrimSpace("CHECK " + expr), What: what,
		Query: "SELECT count(*), 0::bigint FROM " + from + " WHERE NOT " + expr}
}

// uniqueCheck counts the duplicated values of a unique key on table: cols is its
// parenthesized column list as an index definition has it (maybe with opclasses,
// orders and collations), pred the predicate of a partial index (or "").
func uniqueCheck(table, what, cols string, nullsNotDistinct bool, pred string) *Check {
	inner := strings.TrimSuffix(strings.TrimPrefix(cols, "("), ")")
	var keys, notNull []string
	for _, k := range splitKeyList(inner) {
		k = keyExpression(k)
		if k == "" {
			return nil
		}
		keys = append(keys, k)
		notNull = append(notNull, k+" IS NOT NULL")
	}
	if len(keys) == 0 {
		return nil
	}
	var where []string
	if !nullsNotDistinct {
		where = append(where, notNull...)
	}
	if pred != "" {
		where = append(where, "("+pred+")")
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	return &Check{Kind: CheckUnique, Table: table, Key: cols, What: what,
		Query: "SELECT count(*), coalesce(max(n), 0)::bigint FROM (SELECT count(*) AS n FROM " + table + w +
			" GROUP BY " + strings.Join(keys, ", ") + " HAVING count(*) > 1) d"}
}

// indexUniqueCheck is uniqueCheck for a unique index definition as pg_get_indexdef
// renders it; nil for a non-unique index or a shape it does not know.
func indexUniqueCheck(table, what, def string) *Check {
	if !strings.HasPrefix(def, "CREATE UNIQUE INDEX ") {
		return nil
	}
	_, rest, ok := strings.Cut(def, " USING ")
	if !ok {
		return nil
	}
	_, rest, ok = strings.Cut(rest, " ")
	if !ok {
		return nil
	}
	cols, rest, ok := cutParens(rest)
	if !ok {
		return nil
	}
	pred := ""
	if i := strings.Index(rest, " WHERE "); i >= 0 {
		pred = rest[i+len(" WHERE "):]
		rest = rest[:i]
	}
	return uniqueCheck(table, what, cols, strings.Contains(rest, "NULLS NOT DISTINCT"), pred)
}

// keyCheck is uniqueCheck for a primary key or unique constraint definition.
func keyCheck(table, what, def string) *Check {
	idx, _, ok := keyIndex(def)
	if !ok {
		return nil
	}
	cols, rest, ok := cutParens(idx)
	if !ok {
		return nil
	}
	return uniqueCheck(table, what, cols, strings.Contains(rest, "NULLS NOT DISTINCT") || strings.HasPrefix(def, "PRIMARY KEY"), "")
}

// keyExpression turns an element of an index column list into an expression that
// can be grouped by: it drops ASC/DESC, NULLS FIRST/LAST and an operator class.
func keyExpression(k string) string {
	k = strings.TrimSpace(k)
	for _, suffix := range []string{" NULLS FIRST", " NULLS LAST", " DESC", " ASC"} {
		k = strings.TrimSuffix(k, suffix)
	}
	// An operator class is a bare (maybe schema-qualified) name after the column or
	// expression: "email text_pattern_ops", "(a + b) public.my_ops".
	if i := strings.LastIndexByte(k, ' '); i > 0 && !strings.HasSuffix(k, ")") && !strings.HasSuffix(k, `"`) {
		last := k[i+1:]
		if isBareName(last) && !strings.HasSuffix(strings.TrimSpace(k[:i]), "COLLATE") {
			k = strings.TrimSpace(k[:i])
		}
	}
	return k
}

func isBareName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// splitKeyList splits s at commas outside parentheses and quotes.
func splitKeyList(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'':
			j := strings.IndexByte(s[i+1:], s[i])
			if j < 0 {
				return append(out, s[start:])
			}
			i += j + 1
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// typeCheck converts every non-null value of column col of table to typ with
// using (the USING expression, or col::typ). Its violations are always 0: a value
// that cannot be converted fails the query.
func typeCheck(table, schema, tableName, col, typ, using string) *Check {
	if using == "" {
		using = q(col) + "::" + typ
	}
	return &Check{Kind: CheckType, Table: table, Column: schema + "." + tableName + "." + col, Key: typ,
		// count(expression) evaluates the conversion for every row; the first value
		// that does not convert fails the query with PostgreSQL's error.
		Query: "SELECT 0::bigint, count(" + using + ")::bigint FROM " + table + " WHERE " + q(col) + " IS NOT NULL"}
}

// convertCheck is the pre-flight check of converting column col of table to typ
// (using: the USING expression, empty for a cast). typeCheck, unless typ is a
// domain of Git with constraints (NOT NULL, CHECK; its own and those of the
// domains it is over), which the existing values have never been checked against
// and which the domain may not have yet when the check runs (it may not exist):
// then the values are converted to the domain's base type as the statement
// would convert them (a USING that ends in a cast to the domain casts to the base
// type instead; any other USING is cast to it whole), and those that would
// violate a constraint are counted.
func (b *builder) convertCheck(table, schema, tableName, col, typ, using string) *Check {
	tc := typeCheck(table, schema, tableName, col, typ, using)
	var conds, what []string
	base := typ
	for range 16 { // domains over domains, bounded
		d := b.desiredDomain(base)
		if d == nil {
			break
		}
		if d.NotNull {
			conds, what = append(conds, "value IS NULL"), append(what, "NOT NULL")
		}
		for _, c := range d.Checks {
			rest, ok := strings.CutPrefix(c.Definition, "CHECK ")
			expr, _, ok2 := cutParens(rest)
			if !ok || !ok2 {
				return tc
			}
			// A check holds where its expression is true or NULL.
			conds, what = append(conds, "NOT "+expr), append(what, "CHECK "+expr)
		}
		base = d.Type
	}
	if len(conds) == 0 {
		return tc
	}
	value := q(col) + "::" + base
	if using != "" {
		value = "(" + using + ")::" + base
		if head, ok := strings.CutSuffix(using, "::"+typ); ok {
			value = head + "::" + base
		}
	}
	tc.What = "domain " + typ + " (" + strings.Join(what, ", ") + ")"
	// Each value is exposed as the only column, value, of a subquery, which VALUE
	// in the domain's checks then reads.
	tc.Query = "SELECT count(*)::bigint, 0::bigint FROM (SELECT " + value + " AS value FROM " + table + " r) v WHERE " + strings.Join(conds, " OR ")
	return tc
}

// hasInheritanceChildren reports whether the existing table name is the parent of
// classic inheritance (not of partitions) of some existing table.
func (b *builder) hasInheritanceChildren(name string) bool {
	if t := b.liveTables[name]; t == nil || t.PartitionKey != "" {
		return false
	}
	for _, t := range b.liveTables {
		if slices.Contains(t.Inherits, name) {
			return true
		}
	}
	return false
}

// enumPairsMax is the number of (table, value) pairs the second number of a
// CheckEnumValues tells apart: one bit each; the last bit stands for all the others.
const enumPairsMax = 63

// enumValuesCheck counts the rows of column col (quoted) of table, and of the tables
// whose rows it holds (tables: table first, then its partitions or inheritance
// children, which an ALTER of the table converts too), that hold one of the labels
// removed from enum typ: as the column's value or, for an array column, as an
// element. The query reads the table without ONLY, as the ALTER converts (partial:
// only the rows of tables, some of its descendants being dropped first); its second
// number has bit i·len(removed)+j set when tables[i] holds removed[j] (tableoid tells
// where a row is stored), bit enumPairsMax for any pair past those.
func enumValuesCheck(table string, tables []string, partial bool, column, col string, array bool, typ string, removed []string) *Check {
	regs := make([]string, len(tables))
	for i, t := range tables {
		regs[i] = lit(t) + "::pg_catalog.regclass::pg_catalog.oid"
	}
	labels := make([]string, len(removed))
	for i, l := range removed {
		labels[i] = lit(l)
	}
	vals := "ARRAY[" + strings.Join(labels, ", ") + "]::" + typ + "[]"
	bit := func(v string) string {
		pos := fmt.Sprintf("pg_catalog.array_position(%s, %s) - 1", vals, v)
		if len(tables) > 1 {
			pos = fmt.Sprintf("(pg_catalog.array_position(ARRAY[%s], r.tableoid) - 1) * %d + %s", strings.Join(regs, ", "), len(removed), pos)
		}
		return fmt.Sprintf("1::bigint << least(%d, %s)", enumPairsMax, pos)
	}
	from := table + " r WHERE "
	if partial {
		// Some partitions or children go before the conversion: their rows are
		// not converted.
		from += "r.tableoid = ANY (ARRAY[" + strings.Join(regs, ", ") + "]) AND "
	}
	var q string
	if array {
		// An element of any dimension: unnest flattens them all.
		q = "SELECT count(*), coalesce(bit_or(m), 0)::bigint FROM (SELECT (SELECT bit_or(" + bit("e") + ") FROM pg_catalog.unnest(r." + col + ") e WHERE e = ANY (" + vals + ")) AS m FROM " +
			from + "r." + col + " && " + vals + ") x"
	} else {
		q = "SELECT count(*), coalesce(bit_or(" + bit("r."+col) + "), 0)::bigint FROM " + from + "r." + col + " = ANY (" + vals + ")"
	}
	return &Check{Kind: CheckEnumValues, Table: table, Column: column, Key: typ, What: "type " + typ,
		Tables: tables, Values: removed, Query: q}
}

// enumValuesRefusal names the values a CheckEnumValues found in n rows and where
// (found: the pairs' bits).
func (c *Check) enumValuesRefusal(n, found int64) string {
	bits := uint64(found) //nolint:gosec // a bit set, not a quantity
	nv := len(c.Values)
	var parts, vals []string
	others := false
	last := ""
	flush := func() {
		if len(vals) == 0 {
			return
		}
		p := strings.Join(vals, ", ")
		if last != c.Table || len(c.Tables) > 1 {
			p += " (in " + last + ")"
		}
		parts = append(parts, p)
		vals = nil
	}
	count := 0
	for i := range enumPairsMax + 1 {
		if bits&(1<<i) == 0 {
			continue
		}
		if i == enumPairsMax || nv == 0 || i/nv >= len(c.Tables) {
			others = true
			continue
		}
		if t := c.Tables[i/nv]; t != last {
			flush()
			last = t
		}
		vals = append(vals, lit(c.Values[i%nv]))
		count++
	}
	flush()
	held := strings.Join(parts, "; ")
	if others {
		if held != "" {
			held += " and "
		}
		held += "other values"
		count = 2
	}
	if held == "" {
		held = "values"
		count = 2
	}
	it := "it"
	if count > 1 {
		it = "them"
	}
	return fmt.Sprintf("column %s has %d row%s holding %s, which Git removes from type %s; the type cannot be changed while rows hold %s",
		c.Column, n, plural(n), held, c.Key, it)
}

// liveDescendants returns name and the live tables whose rows a query of name reads
// (its partitions and inheritance children, at any depth), name first, but for
// those this plan drops (with their own descendants); some reports whether it left
// any out.
func (b *builder) liveDescendants(name string) (tables []string, some bool) {
	tables = []string{name}
	for i := 0; i < len(tables); i++ {
		for _, t := range b.live.Tables {
			tn := t.QualifiedName()
			if !slices.Contains(parentsOf(&t), tables[i]) || slices.Contains(tables, tn) {
				continue
			}
			if b.droppedTables[tn] {
				some = true
				continue
			}
			tables = append(tables, tn)
		}
	}
	return tables, some
}
