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
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/printers"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// Output formats of `schemactl get` besides table, json and yaml; the
// jsonpath, go-template and template forms take their expression after "=".
const (
	// OutputWide is the table with the -o wide columns.
	OutputWide = "wide"
	// OutputName is kind.group/name, one per line, as kubectl prints it.
	OutputName = "name"
)

// GetOutputFormats are the values -o of `schemactl get` completes to.
var GetOutputFormats = []string{OutputTable, OutputWide, OutputName, OutputJSON, OutputYAML, "jsonpath=", "jsonpath-file=", "go-template=", "go-template-file="}

// isTableOutput tells whether format is printed as a table.
func isTableOutput(format string) bool {
	return format == "" || format == OutputTable || format == OutputWide
}

// resourcePrinter returns cli-runtime's printer of a format other than
// table and wide: json, yaml, name, jsonpath=…, go-template=….
func resourcePrinter(format string) (printers.ResourcePrinter, error) {
	pf := genericclioptions.NewPrintFlags("").WithTypeSetter(scheme)
	pf.OutputFormat = &format
	p, err := pf.ToPrinter()
	if err != nil {
		if genericclioptions.IsNoCompatiblePrinterError(err) {
			return nil, fmt.Errorf("unknown output format %q: use one of table, wide, %s", format, strings.Join(pf.AllowedFormats(), ", "))
		}
		return nil, err
	}
	return p, nil
}

// toUnstructured returns obj with its apiVersion and kind set and without
// managedFields, as kubectl prints objects.
func toUnstructured(obj runtime.Object) (*unstructured.Unstructured, error) {
	out, err := prepareForOutput(obj.DeepCopyObject().(object))
	if err != nil {
		return nil, err
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(out)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: m}
	unstructured.RemoveNestedField(u.Object, "metadata", "managedFields")
	return u, nil
}

// printObjects prints objs with a cli-runtime printer: one object alone
// when single (get KIND NAME), else a v1 List, as kubectl does.
func printObjects(w io.Writer, p printers.ResourcePrinter, objs []object, single bool) error {
	items := make([]unstructured.Unstructured, 0, len(objs))
	for _, obj := range objs {
		u, err := toUnstructured(obj)
		if err != nil {
			return err
		}
		items = append(items, *u)
	}
	if single && len(items) == 1 {
		return p.PrintObj(&items[0], w)
	}
	list := &unstructured.UnstructuredList{Object: map[string]any{"apiVersion": "v1", "kind": "List", "metadata": map[string]any{"resourceVersion": ""}}, Items: items}
	return p.PrintObj(list, w)
}

// tableOptions say how a table is printed.
type tableOptions struct {
	// wide adds the -o wide columns.
	wide bool
	// noHeader leaves out the header row.
	noHeader bool
	// withNamespace adds the NAMESPACE column (-A).
	withNamespace bool
	// withKind prints names as kind/name (get all).
	withKind bool
	// color paints the READY, DRIFTED and SUSPENDED cells.
	color bool
}

// tableFor returns the metav1.Table of objs of kind k, for cli-runtime's
// table printer; deleted marks the objects a watch saw deleted.
func tableFor(k *kindInfo, objs []object, deleted func(object) bool) *metav1.Table {
	t := &metav1.Table{}
	t.ColumnDefinitions = append(t.ColumnDefinitions, metav1.TableColumnDefinition{Name: "Name", Type: "string", Format: "name"})
	for _, col := range k.columns {
		t.ColumnDefinitions = append(t.ColumnDefinitions, metav1.TableColumnDefinition{Name: col, Type: "string"})
	}
	for _, col := range k.wide {
		t.ColumnDefinitions = append(t.ColumnDefinitions, metav1.TableColumnDefinition{Name: col, Type: "string", Priority: 1})
	}
	t.ColumnDefinitions = append(t.ColumnDefinitions, metav1.TableColumnDefinition{Name: "Age", Type: "string"})
	for _, obj := range objs {
		t.Rows = append(t.Rows, metav1.TableRow{Cells: rowCells(k, obj, deleted != nil && deleted(obj)), Object: runtime.RawExtension{Object: obj}})
	}
	return t
}

// rowCells are the cells of obj's row: NAME, the kind's columns, the wide
// columns and AGE.
func rowCells(k *kindInfo, obj object, deleted bool) []any {
	cells := []any{obj.GetName()}
	ready, msg := readyOf(obj)
	if deleted {
		msg = "deleted"
	}
	for _, col := range k.columns {
		switch col {
		case "READY":
			cells = append(cells, ready)
		case "STATUS":
			cells = append(cells, truncate(abbreviateDigests(msg), maxStatusWidth))
		case "REVISION":
			cells = append(cells, shortRevision(revisionOf(obj)))
		case "DRIFTED":
			cells = append(cells, driftedOf(obj))
		case "SUSPENDED":
			cells = append(cells, boolCell(isSuspended(obj)))
		case "MEMBERS":
			cells = append(cells, membersOf(obj))
		case "ROLLOUT":
			cells = append(cells, rolloutOf(obj))
		}
	}
	for _, col := range k.wide {
		cells = append(cells, wideCell(obj, col))
	}
	return append(cells, age(obj.GetCreationTimestamp().Time))
}

// renderTable prints objs of kind k as a table through cli-runtime's table
// printer and returns the text. (That printer pads the header by bytes and
// the tab writer aligns by runes: a column holding "…" is two spaces wider
// than it needs, as in kubectl.) Colors are painted afterwards, by column
// position (the printer escapes control characters in cells, rightly).
func renderTable(k *kindInfo, objs []object, deleted func(object) bool, o tableOptions) (string, error) {
	p := printers.NewTablePrinter(printers.PrintOptions{
		// The header is always rendered, so that colors find their columns;
		// it is cut afterwards for --no-header.
		WithNamespace: o.withNamespace,
		WithKind:      o.withKind,
		Wide:          o.wide,
		Kind:          schema.GroupKind{Group: v1alpha1.GroupVersion.Group, Kind: k.kind},
	})
	var buf bytes.Buffer
	if err := p.PrintObj(tableFor(k, objs, deleted), &buf); err != nil {
		return "", err
	}
	text := buf.String()
	if o.color {
		text = colorColumns(text)
	}
	if o.noHeader {
		if _, rows, ok := strings.Cut(text, "\n"); ok {
			text = rows
		}
	}
	return text, nil
}

// coloredColumns are the columns whose cells are painted by value.
var coloredColumns = []string{"READY", "DRIFTED", "SUSPENDED"}

// colorColumns paints the cells of the coloredColumns of a rendered table,
// found by their header's position; their values have no spaces. Positions
// count runes, as the tab writer aligns them (a STATUS cell may hold "…").
func colorColumns(text string) string {
	lines := strings.Split(text, "\n")
	if len(lines) < 2 {
		return text
	}
	header := []rune(lines[0])
	type span struct {
		start int
		name  string
	}
	var cols []span
	from := 0
	for _, f := range strings.Fields(lines[0]) {
		// Fields are searched left to right, so that NAME is not found
		// inside NAMESPACE.
		i := strings.Index(string(header[from:]), f)
		if i < 0 {
			return text
		}
		start := from + len([]rune(string(header[from:])[:i]))
		cols = append(cols, span{start: start, name: f})
		from = start + len([]rune(f))
	}
	for li := 1; li < len(lines); li++ {
		line := []rune(lines[li])
		var b strings.Builder
		last := 0
		for _, c := range cols {
			if !slices.Contains(coloredColumns, c.name) || c.start >= len(line) || (c.start > 0 && line[c.start-1] != ' ') {
				continue
			}
			end := c.start
			for end < len(line) && line[end] != ' ' {
				end++
			}
			cell := string(line[c.start:end])
			color := ""
			switch c.name {
			case "READY":
				color = conditionColor(cell)
			case "DRIFTED":
				if cell == "True" {
					color = colorRed
				}
			case "SUSPENDED":
				if cell == "True" {
					color = colorYellow
				}
			}
			b.WriteString(string(line[last:c.start]))
			b.WriteString(paint(true, color, cell))
			last = end
		}
		b.WriteString(string(line[last:]))
		lines[li] = b.String()
	}
	return strings.Join(lines, "\n")
}

// errNoName is returned when a name is given with a noun of several kinds.
var errNoName = errors.New("a name needs one kind: name it as source git NAME, database NAME, alert NAME or alert-provider NAME")
