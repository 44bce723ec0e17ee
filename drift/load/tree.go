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
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Parser parses single statements of untrusted SQL with the guards of the loader:
// the depth of a statement is bounded by scanning it first, and a long statement
// is parsed in a child process (see doc.go), so that no text crashes the caller.
// Other engine packages (drift/migrate) analyse statements with it rather than
// parsing SQL themselves. Not safe for concurrent use; Close ends its child.
type Parser struct {
	sp safeParser
}

// Parse parses the text of one statement (a Statement's SQL) into its tree; a
// statement too deep or too large for PostgreSQL's parser is an error, not a crash.
func (p *Parser) Parse(sql string) (*pg_query.Node, error) {
	tree, _, err := parseOne(&p.sp, sql)
	if err != nil {
		return nil, err
	}
	return tree.Stmts[0].Stmt, nil
}

// Close ends the parser's child process, if it started one.
func (p *Parser) Close() { p.sp.close() }
