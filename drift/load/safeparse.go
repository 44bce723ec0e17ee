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
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
	"google.golang.org/protobuf/proto"
)

// Every pg_query.Parse and pg_query.Deparse of text from the desired schema
// goes through a safeParser. PostgreSQL's parser is C code called through cgo;
// it recurses once or twice per level of nesting of the statement, on the
// thread's C stack, and a deep enough statement (`SELECT 1+1+...+1` with
// ~22,000 terms on an 8 MiB stack, ~3,000 on a 1 MiB one) overflows that stack
// and kills the whole process with SIGSEGV, which Go cannot recover.
//
// The tree's depth is bounded by the number of tokens of the longest run of
// tokens between two semicolons (a statement, or one statement of a BEGIN ATOMIC
// body, whose statements form a flat list): every nesting level needs at least
// one token. The scanner, which does not recurse, counts them. A text whose
// longest run has at most maxInProcessTokens tokens is parsed in this process;
// a longer one is parsed by a child process of this same binary (see
// parseChildEnv), which returns the tree as protobuf bytes. When that child
// crashes, runs out of time or memory, or returns a tree deeper than Go's
// protobuf decoder accepts (~5,000 levels), the statement is too deep:
// errTooDeep.
const (
	// maxInProcessTokens keeps the parser's stack use in this process under
	// ~400 KiB, far below the 8 MiB default thread stack and still safe with
	// 1 MiB stacks.
	maxInProcessTokens = 1000
	// parseChildEnv, set in the environment of a child process of this binary,
	// makes the package's init serve parse requests on stdin/stdout and exit.
	parseChildEnv = "SCHEMACTL_INTERNAL_PARSER"
	// parseChildTimeout bounds one request to the child.
	parseChildTimeout = 60 * time.Second
	// parseChildMemory is the address-space limit of the child.
	parseChildMemory = 4 << 30
	// maxParseMessage bounds a message of the child protocol.
	maxParseMessage = 1 << 30
)

// errTooDeep is the message of the *SyntaxError for a statement the parser
// cannot handle.
const errTooDeep = "statement too large/deep to parse"

var errTooDeepErr = errors.New(errTooDeep)

func init() {
	if os.Getenv(parseChildEnv) != "1" {
		return
	}
	os.Exit(serveParseRequests(os.Stdin, os.Stdout))
}

// safeParser parses and deparses text of the desired schema, in process or in
// a child process as the size of the text requires. Not safe for concurrent
// use; close it to end its child.
type safeParser struct {
	child *parseChild
}

// parse parses sql, whose longest run of tokens between semicolons is tokens
// long (see tokenRuns). A statement too deep for the parser yields
// errTooDeepErr; a syntax error a *parser.Error, as pg_query.Parse does.
func (p *safeParser) parse(sql string, tokens int) (*pg_query.ParseResult, error) {
	if tokens <= maxInProcessTokens {
		return pg_query.Parse(sql)
	}
	out, err := p.request('P', []byte(sql))
	if err != nil {
		return nil, err
	}
	tree := &pg_query.ParseResult{}
	if err := proto.Unmarshal(out, tree); err != nil {
		// "exceeded maximum recursion depth"; any other decoding error
		// would be a bug of the child, and is as fatal to this statement.
		return nil, errTooDeepErr
	}
	return tree, nil
}

// deparse renders tree, parsed from a text whose longest run has tokens
// tokens, as SQL.
func (p *safeParser) deparse(tree *pg_query.ParseResult, tokens int) (string, error) {
	if tokens <= maxInProcessTokens {
		return pg_query.Deparse(tree)
	}
	in, err := proto.Marshal(tree)
	if err != nil {
		return "", fmt.Errorf("encoding statement: %w", err)
	}
	out, err := p.request('D', in)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// parseSQL scans sql to bound its depth, then parses it.
func (p *safeParser) parseSQL(sql string) (*pg_query.ParseResult, int, error) {
	tokens, err := longestRun(sql)
	if err != nil {
		return nil, 0, err
	}
	tree, err := p.parse(sql, tokens)
	var perr *parser.Error
	if errors.As(err, &perr) && tooDeepMessage(perr.Message) {
		err = errTooDeepErr
	}
	return tree, tokens, err
}

// longestRun returns the number of tokens (comments excluded) of the longest
// run of tokens between semicolons in sql.
func longestRun(sql string) (int, error) {
	r, err := pg_query.Scan(sql)
	if err != nil {
		return 0, err
	}
	longest, run := 0, 0
	for _, t := range r.Tokens {
		switch {
		case isComment(t):
		case t.Token == pg_query.Token_ASCII_59:
			run = 0
		default:
			run++
			longest = max(longest, run)
		}
	}
	return longest, nil
}

// tooDeepMessage tells whether a parser error says that the statement is too
// deep for it: bison's stack is full, or PostgreSQL's own stack depth check.
func tooDeepMessage(msg string) bool {
	return strings.Contains(msg, "memory exhausted") || strings.Contains(msg, "stack depth limit exceeded")
}

func (p *safeParser) close() {
	if p.child != nil {
		p.child.stop()
		p.child = nil
	}
}

// request sends one request to the child, starting it if needed. A child that
// dies or times out is stopped (the next request starts a new one) and the
// request fails with errTooDeepErr.
func (p *safeParser) request(op byte, payload []byte) ([]byte, error) {
	if p.child == nil {
		c, err := startParseChild()
		if err != nil {
			return nil, fmt.Errorf("%s: cannot start the parser process: %w", errTooDeep, err)
		}
		p.child = c
	}
	out, err := p.child.do(op, payload)
	if err != nil {
		var perr *parser.Error
		if errors.As(err, &perr) {
			return nil, err
		}
		p.child.stop()
		p.child = nil
		return nil, errTooDeepErr
	}
	return out, nil
}

// parseChild is a running child process serving parse requests.
type parseChild struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	done chan struct{}
}

func startParseChild() (*parseChild, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("locating own executable: %w", err)
	}
	cmd := exec.Command(exe) //nolint:noctx,gosec // G204: our own binary, no arguments; it outlives any one call and is stopped by close
	cmd.Env = append(os.Environ(), parseChildEnv+"=1")
	cmd.Stderr = nil // a crash's stack trace is of no use to the user
	cmd.SysProcAttr = childSysProcAttr()
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("parser process: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("parser process: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("parser process: %w", err)
	}
	c := &parseChild{cmd: cmd, in: in, out: bufio.NewReader(out), done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

func (c *parseChild) stop() {
	_ = c.in.Close()
	select {
	case <-c.done:
	case <-time.After(time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// do sends one request and reads its answer, killing the child when it takes
// longer than parseChildTimeout.
func (c *parseChild) do(op byte, payload []byte) ([]byte, error) {
	timer := time.AfterFunc(parseChildTimeout, func() { _ = c.cmd.Process.Kill() })
	defer timer.Stop()
	if err := writeMessage(c.in, op, payload); err != nil {
		return nil, fmt.Errorf("writing to parser process: %w", err)
	}
	status, body, err := readMessage(c.out)
	if err != nil {
		return nil, fmt.Errorf("reading from parser process: %w", err)
	}
	switch status {
	case 'O':
		return body, nil
	case 'E':
		if len(body) < 4 {
			return nil, errors.New("short error from parser process")
		}
		return nil, &parser.Error{Cursorpos: int(binary.BigEndian.Uint32(body)), Message: string(body[4:])}
	}
	return nil, fmt.Errorf("unexpected answer %q from parser process", status)
}

func writeMessage(w io.Writer, kind byte, body []byte) error {
	var hdr [5]byte
	hdr[0] = kind
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(body))) // #nosec G115 -- bounded by maxParseMessage
	if len(body) > maxParseMessage {
		return errors.New("message too large")
	}
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(body)
	return err
}

func readMessage(r io.Reader) (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(hdr[1:])
	if n > maxParseMessage {
		return 0, nil, errors.New("message too large")
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return hdr[0], body, nil
}

// serveParseRequests is the child's side: it answers requests until its input
// ends, and returns the exit code.
func serveParseRequests(in io.Reader, out io.Writer) int {
	limitChildMemory(parseChildMemory)
	r := bufio.NewReader(in)
	w := bufio.NewWriter(out)
	for {
		op, body, err := readMessage(r)
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil {
			return 1
		}
		var res []byte
		switch op {
		case 'P':
			res, err = parser.ParseToProtobuf(string(body))
		case 'D':
			var s string
			s, err = parser.DeparseFromProtobuf(body)
			res = []byte(s)
		default:
			return 1
		}
		var perr *parser.Error
		switch {
		case err == nil:
			err = writeMessage(w, 'O', res)
		case errors.As(err, &perr):
			msg := make([]byte, 4, 4+len(perr.Message))
			binary.BigEndian.PutUint32(msg, uint32(max(perr.Cursorpos, 0))) // #nosec G115 -- a position in the input
			err = writeMessage(w, 'E', append(msg, perr.Message...))
		default:
			err = writeMessage(w, 'E', append([]byte{0, 0, 0, 0}, err.Error()...))
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return 1
		}
	}
}
