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
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	"github.com/spf13/pflag"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// SuspendOptions are the flags of `schemactl suspend`.
type SuspendOptions struct {
	// All suspends every object of the kind in the namespace, or in all
	// namespaces with -A.
	All bool
}

// BindFlags binds the options to fs.
func (o *SuspendOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.All, "all", false, "suspend every object of the kind in the namespace (in all namespaces with -A)")
}

// ResumeOptions are the flags of `schemactl resume`.
type ResumeOptions struct {
	// All resumes every suspended object of the kind in the namespace, or in
	// all namespaces with -A.
	All bool
	// Wait waits until the resumed objects are Ready.
	Wait bool
}

// BindFlags binds the options to fs.
func (o *ResumeOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.All, "all", false, "resume every suspended object of the kind in the namespace (in all namespaces with -A)")
	fs.BoolVar(&o.Wait, "wait", true, "wait until the resumed objects are Ready for their new generation")
}

// ReconcileOptions are the flags of `schemactl reconcile`.
type ReconcileOptions struct {
	// WithSource reconciles the Database's source first.
	WithSource bool
}

// BindFlags binds the options to fs.
func (o *ReconcileOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.WithSource, "with-source", false, "reconcile the SchemaRepository of the Database or DatabaseSet first, so that the newest commit is fetched")
}

// parseTarget reads NOUN [NAME] of the commands that act on objects: a
// noun as parseNoun reads it ("source git", "database", "alert",
// "alert-provider", …), then the name unless all.
func parseTarget(args []string, allowed []string, all bool, verb string) (*kindInfo, string, error) {
	ks, rest, multi, err := parseNoun(args, allowed, false)
	if err != nil {
		return nil, "", err
	}
	k := ks[0]
	switch {
	case multi:
		return nil, "", errNoName
	case len(rest) > 1:
		return nil, "", fmt.Errorf("unexpected arguments %q: %s takes a kind and one name", rest[1:], verb)
	case all && len(rest) > 0:
		return nil, "", errors.New("--all takes no name")
	case !all && len(rest) == 0:
		return nil, "", fmt.Errorf("name the %s to %s, or pass --all", k.noun, verb)
	case all:
		return k, "", nil
	}
	return k, rest[0], nil
}

// targets returns the named object, or with all every object of the kind in
// the namespace (all namespaces with -A).
func (c *cluster) targets(ctx context.Context, g *GlobalOptions, k *kindInfo, name string, all bool) ([]object, error) {
	if !all {
		obj, err := c.getObject(ctx, k, c.namespace, name)
		if err != nil {
			return nil, err
		}
		return []object{obj}, nil
	}
	ns := c.namespace
	if g.AllNamespaces {
		ns = ""
	}
	list := k.newList()
	if err := c.List(ctx, list, client.InNamespace(ns)); err != nil {
		return nil, c.explain(err)
	}
	objs := listItems(list)
	sortObjects(objs)
	if len(objs) == 0 {
		_, _ = fmt.Fprintf(g.Streams.ErrOut, "no %s found %s\n", k.plural, inNamespace(ns))
	}
	return objs, nil
}

// mergePatch patches obj with a JSON merge patch of v and reads the result
// back into obj.
func (c *cluster) mergePatch(ctx context.Context, obj object, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.explain(c.Patch(ctx, obj, client.RawPatch(types.MergePatchType, data)))
}

// Suspend runs `schemactl suspend KIND NAME|--all`: it sets spec.suspend,
// so that the agent stops reconciling (and writing to) the objects.
func Suspend(ctx context.Context, g *GlobalOptions, o SuspendOptions, args []string) error {
	k, name, err := parseTarget(args, ReconcilableKinds, o.All, "suspend")
	if err != nil {
		return err
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	objs, err := c.targets(ctx, g, k, name, o.All)
	if err != nil {
		return err
	}
	for _, obj := range objs {
		what := describe(k, obj.GetNamespace(), obj.GetName())
		if isSuspended(obj) {
			g.ok("%s is already suspended", what)
			continue
		}
		if err := c.mergePatch(ctx, obj, map[string]any{"spec": map[string]any{"suspend": true}}); err != nil {
			return fmt.Errorf("suspending %s: %w", what, err)
		}
		g.ok("suspended %s", what)
	}
	return nil
}

// Resume runs `schemactl resume KIND NAME|--all`: it unsets spec.suspend,
// requests a reconcile and, with Wait, waits until the objects are Ready for
// their new generation and reports the outcome.
func Resume(ctx context.Context, g *GlobalOptions, o ResumeOptions, args []string) error {
	k, name, err := parseTarget(args, ReconcilableKinds, o.All, "resume")
	if err != nil {
		return err
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	objs, err := c.targets(ctx, g, k, name, o.All)
	if err != nil {
		return err
	}
	if o.All {
		// --all resumes what is suspended; the others are left alone.
		var suspended []object
		for _, obj := range objs {
			if isSuspended(obj) {
				suspended = append(suspended, obj)
			}
		}
		if len(objs) > 0 && len(suspended) == 0 {
			_, _ = fmt.Fprintf(g.Streams.ErrOut, "no suspended %s\n", k.plural)
		}
		objs = suspended
	}
	token := requestToken()
	for _, obj := range objs {
		what := describe(k, obj.GetNamespace(), obj.GetName())
		patch := map[string]any{
			"metadata": map[string]any{"annotations": map[string]string{meta.ReconcileRequestAnnotation: token}},
			"spec":     map[string]any{"suspend": nil},
		}
		if err := c.mergePatch(ctx, obj, patch); err != nil {
			return fmt.Errorf("resuming %s: %w", what, err)
		}
		g.ok("resumed %s", what)
	}
	if !o.Wait {
		return nil
	}
	var errs []error
	for _, obj := range objs {
		got, err := g.waitReady(ctx, c, k, client.ObjectKeyFromObject(obj), token)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		g.reportReady(k, got)
	}
	return errors.Join(errs...)
}

// Reconcile runs `schemactl reconcile KIND NAME`: it sets the requestedAt
// annotation and waits until the agent handled the request and the object
// is Ready. With WithSource, the Database's source is reconciled first.
func Reconcile(ctx context.Context, g *GlobalOptions, o ReconcileOptions, args []string) error {
	k, name, err := parseTarget(args, ReconcilableKinds, false, "reconcile")
	if err != nil {
		return err
	}
	if o.WithSource && k.kind != v1alpha1.DatabaseKind && k.kind != v1alpha1.DatabaseSetKind {
		return errors.New("--with-source applies to databases and databasesets")
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	obj, err := c.getObject(ctx, k, c.namespace, name)
	if err != nil {
		return err
	}
	if err := notSuspended(k, obj); err != nil {
		return err
	}
	if o.WithSource {
		if err := g.reconcileSourceOf(ctx, c, k, obj); err != nil {
			return err
		}
	}
	return g.reconcileAndWait(ctx, c, k, obj)
}

// reconcileSourceOf reconciles the SchemaRepository of a Database or
// DatabaseSet and waits for it; Flux's sources are Flux's to reconcile.
func (g *GlobalOptions) reconcileSourceOf(ctx context.Context, c *cluster, k *kindInfo, obj object) error {
	var ref v1alpha1.CrossNamespaceSourceReference
	switch o := obj.(type) {
	case *v1alpha1.Database:
		ref = o.Spec.SourceRef
	case *v1alpha1.DatabaseSet:
		ref = o.Spec.SourceRef
	}
	what := describe(k, obj.GetNamespace(), obj.GetName())
	if ref.IsFlux() {
		return fmt.Errorf("the source of %s is Flux's %s %s: reconcile it with flux (flux reconcile source %s %s), then run this command without --with-source",
			what, ref.Kind, ref.Name, fluxNoun(ref.Kind), ref.Name)
	}
	ns := ref.Namespace
	if ns == "" {
		ns = obj.GetNamespace()
	}
	sk, _ := lookupKind(v1alpha1.SchemaRepositoryKind, ReconcilableKinds)
	src, err := c.getObject(ctx, sk, ns, ref.Name)
	if err != nil {
		return fmt.Errorf("the source of %s: %w", what, err)
	}
	if err := notSuspended(sk, src); err != nil {
		return err
	}
	return g.reconcileAndWait(ctx, c, sk, src)
}

// fluxNoun is the noun of `flux reconcile source` for a kind of Flux's sources.
func fluxNoun(kind string) string {
	switch kind {
	case v1alpha1.GitRepositoryKind:
		return "git"
	case v1alpha1.OCIRepositoryKind:
		return "oci"
	case v1alpha1.BucketKind:
		return "bucket"
	}
	return strings.ToLower(kind)
}

func notSuspended(k *kindInfo, obj object) error {
	if !isSuspended(obj) {
		return nil
	}
	return fmt.Errorf("%s is suspended: run schemactl resume %s %s -n %s", describe(k, obj.GetNamespace(), obj.GetName()), k.noun, obj.GetName(), obj.GetNamespace())
}

// reconcileAndWait requests a reconcile of obj and waits for its outcome.
func (g *GlobalOptions) reconcileAndWait(ctx context.Context, c *cluster, k *kindInfo, obj object) error {
	what := describe(k, obj.GetNamespace(), obj.GetName())
	token := requestToken()
	g.step("annotating %s for reconciliation", what)
	patch := map[string]any{"metadata": map[string]any{"annotations": map[string]string{meta.ReconcileRequestAnnotation: token}}}
	if err := c.mergePatch(ctx, obj, patch); err != nil {
		return fmt.Errorf("requesting a reconcile of %s: %w", what, err)
	}
	got, err := g.waitReady(ctx, c, k, client.ObjectKeyFromObject(obj), token)
	if err != nil {
		return err
	}
	g.reportReady(k, got)
	return nil
}

// reportReady prints that obj is Ready, with the revision it is at.
func (g *GlobalOptions) reportReady(k *kindInfo, obj object) {
	what := describe(k, obj.GetNamespace(), obj.GetName())
	msg := conditions.GetMessage(obj, meta.ReadyCondition)
	rev := revisionOf(obj)
	if rev != "" && !strings.Contains(msg, rev) {
		msg += " (revision " + rev + ")"
	}
	g.ok("%s is ready: %s", what, oneLine(msg))
}

// ok prints a result line on stdout.
func (g *GlobalOptions) ok(format string, args ...any) {
	_, _ = fmt.Fprintln(g.Streams.Out, paint(g.Color, colorGreen, "✔")+" "+fmt.Sprintf(format, args...))
}

// step prints what the command is doing on stderr.
func (g *GlobalOptions) step(format string, args ...any) {
	_, _ = fmt.Fprintln(g.Streams.ErrOut, paint(g.ErrColor, colorCyan, "►")+" "+fmt.Sprintf(format, args...))
}
