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
	"errors"

	"github.com/spf13/cobra"

	"github.com/schemactl/schema-controller/internal/cli"
)

func newAdoptCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.AdoptOptions{}
	cmd := &cobra.Command{
		Use:   "adopt --url URL --dir DIR [--out FILE] | adopt database NAME",
		Short: "Write the drift of a database as SQL for Git",
		Long: `adopt turns the drift of a database into SQL for Git: the statements that turn
the desired schema of --dir into the live database (the reverse of the plan),
in canonical form (no CONCURRENTLY, no NOT VALID steps, no helper checks).
Added to the folder as its LAST file (it must sort after the others), it makes
the desired schema equal to the database: 'schemactl plan' then exits 0.

The file starts with a header naming the drift it adopts, the statements that
DROP what Git declares (the database no longer has it) and the differences no
statement can adopt (kinds not managed yet), which need a hand edit. Writing a
file is not destructive: no flag is needed for drops, but read them.

With --per-object it writes instead, into the folder --out, one file per object
kind (adopt_table.sql, adopt_index.sql, ...) with the drifted objects' own
definitions as the database has them, to replace their definitions in Git.

'adopt database NAME' prints the adopt SQL the agent keeps in the Database's
status (status.drift.adoptSQL) when the drift is small enough to carry.

Exit codes: 0 = nothing to adopt, 2 = adopt SQL written, 1 = error.` + passwordHelp,
		Example: `  schemactl adopt --dir ./db/orders --out ./db/orders/zz_adopt_20261206.sql
  schemactl adopt --dir ./db/orders --per-object --out ./adopted
  schemactl adopt database orders -n shop > ./db/orders/zz_adopt.sql`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return errors.New("want no argument (with --url and --dir) or 'database NAME'")
			}
			return nil
		},
		ValidArgsFunction: completeTarget(g, cli.DatabaseKinds),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 {
				return cli.AdoptDatabase(cmd.Context(), g, args)
			}
			fromEnv(&o.LocalOptions)
			return cli.RunAdopt(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	bindLocalFlags(cmd, &o.LocalOptions)
	// Writing a file destroys nothing and reads no data: these do not apply.
	_ = cmd.Flags().MarkHidden("allow-destructive")
	_ = cmd.Flags().MarkHidden("preflight-timeout")
	cmd.Flags().StringVar(&o.Out, "out", "", "file to write the adopt SQL to (default: stdout); with --per-object, a folder")
	cmd.Flags().BoolVar(&o.PerObject, "per-object", false, "write the drifted objects' own definitions, one file per object kind, into the folder --out")
	return cmd
}
