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

package pgtest

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
)

// HostilePasswords are passwords with the characters that break naive
// connection string handling (@ / : ? # % space '), alone and combined. Each
// is made of canary tokens (three letters or digits, unique across the list)
// between the special characters, so that a leak of any piece of a password
// is found by Leaks. No '%' is followed by two hex digits: unencoded in a URL,
// that would read as an encoding.
var HostilePasswords = []string{
	"Kq7@Wv3/Jm8:Rt5",
	"Hn2?Bc6#Yp4",
	"Lg1%Zu0 Qs9'Tu8",
	"Mx3@Nv5/Ow6:Pa7?Qb8#Rc9%Sy1 Tg2'Ux3",
	"Vg4 @Wh5'Xi6/",
	"Zk7''Yj8@@Ym9//",
}

var canaryToken = regexp.MustCompile(`[A-Za-z0-9]{3,}`)

// Leaks returns the pieces of the passwords (whole, or any canary token of
// them) that text shows.
func Leaks(text string, passwords ...string) []string {
	var out []string
	for _, pw := range passwords {
		if strings.Contains(text, pw) {
			out = append(out, pw)
			continue
		}
		for _, tok := range canaryToken.FindAllString(pw, -1) {
			if strings.Contains(text, tok) {
				out = append(out, tok)
			}
		}
	}
	return out
}

// CreateLoginRole creates (or alters) a LOGIN role with password on the
// server of adminURL; with RequirePasswords, the cluster checks it.
func CreateLoginRole(ctx context.Context, adminURL, role, password string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connecting to create role %s: %w", role, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = $1)", role).Scan(&exists); err != nil {
		return fmt.Errorf("looking up role %s: %w", role, err)
	}
	verb := "CREATE"
	if exists {
		verb = "ALTER"
	}
	// The password is a literal: utility statements take no parameters.
	lit := "'" + strings.ReplaceAll(password, "'", "''") + "'"
	if _, err := conn.Exec(ctx, fmt.Sprintf("%s ROLE %s LOGIN CREATEDB CREATEROLE PASSWORD %s", verb, pgx.Identifier{role}.Sanitize(), lit)); err != nil {
		return fmt.Errorf("%s role %s: %w", strings.ToLower(verb), role, err)
	}
	return nil
}

// CreateDatabase creates database name owned by owner on the server of
// adminURL; it is dropped with the server (throwaway clusters only).
func CreateDatabase(ctx context.Context, adminURL, name, owner string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connecting to create database %s: %w", name, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s OWNER %s", pgx.Identifier{name}.Sanitize(), pgx.Identifier{owner}.Sanitize())); err != nil {
		return fmt.Errorf("creating database %s: %w", name, err)
	}
	return nil
}
