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

package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemactl/schema-controller/drift/plan"
)

// DefaultPreflightTimeout is the time budget of all pre-flight checks of a plan.
const DefaultPreflightTimeout = 10 * time.Second

// Preflight runs the pre-flight checks of p's statements (plan.Check) against the
// data behind conn, each in a read-only transaction, together within budget, and
// stores their outcomes in p.Preflight. A check that does not finish in what is left
// of the budget is cancelled and reported PreflightNotChecked, as are the checks
// after the budget is spent; budget < 0 turns the checks off (all not checked). It
// returns an error only when the database cannot be asked at all.
func Preflight(ctx context.Context, conn *pgx.Conn, p *plan.Plan, budget time.Duration) error {
	p.Preflight = nil
	deadline := time.Now().Add(budget)
	for i := range p.Statements {
		s := &p.Statements[i]
		c := s.Check
		if c == nil {
			continue
		}
		r := plan.PreflightResult{Statement: i + 1, Object: s.Object, Check: c.Kind}
		left := time.Until(deadline)
		switch {
		case budget < 0:
			r.Outcome, r.Message = plan.PreflightNotChecked, notChecked(c, "pre-flight checks are off")
		case left < time.Millisecond:
			r.Outcome, r.Message = plan.PreflightNotChecked, notChecked(c, fmt.Sprintf("the pre-flight time budget of %s was spent", budget))
		default:
			if err := runCheck(ctx, conn, c, left, budget, &r); err != nil {
				return err
			}
		}
		p.Preflight = append(p.Preflight, r)
	}
	return nil
}

func notChecked(c *plan.Check, why string) string {
	return fmt.Sprintf("%s of %s not checked: %s; the apply may fail on the existing data, and then the failed step is cleaned up", c.Kind, subject(c), why)
}

func subject(c *plan.Check) string {
	switch c.Kind {
	case plan.CheckNotNull, plan.CheckType, plan.CheckEnumValues:
		return "column " + c.Column
	}
	return c.What
}

func runCheck(ctx context.Context, conn *pgx.Conn, c *plan.Check, left, budget time.Duration, r *plan.PreflightResult) error {
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("pre-flight check: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	ms := max(left.Milliseconds(), 1)
	// The check waits for no lock longer than it may run; names are qualified and
	// expressions were rendered for an empty search_path.
	if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d; SET LOCAL lock_timeout = %d; SET LOCAL search_path = ''", ms, ms)); err != nil {
		return fmt.Errorf("pre-flight check: %w", err)
	}
	var n, most int64
	err = tx.QueryRow(ctx, c.Query).Scan(&n, &most)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	var pg *pgconn.PgError
	switch {
	case err == nil && n == 0:
		r.Outcome = plan.PreflightPassed
	case err == nil:
		r.Outcome, r.Message = plan.PreflightRefused, c.Refusal(n, most)
	case errors.As(err, &pg) && (pg.Code == "57014" || pg.Code == "55P03"):
		r.Outcome, r.Message = plan.PreflightNotChecked, notChecked(c, fmt.Sprintf("too expensive: it did not finish within the pre-flight time budget of %s", budget))
	case errors.As(err, &pg) && c.Kind == plan.CheckType && strings.HasPrefix(pg.Code, "22"):
		// A data exception: a value does not convert. PostgreSQL quotes the value
		// after a colon; the reason is enough.
		msg, _, _ := strings.Cut(pg.Message, ":")
		r.Outcome, r.Message = plan.PreflightRefused, c.ConversionRefusal(msg)
	case errors.As(err, &pg):
		// Typically a column or type this plan creates first: the check cannot run
		// before the plan does.
		r.Outcome, r.Message = plan.PreflightNotChecked, notChecked(c, "the check cannot run before the plan ("+pg.Message+")")
	default:
		return fmt.Errorf("pre-flight check: %w", err)
	}
	return nil
}
