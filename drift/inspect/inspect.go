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

// Package inspect reads a live PostgreSQL database into the drift model with a few
// set-based catalog queries per object kind, using PostgreSQL's canonical renderings.
// The desired schema is inspected with the same code after it was loaded into a
// scratch database, so both sides are rendered by the same server rules.
package inspect

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift/model"
)

// queryFiles hold the catalog queries, each under a "-- name: " line: tables and
// the rest (queries.sql), routines, types, policies, privileges, catalog-defined
// objects.
//
//go:embed queries*.sql
var queryFiles embed.FS

// Options select what is inspected.
type Options struct {
	// Schemas are the managed schemas; empty means every schema that is not a system
	// schema and does not belong to an extension.
	Schemas []string
	// Exclude are glob patterns (path.Match) on "schema.name" of objects to leave out,
	// e.g. "public.schema_migrations" or "audit.*".
	Exclude []string
	// ManagePrivileges inspects grants on tables, columns, sequences, functions and
	// schemas, and owners; off, neither is read (and so never compared).
	ManagePrivileges bool
	// DeferPlanningDetails leaves out what only a plan that changes something
	// needs: the dependencies (pg_depend), which order its statements, and where
	// the sequences stand (pg_sequence_last_value reads each sequence), which
	// decides a restart when their options change. A caller that finds nothing to
	// change never needs them; one that does reads them with PlanningDetails.
	DeferPlanningDetails bool
}

// MinServerVersion is the oldest PostgreSQL server (server_version_num) the inspector supports.
const MinServerVersion = 140000

var queries = func() map[string]string {
	files, err := fs.Glob(queryFiles, "queries*.sql")
	if err != nil {
		panic(err)
	}
	out := map[string]string{}
	for _, f := range files {
		src, err := queryFiles.ReadFile(f)
		if err != nil {
			panic(err)
		}
		for name, q := range parseQueries(string(src)) {
			if _, dup := out[name]; dup {
				panic("query " + name + " defined twice")
			}
			out[name] = q
		}
	}
	return out
}()

func parseQueries(src string) map[string]string {
	out := map[string]string{}
	managed := regexp.MustCompile(`\{\{managed "(\w+)"\}\}`)
	notext := regexp.MustCompile(`\{\{notext "(\w+)" "([\w.]+)"\}\}`)
	for _, part := range strings.Split(src, "-- name: ")[1:] {
		name, body, _ := strings.Cut(part, "\n")
		body = managed.ReplaceAllString(body,
			`($1.nspname !~ '^pg_' AND $1.nspname NOT IN ('information_schema', 'schemactl', 'schemactl_graveyard')`+
				` AND (pg_catalog.cardinality($$1::text[]) = 0 OR $1.nspname = ANY ($$1::text[]))`+
				` AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend ne WHERE ne.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND ne.objid = $1.oid AND ne.deptype = 'e'))`)
		body = notext.ReplaceAllString(body,
			`NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xe WHERE xe.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND xe.classid = 'pg_catalog.$1'::pg_catalog.regclass AND xe.objid = $2 AND xe.deptype = 'e')`)
		out[strings.TrimSpace(name)] = strings.TrimSpace(body)
	}
	return out
}

// beginInspection and inspectionSettings open the transaction of an inspection:
// one snapshot, an empty search_path so every rendering is schema-qualified, no JIT
// and no parallel workers (see Inspect), and the work_mem a sort of many columns
// needs.
const beginInspection = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

var inspectionSettings = []string{
	"SET LOCAL search_path = ''",
	"SET LOCAL jit = off",
	"SET LOCAL max_parallel_workers_per_gather = 0",
	"SET LOCAL work_mem = '64MB'",
}

// Inspect reads the schema of the database behind conn. It runs in one read-only
// repeatable-read transaction so that all queries see the same snapshot, and with an
// empty search_path so every rendering is schema-qualified, and without JIT or
// parallel workers.
func Inspect(ctx context.Context, conn *pgx.Conn, opts Options) (*model.Schema, error) {
	// The server's version comes with the connection (server_version is reported
	// at startup), which spares a round trip.
	s := &model.Schema{ServerVersion: serverVersionNum(conn.PgConn().ParameterStatus("server_version"))}
	// One round trip for the transaction and its settings. JIT compilation, on
	// by default from PostgreSQL 12, is for long analytic queries: for the
	// catalog queries of a few thousand tables it costs far more than it saves
	// (the query of unsupported objects took 1 s at 2,000 tables with it, 20 ms
	// without); so do parallel workers, whose start costs about what the query
	// does. The sort of 16,000 columns needs more than the default work_mem not
	// to spill to disk.
	if _, err := conn.Exec(ctx, strings.Join(append([]string{beginInspection}, inspectionSettings...), "; ")); err != nil {
		return nil, fmt.Errorf("starting inspection transaction: %w", err)
	}
	// The batch below ends the transaction; without it (privileges), or when it
	// failed, the transaction is still open here.
	defer func() {
		if conn.PgConn().TxStatus() != 'I' {
			_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	if s.ServerVersion == 0 {
		if err := conn.QueryRow(ctx, "SELECT pg_catalog.current_setting('server_version_num')::pg_catalog.int4").Scan(&s.ServerVersion); err != nil {
			return nil, fmt.Errorf("reading server version: %w", err)
		}
	}
	if s.ServerVersion < MinServerVersion {
		return nil, fmt.Errorf("PostgreSQL %d is not supported: the drift engine needs PostgreSQL 14 or newer", s.ServerVersion/10000)
	}
	schemas := opts.Schemas
	if schemas == nil {
		schemas = []string{}
	}
	in := &inspector{tx: conn, schemas: schemas, s: s, tables: map[uint32]*model.Table{}, natts: map[uint32]int16{}, managePrivileges: opts.ManagePrivileges}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"namespaces", in.namespaces},
		{"extensions", in.extensions},
		{"enums", in.enums},
		{"sequences", in.sequences},
		{"tables", in.tablesQ},
		{"columns", in.columns},
		{"positions", func(ctx context.Context) error {
			if opts.DeferPlanningDetails {
				return nil
			}
			return in.positions(ctx)
		}},
		{"constraints", in.constraints},
		{"indexes", in.indexes},
		{"views", in.views},
		{"functions", in.functions},
		{"triggers", in.triggers},
		{"dependencies", func(ctx context.Context) error {
			if opts.DeferPlanningDetails {
				return nil
			}
			return in.dependencies(ctx)
		}},
		{"domains", in.domains},
		{"composites", in.composites},
		{"ranges", in.ranges},
		{"collations", in.collations},
		{"policies", in.policies},
		{"privileges", func(ctx context.Context) error {
			if !opts.ManagePrivileges {
				return nil
			}
			return in.privileges(ctx)
		}},
		{"objects", in.objects},
		{"unsupported", in.unsupported},
	}
	// One round trip instead of one per query: the steps run once to record the
	// queries they issue (in a fixed order), the queries go to the server as one
	// pipelined batch, and the steps run again over the results. Privileges read
	// the server's roles with a query of their own, so they keep the plain path.
	if !opts.ManagePrivileges {
		in.recording = true
		for _, step := range steps {
			_ = step.fn(ctx)
		}
		in.recording = false
		batch := &pgx.Batch{}
		for _, name := range in.recorded {
			batch.Queue(queries[name], in.schemas)
		}
		// The transaction ends with the batch: no round trip of its own.
		batch.Queue("COMMIT")
		in.results = conn.SendBatch(ctx, batch)
	}
	for _, step := range steps {
		if err := step.fn(ctx); err != nil {
			if in.results != nil {
				_ = in.results.Close()
			}
			return nil, fmt.Errorf("inspecting %s: %w", step.name, err)
		}
	}
	if in.results != nil {
		if _, err := in.results.Exec(); err != nil {
			_ = in.results.Close()
			return nil, fmt.Errorf("ending inspection transaction: %w", err)
		}
		if err := in.results.Close(); err != nil {
			return nil, fmt.Errorf("inspecting: %w", err)
		}
	}
	for _, t := range in.order {
		t.PartitionCheck = hashPartitionOIDs.ReplaceAllStringFunc(t.PartitionCheck, func(m string) string {
			oid, _ := strconv.ParseUint(hashPartitionOIDs.FindStringSubmatch(m)[1], 10, 32)
			if p := in.tables[uint32(oid)]; p != nil {
				return "satisfies_hash_partition(" + model.QuoteLiteral(p.QualifiedName()) + "::regclass::oid"
			}
			return m
		})
		s.Tables = append(s.Tables, *t)
	}
	applyExclude(s, opts.Exclude)
	return s, nil
}

// hashPartitionOIDs finds the partitioned table's OID in the constraint of a hash
// partition (pg_get_partition_constraintdef), which only that database knows: it
// is replaced with the table's name (Table.PartitionCheck).
var hashPartitionOIDs = regexp.MustCompile(`satisfies_hash_partition\('(\d+)'::oid`)

// PlanningDetails reads what an inspection with DeferPlanningDetails left out
// into s, the schema it returned: the dependencies and where the sequences and
// identity columns stand. It is one round trip: the queries run in a read-only
// transaction of their own, with the settings of Inspect.
func PlanningDetails(ctx context.Context, conn *pgx.Conn, opts Options, s *model.Schema) error {
	schemas := opts.Schemas
	if schemas == nil {
		schemas = []string{}
	}
	batch := &pgx.Batch{}
	batch.Queue(beginInspection)
	for _, set := range inspectionSettings {
		batch.Queue(set)
	}
	batch.Queue(queries["dependencies"], schemas)
	batch.Queue(queries["positions"], schemas)
	batch.Queue("COMMIT")
	results := conn.SendBatch(ctx, batch)
	in := &inspector{tx: conn, schemas: schemas, s: s, results: results}
	s.Dependencies = nil
	err := func() error {
		for range 1 + len(inspectionSettings) {
			if _, err := results.Exec(); err != nil {
				return err
			}
		}
		if err := in.dependencies(ctx); err != nil {
			return err
		}
		if err := in.positions(ctx); err != nil {
			return err
		}
		_, err := results.Exec()
		return err
	}()
	if cerr := results.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if conn.PgConn().TxStatus() != 'I' {
			_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
		return fmt.Errorf("inspecting dependencies and sequence positions: %w", err)
	}
	return nil
}

type inspector struct {
	// recording makes query note the names of the queries instead of running them;
	// results then holds their pipelined results, read back in the same order.
	recording bool
	recorded  []string
	results   pgx.BatchResults

	tx      *pgx.Conn
	schemas []string
	// managePrivileges is Options.ManagePrivileges: without it, default privileges
	// are not read, like grants.
	managePrivileges bool
	s                *model.Schema
	tables           map[uint32]*model.Table
	// natts are the tables' pg_class.relnatts, by oid.
	natts map[uint32]int16
	order []*model.Table
}

func (in *inspector) query(ctx context.Context, name string, scan func(pgx.Rows) error) error {
	q, ok := queries[name]
	if !ok {
		return fmt.Errorf("no query named %q", name)
	}
	if in.recording {
		in.recorded = append(in.recorded, name)
		return nil
	}
	var (
		rows pgx.Rows
		err  error
	)
	if in.results != nil {
		rows, err = in.results.Query()
	} else {
		rows, err = in.tx.Query(ctx, q, in.schemas)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (in *inspector) namespaces(ctx context.Context) error {
	return in.query(ctx, "namespaces", func(r pgx.Rows) error {
		var n model.Namespace
		if err := r.Scan(&n.Name, &n.Comment); err != nil {
			return err
		}
		in.s.Namespaces = append(in.s.Namespaces, n)
		return nil
	})
}

func (in *inspector) extensions(ctx context.Context) error {
	return in.query(ctx, "extensions", func(r pgx.Rows) error {
		var e model.Extension
		if err := r.Scan(&e.Name, &e.Schema, &e.Version, &e.Comment, &e.Types); err != nil {
			return err
		}
		if len(e.Types) == 0 {
			e.Types = nil
		}
		in.s.Extensions = append(in.s.Extensions, e)
		return nil
	})
}

func (in *inspector) sequences(ctx context.Context) error {
	return in.query(ctx, "sequences", func(r pgx.Rows) error {
		var q model.Sequence
		if err := r.Scan(&q.Schema, &q.Name, &q.Type, &q.Start, &q.Increment, &q.Min, &q.Max, &q.Cache, &q.Cycle,
			&q.Unlogged, &q.OwnedBy, &q.Comment); err != nil {
			return err
		}
		in.s.Sequences = append(in.s.Sequences, q)
		return nil
	})
}

// positions sets where the sequences and identity columns of the schema stand.
// Tables are in in.tables (the inspection) or in s.Tables (PlanningDetails).
func (in *inspector) positions(ctx context.Context) error {
	// By schema and name (sequences) and by the rendering identity columns carry.
	type key struct{ schema, name string }
	byName := map[key]*model.SequencePosition{}
	at := map[string]*model.SequencePosition{}
	if err := in.query(ctx, "positions", func(r pgx.Rows) error {
		var (
			k         key
			qualified string
			readable  bool
			last      *int64
		)
		if err := r.Scan(&k.schema, &k.name, &qualified, &readable, &last); err != nil {
			return err
		}
		p := sequencePosition(readable, last)
		byName[k], at[qualified] = p, p
		return nil
	}); err != nil || in.recording {
		return err
	}
	for i := range in.s.Sequences {
		q := &in.s.Sequences[i]
		q.Position = byName[key{q.Schema, q.Name}]
	}
	setColumns := func(t *model.Table) {
		for j := range t.Columns {
			if o := t.Columns[j].IdentityOptions; o != nil {
				o.Position = at[o.Name]
			}
		}
	}
	for _, t := range in.tables {
		setColumns(t)
	}
	for i := range in.s.Tables {
		setColumns(&in.s.Tables[i])
	}
	return nil
}

// sequencePosition is the position of a sequence this role may read (readable),
// from pg_sequence_last_value (nil: never called); nil when it may not.
func sequencePosition(readable bool, last *int64) *model.SequencePosition {
	if !readable {
		return nil
	}
	if last == nil {
		return &model.SequencePosition{}
	}
	return &model.SequencePosition{LastValue: *last, Called: true}
}

func (in *inspector) tablesQ(ctx context.Context) error {
	return in.query(ctx, "tables", func(r pgx.Rows) error {
		var (
			oid    uint32
			t      model.Table
			ofType string
			natts  int16
		)
		if err := r.Scan(&oid, &t.Schema, &t.Name, &t.Unlogged, &t.PartitionKey, &t.PartitionOf, &t.PartitionBound,
			&t.Inherits, &t.Options, &t.RowSecurity, &t.ForceRowSecurity, &t.ReplicaIdentity, &t.ReplicaIdentityIndex,
			&t.AccessMethod, &ofType, &t.Comment, &t.ClusterKey, &natts, &t.PartitionCheck); err != nil {
			return err
		}
		in.natts[oid] = natts
		if len(t.Inherits) == 0 {
			t.Inherits = nil
		}
		if len(t.Options) == 0 {
			t.Options = nil
		}
		if t.ReplicaIdentity != "i" {
			t.ReplicaIdentityIndex = ""
		}
		if t.AccessMethod == "heap" {
			t.AccessMethod = ""
		}
		if ofType != "" {
			// Typed tables (CREATE TABLE ... OF type) are not planned; the property is
			// reported so that it never compares equal to an untyped table.
			in.s.Unsupported = append(in.s.Unsupported, model.Unsupported{
				Kind: "typed table", Schema: t.Schema, Name: t.Name, Definition: "of type " + ofType})
		}
		tp := &t
		in.tables[oid] = tp
		in.order = append(in.order, tp)
		return nil
	})
}

func (in *inspector) columns(ctx context.Context) error {
	// The scan's destinations are reused from row to row: allocated once per
	// query rather than once per destination and row.
	var (
		oid                          uint32
		c                            model.Column
		seqType, seqName, seqComment string
		startN, incN, minN           *int64
		maxN, cacheN                 *int64
		cycleN                       *bool
	)
	dest := []any{&oid, &c.Name, &c.Type, &c.Collation, &c.Default, &c.NotNull, &c.Identity, &c.Generated,
		&c.Statistics, &c.Storage, &c.TypeStorage, &c.Compression, &c.Inherited,
		&seqType, &seqName, &startN, &incN, &minN, &maxN, &cacheN, &cycleN, &c.Comment, &c.Options, &seqComment}
	return in.query(ctx, "columns", func(r pgx.Rows) error {
		c = model.Column{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		c.Options = columnOptions(c.Options)
		if seqType != "" && startN != nil {
			c.IdentityOptions = &model.SequenceOptions{Name: seqName, Type: seqType, Start: *startN, Increment: *incN, Min: *minN, Max: *maxN,
				Cache: *cacheN, Cycle: *cycleN, Comment: seqComment}
		}
		t := in.tables[oid]
		if t == nil {
			return nil
		}
		if t.Columns == nil {
			// relnatts counts every column the table ever had: the capacity.
			t.Columns = make([]model.Column, 0, in.natts[oid])
		}
		t.Columns = append(t.Columns, c)
		return nil
	})
}

// serverVersionNum is server_version_num from server_version ("15.4 (Debian
// 15.4-1)", "16beta1": major * 10000 + minor), or 0 when it is not of that form.
func serverVersionNum(v string) int {
	major, rest := leadingInt(v)
	if major < 10 {
		return 0
	}
	minor := 0
	if strings.HasPrefix(rest, ".") {
		minor, _ = leadingInt(rest[1:])
	}
	return major*10000 + minor
}

// leadingInt is the decimal number s starts with (0 if none) and the rest of s.
func leadingInt(s string) (int, string) {
	n, i := 0, 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 6; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n, s[i:]
}

// columnOptions are a column's attribute options (name=value) without those the
// server keeps for itself (pg_*, such as pg_attver), which are not part of the
// schema (pg_dump leaves them out too), sorted; nil when none is left.
func columnOptions(raw []string) []string {
	out := raw[:0]
	for _, o := range raw {
		if !strings.HasPrefix(o, "pg_") {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.Sort(out)
	return out
}

func (in *inspector) constraints(ctx context.Context) error {
	var (
		oid     uint32
		c       model.Constraint
		options string
	)
	dest := []any{&oid, &c.Name, &c.Type, &c.Definition, &options, &c.Validated, &c.References, &c.Inherited, &c.Comment, &c.ParentIndex, &c.IndexComment}
	return in.query(ctx, "constraints", func(r pgx.Rows) error {
		c = model.Constraint{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		if options != "" {
			c.Definition = withIndexOptions(c.Definition, options)
		}
		// pg_get_constraintdef appends NOT VALID to a constraint that is not validated;
		// validity is its own property so that a half-finished online step is resumed.
		c.Definition = strings.TrimSuffix(c.Definition, " NOT VALID")
		t := in.tables[oid]
		if t == nil {
			return nil
		}
		t.Constraints = append(t.Constraints, c)
		return nil
	})
}

// withIndexOptions puts a key's index storage parameters into its definition where
// ADD CONSTRAINT takes them: before DEFERRABLE and, for an exclusion constraint,
// before WHERE.
func withIndexOptions(def, options string) string {
	with := " WITH (" + options + ")"
	for _, marker := range []string{" WHERE (", " DEFERRABLE", " INITIALLY DEFERRED"} {
		if i := strings.Index(def, marker); i >= 0 {
			return def[:i] + with + def[i:]
		}
	}
	return def + with
}

func (in *inspector) indexes(ctx context.Context) error {
	var x model.Index
	dest := []any{&x.Schema, &x.Name, &x.Table, &x.Definition, &x.Unique, &x.Valid, &x.Clustered, &x.ParentIndex, &x.Comment, &x.Statistics}
	return in.query(ctx, "indexes", func(r pgx.Rows) error {
		x = model.Index{}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		if len(x.Statistics) == 0 {
			x.Statistics = nil
		}
		in.s.Indexes = append(in.s.Indexes, x)
		return nil
	})
}

func (in *inspector) unsupported(ctx context.Context) error {
	return in.query(ctx, "unsupported", func(r pgx.Rows) error {
		var u model.Unsupported
		if err := r.Scan(&u.Kind, &u.Schema, &u.Name, &u.Definition); err != nil {
			return err
		}
		if u.Kind == "default privileges" && !in.managePrivileges {
			return nil
		}
		in.s.Unsupported = append(in.s.Unsupported, u)
		return nil
	})
}

// applyExclude removes the objects whose "schema.name" matches a pattern. Indexes and
// constraints of an excluded table go with it.
func applyExclude(s *model.Schema, patterns []string) {
	if len(patterns) > 0 {
		match := func(schema, name string) bool {
			for _, p := range patterns {
				if ok, _ := path.Match(p, schema+"."+name); ok {
					return true
				}
			}
			return false
		}
		excludedTables := map[string]bool{}
		s.Tables = filter(s.Tables, func(t model.Table) bool {
			if match(t.Schema, t.Name) {
				excludedTables[model.Qualified(t.Schema, t.Name)] = true
				return false
			}
			return true
		})
		s.Indexes = filter(s.Indexes, func(x model.Index) bool { return !match(x.Schema, x.Name) && !excludedTables[x.Table] })
		s.Sequences = filter(s.Sequences, func(q model.Sequence) bool { return !match(q.Schema, q.Name) })
		s.Enums = filter(s.Enums, func(e model.Enum) bool { return !match(e.Schema, e.Name) })
		excludeTypes(s, match, excludedTables)
		excludeRoutines(s, match, excludedTables)
		s.Objects = filter(s.Objects, func(o model.Object) bool {
			name, _, _ := strings.Cut(o.Name, "(")
			name, _, _ = strings.Cut(name, " on ")
			return !excludedTables[o.Table] && !match(o.Schema, name)
		})
		s.Unsupported = filter(s.Unsupported, func(u model.Unsupported) bool {
			name, _, _ := strings.Cut(u.Name, "(")
			if on := strings.Index(u.Name, " on "); on >= 0 && (excludedTables[model.Qualified(u.Schema, u.Name[on+4:])]) {
				return false
			}
			return !match(u.Schema, name)
		})
	}
	sort.SliceStable(s.Unsupported, func(i, j int) bool {
		a, b := s.Unsupported[i], s.Unsupported[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		return a.Name < b.Name
	})
}

func filter[T any](in []T, keep func(T) bool) []T {
	out := in[:0]
	for _, v := range in {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}
