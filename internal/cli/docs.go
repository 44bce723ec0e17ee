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
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// GenMarkdown returns the reference of the command tree of root in
// Markdown: the root's description and global flags, then one section per
// command with its usage, description, examples and flags. docs/cli.md is
// generated with it; cobra's own generator would pull in go-md2man.
func GenMarkdown(root *cobra.Command) string {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var cmds []*cobra.Command
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.Name() == "help" {
				continue
			}
			cmds = append(cmds, sub)
			walk(sub)
		}
	}
	walk(root)

	var b strings.Builder
	fmt.Fprintf(&b, "# %s command reference\n\n", root.Name())
	b.WriteString("<!-- Generated from the command tree by TestDocs_upToDate in cmd/schemactl: do not edit.\n")
	b.WriteString("     Regenerate with: go test ./cmd/schemactl -run TestDocs_upToDate -update -->\n\n")
	b.WriteString(root.Short + ".\n\n")
	writeLong(&b, root.Long)
	b.WriteString("## Commands\n\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "- [`%s`](#%s): %s\n", c.CommandPath(), anchor(c.CommandPath()), c.Short)
	}
	b.WriteString("\n## Global flags\n\nEvery command takes these flags.\n\n")
	writeFlags(&b, root.PersistentFlags())
	for _, c := range cmds {
		fmt.Fprintf(&b, "## %s\n\n%s.\n\n", c.CommandPath(), c.Short)
		fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
		if c.Long != "" {
			writeLong(&b, c.Long)
		}
		if c.Example != "" {
			fmt.Fprintf(&b, "Examples:\n\n```\n%s\n```\n\n", strings.TrimRight(c.Example, "\n"))
		}
		flags := pflag.NewFlagSet(c.Name(), pflag.ContinueOnError)
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name != "help" {
				flags.AddFlag(f)
			}
		})
		if flags.HasFlags() {
			b.WriteString("Flags:\n\n")
			writeFlags(&b, flags)
		}
	}
	return b.String()
}

// writeLong writes a description; the exit codes become a code block.
func writeLong(b *strings.Builder, long string) {
	text, codes, found := strings.Cut(long, ExitCodesHelp)
	b.WriteString(strings.TrimSpace(text) + "\n\n")
	if found {
		fmt.Fprintf(b, "```\n%s\n```\n\n", ExitCodesHelp)
		if rest := strings.TrimSpace(codes); rest != "" {
			b.WriteString(rest + "\n\n")
		}
	}
}

func writeFlags(b *strings.Builder, fs *pflag.FlagSet) {
	fmt.Fprintf(b, "```\n%s```\n\n", fs.FlagUsagesWrapped(100))
}

// anchor is GitHub's anchor of a heading.
func anchor(heading string) string {
	return strings.ReplaceAll(strings.ToLower(heading), " ", "-")
}
