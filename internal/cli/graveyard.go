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

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/schemactl/schema-controller/drift"
)

// GraveyardOptions are the flags of `schemactl graveyard list|restore|purge`.
type GraveyardOptions struct {
	// URL is the database (--url, default $SCHEMACTL_URL).
	URL string
	// Timeout bounds the command.
	Timeout time.Duration
	// OlderThan is purge's --older-than: only entries older than this go.
	OlderThan time.Duration
}

func (o GraveyardOptions) connect(ctx context.Context) (*pgx.Conn, error) {
	if o.URL == "" {
		return nil, errors.New("no database URL: pass --url or set SCHEMACTL_URL")
	}
	return drift.Connect(ctx, o.URL)
}

// RunGraveyardList runs `schemactl graveyard list`: one line per entry of the
// graveyard schema, oldest first.
func RunGraveyardList(ctx context.Context, o GraveyardOptions, stdout io.Writer) error {
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	conn, err := o.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	es, err := drift.Graveyard(ctx, conn)
	if err != nil {
		return err
	}
	if len(es) == 0 {
		_, _ = fmt.Fprintln(stdout, "the graveyard is empty")
		return nil
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintln(w, "NAME\tKIND\tORIGINAL\tPLAN\tTIME\tROWS")
	for _, e := range es {
		_, _ = fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\n", e.Name, e.Kind, e.Original(), e.Plan, e.Time.Format(time.RFC3339), e.Rows)
	}
	return w.Flush()
}

// RunGraveyardRestore runs `schemactl graveyard restore NAME`.
func RunGraveyardRestore(ctx context.Context, o GraveyardOptions, name string, stdout io.Writer) error {
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	conn, err := o.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	e, err := drift.RestoreGraveyard(ctx, conn, name)
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintf(stdout, "restored %s %s (%d rows) from %s.%s\n", e.Kind, e.Original(), e.Rows, drift.GraveyardSchema, e.Name)
	return nil
}

// RunGraveyardPurge runs `schemactl graveyard purge [--older-than D] [NAME]`.
func RunGraveyardPurge(ctx context.Context, o GraveyardOptions, name string, stdout io.Writer) error {
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	conn, err := o.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	gone, err := drift.PurgeGraveyard(ctx, conn, o.OlderThan, name)
	for _, e := range gone {
		_, _ = fmt.Fprintf(stdout, "purged %s (%s %s, %d rows)\n", e.Name, e.Kind, e.Original(), e.Rows)
	}
	if err == nil && len(gone) == 0 {
		_, _ = fmt.Fprintln(stdout, "nothing to purge")
	}
	return err
}
