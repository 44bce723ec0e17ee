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

package drift_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/plan"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// conversion is one row of the table of exact conversions (plan/types.go), or one
// kind of change outside it, with values that show what the server does.
type conversion struct {
	from, to string
	// values are SQL expressions of the old type, one row each. For an exact row
	// they are the edge values that must come through unchanged; for a lossy row at
	// least one of them is changed or refused by the server.
	values []string
	exact  bool
	// accepted marks a row outside the table whose values are all accepted (a
	// domain's constraint holds for them): they must come through unchanged; another
	// row shows the refusal. It checks the rewrite of a conversion that may reject.
	accepted bool
	// session is SET LOCAL before the conversion runs (a setting the applying role
	// may have), to show a conversion that depends on it.
	session string
}

// lossyPrelude exists in the old and the new schema: the types the rows convert
// between.
const lossyPrelude = `CREATE EXTENSION citext;
CREATE TYPE public.mood AS ENUM ('happy', 'sad');
CREATE TYPE public.mood2 AS ENUM ('sad', 'ok');
CREATE DOMAIN public.label AS varchar(20);
CREATE DOMAIN public.email AS text CONSTRAINT email_at CHECK (VALUE ~ '@');
CREATE DOMAIN public.required AS text NOT NULL;
`

var conversions = []conversion{
	// Same type, other modifier: exact.
	{from: "varchar(10)", to: "varchar(20)", exact: true, values: []string{`'abcdefghij'`, `'ab  '`, `'é€😀'`, `''`, `NULL`}},
	{from: "varchar(10)", to: "varchar", exact: true, values: []string{`'abcdefghij'`, `'ab  '`}},
	{from: "varbit(4)", to: "varbit(8)", exact: true, values: []string{`B'1011'`, `B'1'`}},
	{from: "varbit(4)", to: "varbit", exact: true, values: []string{`B'1011'`}},
	{from: "numeric(10,2)", to: "numeric(14,2)", exact: true, values: []string{`12345678.91`, `-0.5`, `0`, `'NaN'`}},
	{from: "numeric(10,2)", to: "numeric", exact: true, values: []string{`1.5`, `-99999999.99`}},
	{from: "timestamp(3)", to: "timestamp(6)", exact: true, values: []string{`'2024-02-29 23:59:59.999'`, `'infinity'`}},
	{from: "timestamp(3)", to: "timestamp", exact: true, values: []string{`'2024-02-29 23:59:59.999'`}},
	{from: "timestamp", to: "timestamp(6)", exact: true, values: []string{`'2024-01-01 00:00:00.123456'`}},
	{from: "timestamptz(3)", to: "timestamptz(5)", exact: true, values: []string{`'2024-01-01 00:00:00.123+02'`}},
	{from: "time(2)", to: "time(4)", exact: true, values: []string{`'23:59:59.99'`}},
	{from: "timetz(2)", to: "timetz", exact: true, values: []string{`'12:00:00.12+05'`}},
	{from: "interval(2)", to: "interval(5)", exact: true, values: []string{`'1 year 2 mons 3 days 04:05:06.78'`}},
	{from: "interval day to second(2)", to: "interval day to second(4)", exact: true, values: []string{`'3 days 04:05:06.78'`}},
	// Other types: exact.
	{from: "smallint", to: "integer", exact: true, values: []string{`32767`, `-32768`}},
	{from: "smallint", to: "bigint", exact: true, values: []string{`32767`, `-32768`}},
	{from: "integer", to: "bigint", exact: true, values: []string{`2147483647`, `-2147483648`}},
	{from: "smallint", to: "numeric", exact: true, values: []string{`-32768`}},
	{from: "integer", to: "numeric(10,0)", exact: true, values: []string{`2147483647`, `-2147483648`}},
	{from: "bigint", to: "numeric(19,0)", exact: true, values: []string{`9223372036854775807`, `-9223372036854775808`}},
	{from: "bigint", to: "numeric", exact: true, values: []string{`9223372036854775807`}},
	{from: "varchar(10)", to: "text", exact: true, values: []string{`'ab  '`, `'é€😀'`}},
	{from: "varchar", to: "text", exact: true, values: []string{`repeat('x', 10000)`}},
	{from: "text", to: "varchar", exact: true, values: []string{`repeat('x', 10000)`, `'ab  '`}},
	{from: "name", to: "text", exact: true, values: []string{`repeat('n', 63)`}},
	{from: "name", to: "varchar", exact: true, values: []string{`repeat('n', 63)`}},
	{from: "public.citext", to: "text", exact: true, values: []string{`'MiXeD Case'`}},
	{from: "text", to: "public.citext", exact: true, values: []string{`'MiXeD Case'`, `'  spaces  '`}},
	{from: "varchar(20)", to: "public.citext", exact: true, values: []string{`'MiXeD '`}},
	{from: "public.mood", to: "text", exact: true, values: []string{`'happy'`, `'sad'`}},
	{from: "integer", to: "text", exact: true, values: []string{`-2147483648`, `0`}},
	{from: "bigint", to: "varchar", exact: true, values: []string{`9223372036854775807`}},
	{from: "numeric(10,2)", to: "text", exact: true, values: []string{`1.5`, `'NaN'`}},
	{from: "uuid", to: "text", exact: true, values: []string{`'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'`}},
	{from: "json", to: "text", exact: true, values: []string{`'{"a":1,  "a":2}'`}},
	{from: "jsonb", to: "text", exact: true, values: []string{`'{"b": 1.50, "a": [1, 2]}'`}},
	{from: "jsonb", to: "json", exact: true, values: []string{`'{"b": 1.50, "a": [1, 2]}'`}},
	{from: "bit(4)", to: "varbit(4)", exact: true, values: []string{`B'1011'`}},
	{from: "bit(4)", to: "varbit", exact: true, values: []string{`B'0000'`}},
	{from: "public.label", to: "text", exact: true, values: []string{`'ab  '`}},
	{from: "varchar(10)", to: "public.label", exact: true, values: []string{`'abcdefghij'`}},
	{from: "public.email", to: "text", exact: true, values: []string{`'a@b'`}},
	{from: "varchar(20)[]", to: "text[]", exact: true, values: []string{`'{"a b","c,d",NULL}'`}},
	{from: "integer[]", to: "bigint[]", exact: true, values: []string{`'{2147483647,-2147483648}'`}},

	// Everything else: DataLoss. The values show how the server loses or refuses them.
	{from: "text", to: "name", values: []string{`repeat('x', 100)`}},                                   // cut to 63 bytes
	{from: "varchar(100)", to: "name", values: []string{`repeat('é', 40)`}},                            // cut to 63 bytes
	{from: "json", to: "jsonb", values: []string{`'{"a":1,"a":2}'`, `'{"b": 1, "a": 1.0e2}'`}},         // duplicate key dropped, keys reordered
	{from: "text", to: "char(5)", values: []string{`'ab'`}},                                            // padded: reads 'ab   '
	{from: "char(5)", to: "text", values: []string{`'ab'`}},                                            // 'ab   ' reads 'ab'
	{from: "char(5)", to: "varchar", values: []string{`'ab'`}},                                         // likewise
	{from: "char(3)", to: "char(5)", values: []string{`'ab'`}},                                         // padded further
	{from: "char(5)", to: "char(3)", values: []string{`'ab'`}},                                         // padding cut
	{from: "bit(4)", to: "bit(8)", values: []string{`B'1011'`}},                                        // refused
	{from: "varchar(20)", to: "varchar(10)", values: []string{`'abc' || repeat(' ', 15)`}},             // trailing spaces cut silently
	{from: "varchar", to: "varchar(10)", values: []string{`'abc' || repeat(' ', 15)`}},                 // likewise
	{from: "text", to: "varchar(10)", values: []string{`'abcdefghijk'`}},                               // refused
	{from: "integer", to: "varchar(5)", values: []string{`123456`}},                                    // refused
	{from: "varbit(8)", to: "varbit(4)", values: []string{`B'10110000'`}},                              // refused
	{from: "numeric(14,2)", to: "numeric(10,2)", values: []string{`123456789012.34`}},                  // refused
	{from: "numeric(10,2)", to: "numeric(10,1)", values: []string{`1.25`}},                             // rounded
	{from: "numeric(10,2)", to: "numeric(12,4)", values: []string{`1.5`}},                              // reads 1.5000
	{from: "numeric", to: "numeric(20,2)", values: []string{`1.005`}},                                  // rounded
	{from: "timestamp", to: "timestamp(3)", values: []string{`'2024-01-01 00:00:00.123456'`}},          // rounded
	{from: "timestamptz(5)", to: "timestamptz(2)", values: []string{`'2024-01-01 00:00:00.12345+00'`}}, // rounded
	{from: "time", to: "time(0)", values: []string{`'12:00:00.6'`}},                                    // rounded
	{from: "interval", to: "interval(3)", values: []string{`'00:00:01.123456'`}},                       // rounded
	{from: "interval", to: "interval year to month", values: []string{`'1 year 2 days'`}},              // days dropped
	{from: "bigint", to: "integer", values: []string{`2^40`}},                                          // refused
	{from: "integer", to: "smallint", values: []string{`40000`}},                                       // refused
	{from: "bigint", to: "numeric(18,0)", values: []string{`9223372036854775807`}},                     // refused
	{from: "integer", to: "numeric(12,2)", values: []string{`5`}},                                      // reads 5.00
	{from: "real", to: "double precision", values: []string{`1.1`}},                                    // reads 1.100000023841858
	{from: "double precision", to: "real", values: []string{`16777217`}},                               // reads 1.6777216e+07
	{from: "bigint", to: "double precision", values: []string{`9007199254740993`}},                     // rounded
	{from: "numeric", to: "double precision", values: []string{`0.1234567890123456789`}},               // rounded
	{from: "double precision", to: "text", values: []string{`0.1::float8 + 0.2`}, session: "extra_float_digits = 0"},
	{from: "boolean", to: "text", values: []string{`true`}},                                         // reads true, not t
	{from: "date", to: "text", values: []string{`'2024-02-29'`}, session: "DateStyle = 'SQL, DMY'"}, // 29/02/2024
	{from: "timestamptz", to: "text", values: []string{`'2024-01-01 00:00:00+00'`}, session: "TimeZone = 'Asia/Tokyo'"},
	{from: "timestamp", to: "timestamptz", values: []string{`'2024-01-01 00:00:00'`}, session: "TimeZone = 'America/New_York'"},
	{from: "timestamptz", to: "timestamp", values: []string{`'2024-01-01 00:00:00+00'`}, session: "TimeZone = 'America/New_York'"},
	{from: "date", to: "timestamp", values: []string{`'2024-02-29'`}}, // reads 2024-02-29 00:00:00
	{from: "cidr", to: "inet", values: []string{`'10.0.0.1/32'`}},     // reads 10.0.0.1
	{from: "inet", to: "text", values: []string{`'10.0.0.1'`}},        // reads 10.0.0.1/32
	{from: "text", to: "integer", values: []string{`'007'`}},          // USING: reads 7
	{from: "text", to: "public.mood", values: []string{`'angry'`}},    // USING: refused
	{from: "public.mood", to: "public.mood2", values: []string{`'happy'`}},
	{from: "text", to: "public.email", values: []string{`'nobody'`}}, // refused by the CHECK
	{from: "text", to: "public.required", values: []string{`NULL`}},  // refused by NOT NULL
	{from: "text", to: "public.email", values: []string{`'a@b'`}, accepted: true},
	{from: "varchar(10)", to: "public.required", values: []string{`'x'`}, accepted: true},
	{from: "varchar(30)", to: "public.label", values: []string{`'abc' || repeat(' ', 25)`}}, // trailing spaces cut
	{from: "text[]", to: "name[]", values: []string{`ARRAY[repeat('x', 100)]`}},             // elements cut
	{from: "real[]", to: "double precision[]", values: []string{`ARRAY[1.1::real]`}},        // reads 1.100000023841858
}

// TestLossyConversions proves the table of exact conversions against the server: one
// table per row is planned from its old type to its new one, the planned ALTER runs,
// and the values read back (through the type's output function) must be the same for
// a row of the table and must change or be refused for any other, which the plan must
// tag DataLoss. The plan's TableRewrite is checked against the table's relfilenode.
func TestLossyConversions(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	table := func(i int) string { return fmt.Sprintf("r%02d", i) }
	var old, desired, seed strings.Builder
	old.WriteString(lossyPrelude)
	desired.WriteString(lossyPrelude)
	for i, c := range conversions {
		fmt.Fprintf(&old, "CREATE TABLE public.%s (id int PRIMARY KEY, c %s);\n", table(i), c.from)
		fmt.Fprintf(&desired, "CREATE TABLE public.%s (id int PRIMARY KEY, c %s);\n", table(i), c.to)
		for j, v := range c.values {
			fmt.Fprintf(&seed, "INSERT INTO public.%s VALUES (%d, %s);\n", table(i), j+1, v)
		}
	}
	execSQL(t, url, old.String()+seed.String())
	want, _, err := drift.LoadDesired(ctx, writeDir(t, map[string]string{"new.sql": desired.String()}), srv.AdminURL(), 30*time.Second, inspect.Options{})
	if err != nil {
		t.Fatalf("loading the new schema: %v", err)
	}
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	p, _, err := drift.Diff(ctx, conn, want, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Blocked) > 0 {
		t.Fatalf("unplannable: %v", p.Blocked)
	}
	for i, c := range conversions {
		name := "public." + table(i)
		t.Run(c.from+" → "+c.to, func(t *testing.T) {
			var stmt *plan.Statement
			for j := range p.Statements {
				if s := &p.Statements[j]; strings.HasPrefix(s.SQL, "ALTER TABLE "+name+" ") && strings.Contains(s.SQL, " TYPE ") {
					stmt = s
				}
			}
			if stmt == nil {
				t.Fatalf("no type change of %s planned:\n%s", name, p.SQL())
			}
			lossy := slices.Contains(stmt.Hazards, plan.DataLoss)
			if lossy == c.exact {
				t.Errorf("%s: DataLoss %v, want %v (%v)", stmt.SQL, lossy, !c.exact, stmt.Hazards)
			}
			before, fileBefore := readColumn(ctx, t, conn, name)
			err := convert(ctx, conn, stmt.SQL, c.session)
			if err != nil {
				if c.exact || c.accepted {
					t.Fatalf("%s: the server refused the values: %v", stmt.SQL, err)
				}
				t.Logf("%s: refused by the server: %v", stmt.SQL, err)
				return
			}
			after, fileAfter := readColumn(ctx, t, conn, name)
			switch {
			case (c.exact || c.accepted) && !slices.Equal(before, after):
				t.Errorf("%s changed values:\nbefore: %q\nafter:  %q", stmt.SQL, before, after)
			case !c.exact && !c.accepted && slices.Equal(before, after):
				t.Errorf("%s: lossy row whose values came through unchanged (%q): pick values that show the loss", stmt.SQL, after)
			case !c.exact && !c.accepted:
				t.Logf("%s: %q became %q", stmt.SQL, before, after)
			}
			if rewrote := fileBefore != fileAfter; rewrote != slices.Contains(stmt.Hazards, plan.TableRewrite) {
				t.Errorf("%s: planned TableRewrite %v, but the server rewrote: %v", stmt.SQL, !rewrote, rewrote)
			}
		})
	}
}

// readColumn reads column c of a table in id order through its type's output
// function (row(c)::text), as a client reads it, and the table's relfilenode.
func readColumn(ctx context.Context, t *testing.T, conn *pgx.Conn, table string) ([]string, uint32) {
	t.Helper()
	var vals []string
	var file uint32
	err := conn.QueryRow(ctx, "SELECT coalesce(array_agg(row(c)::text ORDER BY id), '{}'), pg_relation_filenode('"+table+"')::text::bigint FROM "+table).Scan(&vals, &file)
	if err != nil {
		t.Fatal(err)
	}
	return vals, file
}

// convert runs a planned type change in its own transaction, under a session setting
// when given.
func convert(ctx context.Context, conn *pgx.Conn, sql, session string) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if session != "" {
		if _, err := tx.Exec(ctx, "SET LOCAL "+session); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, sql); err != nil {
		return err
	}
	return tx.Commit(ctx)
}
