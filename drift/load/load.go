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

package load

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/schemactl/schema-controller/internal/connstr"
)

const (
	// DefaultStatementTimeout is the default Options.StatementTimeout.
	DefaultStatementTimeout = 30 * time.Second
	// DefaultPrefix is the default Options.Prefix.
	DefaultPrefix = "schemactl_scratch_"
	// DefaultTimeout is the default Options.Timeout.
	DefaultTimeout = 10 * time.Minute
	// DefaultMaxSize is the least default Options.MaxSize: 1 GiB.
	DefaultMaxSize = 1 << 30
	// MaxSizePerInputByte scales the default Options.MaxSize with the desired
	// schema: the scratch database may grow to this many bytes per byte of
	// executed SQL when that is more than DefaultMaxSize. PostgreSQL's
	// catalog and relation files take about 50 bytes per byte of ordinary
	// DDL (a 5 MiB folder of tables, indexes, views, functions and triggers
	// wrote 241 MB), so a legitimate 50 MiB folder needs about 2.4 GiB,
	// while a small repository still cannot write more than 1 GiB.
	MaxSizePerInputByte = 64
)

// clientGrace is how much longer than StatementTimeout the client waits for a
// statement before it gives up on the connection, in case the desired schema
// managed to lift the server-side timeout (a function with SET
// statement_timeout, say).
const clientGrace = 5 * time.Second

// Options configure Load and LoadStatements.
type Options struct {
	// AdminURL connects to the scratch server as a role that may CREATE ROLE and
	// CREATE DATABASE; creating extensions that are not trusted needs a
	// superuser. The caller chooses the server (by default the target's).
	// Required. Errors show it only through connstr.Redact.
	AdminURL string
	// StatementTimeout limits every statement of the desired schema: it is the
	// statement_timeout and lock_timeout of the scratch sessions. Default
	// DefaultStatementTimeout.
	StatementTimeout time.Duration
	// Prefix starts the names of scratch databases and roles: lowercase ASCII
	// letters, digits and underscores, starting with a letter, at most 32
	// characters. Default DefaultPrefix.
	Prefix string
	// Timeout bounds the whole load, from connecting to dropping the scratch
	// database; the scratch role's VALID UNTIL is its deadline. Default
	// DefaultTimeout.
	Timeout time.Duration
	// MaxSize caps, in bytes, the size of the scratch database: the load stops
	// with a *SizeError when it grows beyond (checked as the load goes, also
	// during a statement). With a superuser admin it is also the scratch
	// role's temp_file_limit. Default: DefaultMaxSize, or MaxSizePerInputByte
	// times the size of the executed statements when that is more.
	MaxSize int64
	// AllowedExtensions are extensions that the desired schema may create (or
	// update) although PostgreSQL does not mark them trusted. Every other
	// untrusted extension is refused, with its file:line, before anything
	// runs. The drift engine adds the extensions installed in the target.
	AllowedExtensions []string
	// TrustedStatements are statement kinds that need a superuser and that the
	// scratch server's admin may complete for the desired schema, each exactly
	// one catalog-named statement: TrustedLeakproof (CREATE/ALTER FUNCTION ...
	// LEAKPROOF runs NOT LEAKPROOF as the scratch role, then the admin runs
	// ALTER FUNCTION <identity> LEAKPROOF, which needs a superuser admin).
	// Without it such a statement is refused with its file:line before anything
	// runs, naming the opt-in.
	TrustedStatements []string
	// DropInBackground returns from the load as soon as the desired schema is
	// inspected, for a long-running process: the scratch role is locked out and
	// its sessions closed before the load returns, but the scratch database and
	// role are dropped by a goroutine, which holds the scratch name's advisory
	// lock until they are gone (WaitDrops waits for it). Dropping a database
	// makes PostgreSQL 15 write a checkpoint, seconds on a busy durable server.
	// A drop that fails is logged (logr from the load's context); a process that
	// exits before its drops finish leaves them to the leftover cleanup of the
	// next load, like a killed process. Off, the load returns after the drop and
	// returns its error.
	DropInBackground bool
	// Timings, when not nil, receives the duration of each step of the load.
	Timings *Timings
}

// validPrefix: lowercase letters, digits and underscores, starting with a
// letter, so that names need no quoting and cannot collide with other objects'
// case-folded names.
func validPrefix(p string) bool {
	if len(p) == 0 || len(p) > 32 || p[0] < 'a' || p[0] > 'z' {
		return false
	}
	for _, c := range []byte(p) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func (o Options) complete() (Options, error) {
	if o.AdminURL == "" {
		return o, errors.New("load options: AdminURL is required")
	}
	if o.StatementTimeout == 0 {
		o.StatementTimeout = DefaultStatementTimeout
	}
	if o.StatementTimeout < time.Millisecond {
		return o, fmt.Errorf("load options: StatementTimeout %s is not positive", o.StatementTimeout)
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if !validPrefix(o.Prefix) {
		return o, fmt.Errorf("load options: Prefix %q must be 1 to 32 lowercase letters, digits or underscores, starting with a letter", o.Prefix)
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Timeout < time.Second {
		return o, fmt.Errorf("load options: Timeout %s is shorter than a second", o.Timeout)
	}
	if o.MaxSize < 0 || o.MaxSize > 0 && o.MaxSize < 1<<20 {
		return o, fmt.Errorf("load options: MaxSize %d is smaller than 1 MiB", o.MaxSize)
	}
	if err := validTrusted(o.TrustedStatements); err != nil {
		return o, err
	}
	return o, nil
}

// defaultMaxSize is the scratch size cap for stmts when Options.MaxSize is
// not set: DefaultMaxSize, or MaxSizePerInputByte times the executed SQL
// when that is more.
func defaultMaxSize(stmts []Statement) int64 {
	var n int64
	for i := range stmts {
		if stmts[i].Class == Execute {
			n += int64(len(stmts[i].SQL))
		}
	}
	return max(DefaultMaxSize, n*MaxSizePerInputByte)
}

// Load parses dir with ParseDir, then loads its statements with LoadStatements.
// It returns the warnings of both, ordered by file and line. The scratch
// database is created while the files are parsed and classified.
func Load(ctx context.Context, dir string, opts Options, inspect func(ctx context.Context, conn *pgx.Conn) error) ([]Warning, error) {
	var (
		parsed []Warning
		order  map[string]int
	)
	w, err := load(ctx, func() ([]Statement, error) {
		start := time.Now()
		stmts, warnings, err := ParseDir(dir)
		opts.Timings.Since("parse files", start)
		parsed, order = warnings, fileOrder(stmts)
		return stmts, err
	}, opts, inspect)
	return mergeWarnings(order, parsed, w), err
}

// LoadStatements creates a fresh scratch database, executes the Execute
// statements of stmts in it as an unprivileged role, calls inspect (when not
// nil) with that role's session, reset to its default settings (the caller
// reads the catalogs into its model), and always drops the scratch database
// and role afterwards: also on errors, on a cancelled ctx and when inspect
// panics.
//
// Every statement is parsed and classified again; a statement is executed only
// when both its Class and the new classification say Execute. When any is
// Reject, LoadStatements returns a *RejectError and nothing of stmts runs
// anywhere (the scratch database, created meanwhile, is dropped). A statement
// PostgreSQL refuses ends the load with an *ExecError.
//
// The warnings are only those that arise while executing (privileges for roles
// the scratch server lacks, unknown settings, ...): the warnings of parsing are
// ParseDir's.
func LoadStatements(ctx context.Context, stmts []Statement, opts Options, inspect func(ctx context.Context, conn *pgx.Conn) error) ([]Warning, error) {
	return load(ctx, func() ([]Statement, error) { return stmts, nil }, opts, inspect)
}

// prepared is what preparing the scratch database left: the admin's session on
// the scratch server (holding the scratch name's lock when locked), the
// scratch database and role (created: may exist, even after an error) and the
// admin's session in it.
type prepared struct {
	admin     *pgx.Conn
	locked    bool
	sc        *scratch
	adminConn *pgx.Conn
	err       error
}

// prepare connects to the scratch server, takes the scratch name's lock and
// creates the scratch role and database, with the admin's session in it. It
// runs while the caller parses and classifies the desired SQL: nothing of that
// SQL is involved.
func prepare(ctx context.Context, adminCfg *pgx.ConnConfig, opts Options) (p prepared) {
	server := fmt.Sprintf("%s (scratch server)", connstr.Redact(opts.AdminURL))
	tm := opts.Timings
	start := time.Now()
	p.admin, p.err = connect(ctx, adminCfg, server)
	if p.err != nil {
		return p
	}
	if p.sc, p.err = newScratch(opts.Prefix, time.Now()); p.err != nil {
		return p
	}
	// The scratch name's lock comes before anything of the load exists (and
	// with the version, in one round trip).
	var version int
	if err := p.admin.QueryRow(ctx, "SELECT pg_catalog.current_setting('server_version_num')::int, pg_catalog.pg_try_advisory_lock($1)",
		lockKey(p.sc.name)).Scan(&version, &p.locked); err != nil {
		p.err = fmt.Errorf("querying %s: %w", server, err)
		return p
	}
	if !p.locked {
		p.err = fmt.Errorf("locking scratch name %s: the lock is taken", p.sc.name)
		return p
	}
	if version < 130000 {
		p.err = fmt.Errorf("%s runs PostgreSQL %d; the scratch server must run 13 or newer", server, version/10000)
		return p
	}
	tm.Since("scratch: connect, lock, checks", start)
	start = time.Now()
	if p.err = p.sc.create(ctx, p.admin, opts.Timeout); p.err != nil {
		return p
	}
	tm.Since("scratch: create role and database", start)
	start = time.Now()
	p.adminConn, p.err = connect(ctx, sessionConfig(adminCfg, adminCfg.User, adminCfg.Password, p.sc.name, opts.StatementTimeout), "scratch database "+p.sc.name+" as admin")
	tm.Since("scratch: sessions", start)
	return p
}

// load is LoadStatements with the statements from source, which runs while the
// scratch database is prepared.
func load(ctx context.Context, source func() ([]Statement, error), opts Options, inspect func(ctx context.Context, conn *pgx.Conn) error) (warnings []Warning, err error) {
	opts, err = opts.complete()
	if err != nil {
		return nil, err
	}
	adminCfg, err := connstr.Parse(opts.AdminURL)
	if err != nil {
		return nil, fmt.Errorf("scratch server: %w", err)
	}
	ctx, cancel := context.WithTimeoutCause(ctx, opts.Timeout, errLoadTimeout)
	defer cancel()
	defer func() {
		if err != nil && errors.Is(context.Cause(ctx), errLoadTimeout) {
			err = fmt.Errorf("%w (%s): %w", errLoadTimeout, opts.Timeout, err)
		}
	}()
	pctx, pcancel := context.WithCancel(ctx)
	defer pcancel()
	ready := make(chan prepared, 1)
	popts := opts
	go func() { ready <- prepare(pctx, adminCfg, popts) }()

	sp := &safeParser{}
	defer sp.close()
	plan, cerr := classifyAll(sp, source, &opts)
	if cerr != nil {
		// Nothing of the desired SQL has run; what prepare made is dropped.
		pcancel()
	}
	p := <-ready
	admin := p.admin
	// In the background mode, the goroutine that drops the scratch database
	// closes admin (its session holds the scratch name's lock) when done.
	background := false
	defer func() {
		if !background {
			closeConn(ctx, admin)
		}
	}()
	sc := p.sc
	l := &loader{opts: opts, plan: plan, parser: sp, adminConn: p.adminConn}
	tm := opts.Timings
	if p.locked {
		defer func() {
			// The role loses LOGIN while its one session still holds the only
			// connection slot; then the sessions close and everything is dropped.
			if l.role != nil {
				sc.lockOut(ctx, admin)
			}
			closeConn(ctx, l.role)
			closeConn(ctx, l.adminConn)
			cleanup := func() error {
				dropStart := time.Now()
				derr := sc.drop(ctx, admin, adminCfg)
				// Housekeeping, after this load's work and with the cleanup's own
				// time: the leftovers of loads that are gone (their lock is free)
				// are dropped at once. Failures are not this load's.
				sc.dropLeftovers(ctx, admin, adminCfg)
				tm.Since("drop scratch", dropStart)
				return derr
			}
			if !opts.DropInBackground {
				if derr := cleanup(); derr != nil {
					err = errors.Join(err, derr)
				}
				return
			}
			background = true
			drops.Add(1)
			go func() {
				defer drops.Done()
				// The scratch name's lock goes with this session, after the drop.
				defer closeConn(ctx, admin)
				if derr := cleanup(); derr != nil {
					logr.FromContextOrDiscard(ctx).Error(derr, "scratch database left for the next load's cleanup", "name", sc.name)
				}
			}()
		}()
	}
	if cerr != nil {
		return nil, cerr
	}
	if p.err != nil {
		return nil, p.err
	}
	start := time.Now()
	if err := checkExtensions(ctx, admin, plan, opts.AllowedExtensions); err != nil {
		return nil, err
	}
	if err := sc.limitTempFiles(ctx, admin, opts.MaxSize); err != nil {
		return nil, err
	}
	if err := l.preparePublic(ctx, sc); err != nil {
		return nil, err
	}
	roleCfg := sessionConfig(adminCfg, sc.name, sc.password, sc.name, opts.StatementTimeout)
	// Warnings the server raises, and notices raised by code of the desired
	// schema (RAISE NOTICE in a DO block that swallowed an error, say), are
	// reported with the statement that caused them.
	roleCfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		severity := n.SeverityUnlocalized // not translated by lc_messages
		if severity == "" {
			severity = n.Severity
		}
		if l.current != nil && (severity == "WARNING" || strings.Contains(n.Where, " at RAISE")) {
			l.warn(l.current, "PostgreSQL "+strings.ToLower(severity)+": "+n.Message)
		}
	}
	// The only session of the role (CONNECTION LIMIT 1): statements and
	// inspection both use it.
	l.role, err = connect(ctx, roleCfg, "scratch database "+sc.name+" as its role")
	if err != nil {
		return nil, err
	}
	tm.Since("scratch: extensions, role session", start)
	start = time.Now()
	watch := watchSize(ctx, admin, sc.name, opts.MaxSize, []uint32{l.role.PgConn().PID(), l.adminConn.PgConn().PID()})
	runErr := l.run(ctx)
	tm.Since("load statements", start)
	start = time.Now()
	serr := watch.finish(ctx, admin, sc.name)
	tm.Since("size check", start)
	if serr != nil {
		var se *SizeError
		if errors.As(serr, &se) {
			var ee *ExecError
			if errors.As(runErr, &ee) {
				se.At = fmt.Sprintf("%s:%d", ee.File, ee.Line)
			}
		}
		return l.warnings, serr
	}
	if runErr != nil {
		return l.warnings, runErr
	}
	if inspect != nil {
		// The plan (and through it the statements and the files' text) is
		// not needed any more: inspect's model of a large schema can use
		// that memory.
		l.plan, l.current = nil, nil
		start = time.Now()
		if err := inspect(ctx, l.role); err != nil {
			return l.warnings, fmt.Errorf("inspecting scratch database: %w", err)
		}
		tm.Since("inspect scratch", start)
	}
	return l.warnings, nil
}

// classifyAll reads the statements from source, parses and classifies each
// again, and sets opts.MaxSize when not set. It returns a *RejectError when
// any statement is refused.
func classifyAll(sp *safeParser, source func() ([]Statement, error), opts *Options) ([]planned, error) {
	stmts, err := source()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	plan, err := planStatements(sp, stmts)
	if err != nil {
		return nil, err
	}
	if opts.MaxSize == 0 {
		opts.MaxSize = defaultMaxSize(stmts)
	}
	if err := trust(sp, plan, opts.TrustedStatements); err != nil {
		return nil, err
	}
	opts.Timings.Since("classify", start)
	return plan, nil
}

// drops counts the scratch databases being dropped in the background.
var drops sync.WaitGroup

// WaitDrops waits until the scratch databases of loads with
// Options.DropInBackground are dropped, or ctx is done.
func WaitDrops(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		drops.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errLoadTimeout is the cause of a load that ran out of Options.Timeout.
var errLoadTimeout = errors.New("the load of the desired schema took longer than its timeout")

// planned is a statement to execute.
type planned struct {
	*Statement // of the caller's slice: not copied
	// v is shared by every statement with the same plain verdict (see
	// verdicts): a 50 MiB folder plans about 280,000 statements.
	v *verdict
	// exec is the text sent to the server: the statement's own text, or
	// pg_query's deparsing of it for admin and rewritten statements.
	exec string
	// leakproof: a trusted LEAKPROOF declaration, run NOT LEAKPROOF as the
	// role; the admin marks the function LEAKPROOF afterwards (trust).
	leakproof bool
}

// planStatements classifies every statement again and keeps those to execute,
// or returns a *RejectError listing all rejected ones.
func planStatements(sp *safeParser, stmts []Statement) ([]planned, error) {
	var (
		plan     []planned
		rejected []Statement
	)
	plan = make([]planned, 0, len(stmts))
	var shared verdicts
	for i := range stmts {
		s := &stmts[i]
		tree, tokens, err := parseOne(sp, s.SQL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Position(), err)
		}
		v := classify(tree.Stmts[0].Stmt)
		switch {
		case v.class == Reject || s.Class == Reject:
			r := *s
			if v.class == Reject && r.Class != Reject {
				r.Class, r.Reason = Reject, v.reason
			}
			rejected = append(rejected, r)
			continue
		case v.class == Skip || s.Class == Skip:
			continue
		}
		p := planned{Statement: s, v: shared.of(v), exec: s.SQL}
		if v.admin || v.rewrite {
			if p.exec, err = deparse(sp, tree, tokens, v); err != nil {
				return nil, fmt.Errorf("%s: %w", s.Position(), err)
			}
		}
		plan = append(plan, p)
	}
	if len(rejected) > 0 {
		return nil, &RejectError{Statements: rejected}
	}
	return plan, nil
}

// verdicts interns the verdicts of planned statements: most statements get one
// of a handful of plain verdicts (no reason, warning, setting, roles or
// extension), which are stored once instead of once per statement.
type verdicts map[plainVerdict]*verdict

// plainVerdict is the comparable part of a verdict.
type plainVerdict struct {
	class                                 Class
	kind                                  execKind
	copyIn, admin, rewrite, createsPublic bool
}

func (m *verdicts) of(v verdict) *verdict {
	if v.reason != "" || v.warning != "" || v.setting != "" || v.roles != nil || v.ext != nil {
		return &v
	}
	k := plainVerdict{class: v.class, kind: v.kind, copyIn: v.copyIn, admin: v.admin, rewrite: v.rewrite, createsPublic: v.createsPublic}
	if p, ok := (*m)[k]; ok {
		return p
	}
	if *m == nil {
		*m = verdicts{}
	}
	(*m)[k] = &v
	return &v
}

// parseOne parses a text that must hold exactly one statement, and returns the
// tree and the bound on its depth that sp needs to deparse it.
func parseOne(sp *safeParser, sql string) (*pg_query.ParseResult, int, error) {
	tree, tokens, err := sp.parseSQL(sql)
	if errors.Is(err, errTooDeepErr) {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("parsing statement: %w", err)
	}
	if len(tree.Stmts) != 1 {
		return nil, 0, fmt.Errorf("not a single statement (%d statements)", len(tree.Stmts))
	}
	return tree, tokens, nil
}

// deparseTree renders a one-statement tree as SQL.
func deparseTree(sp *safeParser, tree *pg_query.ParseResult, tokens int) (string, error) {
	sql, err := sp.deparse(tree, tokens)
	if errors.Is(err, errTooDeepErr) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("deparsing statement: %w", err)
	}
	return sql, nil
}

// deparse renders node (rewritten if v says so) as the text to execute, and
// checks that this text parses back into a statement of the same verdict.
// Statements that run as the admin are never sent as the desired schema wrote
// them: what the admin executes is exactly the tree that was classified.
func deparse(sp *safeParser, tree *pg_query.ParseResult, tokens int, v verdict) (string, error) {
	node := tree.Stmts[0].Stmt
	if v.rewrite {
		rewriteStatement(node)
	}
	sql, err := deparseTree(sp, tree, tokens)
	if err != nil {
		return "", err
	}
	backTree, _, err := parseOne(sp, sql)
	if err != nil {
		return "", fmt.Errorf("deparsed statement: %w", err)
	}
	back := backTree.Stmts[0].Stmt
	if bv := classify(back); bv.class != Execute || bv.admin != v.admin || bv.rewrite || nodeName(back) != nodeName(node) || !sameExtensionUse(bv.ext, v.ext) {
		return "", fmt.Errorf("deparsed statement changed meaning: %s", sql)
	}
	return sql, nil
}

// loader executes a plan in a scratch database.
type loader struct {
	opts      Options
	plan      []planned
	role      *pgx.Conn // the scratch role's session
	adminConn *pgx.Conn // the admin's session in the scratch database
	warnings  []Warning
	parser    *safeParser
	// current is the statement the role's session runs, for its notices.
	current *planned
}

// preparePublic makes the public schema of the scratch database usable by the
// role. From PostgreSQL 15 on it belongs to pg_database_owner, which the role
// is as the database owner, and stays as is so the loaded schema resembles a
// fresh database; before 15 it belongs to the bootstrap superuser and is handed
// to the role. When the desired schema creates public itself (pg_dump does
// when the source's public was recreated), the empty one is dropped first.
func (l *loader) preparePublic(ctx context.Context, sc *scratch) error {
	for _, p := range l.plan {
		if p.v.createsPublic {
			if _, err := l.adminConn.Exec(ctx, "DROP SCHEMA IF EXISTS public"); err != nil {
				return fmt.Errorf("preparing scratch database: %w", err)
			}
			return nil
		}
	}
	var owner string
	err := l.adminConn.QueryRow(ctx, "SELECT nspowner::regrole::text FROM pg_catalog.pg_namespace WHERE nspname = 'public'").Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) || owner == "pg_database_owner" {
		return nil
	}
	if err == nil {
		_, err = l.adminConn.Exec(ctx, "ALTER SCHEMA public OWNER TO "+sc.ident())
	}
	if err != nil {
		return fmt.Errorf("preparing scratch database: %w", err)
	}
	return nil
}

// pipelineWindow bounds how many statements, and bytes of them, the loader
// sends ahead of their results.
const (
	pipelineWindow      = 100
	pipelineWindowBytes = 1 << 20
)

// pipelined is a statement sent in a pipeline: a planned statement, or the
// session reset between files (p nil).
type pipelined struct {
	p   *planned
	sql string
	// reset: the error of a RESET ALL names the file it prepares (next, when
	// not nil).
	next *planned
}

func (l *loader) run(ctx context.Context) error {
	file := ""
	var (
		batch []pipelined
		bytes int
	)
	flush := func() error {
		err := l.execPipeline(ctx, batch)
		batch, bytes = batch[:0], 0
		return err
	}
	for i := range l.plan {
		p := &l.plan[i]
		if p.File != file && file != "" {
			// Each file starts with the session's defaults (search_path,
			// client_min_messages...), whatever the previous one set: pg_dump
			// output empties search_path, a hand-written file after it would
			// not expect that. RESET ALL goes back to the connection's startup
			// values, which include the timeouts.
			batch = append(batch, pipelined{sql: "RESET ALL", next: p})
		}
		file = p.File
		if pipelinable(p) {
			batch = append(batch, pipelined{p: p, sql: p.exec})
			if bytes += len(p.exec); len(batch) >= pipelineWindow || bytes >= pipelineWindowBytes {
				if err := flush(); err != nil {
					return err
				}
			}
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		if err := l.execute(ctx, p); err != nil {
			return err
		}
	}
	batch = append(batch, pipelined{sql: "RESET ALL"})
	return flush()
}

// pipelinable statements run on the role's session and need nothing between
// them and the next statement: no admin statement (which reads the role's
// search_path first), no LEAKPROOF to complete, no failure the loader
// tolerates and answers (settings, grants, comments on extensions).
func pipelinable(p *planned) bool {
	return !p.v.admin && !p.leakproof && p.v.kind == kindPlain
}

// errAbandoned is the cause of a pipeline given up on by the client: a
// statement still ran clientGrace after its timeout.
var errAbandoned = errors.New("statement still running after its timeout")

// execPipeline runs statements on the role's session in one pipeline: the
// server runs them in order, and the round trips are saved. They are sent
// first as one implicit transaction (a single Sync), which spares a commit per
// statement. Should that transaction fail, nothing of it is left, and the
// statements are sent again each in its own transaction (a Sync after each),
// as exec would run them one after the other: a statement that needs its own
// transaction (CREATE INDEX CONCURRENTLY, an enum value added and then used)
// then succeeds, and a statement that fails is named exactly as alone, with
// its file:line. The first failure ends the load like exec's; in the second
// form the statements already sent after it still run (they were classified
// like the rest) and their results are read and dropped, so at most a window
// of them. A statement canceled by its timeout is not run twice. The client
// gives up shortly after StatementTimeout without a result, like exec.
func (l *loader) execPipeline(ctx context.Context, items []pipelined) error {
	if len(items) == 0 {
		return nil
	}
	if len(items) > 1 {
		warnings := len(l.warnings)
		at, err := l.sendPipeline(ctx, items, true)
		var pgErr *pgconn.PgError
		// Not again: a statement canceled (its timeout, the size watch), or a
		// session the server ended.
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code == "57014" || l.role.IsClosed() { // query_canceled
			return l.pipelineError(items, at, err)
		}
		// Rolled back: its notices are raised again, or not, by the second run.
		l.warnings = l.warnings[:warnings]
	}
	at, err := l.sendPipeline(ctx, items, false)
	return l.pipelineError(items, at, err)
}

// sendPipeline sends items in one pipeline, in one implicit transaction
// (atomic) or each in its own, and reads their results. It returns the first
// error and the index of the item it belongs to.
func (l *loader) sendPipeline(ctx context.Context, items []pipelined, atomic bool) (int, error) {
	limit := l.opts.StatementTimeout + clientGrace
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := time.AfterFunc(limit, func() { cancel(errAbandoned) })
	defer watchdog.Stop()
	pl := l.role.PgConn().StartPipeline(pctx)
	for _, it := range items {
		pl.SendQueryParams(it.sql, nil, nil, nil, nil)
		if !atomic {
			pl.SendPipelineSync()
		}
	}
	if atomic {
		pl.SendPipelineSync()
	}
	err := pl.Flush()
	at := 0
	for ; err == nil && at < len(items); at++ {
		watchdog.Reset(limit)
		l.current = items[at].p
		if atomic {
			err = statementResult(pl)
		} else {
			err = pipelineResult(pl)
		}
		l.current = nil
		if err != nil {
			if atomic {
				// The server skipped to the Sync.
				_, _ = pl.GetResults()
			}
			break
		}
	}
	if err == nil && atomic {
		// The commit: what fails there belongs to no one statement.
		watchdog.Reset(limit)
		err = syncResult(pl)
	}
	cerr := pl.Close()
	if err == nil {
		err, at = cerr, len(items)-1
	}
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(pctx), errAbandoned) {
		err = fmt.Errorf("statement still running %s after its timeout; connection abandoned: %w", clientGrace, err)
	}
	return min(at, len(items)-1), err
}

// pipelineError names the statement of items at whose failure is err (nil:
// none).
func (l *loader) pipelineError(items []pipelined, at int, err error) error {
	if err == nil {
		return nil
	}
	it := items[at]
	var pgErr *pgconn.PgError
	switch {
	case it.p == nil && it.next != nil:
		return fmt.Errorf("%s: resetting session before %s: %w", it.next.Position(), it.next.File, err)
	case it.p == nil:
		return fmt.Errorf("resetting session: %w", err)
	case errors.As(err, &pgErr):
		return newExecError(it.p, pgErr)
	}
	return fmt.Errorf("%s: executing statement: %w", it.p.Position(), err)
}

// statementResult reads the result of one statement sent without its own
// Sync.
func statementResult(pl *pgconn.Pipeline) error {
	res, err := pl.GetResults()
	if err != nil {
		return err
	}
	rr, ok := res.(*pgconn.ResultReader)
	if !ok {
		return fmt.Errorf("pipeline: unexpected result %T", res)
	}
	_, err = rr.Close()
	return err
}

// syncResult reads the result of a Sync.
func syncResult(pl *pgconn.Pipeline) error {
	res, err := pl.GetResults()
	if err != nil {
		return err
	}
	if _, ok := res.(*pgconn.PipelineSync); !ok {
		return fmt.Errorf("pipeline: unexpected result %T instead of its sync", res)
	}
	return nil
}

// pipelineResult reads the result of one statement sent with its Sync.
func pipelineResult(pl *pgconn.Pipeline) error {
	if err := statementResult(pl); err != nil {
		// The server skipped to the Sync: read it, the statement's error wins.
		_, _ = pl.GetResults()
		return err
	}
	return syncResult(pl)
}

// execute runs one planned statement and turns its failure into an *ExecError
// or, for the cases the package tolerates, into warnings.
func (l *loader) execute(ctx context.Context, p *planned) error {
	conn := l.role
	if p.v.admin {
		// CREATE EXTENSION without SCHEMA uses the first schema of search_path:
		// give the admin session the one the desired schema set so far.
		var path string
		// Qualified: the desired schema may have put its own functions on the
		// search_path of this session.
		if err := l.role.QueryRow(ctx, "SELECT pg_catalog.current_setting('search_path')").Scan(&path); err != nil {
			return fmt.Errorf("%s: reading search_path: %w", p.Position(), err)
		}
		if _, err := l.adminConn.Exec(ctx, "SELECT pg_catalog.set_config('search_path', $1, false)", path); err != nil {
			return fmt.Errorf("%s: setting search_path: %w", p.Position(), err)
		}
		conn = l.adminConn
	}
	l.current = p
	err := l.exec(ctx, conn, p.exec)
	l.current = nil
	var pgErr *pgconn.PgError
	if err == nil || !errors.As(err, &pgErr) {
		if err != nil {
			return fmt.Errorf("%s: executing statement: %w", p.Position(), err)
		}
		if p.leakproof {
			return l.markLeakproof(ctx, p)
		}
		return nil
	}
	if pgErr.Code == "42501" && p.v.kind == kindExtensionComment { // insufficient_privilege
		l.warn(p, fmt.Sprintf("comment on extension not loaded: %s", pgErr.Message))
		return nil
	}
	if pgErr.Code == "42704" { // undefined_object
		switch p.v.kind {
		case kindSetting:
			l.warn(p, fmt.Sprintf("setting %q not loaded: %s on the scratch server", p.v.setting, pgErr.Message))
			return nil
		case kindPrivilege:
			if handled, herr := l.grantWithoutMissingRoles(ctx, p); handled || herr != nil {
				return herr
			}
		}
	}
	return newExecError(p, pgErr)
}

// grantWithoutMissingRoles handles a GRANT or REVOKE that failed because a
// grantee does not exist on the scratch server: it warns about each missing
// role and executes the statement again without them, if any grantee is left.
func (l *loader) grantWithoutMissingRoles(ctx context.Context, p *planned) (bool, error) {
	if len(p.v.roles) == 0 {
		return false, nil
	}
	rows, err := l.role.Query(ctx, `SELECT r FROM pg_catalog.unnest($1::pg_catalog.text[]) AS r
		WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname::pg_catalog.text OPERATOR(pg_catalog.=) r)`, p.v.roles)
	if err != nil {
		return false, fmt.Errorf("%s: looking up roles: %w", p.Position(), err)
	}
	missing, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return false, fmt.Errorf("%s: looking up roles: %w", p.Position(), err)
	}
	if len(missing) == 0 {
		return false, nil
	}
	for _, r := range missing {
		l.warn(p, fmt.Sprintf("privileges for role %q not loaded: role does not exist on the scratch server", r))
	}
	tree, tokens, err := parseOne(l.parser, p.SQL)
	if err != nil {
		return true, fmt.Errorf("%s: %w", p.Position(), err)
	}
	node := tree.Stmts[0].Stmt
	g := node.GetGrantStmt()
	if g == nil {
		g = node.GetAlterDefaultPrivilegesStmt().GetAction()
	}
	if g == nil {
		return true, nil
	}
	g.Grantees = slices.DeleteFunc(g.Grantees, func(n *pg_query.Node) bool {
		r := n.GetRoleSpec()
		return r != nil && r.Roletype == pg_query.RoleSpecType_ROLESPEC_CSTRING && slices.Contains(missing, r.Rolename)
	})
	if len(g.Grantees) == 0 {
		return true, nil
	}
	sql, err := deparseTree(l.parser, tree, tokens)
	if err != nil {
		return true, fmt.Errorf("%s: %w", p.Position(), err)
	}
	if err := l.exec(ctx, l.role, sql); err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			// The position refers to the deparsed text: report the statement's.
			pgErr.Position = 0
			return true, newExecError(p, pgErr)
		}
		return true, fmt.Errorf("%s: executing statement: %w", p.Position(), err)
	}
	return true, nil
}

func (l *loader) warn(p *planned, msg string) {
	l.warnings = append(l.warnings, Warning{File: p.File, Line: p.Line, Message: msg})
}

// exec runs one statement with the extended protocol, which makes the server
// refuse a text holding more than one statement: what runs is what was
// classified, even if the server's scanner disagreed with pg_query's. The
// client gives up shortly after StatementTimeout, should the server's timeout
// have been lifted.
func (l *loader) exec(ctx context.Context, conn *pgx.Conn, sql string) error {
	if adminStatementHook != nil && conn == l.adminConn {
		adminStatementHook(sql)
	}
	sctx, cancel := context.WithTimeout(ctx, l.opts.StatementTimeout+clientGrace)
	defer cancel()
	_, err := conn.PgConn().ExecParams(sctx, sql, nil, nil, nil, nil).Close()
	if err != nil && ctx.Err() == nil && sctx.Err() != nil {
		return fmt.Errorf("statement still running %s after its timeout; connection abandoned: %w", clientGrace, err)
	}
	return err
}

func newExecError(p *planned, pgErr *pgconn.PgError) *ExecError {
	line, col := p.Line, p.Col
	if pgErr.Position > 0 && p.exec == p.SQL {
		line, col = positionIn(*p.Statement, int(pgErr.Position))
	}
	return &ExecError{
		File: p.File, Line: line, Col: col,
		Message: pgErr.Message, Code: pgErr.Code, Detail: pgErr.Detail, Hint: pgErr.Hint,
		err: pgErr,
	}
}

// positionIn returns the file position of the pos-th (1-based) character of
// the statement's text, as PostgreSQL counts positions in a UTF-8 database.
func positionIn(s Statement, pos int) (line, col int) {
	line, col = s.Line, s.Col
	n := 0
	for _, r := range s.SQL {
		n++
		if n == pos {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// sessionConfig derives the configuration of a session in the scratch database
// from the admin's: same hosts and TLS, another user and database, and only our
// own run-time parameters (not those of the admin URL). synchronous_commit is
// off because nothing in a scratch database needs to survive a crash, and
// every statement commits on its own.
func sessionConfig(admin *pgx.ConnConfig, user, password, database string, timeout time.Duration) *pgx.ConnConfig {
	c := admin.Copy()
	c.User, c.Password, c.Database = user, password, database
	ms := strconv.FormatInt(timeout.Milliseconds(), 10)
	c.RuntimeParams = map[string]string{
		"application_name":   "schemactl-load",
		"statement_timeout":  ms,
		"lock_timeout":       ms,
		"synchronous_commit": "off",
	}
	return c
}

// connect opens a connection; its errors name what without a password.
func connect(ctx context.Context, cfg *pgx.ConnConfig, what string) (*pgx.Conn, error) {
	return connstr.Connect(ctx, cfg, what)
}

func closeConn(ctx context.Context, conn *pgx.Conn) {
	if conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}

// fileOrder gives each file of stmts its place in load order.
func fileOrder(stmts []Statement) map[string]int {
	order := map[string]int{}
	for _, s := range stmts {
		if _, ok := order[s.File]; !ok {
			order[s.File] = len(order)
		}
	}
	return order
}

// mergeWarnings orders the warnings of parsing and of loading by file (in load
// order, as fileOrder gives it) and line.
func mergeWarnings(order map[string]int, parsed, loaded []Warning) []Warning {
	if len(loaded) == 0 {
		return parsed
	}
	all := append(append([]Warning(nil), parsed...), loaded...)
	sort.SliceStable(all, func(i, j int) bool {
		fi, fj := order[all[i].File], order[all[j].File]
		if fi != fj {
			return fi < fj
		}
		return all[i].Line < all[j].Line
	})
	return all
}
