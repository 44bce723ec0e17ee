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
	"k8s.io/apimachinery/pkg/util/duration"
	"k8s.io/apimachinery/pkg/watch"
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
	// Output is table, json or yaml.
	Output string
	// Watch keeps printing changes after the first listing.
	Watch bool
}

// BindFlags binds the options to fs.
func (o *GetOptions) BindFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.Output, "output", "o", OutputTable, "output format: "+strings.Join(OutputFormats, ", "))
	fs.BoolVarP(&o.Watch, "watch", "w", false, "after listing, print objects again as they change, until interrupted (or --timeout)")
}

// Get runs `schemactl get KIND [NAME]`: the objects of a kind in the
// namespace (or all namespaces with -A) as a table, JSON or YAML.
func Get(ctx context.Context, g *GlobalOptions, o GetOptions, args []string) error {
	if err := validateOutput(o.Output); err != nil {
		return err
	}
	if len(args) == 0 {
		return fmt.Errorf("name a kind: one of %s", strings.Join(GetKinds, ", "))
	}
	k, err := lookupKind(args[0], GetKinds)
	if err != nil {
		return err
	}
	name := ""
	if len(args) > 1 {
		name = args[1]
	}
	if name != "" && g.AllNamespaces {
		return errors.New("a name cannot be looked up across all namespaces: drop -A or the name")
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
	var objs []object
	if name != "" {
		obj, err := c.getObject(ctx, k, ns, name)
		if err != nil {
			return err
		}
		objs = []object{obj}
	} else {
		list := k.newList()
		if err := c.List(ctx, list, client.InNamespace(ns)); err != nil {
			return c.explain(err)
		}
		objs = listItems(list)
	}
	p := &objectPrinter{g: g, k: k, output: o.Output, seen: map[string]string{}}
	if err := p.printAll(objs, name != ""); err != nil {
		return err
	}
	if len(objs) == 0 && o.Output == OutputTable {
		_, _ = fmt.Fprintf(g.Streams.ErrOut, "no %s found %s\n", k.plural, inNamespace(ns))
	}
	if !o.Watch {
		return nil
	}
	return c.watchObjects(ctx, k, ns, name, p.printChange)
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

// objectPrinter prints objects of one kind as a table, JSON or YAML.
type objectPrinter struct {
	g      *GlobalOptions
	k      *kindInfo
	output string
	t      *table
	// seen holds the last printed row of each object (without AGE), so
	// that a watch prints only visible changes.
	seen map[string]string
}

func (p *objectPrinter) header() []string {
	h := []string{"NAME"}
	if p.g.AllNamespaces {
		h = []string{"NAMESPACE", "NAME"}
	}
	h = append(h, p.k.columns...)
	return append(h, "AGE")
}

func (p *objectPrinter) row(obj object, deleted bool) []string {
	var row []string
	if p.g.AllNamespaces {
		row = append(row, obj.GetNamespace())
	}
	row = append(row, obj.GetName())
	ready, msg := readyOf(obj)
	if deleted {
		msg = "deleted"
	}
	for _, col := range p.k.columns {
		switch col {
		case "READY":
			row = append(row, ready)
		case "STATUS":
			row = append(row, truncate(abbreviateDigests(msg), maxStatusWidth))
		case "REVISION":
			row = append(row, shortRevision(revisionOf(obj)))
		case "DRIFTED":
			row = append(row, driftedOf(obj))
		case "SUSPENDED":
			row = append(row, boolCell(isSuspended(obj)))
		}
	}
	return append(row, age(obj.GetCreationTimestamp().Time))
}

func (p *objectPrinter) cellColor(header []string) func(int, string) string {
	if !p.g.Color {
		return nil
	}
	return func(col int, cell string) string {
		switch header[col] {
		case "READY":
			return conditionColor(cell)
		case "DRIFTED":
			if cell == "True" {
				return colorRed
			}
		case "SUSPENDED":
			if cell == "True" {
				return colorYellow
			}
		}
		return ""
	}
}

// printAll prints the first listing: a table with its header, or the
// objects (a List unless single).
func (p *objectPrinter) printAll(objs []object, single bool) error {
	sortObjects(objs)
	w := p.g.Streams.Out
	if p.output != OutputTable {
		if single && len(objs) == 1 {
			return writeObject(w, p.output, objs[0])
		}
		return writeList(w, p.output, objs)
	}
	if len(objs) == 0 {
		return nil
	}
	header := p.header()
	p.t = &table{w: w, color: p.cellColor(header)}
	rows := make([][]string, len(objs))
	for i, obj := range objs {
		rows[i] = p.row(obj, false)
		p.seen[objectKey(obj)] = rowKey(rows[i])
	}
	p.t.add(header)
	p.t.add(rows...)
	if err := p.t.writeHeader(header); err != nil {
		return err
	}
	return p.t.write(rows...)
}

// printChange prints an object that changed during a watch, when something
// visible changed.
func (p *objectPrinter) printChange(ev watch.EventType, obj object) error {
	w := p.g.Streams.Out
	if p.output != OutputTable {
		if p.output == OutputYAML {
			if _, err := io.WriteString(w, "---\n"); err != nil {
				return err
			}
		}
		return writeObject(w, p.output, obj)
	}
	row := p.row(obj, ev == watch.Deleted)
	key := objectKey(obj)
	if p.seen[key] == rowKey(row) {
		return nil
	}
	p.seen[key] = rowKey(row)
	if p.t == nil {
		header := p.header()
		p.t = &table{w: w, color: p.cellColor(header)}
		p.t.add(header)
		if err := p.t.writeHeader(header); err != nil {
			return err
		}
	}
	return p.t.write(row)
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
func rowKey(row []string) string { return strings.Join(row[:len(row)-1], "\x00") }

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
