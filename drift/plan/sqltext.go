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

import "strings"

// identTokens returns the identifiers of SQL text as PostgreSQL renders it
// (pg_get_expr, pg_get_indexdef, pg_get_constraintdef), unquoted, with "." kept as a
// token of its own so that qualified names can be matched. String literals are
// skipped: a column named like a value does not match.
func identTokens(sql string) []string {
	var out []string
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'':
			// 'it''s' (E'' literals render their backslashes doubled: \' never ends one)
			for i++; i < len(sql); i++ {
				if sql[i] == '\'' {
					if i+1 < len(sql) && sql[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
			i++
		case c == '"':
			var b strings.Builder
			for i++; i < len(sql); i++ {
				if sql[i] == '"' {
					if i+1 < len(sql) && sql[i+1] == '"' {
						b.WriteByte('"')
						i++
						continue
					}
					break
				}
				b.WriteByte(sql[i])
			}
			i++
			out = append(out, b.String())
		case c == '.':
			out = append(out, ".")
			i++
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			j := i + 1
			for j < len(sql) && (sql[j] == '_' || sql[j] == '$' || sql[j] >= 'a' && sql[j] <= 'z' || sql[j] >= 'A' && sql[j] <= 'Z' ||
				sql[j] >= '0' && sql[j] <= '9' || sql[j] >= 0x80) {
				j++
			}
			out = append(out, strings.ToLower(sql[i:j]))
			i = j
		case c >= '0' && c <= '9':
			// a number, possibly 1.5 or 1e10: not an identifier, and its dot is not a
			// qualifier
			j := i + 1
			for j < len(sql) && (sql[j] >= '0' && sql[j] <= '9' || sql[j] == '.' || sql[j] == 'e' || sql[j] == 'E') {
				j++
			}
			i = j
		default:
			i++
		}
	}
	return out
}

// mentionsIdent reports whether the SQL text mentions the identifier, e.g. a column
// in an index or constraint definition.
func mentionsIdent(sql, ident string) bool {
	for _, t := range identTokens(sql) {
		if t == ident {
			return true
		}
	}
	return false
}

// mentionsQualified reports whether the SQL text mentions schema.name, e.g. a type in
// a cast the inspector rendered with an empty search_path.
func mentionsQualified(sql, schema, name string) bool {
	ts := identTokens(sql)
	for i := 0; i+2 < len(ts); i++ {
		if ts[i] == schema && ts[i+1] == "." && ts[i+2] == name {
			return true
		}
	}
	return false
}
