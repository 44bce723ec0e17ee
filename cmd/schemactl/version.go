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

// newVersionCmd returns `schemactl version`, which prints the version the
// binary was built with and the agent's version in the cluster.
func newVersionCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.VersionOptions{}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the versions of schemactl and of the agent in the cluster",
		Long: `version prints the client's version and, when the cluster is reachable, the
agent's: the tag of the image of the schema-controller Deployment, or "not
found". It does not fail when the cluster is unreachable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Version(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newCheckCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.CheckOptions{}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check that the CRDs are installed and the agent is running",
		Long: `check connects to the cluster, checks that the schemactl.dev CRDs are
served and that the agent's Deployment has an available replica. It prints one
line per check and fails when one fails.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Check(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newInstallCmd() *cobra.Command {
	o := cli.InstallOptions{}
	cmd := &cobra.Command{
		Use:   "install --export",
		Short: "Print the manifests that install the CRDs and the agent",
		Long: `install --export prints the manifests of config/default, built into the
binary: the schema-system namespace, the CRDs, the RBAC and the agent's
Deployment. Apply them with kubectl or commit them to a GitOps repository.
The agent's image is tagged with the client's version for a release build.`,
		Example: `  schemactl install --export | kubectl apply --server-side -f -
  schemactl install --export --image registry.example/schema-controller:v0.1.0 > schema-controller.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Install(cmd.OutOrStdout(), o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}
