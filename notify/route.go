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

package notify

import (
	"context"
	"maps"
	"regexp"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// route matches e against every AlertRule and submits a message to the
// provider of each rule that selects it and has not sent it already.
func (d *Dispatcher) route(ctx context.Context, e *Event) {
	d.dedup.observe(e)
	var rules v1alpha1.AlertRuleList
	if err := d.client.List(ctx, &rules); err != nil {
		d.log.Error(err, "listing alert rules, event not sent", "object", e.ObjectName(), "reason", e.Reason)
		return
	}
	for i := range rules.Items {
		rule := &rules.Items[i]
		if !d.matches(rule, e) {
			continue
		}
		var p v1alpha1.AlertProvider
		key := types.NamespacedName{Namespace: rule.Namespace, Name: rule.Spec.ProviderRef.Name}
		if err := d.client.Get(ctx, key, &p); err != nil {
			if !apierrors.IsNotFound(err) {
				d.log.Error(err, "reading alert provider", "rule", client.ObjectKeyFromObject(rule).String(), "provider", key.String())
			} else {
				d.log.V(1).Info("alert provider not found", "rule", client.ObjectKeyFromObject(rule).String(), "provider", key.String())
			}
			continue
		}
		if p.Spec.Suspend {
			continue
		}
		if !d.dedup.shouldSend(rule, e) {
			eventsSuppressed.Inc()
			continue
		}
		fp, _ := eventFingerprint(e)
		d.submit(ctx, &delivery{
			event:    message(rule, e),
			provider: key,
			ptype:    p.Spec.Type,
			objKey:   objectKey(e),
			ruleKey:  ruleKey(rule, e),
			fp:       fp,
		})
	}
}

// matches reports whether rule selects e: the rule is not suspended, its
// severity admits e's, one of its event sources selects e's object, and no
// exclusion expression matches e's message.
func (d *Dispatcher) matches(rule *v1alpha1.AlertRule, e *Event) bool {
	if rule.Spec.Suspend {
		return false
	}
	if rule.GetEventSeverity() == v1alpha1.EventSeverityError && e.Severity != SeverityError {
		return false
	}
	selected := false
	for _, src := range rule.Spec.EventSources {
		if d.sourceSelects(rule, src, e) {
			selected = true
			break
		}
	}
	if !selected {
		return false
	}
	for _, expr := range rule.Spec.ExclusionList {
		re, err := d.regexps.compile(expr)
		if err != nil {
			// The AlertRule reconciler reports the expression in the
			// rule's status; the rule is not used until it is fixed.
			d.log.V(1).Info("alert rule has an invalid exclusion expression, skipped", "rule", client.ObjectKeyFromObject(rule).String())
			return false
		}
		if re.MatchString(e.Message) {
			return false
		}
	}
	return true
}

// sourceSelects reports whether src, an event source of rule, selects the
// involved object of e.
func (d *Dispatcher) sourceSelects(rule *v1alpha1.AlertRule, src v1alpha1.EventSourceReference, e *Event) bool {
	o := e.InvolvedObject
	ns := src.Namespace
	if ns == "" {
		ns = rule.Namespace
	}
	if d.opts.NoCrossNamespaceRefs && ns != rule.Namespace {
		return false
	}
	if src.Kind != o.Kind || ns != o.Namespace {
		return false
	}
	if src.Name != "*" && src.Name != o.Name {
		return false
	}
	if len(src.MatchLabels) > 0 && !labels.SelectorFromSet(src.MatchLabels).Matches(labels.Set(e.Labels)) {
		return false
	}
	return true
}

// message returns the message of e for rule: e with the rule's
// eventMetadata (the event's own metadata wins), its summary and the
// cluster name in the metadata.
func message(rule *v1alpha1.AlertRule, e *Event) *Event {
	m := e.DeepCopy()
	meta := maps.Clone(rule.Spec.EventMetadata)
	if meta == nil {
		meta = map[string]string{}
	}
	maps.Copy(meta, e.Metadata)
	if rule.Spec.Summary != "" {
		meta[MetaSummaryKey] = rule.Spec.Summary
	}
	if e.ClusterName != "" {
		meta[MetaClusterKey] = e.ClusterName
	}
	m.Metadata = meta
	return m
}

// regexpCache holds compiled exclusion expressions by their source.
type regexpCache struct {
	m sync.Map
}

type compiled struct {
	re  *regexp.Regexp
	err error
}

// compile returns expr compiled, from the cache when it was compiled before.
func (c *regexpCache) compile(expr string) (*regexp.Regexp, error) {
	if v, ok := c.m.Load(expr); ok {
		r := v.(compiled)
		return r.re, r.err
	}
	re, err := regexp.Compile(expr)
	c.m.Store(expr, compiled{re: re, err: err})
	return re, err
}
