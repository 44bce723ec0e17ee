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
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// EventsOptions are the flags of `schemactl events`.
type EventsOptions struct {
	// For limits the events to one object, as KIND/NAME.
	For string
	// Watch keeps printing new events.
	Watch bool
	// Output is table, json or yaml.
	Output string
}

// BindFlags binds the options to fs.
func (o *EventsOptions) BindFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.For, "for", "", "only the events of one object, as KIND/NAME (e.g. database/orders, source/shop-schemas)")
	fs.BoolVarP(&o.Watch, "watch", "w", false, "after listing, print new events as they come, until interrupted (or --timeout)")
	fs.StringVarP(&o.Output, "output", "o", OutputTable, "output format: "+strings.Join(OutputFormats, ", "))
}

// eventFilter selects the events of our kinds, or of one object.
type eventFilter struct {
	kind, name string
}

func (f eventFilter) match(e *corev1.Event) bool {
	ref := e.InvolvedObject
	if !strings.HasPrefix(ref.APIVersion, v1alpha1.GroupVersion.Group+"/") {
		return false
	}
	return f.kind == "" || (ref.Kind == f.kind && ref.Name == f.name)
}

func parseFor(s string) (eventFilter, error) {
	if s == "" {
		return eventFilter{}, nil
	}
	kind, name, ok := strings.Cut(s, "/")
	if !ok || name == "" {
		return eventFilter{}, fmt.Errorf("--for %q: use KIND/NAME, e.g. database/orders", s)
	}
	k, err := lookupKind(kind, GetKinds)
	if err != nil {
		return eventFilter{}, fmt.Errorf("--for %q: %w", s, err)
	}
	return eventFilter{kind: k.kind, name: name}, nil
}

// eventTime is when an event was last seen, whichever API recorded it.
func eventTime(e *corev1.Event) time.Time {
	t := e.LastTimestamp.Time
	if e.Series != nil && e.Series.LastObservedTime.After(t) {
		t = e.Series.LastObservedTime.Time
	}
	if e.EventTime.After(t) {
		t = e.EventTime.Time
	}
	if t.IsZero() {
		t = e.FirstTimestamp.Time
	}
	if t.IsZero() {
		t = e.CreationTimestamp.Time
	}
	return t
}

// Events runs `schemactl events`: the events the agent recorded about
// objects of the schemactl.dev kinds, oldest first, newest last.
func Events(ctx context.Context, g *GlobalOptions, o EventsOptions) error {
	if err := validateOutput(o.Output); err != nil {
		return err
	}
	f, err := parseFor(o.For)
	if err != nil {
		return err
	}
	if f.kind != "" && g.AllNamespaces {
		return errors.New("--for names one object: drop -A")
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
	opts := []client.ListOption{client.InNamespace(ns)}
	if f.kind != "" {
		opts = append(opts, client.MatchingFields{"involvedObject.kind": f.kind, "involvedObject.name": f.name})
	}
	// Events are not our kinds: list them once to tell a missing API group
	// from an empty list.
	if err := c.List(ctx, &v1alpha1.DatabaseList{}, client.InNamespace(ns), client.Limit(1)); err != nil {
		return c.explain(err)
	}
	var list corev1.EventList
	if err := c.List(ctx, &list, opts...); err != nil {
		return c.explain(err)
	}
	var events []*corev1.Event
	for i := range list.Items {
		if f.match(&list.Items[i]) {
			events = append(events, &list.Items[i])
		}
	}
	slices.SortStableFunc(events, func(a, b *corev1.Event) int { return eventTime(a).Compare(eventTime(b)) })
	p := &eventPrinter{g: g, output: o.Output, seen: map[string]string{}}
	if err := p.printAll(events); err != nil {
		return err
	}
	if len(events) == 0 && o.Output == OutputTable {
		_, _ = fmt.Fprintf(g.Streams.ErrOut, "no events found %s\n", inNamespace(ns))
	}
	if !o.Watch {
		return nil
	}
	for {
		w, err := c.Watch(ctx, &corev1.EventList{}, opts...)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return c.explain(err)
		}
		if err := p.drain(ctx, w, f); err != nil || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// eventPrinter prints events as a table, JSON or YAML.
type eventPrinter struct {
	g      *GlobalOptions
	output string
	t      *table
	// seen holds the count and time last printed per event, so that a
	// watch prints an event again only when it recurred.
	seen map[string]string
}

func (p *eventPrinter) header() []string {
	h := []string{"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"}
	if p.g.AllNamespaces {
		h = append([]string{"NAMESPACE"}, h...)
	}
	return h
}

func (p *eventPrinter) row(e *corev1.Event) []string {
	var row []string
	if p.g.AllNamespaces {
		row = append(row, e.Namespace)
	}
	kind := e.InvolvedObject.Kind
	return append(row, age(eventTime(e)), e.Type, e.Reason, kind+"/"+e.InvolvedObject.Name, oneLine(e.Message))
}

func (p *eventPrinter) newTable() {
	var color func(int, string) string
	if p.g.Color {
		typeCol := len(p.header()) - 4
		color = func(col int, cell string) string {
			if col == typeCol && cell == corev1.EventTypeWarning {
				return colorYellow
			}
			return ""
		}
	}
	p.t = &table{w: p.g.Streams.Out, color: color}
}

func eventVersion(e *corev1.Event) string {
	return fmt.Sprintf("%d/%s", e.Count, eventTime(e).Format(time.RFC3339Nano))
}

func (p *eventPrinter) printAll(events []*corev1.Event) error {
	for _, e := range events {
		p.seen[string(e.UID)] = eventVersion(e)
	}
	if p.output != OutputTable {
		return writeList(p.g.Streams.Out, p.output, events)
	}
	if len(events) == 0 {
		return nil
	}
	rows := make([][]string, len(events))
	for i, e := range events {
		rows[i] = p.row(e)
	}
	p.newTable()
	header := p.header()
	p.t.add(header)
	p.t.add(rows...)
	if err := p.t.writeHeader(header); err != nil {
		return err
	}
	return p.t.write(rows...)
}

func (p *eventPrinter) drain(ctx context.Context, w watch.Interface, f eventFilter) error {
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.ResultChan():
			if !ok || ev.Type == watch.Error {
				return nil
			}
			e, isEvent := ev.Object.(*corev1.Event)
			if !isEvent || ev.Type == watch.Deleted || !f.match(e) {
				continue
			}
			if v := eventVersion(e); p.seen[string(e.UID)] == v {
				continue
			} else {
				p.seen[string(e.UID)] = v
			}
			if err := p.printOne(e); err != nil {
				return err
			}
		}
	}
}

func (p *eventPrinter) printOne(e *corev1.Event) error {
	w := p.g.Streams.Out
	if p.output != OutputTable {
		if p.output == OutputYAML {
			_, _ = fmt.Fprintln(w, "---")
		}
		return writeObject(w, p.output, e)
	}
	if p.t == nil {
		p.newTable()
		header := p.header()
		p.t.add(header)
		if err := p.t.writeHeader(header); err != nil {
			return err
		}
	}
	return p.t.write(p.row(e))
}
