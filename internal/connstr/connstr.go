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

// Package connstr is the one place that parses, builds and redacts PostgreSQL
// connection strings (postgres:// URLs and libpq keyword/value strings) and
// opens connections from them, for the CLI, the agent and the drift engine.
//
// Nothing it returns ever contains a password:
//
//   - Redact masks everything between "scheme://" and the last '@' of a URL
//     (a password may hold '@', '/', ':', '?', '#', '%', spaces or quotes
//     unencoded), and the values of password and sslpassword, in a URL's query
//     or in keyword/value form, whatever they hold.
//   - Parse accepts a URL whose password is not percent-encoded when the
//     string can be read only one way, and otherwise fails with an error that
//     shows only the redacted string and asks for percent-encoding.
//   - Connect opens a connection; its errors name the target by its redacted
//     string and never format pgx's *pgconn.ConnectError or
//     *pgconn.ParseConfigError, which carry the configuration or the string.
//
// It must not import Kubernetes packages: the drift engine uses it.
package connstr

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Mask replaces secrets in redacted strings and messages.
const Mask = "xxxxx"

// EncodeHint is added to errors about connection strings that cannot be read.
const EncodeHint = "if the password holds special characters (@ / : ? # % & space '), percent-encode them in a URL (@ is %40, / is %2F, : is %3A, ? is %3F, # is %23, % is %25, space is %20) or quote it in keyword/value form (password='...', with \\' and \\\\)"

// secretKeys are connection parameters whose values are never shown.
var secretKeys = map[string]bool{"password": true, "sslpassword": true}

// knownKeys are the parameters after which a secret value is taken to end
// (libpq's keywords, pgx's own, and common run-time settings). A secret value
// runs to the next "&key=" (URL query) or " key=" (keyword/value form) with a
// key of this list, or to the end of the string.
var knownKeys = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`host hostaddr port dbname user password passfile require_auth
		channel_binding connect_timeout client_encoding options application_name
		fallback_application_name keepalives keepalives_idle keepalives_interval
		keepalives_count tcp_user_timeout replication gssencmode sslmode requiressl
		sslcompression sslcert sslkey sslpassword sslcertmode sslrootcert sslcrl sslcrldir
		sslsni sslnegotiation requirepeer ssl_min_protocol_version ssl_max_protocol_version
		min_protocol_version max_protocol_version krbsrvname gsslib gssdelegation service
		servicefile target_session_attrs load_balance_hosts statement_cache_capacity
		description_cache_capacity default_query_exec_mode search_path timezone
		statement_timeout lock_timeout idle_in_transaction_session_timeout datestyle
		pool_max_conns pool_min_conns`) {
		knownKeys[k] = true
	}
}

// IsURL reports whether s is in URL form (postgres:// or postgresql://).
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns s with its secrets replaced by Mask, for errors, logs,
// events and status. What cannot be read is masked rather than shown.
func Redact(s string) string {
	if IsURL(s) {
		return redactURL(s)
	}
	return redactKeywordValue(s)
}

func redactURL(s string) string {
	i := strings.Index(s, "://") + 3
	scheme, rest := s[:i], s[i:]
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = Mask + rest[at:]
	}
	// Secret parameters of the query (the query starts at the first '?' after
	// the authority, which ends at the last '@').
	q := strings.IndexByte(rest, '?')
	if q < 0 {
		return scheme + rest
	}
	return scheme + rest[:q+1] + redactParams(rest[q+1:], '&')
}

// paramKey matches a parameter name.
var paramKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*`)

// redactParams masks the secret values of sep-separated key=value pairs
// (a URL query). A secret runs to the next sep followed by a known key and
// '=', or to the end.
func redactParams(q string, sep byte) string {
	var b strings.Builder
	for len(q) > 0 {
		key := q
		if j := strings.IndexByte(q, '='); j >= 0 {
			key = q[:j]
		}
		if k, err := url.QueryUnescape(key); err == nil && secretKeys[strings.ToLower(k)] && len(key) < len(q) {
			b.WriteString(key + "=" + Mask)
			q = q[len(key)+1:]
			end := nextKnownKey(q, sep)
			if end < 0 {
				return b.String()
			}
			q = q[end:] // at sep
			b.WriteByte(sep)
			q = q[1:]
			continue
		}
		j := strings.IndexByte(q, sep)
		if j < 0 {
			b.WriteString(q)
			return b.String()
		}
		b.WriteString(q[:j+1])
		q = q[j+1:]
	}
	return b.String()
}

// nextKnownKey returns the index of the first sep in s that is followed by a
// known key and '=', or -1.
func nextKnownKey(s string, sep byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] != sep {
			continue
		}
		if k := paramKey.FindString(s[i+1:]); k != "" && knownKeys[strings.ToLower(k)] && strings.HasPrefix(s[i+1+len(k):], "=") {
			return i
		}
	}
	return -1
}

// nextKnownKeyword is nextKnownKey for keyword/value form: the next blank
// followed by a known keyword, optional blanks and '='.
func nextKnownKeyword(s string) int {
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		k := paramKey.FindString(s[j:])
		if k == "" || !knownKeys[strings.ToLower(k)] {
			continue
		}
		j += len(k)
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '=' {
			return i
		}
	}
	return -1
}

// redactKeywordValue masks the secret values of a libpq keyword/value string
// such as "host=db user=app password='s e c'". Anything that does not read as
// keyword=value masks the rest of the string.
func redactKeywordValue(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		for i < len(s) && isSpace(s[i]) {
			b.WriteByte(s[i])
			i++
		}
		if i >= len(s) {
			break
		}
		key := paramKey.FindString(s[i:])
		j := i + len(key)
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if key == "" || j >= len(s) || s[j] != '=' {
			// Not keyword=value: nothing after this can be trusted to parse.
			b.WriteString(Mask)
			break
		}
		j++
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		b.WriteString(s[i:j])
		i = j
		// The value: quoted with backslash escapes, or up to the next blank.
		end, ok := valueEnd(s, i)
		if !secretKeys[strings.ToLower(key)] {
			if !ok {
				b.WriteString(Mask)
				break
			}
			b.WriteString(s[i:end])
			i = end
			continue
		}
		b.WriteString(Mask)
		if !ok || !startsPair(s[end:]) {
			// An ill-formed secret, or one followed by what is not
			// keyword=value: it ends at the next known keyword, if any.
			n := nextKnownKeyword(s[i:])
			if n < 0 {
				break
			}
			end = i + n
		}
		i = end
	}
	return b.String()
}

// startsPair reports whether s is empty or blanks, or starts (after blanks)
// with keyword=.
func startsPair(s string) bool {
	s = strings.TrimLeft(s, " \t\n\r\f\v")
	if s == "" {
		return true
	}
	k := paramKey.FindString(s)
	return k != "" && strings.HasPrefix(strings.TrimLeft(s[len(k):], " \t\n\r\f\v"), "=")
}

// valueEnd returns the end of the value that starts at s[i], and whether the
// value is well formed (a quoted value closed and followed by a blank or the
// end).
func valueEnd(s string, i int) (int, bool) {
	if i < len(s) && s[i] == '\'' {
		for i++; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '\'':
				i++
				return i, i >= len(s) || isSpace(s[i])
			}
		}
		return len(s), false
	}
	for i < len(s) && !isSpace(s[i]) {
		if s[i] == '\\' {
			i++
		}
		i++
	}
	return min(i, len(s)), true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// Parse parses a connection string for pgx. A URL whose user name or password
// holds unencoded special characters is accepted when the string can be read
// only one way: as a valid URL whose path, fragment and query keys hold no '@'
// (the user information then ends at the last '@' before the host), or else
// with the user information running to the last '@' of the string, followed
// by a valid host list. Otherwise, and for every other syntax error, the
// error shows only the redacted string and asks for percent-encoding.
func Parse(s string) (*pgx.ConnConfig, error) {
	conn := s
	if IsURL(s) {
		fixed, ok := normalizeURL(s)
		if !ok {
			return nil, &Error{msg: "invalid connection string " + Redact(s) + ": cannot tell where the password ends; " + EncodeHint}
		}
		conn = fixed
	}
	cfg, err := pgx.ParseConfig(conn)
	if err != nil {
		return nil, &Error{msg: "invalid connection string " + Redact(s) + ": " + parseReason(err, secretsOf(s, nil)...)}
	}
	return cfg, nil
}

// normalizeURL returns s with its user information percent-encoded (pgx, like
// libpq, ends it at the first '@').
func normalizeURL(s string) (string, bool) {
	if !strings.Contains(s, "@") {
		return s, true
	}
	u, err := url.Parse(s)
	if err == nil && cleanURL(u) && (u.User != nil || !strings.Contains(u.RawQuery, "@")) {
		if u.User == nil {
			return s, true
		}
		i := strings.Index(s, "://") + 3
		authority := s[i:]
		if j := strings.IndexAny(authority, "/?#"); j >= 0 {
			authority = authority[:j]
		}
		at := strings.LastIndexByte(authority, '@')
		return s[:i] + u.User.String() + s[i+at:], true
	}
	return reencodeUserinfo(s)
}

// cleanURL reports whether u shows no sign that a password holds unencoded
// characters: the path and fragment hold no '@', and a '@' in the query is
// only in a parameter's value.
func cleanURL(u *url.URL) bool {
	if u.Fragment != "" || strings.Contains(u.Path, "@") || strings.Contains(u.Host, "@") {
		return false
	}
	for p := range strings.SplitSeq(u.RawQuery, "&") {
		k, _, ok := strings.Cut(p, "=")
		if strings.Contains(k, "@") || (!ok && strings.Contains(p, "@")) {
			return false
		}
	}
	return true
}

// hostList matches the authority after the user information: host names,
// IPv4 or bracketed IPv6 addresses, with optional ports, comma separated.
var hostList = regexp.MustCompile(`^(\[[0-9A-Fa-f:.%\w]+\]|[A-Za-z0-9._%-]*)(:[0-9]*)?(,(\[[0-9A-Fa-f:.%\w]+\]|[A-Za-z0-9._%-]*)(:[0-9]*)?)*$`)

// queryLike matches the start of a query parameter.
var queryLike = regexp.MustCompile(`[?&][A-Za-z_][A-Za-z0-9_]*=`)

// reencodeUserinfo rewrites a URL whose user information holds unencoded
// characters: everything between "scheme://" and the last '@' is the user
// information (the user name up to its first ':'), and what follows must be
// a host list, then an optional /database and ?query.
func reencodeUserinfo(s string) (string, bool) {
	i := strings.Index(s, "://") + 3
	scheme, rest := s[:i], s[i:]
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return "", false
	}
	userinfo, after := rest[:at], rest[at+1:]
	if queryLike.MatchString(userinfo) {
		// "?key=" before the last '@': that '@' may be in the query.
		return "", false
	}
	authority := after
	if j := strings.IndexAny(after, "/?#"); j >= 0 {
		authority = after[:j]
	}
	if !hostList.MatchString(authority) || strings.Contains(after, "#") {
		return "", false
	}
	user, password, hasPassword := strings.Cut(userinfo, ":")
	var ui *url.Userinfo
	if hasPassword {
		ui = url.UserPassword(unescape(user), unescape(password))
	} else {
		ui = url.User(unescape(user))
	}
	return scheme + ui.String() + "@" + after, true
}

// unescape percent-decodes s when it is validly encoded, and else takes it as
// it is ("50%off" is a password, not an encoding error).
func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// parseReason is what pgx says about a string it cannot parse, without the
// string or any part of it: the syntax errors of net/url and of pgx's
// keyword/value reader quote pieces of it (a piece of a password), so they
// become a fixed message; the later checks (sslmode, port, ...) are kept.
func parseReason(err error, secrets ...string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return "cannot parse it as a URL; " + EncodeHint
	}
	msg := err.Error()
	var pce *pgconn.ParseConfigError
	if errors.As(err, &pce) {
		if i := strings.LastIndex(msg, "`: "); i >= 0 {
			msg = msg[i+3:]
		} else {
			msg = "cannot parse it"
		}
	}
	if strings.HasPrefix(msg, "failed to parse as ") {
		return "cannot parse it as " + strings.TrimSuffix(strings.Fields(msg[len("failed to parse as "):])[0], ":") + "; " + EncodeHint
	}
	return scrub(msg, secrets...)
}

// secretsOf returns the passwords of s (as typed and decoded) and of cfg.
func secretsOf(s string, cfg *pgconn.Config) []string {
	var out []string
	if cfg != nil {
		out = append(out, cfg.Password)
	}
	if IsURL(s) {
		i := strings.Index(s, "://") + 3
		if at := strings.LastIndexByte(s[i:], '@'); at >= 0 {
			if _, pw, ok := strings.Cut(s[i:i+at], ":"); ok {
				out = append(out, pw, unescape(pw))
			}
		}
	}
	return out
}

// minScrub is the shortest secret that is also replaced inside messages
// (shorter ones would mangle ordinary words).
const minScrub = 4

// scrub replaces every occurrence of the secrets, as they are and as they
// would be percent-encoded, by Mask.
func scrub(msg string, secrets ...string) string {
	for _, s := range secrets {
		if len(s) < minScrub {
			continue
		}
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s), url.UserPassword("u", s).String()[2:]} {
			if len(form) >= minScrub {
				msg = strings.ReplaceAll(msg, form, Mask)
			}
		}
	}
	return msg
}

// Error is an error about a connection string or a connection. Its message
// names the target by its redacted string and holds no secret; Unwrap gives
// the cause without pgx's *pgconn.ConnectError or *pgconn.ParseConfigError
// (so errors.As still finds a *pgconn.PgError, say).
type Error struct {
	msg string
	err error
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns the cause (nil for a string that cannot be parsed: pgx's
// causes would quote it).
func (e *Error) Unwrap() error { return e.err }

// Parts are the fields of a connection, as a Database's Secret holds them.
type Parts struct {
	Host     string
	Port     string
	User     string
	Password string
	// HasPassword tells an empty password from none.
	HasPassword bool
	Database    string
	SSLMode     string
}

// Build returns the postgres:// URL of p, every part percent-encoded, so that
// Parse reads back exactly p whatever the password holds.
func Build(p Parts) (string, error) {
	if p.Host == "" {
		return "", errors.New("no host")
	}
	u := &url.URL{Scheme: "postgres", Host: p.Host}
	if p.Port != "" {
		if _, err := strconv.ParseUint(p.Port, 10, 16); err != nil {
			return "", fmt.Errorf("port %q is not a number", p.Port)
		}
		u.Host = p.Host + ":" + p.Port
	}
	q := url.Values{}
	switch {
	case p.User != "" && p.HasPassword:
		u.User = url.UserPassword(p.User, p.Password)
	case p.User != "":
		u.User = url.User(p.User)
	case p.HasPassword:
		q.Set("password", p.Password)
	}
	if p.Database != "" {
		u.Path = "/" + p.Database
	}
	if p.SSLMode != "" {
		q.Set("sslmode", p.SSLMode)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}
