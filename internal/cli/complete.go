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
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// completionTimeout bounds the requests of shell completion: a slow
// cluster must not hang the shell.
const completionTimeout = 5 * time.Second

// CompleteKinds returns the kinds of allowed that start with toComplete.
func CompleteKinds(allowed []string, toComplete string) []string {
	var out []string
	for _, k := range allowed {
		if strings.HasPrefix(k, toComplete) {
			out = append(out, k)
		}
	}
	return out
}

// CompleteNames returns the names of the objects of kind (one of allowed)
// in the namespace of the flags that start with toComplete.
func CompleteNames(ctx context.Context, g *GlobalOptions, allowed []string, kind, toComplete string) ([]string, error) {
	k, err := lookupKind(kind, allowed)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return nil, err
	}
	list := k.newList()
	if err := c.List(ctx, list, client.InNamespace(c.namespace)); err != nil {
		return nil, c.explain(err)
	}
	var out []string
	for _, obj := range listItems(list) {
		if strings.HasPrefix(obj.GetName(), toComplete) {
			out = append(out, obj.GetName())
		}
	}
	slices.Sort(out)
	return out, nil
}

// CompleteFor completes the KIND/NAME of `events --for`: kinds until a
// slash is typed, then the names of that kind.
func CompleteFor(ctx context.Context, g *GlobalOptions, toComplete string) ([]string, error) {
	kind, prefix, ok := strings.Cut(toComplete, "/")
	if !ok {
		var out []string
		for _, k := range kinds {
			if strings.HasPrefix(k.names[0], toComplete) {
				out = append(out, k.names[0]+"/")
			}
		}
		return out, nil
	}
	names, err := CompleteNames(ctx, g, GetKinds, kind, prefix)
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = kind + "/" + n
	}
	return names, nil
}

// CompletePlan completes `approve --plan` with the id of the pending plan of
// the Database named by args (database NAME).
func CompletePlan(ctx context.Context, g *GlobalOptions, args []string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	_, db, err := g.getDatabase(ctx, args, "approve")
	if err != nil {
		return nil, err
	}
	if db.Status.Plan == nil {
		return nil, nil
	}
	return []string{db.Status.Plan.ID}, nil
}

// CompleteNamespaces completes -n with the namespaces of the cluster.
func CompleteNamespaces(ctx context.Context, g *GlobalOptions, toComplete string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, completionTimeout)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return nil, err
	}
	var list corev1.NamespaceList
	if err := c.List(ctx, &list); err != nil {
		return nil, c.explain(err)
	}
	var out []string
	for _, ns := range list.Items {
		if strings.HasPrefix(ns.Name, toComplete) {
			out = append(out, ns.Name)
		}
	}
	return out, nil
}

// CompleteContexts completes --context with the contexts of the kubeconfig.
func CompleteContexts(g *GlobalOptions, toComplete string) []string {
	cfg, err := g.ConfigFlags.ToRawKubeConfigLoader().RawConfig()
	if err != nil {
		return nil
	}
	var out []string
	for name := range cfg.Contexts {
		if strings.HasPrefix(name, toComplete) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
