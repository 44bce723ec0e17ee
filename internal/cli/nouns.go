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
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// Source types after "source" and "sources", as in `flux get sources git`.
const (
	// SourceTypeGit names the SchemaRepository: `source git NAME`.
	SourceTypeGit = "git"
	// NounAll names every kind (`get all`) or every source type (`get
	// sources all`).
	NounAll = "all"
)

// parseNoun reads the noun that starts args, spelled as Flux spells it:
// "source git" and "sources git" (the SchemaRepository), "sources all"
// (every source kind), "all" (every kind, when allowAll), or any name of a
// kind among allowed ("database", "sdb", "alert-provider", …; a bare
// "source" still means the SchemaRepository). It returns the kinds, the
// arguments after the noun, and whether the noun named more than one kind.
func parseNoun(args []string, allowed []string, allowAll bool) (ks []*kindInfo, rest []string, multi bool, err error) {
	if len(args) == 0 {
		return nil, nil, false, fmt.Errorf("name a kind: one of %s", strings.Join(allowed, ", "))
	}
	first := strings.ToLower(args[0])
	if first == NounAll {
		if !allowAll {
			return nil, nil, false, fmt.Errorf("%q names every kind; name one of %s", NounAll, strings.Join(allowed, ", "))
		}
		for _, k := range kinds {
			if kindAllowed(k, allowed) {
				ks = append(ks, k)
			}
		}
		return ks, args[1:], true, nil
	}
	k, err := lookupKind(args[0], allowed)
	if err != nil {
		return nil, nil, false, err
	}
	rest = args[1:]
	if k.kind == v1alpha1.SchemaRepositoryKind && len(rest) > 0 {
		switch strings.ToLower(rest[0]) {
		case SourceTypeGit:
			rest = rest[1:]
		case NounAll:
			if !allowAll {
				return nil, nil, false, errors.New(`"sources all" lists; name a source: source git NAME`)
			}
			// SchemaRepository is the only source kind today; "all" is
			// spelled for scripts written for Flux.
			return []*kindInfo{k}, rest[1:], true, nil
		}
	}
	return []*kindInfo{k}, rest, false, nil
}

func kindAllowed(k *kindInfo, allowed []string) bool {
	return slices.ContainsFunc(allowed, func(a string) bool { return slices.Contains(k.names, a) })
}

// wideCell returns the cell of a -o wide column.
func wideCell(obj object, col string) string {
	switch o := obj.(type) {
	case *v1alpha1.SchemaRepository:
		switch col {
		case "URL":
			return o.Spec.URL
		case "REF":
			return refString(o.Spec.Reference)
		}
	case *v1alpha1.Database:
		switch col {
		case "SOURCE":
			s := o.Spec.SourceRef.Kind + "/"
			if o.Spec.SourceRef.Namespace != "" && o.Spec.SourceRef.Namespace != o.Namespace {
				s += o.Spec.SourceRef.Namespace + "/"
			}
			return s + o.Spec.SourceRef.Name
		case "PATH":
			return o.Spec.Path
		case "POLICY":
			return string(o.GetDriftPolicy())
		}
	case *v1alpha1.DatabaseSet:
		switch col {
		case "SOURCE":
			s := o.Spec.SourceRef.Kind + "/"
			if o.Spec.SourceRef.Namespace != "" && o.Spec.SourceRef.Namespace != o.Namespace {
				s += o.Spec.SourceRef.Namespace + "/"
			}
			return s + o.Spec.SourceRef.Name
		case "PATH":
			return o.Spec.Path
		case "FAILED":
			return fmt.Sprint(o.Status.Failed)
		case "BLOCKED":
			return fmt.Sprint(o.Status.Blocked)
		}
	case *v1alpha1.AlertRule:
		switch col {
		case "PROVIDER":
			return o.Spec.ProviderRef.Name
		case "SEVERITY":
			return o.Spec.EventSeverity
		}
	case *v1alpha1.AlertProvider:
		switch col {
		case "TYPE":
			return o.Spec.Type
		case "CHANNEL":
			return o.Spec.Channel
		}
	}
	return ""
}

// refString renders a Git reference as Flux prints it: branch, tag,
// semver, name or commit, the most specific set.
func refString(r *v1alpha1.GitRepositoryRef) string {
	switch {
	case r == nil:
		return ""
	case r.Commit != "" && r.Branch != "":
		return r.Branch + "@" + r.Commit
	case r.Commit != "":
		return r.Commit
	case r.Name != "":
		return r.Name
	case r.SemVer != "":
		return "semver:" + r.SemVer
	case r.Tag != "":
		return "tag:" + r.Tag
	}
	return "branch:" + r.Branch
}

// statusSelector is --status-selector: a condition type and the status it
// must have, e.g. ready=false.
type statusSelector struct {
	condition string
	status    metav1.ConditionStatus
}

// parseStatusSelector reads TYPE=STATUS; the type is matched without
// regard to case (ready, Ready), the status is True, False or Unknown.
func parseStatusSelector(s string) (*statusSelector, error) {
	if s == "" {
		return nil, nil
	}
	typ, status, ok := strings.Cut(s, "=")
	typ, status = strings.TrimSpace(typ), strings.TrimSpace(status)
	if !ok || typ == "" {
		return nil, fmt.Errorf("--status-selector %q: want CONDITION=STATUS, e.g. ready=false", s)
	}
	for _, v := range []metav1.ConditionStatus{metav1.ConditionTrue, metav1.ConditionFalse, metav1.ConditionUnknown} {
		if strings.EqualFold(status, string(v)) {
			return &statusSelector{condition: typ, status: v}, nil
		}
	}
	return nil, fmt.Errorf("--status-selector %q: the status must be true, false or unknown", s)
}

// matches tells whether obj's condition has the selected status. A missing
// Ready condition counts as Unknown (not reconciled yet); any other missing
// condition as False, since Flux removes Stalled, Reconciling and our
// Drifted when they no longer hold.
func (s *statusSelector) matches(obj object) bool {
	if s == nil {
		return true
	}
	for _, c := range obj.GetConditions() {
		if strings.EqualFold(c.Type, s.condition) {
			return c.Status == s.status
		}
	}
	if strings.EqualFold(s.condition, meta.ReadyCondition) {
		return s.status == metav1.ConditionUnknown
	}
	return s.status == metav1.ConditionFalse
}

// isDrifted tells whether obj is a Database whose Drifted condition is True.
func isDrifted(obj object) bool {
	_, ok := obj.(*v1alpha1.Database)
	return ok && conditions.IsTrue(obj, v1alpha1.DriftedCondition)
}

// IsSourceNoun tells whether name names the SchemaRepository kind
// ("source", "sources", …), which "git" may follow.
func IsSourceNoun(name string) bool {
	k, err := lookupKind(name, GetKinds)
	return err == nil && k.kind == v1alpha1.SchemaRepositoryKind
}
