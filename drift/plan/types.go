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
		// Only the collation changed: no rewrite, but indexes on the column are rebuilt.
		return clause, append(hz, IndexBuild), nil
	}
	rewrite, lossy := classifyTypeChange(l.Type, d.Type)
	if rewrite {
		hz = append(hz, TableRewrite)
	}
	if lossy {
		hz = append(hz, DataLoss)
	}
	ctxKind, err := b.castContext(l.Type, d.Type)
	if err != nil {
		return "", nil, fmt.Errorf("checking the conversion of %s from %s to %s: %w", columnObj(t, d.Name), l.Type, d.Type, err)
	}
	switch ctxKind {
	case "i", "a":
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

func (b *builder) castContext(from, to string) (string, error) {
	fromBase, toBase := strings.TrimSuffix(from, "[]"), strings.TrimSuffix(to, "[]")
	if (from != fromBase) != (to != toBase) {
		return "", nil // array to scalar or back: no conversion
	}
	fb, _ := splitTypmod(fromBase)
	tb, _ := splitTypmod(toBase)
	if fb == tb {
		return "a", nil // same type, other typmod: a length coercion
	}
	fromEnum, toEnum := b.isEnum(fb), b.isEnum(tb)
	if toEnum {
		switch {
		case fromEnum:
			return "via-text", nil
		case stringType(fb):
			return "e", nil
		}
		return "", nil
	}
	if fromEnum && stringType(tb) {
		return "a", nil
	}
	if b.opts.Casts == nil {
		return "e", nil
	}
	c, err := b.opts.Casts.CastContext(b.ctx, fb, tb)
	if err != nil {
		return "", err
	}
	return c, nil
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
	switch t {
	case "text", "character varying", "character", "name", "citext", "public.citext":
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

// widening are conversions that cannot lose or change a value.
var widening = map[[2]string]bool{
	{"smallint", "integer"}: true, {"smallint", "bigint"}: true, {"integer", "bigint"}: true,
	{"smallint", "numeric"}: true, {"integer", "numeric"}: true, {"bigint", "numeric"}: true,
	{"real", "double precision"}:  true,
	{"character varying", "text"}: true, {"character", "text"}: true, {"character", "character varying"}: true,
	{"text", "character varying"}:                               true, // unbounded varchar only; checked below
	{"timestamp without time zone", "timestamp with time zone"}: false,
	{"cidr", "inet"}:  true,
	{"json", "jsonb"}: true,
}

// binaryCoercible are conversions PostgreSQL does without rewriting the table.
var binaryCoercible = map[[2]string]bool{
	{"character varying", "text"}: true, {"text", "character varying"}: true,
	{"cidr", "inet"}: true,
}

// classifyTypeChange tells whether changing a column's type from one to another
// rewrites the table and whether it can lose or change data.
func classifyTypeChange(from, to string) (rewrite, lossy bool) {
	if strings.HasSuffix(from, "[]") && strings.HasSuffix(to, "[]") {
		r, l := classifyTypeChange(strings.TrimSuffix(from, "[]"), strings.TrimSuffix(to, "[]"))
		return r || from != to, l
	}
	fb, fm := splitTypmod(from)
	tb, tm := splitTypmod(to)
	if fb == tb {
		switch {
		case len(tm) == 0:
			// Removing a limit: varchar(n) → varchar, numeric(p,s) → numeric.
			return fb != "character varying" && fb != "bit varying" && fb != "numeric", false
		case len(fm) == 0:
			return true, true // adding a limit
		case fb == "numeric":
			// Precision up with the same scale is a metadata change; anything else
			// rewrites, and lowering precision or scale can fail or round.
			if len(fm) == 2 && len(tm) == 2 && tm[1] == fm[1] {
				return false, tm[0] < fm[0]
			}
			return true, tm[0]-tm[len(tm)-1] < fm[0]-fm[len(fm)-1] || tm[len(tm)-1] < fm[len(fm)-1]
		case fb == "character varying" || fb == "bit varying":
			return false, tm[0] < fm[0]
		default:
			return true, tm[0] < fm[0]
		}
	}
	key := [2]string{fb, tb}
	if fb == "text" && tb == "character varying" && len(tm) > 0 {
		return false, true
	}
	if fb == "character varying" && tb == "character varying" {
		return false, false
	}
	if ok := widening[key]; ok {
		return !binaryCoercible[key], false
	}
	return !binaryCoercible[key], true
}
