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

func newCreateCmd(g *cli.GlobalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create or update sources, Databases, alerts and alert providers",
		Long: `create builds an object from flags. With --export it prints the YAML to
commit (no status, no server fields, the CRDs' defaults written out, so that
schemactl export prints it again after an apply). Without --export it creates
or updates the object on the server with server-side apply (field manager
schemactl) and waits until it is Ready, within --timeout.`,
	}
	source := &cobra.Command{
		Use:   "source",
		Short: "Create or update a source",
	}
	source.AddCommand(newCreateSourceGitCmd(g))
	cmd.AddCommand(source, newCreateDatabaseCmd(g), newCreateAlertProviderCmd(g), newCreateAlertCmd(g))
	return cmd
}

func newCreateSourceGitCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.CreateSourceGitOptions{}
	cmd := &cobra.Command{
		Use:   "git NAME --url URL --branch BRANCH",
		Short: "Create or update a SchemaRepository, the Git source of SQL",
		Example: `  schemactl create source git shop-schemas -n shop \
    --url ssh://git@github.com/acme/shop.git --branch main --secret-ref shop-git \
    --interval 1m --export > shop-schemas.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.CreateSourceGit(cmd.Context(), g, o, args[0])
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newCreateDatabaseCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.CreateDatabaseOptions{}
	cmd := &cobra.Command{
		Use:   "database NAME --source SOURCE --path PATH --secret-ref SECRET",
		Short: "Create or update a Database, a database registered with the agent",
		Example: `  schemactl create database orders -n shop \
    --source SchemaRepository/shop-schemas --path ./db/orders --secret-ref orders-db \
    --interval 5m --export > orders.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.CreateDatabase(cmd.Context(), g, o, args[0])
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newCreateAlertProviderCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.CreateAlertProviderOptions{}
	cmd := &cobra.Command{
		Use:   "alert-provider NAME --type TYPE --secret-ref SECRET",
		Short: "Create or update an AlertProvider",
		Example: `  schemactl create alert-provider slack -n shop \
    --type slack --channel '#db-alerts' --secret-ref slack-webhook --export`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.CreateAlertProvider(cmd.Context(), g, o, args[0])
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newCreateAlertCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.CreateAlertOptions{}
	cmd := &cobra.Command{
		Use:   "alert NAME --provider-ref PROVIDER --event-source KIND/NAME",
		Short: "Create or update an AlertRule",
		Example: `  schemactl create alert drift -n shop \
    --provider-ref slack --event-severity info --event-source 'Database/*' --export`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.CreateAlert(cmd.Context(), g, o, args[0])
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}
