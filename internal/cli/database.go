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
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/spf13/pflag"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// getDatabase reads the Database named by args (database NAME) in the
// namespace of the flags.
func (g *GlobalOptions) getDatabase(ctx context.Context, args []string, verb string) (*cluster, *v1alpha1.Database, error) {
	k, name, err := parseTarget(args, DatabaseKinds, false, verb)
	if err != nil {
		return nil, nil, err
	}
	c, err := g.connect()
	if err != nil {
		return nil, nil, err
	}
	obj, err := c.getObject(ctx, k, c.namespace, name)
	if err != nil {
		return nil, nil, err
	}
	return c, obj.(*v1alpha1.Database), nil
}

func describeDB(db *v1alpha1.Database) string {
	return describe(kindOf(db), db.Namespace, db.Name)
}

// notCheckedYet returns an error when the agent has not compared the
// database with its desired schema yet, or could not: then there is no plan
// and no drift report to show.
func notCheckedYet(db *v1alpha1.Database) error {
	ready := conditions.Get(db, meta.ReadyCondition)
	switch {
	case ready == nil:
		return fmt.Errorf("%s has not been reconciled yet", describeDB(db))
	case ready.Status != metav1.ConditionTrue && db.Status.Plan == nil:
		return fmt.Errorf("%s has no plan: %s: %s", describeDB(db), ready.Reason, oneLine(ready.Message))
	}
	return nil
}

// Diff runs `schemactl diff database NAME`: it prints the pending plan as
// SQL with its hazards and returns an ExitChanges error when a plan is
// pending; nothing is printed but a comment when the database is in sync.
func Diff(ctx context.Context, g *GlobalOptions, args []string) error {
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	_, db, err := g.getDatabase(ctx, args, "diff")
	if err != nil {
		return err
	}
	if err := notCheckedYet(db); err != nil {
		return err
	}
	p := db.Status.Plan
	w := g.Streams.Out
	if p == nil {
		_, _ = fmt.Fprintln(w, paint(g.Color, colorFaint, fmt.Sprintf("-- in sync: %s holds the desired schema of revision %s", describeDB(db), db.Status.LastAppliedRevision)))
		return nil
	}
	writePlan(w, g.Color, db)
	return WithExitCode(ExitChanges, nil)
}

// writePlan writes a Database's pending plan as SQL: a header, why it is not
// applied, then each statement with its hazards.
func writePlan(w io.Writer, color bool, db *v1alpha1.Database) {
	p := db.Status.Plan
	comment := func(s string) { _, _ = fmt.Fprintln(w, paint(color, colorFaint, "-- "+s)) }
	head := fmt.Sprintf("-- plan %s", p.ID)
	if p.Revision != "" {
		head += " for revision " + p.Revision
	}
	head += fmt.Sprintf(": %d statement(s)", p.Statements)
	if p.Destructive {
		head += ", destructive"
	}
	headColor := colorFaint
	if len(p.Hazards) > 0 {
		head += ", hazards: " + strings.Join(p.Hazards, ", ")
		headColor = hazardColor(p.Hazards)
	}
	_, _ = fmt.Fprintln(w, paint(color, headColor, head))
	if ready := conditions.Get(db, meta.ReadyCondition); ready != nil && ready.Status == metav1.ConditionFalse {
		if slices.Contains(blockedReasons, ready.Reason) {
			_, _ = fmt.Fprintln(w, paint(color, colorYellow, fmt.Sprintf("-- blocked (%s): approve it with: schemactl approve database %s -n %s --plan %s", ready.Reason, db.Name, db.Namespace, p.ID)))
		} else {
			comment(fmt.Sprintf("not applied (%s): %s", ready.Reason, oneLine(ready.Message)))
		}
	}
	for _, stmt := range p.SQL {
		lines := strings.Split(terminate(stmt), "\n")
		sqlColor := ""
		for _, line := range lines {
			if !strings.HasPrefix(line, "--") {
				sqlColor = statementColor(line)
				break
			}
		}
		for _, line := range lines {
			switch {
			case strings.HasPrefix(line, "-- hazards:"):
				_, _ = fmt.Fprintln(w, paint(color, hazardColor(strings.Split(strings.TrimPrefix(line, "-- hazards: "), ", ")), line))
			case strings.HasPrefix(line, "--"):
				_, _ = fmt.Fprintln(w, paint(color, colorFaint, line))
			default:
				_, _ = fmt.Fprintln(w, paint(color, sqlColor, line))
			}
		}
	}
}

// terminate ends a statement with a semicolon; comment-only entries (the
// "… and N more" note) stay as they are.
func terminate(stmt string) string {
	stmt = strings.TrimRight(stmt, " \n")
	lines := strings.Split(stmt, "\n")
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "--") || strings.HasSuffix(last, ";") {
		return stmt
	}
	return stmt + ";"
}

func hazardColor(hazards []string) string {
	if slices.Contains(hazards, "DataLoss") {
		return colorRed
	}
	return colorYellow
}

// statementColor colors SQL like a diff: what drops red, what creates or
// adds green.
func statementColor(line string) string {
	u := strings.ToUpper(strings.TrimSpace(line))
	switch {
	case strings.HasPrefix(u, "DROP ") || strings.Contains(u, " DROP "):
		return colorRed
	case strings.HasPrefix(u, "CREATE ") || strings.Contains(u, " ADD "):
		return colorGreen
	}
	return ""
}

// DriftOptions are the flags of `schemactl drift`.
type DriftOptions struct {
	// Output is table, json or yaml.
	Output string
}

// BindFlags binds the options to fs.
func (o *DriftOptions) BindFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.Output, "output", "o", OutputTable, "output format: "+strings.Join(OutputFormats, ", "))
}

// driftOutput is the JSON and YAML shape of `schemactl drift`.
type driftOutput struct {
	Namespace  string                 `json:"namespace"`
	Name       string                 `json:"name"`
	Revision   string                 `json:"revision,omitempty"`
	Drifted    bool                   `json:"drifted"`
	DetectedAt *metav1.Time           `json:"detectedAt,omitempty"`
	Count      int32                  `json:"count"`
	Changes    []v1alpha1.DriftChange `json:"changes"`
}

// Drift runs `schemactl drift database NAME`: it prints the drift report,
// one object and how it differs per line, and returns an ExitChanges error
// when there is drift.
func Drift(ctx context.Context, g *GlobalOptions, o DriftOptions, args []string) error {
	if err := validateOutput(o.Output); err != nil {
		return err
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	_, db, err := g.getDatabase(ctx, args, "show the drift of")
	if err != nil {
		return err
	}
	if err := notCheckedYet(db); err != nil {
		return err
	}
	d := db.Status.Drift
	if o.Output != OutputTable {
		out := driftOutput{Namespace: db.Namespace, Name: db.Name, Revision: db.Status.LastAppliedRevision, Changes: []v1alpha1.DriftChange{}}
		if d != nil {
			out.Drifted, out.DetectedAt, out.Count, out.Changes = true, &d.DetectedAt, d.Count, d.Changes
		}
		if err := writeValue(g.Streams.Out, o.Output, out); err != nil {
			return err
		}
	} else if d == nil {
		g.ok("no drift: %s holds the desired schema of revision %s", describeDB(db), db.Status.LastAppliedRevision)
	} else {
		_, _ = fmt.Fprintf(g.Streams.ErrOut, "%s: %d change(s) made outside Git since revision %s was applied, first seen %s ago\n",
			describeDB(db), d.Count, db.Status.LastAppliedRevision, age(d.DetectedAt.Time))
		if err := writeDrift(g.Streams.Out, d); err != nil {
			return err
		}
	}
	if d != nil {
		return WithExitCode(ExitChanges, nil)
	}
	return nil
}

// writeDrift writes the changes of a report in two aligned columns; a
// change of several lines continues under its first line.
func writeDrift(w io.Writer, d *v1alpha1.DriftReport) error {
	width := 0
	for _, c := range d.Changes {
		width = max(width, len([]rune(c.Object)))
	}
	var b strings.Builder
	for _, c := range d.Changes {
		for i, line := range strings.Split(strings.TrimRight(c.Change, "\n"), "\n") {
			left := ""
			if i == 0 {
				left = c.Object
			}
			b.WriteString(left + strings.Repeat(" ", width-len([]rune(left))) + columnGap + line + "\n")
		}
		if a := c.Attribution; a != nil {
			// Who made it, from the DDL audit, under the change.
			b.WriteString(strings.Repeat(" ", width) + columnGap + "changed " + describeAttribution(a) + "\n")
		}
	}
	if more := int(d.Count) - len(d.Changes); more > 0 {
		fmt.Fprintf(&b, "… and %d more (the report keeps the first %d)\n", more, len(d.Changes))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ApproveOptions are the flags of `schemactl approve`.
type ApproveOptions struct {
	// Plan is the id of the plan to approve; it must be the pending one.
	// Empty approves the pending plan.
	Plan string
	// Wait waits until the plan is applied and the Database is Ready.
	Wait bool
}

// BindFlags binds the options to fs.
func (o *ApproveOptions) BindFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Plan, "plan", "", "the id of the plan to approve (sha256:...); refused unless it is the pending plan. Default: the pending plan")
	fs.BoolVar(&o.Wait, "wait", false, "wait until the plan is applied and the Database is Ready")
}

// Approve runs `schemactl approve database NAME`: it sets spec.approvedPlan
// to the id of the pending plan, refusing when --plan names another plan.
// The write is conditional on the object not having changed since it was
// read, so that a plan that changed meanwhile is never approved unseen.
func Approve(ctx context.Context, g *GlobalOptions, o ApproveOptions, args []string) error {
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, db, err := g.getDatabase(ctx, args, "approve")
	if err != nil {
		return err
	}
	what := describeDB(db)
	want := o.Plan
	token := ""
	if o.Wait {
		token = requestToken()
	}
	for attempt := 0; ; attempt++ {
		p := db.Status.Plan
		switch {
		case p == nil:
			return fmt.Errorf("%s has no pending plan: nothing to approve", what)
		case o.Plan != "" && p.ID != o.Plan:
			return fmt.Errorf("plan %s is not the pending plan of %s (pending: %s): nothing approved", o.Plan, what, p.ID)
		case want != "" && p.ID != want:
			return fmt.Errorf("the pending plan of %s changed while approving (now %s): nothing approved; look at it with schemactl diff database %s -n %s", what, p.ID, db.Name, db.Namespace)
		}
		want = p.ID
		orig := db.DeepCopy()
		db.Spec.ApprovedPlan = p.ID
		if token != "" {
			ann := db.GetAnnotations()
			if ann == nil {
				ann = map[string]string{}
			}
			ann[meta.ReconcileRequestAnnotation] = token
			db.SetAnnotations(ann)
		}
		err := c.Patch(ctx, db, client.MergeFromWithOptions(orig, client.MergeFromWithOptimisticLock{}))
		if err == nil {
			break
		}
		if !apierrors.IsConflict(err) || attempt == 4 {
			return fmt.Errorf("approving the plan of %s: %w", what, c.explain(err))
		}
		// The agent wrote the status meanwhile: read again and check that
		// the pending plan is still the one approved.
		db = &v1alpha1.Database{}
		if err := c.Get(ctx, client.ObjectKeyFromObject(orig), db); err != nil {
			return c.explain(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	p := db.Status.Plan
	detail := fmt.Sprintf("%d statement(s)", p.Statements)
	if len(p.Hazards) > 0 {
		detail += ", hazards: " + strings.Join(p.Hazards, ", ")
	}
	g.ok("approved plan %s of %s (%s)", p.ID, what, detail)
	if !o.Wait {
		return nil
	}
	got, err := g.waitReady(ctx, c, kindOf(db), client.ObjectKeyFromObject(db), token)
	if err != nil {
		return err
	}
	applied := got.(*v1alpha1.Database).Status.LastApplied
	if applied != nil && applied.PlanID == p.ID {
		g.ok("plan %s applied to %s: %d statement(s) at revision %s", p.ID, what, applied.Statements, applied.Revision)
		return nil
	}
	g.reportReady(kindOf(db), got)
	return nil
}

// describeAttribution renders who made a drifted change: who, from where, with
// what application, when and what statement.
func describeAttribution(a *v1alpha1.DriftAttribution) string {
	who := a.SessionUser
	if a.CurrentUser != "" && a.CurrentUser != a.SessionUser {
		who += " (as " + a.CurrentUser + ")"
	}
	from := a.ClientAddr
	if from == "" {
		from = "local socket"
	}
	return fmt.Sprintf("by %s from %s, application %s, at %s: %s", who, from, a.ApplicationName,
		a.At.UTC().Format(time.RFC3339), strings.Join(strings.Fields(a.Statement), " "))
}
