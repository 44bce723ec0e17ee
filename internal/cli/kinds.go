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
	"reflect"
	"slices"
	"strings"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// Kind names the commands accept, in the order completion offers them.
var (
	// GetKinds are the kinds of `schemactl get`, `export` and `stats`;
	// "all" (every kind) and "sources all" are accepted too.
	GetKinds = []string{"sources", "databases", "alerts", "alert-providers", "databasesets"}

	// ReconcilableKinds are the kinds of suspend, resume, reconcile and
	// delete: every kind with spec.suspend.
	ReconcilableKinds = []string{"database", "source", "alert", "alert-provider", "databaseset"}

	// DatabaseKinds is the kind of diff, drift and approve.
	DatabaseKinds = []string{"database"}

	// TreeKinds are the kinds of tree.
	TreeKinds = []string{"database", "databaseset"}

	// DatabaseSetKinds is the kind of rollout.
	DatabaseSetKinds = []string{"databaseset"}
)

// object is what every kind of api/v1alpha1 is.
type object interface {
	client.Object
	GetConditions() []metav1.Condition
}

// kindInfo describes one kind for the commands.
type kindInfo struct {
	// kind is the Kind, e.g. Database.
	kind string
	// plural is the resource, e.g. databases.
	plural string
	// names are the names the commands accept for the kind, the canonical
	// singular and plural first.
	names []string
	// noun is how a command names the kind, as Flux spells it: "source
	// git", "database", "alert", "alert-provider".
	noun string
	// columns of `get` between NAME and AGE.
	columns []string
	// wide are the columns -o wide adds before AGE.
	wide []string
	// newObject and newList return empty values of the kind.
	newObject func() object
	newList   func() client.ObjectList
}

var kinds = []*kindInfo{
	{
		kind: v1alpha1.SchemaRepositoryKind, plural: "schemarepositories",
		names:     []string{"source", "sources", "schemarepository", "schemarepositories", "srepo"},
		noun:      "source git",
		columns:   []string{"READY", "STATUS", "REVISION", "SUSPENDED"},
		wide:      []string{"URL", "REF"},
		newObject: func() object { return &v1alpha1.SchemaRepository{} },
		newList:   func() client.ObjectList { return &v1alpha1.SchemaRepositoryList{} },
	},
	{
		kind: v1alpha1.DatabaseKind, plural: "databases",
		names:     []string{"database", "databases", "db", "sdb"},
		noun:      "database",
		columns:   []string{"READY", "STATUS", "REVISION", "DRIFTED", "SUSPENDED"},
		wide:      []string{"SOURCE", "PATH", "POLICY"},
		newObject: func() object { return &v1alpha1.Database{} },
		newList:   func() client.ObjectList { return &v1alpha1.DatabaseList{} },
	},
	{
		kind: v1alpha1.AlertRuleKind, plural: "alertrules",
		names:     []string{"alert", "alerts", "alertrule", "alertrules", "arule"},
		noun:      "alert",
		columns:   []string{"READY", "STATUS", "SUSPENDED"},
		wide:      []string{"PROVIDER", "SEVERITY"},
		newObject: func() object { return &v1alpha1.AlertRule{} },
		newList:   func() client.ObjectList { return &v1alpha1.AlertRuleList{} },
	},
	{
		kind: v1alpha1.AlertProviderKind, plural: "alertproviders",
		names:     []string{"alert-provider", "alert-providers", "provider", "providers", "alertprovider", "alertproviders", "aprov"},
		noun:      "alert-provider",
		columns:   []string{"READY", "STATUS", "SUSPENDED"},
		wide:      []string{"TYPE", "CHANNEL"},
		newObject: func() object { return &v1alpha1.AlertProvider{} },
		newList:   func() client.ObjectList { return &v1alpha1.AlertProviderList{} },
	},
	{
		kind: v1alpha1.DatabaseSetKind, plural: "databasesets",
		names:     []string{"databaseset", "databasesets", "dbset", "dbsets", "sdbs"},
		noun:      "databaseset",
		columns:   []string{"READY", "STATUS", "MEMBERS", "REVISION", "ROLLOUT", "SUSPENDED"},
		wide:      []string{"SOURCE", "PATH", "FAILED", "BLOCKED"},
		newObject: func() object { return &v1alpha1.DatabaseSet{} },
		newList:   func() client.ObjectList { return &v1alpha1.DatabaseSetList{} },
	},
}

// lookupKind returns the kind named name (any of its names, or its Kind, in
// any case) among the kinds allowed, given by their first names.
func lookupKind(name string, allowed []string) (*kindInfo, error) {
	n := strings.ToLower(name)
	for _, k := range kinds {
		if !slices.ContainsFunc(allowed, func(a string) bool { return slices.Contains(k.names, a) }) {
			continue
		}
		if slices.Contains(k.names, n) || strings.ToLower(k.kind) == n {
			return k, nil
		}
	}
	return nil, fmt.Errorf("unknown kind %q: use one of %s", name, strings.Join(allowed, ", "))
}

// kindOf returns the kindInfo of obj's type.
func kindOf(obj client.Object) *kindInfo {
	t := reflect.TypeOf(obj)
	for _, k := range kinds {
		if reflect.TypeOf(k.newObject()) == t {
			return k
		}
	}
	panic(fmt.Sprintf("no kind for %T", obj))
}

// listItems returns the items of a list of one of our kinds.
func listItems(list client.ObjectList) []object {
	var out []object
	switch l := list.(type) {
	case *v1alpha1.SchemaRepositoryList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	case *v1alpha1.DatabaseList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	case *v1alpha1.AlertRuleList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	case *v1alpha1.AlertProviderList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	case *v1alpha1.DatabaseSetList:
		for i := range l.Items {
			out = append(out, &l.Items[i])
		}
	}
	return out
}

// isSuspended returns spec.suspend.
func isSuspended(obj object) bool {
	switch o := obj.(type) {
	case *v1alpha1.SchemaRepository:
		return o.Spec.Suspend
	case *v1alpha1.Database:
		return o.Spec.Suspend
	case *v1alpha1.AlertRule:
		return o.Spec.Suspend
	case *v1alpha1.AlertProvider:
		return o.Spec.Suspend
	case *v1alpha1.DatabaseSet:
		return o.Spec.Suspend
	}
	return false
}

// revisionOf returns the revision an object is at: the artifact of a
// source, the last applied revision of a Database.
func revisionOf(obj object) string {
	switch o := obj.(type) {
	case *v1alpha1.SchemaRepository:
		if a := o.Status.Artifact; a != nil {
			return a.Revision
		}
	case *v1alpha1.Database:
		return o.Status.LastAppliedRevision
	case *v1alpha1.DatabaseSet:
		if ro := o.Status.Rollout; ro != nil {
			return ro.Revision
		}
	}
	return ""
}

// statusOf returns the generic status fields of obj.
func statusOf(obj object) (observedGeneration int64, lastHandled string) {
	switch o := obj.(type) {
	case *v1alpha1.SchemaRepository:
		return o.Status.ObservedGeneration, o.Status.LastHandledReconcileAt
	case *v1alpha1.Database:
		return o.Status.ObservedGeneration, o.Status.LastHandledReconcileAt
	case *v1alpha1.AlertRule:
		return o.Status.ObservedGeneration, o.Status.LastHandledReconcileAt
	case *v1alpha1.AlertProvider:
		return o.Status.ObservedGeneration, o.Status.LastHandledReconcileAt
	case *v1alpha1.DatabaseSet:
		return o.Status.ObservedGeneration, o.Status.LastHandledReconcileAt
	}
	return 0, ""
}

// readyOf returns the READY and STATUS cells of obj.
func readyOf(obj object) (ready, message string) {
	c := conditions.Get(obj, meta.ReadyCondition)
	if c == nil {
		return string(metav1.ConditionUnknown), "waiting to be reconciled"
	}
	return string(c.Status), oneLine(c.Message)
}

// driftedOf returns the DRIFTED cell of a Database: the Drifted condition's
// status, False when the condition is absent (it is removed once the
// database holds the desired schema again).
func driftedOf(obj object) string {
	if c := conditions.Get(obj, v1alpha1.DriftedCondition); c != nil {
		return string(c.Status)
	}
	return string(metav1.ConditionFalse)
}

// describe returns "Kind namespace/name".
func describe(k *kindInfo, namespace, name string) string {
	return k.kind + " " + namespace + "/" + name
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// membersOf returns the MEMBERS cell of a DatabaseSet: ready/members.
func membersOf(obj object) string {
	if o, ok := obj.(*v1alpha1.DatabaseSet); ok {
		return fmt.Sprintf("%d/%d", o.Status.Ready, o.Status.Members)
	}
	return ""
}

// rolloutOf returns the ROLLOUT cell of a DatabaseSet: its phase and, while
// it is not complete, how many members were moved.
func rolloutOf(obj object) string {
	o, ok := obj.(*v1alpha1.DatabaseSet)
	if !ok || o.Status.Rollout == nil {
		return ""
	}
	ro := o.Status.Rollout
	if ro.Phase == v1alpha1.RolloutComplete {
		return ro.Phase
	}
	return fmt.Sprintf("%s %d/%d", ro.Phase, ro.Updated, o.Status.Members)
}
