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

package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/schemactl/schema-controller/internal/cli"
)

// completionContext returns the context of a completion request; cobra does
// not always hand one to completion functions.
func completionContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// completions turns the result of a cli completion function into cobra's.
// An error is shown by the shell's completion debugging only.
func completions(values []string, err error) ([]cobra.Completion, cobra.ShellCompDirective) {
	if err != nil {
		cobra.CompErrorln(err.Error())
		return nil, cobra.ShellCompDirectiveError | cobra.ShellCompDirectiveNoFileComp
	}
	return values, cobra.ShellCompDirectiveNoFileComp
}

// completeTarget completes the noun, then the names of that kind, for
// commands taking NOUN NAME; after "source" it offers "git" (Flux's
// spelling) besides the names.
func completeTarget(g *cli.GlobalOptions, kinds []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		switch {
		case len(args) == 0:
			return cli.CompleteKinds(kinds, toComplete), cobra.ShellCompDirectiveNoFileComp
		case len(args) == 1 && cli.IsSourceNoun(args[0]):
			names, err := cli.CompleteNames(completionContext(cmd), g, kinds, args[0], toComplete)
			return completions(append(cli.CompleteKinds([]string{cli.SourceTypeGit}, toComplete), names...), err)
		case len(args) == 1, len(args) == 2 && cli.IsSourceNoun(args[0]) && args[1] == cli.SourceTypeGit:
			return completions(cli.CompleteNames(completionContext(cmd), g, kinds, args[0], toComplete))
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeOutput completes -o.
func completeOutput(cmd *cobra.Command) {
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(cli.OutputFormats, cobra.ShellCompDirectiveNoFileComp))
}

// registerGlobalCompletions completes -n with the cluster's namespaces and
// --context with the kubeconfig's contexts.
func registerGlobalCompletions(root *cobra.Command, g *cli.GlobalOptions) {
	_ = root.RegisterFlagCompletionFunc("namespace", func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return completions(cli.CompleteNamespaces(completionContext(cmd), g, toComplete))
	})
	_ = root.RegisterFlagCompletionFunc("context", func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return cli.CompleteContexts(g, toComplete), cobra.ShellCompDirectiveNoFileComp
	})
}
