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

// Package load loads a desired schema, a directory of .sql files from Git, into
// a scratch database that another package then inspects. The SQL is untrusted:
// it is split and classified with PostgreSQL's own parser (pg_query), never with
// regular expressions, and executed only in a database created for the load, as
// a role without privileges, under a statement timeout.
//
// It accepts what users already have, as is: hand-written SQL, the output of
// pg_dump (with or without --schema-only) and Rails' db/structure.sql.
//
// # Files
//
// ParseDir reads every file ending in .sql under the directory, recursively,
// and orders them by their slash-separated relative path, compared byte-wise
// ("a.sql" < "a/b.sql" < "b.sql"; "10_x.sql" < "9_x.sql"). Names starting with
// a dot are ignored (".git", ".hidden.sql"). Symbolic links to directories are
// not followed; a link to a file is read only if it stays inside the directory.
// A directory without .sql files is an error (ErrNoFiles): an empty desired
// schema is far more often a wrong path than an intent. Files must be UTF-8
// without NUL bytes.
//
// # Splitting
//
// Before parsing, lines that psql would read and PostgreSQL would not are
// blanked (keeping every offset, line and column):
//
//   - psql meta-commands: a line whose first non-blank character is a backslash,
//     when PostgreSQL's scanner sees that backslash as a token (not inside a
//     string, quoted identifier, dollar-quoted body or comment) and no statement
//     is open. `\restrict`/`\unrestrict` (pg_dump 15.14, 17.6 and later),
//     `\connect`, `\set`... Warning "file:line: psql meta-command \name skipped".
//     A backslash line inside an unterminated statement is a syntax error.
//   - the data of COPY ... FROM stdin, from the line after the statement to the
//     line `\.` (or the end of the file). The COPY statement itself is skipped
//     with a warning naming the number of data lines.
//
// The statements are then those of pg_query's parse tree; Statement.SQL is the
// exact text from the first to the last token of each (comments before it and
// the semicolon are not part of it), and Line:Col is its first token (columns
// count characters). A parse error is a *SyntaxError "file:line:col: message".
//
// # Classification
//
// Execute (schema; run in the scratch database):
//   - CREATE, ALTER and DROP of tables, indexes (also CONCURRENTLY), sequences,
//     views, materialized views, CREATE TABLE AS and SELECT ... INTO (they create
//     tables), functions and procedures, types, domains, casts, operators,
//     collations, text search objects, statistics, rules, triggers, policies,
//     publications, foreign tables, schemas; COMMENT ON; RENAME; SET SCHEMA.
//   - CREATE, ALTER, DROP and COMMENT ON EXTENSION (also parameterless CREATE
//     LANGUAGE, which PostgreSQL reads as CREATE EXTENSION): run by the admin,
//     see below. A comment on an extension the admin does not own (plpgsql,
//     when the admin is no superuser) is a warning.
//   - GRANT and REVOKE of privileges on objects of the database, ALTER DEFAULT
//     PRIVILEGES without FOR ROLE. A grantee that does not exist on the scratch
//     server is a warning "privileges for role "x" not loaded: role does not
//     exist on the scratch server"; the statement runs for the other grantees.
//   - SET, RESET and SELECT of nothing but set_config(...) calls (pg_dump's way
//     to empty search_path): session settings for the following statements of
//     the same file. A parameter the scratch server does not know (42704) is a
//     warning, not an error, so settings of newer or older servers load.
//   - CREATE SCHEMA name AUTHORIZATION role runs without AUTHORIZATION, with a
//     warning (ownership is not managed).
//   - DO blocks. They run arbitrary code, but only what the unprivileged scratch
//     role may do inside the scratch database, no more than a function called
//     from CREATE MATERIALIZED VIEW could; hand-written and generated schemas use
//     them for idempotent DDL. Classification is not the security boundary, the
//     role is.
//
// Skip (not executed; a warning "file:line: reason skipped" each):
//   - data: INSERT, UPDATE, DELETE, MERGE, TRUNCATE, REFRESH MATERIALIZED VIEW,
//     COPY ... FROM stdin (and its data), COPY ... TO stdout, privileges on large
//     objects;
//   - sequence values: SELECT setval(...) / pg_catalog.setval(...);
//   - SELECT pg_catalog.pg_extension_config_dump(...) and every other plain
//     SELECT or VALUES, SHOW, EXPLAIN, CALL;
//   - ownership: ALTER ... OWNER TO (also ALTER TABLE ... OWNER TO), ALTER
//     DEFAULT PRIVILEGES FOR ROLE, SECURITY LABEL;
//   - transaction control: BEGIN, START TRANSACTION, COMMIT, ROLLBACK,
//     SAVEPOINT, RELEASE, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED, SET
//     TRANSACTION, SET SESSION CHARACTERISTICS, SET CONSTRAINTS, SET LOCAL and
//     set_config(..., true) (no effect outside a transaction), LOCK;
//   - the load's own limits: SET statement_timeout, lock_timeout and
//     transaction_timeout (pg_dump sets them to 0);
//   - SET client_encoding to anything but UTF8 (files are read as UTF-8);
//   - maintenance and session: VACUUM, ANALYZE, CLUSTER, REINDEX, DISCARD,
//     PREPARE/EXECUTE/DEALLOCATE, cursors, LISTEN/NOTIFY/UNLISTEN.
//
// Reject (statements whose effects reach beyond one database, or that need a
// superuser; one of them fails the whole load before anything is executed,
// and the *RejectError lists every one as "file:line: reason"):
//   - roles: CREATE/ALTER/DROP ROLE, USER and GROUP, ALTER ROLE ... SET, GRANT
//     and REVOKE of role membership, REASSIGN OWNED, DROP OWNED, SET ROLE, SET
//     SESSION AUTHORIZATION (and set_config of role or session_authorization);
//   - databases: CREATE/ALTER/DROP DATABASE, and COMMENT, GRANT, RENAME and
//     OWNER TO on a database;
//   - tablespaces: CREATE/ALTER/DROP TABLESPACE, ALTER ... ALL IN TABLESPACE;
//   - ALTER SYSTEM, CHECKPOINT, LOAD, GRANT ... ON PARAMETER;
//   - subscriptions; COPY to or from a server file or PROGRAM;
//   - foreign servers, user mappings, foreign-data wrappers and IMPORT FOREIGN
//     SCHEMA (they connect outside the database or hold credentials); event
//     triggers, procedural languages with a handler and access methods (they
//     need a superuser);
//   - SET standard_conforming_strings to anything but on: the statements were
//     split with it on, and a server reading backslashes as escapes would see
//     different statements;
//   - set_config with a computed parameter name; ALTER TABLE mixing OWNER TO with
//     other changes; CREATE SCHEMA with a rejected element;
//   - any statement type not listed here: "unsupported statement <NodeType>";
//   - CREATE or ALTER FUNCTION ... LEAKPROOF (needs a superuser), unless
//     Options.TrustedStatements has TrustedLeakproof: then it runs NOT
//     LEAKPROOF as the role, and the admin runs ALTER FUNCTION <identity>
//     LEAKPROOF, the identity read from the catalog (trusted.go); the reason
//     names the opt-in (--scratch-trusted-statements, a Database's
//     spec.scratchTrustedStatements).
//
// # Loading
//
// Load (ParseDir, then LoadStatements) works on the server of Options.AdminURL,
// connected as a role that may create roles and databases:
//
//  1. Statements are classified again; any rejected one ends the load before
//     a connection is made. The whole load is bounded by Options.Timeout
//     (default 10 minutes).
//  2. Extensions are allowed, not assumed: every CREATE EXTENSION (and CREATE
//     LANGUAGE without a handler, which PostgreSQL reads as one) and ALTER
//     EXTENSION ... UPDATE is looked up in the scratch server's
//     pg_available_extension_versions for the version it would install (the
//     default one unless named; CASCADE is followed). One that PostgreSQL does
//     not mark trusted, or that the server does not have, is rejected with its
//     file:line before anything is created, unless Options.AllowedExtensions
//     names it (the drift engine adds the extensions the target already has).
//     A DO block that creates an extension runs as the scratch role, which
//     may create trusted extensions only.
//  3. The load takes a session advisory lock, in the admin's session, keyed by
//     a hash of its scratch name, before it creates anything, and holds it
//     until it has dropped everything. Scratch databases and roles of
//     Options.Prefix whose lock no session holds (pg_locks is cluster-wide)
//     belong to loads that are gone (kill -9, a lost node): they are dropped at
//     once, WITH (FORCE), whatever their age. CleanupLeftovers does the same
//     on its own (the agent calls it at start-up).
//     Names without the "l" marker come from versions that took no lock: they
//     are dropped only when older than 15 minutes and unused.
//     A role and a database of the same name are created: Prefix, "l", the
//     creation time in unix seconds, "_", 16 random hex digits. The role has LOGIN,
//     CONNECTION LIMIT 1 and VALID UNTIL the load's deadline, and nothing else
//     (NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS, no
//     memberships), a random password sent to the server only as a SCRAM
//     verifier and, when the admin is a superuser, temp_file_limit =
//     Options.MaxSize (set once the files are classified, before the role's
//     session starts). The role and the database are created while the files
//     are parsed and classified; nothing of the files runs before that ends,
//     and a rejected file has them dropped. The loader opens exactly one session as the role and
//     uses it for every statement and for inspection, so no second session can
//     open, even if the desired SQL changed the role's password (a role may
//     change its own password, not its limit or expiry); the role is made
//     NOLOGIN before that session closes. The database is created from
//     template0, UTF8, owned by the role, with every privilege revoked from
//     PUBLIC.
//  4. The public schema stays as a fresh database has it (owned by
//     pg_database_owner from PostgreSQL 15 on; handed to the role on older
//     servers). When the files create it themselves (pg_dump writes CREATE
//     SCHEMA public when the source's was recreated), it is dropped first.
//  5. The Execute statements run in order through the extended protocol (the
//     server refuses a text holding more than one statement) in a session of
//     the scratch role whose statement_timeout and lock_timeout are
//     Options.StatementTimeout; the client also gives up a little later,
//     should the SQL have lifted them. synchronous_commit is off: nothing in a
//     scratch database must survive a crash. Before each file after the first,
//     the session is RESET ALL: every file starts with the default search_path
//     and settings, whatever the previous one set. The statements are
//     pipelined: up to 100 (or 1 MiB) go to the server before their results
//     are read, so the load does not wait a round trip per statement. Such a
//     window first runs as one implicit transaction (one Sync after the last
//     statement), sparing a commit per statement. When that transaction fails
//     nothing of it is left, and the window is sent again with a Sync after
//     each statement, so that each commits on its own exactly as one after
//     the other (CREATE INDEX CONCURRENTLY works, and ALTER TYPE ... ADD VALUE
//     is usable by the next statement) and a failure is that statement's
//     alone; a statement canceled by its timeout is not run again. Statements
//     the loader must answer (extension statements, LEAKPROOF, settings,
//     grants and comments on extensions whose failure it tolerates) run
//     alone, after the pipeline before them is read. After a failure in the
//     second form, the statements already sent still run and are ignored: the
//     load ends with the first failure's file:line either way.
//  6. Extension statements run in an admin session of the scratch database,
//     given the search_path the role's session has at that point, and as
//     pg_query deparses them: extension scripts come from the server, and
//     extensions that are not trusted need a superuser. What the admin executes
//     is exactly the parse tree that was classified.
//     While they run, the size of the scratch database is read every 250 ms;
//     above Options.MaxSize (default 1 GiB) the running statement is cancelled
//     and the load ends with a *SizeError.
//  7. A statement PostgreSQL refuses ends the load with an *ExecError
//     "file:line:col: message (SQLSTATE xxxxx)", positioned where PostgreSQL
//     says inside the statement, or at the statement.
//  8. The inspect callback gets the role's session, reset to its defaults
//     (the load's statement_timeout and lock_timeout still apply).
//  9. The database (WITH (FORCE)) and the role are always dropped, also after
//     errors, a cancelled context or a panic, with a context of their own.
//     With Options.DropInBackground (the agent) the load returns once the role
//     is NOLOGIN and its session closed, and a goroutine drops both while the
//     admin session keeps the scratch name's advisory lock; WaitDrops waits
//     for these drops.
//
// Errors and warnings never contain passwords: internal/connstr parses, redacts
// and connects (see there).
package load
