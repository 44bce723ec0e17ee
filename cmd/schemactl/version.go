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
line per check and fails when one fails.

check --pre checks what install needs instead: the Kubernetes version and the
permission to create the CRDs, the RBAC, the namespace and the Deployment.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Check(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newInstallCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.InstallOptions{}
	cmd := &cobra.Command{
		Use:   "install",
		Short: "Install the CRDs and the agent, or print their manifests",
		Long: `install applies the manifests of config/default, built into the binary — the
schema-system namespace, the CRDs, the RBAC and the agent's Deployment — with
server-side apply (field manager schemactl), then waits until the agent's
Deployment has an available replica (within --timeout). Running it again
upgrades in place.

--export prints the manifests instead, to apply with kubectl or commit to a
GitOps repository. -n installs the agent into another namespace (the
Namespace, the namespaced objects and the bindings' subjects move with it).
--components picks the parts: crds, agent. The agent's image is tagged with the
client's version for a release build; --image sets another.`,
		Example: `  schemactl install
  schemactl install -n db-agent --image registry.example/schema-controller:v0.1.0
  schemactl install --export | kubectl apply --server-side -f -
  schemactl install --export --components crds > crds.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Install(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}

func newUninstallCmd(g *cli.GlobalOptions) *cobra.Command {
	o := cli.UninstallOptions{}
	cmd := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove the agent; the CRDs and objects stay unless asked",
		Long: `uninstall deletes the agent's Deployment, its RBAC and ServiceAccount from the
namespace (-n, default schema-system) after a confirmation (--silent skips
it). The CRDs, every SchemaRepository, Database, AlertRule and AlertProvider
and the namespace stay, so that installing again resumes where it stopped;
--resources deletes the objects (their finalizers removed first), --crds the
CRDs too, --delete-namespace the namespace. No database is ever touched.`,
		Example: `  schemactl uninstall
  schemactl uninstall --crds --delete-namespace --silent`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cli.Uninstall(cmd.Context(), g, o)
		},
	}
	o.BindFlags(cmd.Flags())
	return cmd
}
