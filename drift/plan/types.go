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
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/schemactl/schema-controller/drift/model"
)

// typeChange returns the ALTER COLUMN clause for a type or collation change, with its
// hazards. USING is added only when PostgreSQL has no implicit or assignment conversion;
// a change with no conversion at all is reported as blocked and returns "".
func (b *builder) typeChange(t *model.Table, l, d *model.Column) (string, []Hazard, error) {
	clause := "TYPE " + d.Type
	if d.Collation != "" {
		clause += " COLLATE " + d.Collation
	}
	hz := []Hazard{AccessExclusiveLock}
	if l.Type == d.Type {
		// Only the collation changed: no rewrite, but the indexes on the column are
		// rebuilt (an index's collation is part of it).
		if b.columnIndexed(t, d.Name) {
			hz = append(hz, IndexBuild)
		}
		return clause, hz, nil
	}
	cast := b.cast(l.Type, d.Type)
	rewrite, lossy := b.classifyTypeChange(l.Type, d.Type, cast)
	if rewrite {
		hz = append(hz, TableRewrite)
	}
	switch cast.Context {
	case "i", "a":
		if lossy {
			hz = append(hz, DataLoss)
		}
		if cast.Unknown {
			b.change(columnObj(t, d.Name), "the conversion from "+l.Type+" to "+d.Type+" is checked when the plan runs: "+
				d.Type+" does not exist in the database yet")
		}
		return clause, hz, nil
	case "e", "via-text":
		// A USING cast is explicit: explicit casts cut what does not fit instead of
		// failing ('abcdef'::varchar(3) is 'abc'), so it is never in the table of
		// exact conversions.
		using := q(d.Name) + "::" + d.Type
		if cast.Context == "via-text" {
			using = q(d.Name) + "::text::" + d.Type
		}
		return clause + " USING " + using, append(hz, DataLoss), nil
	}
	b.block(columnObj(t, d.Name), "cannot change type in place: PostgreSQL has no conversion from "+l.Type+" to "+d.Type+
		"; change it in steps in Git (add a column, copy, drop) or by hand")
	return "", nil, nil
}

// cast tells how a column's values convert from one type to another. Enum types may
// not exist yet in the live database (this plan creates them), so their conversions
// follow PostgreSQL's rules for enums here: through text I/O.
func (b *builder) cast(from, to string) Cast {
	fromBase, toBase := strings.TrimSuffix(from, "[]"), strings.TrimSuffix(to, "[]")
	if (from != fromBase) != (to != toBase) {
		return Cast{} // array to scalar or back: no conversion
	}
	fb, _ := splitTypmod(fromBase)
	tb, _ := splitTypmod(toBase)
	c, lookup := b.castRule(fb, tb)
	if !lookup {
		return c
	}
	c, ok := b.opts.Casts[CastPair{From: fb, To: tb}]
	if !ok {
		return Cast{Context: "e"}
	}
	if c.Unknown {
		// A type this plan creates (an extension's): PostgreSQL decides when the
		// statement runs, without USING, as for an assignment conversion; without
		// one the transaction fails and nothing is applied.
		c.Context = "a"
	}
	return c
}

// castRule is the conversion of base types from and to the plan knows without
// asking the database; lookup is true when only the database's casts can tell.
func (b *builder) castRule(fb, tb string) (c Cast, lookup bool) {
	if fb == tb {
		return Cast{Context: "a", Binary: true}, false // same type, other typmod: a length coercion
	}
	fromEnum, toEnum := b.isEnum(fb), b.isEnum(tb)
	if toEnum {
		switch {
		case fromEnum:
			return Cast{Context: "via-text"}, false
		case stringType(fb):
			return Cast{Context: "e"}, false
		}
		return Cast{}, false
	}
	if fromEnum && stringType(tb) {
		return Cast{Context: "a"}, false
	}
	return Cast{}, true
}

// NeededCasts returns the conversions whose casts the plan from live to desired may
// ask for: those of every column whose type differs between the two models (or
// between a desired parent's column and its child's), which only the database can
// tell. The caller inspects them (apply.InspectCasts) and passes them in
// Options.Casts, so that Build needs no connection.
func NeededCasts(desired, live *model.Schema) []CastPair {
	b := &builder{desired: desired, live: live}
	seen := map[CastPair]bool{}
	var out []CastPair
	need := func(from, to string) {
		if from == to {
			return
		}
		fromBase, toBase := strings.TrimSuffix(from, "[]"), strings.TrimSuffix(to, "[]")
		if (from != fromBase) != (to != toBase) {
			return
		}
		fb, _ := splitTypmod(fromBase)
		tb, _ := splitTypmod(toBase)
		if _, lookup := b.castRule(fb, tb); !lookup {
			return
		}
		if p := (CastPair{From: fb, To: tb}); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	liveTables, desiredTables := map[string]*model.Table{}, map[string]*model.Table{}
	for i := range live.Tables {
		liveTables[live.Tables[i].QualifiedName()] = &live.Tables[i]
	}
	for i := range desired.Tables {
		desiredTables[desired.Tables[i].QualifiedName()] = &desired.Tables[i]
	}
	for i := range desired.Tables {
		t := &desired.Tables[i]
		lt := liveTables[t.QualifiedName()]
		for _, d := range t.Columns {
			if lt != nil {
				if l := lt.Column(d.Name); l != nil {
					need(l.Type, d.Type)
				}
			}
			// An inherited column is compared after its parent's change.
			for _, p := range parentsOf(t) {
				if pt := desiredTables[p]; pt != nil {
					if pc := pt.Column(d.Name); pc != nil {
						need(pc.Type, d.Type)
					}
				}
			}
		}
	}
	return out
}

// columnIndexed reports whether a live index or an index-backed constraint (primary
// key, unique, exclusion) of table t mentions the column.
func (b *builder) columnIndexed(t *model.Table, column string) bool {
	if l := b.liveTables[t.QualifiedName()]; l != nil {
		for _, c := range l.Constraints {
			if (c.Type == "p" || c.Type == "u" || c.Type == "x") && mentionsIdent(c.Definition, column) {
				return true
			}
		}
	}
	for _, x := range b.live.Indexes {
		if x.Table != t.QualifiedName() {
			continue
		}
		// pg_get_indexdef: CREATE INDEX name ON table USING method (columns) ...
		if _, cols, ok := strings.Cut(x.Definition, " USING "); ok && mentionsIdent(cols, column) {
			return true
		}
	}
	return false
}

func (b *builder) isEnum(typ string) bool {
	for _, e := range b.desired.Enums {
		if qn(e.Schema, e.Name) == typ {
			return true
		}
	}
	for _, e := range b.live.Enums {
		if qn(e.Schema, e.Name) == typ {
			return true
		}
	}
	return false
}

// classifyTypeChange classifies a column's type change (classifyTypeChange below)
// after resolving domains to their base types: the values are stored as the base
// type, and a domain with a CHECK or NOT NULL constraint checks every value, which
// rewrites the table (ATColumnChangeRequiresRewrite) and may reject some (DataLoss).
func (b *builder) classifyTypeChange(from, to string, cast Cast) (rewrite, lossy bool) {
	fromBase, _ := b.domainBase(from)
	toBase, constrained := b.domainBase(to)
	rewrite, lossy = classifyTypeChange(fromBase, toBase, cast, b.typeKind)
	if strings.HasSuffix(from, "[]") && strings.HasSuffix(to, "[]") {
		rewrite = true // element by element, even between a domain and its base type
	}
	if constrained {
		rewrite, lossy = true, true
	}
	return rewrite, lossy
}

// keepsEveryValue tells whether a conversion is in the table of exact conversions,
// for changes that convert no stored value through a cast of the live database
// (a composite type's attribute).
func (b *builder) keepsEveryValue(from, to string) bool {
	_, lossy := b.classifyTypeChange(from, to, Cast{})
	return !lossy
}

// domainBase returns the type the values of a type are stored as: a domain's base
// type (through domains over domains; arrays by their element type), and whether a
// domain on the way has a CHECK or NOT NULL constraint. The desired definition of a
// domain wins over the live one: it is the one in place when the column changes.
func (b *builder) domainBase(t string) (string, bool) {
	suffix := ""
	if strings.HasSuffix(t, "[]") {
		t, suffix = strings.TrimSuffix(t, "[]"), "[]"
	}
	constrained := false
	for range 16 { // domains over domains, bounded
		d := b.domain(t)
		if d == nil {
			break
		}
		constrained = constrained || d.NotNull || len(d.Checks) > 0
		t = d.Type
	}
	return t + suffix, constrained
}

func (b *builder) domain(t string) *model.Domain {
	for _, ds := range [][]model.Domain{b.desired.Domains, b.live.Domains} {
		for i := range ds {
			if qn(ds[i].Schema, ds[i].Name) == t {
				return &ds[i]
			}
		}
	}
	return nil
}

// typeKind tells enums and the citext extension's type apart for the table of exact
// conversions.
func (b *builder) typeKind(t string) typeKind {
	if b.isEnum(t) {
		return kindEnum
	}
	for _, es := range [][]model.Extension{b.desired.Extensions, b.live.Extensions} {
		for _, e := range es {
			if e.Name == "citext" && slices.Contains(e.Types, "citext") && qn(e.Schema, "citext") == t {
				return kindCitext
			}
		}
	}
	return kindOther
}

func stringType(t string) bool {
	switch unqualified(t) {
	case "text", "character varying", "character", "name", "citext":
		return true
	}
	return false
}

var typmodRE = regexp.MustCompile(`^(.*?)\((\d+)(?:,(\d+))?\)(.*)$`)

// splitTypmod splits "character varying(20)" into its base type and modifiers. A type
// with a modifier inside (timestamp(3) with time zone) keeps its suffix in the base.
func splitTypmod(t string) (string, []int) {
	m := typmodRE.FindStringSubmatch(t)
	if m == nil {
		return t, nil
	}
	mods := []int{}
	for _, s := range m[2:4] {
		if s != "" {
			n, _ := strconv.Atoi(s)
			mods = append(mods, n)
		}
	}
	return m[1] + m[4], mods
}

// typmodSupported are the types whose length coercion PostgreSQL skips (no rewrite)
// when the new modifier keeps every value: their cast functions have a planner
// support function (varchar_support, numeric_support, timestamp_support, ...).
// character and bit have none: any change of their length rewrites.
var typmodSupported = map[string]bool{
	"character varying": true, "bit varying": true, "numeric": true,
	"timestamp without time zone": true, "timestamp with time zone": true,
	"time without time zone": true, "time with time zone": true, "interval": true,
}

// typeKind is what the table of exact conversions needs to know about a type beyond
// its name.
type typeKind int

const (
	kindOther  typeKind = iota
	kindEnum            // an enum type: its values are its labels
	kindCitext          // the citext extension's type: text compared without case
)

// classifyTypeChange tells whether changing a column's type from one to another
// rewrites the table and whether it can lose, change or reject a value (DataLoss).
// from and to are the types values are stored as (domains resolved to their base
// types by the caller); cast is PostgreSQL's conversion between the base types;
// kind tells enums and citext apart.
//
// A change keeps every value only when it is in the table of exact conversions
// (exactConversion); anything else is lossy.
func classifyTypeChange(from, to string, cast Cast, kind func(string) typeKind) (rewrite, lossy bool) {
	if from == to {
		return false, false // a domain to its base type, or back to one without constraints
	}
	if strings.HasSuffix(from, "[]") && strings.HasSuffix(to, "[]") {
		// PostgreSQL converts arrays element by element and always rewrites.
		_, l := classifyTypeChange(strings.TrimSuffix(from, "[]"), strings.TrimSuffix(to, "[]"), cast, kind)
		return from != to, l
	}
	if strings.HasSuffix(from, "[]") != strings.HasSuffix(to, "[]") {
		return true, true
	}
	fb, fm := splitTypmod(from)
	tb, tm := splitTypmod(to)
	if fb == tb {
		return typmodRewrite(fb, fm, tm), !exactConversion(from, to, kind)
	}
	if isTemporal(fb) && isTemporal(tb) && strings.HasPrefix(fb, "interval") && strings.HasPrefix(tb, "interval") {
		// Other interval fields: interval_support skips the rewrite only towards a
		// plain interval.
		return tb != "interval" || len(tm) > 0, !exactConversion(from, to, kind)
	}
	// A length limit on the new type is applied by a coercion function: a rewrite.
	return !cast.Binary || len(tm) > 0, !exactConversion(from, to, kind)
}

// typmodRewrite tells whether changing only the modifier of a type rewrites the
// table: it does not when the type's length coercion has a support function that
// finds every value already fits.
func typmodRewrite(base string, fm, tm []int) bool {
	switch {
	case isTemporal(base):
		// TemporalSimplify and interval_support: no-op when the new precision is
		// absent, the maximum (6) or at least the old one.
		return !(len(tm) == 0 || tm[0] >= maxTemporalPrecision || (len(fm) > 0 && tm[0] >= fm[0]))
	case !typmodSupported[base]:
		return true
	case len(tm) == 0:
		return false // removing a limit: varchar(n) → varchar, numeric(p,s) → numeric
	case len(fm) == 0:
		return true // adding a limit
	case base == "numeric":
		// Precision up with the same scale is a metadata change; anything else
		// rewrites.
		if numericScale(fm) == numericScale(tm) {
			return tm[0] < fm[0]
		}
		return true
	default:
		return tm[0] < fm[0]
	}
}

// maxTemporalPrecision is the largest fractional-second precision of timestamp, time
// and interval; no modifier means this one.
const maxTemporalPrecision = 6

func isTemporal(base string) bool {
	switch base {
	case "timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone":
		return true
	}
	return base == "interval" || strings.HasPrefix(base, "interval ")
}

func numericScale(m []int) int {
	if len(m) == 2 {
		return m[1]
	}
	return 0
}

// The table of exact conversions. A column type change is applied without
// --allow-destructive only when it is listed here: every value of the old type
// converts without error into a value of the new type whose text form (what a
// client reads, through the type's output function) is the same. Everything else
// is DataLoss: narrowing (a value fails or is cut: varchar(m<n), bigint → integer,
// numeric scale down), a change of the text form (char(n) → text strips trailing
// spaces, real → double precision shows 1.1 as 1.100000023841858, cidr → inet drops
// /32, boolean → text turns t into true, a numeric scale up shows 1.5 as 1.50),
// conversions that depend on session settings (timestamp ↔ timestamptz on TimeZone,
// dates, times and floats to text on DateStyle, IntervalStyle, extra_float_digits)
// and conversions that may reject values (text → enum, to name or char(n), to a
// domain with constraints, anything through USING).
//
// Same type, other modifier:
//
//	character varying(n) → character varying(m ≥ n), character varying
//	bit varying(n)       → bit varying(m ≥ n), bit varying
//	numeric(p,s)         → numeric(q ≥ p, s), numeric
//	timestamp(p), timestamptz(p), time(p), timetz(p), interval(p) (same fields)
//	                     → the same with precision q ≥ p (none means 6)
//
// Other types:
//
//	smallint → integer, bigint; integer → bigint
//	smallint, integer, bigint → numeric, numeric(p,0) with p ≥ 5, 10, 19
//	text, character varying(n), name, citext, enum, smallint, integer, bigint,
//	numeric(p,s), uuid, json, jsonb → text, character varying
//	text, character varying(n) → citext
//	jsonb → json
//	bit(n) → bit varying(m ≥ n), bit varying
func exactConversion(from, to string, kind func(string) typeKind) bool {
	fb, fm := splitTypmod(from)
	tb, tm := splitTypmod(to)
	if fb == tb {
		switch {
		case fb == "character varying" || fb == "bit varying":
			return len(tm) == 0 || (len(fm) > 0 && tm[0] >= fm[0])
		case fb == "numeric":
			return len(tm) == 0 || (len(fm) > 0 && numericScale(fm) == numericScale(tm) && tm[0] >= fm[0])
		case isTemporal(fb):
			return temporalPrecision(tm) >= temporalPrecision(fm)
		}
		return slices.Equal(fm, tm) // a type with no rule for its modifier: only itself
	}
	fk, tk := kindOf(kind, fb), kindOf(kind, tb)
	switch {
	case (tb == "text" || tb == "character varying") && len(tm) == 0:
		return fk == kindEnum || fk == kindCitext || exactToText[fb]
	case tk == kindCitext:
		return fb == "text" || fb == "character varying"
	case tb == "bit varying":
		return fb == "bit" && (len(tm) == 0 || (len(fm) > 0 && tm[0] >= fm[0]))
	case tb == "numeric":
		digits, ok := integerDigits[fb]
		return ok && (len(tm) == 0 || (numericScale(tm) == 0 && tm[0] >= digits))
	}
	return exactWidening[[2]string{fb, tb}]
}

// exactToText are the types whose text form depends on no session setting, so
// converting them to text or unbounded character varying keeps it as it is.
var exactToText = map[string]bool{
	"text": true, "character varying": true, "name": true,
	"smallint": true, "integer": true, "bigint": true, "numeric": true,
	"uuid": true, "json": true, "jsonb": true,
}

// integerDigits are the decimal digits of the largest value of each integer type.
var integerDigits = map[string]int{"smallint": 5, "integer": 10, "bigint": 19}

// exactWidening are conversions between other types that keep every value.
var exactWidening = map[[2]string]bool{
	{"smallint", "integer"}: true, {"smallint", "bigint"}: true, {"integer", "bigint"}: true,
	{"jsonb", "json"}: true,
}

func temporalPrecision(m []int) int {
	if len(m) == 0 || m[0] > maxTemporalPrecision {
		return maxTemporalPrecision
	}
	return m[0]
}

func kindOf(kind func(string) typeKind, t string) typeKind {
	if kind == nil {
		return kindOther
	}
	return kind(t)
}

func unqualified(t string) string {
	if i := strings.LastIndex(t, "."); i >= 0 && !strings.Contains(t, " ") {
		return t[i+1:]
	}
	return t
}
