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
	"github.com/spf13/cobra"

	"github.com/schemactl/schema-controller/internal/cli"
)

func newTreeCmd(g *cli.GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "tree database|databaseset NAME",
		Short: "Print a Database's source, its schemas and the objects that drifted, or a DatabaseSet's members",
		Long: `tree draws the SchemaRepository a Database reads, the Database, its pending
plan, the schemas it manages and, under each schema, the objects its status
reports as changed outside Git, with how they differ. Each node shows its
Ready status and revision.

For a DatabaseSet it draws the set, its rollout and each member Database with
its state, revision, the revision it is pinned to when it differs, and a
pending destructive plan.`,
		Example: `  schemactl tree database orders -n shop
  schemactl tree databaseset tenants -n shop`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeTarget(g, cli.TreeKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Tree(cmd.Context(), g, args)
		},
	}
}

func newStatsCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.StatsOptions{}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count the objects of each kind by Ready status, drift and suspension",
		Long: `stats prints, per kind, how many objects are Ready, not Ready, not reconciled
yet (Unknown), drifted (Databases whose Drifted condition is True) and
suspended, in the namespace or in all namespaces with -A.`,
		Example: `  schemactl stats -A`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Stats(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newLogsCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.LogsOptions{}
	cmd := &cobra.Command{
		Use:   "logs",
		Short: "Print the agent's logs, filtered by object and level",
		Long: `logs reads the log of the agent's pods (label
app.kubernetes.io/name=schema-controller in --agent-namespace) through the API
server's pods/log, and prints the lines of the objects in the namespace (-n;
all namespaces with -A), of one kind (--kind), of one name (--name) and one
level (--level), as "time level Kind/name.namespace - message". The agent logs
JSON lines with Flux's keys (ts, level, msg, error, controllerKind, name,
namespace). -f follows the log until interrupted.`,
		Example: `  schemactl logs -n shop --kind Database --name orders
  schemactl logs -A --level error -f`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Logs(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newRolloutCmd(g *cli.GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rollout",
		Short: "Follow, resume or abort the rollout of a DatabaseSet",
		Long: `rollout works on the progressive rollout of a DatabaseSet: a new revision of
its source reaches the members in waves (a canary, then maxParallel at a
time); a failed or blocked member halts it, and the members not yet moved stay
on the previous revision.`,
	}
	for _, a := range []struct{ action, short, long string }{
		{cli.RolloutStatus, "Print the rollout of a DatabaseSet",
			"status prints the revision rolled out, the previous one, the phase, the wave,\nhow many members moved and the members that failed or are blocked, and why."},
		{cli.RolloutResume, "Continue a halted rollout, or restart an aborted one",
			"resume continues a Halted rollout (fix the failed members first, or approve\ntheir plan with schemactl approve databaseset), or restarts an Aborted one\nfrom its canary."},
		{cli.RolloutAbort, "Return every member of a DatabaseSet to the previous revision",
			"abort pins every member, moved or not, to the previous revision; the set\nstays Aborted until the source's revision changes or rollout resume."},
	} {
		cmd.AddCommand(&cobra.Command{
			Use:               a.action + " databaseset NAME",
			Short:             a.short,
			Long:              a.long,
			Example:           "  schemactl rollout " + a.action + " databaseset tenants -n shop",
			Args:              cobra.ExactArgs(2),
			ValidArgsFunction: completeTarget(g, cli.DatabaseSetKinds),
			RunE: func(cmd *cobra.Command, args []string) error {
				return cli.Rollout(cmd.Context(), g, a.action, args)
			},
		})
	}
	return cmd
}
