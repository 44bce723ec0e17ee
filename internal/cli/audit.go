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
	"time"

	"github.com/schemactl/schema-controller/drift"
)

// AuditOptions are the flags of `schemactl audit install|uninstall`.
type AuditOptions struct {
	// URL is the database (--url, default $SCHEMACTL_URL).
	URL string
	// Timeout bounds the command.
	Timeout time.Duration
	drift.AuditOptions
}

// RunAuditInstall runs `schemactl audit install`: it installs the DDL audit
// (event triggers and a bounded table in the schemactl schema) that attributes
// drift. A role that may not create event triggers gets a clear error.
func RunAuditInstall(ctx context.Context, o AuditOptions, stdout io.Writer) error {
	if o.URL == "" {
		return errors.New("no database URL: pass --url or set SCHEMACTL_URL")
	}
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	conn, err := drift.Connect(ctx, o.URL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if err := drift.InstallAudit(ctx, conn, o.AuditOptions); err != nil {
		return err
	}
	_, _ = fmt.Fprintln(stdout, "DDL audit installed: event triggers schemactl_ddl_audit_end and schemactl_ddl_audit_drop record into schemactl.ddl_audit")
	return nil
}

// RunAuditUninstall runs `schemactl audit uninstall`: it removes the DDL audit
// and its records.
func RunAuditUninstall(ctx context.Context, o AuditOptions, stdout io.Writer) error {
	if o.URL == "" {
		return errors.New("no database URL: pass --url or set SCHEMACTL_URL")
	}
	ctx, cancel := withTimeout(ctx, o.Timeout)
	defer cancel()
	conn, err := drift.Connect(ctx, o.URL)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	if err := drift.UninstallAudit(ctx, conn); err != nil {
		return err
	}
	_, _ = fmt.Fprintln(stdout, "DDL audit removed")
	return nil
}
