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
	"io"
	"strings"
	"unicode/utf8"
)

// ANSI colors of the output. They are written only when the stream is a
// terminal and NO_COLOR is not set.
const (
	colorReset  = "\x1b[0m"
	colorRed    = "\x1b[31m"
	colorGreen  = "\x1b[32m"
	colorYellow = "\x1b[33m"
	colorCyan   = "\x1b[36m"
	colorFaint  = "\x1b[2m"
)

// paint wraps s in color when enabled.
func paint(enabled bool, color, s string) string {
	if !enabled || color == "" || s == "" {
		return s
	}
	return color + s + colorReset
}

// conditionColor is the color of a condition status cell.
func conditionColor(status string) string {
	switch status {
	case "True":
		return colorGreen
	case "False":
		return colorRed
	}
	return colorYellow
}

// columnGap separates the columns of a table, as in kubectl.
const columnGap = "   "

// table writes rows aligned in columns. Widths grow as rows come (for
// --watch, where rows are written one at a time); the last column is not
// padded.
type table struct {
	w      io.Writer
	widths []int
	// color returns the color of a cell, or "" for none; nil for no colors.
	color func(col int, cell string) string
}

// add grows the widths to fit rows without writing them.
func (t *table) add(rows ...[]string) {
	for _, row := range rows {
		for i, cell := range row {
			for len(t.widths) <= i {
				t.widths = append(t.widths, 0)
			}
			if n := utf8.RuneCountInString(cell); n > t.widths[i] {
				t.widths[i] = n
			}
		}
	}
}

// writeHeader writes the header row, never colored.
func (t *table) writeHeader(header []string) error {
	return t.writeRows(false, header)
}

// write writes rows, growing the widths first.
func (t *table) write(rows ...[]string) error {
	return t.writeRows(true, rows...)
}

func (t *table) writeRows(colored bool, rows ...[]string) error {
	t.add(rows...)
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			text := cell
			if colored && t.color != nil {
				text = paint(true, t.color(i, cell), cell)
			}
			b.WriteString(text)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", t.widths[i]-utf8.RuneCountInString(cell)))
				b.WriteString(columnGap)
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}
