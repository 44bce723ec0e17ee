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
	"sort"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// Actions of `schemactl rollout`.
const (
	// RolloutStatus prints the rollout of a DatabaseSet.
	RolloutStatus = "status"
	// RolloutResume continues a halted rollout (or restarts an aborted one).
	RolloutResume = "resume"
	// RolloutAbort returns every member to the previous revision.
	RolloutAbort = "abort"
)

// RolloutActions are the actions of `schemactl rollout`.
var RolloutActions = []string{RolloutStatus, RolloutResume, RolloutAbort}

// IsDatabaseSetNoun reports whether args start with a name of the DatabaseSet
// kind (`approve databaseset NAME`, `tree databaseset NAME`).
func IsDatabaseSetNoun(args []string) bool {
	if len(args) == 0 {
		return false
	}
	k, err := lookupKind(args[0], DatabaseSetKinds)
	return err == nil && k.kind == v1alpha1.DatabaseSetKind
}

func (g *GlobalOptions) getDatabaseSet(ctx context.Context, args []string, verb string) (*cluster, *v1alpha1.DatabaseSet, error) {
	k, name, err := parseTarget(args, DatabaseSetKinds, false, verb)
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
	return c, obj.(*v1alpha1.DatabaseSet), nil
}

// Rollout runs `schemactl rollout status|resume|abort databaseset NAME`.
// resume and abort set the schemactl.dev/rollout-request annotation, which the
// agent handles once per value.
func Rollout(ctx context.Context, g *GlobalOptions, action string, args []string) error {
	if !slices.Contains(RolloutActions, action) {
		return fmt.Errorf("unknown rollout action %q: use one of %s", action, strings.Join(RolloutActions, ", "))
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, set, err := g.getDatabaseSet(ctx, args, "rollout "+action)
	if err != nil {
		return err
	}
	what := "DatabaseSet " + set.Namespace + "/" + set.Name
	if action == RolloutStatus {
		return writeRolloutStatus(g.Streams.Out, set)
	}
	ro := set.Status.Rollout
	switch {
	case ro == nil:
		return fmt.Errorf("%s has no rollout yet", what)
	case action == RolloutResume && ro.Phase != v1alpha1.RolloutHalted && ro.Phase != v1alpha1.RolloutAborted:
		return fmt.Errorf("the rollout of %s is %s: only a Halted or Aborted rollout resumes", what, ro.Phase)
	case action == RolloutAbort && ro.Phase != v1alpha1.RolloutHalted && ro.Phase != v1alpha1.RolloutProgressing:
		return fmt.Errorf("the rollout of %s is %s: only a Progressing or Halted rollout aborts", what, ro.Phase)
	}
	orig := set.DeepCopy()
	ann := set.GetAnnotations()
	if ann == nil {
		ann = map[string]string{}
	}
	ann[v1alpha1.RolloutRequestAnnotation] = action + " " + requestToken()
	set.SetAnnotations(ann)
	if err := c.Patch(ctx, set, client.MergeFrom(orig)); err != nil {
		return fmt.Errorf("requesting %s of the rollout of %s: %w", action, what, c.explain(err))
	}
	switch action {
	case RolloutResume:
		g.ok("resume of the rollout of revision %s requested for %s", shortRevision(ro.Revision), what)
	default:
		g.ok("abort of the rollout of revision %s requested for %s: every member returns to %s", shortRevision(ro.Revision), what, shortRevision(ro.PreviousRevision))
	}
	return nil
}

// writeRolloutStatus prints the rollout of set.
func writeRolloutStatus(w io.Writer, set *v1alpha1.DatabaseSet) error {
	ro := set.Status.Rollout
	var b strings.Builder
	fmt.Fprintf(&b, "DatabaseSet %s/%s: %d member(s), %d ready, %d drifted, %d failed, %d blocked\n", set.Namespace, set.Name,
		set.Status.Members, set.Status.Ready, set.Status.Drifted, set.Status.Failed, set.Status.Blocked)
	if ro == nil {
		b.WriteString("no rollout yet\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "revision:   %s\n", ro.Revision)
	if ro.PreviousRevision != "" {
		fmt.Fprintf(&b, "previous:   %s\n", ro.PreviousRevision)
	}
	fmt.Fprintf(&b, "phase:      %s\n", ro.Phase)
	fmt.Fprintf(&b, "wave:       %d\n", ro.Wave)
	fmt.Fprintf(&b, "updated:    %d/%d (%d at the revision)\n", ro.Updated, set.Status.Members, ro.UpToDate)
	if ro.Message != "" {
		fmt.Fprintf(&b, "message:    %s\n", oneLine(ro.Message))
	}
	if ro.Failed > 0 {
		fmt.Fprintf(&b, "failed:     %d\n", ro.Failed)
		for _, f := range ro.Failures {
			line := fmt.Sprintf("  %s  %s: %s", f.Database, f.Reason, truncate(oneLine(f.Message), maxStatusWidth))
			if f.PlanID != "" {
				line += fmt.Sprintf("  (approve: schemactl approve databaseset %s -n %s --plan %s)", set.Name, set.Namespace, f.PlanID)
			}
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// treeDatabaseSet draws a DatabaseSet and its members with their state.
func treeDatabaseSet(ctx context.Context, g *GlobalOptions, c *cluster, name string) error {
	k, _ := lookupKind(v1alpha1.DatabaseSetKind, DatabaseSetKinds)
	obj, err := c.getObject(ctx, k, c.namespace, name)
	if err != nil {
		return err
	}
	set := obj.(*v1alpha1.DatabaseSet)
	root := &treeNode{text: fmt.Sprintf("%s/%s/%s  %s", v1alpha1.DatabaseSetKind, set.Namespace, set.Name, nodeStatus(set))}
	if ro := set.Status.Rollout; ro != nil {
		root.text += "  rollout " + rolloutOf(set)
	}
	var list v1alpha1.DatabaseList
	if err := c.List(ctx, &list, client.InNamespace(set.Namespace), client.MatchingLabels{v1alpha1.DatabaseSetLabel: set.Name}); err != nil {
		return c.explain(err)
	}
	sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].Name < list.Items[j].Name })
	for i := range list.Items {
		db := &list.Items[i]
		text := fmt.Sprintf("%s/%s/%s  %s", v1alpha1.DatabaseKind, db.Namespace, db.Name, nodeStatus(db))
		if db.Spec.SourceRevision != "" && db.Spec.SourceRevision != db.Status.LastAppliedRevision {
			text += "  pinned " + shortRevision(db.Spec.SourceRevision)
		}
		n := root.add(text)
		if p := db.Status.Plan; p != nil && p.Destructive {
			n.add(fmt.Sprintf("Plan %s  %d statement(s), pending, destructive", p.ID, p.Statements))
		}
	}
	return root.write(g.Streams.Out)
}

// ApproveSet runs `schemactl approve databaseset NAME --plan ID`: it adds ID to
// the set's spec.approvedPlans, which the agent hands to every member whose
// pending plan has that id. The id must be the pending plan of at least one
// member.
func ApproveSet(ctx context.Context, g *GlobalOptions, o ApproveOptions, args []string) error {
	if o.Plan == "" {
		return fmt.Errorf("approve databaseset needs --plan ID: one approval covers the members whose pending plan has that id")
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, set, err := g.getDatabaseSet(ctx, args, "approve")
	if err != nil {
		return err
	}
	what := "DatabaseSet " + set.Namespace + "/" + set.Name
	var list v1alpha1.DatabaseList
	if err := c.List(ctx, &list, client.InNamespace(set.Namespace), client.MatchingLabels{v1alpha1.DatabaseSetLabel: set.Name}); err != nil {
		return c.explain(err)
	}
	var members []string
	for _, db := range list.Items {
		if p := db.Status.Plan; p != nil && p.ID == o.Plan {
			members = append(members, db.Name)
		}
	}
	if len(members) == 0 {
		return fmt.Errorf("no member of %s has pending plan %s: nothing approved", what, o.Plan)
	}
	if slices.Contains(set.Spec.ApprovedPlans, o.Plan) {
		g.ok("plan %s is already approved for %s (%d member(s) pending with it)", o.Plan, what, len(members))
		return nil
	}
	orig := set.DeepCopy()
	set.Spec.ApprovedPlans = append(set.Spec.ApprovedPlans, o.Plan)
	if n := len(set.Spec.ApprovedPlans); n > v1alpha1.MaxApprovedPlans {
		set.Spec.ApprovedPlans = set.Spec.ApprovedPlans[n-v1alpha1.MaxApprovedPlans:]
	}
	if err := c.Patch(ctx, set, client.MergeFromWithOptions(orig, client.MergeFromWithOptimisticLock{})); err != nil {
		return fmt.Errorf("approving plan %s for %s: %w", o.Plan, what, c.explain(err))
	}
	g.ok("approved plan %s for %s: %d member(s) pending with it (%s)", o.Plan, what, len(members), strings.Join(firstN(members, 5), ", "))
	return nil
}

func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(slices.Clone(s[:n]), fmt.Sprintf("… and %d more", len(s)-n))
}
