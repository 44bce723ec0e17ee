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
	"net/url"
	"strings"
)

const redacted = "xxxxx"

// secretParams are connection parameters whose values are never shown.
var secretParams = map[string]bool{"password": true, "sslpassword": true}

// RedactURL returns a PostgreSQL connection string (a postgres:// URL or
// keyword=value pairs) with its passwords replaced by "xxxxx", for use in
// errors and logs. Input it cannot parse is reduced to what is certainly not a
// secret: the scheme of a URL, or nothing.
func RedactURL(conn string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		return redactURI(conn)
	}
	return redactKeywordValue(conn)
}

func redactURI(conn string) string {
	scheme := conn[:strings.Index(conn, "://")+3]
	u, err := url.Parse(conn)
	if err != nil {
		// A password with characters that need escaping makes the URL invalid.
		// Such a password may itself contain '/', '?' or '@': everything up to
		// the last '@' goes, and so does a query mentioning a password.
		rest := conn[len(scheme):]
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			rest = redacted + "@" + rest[at+1:]
		}
		if q := strings.IndexByte(rest, '?'); q >= 0 && strings.Contains(strings.ToLower(rest[q:]), "password") {
			rest = rest[:q+1] + redacted
		}
		return scheme + rest
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), redacted)
		}
	}
	if u.RawQuery != "" {
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			u.RawQuery = ""
		} else {
			for k := range q {
				if secretParams[strings.ToLower(k)] {
					q.Set(k, redacted)
				}
			}
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// redactKeywordValue masks the secret values of a libpq keyword/value string
// such as "host=db user=app password='s e c'".
func redactKeywordValue(conn string) string {
	var b strings.Builder
	i := 0
	for i < len(conn) {
		// Copy blanks.
		for i < len(conn) && isSpace(conn[i]) {
			b.WriteByte(conn[i])
			i++
		}
		if i >= len(conn) {
			break
		}
		// Keyword.
		k := i
		for i < len(conn) && conn[i] != '=' && !isSpace(conn[i]) {
			i++
		}
		key := conn[k:i]
		b.WriteString(key)
		for i < len(conn) && isSpace(conn[i]) {
			b.WriteByte(conn[i])
			i++
		}
		if i >= len(conn) || conn[i] != '=' {
			// Not keyword=value: nothing after this can be trusted to parse.
			if i < len(conn) {
				b.WriteString(redacted)
			}
			break
		}
		b.WriteByte('=')
		i++
		for i < len(conn) && isSpace(conn[i]) {
			b.WriteByte(conn[i])
			i++
		}
		// Value: quoted with backslash escapes, or up to the next blank.
		v := i
		if i < len(conn) && conn[i] == '\'' {
			i++
			for i < len(conn) && conn[i] != '\'' {
				if conn[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i+1, len(conn))
		} else {
			for i < len(conn) && !isSpace(conn[i]) {
				if conn[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i, len(conn))
		}
		if secretParams[strings.ToLower(key)] {
			b.WriteString(redacted)
		} else {
			b.WriteString(conn[v:i])
		}
	}
	return b.String()
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
