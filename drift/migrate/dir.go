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

// Package migrate reads folders of versioned migrations as golang-migrate, Flyway,
// dbmate and Atlas write them, tells which are applied, pending, changed or
// missing against a database's history (schemactl.migrations, and the history
// tables of those tools, so that a database they migrated is adopted), analyses
// each statement with PostgreSQL's parser (statements that cannot run in a
// transaction, destructive statements, the objects a migration touches) and
// executes pending migrations. Down migrations are read, never run.
//
// The package knows nothing of plans, models or Kubernetes: package drift takes
// the lock, gates destructive migrations and compares the replayed migrations
// with the live database.
package migrate

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/schemactl/schema-controller/drift/load"
)

// Layout is the naming convention of a migration folder.
type Layout string

// The layouts Read understands.
const (
	// Auto detects the layout from the files (see Detect).
	Auto Layout = "auto"
	// GolangMigrate is golang-migrate's: N_name.up.sql and N_name.down.sql.
	GolangMigrate Layout = "golang-migrate"
	// Flyway is Flyway's: V<version>__name.sql, repeatable R__name.sql (and undo
	// U<version>__name.sql, never run).
	Flyway Layout = "flyway"
	// Dbmate is dbmate's: <version>_name.sql with "-- migrate:up" and
	// "-- migrate:down" sections.
	Dbmate Layout = "dbmate"
	// Atlas is Atlas's: <version>_name.sql with an atlas.sum integrity file.
	Atlas Layout = "atlas"
)

// Layouts are the layouts a user may name, Auto first.
var Layouts = []Layout{Auto, GolangMigrate, Flyway, Dbmate, Atlas}

// NoTransactionMarker is the comment line that makes a migration run without a
// transaction, statement by statement, whatever it holds.
const NoTransactionMarker = "-- schemactl:no-transaction"

// Migration is one up migration of a folder.
type Migration struct {
	// Version orders the migration; empty for a repeatable (Flyway R__) one.
	Version string
	// Name is the description the file name carries.
	Name string
	// File is the path of the file relative to the folder.
	File string
	// Repeatable is a Flyway R__ migration: run after the versioned ones whenever
	// its checksum changes.
	Repeatable bool
	// Checksum is "sha256:<hex>" of the up SQL (for dbmate the up section).
	Checksum string
	// FlywayChecksum is the checksum Flyway records for the file (CRC32 of its
	// lines), to tell an edited file of a database Flyway migrated.
	FlywayChecksum int32
	// AtlasHash is the file's hash of atlas.sum (chained over the files before
	// it), as Atlas records it in atlas_schema_revisions.hash; Atlas layout only.
	AtlasHash string
	// SQL is the up SQL; for dbmate the file with every line outside the up
	// section blanked, so that lines keep their numbers.
	SQL string
	// Statements are the statements of the up SQL, as the loader splits and
	// classifies them, with their file:line.
	Statements []load.Statement
	// NoTransaction is set when the migration must run outside a transaction;
	// NoTransactionReason says why (a statement's file:line, or a marker).
	NoTransaction       bool
	NoTransactionReason string
	// Analysis is what the parser found in the statements (see Analyze).
	Analysis Analysis
}

// Label is "version_name (file)" for messages.
func (m *Migration) Label() string {
	if m.Repeatable {
		return m.File
	}
	return m.Version + " (" + m.File + ")"
}

// Dir is a folder of migrations.
type Dir struct {
	// Path is the folder on disk.
	Path string
	// Layout is the layout the folder was read with (never Auto).
	Layout Layout
	// Migrations are the up migrations: versioned ones in version order, then the
	// repeatable ones by file name.
	Migrations []*Migration
	// Down are the down migration files found; they are never run.
	Down []string
}

// FileError is a problem of a migration folder at file:line.
type FileError struct {
	File    string
	Line    int
	Message string
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Message)
}

var (
	reGolangMigrate = regexp.MustCompile(`^([0-9]+)_(.*)\.(up|down)\.sql$`)
	reFlywayV       = regexp.MustCompile(`^([VU])([0-9]+(?:[._][0-9]+)*)__(.+)\.sql$`)
	reFlywayR       = regexp.MustCompile(`^R__(.+)\.sql$`)
	reDbmate        = regexp.MustCompile(`^([0-9]+)(?:_(.*))?\.sql$`)
	reAtlas         = regexp.MustCompile(`^([0-9]+)(?:_(.*))?\.sql$`)
	reDbmateSection = regexp.MustCompile(`^--\s*migrate:(up|down)\b(.*)$`)
)

// AtlasSum is the name of Atlas's integrity file.
const AtlasSum = "atlas.sum"

// listFiles returns the regular files of the folder (not its sub-folders: every
// tool reads one flat folder), sorted, without hidden files.
func listFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading migration folder: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

// Detect tells the layout of a folder from its files: an atlas.sum is Atlas's;
// *.up.sql files are golang-migrate's; V<version>__ or R__ files Flyway's; a file
// with a "-- migrate:up" line dbmate's.
func Detect(dir string) (Layout, error) {
	names, err := listFiles(dir)
	if err != nil {
		return "", err
	}
	var up, flyway, sqls int
	for _, n := range names {
		switch {
		case n == AtlasSum:
			return Atlas, nil
		case reGolangMigrate.MatchString(n):
			up++
		case reFlywayV.MatchString(n) || reFlywayR.MatchString(n):
			flyway++
		}
		if strings.HasSuffix(n, ".sql") {
			sqls++
		}
	}
	switch {
	case up > 0 && flyway == 0:
		return GolangMigrate, nil
	case flyway > 0 && up == 0:
		return Flyway, nil
	}
	for _, n := range names {
		if !reDbmate.MatchString(n) {
			continue
		}
		b, err := os.ReadFile(path.Join(dir, n)) //nolint:gosec // G304: a file of the migration folder the user named
		if err != nil {
			return "", err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if reDbmateSection.MatchString(strings.TrimSpace(l)) {
				return Dbmate, nil
			}
		}
	}
	if sqls == 0 {
		return "", fmt.Errorf("%s: no migration files (.sql)", dir)
	}
	return "", fmt.Errorf("%s: cannot tell the migration layout (golang-migrate N_name.up.sql, Flyway V1__name.sql, dbmate -- migrate:up sections, Atlas atlas.sum); name it", dir)
}

// ParseLayout checks a layout name; empty means Auto.
func ParseLayout(s string) (Layout, error) {
	if s == "" {
		return Auto, nil
	}
	for _, l := range Layouts {
		if strings.EqualFold(s, string(l)) {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown migration layout %q (one of auto, golang-migrate, flyway, dbmate, atlas)", s)
}

// Read reads the migration folder dir in layout (Auto detects it), parses every
// up migration with PostgreSQL's parser and analyses its statements. Every
// problem is reported, each at its file:line: a malformed name, a duplicate
// version, an unparsable statement, a statement reaching beyond the database, a
// tampered atlas.sum.
func Read(dir string, layout Layout) (*Dir, error) {
	if layout == "" || layout == Auto {
		l, err := Detect(dir)
		if err != nil {
			return nil, err
		}
		layout = l
	}
	names, err := listFiles(dir)
	if err != nil {
		return nil, err
	}
	d := &Dir{Path: dir, Layout: layout}
	var errs []error
	versions := map[string]string{}
	p := &load.Parser{}
	defer p.Close()
	for _, n := range names {
		m, down, err := readFile(dir, n, layout)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if down {
			d.Down = append(d.Down, n)
			continue
		}
		if m == nil {
			continue
		}
		if !m.Repeatable {
			key := canonicalVersion(m.Version)
			if other, ok := versions[key]; ok {
				errs = append(errs, &FileError{File: n, Message: fmt.Sprintf("duplicate version %s (also %s)", m.Version, other)})
				continue
			}
			versions[key] = n
		}
		if err := m.parse(p); err != nil {
			errs = append(errs, err)
			continue
		}
		d.Migrations = append(d.Migrations, m)
	}
	if layout == Atlas {
		hashes, err := verifyAtlasSum(dir, names)
		if err != nil {
			errs = append(errs, err)
		}
		for _, m := range d.Migrations {
			m.AtlasHash = hashes[m.File]
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.SliceStable(d.Migrations, func(i, j int) bool {
		a, b := d.Migrations[i], d.Migrations[j]
		if a.Repeatable != b.Repeatable {
			return !a.Repeatable
		}
		if a.Repeatable {
			return a.File < b.File
		}
		return CompareVersions(a.Version, b.Version) < 0
	})
	return d, nil
}

// readFile reads one file of the folder: the migration, or down=true for a down
// migration, or nil for a file the layout does not read (atlas.sum, a README).
func readFile(dir, name string, layout Layout) (m *Migration, down bool, err error) {
	if !strings.HasSuffix(name, ".sql") {
		return nil, false, nil
	}
	m = &Migration{File: name}
	switch layout {
	case GolangMigrate:
		g := reGolangMigrate.FindStringSubmatch(name)
		if g == nil {
			return nil, false, &FileError{File: name, Message: "malformed golang-migrate name: want <version>_<name>.up.sql or .down.sql, e.g. 1_create_users.up.sql"}
		}
		if g[3] == "down" {
			return nil, true, nil
		}
		m.Version, m.Name = trimZeros(g[1]), g[2]
	case Flyway:
		if g := reFlywayR.FindStringSubmatch(name); g != nil {
			m.Repeatable, m.Name = true, strings.ReplaceAll(g[1], "_", " ")
			break
		}
		g := reFlywayV.FindStringSubmatch(name)
		if g == nil {
			return nil, false, &FileError{File: name, Message: "malformed Flyway name: want V<version>__<description>.sql (e.g. V1.2__add_users.sql) or R__<description>.sql"}
		}
		if g[1] == "U" {
			return nil, true, nil
		}
		m.Version, m.Name = strings.ReplaceAll(g[2], "_", "."), strings.ReplaceAll(g[3], "_", " ")
	case Dbmate:
		g := reDbmate.FindStringSubmatch(name)
		if g == nil {
			return nil, false, &FileError{File: name, Message: "malformed dbmate name: want <version>_<name>.sql, e.g. 20240101120000_create_users.sql"}
		}
		m.Version, m.Name = g[1], g[2]
	case Atlas:
		g := reAtlas.FindStringSubmatch(name)
		if g == nil {
			return nil, false, &FileError{File: name, Message: "malformed Atlas name: want <version>_<name>.sql, e.g. 20240101120000_create_users.sql"}
		}
		m.Version, m.Name = g[1], g[2]
	default:
		return nil, false, fmt.Errorf("unknown migration layout %q", layout)
	}
	b, err := os.ReadFile(path.Join(dir, name)) //nolint:gosec // G304: a file of the migration folder the user named
	if err != nil {
		return nil, false, err
	}
	text := string(b)
	if !utf8.ValidString(text) {
		return nil, false, &FileError{File: name, Message: "not valid UTF-8"}
	}
	m.FlywayChecksum = FlywayChecksum(b)
	up := text
	switch layout {
	case Dbmate:
		if up, err = dbmateUp(name, text, m); err != nil {
			return nil, false, err
		}
	case Atlas:
		if hasLine(text, "-- atlas:txmode none") {
			m.NoTransaction, m.NoTransactionReason = true, name+": -- atlas:txmode none"
		}
	}
	if hasLine(text, NoTransactionMarker) {
		m.NoTransaction, m.NoTransactionReason = true, name+": "+NoTransactionMarker
	}
	m.SQL = up
	sum := sha256.Sum256([]byte(up))
	m.Checksum = "sha256:" + hex.EncodeToString(sum[:])
	return m, false, nil
}

func hasLine(text, line string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}

// dbmateUp returns the text of a dbmate file with every line outside its
// "-- migrate:up" section blanked (line numbers stay those of the file). An
// option "transaction:false" on the up line makes the migration run without a
// transaction, as dbmate does.
func dbmateUp(name, text string, m *Migration) (string, error) {
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	b.Grow(len(text))
	section, ups := "", 0
	for i, l := range lines {
		if g := reDbmateSection.FindStringSubmatch(strings.TrimSpace(l)); g != nil {
			section = g[1]
			if section == "up" {
				ups++
				if ups > 1 {
					return "", &FileError{File: name, Line: i + 1, Message: "second -- migrate:up section"}
				}
				if strings.Contains(g[2], "transaction:false") {
					m.NoTransaction, m.NoTransactionReason = true, fmt.Sprintf("%s:%d: -- migrate:up transaction:false", name, i+1)
				}
			}
			b.WriteString(strings.Repeat("\n", strings.Count(l, "\n")))
			continue
		}
		if section == "up" {
			b.WriteString(l)
		} else {
			b.WriteString(strings.Repeat("\n", strings.Count(l, "\n")))
		}
	}
	if ups == 0 {
		return "", &FileError{File: name, Line: 1, Message: "no -- migrate:up section (dbmate migrations hold -- migrate:up and -- migrate:down sections)"}
	}
	return b.String(), nil
}

// parse splits the up SQL with the loader's splitter (PostgreSQL's parser) and
// analyses each statement. A file parsed before with the same name and SQL is
// not parsed again (its statements and analysis are shared, read-only).
func (m *Migration) parse(p *load.Parser) error {
	c, ok := cachedParse(m.File, m.SQL)
	if !ok {
		stmts, _, err := load.ParseFile(m.File, []byte(m.SQL))
		if err != nil {
			return err
		}
		a, err := Analyze(p, stmts)
		if err != nil {
			return err
		}
		c = parsed{statements: stmts, analysis: a}
		storeParse(m.File, m.SQL, c)
	}
	m.Statements, m.Analysis = c.statements, c.analysis
	a := c.analysis
	if !m.NoTransaction && a.NoTransaction != "" {
		m.NoTransaction, m.NoTransactionReason = true, a.NoTransaction
	}
	return nil
}

// trimZeros drops the leading zeros of a number ("0001" is version 1), as
// golang-migrate reads versions as integers.
func trimZeros(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}

// canonicalVersion is the version with leading zeros of every part removed:
// versions equal by CompareVersions have the same canonical form.
func canonicalVersion(v string) string {
	parts := strings.Split(v, ".")
	for i, p := range parts {
		parts[i] = trimZeros(p)
	}
	return strings.Join(parts, ".")
}

// CompareVersions compares two versions part by part (parts separated by dots),
// each part as a number of any size: "1.10" comes after "1.9", "20240101120000"
// after "2". It returns -1, 0 or 1.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y string
		if i < len(pa) {
			x = trimZeros(pa[i])
		} else {
			x = "0"
		}
		if i < len(pb) {
			y = trimZeros(pb[i])
		} else {
			y = "0"
		}
		if len(x) != len(y) {
			if len(x) < len(y) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// FlywayChecksum is the checksum Flyway stores in flyway_schema_history: CRC32 of
// the file's lines, each without its line ending (\n, \r\n or \r), a leading
// byte-order mark removed, as a signed 32-bit integer.
func FlywayChecksum(b []byte) int32 {
	h := crc32.NewIEEE()
	text := strings.TrimPrefix(string(b), "\uFEFF")
	for len(text) > 0 {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			_, _ = h.Write([]byte(text))
			break
		}
		_, _ = h.Write([]byte(text[:i]))
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
	return int32(h.Sum32()) //nolint:gosec // G115: Flyway stores the CRC as a Java int; the wrap is the format
}

// AtlasSumFile renders the atlas.sum of the given files (name and content, in
// Atlas's order: by name) as Atlas writes it: a first line "h1:" and the base64
// SHA-256 of every name and hash below, then one line "<name> h1:<hash>" per
// file, where a file's hash is the base64 SHA-256 of every name and content so far
// (the hash is chained: a change to a file changes every line after it).
func AtlasSumFile(files []AtlasFile) string {
	h := sha256.New()
	type line struct{ n, h string }
	var lines []line
	for _, f := range files {
		_, _ = h.Write([]byte(f.Name))
		_, _ = h.Write(f.Content)
		lines = append(lines, line{f.Name, base64.StdEncoding.EncodeToString(h.Sum(nil))})
	}
	total := sha256.New()
	var b strings.Builder
	for _, l := range lines {
		_, _ = total.Write([]byte(l.n))
		_, _ = total.Write([]byte(l.h))
		fmt.Fprintf(&b, "%s h1:%s\n", l.n, l.h)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(total.Sum(nil)) + "\n" + b.String()
}

// AtlasFile is a file of an Atlas folder, for AtlasSumFile.
type AtlasFile struct {
	Name    string
	Content []byte
}

// verifyAtlasSum checks atlas.sum against the .sql files of the folder as Atlas
// does (`atlas migrate validate`): every line must match, and the first line must
// be the sum of the others. Files marked "atlas:sum ignore" are not supported.
func verifyAtlasSum(dir string, names []string) (map[string]string, error) {
	raw, err := os.ReadFile(path.Join(dir, AtlasSum)) //nolint:gosec // G304: a file of the migration folder the user named
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &FileError{File: AtlasSum, Message: "missing: an Atlas migration folder holds atlas.sum (atlas migrate hash writes it)"}
	}
	if err != nil {
		return nil, err
	}
	var files []AtlasFile
	for _, n := range names {
		if !strings.HasSuffix(n, ".sql") {
			continue
		}
		b, err := os.ReadFile(path.Join(dir, n)) //nolint:gosec // G304: as above
		if err != nil {
			return nil, err
		}
		files = append(files, AtlasFile{Name: n, Content: b})
	}
	want := strings.Split(strings.TrimRight(AtlasSumFile(files), "\n"), "\n")
	hashes := map[string]string{}
	for _, l := range want[1:] {
		n, h, _ := strings.Cut(l, " h1:")
		hashes[n] = h
	}
	got := strings.Split(strings.TrimRight(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n"), "\n")
	// The first line is the sum of the lines below it: a hand-edited line below
	// without a new first line is tampering, whatever the files say.
	if len(got) == 0 || !strings.HasPrefix(got[0], "h1:") {
		return nil, &FileError{File: AtlasSum, Line: 1, Message: "malformed: the first line must be h1:<sum>"}
	}
	var listed strings.Builder
	total := sha256.New()
	for i, l := range got[1:] {
		n, h, ok := strings.Cut(l, " h1:")
		if !ok {
			return nil, &FileError{File: AtlasSum, Line: i + 2, Message: "malformed line: want <file> h1:<hash>"}
		}
		_, _ = total.Write([]byte(strings.TrimSpace(n)))
		_, _ = total.Write([]byte(h))
		listed.WriteString(n)
	}
	if got[0] != "h1:"+base64.StdEncoding.EncodeToString(total.Sum(nil)) {
		return nil, &FileError{File: AtlasSum, Line: 1, Message: "checksum mismatch: the sum does not match the lines below it (atlas.sum was edited by hand); run atlas migrate hash"}
	}
	for i := 1; i < len(want) || i < len(got); i++ {
		switch {
		case i >= len(got):
			n, _, _ := strings.Cut(want[i], " ")
			return nil, &FileError{File: AtlasSum, Message: fmt.Sprintf("%s is not listed (added without atlas migrate hash)", n)}
		case i >= len(want):
			n, _, _ := strings.Cut(got[i], " ")
			return nil, &FileError{File: AtlasSum, Line: i + 1, Message: fmt.Sprintf("lists %s, which is not in the folder", n)}
		case want[i] != got[i]:
			wn, _, _ := strings.Cut(want[i], " ")
			gn, _, _ := strings.Cut(got[i], " ")
			if wn != gn {
				return nil, &FileError{File: AtlasSum, Line: i + 1, Message: fmt.Sprintf("lists %s where the folder has %s", gn, wn)}
			}
			return nil, &FileError{File: AtlasSum, Line: i + 1, Message: fmt.Sprintf("checksum mismatch for %s: the file (or one before it) changed since atlas migrate hash", wn)}
		}
	}
	return hashes, nil
}
