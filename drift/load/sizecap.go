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
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// sizeCheckInterval is how often the size of the scratch database is read
// while the desired schema loads.
const sizeCheckInterval = 250 * time.Millisecond

// sizeWatch reads the size of the scratch database from the admin's session
// on the maintenance database while the desired schema loads, and cancels the
// statements of the load's sessions when it exceeds the cap: a single
// statement (CREATE TABLE ... AS, an index over generated rows) may write
// for as long as its statement_timeout allows, so checking between statements
// is not enough. The admin's connection is used by nothing else meanwhile.
type sizeWatch struct {
	max      int64
	exceeded atomic.Int64 // the size seen above max, 0 while below
	stop     chan struct{}
	done     chan struct{}
}

func watchSize(ctx context.Context, admin *pgx.Conn, db string, max int64, pids []uint32) *sizeWatch {
	w := &sizeWatch{max: max, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(sizeCheckInterval)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			size, err := databaseSize(ctx, admin, db)
			if err != nil {
				return
			}
			if size > max {
				w.exceeded.Store(size)
				for _, pid := range pids {
					_, _ = admin.Exec(ctx, "SELECT pg_catalog.pg_cancel_backend($1)", int64(pid))
				}
				return
			}
		}
	}()
	return w
}

// finish stops the watch and checks the size once more, so that what the
// last statements wrote counts too. It returns the error of a size above the
// cap.
func (w *sizeWatch) finish(ctx context.Context, admin *pgx.Conn, db string) error {
	close(w.stop)
	<-w.done
	if w.exceeded.Load() == 0 && !admin.IsClosed() {
		if size, err := databaseSize(ctx, admin, db); err == nil && size > w.max {
			w.exceeded.Store(size)
		}
	}
	if size := w.exceeded.Load(); size > 0 {
		return &SizeError{Size: size, Max: w.max}
	}
	return nil
}

func databaseSize(ctx context.Context, admin *pgx.Conn, db string) (int64, error) {
	var size int64
	err := admin.QueryRow(ctx, "SELECT pg_catalog.pg_database_size($1::pg_catalog.text)", db).Scan(&size)
	return size, err
}

// SizeError is a load stopped because the scratch database grew beyond
// Options.MaxSize.
type SizeError struct {
	// Size is the size the scratch database reached, Max the cap, in bytes.
	Size, Max int64
	// At is "file:line" of the statement that was running, if any.
	At string
}

func (e *SizeError) Error() string {
	at := ""
	if e.At != "" {
		at = e.At + ": "
	}
	return fmt.Sprintf("%sthe desired schema wrote %d MiB into the scratch database, more than the load's cap of %d MiB; load stopped (schema files should hold schema, not data)",
		at, e.Size>>20, e.Max>>20)
}
