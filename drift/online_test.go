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

package drift_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/drift/inspect"
	"github.com/schemactl/schema-controller/drift/model"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
)

// TestApply_lockTimeout_failsCleanlyAndRetries holds a lock that conflicts with a
// step of the plan in another session: the apply waits at most lock_timeout, fails
// with lock_not_available, leaves the database exactly as it was, and the same apply
// succeeds once the lock is gone. Once for a step of the transaction (ADD COLUMN
// needs ACCESS EXCLUSIVE, an open reader holds ACCESS SHARE), once for an online step
// (CREATE INDEX CONCURRENTLY needs SHARE UPDATE EXCLUSIVE, held by another session).
func TestApply_lockTimeout_failsCleanlyAndRetries(t *testing.T) {
	srv := pgtest.Shared(t)
	const old = `CREATE TABLE public.t (id int PRIMARY KEY, a int);
INSERT INTO public.t SELECT g, g FROM generate_series(1, 1000) g;`
	for _, tc := range []struct {
		name, desired, hold, phase string
	}{
		{"transactional", "CREATE TABLE public.t (id int PRIMARY KEY, a int, b text);",
			"LOCK TABLE public.t IN ACCESS SHARE MODE", "rolled back"},
		{"online", "CREATE TABLE public.t (id int PRIMARY KEY, a int);\nCREATE INDEX t_a ON public.t (a);",
			"LOCK TABLE public.t IN SHARE UPDATE EXCLUSIVE MODE", "CONCURRENTLY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			url := srv.NewDatabase(t)
			execSQL(t, url, old)
			desired, _, err := drift.LoadDesired(ctx, writeDir(t, map[string]string{"schema.sql": tc.desired}), srv.AdminURL(), 30*time.Second, inspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			conn, err := drift.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = conn.Close(context.Background()) }()
			before, err := inspect.Inspect(ctx, conn, inspect.Options{})
			if err != nil {
				t.Fatal(err)
			}

			holder, err := pgx.Connect(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = holder.Close(context.Background()) }()
			tx, err := holder.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, tc.hold); err != nil {
				t.Fatal(err)
			}

			const lockTimeout = 300 * time.Millisecond
			opts := drift.Options{LockTimeout: lockTimeout, NoRecord: true}
			start := time.Now()
			_, err = drift.ApplyModel(ctx, conn, desired, opts, "")
			waited := time.Since(start)
			var pg *pgconn.PgError
			if !errors.As(err, &pg) || pg.Code != "55P03" {
				t.Fatalf("apply under a held lock: want lock_not_available (55P03), got %v", err)
			}
			if !strings.Contains(err.Error(), tc.phase) {
				t.Errorf("the failing step should be the %s one: %v", tc.name, err)
			}
			// lock_timeout bounds the wait; the rest is inspecting and planning. The
			// bound is loose on purpose (a busy machine), the SQLSTATE is the proof.
			if waited < lockTimeout || waited > lockTimeout+20*time.Second {
				t.Errorf("apply waited %s with lock_timeout %s", waited, lockTimeout)
			}
			after, err := inspect.Inspect(ctx, conn, inspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if after.Fingerprint() != before.Fingerprint() {
				t.Fatal("a failed apply changed the schema")
			}

			if err := tx.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := drift.ApplyModel(ctx, conn, desired, opts, ""); err != nil {
				t.Fatalf("retry once the lock is gone: %v", err)
			}
			again, _, err := drift.Diff(ctx, conn, desired, inspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !again.Empty() {
				t.Fatalf("after the retry the plan is not empty:\n%s", again.SQL())
			}
		})
	}
}

// TestApply_writesContinueDuringOnlineSteps writes rows in a loop while an index is
// replaced (built concurrently under a temporary name, swapped) and a column becomes
// NOT NULL (through a NOT VALID check validated online), and shows that no write
// failed and writes went on during the apply.
func TestApply_writesContinueDuringOnlineSteps(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	execSQL(t, url, `CREATE TABLE public.t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, email text, n int);
CREATE INDEX t_email ON public.t (email);
INSERT INTO public.t (email, n) SELECT 'user' || g || '@example.com', g FROM generate_series(1, 50000) g;`)
	desired, _, err := drift.LoadDesired(ctx, writeDir(t, map[string]string{"schema.sql": `
CREATE TABLE public.t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, email text, n int NOT NULL);
CREATE INDEX t_email ON public.t (lower(email));`}), srv.AdminURL(), 30*time.Second, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	p, _, err := drift.Diff(ctx, conn, desired, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sql := p.SQL()
	for _, want := range []string{"CREATE INDEX CONCURRENTLY t_email__schemactl_new", "VALIDATE CONSTRAINT n__schemactl_not_null", "SET NOT NULL"} {
		if !strings.Contains(sql, want) {
			t.Fatalf("plan lacks %q:\n%s", want, sql)
		}
	}

	writer, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = writer.Close(context.Background()) }()
	var (
		stop    atomic.Bool
		writes  atomic.Int64
		failure atomic.Pointer[error]
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; !stop.Load(); i++ {
			_, err := writer.Exec(ctx, "INSERT INTO public.t (email, n) VALUES ($1, $2)", "w"+time.Now().Format("150405.000000")+"@example.com", i)
			if err == nil {
				_, err = writer.Exec(ctx, "UPDATE public.t SET n = n + 1 WHERE id = $1", int64(i%50000)+1)
			}
			if err != nil {
				failure.Store(&err)
				return
			}
			writes.Add(1)
		}
	}()
	for writes.Load() == 0 && failure.Load() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	before := writes.Load()
	_, applyErr := drift.ApplyModel(ctx, conn, desired, drift.Options{NoRecord: true}, "")
	during := writes.Load() - before
	stop.Store(true)
	wg.Wait()
	if applyErr != nil {
		t.Fatalf("apply: %v", applyErr)
	}
	if err := failure.Load(); err != nil {
		t.Fatalf("a write failed during the apply: %v", *err)
	}
	if during == 0 {
		t.Fatal("no write went through while the apply ran")
	}
	t.Logf("%d writes during the apply", during)
	again, _, err := drift.Diff(ctx, conn, desired, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Fatalf("plan after apply is not empty:\n%s", again.SQL())
	}
}

// TestApply_droppedForeignKeysDoNotDeadlockWriters: dropping a foreign key locks the
// table it references in ACCESS EXCLUSIVE mode until the transaction commits. Taken
// statement by statement, that lock was held while the transaction waited for the
// next table, and a writer holding that table (its INSERT done, its foreign key
// check waiting for the referenced table) deadlocked with it — PostgreSQL aborted the
// writer. The transaction now locks every table it alters first (apply.preLock):
// writers wait, none fails.
func TestApply_droppedForeignKeysDoNotDeadlockWriters(t *testing.T) {
	srv := pgtest.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	url := srv.NewDatabase(t)
	const tables = 24
	var with, without strings.Builder
	with.WriteString("CREATE TABLE public.ref (id int PRIMARY KEY);\n")
	without.WriteString(with.String())
	for i := 1; i <= tables; i++ {
		fmt.Fprintf(&with, "CREATE TABLE public.t%02d (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n int, r int DEFAULT 1 REFERENCES public.ref (id));\n", i)
		fmt.Fprintf(&without, "CREATE TABLE public.t%02d (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n int);\n", i)
	}
	execSQL(t, url, with.String()+"INSERT INTO public.ref VALUES (1);")
	states := make([]*model.Schema, 2)
	for i, sql := range []string{without.String(), with.String()} {
		s, _, err := drift.LoadDesired(ctx, writeDir(t, map[string]string{"schema.sql": sql}), srv.AdminURL(), 30*time.Second, inspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		states[i] = s
	}
	var (
		stop     atomic.Bool
		writes   atomic.Int64
		failures atomic.Int64
		firstErr atomic.Pointer[error]
		wg       sync.WaitGroup
	)
	// Writers on the tables the apply reaches last, so that they hold them while
	// the apply holds public.ref.
	for w := 0; w < 4; w++ {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = conn.Close(context.Background()) }()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				table := fmt.Sprintf("public.t%02d", tables-(i%8)-w*2%8)
				if _, err := conn.Exec(ctx, "INSERT INTO "+table+" (n) VALUES ($1)", i); err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, &err)
					continue
				}
				writes.Add(1)
			}
		}()
	}
	conn, err := drift.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	for round := 0; round < 6; round++ {
		if _, err := drift.ApplyModel(ctx, conn, states[round%2], drift.Options{NoRecord: true, AllowDestructive: true}, ""); err != nil {
			stop.Store(true)
			wg.Wait()
			t.Fatalf("apply %d: %v", round, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d writes failed (of %d), first: %v", n, n+writes.Load(), *firstErr.Load())
	}
	if writes.Load() == 0 {
		t.Fatal("no write went through")
	}
	t.Logf("%d writes, none failed", writes.Load())
}
