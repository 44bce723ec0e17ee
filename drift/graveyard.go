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

package drift

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/drift/plan"
)

// GraveyardSchema is the schema soft drop moves dropped tables into.
const GraveyardSchema = plan.GraveyardSchema

// DefaultGraveyardRetention is how long the agent keeps graveyard entries.
const DefaultGraveyardRetention = 7 * 24 * time.Hour

// GraveyardEntry is one table of the graveyard: a table a soft drop moved there.
type GraveyardEntry struct {
	// Name is the table's name in the graveyard schema.
	Name string `json:"name"`
	plan.GraveyardEntry
	// Time is At parsed.
	Time time.Time `json:"time"`
	// Rows is the number of rows (PostgreSQL's estimate once the table was
	// analyzed, else counted).
	Rows int64 `json:"rows"`
}

// Original is the original qualified name: schema.table, or schema.table.column.
func (e *GraveyardEntry) Original() string {
	if e.Kind == "column" {
		return model.Qualified(e.Schema, e.Table) + "." + model.QuoteIdent(e.Column)
	}
	return model.Qualified(e.Schema, e.Table)
}

func (e *GraveyardEntry) qualified() string { return model.Qualified(GraveyardSchema, e.Name) }

// Graveyard lists the entries of the graveyard, oldest first; empty when there
// is no graveyard. Tables of the graveyard schema without our record are skipped.
func Graveyard(ctx context.Context, conn *pgx.Conn) ([]GraveyardEntry, error) {
	rows, err := conn.Query(ctx, `SELECT c.relname, COALESCE(pg_catalog.obj_description(c.oid, 'pg_class'), ''), c.reltuples::bigint
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`, GraveyardSchema)
	if err != nil {
		return nil, fmt.Errorf("listing the graveyard: %w", err)
	}
	type row struct {
		name, comment string
		tuples        int64
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.name, &x.comment, &x.tuples)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("listing the graveyard: %w", err)
	}
	var out []GraveyardEntry
	for _, r := range all {
		e := GraveyardEntry{Name: r.name}
		if json.Unmarshal([]byte(r.comment), &e.GraveyardEntry) != nil || e.Graveyard != 1 {
			continue
		}
		e.Time, _ = time.Parse(plan.GraveyardStampLayout, e.At)
		e.Rows = r.tuples
		if e.Rows < 0 {
			if err := conn.QueryRow(ctx, "SELECT pg_catalog.count(*) FROM "+e.qualified()).Scan(&e.Rows); err != nil {
				return nil, fmt.Errorf("counting the rows of %s: %w", e.qualified(), err)
			}
		}
		out = append(out, e)
	}
	sortEntries(out)
	return out, nil
}

func sortEntries(es []GraveyardEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && (es[j].At < es[j-1].At || es[j].At == es[j-1].At && es[j].Name < es[j-1].Name); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func findEntry(ctx context.Context, conn *pgx.Conn, name string) (*GraveyardEntry, error) {
	es, err := Graveyard(ctx, conn)
	if err != nil {
		return nil, err
	}
	for i := range es {
		if es[i].Name == name {
			return &es[i], nil
		}
	}
	return nil, fmt.Errorf("no graveyard entry %q (schemactl graveyard list shows them)", name)
}

// RestoreGraveyard puts entry name back: a table moves back to its schema under
// its name (refused when the name is taken), its indexes and owned sequences
// get their names back; a column is added again with its recorded type and its
// values are copied back by primary key (refused when the column exists). The
// entry is gone afterwards. Foreign keys and indexes Git declares are re-created
// by the next apply.
func RestoreGraveyard(ctx context.Context, conn *pgx.Conn, name string) (*GraveyardEntry, error) {
	e, err := findEntry(ctx, conn, name)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if e.Kind == "column" {
			return restoreColumn(ctx, tx, e)
		}
		return restoreTable(ctx, tx, e)
	})
	if err != nil {
		return nil, fmt.Errorf("restoring %s as %s: %w", e.Name, e.Original(), err)
	}
	return e, nil
}

func exists(ctx context.Context, tx pgx.Tx, qualified string) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", qualified).Scan(&ok)
	return ok, err
}

func restoreTable(ctx context.Context, tx pgx.Tx, e *GraveyardEntry) error {
	taken, err := exists(ctx, tx, e.Original())
	if err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("%s exists: drop or rename it first", e.Original())
	}
	comment := "NULL"
	if e.Comment != "" {
		comment = model.QuoteLiteral(e.Comment)
	}
	for _, sql := range []string{
		"CREATE SCHEMA IF NOT EXISTS " + model.QuoteIdent(e.Schema),
		"ALTER TABLE " + e.qualified() + " RENAME TO " + model.QuoteIdent(e.Table),
		"ALTER TABLE " + model.Qualified(GraveyardSchema, e.Table) + " SET SCHEMA " + model.QuoteIdent(e.Schema),
		"COMMENT ON TABLE " + e.Original() + " IS " + comment,
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
	}
	// The indexes and owned sequences take their names back, where free.
	suffix := e.Name[strings.LastIndex(e.Name, "__"):]
	_, err = tx.Exec(ctx, `DO $restore$ DECLARE r record; BEGIN
  FOR r IN SELECT 'INDEX' AS kind, n.nspname, c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE i.indrelid = `+model.QuoteLiteral(e.Original())+`::pg_catalog.regclass
    UNION ALL SELECT 'SEQUENCE', n.nspname, s.relname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_catalog.pg_namespace n ON n.oid = s.relnamespace WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjid = `+model.QuoteLiteral(e.Original())+`::pg_catalog.regclass AND d.deptype IN ('a', 'i')
  LOOP
    IF pg_catalog.right(r.relname, `+fmt.Sprint(len(suffix))+`) = `+model.QuoteLiteral(suffix)+` AND pg_catalog.to_regclass(pg_catalog.format('%I.%I', r.nspname, pg_catalog.left(r.relname, -`+fmt.Sprint(len(suffix))+`))) IS NULL THEN
      EXECUTE pg_catalog.format('ALTER %s %I.%I RENAME TO %I', r.kind, r.nspname, r.relname, pg_catalog.left(r.relname, -`+fmt.Sprint(len(suffix))+`));
    END IF;
  END LOOP;
END $restore$`)
	return err
}

func restoreColumn(ctx context.Context, tx pgx.Tx, e *GraveyardEntry) error {
	var present bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
WHERE attrelid = pg_catalog.to_regclass($1) AND attname = $2 AND attnum > 0 AND NOT attisdropped)`, model.Qualified(e.Schema, e.Table), e.Column).Scan(&present); err != nil {
		return err
	}
	if present {
		return fmt.Errorf("column %s exists: drop it first", e.Original())
	}
	taken, err := exists(ctx, tx, model.Qualified(e.Schema, e.Table))
	if err != nil {
		return err
	}
	if !taken {
		return fmt.Errorf("table %s does not exist: restore or create it first", model.Qualified(e.Schema, e.Table))
	}
	if len(e.Key) == 0 {
		return errors.New("the entry records no primary key")
	}
	var on []string
	for _, k := range e.Key {
		on = append(on, "t."+model.QuoteIdent(k)+" = g."+model.QuoteIdent(k))
	}
	col := model.QuoteIdent(e.Column)
	for _, sql := range []string{
		"ALTER TABLE " + model.Qualified(e.Schema, e.Table) + " ADD COLUMN " + col + " " + e.Type,
		"UPDATE " + model.Qualified(e.Schema, e.Table) + " AS t SET " + col + " = g." + col + " FROM " + e.qualified() + " AS g WHERE " + strings.Join(on, " AND "),
		"DROP TABLE " + e.qualified(),
	} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}

// PurgeGraveyard drops the graveyard entries older than olderThan (all of them
// when it is 0), or only entry name when it is not empty (then whatever its age
// unless olderThan is set). It returns the entries dropped.
func PurgeGraveyard(ctx context.Context, conn *pgx.Conn, olderThan time.Duration, name string) ([]GraveyardEntry, error) {
	es, err := Graveyard(ctx, conn)
	if err != nil {
		return nil, err
	}
	if name != "" {
		e, err := findEntry(ctx, conn, name)
		if err != nil {
			return nil, err
		}
		es = []GraveyardEntry{*e}
	}
	var dropped []GraveyardEntry
	for _, e := range es {
		if olderThan > 0 && time.Since(e.Time) < olderThan {
			continue
		}
		if _, err := conn.Exec(ctx, "DROP TABLE "+e.qualified()); err != nil {
			return dropped, fmt.Errorf("purging %s: %w", e.Name, err)
		}
		dropped = append(dropped, e)
	}
	return dropped, nil
}
