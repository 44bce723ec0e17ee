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
	"regexp"
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
	cast, err := b.cast(l.Type, d.Type)
	if err != nil {
		return "", nil, fmt.Errorf("checking the conversion of %s from %s to %s: %w", columnObj(t, d.Name), l.Type, d.Type, err)
	}
	rewrite, lossy := classifyTypeChange(l.Type, d.Type, cast)
	if rewrite {
		hz = append(hz, TableRewrite)
	}
	if lossy {
		hz = append(hz, DataLoss)
	}
	switch cast.Context {
	case "i", "a":
		if cast.Unknown {
			b.change(columnObj(t, d.Name), "the conversion from "+l.Type+" to "+d.Type+" is checked when the plan runs: "+
				d.Type+" does not exist in the database yet")
		}
		return clause, hz, nil
	case "e":
		return clause + " USING " + q(d.Name) + "::" + d.Type, hz, nil
	case "via-text":
		return clause + " USING " + q(d.Name) + "::text::" + d.Type, append(hz, DataLoss), nil
	}
	b.block(columnObj(t, d.Name), "cannot change type in place: PostgreSQL has no conversion from "+l.Type+" to "+d.Type+
		"; change it in steps in Git (add a column, copy, drop) or by hand")
	return "", nil, nil
}

// cast tells how a column's values convert from one type to another. Enum types may
// not exist yet in the live database (this plan creates them), so their conversions
// follow PostgreSQL's rules for enums here: through text I/O.
func (b *builder) cast(from, to string) (Cast, error) {
	fromBase, toBase := strings.TrimSuffix(from, "[]"), strings.TrimSuffix(to, "[]")
	if (from != fromBase) != (to != toBase) {
		return Cast{}, nil // array to scalar or back: no conversion
	}
	fb, _ := splitTypmod(fromBase)
	tb, _ := splitTypmod(toBase)
	if fb == tb {
		return Cast{Context: "a", Binary: true}, nil // same type, other typmod: a length coercion
	}
	fromEnum, toEnum := b.isEnum(fb), b.isEnum(tb)
	if toEnum {
		switch {
		case fromEnum:
			return Cast{Context: "via-text"}, nil
		case stringType(fb):
			return Cast{Context: "e"}, nil
		}
		return Cast{}, nil
	}
	if fromEnum && stringType(tb) {
		return Cast{Context: "a"}, nil
	}
	if b.opts.Casts == nil {
		return Cast{Context: "e"}, nil
	}
	c, err := b.opts.Casts.Cast(b.ctx, fb, tb)
	if err != nil {
		return Cast{}, err
	}
	if c.Unknown {
		// A type this plan creates (an extension's): PostgreSQL decides when the
		// statement runs, without USING, as for an assignment conversion; without
		// one the transaction fails and nothing is applied.
		c.Context = "a"
	}
	return c, nil
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

// widening are conversions between different types that cannot lose or change a value.
var widening = map[[2]string]bool{
	{"smallint", "integer"}: true, {"smallint", "bigint"}: true, {"integer", "bigint"}: true,
	{"smallint", "numeric"}: true, {"integer", "numeric"}: true, {"bigint", "numeric"}: true,
	{"real", "double precision"}:       true,
	{"character", "character varying"}: true,
	{"cidr", "inet"}:                   true,
	{"json", "jsonb"}:                  true,
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

// classifyTypeChange tells whether changing a column's type from one to another
// rewrites the table and whether it can lose or change data (or fail on some values).
// cast is PostgreSQL's conversion between the base types.
func classifyTypeChange(from, to string, cast Cast) (rewrite, lossy bool) {
	if strings.HasSuffix(from, "[]") && strings.HasSuffix(to, "[]") {
		// PostgreSQL converts arrays element by element and always rewrites.
		_, l := classifyTypeChange(strings.TrimSuffix(from, "[]"), strings.TrimSuffix(to, "[]"), cast)
		return from != to, l
	}
	fb, fm := splitTypmod(from)
	tb, tm := splitTypmod(to)
	if fb == tb {
		switch {
		case !typmodSupported[fb]:
			return true, len(tm) > 0 && (len(fm) == 0 || tm[0] < fm[0])
		case len(tm) == 0:
			return false, false // removing a limit: varchar(n) → varchar, numeric(p,s) → numeric
		case len(fm) == 0:
			return true, true // adding a limit
		case fb == "numeric":
			// Precision up with the same scale is a metadata change; anything else
			// rewrites, and lowering the integer digits or the scale can fail or round.
			fs, ts := 0, 0
			if len(fm) == 2 {
				fs = fm[1]
			}
			if len(tm) == 2 {
				ts = tm[1]
			}
			if ts == fs {
				return tm[0] < fm[0], tm[0] < fm[0]
			}
			return true, tm[0]-ts < fm[0]-fs || ts < fs
		default:
			return tm[0] < fm[0], tm[0] < fm[0]
		}
	}
	// A length limit on the new type is applied by a coercion function: a rewrite,
	// and longer values fail.
	limited := len(tm) > 0 && tb != "numeric" && !strings.HasPrefix(tb, "time") && tb != "interval"
	rewrite = !cast.Binary || len(tm) > 0
	switch {
	case limited:
		lossy = true
	case tb == "text" || tb == "character varying" || (stringType(fb) && stringType(tb)):
		// Every value has a text form, and string types convert into each other as
		// they are.
		lossy = false
	default:
		lossy = !widening[[2]string{unqualified(fb), unqualified(tb)}]
	}
	return rewrite, lossy
}

func unqualified(t string) string {
	if i := strings.LastIndex(t, "."); i >= 0 && !strings.Contains(t, " ") {
		return t[i+1:]
	}
	return t
}
