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
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/spf13/pflag"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// ExportOptions are the flags of `schemactl export`.
type ExportOptions struct {
	// All exports every object of the kind in the namespace (all
	// namespaces with -A).
	All bool
}

// BindFlags binds the options to fs.
func (o *ExportOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.All, "all", false, "export every object of the kind in the namespace (in all namespaces with -A)")
}

// serverFields are the metadata fields the API server sets: export leaves
// them out, so that the YAML can be committed and applied elsewhere.
var serverFields = []string{
	"managedFields", "uid", "resourceVersion", "generation", "creationTimestamp",
	"finalizers", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
}

// clientAnnotations are annotations tools set on the live object, never
// part of what a user commits.
var clientAnnotations = []string{
	meta.ReconcileRequestAnnotation,
	"kubectl.kubernetes.io/last-applied-configuration",
}

// cleanForExport removes status, the server's metadata fields and the
// requestedAt annotation from u.
func cleanForExport(u *unstructured.Unstructured) {
	delete(u.Object, "status")
	for _, f := range serverFields {
		unstructured.RemoveNestedField(u.Object, "metadata", f)
	}
	if a := u.GetAnnotations(); a != nil {
		for _, k := range clientAnnotations {
			delete(a, k)
		}
		if len(a) == 0 {
			unstructured.RemoveNestedField(u.Object, "metadata", "annotations")
		} else {
			u.SetAnnotations(a)
		}
	}
	if len(u.GetLabels()) == 0 {
		unstructured.RemoveNestedField(u.Object, "metadata", "labels")
	}
}

// writeExport writes objects as YAML documents, each after "---", as
// `flux export` does.
func writeExport(w io.Writer, objs []*unstructured.Unstructured) error {
	for _, u := range objs {
		b, err := yaml.Marshal(u.Object)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, "---\n"+string(b)); err != nil {
			return err
		}
	}
	return nil
}

// Export runs `schemactl export NOUN NAME|--all`: the objects as YAML a
// user commits — no status, no fields the server sets — which apply back
// to the same objects.
func Export(ctx context.Context, g *GlobalOptions, o ExportOptions, args []string) error {
	ks, rest, multi, err := parseNoun(args, GetKinds, true)
	if err != nil {
		return err
	}
	all := o.All || multi
	switch {
	case len(rest) > 1:
		return fmt.Errorf("unexpected arguments %q: export takes a kind and one name", rest[1:])
	case all && len(rest) == 1:
		return errNoName
	case !all && len(rest) == 0:
		return fmt.Errorf("name the %s to export, or pass --all", ks[0].noun)
	}
	if !all && g.AllNamespaces {
		return errors.New("a name cannot be looked up across all namespaces: drop -A or the name")
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	ns := c.namespace
	if g.AllNamespaces {
		ns = ""
	}
	var out []*unstructured.Unstructured
	for _, k := range ks {
		objs, err := c.unstructuredObjects(ctx, k, ns, rest)
		if err != nil {
			return err
		}
		out = append(out, objs...)
	}
	for _, u := range out {
		cleanForExport(u)
	}
	if len(out) == 0 {
		_, _ = fmt.Fprintf(g.Streams.ErrOut, "no %s found %s\n", ks[0].plural, inNamespace(ns))
	}
	return writeExport(g.Streams.Out, out)
}

// unstructuredObjects reads the object named names[0] of kind k, or every
// object of the kind in ns when names is empty, as the server stores them
// (defaults included, no zero values of Go fields added), sorted.
func (c *cluster) unstructuredObjects(ctx context.Context, k *kindInfo, ns string, names []string) ([]*unstructured.Unstructured, error) {
	gvk := v1alpha1.GroupVersion.WithKind(k.kind)
	if len(names) == 1 {
		u := &unstructured.Unstructured{}
		u.SetGroupVersionKind(gvk)
		if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: names[0]}, u); err != nil {
			if apierrors.IsNotFound(err) {
				return nil, fmt.Errorf("%s %q not found in namespace %q", k.kind, names[0], ns)
			}
			return nil, c.explain(err)
		}
		return []*unstructured.Unstructured{u}, nil
	}
	list := &unstructured.UnstructuredList{}
	list.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind(k.kind + "List"))
	if err := c.List(ctx, list, client.InNamespace(ns)); err != nil {
		return nil, c.explain(err)
	}
	out := make([]*unstructured.Unstructured, 0, len(list.Items))
	for i := range list.Items {
		out = append(out, &list.Items[i])
	}
	sortUnstructured(out)
	return out, nil
}

func sortUnstructured(objs []*unstructured.Unstructured) {
	slices.SortFunc(objs, func(a, b *unstructured.Unstructured) int {
		if c := strings.Compare(a.GetNamespace(), b.GetNamespace()); c != 0 {
			return c
		}
		return strings.Compare(a.GetName(), b.GetName())
	})
}

// DeleteOptions are the flags of `schemactl delete`.
type DeleteOptions struct {
	// Silent deletes without asking for confirmation.
	Silent bool
}

// BindFlags binds the options to fs.
func (o *DeleteOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.Silent, "silent", false, "delete without asking for confirmation")
}

// errDeleteCancelled is returned when the confirmation is not given.
var errDeleteCancelled = errors.New("not deleted: the deletion was not confirmed (pass --silent to skip the question)")

// Delete runs `schemactl delete NOUN NAME`: after a confirmation on the
// terminal (unless Silent) it deletes the object. Deleting a Database or a
// source never touches the database's schema: the agent only removes its
// finalizer.
func Delete(ctx context.Context, g *GlobalOptions, o DeleteOptions, args []string) error {
	k, name, err := parseTarget(args, ReconcilableKinds, false, "delete")
	if err != nil {
		return err
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
	what := describe(k, obj.GetNamespace(), obj.GetName())
	if !o.Silent && !g.confirm(fmt.Sprintf("Are you sure you want to delete %s", what)) {
		return errDeleteCancelled
	}
	g.step("deleting %s", what)
	if err := c.Delete(ctx, obj); err != nil {
		if apierrors.IsNotFound(err) {
			return fmt.Errorf("%s %q not found in namespace %q", k.kind, name, obj.GetNamespace())
		}
		return c.explain(err)
	}
	g.ok("deleted %s", what)
	return nil
}

// confirm asks question on stderr and reads the answer from the input:
// y or yes confirms; anything else, or no input, does not.
func (g *GlobalOptions) confirm(question string) bool {
	_, _ = fmt.Fprintf(g.Streams.ErrOut, "%s? [y/N] ", question)
	if g.Streams.In == nil {
		return false
	}
	line, err := bufio.NewReader(g.Streams.In).ReadString('\n')
	if err != nil && line == "" {
		_, _ = fmt.Fprintln(g.Streams.ErrOut)
		return false
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes"
}
