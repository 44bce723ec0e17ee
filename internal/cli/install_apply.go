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
	"time"

	"github.com/spf13/pflag"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/version"
	"k8s.io/client-go/discovery"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// installNamespace is the namespace install uses: -n when given, else
// schema-system (never the kubeconfig context's namespace, which is often
// "default").
func (g *GlobalOptions) installNamespace() string {
	if ns := *g.ConfigFlags.Namespace; ns != "" {
		return ns
	}
	return DefaultAgentNamespace
}

// renderManifests returns the embedded manifests with the agent's image,
// the namespace and the components asked for.
func renderManifests(image, namespace string, components []string) ([]*unstructured.Unstructured, error) {
	for _, c := range components {
		if !slices.Contains(InstallComponents, c) {
			return nil, fmt.Errorf("--components: unknown component %q: use %s", c, strings.Join(InstallComponents, ", "))
		}
	}
	if len(components) == 0 {
		return nil, errors.New("--components: name at least one of " + strings.Join(InstallComponents, ", "))
	}
	var out []*unstructured.Unstructured
	for _, doc := range strings.Split(Manifests(image), "\n---\n") {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
			return nil, fmt.Errorf("reading the embedded manifests: %w", err)
		}
		if len(u.Object) == 0 {
			continue
		}
		component := ComponentAgent
		if u.GetKind() == "CustomResourceDefinition" {
			component = ComponentCRDs
		}
		if !slices.Contains(components, component) {
			continue
		}
		setInstallNamespace(u, namespace)
		out = append(out, u)
	}
	return out, nil
}

// setInstallNamespace moves an object of the manifests from schema-system
// to namespace: the Namespace itself, namespaced objects, and the
// subjects of the bindings.
func setInstallNamespace(u *unstructured.Unstructured, namespace string) {
	if namespace == DefaultAgentNamespace {
		return
	}
	if u.GetKind() == "Namespace" && u.GetName() == DefaultAgentNamespace {
		u.SetName(namespace)
		return
	}
	if u.GetNamespace() == DefaultAgentNamespace {
		u.SetNamespace(namespace)
	}
	subjects, ok, _ := unstructured.NestedSlice(u.Object, "subjects")
	if !ok {
		return
	}
	for _, s := range subjects {
		if m, ok := s.(map[string]any); ok && m["namespace"] == DefaultAgentNamespace {
			m["namespace"] = namespace
		}
	}
	_ = unstructured.SetNestedSlice(u.Object, subjects, "subjects")
}

// Install runs `schemactl install`: it applies the embedded manifests
// (config/default) with server-side apply and waits until the agent's
// Deployment has an available replica; with Export it prints them instead.
// -n moves the agent to another namespace.
func Install(ctx context.Context, g *GlobalOptions, o InstallOptions) error {
	image := o.Image
	if image == "" {
		image = DefaultImage()
	}
	ns := g.installNamespace()
	objs, err := renderManifests(image, ns, o.Components)
	if err != nil {
		return err
	}
	if o.Export {
		if ns == DefaultAgentNamespace && len(o.Components) == len(InstallComponents) {
			// The manifests as kustomize wrote them, comments and order kept.
			_, err := fmt.Fprint(g.Streams.Out, Manifests(image))
			return err
		}
		return writeExport(g.Streams.Out, objs)
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	g.step("applying %d objects (server-side apply, field manager %s)", len(objs), FieldOwner)
	var deploy *unstructured.Unstructured
	for _, u := range objs {
		if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(FieldOwner), client.ForceOwnership); err != nil {
			return fmt.Errorf("applying %s %s: %w", u.GetKind(), u.GetName(), c.explain(err))
		}
		what := u.GetKind() + " " + u.GetName()
		if u.GetNamespace() != "" {
			what = u.GetKind() + " " + u.GetNamespace() + "/" + u.GetName()
		}
		g.ok("%s applied", what)
		if u.GetKind() == "Deployment" {
			deploy = u
		}
	}
	if deploy == nil || !o.Wait {
		return nil
	}
	return g.waitDeployment(ctx, c, client.ObjectKeyFromObject(deploy))
}

// waitDeployment waits until the Deployment rolled out its current
// generation and has an available replica.
func (g *GlobalOptions) waitDeployment(ctx context.Context, c *cluster, key client.ObjectKey) error {
	what := "deployment " + key.Namespace + "/" + key.Name
	p := g.newProgress()
	defer p.stop()
	tick := time.NewTicker(g.pollInterval())
	defer tick.Stop()
	last := "waiting for the rollout"
	for {
		var d appsv1.Deployment
		if err := c.Get(ctx, key, &d); err != nil && !deadlineNear(ctx, err) {
			return c.explain(err)
		}
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		if d.Status.ObservedGeneration >= d.Generation && d.Generation > 0 && d.Status.UpdatedReplicas >= want && d.Status.AvailableReplicas >= 1 {
			g.ok("%s is ready: %d/%d replicas available", what, d.Status.AvailableReplicas, want)
			return nil
		}
		if d.Generation > 0 {
			last = fmt.Sprintf("%d/%d replicas updated, %d available", d.Status.UpdatedReplicas, want, d.Status.AvailableReplicas)
		}
		p.update(what + ": " + last)
		select {
		case <-ctx.Done():
			return fmt.Errorf("timed out after %s waiting for %s: %s (see kubectl -n %s describe deployment %s)", g.Timeout, what, last, key.Namespace, key.Name)
		case <-tick.C:
		}
	}
}

// UninstallOptions are the flags of `schemactl uninstall`.
type UninstallOptions struct {
	// Resources also deletes every SchemaRepository, Database, AlertRule and
	// AlertProvider, after removing their finalizers.
	Resources bool
	// CRDs also deletes the CRDs (which deletes the objects: implies
	// Resources).
	CRDs bool
	// DeleteNamespace also deletes the agent's namespace.
	DeleteNamespace bool
	// Silent skips the confirmation.
	Silent bool
}

// BindFlags binds the options to fs.
func (o *UninstallOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.Resources, "resources", false, "also delete every SchemaRepository, Database, AlertRule and AlertProvider (their finalizers removed first; no database is touched)")
	fs.BoolVar(&o.CRDs, "crds", false, "also delete the CRDs of schemactl.dev, and so every object of theirs (implies --resources)")
	fs.BoolVar(&o.DeleteNamespace, "delete-namespace", false, "also delete the agent's namespace and everything in it")
	fs.BoolVar(&o.Silent, "silent", false, "uninstall without asking for confirmation")
}

// Uninstall runs `schemactl uninstall`: it deletes the agent's Deployment
// and RBAC; the CRDs, the objects and the namespace stay unless asked.
func Uninstall(ctx context.Context, g *GlobalOptions, o UninstallOptions) error {
	ns := g.installNamespace()
	if o.CRDs {
		o.Resources = true
	}
	q := "Are you sure you want to remove the agent from namespace " + ns
	switch {
	case o.CRDs:
		q += ", the CRDs and every SchemaRepository, Database, AlertRule and AlertProvider"
	case o.Resources:
		q += " and every SchemaRepository, Database, AlertRule and AlertProvider"
	}
	if !o.Silent && !g.confirm(q) {
		return errors.New("not uninstalled: not confirmed (pass --silent to skip the question)")
	}
	ctx, cancel := g.withTimeout(ctx, false)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	if o.Resources {
		if err := c.deleteAllObjects(ctx, g); err != nil {
			return err
		}
	}
	objs, err := renderManifests(ManifestImage, ns, InstallComponents)
	if err != nil {
		return err
	}
	// Delete in reverse order: the Deployment first, the CRDs and the
	// namespace last.
	for i := len(objs) - 1; i >= 0; i-- {
		u := objs[i]
		switch {
		case u.GetKind() == "CustomResourceDefinition" && !o.CRDs, u.GetKind() == "Namespace" && !o.DeleteNamespace:
			continue
		}
		what := u.GetKind() + " " + u.GetName()
		if u.GetNamespace() != "" {
			what = u.GetKind() + " " + u.GetNamespace() + "/" + u.GetName()
		}
		err := c.Delete(ctx, u, client.PropagationPolicy("Background"))
		switch {
		case apierrors.IsNotFound(err):
			g.step("%s not found", what)
		case err != nil:
			return fmt.Errorf("deleting %s: %w", what, c.explain(err))
		default:
			g.ok("deleted %s", what)
		}
	}
	return nil
}

// deleteAllObjects removes the finalizers of every object of our kinds,
// which the uninstalled agent could no longer remove, and deletes them.
// Deleting an object never touches a database.
func (c *cluster) deleteAllObjects(ctx context.Context, g *GlobalOptions) error {
	for _, k := range kinds {
		list := k.newList()
		if err := c.List(ctx, list); err != nil {
			if errors.Is(c.explain(err), ErrCRDsNotInstalled) {
				return nil
			}
			return c.explain(err)
		}
		for _, obj := range listItems(list) {
			what := describe(k, obj.GetNamespace(), obj.GetName())
			if len(obj.GetFinalizers()) > 0 {
				if err := c.mergePatch(ctx, obj, map[string]any{"metadata": map[string]any{"finalizers": nil}}); err != nil && !apierrors.IsNotFound(err) {
					return fmt.Errorf("removing the finalizers of %s: %w", what, err)
				}
			}
			if err := c.Delete(ctx, obj); err != nil && !apierrors.IsNotFound(err) {
				return fmt.Errorf("deleting %s: %w", what, c.explain(err))
			}
			g.ok("deleted %s", what)
		}
	}
	return nil
}

// MinKubernetesVersion is the oldest Kubernetes the CRDs and the agent are
// tested against: the client libraries' minor version minus three, the
// skew Kubernetes itself supports.
const MinKubernetesVersion = "1.34.0"

// checkPre runs `schemactl check --pre`: the cluster answers, its version is
// recent enough, and the user may create what install applies.
func checkPre(ctx context.Context, g *GlobalOptions, c *cluster, fail func(string, ...any)) error {
	dc, err := discovery.NewDiscoveryClientForConfig(c.config)
	if err != nil {
		return err
	}
	g.step("checking prerequisites")
	sv, err := dc.ServerVersion()
	if err != nil {
		err = c.explain(err)
		fail("%v", err)
		return err
	}
	var errs []error
	v, err := version.ParseGeneric(sv.GitVersion)
	switch {
	case err != nil:
		fail("Kubernetes %s: cannot read the version: %v", sv.GitVersion, err)
		errs = append(errs, err)
	case v.LessThan(version.MustParseGeneric(MinKubernetesVersion)):
		fail("Kubernetes %s: older than %s", sv.GitVersion, MinKubernetesVersion)
		errs = append(errs, fmt.Errorf("the cluster runs Kubernetes %s, older than %s", sv.GitVersion, MinKubernetesVersion))
	default:
		g.ok("Kubernetes %s >=%s", sv.GitVersion, MinKubernetesVersion)
	}
	ns := g.installNamespace()
	for _, ra := range []authorizationv1.ResourceAttributes{
		{Verb: "create", Group: "apiextensions.k8s.io", Resource: "customresourcedefinitions"},
		{Verb: "create", Group: "rbac.authorization.k8s.io", Resource: "clusterroles"},
		{Verb: "create", Group: "rbac.authorization.k8s.io", Resource: "clusterrolebindings"},
		{Verb: "create", Resource: "namespaces"},
		{Verb: "create", Group: "apps", Resource: "deployments", Namespace: ns},
	} {
		what := ra.Verb + " " + ra.Resource
		if ra.Group != "" {
			what += "." + ra.Group
		}
		if ra.Namespace != "" {
			what += " in namespace " + ra.Namespace
		}
		ssar := &authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &ra}}
		if err := c.Create(ctx, ssar); err != nil {
			err = c.explain(err)
			fail("%s: %v", what, err)
			errs = append(errs, err)
			continue
		}
		if !ssar.Status.Allowed {
			fail("%s: not allowed", what)
			errs = append(errs, fmt.Errorf("you may not %s, which install needs", what))
			continue
		}
		g.ok("%s: allowed", what)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	g.ok("prerequisites checks passed")
	return nil
}
