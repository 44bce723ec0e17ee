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
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/duration"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/printers"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
	"sigs.k8s.io/yaml"
)

// Output formats of the listing commands.
const (
	// OutputTable is an aligned table for people.
	OutputTable = "table"
	// OutputJSON is the objects as JSON, a List for more than one.
	OutputJSON = "json"
	// OutputYAML is the objects as YAML, a List for more than one.
	OutputYAML = "yaml"
)

// OutputFormats are the values of -o of the listing commands.
var OutputFormats = []string{OutputTable, OutputJSON, OutputYAML}

func validateOutput(o string) error {
	if !slices.Contains(OutputFormats, o) {
		return fmt.Errorf("unknown output format %q: use one of %s", o, strings.Join(OutputFormats, ", "))
	}
	return nil
}

// GetOptions are the flags of `schemactl get`.
type GetOptions struct {
	// Output is table, wide, name, json, yaml, jsonpath=…, go-template=….
	Output string
	// Watch keeps printing changes after the first listing.
	Watch bool
	// NoHeader leaves the header row out of tables.
	NoHeader bool
	// LabelSelector filters by labels, as kubectl's -l.
	LabelSelector string
	// StatusSelector filters by a condition's status, e.g. ready=false.
	StatusSelector string
}

// BindFlags binds the options to fs.
func (o *GetOptions) BindFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.Output, "output", "o", OutputTable, "output format: table, wide, name, json, yaml, jsonpath=TEMPLATE, go-template=TEMPLATE")
	fs.BoolVarP(&o.Watch, "watch", "w", false, "after listing, print objects again as they change, until interrupted (or --timeout)")
	fs.BoolVar(&o.NoHeader, "no-header", false, "leave the header row out of tables")
	fs.StringVarP(&o.LabelSelector, "label-selector", "l", "", "only objects whose labels match, e.g. -l team=shop,tier!=test")
	fs.StringVar(&o.StatusSelector, "status-selector", "", "only objects whose condition has this status, e.g. ready=false, drifted=true, stalled=true")
}

// listFilter is what -l and --status-selector select.
type listFilter struct {
	labels labels.Selector
	status *statusSelector
}

func newListFilter(labelSelector, statusSel string) (*listFilter, error) {
	sel, err := labels.Parse(labelSelector)
	if err != nil {
		return nil, fmt.Errorf("--label-selector %q: %w", labelSelector, err)
	}
	st, err := parseStatusSelector(statusSel)
	if err != nil {
		return nil, err
	}
	return &listFilter{labels: sel, status: st}, nil
}

func (f *listFilter) matches(obj object) bool {
	return f.labels.Matches(labels.Set(obj.GetLabels())) && f.status.matches(obj)
}

// list returns the objects of kind k in ns ("" for all namespaces), or the
// one named name, that f selects, sorted.
func (c *cluster) list(ctx context.Context, k *kindInfo, ns, name string, f *listFilter) ([]object, error) {
	var objs []object
	if name != "" {
		obj, err := c.getObject(ctx, k, ns, name)
		if err != nil {
			return nil, err
		}
		objs = []object{obj}
	} else {
		list := k.newList()
		if err := c.List(ctx, list, client.InNamespace(ns), client.MatchingLabelsSelector{Selector: f.labels}); err != nil {
			return nil, c.explain(err)
		}
		objs = listItems(list)
	}
	var out []object
	for _, obj := range objs {
		if f.matches(obj) {
			out = append(out, obj)
		}
	}
	sortObjects(out)
	return out, nil
}

// Get runs `schemactl get NOUN [NAME]`: the objects of a kind (or of every
// kind: get all) in the namespace, or all namespaces with -A, as a table
// through cli-runtime's table printer, or as kubectl prints them with -o
// name, json, yaml, jsonpath=….
func Get(ctx context.Context, g *GlobalOptions, o GetOptions, args []string) error {
	ks, rest, multi, err := parseNoun(args, GetKinds, true)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return fmt.Errorf("unexpected arguments %q: get takes a kind and at most one name", rest[1:])
	}
	name := ""
	if len(rest) == 1 {
		name = rest[0]
	}
	if name != "" && multi {
		return errNoName
	}
	if name != "" && g.AllNamespaces {
		return errors.New("a name cannot be looked up across all namespaces: drop -A or the name")
	}
	if o.Watch && multi {
		return errors.New("--watch follows one kind: drop all")
	}
	filter, err := newListFilter(o.LabelSelector, o.StatusSelector)
	if err != nil {
		return err
	}
	var rp printers.ResourcePrinter
	if !isTableOutput(o.Output) {
		if rp, err = resourcePrinter(o.Output); err != nil {
			return err
		}
	}
	ctx, cancel := g.withTimeout(ctx, o.Watch)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	ns := c.namespace
	if g.AllNamespaces {
		ns = ""
	}
	groups := make([][]object, len(ks))
	var all []object
	for i, k := range ks {
		if groups[i], err = c.list(ctx, k, ns, name, filter); err != nil {
			return err
		}
		all = append(all, groups[i]...)
	}
	w := g.Streams.Out
	topts := tableOptions{wide: o.Output == OutputWide, noHeader: o.NoHeader, withNamespace: g.AllNamespaces, withKind: multi, color: g.Color}
	if rp != nil {
		if err := printObjects(w, rp, all, name != ""); err != nil {
			return err
		}
	} else {
		printed := 0
		for i, k := range ks {
			if len(groups[i]) == 0 {
				continue
			}
			text, err := renderTable(k, groups[i], nil, topts)
			if err != nil {
				return err
			}
			if printed > 0 && !o.NoHeader {
				// A blank line between the tables of get all, as kubectl
				// prints kinds; without headers the rows just follow.
				text = "\n" + text
			}
			if _, err := io.WriteString(w, text); err != nil {
				return err
			}
			printed++
		}
		if printed == 0 {
			what := ks[0].plural
			if multi && len(ks) > 1 {
				what = "objects"
			}
			_, _ = fmt.Fprintf(g.Streams.ErrOut, "no %s found %s\n", what, inNamespace(ns))
		}
	}
	if !o.Watch {
		return nil
	}
	wp := &watchPrinter{k: ks[0], opts: topts, rp: rp, w: w, filter: filter, seen: map[string]string{}, headerDone: len(all) > 0 || o.NoHeader}
	for _, obj := range all {
		wp.seen[objectKey(obj)] = rowKey(rowCells(ks[0], obj, false))
	}
	return c.watchObjects(ctx, ks[0], ns, name, wp.printChange)
}

// getObject reads one object, with a clear error when it does not exist.
func (c *cluster) getObject(ctx context.Context, k *kindInfo, ns, name string) (object, error) {
	obj := k.newObject()
	if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, obj); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, fmt.Errorf("%s %q not found in namespace %q", k.kind, name, ns)
		}
		return nil, c.explain(err)
	}
	return obj, nil
}

func inNamespace(ns string) string {
	if ns == "" {
		return "in any namespace"
	}
	return fmt.Sprintf("in namespace %q", ns)
}

// watchObjects calls fn with every change of the objects of kind k in ns
// (named name, when set) until ctx ends, which is not an error. A watch the
// server closes is started again.
func (c *cluster) watchObjects(ctx context.Context, k *kindInfo, ns, name string, fn func(watch.EventType, object) error) error {
	for {
		opts := []client.ListOption{client.InNamespace(ns)}
		if name != "" {
			opts = append(opts, client.MatchingFields{"metadata.name": name})
		}
		w, err := c.Watch(ctx, k.newList(), opts...)
		if err != nil {
			if ctx.Err() != nil {
				return nil //nolint:nilerr // the watch failed because ctx ended, which the doc says is not an error
			}
			return c.explain(err)
		}
		err = drainWatch(ctx, w, fn)
		if err != nil || ctx.Err() != nil {
			return err
		}
		// The server ended the watch (expired resource version, timeout):
		// start again after a pause, so that a failing watch cannot spin.
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func drainWatch(ctx context.Context, w watch.Interface, fn func(watch.EventType, object) error) error {
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.ResultChan():
			if !ok {
				return nil
			}
			obj, isObject := ev.Object.(object)
			if !isObject || ev.Type == watch.Error || ev.Type == watch.Bookmark {
				// An expired resource version or a closed stream: watch again.
				if ev.Type == watch.Error {
					return nil
				}
				continue
			}
			if err := fn(ev.Type, obj); err != nil {
				return err
			}
		}
	}
}

// watchPrinter prints the changes a watch sees: a table row when
// something visible changed, or the object through a cli-runtime printer.
type watchPrinter struct {
	k          *kindInfo
	opts       tableOptions
	rp         printers.ResourcePrinter
	w          io.Writer
	filter     *listFilter
	headerDone bool
	// seen holds the last printed row of each object (without AGE), so
	// that a watch prints only visible changes.
	seen map[string]string
}

// printChange prints an object that changed during a watch, when something
// visible changed and the filters select it.
func (p *watchPrinter) printChange(ev watch.EventType, obj object) error {
	if !p.filter.matches(obj) {
		return nil
	}
	if p.rp != nil {
		return printObjects(p.w, p.rp, []object{obj}, true)
	}
	deleted := ev == watch.Deleted
	key := objectKey(obj)
	rk := rowKey(rowCells(p.k, obj, deleted))
	if p.seen[key] == rk {
		return nil
	}
	p.seen[key] = rk
	opts := p.opts
	opts.noHeader = p.headerDone
	text, err := renderTable(p.k, []object{obj}, func(object) bool { return deleted }, opts)
	if err != nil {
		return err
	}
	p.headerDone = true
	_, err = io.WriteString(p.w, text)
	return err
}

// Digests in messages: git commits and plan ids.
var (
	sha1Digest   = regexp.MustCompile(`\b(sha1:[0-9a-f]{7})[0-9a-f]{33}\b`)
	sha256Digest = regexp.MustCompile(`\b(sha256:[0-9a-f]{12})[0-9a-f]{52}\b`)
)

// abbreviateDigests shortens the commits (to 7 hex digits, as git does) and
// plan ids (to 12, marked with an ellipsis) in a message, for tables.
func abbreviateDigests(msg string) string {
	msg = sha1Digest.ReplaceAllString(msg, "$1")
	return sha256Digest.ReplaceAllString(msg, "$1…")
}

// maxStatusWidth is the width of the STATUS column in a table; -o yaml
// shows the whole message.
const maxStatusWidth = 80

// truncate shortens s to n runes, ending with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func objectKey(obj object) string { return obj.GetNamespace() + "/" + obj.GetName() }

// rowKey is a row without its last cell, AGE, which changes by itself.
func rowKey(row []any) string {
	var b strings.Builder
	for _, cell := range row[:len(row)-1] {
		fmt.Fprint(&b, cell)
		b.WriteByte(0)
	}
	return b.String()
}

func sortObjects(objs []object) {
	slices.SortFunc(objs, func(a, b object) int {
		if c := strings.Compare(a.GetNamespace(), b.GetNamespace()); c != 0 {
			return c
		}
		return strings.Compare(a.GetName(), b.GetName())
	})
}

func boolCell(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// age is kubectl's AGE: the time since t, in its short form.
func age(t time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(time.Since(t))
}

// shortRevision abbreviates the commit of a Flux revision to 7 hex digits,
// as git does: main@sha1:1a2b3c4d5e... becomes main@sha1:1a2b3c4.
func shortRevision(rev string) string {
	i := strings.LastIndex(rev, ":")
	if i < 0 || len(rev)-i-1 <= 7 {
		return rev
	}
	hex := rev[i+1:]
	if strings.Trim(hex, "0123456789abcdef") != "" {
		return rev
	}
	return rev[:i+1] + hex[:7]
}

// prepareForOutput sets the apiVersion and kind of obj, which the client
// leaves empty on typed objects, and drops managedFields as kubectl does.
func prepareForOutput(obj client.Object) (client.Object, error) {
	obj = obj.DeepCopyObject().(client.Object)
	gvk, err := apiutil.GVKForObject(obj, scheme)
	if err != nil {
		return nil, err
	}
	obj.GetObjectKind().SetGroupVersionKind(gvk)
	obj.SetManagedFields(nil)
	return obj, nil
}

// writeObject writes one object as JSON or YAML.
func writeObject(w io.Writer, format string, obj client.Object) error {
	out, err := prepareForOutput(obj)
	if err != nil {
		return err
	}
	return writeValue(w, format, out)
}

// writeList writes objects as a kubectl List.
func writeList[T client.Object](w io.Writer, format string, objs []T) error {
	items := make([]client.Object, 0, len(objs))
	for _, obj := range objs {
		out, err := prepareForOutput(obj)
		if err != nil {
			return err
		}
		items = append(items, out)
	}
	return writeValue(w, format, map[string]any{"apiVersion": "v1", "kind": "List", "items": items})
}

// writeValue writes v as indented JSON or as YAML.
func writeValue(w io.Writer, format string, v any) error {
	if format == OutputYAML {
		b, err := yaml.Marshal(v)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
