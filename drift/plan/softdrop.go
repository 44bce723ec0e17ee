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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/schemactl/schema-controller/drift/model"
)

// GraveyardSchema is the schema soft drop moves dropped tables into. It is
// never inspected: nothing in it is drift.
const GraveyardSchema = "schemactl_graveyard"

// DefaultSoftDropRowBudget is the most rows of a dropped column soft drop copies
// into the graveyard.
const DefaultSoftDropRowBudget = 1_000_000

// CheckSoftDropBudget counts the rows of a table whose dropped column soft drop
// keeps, up to one more than the budget.
const CheckSoftDropBudget CheckKind = "soft-drop-budget"

// GraveyardStampLayout is the layout of the time in a graveyard name (UTC).
const GraveyardStampLayout = "20060102150405"

// GraveyardEntry is the record a graveyard table carries as its comment: what
// it was, which plan moved it there and when.
type GraveyardEntry struct {
	// Graveyard is always 1: it marks the comment as ours.
	Graveyard int `json:"schemactlGraveyard"`
	// Kind is "table" (a dropped table) or "column" (a dropped column's values
	// with the primary key).
	Kind   string `json:"kind"`
	Schema string `json:"schema"`
	Table  string `json:"table"`
	// Column and Type are the column and its type, for Kind "column".
	Column string `json:"column,omitempty"`
	Type   string `json:"type,omitempty"`
	// Key are the primary key columns, for Kind "column".
	Key []string `json:"key,omitempty"`
	// Plan is the id of the plan (without soft drop) that dropped it.
	Plan string `json:"plan"`
	// At is the time of the drop, GraveyardStampLayout in UTC.
	At string `json:"at"`
	// Comment is the comment the table had, put back by a restore.
	Comment string `json:"comment,omitempty"`
}

// graveyardName is the name of a dropped relation in the graveyard:
// <name>__<planid12>_<yyyymmddhhmmss>, the name shortened to fit PostgreSQL's 63
// bytes.
func graveyardName(name, planID, stamp string) string {
	id := strings.TrimPrefix(planID, "sha256:")
	if len(id) > 12 {
		id = id[:12]
	}
	suffix := "__" + id + "_" + stamp
	if max := 63 - len(suffix); len(name) > max {
		name = truncateUTF8(name, max)
	}
	return name + suffix
}

// uniqueGraveyardName is graveyardName, with _2, _3, ... before the suffix when
// used has the name already (two tables of the same name in two schemas, or
// names that are the same once shortened); it records the name in used.
func uniqueGraveyardName(name, planID, stamp string, used map[string]bool) string {
	g := graveyardName(name, planID, stamp)
	for k := 2; used[g]; k++ {
		n := "_" + itoa(k)
		short := graveyardName("", planID, stamp)
		g = truncateUTF8(name, max(0, 63-len(short)-len(n))) + n + short
	}
	used[g] = true
	return g
}

func truncateUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// softDrop turns every DROP TABLE of the finished plan into a move into the
// graveyard schema (created if missing, in the same transaction), renamed with the
// plan id and the time: instant, no copy. Owned sequences, indexes, constraints and
// triggers go with the table; its foreign keys to tables that stay are dropped,
// so that nothing kept depends on the graveyard. Statements keep their place and
// hazards (the table leaves the managed schema: the drop still needs approval).
// The plan id is computed again over the soft form with the time masked, so that
// a plan approved at one time is the plan applied at another.
func (b *builder) softDrop() {
	if !b.opts.SoftDrop {
		return
	}
	now := b.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	stamp := now.UTC().Format(GraveyardStampLayout)
	hardID := b.p.ID
	changed := false
	used := map[string]bool{}
	for i := range b.p.Statements {
		s := &b.p.Statements[i]
		if !s.Destructive() || s.Phase != PhaseTransactional {
			continue
		}
		if b.softDropColumn(s, hardID, stamp, used) {
			changed = true
			continue
		}
		rest, ok := strings.CutPrefix(s.SQL, "DROP TABLE ")
		if !ok {
			continue
		}
		names := splitNames(rest)
		if names == nil {
			continue
		}
		moving := map[string]bool{}
		for _, n := range names {
			moving[model.Qualified(n[0], n[1])] = true
		}
		sqls := []string{"CREATE SCHEMA IF NOT EXISTS " + model.QuoteIdent(GraveyardSchema)}
		for _, n := range names {
			qn := model.Qualified(n[0], n[1])
			t := b.liveTables[qn]
			if t != nil {
				for _, c := range t.Constraints {
					if c.Type == "f" && !c.Inherited && !moving[c.References] {
						sqls = append(sqls, "ALTER TABLE "+qn+" DROP CONSTRAINT IF EXISTS "+model.QuoteIdent(c.Name))
					}
				}
			}
			// Indexes (constraints' too) and owned sequences move with the table
			// and keep their names: they get the graveyard suffix first, so
			// that the graveyard never has two of the same name.
			sqls = append(sqls, renameDependents(qn, graveyardName("", hardID, stamp)))
			gname := uniqueGraveyardName(n[1], hardID, stamp, used)
			entry := GraveyardEntry{Graveyard: 1, Kind: "table", Schema: n[0], Table: n[1], Plan: hardID, At: stamp}
			if t != nil {
				entry.Comment = t.Comment
			}
			meta, _ := json.Marshal(entry) //nolint:errchkjson // a struct of strings always marshals
			sqls = append(sqls,
				"ALTER TABLE "+qn+" SET SCHEMA "+model.QuoteIdent(GraveyardSchema),
				"ALTER TABLE "+model.Qualified(GraveyardSchema, n[1])+" RENAME TO "+model.QuoteIdent(gname),
				"COMMENT ON TABLE "+model.Qualified(GraveyardSchema, gname)+" IS "+model.QuoteLiteral(string(meta)))
		}
		s.SQL = strings.Join(sqls, ";\n")
		s.Object = strings.Replace(s.Object, "table ", "table (soft drop into "+GraveyardSchema+") ", 1)
		changed = true
	}
	if !changed {
		return
	}
	h := sha256.New()
	h.Write([]byte("softdrop\x00"))
	for _, s := range b.p.Statements {
		h.Write([]byte(s.Phase.String()))
		h.Write([]byte{0})
		h.Write([]byte(strings.ReplaceAll(s.SQL, stamp, "<time>")))
		h.Write([]byte{0})
	}
	for _, d := range b.p.Blocked {
		h.Write([]byte("blocked\x00" + d.Object + "\x00" + d.Change + "\x00"))
	}
	b.p.ID = "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}

// splitNames splits "a.b, \"x, y\".c" into (schema, name) pairs, unquoting; nil
// when the text is not a list of qualified names.
func splitNames(s string) [][2]string {
	var out [][2]string
	var parts []string
	var cur strings.Builder
	inQuote := false
	flush := func() bool {
		parts = append(parts, cur.String())
		cur.Reset()
		if len(parts) != 2 {
			return false
		}
		out = append(out, [2]string{parts[0], parts[1]})
		parts = nil
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote && c == '"' && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
			cur.WriteByte(c)
		case c == '.':
			parts = append(parts, cur.String())
			cur.Reset()
		case c == ',':
			if !flush() {
				return nil
			}
			for i+1 < len(s) && s[i+1] == ' ' {
				i++
			}
		case c == ' ' || c == ';' || c == '(' || c == ')':
			return nil // CASCADE, or anything else than a list of names
		default:
			cur.WriteByte(c)
		}
	}
	if inQuote || !flush() {
		return nil
	}
	return out
}

// renameDependents is a DO block that appends suffix to the name of each index
// of the table and each sequence owned by one of its columns (shortened to fit
// 63 bytes); a restore takes the suffix off again.
func renameDependents(table, suffix string) string {
	keep := itoa(63 - len(suffix))
	return "DO $softdrop$ DECLARE r record; BEGIN\n" +
		"  FOR r IN SELECT 'INDEX' AS kind, n.nspname, c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE i.indrelid = " + model.QuoteLiteral(table) + "::pg_catalog.regclass\n" +
		"    UNION ALL SELECT 'SEQUENCE', n.nspname, s.relname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = " + model.QuoteLiteral(table) + "::pg_catalog.regclass AND d.deptype IN ('a', 'i')\n" +
		"  LOOP\n" +
		"    EXECUTE pg_catalog.format('ALTER %s %I.%I RENAME TO %I', r.kind, r.nspname, r.relname, pg_catalog.left(r.relname, " + keep + ") || " + model.QuoteLiteral(suffix) + ");\n" +
		"  END LOOP;\n" +
		"END $softdrop$"
}

// softDropColumn turns ALTER TABLE t DROP COLUMN c into a copy of the primary key
// and c into the graveyard table <t>__<c>__<planid12>_<time> before the drop.
// Over the row budget (a pre-flight check at plan time, and a count in the
// transaction before the copy) or without a primary key the column cannot be
// kept: the plan says so and is refused, and the drop needs an approval without
// soft drop. It reports whether s was such a statement.
func (b *builder) softDropColumn(s *Statement, hardID, stamp string, used map[string]bool) bool {
	prefix := "ALTER TABLE " + s.Table + " DROP COLUMN "
	rest, ok := strings.CutPrefix(s.SQL, prefix)
	if s.Table == "" || !ok {
		return false
	}
	cols := parseIdentList(rest)
	t := b.liveTables[s.Table]
	if len(cols) != 1 || t == nil {
		return false
	}
	col := cols[0]
	var lc *model.Column
	for i := range t.Columns {
		if t.Columns[i].Name == col {
			lc = &t.Columns[i]
		}
	}
	if lc == nil {
		return false
	}
	var key []string
	for _, c := range t.Constraints {
		if c.Type == "p" {
			if def, ok := strings.CutPrefix(c.Definition, "PRIMARY KEY ("); ok {
				key = parseIdentList(def)
			}
		}
	}
	keyKept := len(key) > 0
	if dt := b.desiredTables[s.Table]; dt == nil {
		keyKept = false
	} else {
		for _, k := range key {
			found := k != col
			if found {
				found = false
				for _, dc := range dt.Columns {
					found = found || dc.Name == k
				}
			}
			keyKept = keyKept && found
		}
	}
	obj := columnObj(t, col)
	if !keyKept {
		b.block(obj, "soft drop cannot keep this column: table "+t.Schema+"."+t.Name+" has no primary key that stays; approve the drop without soft drop to lose its values")
		return true
	}
	budget := b.opts.SoftDropRowBudget
	if budget <= 0 {
		budget = DefaultSoftDropRowBudget
	}
	gname := uniqueGraveyardName(t.Name+"__"+col, hardID, stamp, used)
	entry := GraveyardEntry{Graveyard: 1, Kind: "column", Schema: t.Schema, Table: t.Name, Column: col, Type: lc.Type, Key: key, Plan: hardID, At: stamp}
	if lc.Collation != "" {
		entry.Type += " COLLATE " + lc.Collation
	}
	meta, _ := json.Marshal(entry) //nolint:errchkjson // a struct of strings always marshals
	var sel []string
	for _, k := range key {
		sel = append(sel, model.QuoteIdent(k))
	}
	sel = append(sel, model.QuoteIdent(col))
	limited := "(SELECT 1 FROM " + s.Table + " LIMIT " + strconv.FormatInt(budget+1, 10) + ")"
	s.Check = &Check{Kind: CheckSoftDropBudget, Table: s.Table, Column: t.Schema + "." + t.Name + "." + col, Key: strconv.FormatInt(budget, 10), What: obj,
		Query: "SELECT CASE WHEN n > " + strconv.FormatInt(budget, 10) + " THEN n ELSE 0 END, 0::bigint FROM (SELECT pg_catalog.count(*) AS n FROM " + limited + " AS l) AS c"}
	s.SQL = strings.Join([]string{
		"CREATE SCHEMA IF NOT EXISTS " + model.QuoteIdent(GraveyardSchema),
		"DO $softdrop$ BEGIN IF (SELECT pg_catalog.count(*) FROM " + limited + " AS l) > " + strconv.FormatInt(budget, 10) +
			" THEN RAISE EXCEPTION " + model.QuoteLiteral(BudgetRefusal(t.Schema+"."+t.Name+"."+col, budget)) + "; END IF; END $softdrop$",
		"CREATE TABLE " + model.Qualified(GraveyardSchema, gname) + " AS SELECT " + strings.Join(sel, ", ") + " FROM " + s.Table,
		"COMMENT ON TABLE " + model.Qualified(GraveyardSchema, gname) + " IS " + model.QuoteLiteral(string(meta)),
		s.SQL,
	}, ";\n")
	// The copy reads the whole table: the statement gets the long timeout of
	// statements that scan, not the short one of a catalog change.
	s.long = true
	b.timeouts(s)
	return true
}

// BudgetRefusal is the reason soft drop cannot keep a column of more rows than
// the budget.
func BudgetRefusal(column string, budget int64) string {
	return fmt.Sprintf("soft drop cannot keep column %s: its table has more than %d rows (the soft drop row budget); approve the drop without soft drop to lose its values", column, budget)
}

// parseIdentList reads "a, \"B\", c)..." up to the closing parenthesis or the
// end, unquoting; nil when it is not a list of identifiers.
func parseIdentList(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote && c == '"' && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
			cur.WriteByte(c)
		case c == ',':
			out = append(out, cur.String())
			cur.Reset()
			for i+1 < len(s) && s[i+1] == ' ' {
				i++
			}
		case c == ')':
			return append(out, cur.String())
		case c == ' ' || c == '(' || c == ';' || c == '.':
			return nil
		default:
			cur.WriteByte(c)
		}
	}
	if inQuote {
		return nil
	}
	return append(out, cur.String())
}
