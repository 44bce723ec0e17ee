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
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/printers"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// treeNode is one line of `schemactl tree` and the lines under it.
type treeNode struct {
	text     string
	children []*treeNode
}

func (n *treeNode) add(text string) *treeNode {
	c := &treeNode{text: text}
	n.children = append(n.children, c)
	return c
}

// write draws n and its children with box-drawing branches, as flux tree
// does.
func (n *treeNode) write(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString(n.text + "\n")
	var walk func(nodes []*treeNode, prefix string)
	walk = func(nodes []*treeNode, prefix string) {
		for i, c := range nodes {
			branch, next := "├── ", "│   "
			if i == len(nodes)-1 {
				branch, next = "└── ", "    "
			}
			b.WriteString(prefix + branch + c.text + "\n")
			walk(c.children, prefix+next)
		}
	}
	walk(n.children, "")
	_, err := w.Write(b.Bytes())
	return err
}

// Tree runs `schemactl tree database NAME`: the Database's source, the
// Database, the schemas it manages and, under them, the objects its status
// reports as drifted, with the pending plan; and `schemactl tree databaseset
// NAME`: the set and its members with their state.
func Tree(ctx context.Context, g *GlobalOptions, args []string) error {
	k, name, err := parseTarget(args, TreeKinds, false, "show")
	if err != nil {
		return err
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	if k.kind == v1alpha1.DatabaseSetKind {
		return treeDatabaseSet(ctx, g, c, name)
	}
	obj, err := c.getObject(ctx, k, c.namespace, name)
	if err != nil {
		return err
	}
	db := obj.(*v1alpha1.Database)
	sk, _ := lookupKind(v1alpha1.SchemaRepositoryKind, GetKinds)
	root := &treeNode{}
	srcText := fmt.Sprintf("%s/%s/%s", v1alpha1.SchemaRepositoryKind, db.GetSourceNamespace(), db.Spec.SourceRef.Name)
	src, err := c.getObject(ctx, sk, db.GetSourceNamespace(), db.Spec.SourceRef.Name)
	switch {
	case err == nil:
		root.text = srcText + "  " + nodeStatus(src)
	case strings.Contains(err.Error(), "not found"):
		root.text = srcText + "  (not found)"
	default:
		return err
	}
	dbNode := root.add(fmt.Sprintf("%s/%s/%s  %s", v1alpha1.DatabaseKind, db.Namespace, db.Name, nodeStatus(db)))
	if p := db.Status.Plan; p != nil {
		what := "pending"
		if p.Destructive {
			what = "pending, destructive"
		}
		dbNode.add(fmt.Sprintf("Plan %s  %d statement(s), %s", p.ID, p.Statements, what))
	}
	schemas := db.Spec.Schemas
	if len(schemas) == 0 {
		schemas = []string{"(every non-system schema)"}
	}
	byschema := map[string]*treeNode{}
	for _, s := range schemas {
		byschema[s] = dbNode.add("Schema/" + s)
	}
	if d := db.Status.Drift; d != nil {
		for _, ch := range d.Changes {
			parent := dbNode
			if s := changeSchema(ch.Object); s != "" {
				if n, ok := byschema[s]; ok {
					parent = n
				} else {
					// Drift outside the listed schemas (a schema that
					// appeared, or the every-schema case): a node of its own.
					byschema[s] = dbNode.add("Schema/" + s)
					parent = byschema[s]
				}
			}
			parent.add(fmt.Sprintf("%s  drifted: %s", ch.Object, oneLine(ch.Change)))
		}
	}
	return root.write(g.Streams.Out)
}

// nodeStatus is the Ready summary of a tree node: Ready=True, the
// revision, and Suspended when it is.
func nodeStatus(obj object) string {
	ready, msg := readyOf(obj)
	s := "Ready=" + ready
	if ready != string(metav1.ConditionTrue) && msg != "" {
		s += " (" + truncate(abbreviateDigests(msg), maxStatusWidth) + ")"
	}
	if rev := revisionOf(obj); rev != "" {
		s += "  " + shortRevision(rev)
	}
	if isDrifted(obj) {
		s += "  Drifted"
	}
	if isSuspended(obj) {
		s += "  Suspended"
	}
	return s
}

// changeSchema returns the schema of a drift report's object, "kind
// schema.name[.sub]" ("index public.orders_idx", "column public.t.c"), or ""
// when the object is not in a schema ("schema audit" is its own schema;
// "extension pgcrypto" has none).
func changeSchema(object string) string {
	kind, name, ok := strings.Cut(object, " ")
	if !ok {
		return ""
	}
	if kind == "schema" {
		return name
	}
	s, _, ok := strings.Cut(name, ".")
	if !ok {
		return ""
	}
	return s
}

// StatsOptions are the flags of `schemactl stats`.
type StatsOptions struct {
	// NoHeader leaves the header row out.
	NoHeader bool
}

// BindFlags binds the options to fs.
func (o *StatsOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.NoHeader, "no-header", false, "leave the header row out")
}

// kindStats are the counts of one kind.
type kindStats struct {
	kind                                       string
	ready, notReady, unknown, drifted, suspend int
}

// Stats runs `schemactl stats`: per kind, how many objects are Ready, not
// Ready, not reconciled yet (Unknown), drifted and suspended, in the
// namespace or all namespaces with -A.
func Stats(ctx context.Context, g *GlobalOptions, o StatsOptions) error {
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
	t := &metav1.Table{ColumnDefinitions: []metav1.TableColumnDefinition{
		{Name: "Kind", Type: "string"}, {Name: "Ready", Type: "integer"}, {Name: "Not-Ready", Type: "integer"},
		{Name: "Unknown", Type: "integer"}, {Name: "Drifted", Type: "integer"}, {Name: "Suspended", Type: "integer"},
	}}
	for _, k := range kinds {
		list := k.newList()
		if err := c.List(ctx, list, client.InNamespace(ns)); err != nil {
			return c.explain(err)
		}
		st := countStats(k, listItems(list))
		t.Rows = append(t.Rows, metav1.TableRow{Cells: []any{st.kind, st.ready, st.notReady, st.unknown, st.drifted, st.suspend}})
	}
	p := printers.NewTablePrinter(printers.PrintOptions{NoHeaders: o.NoHeader, Kind: schema.GroupKind{Group: v1alpha1.GroupVersion.Group}})
	return p.PrintObj(t, g.Streams.Out)
}

// countStats counts objs by Ready status, drift and suspension.
func countStats(k *kindInfo, objs []object) kindStats {
	st := kindStats{kind: k.kind}
	for _, obj := range objs {
		switch ready, _ := readyOf(obj); ready {
		case string(metav1.ConditionTrue):
			st.ready++
		case string(metav1.ConditionFalse):
			st.notReady++
		default:
			st.unknown++
		}
		if isDrifted(obj) {
			st.drifted++
		}
		if isSuspended(obj) {
			st.suspend++
		}
	}
	return st
}
