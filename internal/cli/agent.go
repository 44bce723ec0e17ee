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
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/version"
)

// Where the agent runs: the namespace and labels of config/default.
const (
	// DefaultAgentNamespace is the namespace `schemactl install` puts the
	// agent in.
	DefaultAgentNamespace = "schema-system"

	// agentLabel selects the agent's Deployment.
	agentLabel = "app.kubernetes.io/name"
	// agentName is the value of agentLabel and the Deployment's name.
	agentName = "schema-controller"
	// agentContainer is the container of the agent in its Deployment.
	agentContainer = "manager"
)

// AgentOptions are the flags of the commands that look for the agent
// (version, check).
type AgentOptions struct {
	// Namespace is where the agent's Deployment is looked for first; the
	// other namespaces are searched when it is not there.
	Namespace string
}

// BindFlags binds the options to fs.
func (o *AgentOptions) BindFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Namespace, "agent-namespace", DefaultAgentNamespace, "namespace of the agent's Deployment (other namespaces are searched when it is not there)")
}

// VersionOptions are the flags of `schemactl version`.
type VersionOptions struct {
	AgentOptions
	// Client prints the client's version only, without contacting the
	// cluster.
	Client bool
}

// BindFlags binds the options to fs.
func (o *VersionOptions) BindFlags(fs *pflag.FlagSet) {
	o.AgentOptions.BindFlags(fs)
	fs.BoolVar(&o.Client, "client", false, "print the client's version only, without contacting the cluster")
}

// agent is the agent's Deployment as found in the cluster.
type agent struct {
	deploy *appsv1.Deployment
	image  string
}

// version returns the tag of the agent's image: its version for a release.
func (a *agent) version() string {
	return imageTag(a.image)
}

// imageTag returns the tag of an image reference, or its digest when it has
// no tag, or "latest" when it has neither.
func imageTag(image string) string {
	ref, digest, _ := strings.Cut(image, "@")
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[i+1:]
	}
	if digest != "" {
		return digest
	}
	return "latest"
}

// errAgentNotFound is returned when no agent Deployment is found.
var errAgentNotFound = errors.New("agent not found")

// findAgent looks for the agent's Deployment: in namespace first, then in
// any namespace the user may list.
func (c *cluster) findAgent(ctx context.Context, namespace string) (*agent, error) {
	sel := client.MatchingLabels{agentLabel: agentName}
	var list appsv1.DeploymentList
	if err := c.List(ctx, &list, client.InNamespace(namespace), sel); err != nil && !apierrors.IsForbidden(err) {
		return nil, c.explain(err)
	}
	if len(list.Items) == 0 {
		if err := c.List(ctx, &list, sel); err != nil && !apierrors.IsForbidden(err) {
			return nil, c.explain(err)
		}
	}
	if len(list.Items) == 0 {
		return nil, errAgentNotFound
	}
	slices.SortFunc(list.Items, func(a, b appsv1.Deployment) int {
		return strings.Compare(a.Namespace+"/"+a.Name, b.Namespace+"/"+b.Name)
	})
	d := &list.Items[0]
	a := &agent{deploy: d}
	for _, ctr := range d.Spec.Template.Spec.Containers {
		if ctr.Name == agentContainer || a.image == "" {
			a.image = ctr.Image
		}
	}
	return a, nil
}

// Version runs `schemactl version`: the client's version and, when the
// cluster is reachable, the agent's (the tag of its image).
func Version(ctx context.Context, g *GlobalOptions, o VersionOptions) error {
	_, _ = fmt.Fprintf(g.Streams.Out, "client: %s\n", version.Version)
	if o.Client {
		return nil
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		_, _ = fmt.Fprintf(g.Streams.Out, "agent: unknown (%v)\n", err)
		return nil
	}
	a, err := c.findAgent(ctx, o.Namespace)
	switch {
	case errors.Is(err, errAgentNotFound):
		_, _ = fmt.Fprintln(g.Streams.Out, "agent: not found")
	case err != nil:
		_, _ = fmt.Fprintf(g.Streams.Out, "agent: unknown (%v)\n", err)
	default:
		_, _ = fmt.Fprintf(g.Streams.Out, "agent: %s (deployment %s/%s)\n", a.version(), a.deploy.Namespace, a.deploy.Name)
	}
	return nil
}

// CheckOptions are the flags of `schemactl check`.
type CheckOptions struct {
	AgentOptions
	// Pre checks the prerequisites of install instead: the Kubernetes
	// version and the permissions install needs.
	Pre bool
}

// BindFlags binds the options to fs.
func (o *CheckOptions) BindFlags(fs *pflag.FlagSet) {
	o.AgentOptions.BindFlags(fs)
	fs.BoolVar(&o.Pre, "pre", false, "check the prerequisites of install only: the Kubernetes version (>="+MinKubernetesVersion+") and the permission to create the CRDs, RBAC, namespace and Deployment (in -n, default "+DefaultAgentNamespace+")")
}

// crdPlurals are the resources the CLI needs, in the order check lists them.
var crdPlurals = []string{"schemarepositories", "databases", "alertproviders", "alertrules", "databasesets"}

// Check runs `schemactl check`: the cluster answers, the CRDs of
// schemactl.dev are installed and the agent is running. It prints one line
// per check and fails when one fails.
func Check(ctx context.Context, g *GlobalOptions, o CheckOptions) error {
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	fail := func(format string, args ...any) {
		_, _ = fmt.Fprintln(g.Streams.Out, paint(g.Color, colorRed, "✗")+" "+fmt.Sprintf(format, args...))
	}
	if o.Pre {
		return checkPre(ctx, g, c, fail)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(c.config)
	if err != nil {
		return err
	}
	g.step("checking the cluster")
	sv, err := dc.ServerVersion()
	if err != nil {
		err = c.explain(err)
		fail("%v", err)
		return err
	}
	g.ok("Kubernetes %s at %s", sv.GitVersion, c.config.Host)

	var errs []error
	g.step("checking the CRDs")
	gv := v1alpha1.GroupVersion.String()
	resources, err := dc.ServerResourcesForGroupVersion(gv)
	if err != nil && !apierrors.IsNotFound(err) {
		err = c.explain(err)
		fail("%v", err)
		return err
	}
	missing := 0
	for _, plural := range crdPlurals {
		name := plural + "." + v1alpha1.GroupVersion.Group
		if resources != nil && slices.ContainsFunc(resources.APIResources, func(r metav1.APIResource) bool { return r.Name == plural }) {
			g.ok("%s (%s)", name, v1alpha1.GroupVersion.Version)
			continue
		}
		fail("%s (%s): not installed", name, v1alpha1.GroupVersion.Version)
		missing++
	}
	if missing > 0 {
		errs = append(errs, ErrCRDsNotInstalled)
	}

	g.step("checking the agent")
	a, err := c.findAgent(ctx, o.Namespace)
	switch {
	case errors.Is(err, errAgentNotFound):
		fail("no schema-controller Deployment found (labelled %s=%s)", agentLabel, agentName)
		errs = append(errs, errors.New("the agent is not installed: run schemactl install --export | kubectl apply -f -"))
	case err != nil:
		fail("%v", err)
		errs = append(errs, err)
	default:
		d := a.deploy
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		what := fmt.Sprintf("deployment %s/%s (version %s)", d.Namespace, d.Name, a.version())
		if d.Status.AvailableReplicas < 1 {
			fail("%s: not running: %d/%d replicas available", what, d.Status.AvailableReplicas, want)
			errs = append(errs, fmt.Errorf("the agent is not running: no available replica of deployment %s/%s (see kubectl -n %s describe deployment %s)", d.Namespace, d.Name, d.Namespace, d.Name))
		} else {
			g.ok("%s: %d/%d replicas available", what, d.Status.AvailableReplicas, want)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	g.ok("all checks passed")
	return nil
}
