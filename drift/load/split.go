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
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
)

// ErrNoFiles is returned by ParseDir and Load for a directory without .sql
// files: an empty desired schema is far more often a wrong path than an intent,
// and planning against it would drop everything.
var ErrNoFiles = errors.New("no .sql files")

// ParseDir splits and classifies every .sql file under dir, recursively, in
// lexical (byte) order of their slash-separated paths relative to dir, so
// "a.sql" comes before "a/b.sql" and "10_x.sql" before "9_y.sql". Files and
// directories whose name starts with a dot are ignored, symbolic links to
// directories are not followed, and a symbolic link to a file is read only when
// it stays inside dir.
//
// ParseDir reports every problem it finds, not only the first: the error joins a
// *SyntaxError per unparsable file and one *RejectError listing every rejected
// statement of all files (use errors.As). Statements and warnings are returned
// along with a *RejectError, but not along with a syntax error.
func ParseDir(dir string) ([]Statement, []Warning, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("opening desired schema directory: %w", err)
	}
	defer func() { _ = root.Close() }()
	fsys := root.FS()

	var files []string
	err = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".sql") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("listing desired schema directory: %w", err)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: %w", dir, ErrNoFiles)
	}
	sort.Strings(files)

	var (
		stmts    []Statement
		warnings []Warning
		errs     []error
		rejected []Statement
		sp       safeParser
	)
	defer sp.close()
	for _, name := range files {
		text, err := readText(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("reading %s: %w", name, err))
			continue
		}
		s, w, err := parseFile(&sp, path.Clean(name), text)
		var rej *RejectError
		switch {
		case errors.As(err, &rej):
			rejected = append(rejected, rej.Statements...)
		case err != nil:
			errs = append(errs, err)
			continue
		}
		stmts = append(stmts, s...)
		warnings = append(warnings, w...)
	}
	if len(rejected) > 0 {
		errs = append(errs, &RejectError{Statements: rejected})
	}
	switch len(errs) {
	case 0:
		return stmts, warnings, nil
	case 1:
		var rej *RejectError
		if errors.As(errs[0], &rej) {
			return stmts, warnings, errs[0]
		}
		return nil, nil, errs[0]
	}
	return nil, nil, errors.Join(errs...)
}

// readText reads a file into a string without a second copy of it: the
// statements' text are substrings of it.
func readText(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	var b strings.Builder
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 && fi.Size() < 1<<40 {
		b.Grow(int(fi.Size()) + 1)
	}
	if _, err := io.Copy(&b, f); err != nil {
		return "", err
	}
	return b.String(), nil
}

// ParseFile splits and classifies the statements of one desired-schema file;
// name is used as Statement.File and in messages. src must be UTF-8 without NUL
// bytes.
//
// psql meta-command lines (a line whose first non-blank character is a
// backslash, between statements) and the data of COPY ... FROM stdin blocks,
// up to the terminating `\.` line, are not SQL: they are skipped with a warning
// before parsing. The returned error is a *SyntaxError or a *RejectError; with a
// *RejectError the statements and warnings are returned too. A statement too
// deep or too large for the parser is a *SyntaxError with the message
// "statement too large/deep to parse", at the statement.
func ParseFile(name string, src []byte) ([]Statement, []Warning, error) {
	var sp safeParser
	defer sp.close()
	return parseFile(&sp, name, string(src))
}

// chunkSize is the size of text the splitter scans at once and about the
// largest text it parses at once (a statement larger than that is parsed
// alone): the parse trees of a file are never all in memory.
const chunkSize = 256 << 10

func parseFile(sp *safeParser, name, text string) ([]Statement, []Warning, error) {
	if i := strings.IndexByte(text, 0); i >= 0 {
		return nil, nil, newSyntaxError(name, text, i, "NUL byte in input")
	}
	if !utf8.ValidString(text) {
		i := 0
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, nil, newSyntaxError(name, text, i, "invalid UTF-8 (desired schema files must be UTF-8)")
	}

	p := &preprocessor{src: text, copies: map[int]int{}, parser: sp}
	if p.needed() {
		p.buf = []byte(text)
		p.run()
	}
	sl := &splitter{name: name, text: text, blanked: p.buf, pos: newPositioner(text)}

	warnings := make([]Warning, 0, len(p.metas))
	for _, m := range p.metas {
		line, _ := sl.pos.at(m.start)
		warnings = append(warnings, Warning{File: name, Line: line, Message: "psql meta-command " + m.command + " skipped"})
	}
	metaWarnings := len(warnings)

	var (
		stmts    []Statement
		rejected []Statement
	)
	for q := 0; q < len(text); {
		end, sig, longest := sl.nextChunk(q)
		var tree *pg_query.ParseResult
		for {
			var err error
			tree, err = sp.parse(sl.view(q, end), longest)
			var perr *parser.Error
			if err != nil && errors.As(err, &perr) && strings.Contains(perr.Message, "at end of input") && end < len(text) {
				// The chunk ended inside a statement (a semicolon of a
				// BEGIN ATOMIC body): take the next chunk along.
				e2, sig2, l2 := sl.nextChunk(end)
				end, sig, longest = e2, append(sig, sig2...), max(longest, l2)
				continue
			}
			if err != nil {
				return nil, nil, sl.parseError(q, end, sig, err)
			}
			break
		}
		for _, raw := range tree.Stmts {
			loc := q + int(raw.StmtLocation)
			stmtEnd := loc + int(raw.StmtLen)
			if raw.StmtLen == 0 {
				stmtEnd = end
			}
			i := sort.Search(len(sig), func(k int) bool { return sig[k].start >= loc })
			j := sort.Search(len(sig), func(k int) bool { return sig[k].end > stmtEnd })
			if i >= j {
				// Not expected: every raw statement has at least one token.
				line, col := sl.pos.at(loc)
				return nil, nil, &SyntaxError{File: name, Line: line, Col: col, Message: "statement without tokens"}
			}
			start, stop := sig[i].start, sig[j-1].end
			if sl.blanked != nil && string(sl.blanked[start:stop]) != text[start:stop] {
				k := start
				for sl.blanked[k] == text[k] {
					k++
				}
				return nil, nil, newSyntaxError(name, text, lineStart(text, k), "psql meta-command or COPY data inside a statement")
			}
			line, col := sl.pos.at(start)
			v := classify(raw.Stmt)
			st := Statement{File: name, Line: line, Col: col, SQL: text[start:stop], Class: v.class, Reason: v.reason}
			if n, ok := p.copies[stmtEnd]; ok && v.copyIn {
				st.Reason = fmt.Sprintf("%s and its %d data line%s", st.Reason, n, plural(n))
			}
			switch st.Class {
			case Skip:
				warnings = append(warnings, Warning{File: name, Line: line, Message: st.Reason + " skipped"})
			case Reject:
				rejected = append(rejected, st)
			}
			if v.warning != "" {
				warnings = append(warnings, Warning{File: name, Line: line, Message: v.warning})
			}
			stmts = append(stmts, st)
		}
		q = end
	}
	if metaWarnings > 0 {
		sort.SliceStable(warnings, func(a, b int) bool { return warnings[a].Line < warnings[b].Line })
	}
	if len(rejected) > 0 {
		return stmts, warnings, &RejectError{Statements: rejected}
	}
	return stmts, warnings, nil
}

// splitter cuts a file into chunks of whole statements, each parsed on its own.
type splitter struct {
	name, text string
	blanked    []byte // text with meta-commands and COPY data blanked, or nil
	pos        *positioner
}

// span is a token (not a comment) at absolute offsets of the file.
type span struct {
	start, end int
	semi       bool
}

// view returns the text to parse between offsets a and b.
func (sl *splitter) view(a, b int) string {
	if sl.blanked == nil {
		return sl.text[a:b]
	}
	return string(sl.blanked[a:b])
}

// nextChunk returns the end of the chunk starting at q (q is a token start or
// the end of a previous chunk, where the scanner is in its initial state), its
// tokens and the longest run of tokens between semicolons in it. A chunk ends
// with a semicolon, or at the end of the text; it is about chunkSize long, or
// holds a single run longer than maxInProcessTokens (which is parsed in a
// child process), or the longest statement that starts at q.
func (sl *splitter) nextChunk(q int) (end int, sig []span, longest int) {
	n := len(sl.text)
	for size := chunkSize; ; size *= 2 {
		w := n
		if q+size < n {
			w = lineEnd(sl.text, q+size)
		}
		toks := scanPrefix(sl.view(q, w))
		sig = sig[:0]
		lastSemi, run, longest := -1, 0, 0 // lastSemi: index in sig
		cut := -1
		for _, t := range toks {
			if isComment(t) {
				continue
			}
			if t.Token != pg_query.Token_ASCII_59 {
				run++
				sig = append(sig, span{start: q + int(t.Start), end: q + int(t.End)})
				continue
			}
			sig = append(sig, span{start: q + int(t.Start), end: q + int(t.End), semi: true})
			if run > maxInProcessTokens {
				if lastSemi < 0 {
					cut, longest = len(sig)-1, run
				} else {
					cut = lastSemi
				}
				break
			}
			lastSemi, longest, run = len(sig)-1, max(longest, run), 0
		}
		switch {
		case cut >= 0:
		case lastSemi >= 0 && (w < n || run > maxInProcessTokens):
			cut = lastSemi
		case w == n:
			return n, sig, max(longest, run)
		default:
			continue
		}
		return sig[cut].end, sig[:cut+1], longest
	}
}

// scanPrefix returns the tokens of s, or of its longest prefix that the scanner
// can finish (it stops at a token it cannot finish, such as a string running
// past the end of s). Offsets are relative to s.
func scanPrefix(s string) []*pg_query.ScanToken {
	limit := len(s)
	for limit > 0 {
		r, err := pg_query.Scan(s[:limit])
		if err == nil {
			return r.Tokens
		}
		var perr *parser.Error
		if !errors.As(err, &perr) || perr.Cursorpos <= 0 {
			return nil
		}
		e := charToByte(s[:limit], perr.Cursorpos-1)
		if e >= limit {
			e = lineStart(s, limit-1)
		}
		limit = e
	}
	return nil
}

// parseError turns an error of parsing the chunk [q, end) into a *SyntaxError
// positioned in the original text. The parser reports a 1-based character
// position in the text it parsed.
func (sl *splitter) parseError(q, end int, sig []span, err error) error {
	var perr *parser.Error
	if !errors.As(err, &perr) || tooDeepMessage(perr.Message) {
		off := q
		if len(sig) > 0 {
			off = sig[0].start
		}
		msg := err.Error()
		if errors.Is(err, errTooDeepErr) || perr != nil {
			msg = errTooDeep
		}
		return newSyntaxError(sl.name, sl.text, off, msg)
	}
	off := q
	if perr.Cursorpos > 0 {
		off = q + charToByte(sl.view(q, end), perr.Cursorpos-1)
	}
	msg := perr.Message
	// "unterminated quoted string at or near ..." quotes the whole rest of the
	// file; one line of it is enough.
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i] + `..."`
	}
	return newSyntaxError(sl.name, sl.text, off, msg)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func isComment(t *pg_query.ScanToken) bool {
	return t.Token == pg_query.Token_SQL_COMMENT || t.Token == pg_query.Token_C_COMMENT
}

func newSyntaxError(name, text string, off int, msg string) *SyntaxError {
	line, col := newPositioner(text).at(off)
	return &SyntaxError{File: name, Line: line, Col: col, Message: msg}
}

// charToByte returns the byte offset of the n-th (0-based) character of s, or
// len(s) when s is shorter.
func charToByte(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// positioner converts byte offsets into 1-based line and character column,
// cheaply for increasing offsets.
type positioner struct {
	text      string
	off       int // offset reached
	line      int // line of off
	lineStart int // offset where that line starts
}

func newPositioner(text string) *positioner { return &positioner{text: text, line: 1} }

func (p *positioner) at(off int) (line, col int) {
	if off > len(p.text) {
		off = len(p.text)
	}
	if off < p.off {
		p.off, p.line, p.lineStart = 0, 1, 0
	}
	for i := p.off; i < off; i++ {
		if p.text[i] == '\n' {
			p.line++
			p.lineStart = i + 1
		}
	}
	p.off = off
	return p.line, utf8.RuneCountInString(p.text[p.lineStart:off]) + 1
}

// lineStart returns the offset of the start of the line containing off.
func lineStart(s string, off int) int {
	return strings.LastIndexByte(s[:off], '\n') + 1
}

// lineEnd returns the offset just after the newline ending the line containing
// off, or len(s) for the last line.
func lineEnd(s string, off int) int {
	if i := strings.IndexByte(s[off:], '\n'); i >= 0 {
		return off + i + 1
	}
	return len(s)
}

// The preprocessor scans windows of text. A window ends before the next line
// that starts with a backslash (so that the text after a meta-command is
// scanned again only up to the next one) unless a token runs from the window's
// start past that line; it starts small after each meta-command or COPY block
// that misled the scanner about what follows, doubles while nothing happens (up
// to maxScanWindow) and while a token runs past its end. This keeps the work
// close to linear in the size of the file however many meta-commands and COPY
// blocks it has.
const (
	minScanWindow = 4 << 10
	maxScanWindow = 1 << 20
)

// preprocessor finds psql meta-command lines and COPY ... FROM stdin data, which
// the SQL parser cannot read, and blanks them (bytes become spaces, newlines
// stay, so offsets, lines and columns of everything else are unchanged).
//
// It asks PostgreSQL's own scanner (pg_query.Scan) where tokens are: a
// backslash is a meta-command only when the scanner sees it as a token at the
// start of a line (not inside a string, quoted identifier, dollar-quoted body or
// comment) while no statement is open (nothing but comments since the previous
// semicolon). A meta-command line can confuse the scanner about the text after
// it (`\set x 'abc` opens a string): when a token runs from a blanked region
// into the text after it, that text is scanned again. Scanning restarts at line
// starts and at token starts, where the scanner is in its initial state.
type preprocessor struct {
	src    string
	buf    []byte
	metas  []metaLine
	copies map[int]int // offset of the semicolon ending a COPY FROM stdin -> data lines
	parser *safeParser
}

type metaLine struct {
	start   int
	command string
}

// scanState is what the preprocessor knows at a window boundary; the scanner
// itself is always in its initial state there.
type scanState struct {
	open       bool // a statement has started and not yet ended with a semicolon
	stmtStart  int  // offset of the first token of the open statement
	stmtIsCopy bool // the open statement starts with COPY
}

type event struct {
	start, end int // region to blank; end is a line start or the end of the text
	meta       bool
	semi       int // COPY: offset of its semicolon
	lines      int // COPY: number of data lines
}

// needed tells whether the text may hold meta-commands or COPY data at all: a
// line starting with a backslash, or the word stdin. Most schema files have
// neither and skip the scanning.
func (p *preprocessor) needed() bool {
	if p.nextBackslashLine(0, len(p.src)) < len(p.src) {
		return true
	}
	return containsFold(p.src, "stdin")
}

// containsFold reports whether s contains the lowercase ASCII word sub in any
// case, without a lowercased copy of s.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func (p *preprocessor) run() {
	n := len(p.buf)
	q, size := 0, minScanWindow
	clip := true
	var st scanState
	for q < n {
		w := n
		if q+size < n {
			w = lineEnd(p.src, q+size)
		}
		if clip {
			w = p.nextBackslashLine(lineEnd(p.src, q), w)
		}
		toks, limit, truncated, ok := p.scan(q, w)
		if !ok {
			return
		}
		s := st
		rescan := -1
		for i := 0; ; {
			ev, found := p.walk(toks, &i, q, &s)
			if !found {
				break
			}
			p.blank(ev.start, ev.end)
			if !ev.meta {
				p.copies[ev.semi] = ev.lines
				s = scanState{}
			}
			// Go on with the same tokens unless one runs from the blanked
			// region into what follows it (or the region ends past them).
			for i < len(toks) && q+int(toks[i].Start) < ev.end {
				i++
			}
			if ev.end > limit || (i > 0 && q+int(toks[i-1].End) > ev.end) {
				rescan = ev.end
				break
			}
		}
		clip = true
		switch {
		case rescan >= 0:
			st, q, size = s, rescan, minScanWindow
		case truncated && limit > q:
			// Everything before the unfinished token is known; continue from it
			// (the scanner is in its initial state there) with a larger window,
			// in case the token runs past w.
			st, q, size = s, limit, size*2
		case truncated:
			if w == n {
				// A genuine syntax error: parsing reports it.
				return
			}
			size, clip = size*2, false
		default:
			st, q = s, w
			size = min(size*2, max(size, maxScanWindow))
		}
	}
}

// scan returns the tokens of [q, w), or of its longest prefix that the scanner
// can finish, ending at limit (truncated: before a token it could not finish).
func (p *preprocessor) scan(q, w int) (toks []*pg_query.ScanToken, limit int, truncated, ok bool) {
	toks, err := scanTokens(p.buf[q:w])
	limit = w
	for err != nil {
		// The scanner stops at the first token it cannot finish: one that
		// began in a meta-command or COPY data (whose quotes pair up wrongly
		// with later ones), one that runs past the window, or a genuine
		// error. Every token before it is complete: scan up to its start,
		// so that the events before it are found.
		var perr *parser.Error
		if !errors.As(err, &perr) {
			return nil, 0, false, false
		}
		e := q
		if perr.Cursorpos > 0 {
			e = q + charToByte(string(p.buf[q:limit]), perr.Cursorpos-1)
		}
		if e >= limit {
			// Not at a token start (not expected): fall back to the start of
			// the last line.
			e = lineStart(p.src, limit-1)
		}
		limit, truncated, toks, err = max(e, q), true, nil, nil
		if limit > q {
			toks, err = scanTokens(p.buf[q:limit])
		}
	}
	return toks, limit, truncated, true
}

// nextBackslashLine returns the start of the first line at or after from (a
// line start) whose first non-blank character is a backslash, or limit.
func (p *preprocessor) nextBackslashLine(from, limit int) int {
	for from < limit {
		if _, ok := metaCommand(p.src, from); ok {
			return from
		}
		from = lineEnd(p.src, from)
	}
	return limit
}

func scanTokens(b []byte) ([]*pg_query.ScanToken, error) {
	r, err := pg_query.Scan(string(b))
	if err != nil {
		return nil, err
	}
	return r.Tokens, nil
}

// walk follows the tokens of a window starting at offset base from index *i
// and returns the first meta-command line or COPY FROM stdin block, with s and
// *i advanced past the token that ends it.
func (p *preprocessor) walk(toks []*pg_query.ScanToken, i *int, base int, s *scanState) (event, bool) {
	for ; *i < len(toks); *i++ {
		t := toks[*i]
		if isComment(t) {
			continue
		}
		a := base + int(t.Start)
		switch {
		case t.Token == pg_query.Token_ASCII_92 && !s.open:
			if cmd, ok := metaCommand(p.src, a); ok && lineStartSkipBlank(p.src, a) >= 0 {
				ls := lineStart(p.src, a)
				p.metas = append(p.metas, metaLine{start: ls, command: cmd})
				*i++
				return event{start: ls, end: lineEnd(p.src, a), meta: true}, true
			}
			s.open, s.stmtStart, s.stmtIsCopy = true, a, false
		case t.Token == pg_query.Token_ASCII_59:
			wasCopy, start := s.open && s.stmtIsCopy, s.stmtStart
			s.open, s.stmtIsCopy = false, false
			if wasCopy && p.isCopyFromStdin(string(p.buf[start:a])) {
				dataStart := lineEnd(p.src, a)
				end, lines := copyDataEnd(p.src, dataStart)
				*i++
				return event{start: dataStart, end: end, semi: a, lines: lines}, true
			}
		case !s.open:
			s.open, s.stmtStart, s.stmtIsCopy = true, a, t.Token == pg_query.Token_COPY
		}
	}
	return event{}, false
}

// lineStartSkipBlank returns the start of the line containing off when only
// blanks precede off on it, else -1.
func lineStartSkipBlank(s string, off int) int {
	ls := lineStart(s, off)
	for _, c := range []byte(s[ls:off]) {
		if c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v' {
			return -1
		}
	}
	return ls
}

// metaCommand reports whether the line containing off starts (after blanks)
// with a backslash, and returns the command word for the warning.
func metaCommand(s string, off int) (string, bool) {
	ls := lineStart(s, off)
	i := ls
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v') {
		i++
	}
	if i >= len(s) || s[i] != '\\' {
		return "", false
	}
	j := i + 1
	for j < len(s) && j-i < 32 && s[j] > ' ' && s[j] < 0x7f && s[j] != '\\' {
		j++
	}
	return s[i:j], true
}

func (p *preprocessor) isCopyFromStdin(sql string) bool {
	tree, _, err := p.parser.parseSQL(sql)
	if err != nil || len(tree.Stmts) != 1 {
		return false
	}
	c := tree.Stmts[0].Stmt.GetCopyStmt()
	return c != nil && c.IsFrom && !c.IsProgram && c.Filename == ""
}

// copyDataEnd finds the line `\.` that ends COPY data starting at off, as psql
// does, and returns the offset after it (or the end of the text) and the number
// of data lines before it.
func copyDataEnd(s string, off int) (end, lines int) {
	for off < len(s) {
		next := lineEnd(s, off)
		line := strings.TrimRight(s[off:next], "\r\n")
		if line == `\.` {
			return next, lines
		}
		lines++
		off = next
	}
	return len(s), lines
}

func (p *preprocessor) blank(start, end int) {
	for i := start; i < end; i++ {
		if p.buf[i] != '\n' {
			p.buf[i] = ' '
		}
	}
}
