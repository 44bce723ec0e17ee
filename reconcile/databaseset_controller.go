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

package reconcile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/patch"
	"github.com/fluxcd/pkg/runtime/predicates"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// cnpgClusterGVK is CloudNativePG's Cluster, read unstructured: the agent does
// not depend on CloudNativePG's API module.
var cnpgClusterGVK = schema.GroupVersionKind{Group: "postgresql.cnpg.io", Version: "v1", Kind: "ClusterList"}

// staleMembersGrace is how long after a wave started the set waits for its
// cache to show the members it moved.
const staleMembersGrace = 30 * time.Second

// defaultMemberName is the default of spec.template.name.
const defaultMemberName = "{{ .Set }}-{{ .Member }}"

// DatabaseSetReconciler keeps the member Databases of each DatabaseSet: one per
// generated member, in step with the set's spec, pinned (spec.sourceRevision) to
// the revision its rollout gives it.
type DatabaseSetReconciler struct {
	client.Client
	events.Recorder
	helper.Metrics

	// ControllerName is the field owner of patches.
	ControllerName string
	// APIReader reads CloudNativePG's Clusters unstructured, and the members
	// of a set on shards (not cached); nil uses Client.
	APIReader client.Reader
	// Now is the clock of pauseBetweenWaves; nil means time.Now.
	Now func() time.Time
	// NoCrossNamespaceRefs refuses a source in another namespace than the
	// set's (--no-cross-namespace-refs), as for a Database.
	NoCrossNamespaceRefs bool
}

// DatabaseSetReconcilerOptions configure the controller.
type DatabaseSetReconcilerOptions struct {
	// MaxConcurrentReconciles is the number of DatabaseSets reconciled at once.
	MaxConcurrentReconciles int
	// RateLimiter is the retry backoff of failing reconciles.
	RateLimiter workqueue.TypedRateLimiter[reconcile.Request]
}

// SetupWithManager registers the controller: DatabaseSets are reconciled when
// their spec or annotations change, when one of their members changes, and when
// a Secret of their namespace changes (metadata only: its labels may make it a
// member).
func (r *DatabaseSetReconciler) SetupWithManager(mgr ctrl.Manager, opts DatabaseSetReconcilerOptions) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.DatabaseSet{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{},
			predicates.ReconcileRequestedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Owns(&v1alpha1.Database{}).
		WatchesMetadata(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.setsInNamespace),
			builder.WithPredicates(predicate.LabelChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles, RateLimiter: opts.RateLimiter}).
		Complete(r)
}

// setsInNamespace requests every DatabaseSet of the object's namespace.
func (r *DatabaseSetReconciler) setsInNamespace(ctx context.Context, o client.Object) []reconcile.Request {
	var list v1alpha1.DatabaseSetList
	if err := r.List(ctx, &list, client.InNamespace(o.GetNamespace())); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing DatabaseSets for a Secret")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, s := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: s.Namespace, Name: s.Name}})
	}
	return reqs
}

var databaseSetOwnedConditions = []string{meta.ReadyCondition, meta.ReconcilingCondition, meta.StalledCondition}

// Reconcile runs the frame with the set's steps. Deleting a set deletes its
// members by their owner references (Kubernetes' garbage collector); deleting a
// member Database never touches its database.
func (r *DatabaseSetReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := &v1alpha1.DatabaseSet{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	f := &frame{Client: r.Client, Recorder: r.Recorder, Metrics: r.Metrics, owner: r.ControllerName, owned: databaseSetOwnedConditions}
	return f.run(ctx, obj, status{&obj.Status.ObservedGeneration, &obj.Status.ReconcileRequestStatus, obj.Spec.Suspend}, steps{
		reconcile: func(ctx context.Context, _ *patch.SerialPatcher) (ctrl.Result, error) {
			return r.reconcile(ctx, obj)
		},
	})
}

func (r *DatabaseSetReconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// setMember is one generated member.
type setMember struct {
	// name is the member's name (its Secret's or Cluster's).
	name string
	// secret is the Secret with its connection.
	secret string
	// database is the name of its Database.
	database string
	// current is its Database as it is; nil when it does not exist yet.
	current *v1alpha1.Database
}

func (r *DatabaseSetReconciler) reconcile(ctx context.Context, obj *v1alpha1.DatabaseSet) (ctrl.Result, error) {
	members, err := r.generate(ctx, obj)
	if err != nil {
		return ctrl.Result{}, err
	}
	if err := nameMembers(obj, members); err != nil {
		return ctrl.Result{}, err
	}
	var existing v1alpha1.DatabaseList
	// Members on shards (template.shards) are cached by the agent of their
	// shard only (--watch-label-selector): they are listed from the API server.
	var memberReader client.Reader = r.Client
	if obj.Spec.Template.Shards > 0 && r.APIReader != nil {
		memberReader = r.APIReader
	}
	if err := memberReader.List(ctx, &existing, client.InNamespace(obj.Namespace), client.MatchingLabels{v1alpha1.DatabaseSetLabel: obj.Name}); err != nil {
		return ctrl.Result{}, transient(v1alpha1.MembersFailedReason, fmt.Errorf("listing members: %w", err))
	}
	byName := map[string]*v1alpha1.Database{}
	for i := range existing.Items {
		db := &existing.Items[i]
		if metav1.IsControlledBy(db, obj) {
			byName[db.Name] = db
		}
	}
	for i := range members {
		members[i].current = byName[members[i].database]
	}
	revision, err := r.sourceRevision(ctx, obj)
	if err != nil {
		return ctrl.Result{}, err
	}
	requeue := obj.GetInterval()
	pins, after := r.rollout(obj, members, revision)
	if after > 0 && after < requeue {
		requeue = after
	}
	// Members first, then the removal of those that went: a failure to write
	// one leaves the others as they are.
	var errs []error
	keep := map[string]bool{}
	// After `rollout resume`, the moved members reconcile once more before a
	// failure of theirs counts again: a member whose data was fixed is not
	// taken as failed from its last retry.
	resumeToken := ""
	if ro := obj.Status.Rollout; ro != nil && strings.HasPrefix(ro.LastHandledRequest, "resume ") {
		resumeToken = ro.LastHandledRequest
	}
	// A reconcile request of the set (schemactl reconcile databaseset) is passed
	// on to its members; the set is Reconciling until they have handled it.
	setToken, unhandled := "", 0
	if v, ok := meta.ReconcileAnnotationValue(obj.GetAnnotations()); ok && v != "" {
		setToken = "set " + v
	}
	for _, m := range members {
		keep[m.database] = true
		token := ""
		if ro := obj.Status.Rollout; ro != nil && pins[m.database] == ro.Revision {
			token = resumeToken
		}
		if token == "" {
			token = r.secretAppearedToken(ctx, obj.Namespace, m)
		}
		if token == "" && setToken != "" && m.current != nil {
			token = setToken
			if m.current.Status.LastHandledReconcileAt != setToken {
				unhandled++
			}
		}
		if err := r.writeMember(ctx, obj, m, pins[m.database], token); err != nil {
			errs = append(errs, err)
		}
	}
	for name, db := range byName {
		if keep[name] {
			continue
		}
		// The Database's own finalizer runs its deletion: it stops managing the
		// database and drops nothing.
		if err := r.Delete(ctx, db); client.IgnoreNotFound(err) != nil {
			errs = append(errs, fmt.Errorf("deleting member %s: %w", name, err))
		}
	}
	if len(errs) > 0 {
		return ctrl.Result{}, transient(v1alpha1.MembersFailedReason, errors.Join(errs...))
	}
	aggregate(obj, members)
	msg := fmt.Sprintf("%d member(s), %d ready", obj.Status.Members, obj.Status.Ready)
	if ro := obj.Status.Rollout; ro != nil {
		msg += fmt.Sprintf("; rollout of %s %s (%d/%d updated)", ro.Revision, ro.Phase, ro.Updated, obj.Status.Members)
	}
	if unhandled > 0 {
		return ctrl.Result{}, &waiting{reason: meta.ProgressingReason, after: 2 * time.Second,
			message: fmt.Sprintf("%s; %d member(s) have not handled the reconcile request yet", msg, unhandled)}
	}
	pending := pendingMembers(members)
	switch {
	case obj.Status.Rollout != nil && obj.Status.Rollout.Phase == v1alpha1.RolloutHalted:
		conditions.MarkFalse(obj, meta.ReadyCondition, v1alpha1.RolloutHaltedReason, "%s: %s", msg, obj.Status.Rollout.Message)
	case obj.Status.Failed > 0 || obj.Status.Blocked > 0:
		conditions.MarkFalse(obj, meta.ReadyCondition, v1alpha1.MembersFailedReason, "%s; %d failed, %d blocked", msg, obj.Status.Failed, obj.Status.Blocked)
	case pending > 0:
		// Members on their way (created, moved, waiting for their source or a
		// first pass): the set is not Ready before they are settled.
		return ctrl.Result{}, &waiting{reason: meta.ProgressingReason, after: 2 * time.Second,
			message: fmt.Sprintf("%s; %d member(s) on their way", msg, pending)}
	default:
		conditions.MarkTrue(obj, meta.ReadyCondition, meta.SucceededReason, "%s", msg)
	}
	return ctrl.Result{RequeueAfter: requeue}, nil
}

// generate lists the members of the set's generators, sorted by name. A
// generator that fails stops the pass before anything is removed.
func (r *DatabaseSetReconciler) generate(ctx context.Context, obj *v1alpha1.DatabaseSet) ([]setMember, error) {
	seen := map[string]bool{}
	var out []setMember
	add := func(member, secret string) {
		if seen[member] {
			return
		}
		seen[member] = true
		out = append(out, setMember{name: member, secret: secret})
	}
	gen := obj.Spec.Members
	if gen.SecretSelector != nil {
		sel, err := metav1.LabelSelectorAsSelector(gen.SecretSelector)
		if err != nil {
			return nil, stall(v1alpha1.MembersFailedReason, "members.secretSelector: %v", err)
		}
		// Only the Secrets' metadata: the data of every Secret in the
		// namespace is neither read nor cached.
		list := &metav1.PartialObjectMetadataList{}
		list.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("SecretList"))
		if err := r.List(ctx, list, client.InNamespace(obj.Namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
			return nil, transient(v1alpha1.MembersFailedReason, fmt.Errorf("listing Secrets: %w", err))
		}
		for _, s := range list.Items {
			add(s.Name, s.Name)
		}
	}
	for _, ref := range gen.List {
		add(ref.Name, ref.Name)
	}
	if gen.CNPGClusterSelector != nil {
		sel, err := metav1.LabelSelectorAsSelector(gen.CNPGClusterSelector)
		if err != nil {
			return nil, stall(v1alpha1.MembersFailedReason, "members.cnpgClusterSelector: %v", err)
		}
		reader := r.APIReader
		if reader == nil {
			reader = r.Client
		}
		list := &unstructured.UnstructuredList{}
		list.SetGroupVersionKind(cnpgClusterGVK)
		if err := reader.List(ctx, list, client.InNamespace(obj.Namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
			if apimeta.IsNoMatchError(err) || apierrors.IsNotFound(err) {
				return nil, &waiting{reason: v1alpha1.MemberGeneratorNotInstalledReason, after: obj.GetInterval(),
					message: "members.cnpgClusterSelector: postgresql.cnpg.io/v1 Cluster is not served by the API server: install CloudNativePG (and its CRDs)"}
			}
			return nil, transient(v1alpha1.MembersFailedReason, fmt.Errorf("listing CloudNativePG Clusters: %w", err))
		}
		for _, c := range list.Items {
			add(c.GetName(), c.GetName()+"-app")
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// nameMembers names each member's Database from spec.template.name; names that
// are invalid or shared stall the set.
func nameMembers(obj *v1alpha1.DatabaseSet, members []setMember) error {
	text := obj.Spec.Template.Name
	if text == "" {
		text = defaultMemberName
	}
	tmpl, err := template.New("name").Option("missingkey=error").Parse(text)
	if err != nil {
		return stall(v1alpha1.InvalidTemplateReason, "template.name: %v", err)
	}
	used := map[string]string{}
	for i := range members {
		var b bytes.Buffer
		if err := tmpl.Execute(&b, map[string]string{"Set": obj.Name, "Member": members[i].name}); err != nil {
			return stall(v1alpha1.InvalidTemplateReason, "template.name: %v", err)
		}
		name := b.String()
		if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
			return stall(v1alpha1.InvalidTemplateReason, "template.name gives %q for member %s: %s", name, members[i].name, strings.Join(errs, "; "))
		}
		if other, ok := used[name]; ok {
			return stall(v1alpha1.InvalidTemplateReason, "template.name gives %q for both members %s and %s", name, other, members[i].name)
		}
		used[name] = members[i].name
		members[i].database = name
	}
	return nil
}

// sourceRevision returns the current revision of the set's source, or a wait
// while it has none.
func (r *DatabaseSetReconciler) sourceRevision(ctx context.Context, obj *v1alpha1.DatabaseSet) (string, error) {
	rev, err := currentRevision(ctx, r.Client, obj.Namespace, obj.Spec.SourceRef, r.NoCrossNamespaceRefs)
	if err == nil {
		return rev, nil
	}
	// No member is created before there is a revision to pin it to.
	retry := obj.GetInterval()
	if errors.Is(err, ErrSourceNotReady) {
		retry = 2 * time.Second
	}
	return "", sourceError(err, retry)
}

// writeMember creates or updates a member's Database from the template, pinned
// to revision.
func (r *DatabaseSetReconciler) writeMember(ctx context.Context, obj *v1alpha1.DatabaseSet, m setMember, revision, requestToken string) error {
	db := &v1alpha1.Database{ObjectMeta: metav1.ObjectMeta{Namespace: obj.Namespace, Name: m.database}}
	if m.current != nil {
		db = m.current.DeepCopy()
	}
	before := db.DeepCopy()
	mutateMember(obj, m, revision, db)
	if requestToken != "" && m.current != nil {
		ann := map[string]string{}
		for k, v := range db.Annotations {
			ann[k] = v
		}
		ann[meta.ReconcileRequestAnnotation] = requestToken
		db.Annotations = ann
	}
	if err := controllerutil.SetControllerReference(obj, db, r.Client.Scheme()); err != nil {
		return fmt.Errorf("member %s: %w", m.database, err)
	}
	if m.current == nil {
		if err := r.Create(ctx, db, client.FieldOwner(r.ControllerName)); err != nil {
			if apierrors.IsAlreadyExists(err) {
				return fmt.Errorf("member %s: a Database of that name exists and is not the set's", m.database)
			}
			return fmt.Errorf("creating member %s: %w", m.database, err)
		}
		return nil
	}
	if apiEqual(before, db) {
		return nil
	}
	if err := r.Update(ctx, db, client.FieldOwner(r.ControllerName)); err != nil {
		return fmt.Errorf("updating member %s: %w", m.database, err)
	}
	return nil
}

// secretAppearedToken returns a reconcile request for a member stalled on its
// Secret (InvalidSecret) when that Secret exists now, or "". A stalled member
// is not retried, and a Secret without the agent's watch label (as
// CloudNativePG's `<cluster>-app`, written once the Cluster is bootstrapped)
// does not wake it: the set, which sees Secrets appear, asks for the pass. The
// token names the Secret's resourceVersion, so a Secret that exists but is
// invalid is asked about once, not at every pass of the set.
func (r *DatabaseSetReconciler) secretAppearedToken(ctx context.Context, namespace string, m setMember) string {
	db := m.current
	if db == nil || !conditions.IsStalled(db) || conditions.GetReason(db, meta.ReadyCondition) != v1alpha1.InvalidSecretReason {
		return ""
	}
	sec := &metav1.PartialObjectMetadata{}
	sec.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	if err := r.Get(ctx, types.NamespacedName{Namespace: namespace, Name: db.Spec.SecretRef.Name}, sec); err != nil {
		return ""
	}
	token := "secret " + sec.Name + "@" + sec.ResourceVersion
	if db.Status.LastHandledReconcileAt == token {
		return ""
	}
	return token
}

func apiEqual(a, b *v1alpha1.Database) bool {
	return equality.Semantic.DeepEqual(a.Labels, b.Labels) && equality.Semantic.DeepEqual(a.Annotations, b.Annotations) &&
		equality.Semantic.DeepEqual(a.OwnerReferences, b.OwnerReferences) &&
		equality.Semantic.DeepEqual(a.Spec, b.Spec)
}

// mutateMember sets what the set owns of a member: its labels and spec.
func mutateMember(obj *v1alpha1.DatabaseSet, m setMember, revision string, db *v1alpha1.Database) {
	t := obj.Spec.Template
	lbls := map[string]string{}
	for k, v := range db.Labels {
		lbls[k] = v
	}
	for k, v := range t.Labels {
		lbls[k] = v
	}
	lbls[v1alpha1.DatabaseSetLabel] = obj.Name
	if errs := validation.IsValidLabelValue(m.name); len(errs) == 0 {
		lbls[v1alpha1.DatabaseSetMemberLabel] = m.name
	}
	if t.Shards > 0 {
		h := fnv.New32a()
		_, _ = h.Write([]byte(m.name))
		lbls[v1alpha1.ShardLabel] = fmt.Sprintf("shard%d", h.Sum32()%uint32(t.Shards)+1)
	} else {
		delete(lbls, v1alpha1.ShardLabel)
	}
	db.Labels = lbls
	approved := ""
	if p := db.Status.Plan; p != nil && slices.Contains(obj.Spec.ApprovedPlans, p.ID) {
		approved = p.ID
	} else if slices.Contains(obj.Spec.ApprovedPlans, db.Spec.ApprovedPlan) {
		// Kept once applied: the approval of one plan id allows nothing else.
		approved = db.Spec.ApprovedPlan
	}
	db.Spec = v1alpha1.DatabaseSpec{
		SourceRef:         obj.Spec.SourceRef,
		Path:              obj.Spec.Path,
		SourceRevision:    revision,
		SecretRef:         meta.LocalObjectReference{Name: m.secret},
		Interval:          t.Interval,
		RetryInterval:     t.RetryInterval,
		Timeout:           t.Timeout,
		DriftPolicy:       t.DriftPolicy,
		Format:            t.Format,
		Migrations:        t.Migrations,
		AllowDestructive:  t.AllowDestructive,
		SoftDrop:          t.SoftDrop,
		AllowedExtensions: t.AllowedExtensions,
		ApprovedPlan:      approved,
		ApplyWindow:       t.ApplyWindow,
		Schemas:           t.Schemas,
		Exclude:           t.Exclude,
		LockTimeout:       t.LockTimeout,
		Scratch:           t.Scratch,
		ManagePrivileges:  t.ManagePrivileges,
		Audit:             t.Audit,
	}
	// The API server defaults these; without them every pass would see a change.
	if db.Spec.Format == "" {
		db.Spec.Format = v1alpha1.FormatDeclarative
	}
	if len(db.Spec.Schemas) == 0 {
		db.Spec.Schemas = []string{"public"}
	}
	if db.Spec.LockTimeout == nil {
		db.Spec.LockTimeout = &metav1.Duration{Duration: 5 * time.Second}
	}
	if db.Spec.SourceRef.Kind == "" {
		db.Spec.SourceRef.Kind = v1alpha1.SchemaRepositoryKind
	}
	if db.Spec.Migrations != nil && db.Spec.Migrations.Layout == "" {
		mig := *db.Spec.Migrations
		mig.Layout = "auto"
		db.Spec.Migrations = &mig
	}
	if w := db.Spec.ApplyWindow; w != nil && w.TimeZone == "" {
		win := *w
		win.TimeZone = "UTC"
		db.Spec.ApplyWindow = &win
	}
}

// memberState is where a member stands with respect to a revision.
type memberState int

const (
	// statePending: not (yet) at the revision, nor failed.
	statePending memberState = iota
	// stateDone: at the revision (Ready, or reported under driftPolicy Report).
	stateDone
	// stateBlocked: its plan at the revision waits for an approval.
	stateBlocked
	// stateFailed: it failed at the revision.
	stateFailed
)

// waitingReasons are reasons of a Ready=False that are neither a failure nor a
// blocked plan: the member is on its way.
var waitingReasons = map[string]bool{
	meta.ProgressingReason:                   true,
	v1alpha1.SourceNotReadyReason:            true,
	v1alpha1.SourceKindNotInstalledReason:    true,
	v1alpha1.DependencyNotReadyReason:        true,
	v1alpha1.PlanChangedReason:               true,
	v1alpha1.OutsideApplyWindowReason:        true,
	v1alpha1.SourceRevisionUnavailableReason: true,
	meta.ProgressingWithRetryReason:          true,
}

// stateAt classifies db at revision. Only what the member's controller observed
// for its current generation counts: a member just moved is pending until its
// controller has run the new revision.
func stateAt(db *v1alpha1.Database, revision string) memberState {
	if db == nil || db.Spec.SourceRevision != revision {
		return statePending
	}
	ready := conditions.Get(db, meta.ReadyCondition)
	if ready == nil || ready.ObservedGeneration != db.Generation {
		return statePending
	}
	switch {
	case ready.Status == metav1.ConditionTrue && db.Status.LastAppliedRevision == revision:
		return stateDone
	case ready.Status == metav1.ConditionTrue:
		return statePending
	case ready.Reason == v1alpha1.DriftReportedReason && db.Status.LastAttemptedRevision == revision:
		return stateDone
	case ready.Reason == v1alpha1.DestructiveBlockedReason || ready.Reason == v1alpha1.FirstRunDestructiveReason:
		return stateBlocked
	case waitingReasons[ready.Reason]:
		return statePending
	case ready.Status == metav1.ConditionFalse:
		if req, ok := meta.ReconcileAnnotationValue(db.GetAnnotations()); ok && req != db.Status.LastHandledReconcileAt {
			// Asked to reconcile again (rollout resume): its last failure
			// may be stale.
			return statePending
		}
		return stateFailed
	}
	return statePending
}

// stateNow classifies db whatever its revision, for the set's counts.
func stateNow(db *v1alpha1.Database) memberState {
	if db == nil {
		return statePending
	}
	return stateAt(db, db.Spec.SourceRevision)
}

// rollout advances the rollout of obj's status and returns the revision each
// member's Database is pinned to, and how soon to look again (0: at the
// interval).
func (r *DatabaseSetReconciler) rollout(obj *v1alpha1.DatabaseSet, members []setMember, current string) (map[string]string, time.Duration) {
	ro := obj.Status.Rollout
	now := r.now()
	pins := map[string]string{}
	if ro == nil || ro.Revision == "" {
		// The set's first revision: every member at once, there is nothing to
		// roll back to.
		ro = &v1alpha1.RolloutStatus{Revision: current, Phase: v1alpha1.RolloutComplete}
		obj.Status.Rollout = ro
	}
	r.handleRequest(obj, ro, members)
	if current != ro.Revision {
		// A new revision. Members not moved keep the revision they hold: the
		// one of a completed rollout, or the previous one of a rollout
		// that was aborted or is superseded (a fix pushed while halted
		// supersedes the failed revision: its moved members go back to the
		// previous revision, then move to the new one in wave order).
		prev := ro.PreviousRevision
		if ro.Phase == v1alpha1.RolloutComplete {
			prev = ro.Revision
		}
		*ro = v1alpha1.RolloutStatus{Revision: current, PreviousRevision: prev, Phase: v1alpha1.RolloutProgressing,
			LastHandledRequest: ro.LastHandledRequest}
		r.setEvent(obj, corev1.EventTypeNormal, v1alpha1.RolloutStartedReason, fmt.Sprintf("rolling out revision %s to %d member(s), previous revision %s", current, len(members), prev))
	}
	// moved reports whether a member is (to be) at the new revision.
	moved := func(m setMember) bool {
		if ro.Phase == v1alpha1.RolloutComplete {
			return true
		}
		if ro.Phase == v1alpha1.RolloutAborted {
			return false
		}
		return m.current != nil && m.current.Spec.SourceRevision == ro.Revision
	}
	// After `rollout resume`, a moved member's failure counts only once it
	// has reconciled again (the set asks it to, with the resume's token as
	// its reconcile request): its data may have been fixed since its last
	// retry.
	resumeToken := ""
	if strings.HasPrefix(ro.LastHandledRequest, "resume ") {
		resumeToken = ro.LastHandledRequest
	}
	retried := func(db *v1alpha1.Database) bool {
		return resumeToken == "" || (db.GetAnnotations()[meta.ReconcileRequestAnnotation] == resumeToken &&
			db.Status.LastHandledReconcileAt == resumeToken)
	}
	var waiting, done, failed []setMember
	updated := 0
	for _, m := range members {
		if !moved(m) {
			pins[m.database] = ro.PreviousRevision
			continue
		}
		updated++
		pins[m.database] = ro.Revision
		switch stateAt(m.current, ro.Revision) {
		case stateDone:
			done = append(done, m)
		case stateBlocked:
			if p := m.current.Status.Plan; !retried(m.current) || p != nil && slices.Contains(obj.Spec.ApprovedPlans, p.ID) {
				// Approved on the set: the approval reaches the member in
				// this pass.
				waiting = append(waiting, m)
				continue
			}
			failed = append(failed, m)
		case stateFailed:
			if !retried(m.current) {
				waiting = append(waiting, m)
				continue
			}
			failed = append(failed, m)
		default:
			waiting = append(waiting, m)
		}
	}
	prevUpdated := int(ro.Updated)
	ro.Updated, ro.UpToDate = count32(updated), count32(len(done))
	ro.Failed = count32(len(failed))
	ro.Failures = nil
	for _, m := range failed {
		if len(ro.Failures) == v1alpha1.MaxRolloutFailures {
			break
		}
		ro.Failures = append(ro.Failures, memberFailure(m.current))
	}
	if ro.Phase != v1alpha1.RolloutProgressing {
		return pins, 0
	}
	if updated < prevUpdated && ro.WaveStartedAt != nil && now.Sub(ro.WaveStartedAt.Time) < staleMembersGrace {
		// The members read (from the cache) do not show the last wave yet:
		// acting on them would move members twice. (Past the grace, fewer
		// members moved means moved members were removed.)
		ro.Updated = count32(prevUpdated)
		return pins, time.Second
	}
	maxFailures := 0
	if obj.Spec.Rollout != nil {
		maxFailures = int(obj.Spec.Rollout.MaxFailures)
	}
	if len(failed) > maxFailures {
		ro.Phase = v1alpha1.RolloutHalted
		f := ro.Failures[0]
		ro.Message = fmt.Sprintf("member %s %s: %s", f.Database, f.Reason, f.Message)
		r.setEvent(obj, corev1.EventTypeWarning, v1alpha1.RolloutHaltedReason,
			fmt.Sprintf("rollout of revision %s halted at wave %d: %d member(s) failed or blocked; %s; the %d member(s) not moved keep revision %s; `schemactl rollout resume|abort databaseset %s -n %s`",
				ro.Revision, ro.Wave, len(failed), ro.Message, len(members)-updated, ro.PreviousRevision, obj.Name, obj.Namespace))
		return pins, 0
	}
	if len(waiting) > 0 {
		ro.Message = fmt.Sprintf("wave %d: %d member(s) not yet at the revision", ro.Wave, len(waiting))
		return pins, 2 * time.Second
	}
	if updated == len(members) {
		ro.Phase, ro.Message = v1alpha1.RolloutComplete, ""
		ro.WaveCompletedAt = &metav1.Time{Time: now}
		r.setEvent(obj, corev1.EventTypeNormal, v1alpha1.RolloutCompleteReason, fmt.Sprintf("revision %s is rolled out to %d member(s)", ro.Revision, len(members)))
		return pins, 0
	}
	// The wave is at the revision: pause, then the next wave.
	if ro.Wave > 0 {
		if ro.WaveCompletedAt == nil {
			ro.WaveCompletedAt = &metav1.Time{Time: now}
		}
		if pause := rolloutPause(obj); pause > 0 {
			if left := ro.WaveCompletedAt.Add(pause).Sub(now); left > 0 {
				ro.Message = fmt.Sprintf("wave %d done; next wave in %s", ro.Wave, left.Round(time.Second))
				return pins, left
			}
		}
	}
	size := waveSize(obj, ro.Wave, len(members))
	started := 0
	for _, m := range members {
		if started == size {
			break
		}
		if pins[m.database] == ro.Revision {
			continue
		}
		pins[m.database] = ro.Revision
		started++
	}
	ro.Wave++
	ro.Updated = count32(updated + started)
	ro.WaveStartedAt, ro.WaveCompletedAt = &metav1.Time{Time: now}, nil
	ro.Message = fmt.Sprintf("wave %d: %d member(s) moved to the revision", ro.Wave, started)
	r.setEvent(obj, corev1.EventTypeNormal, v1alpha1.RolloutWaveReason, fmt.Sprintf("rollout of revision %s: wave %d moves %d member(s) (%d/%d)", ro.Revision, ro.Wave, started, updated+started, len(members)))
	return pins, 2 * time.Second
}

// handleRequest applies a new `schemactl rollout resume|abort` request.
func (r *DatabaseSetReconciler) handleRequest(obj *v1alpha1.DatabaseSet, ro *v1alpha1.RolloutStatus, members []setMember) {
	req := obj.GetAnnotations()[v1alpha1.RolloutRequestAnnotation]
	if req == "" || req == ro.LastHandledRequest {
		return
	}
	ro.LastHandledRequest = req
	action, _, _ := strings.Cut(req, " ")
	switch action {
	case "resume":
		if ro.Phase == v1alpha1.RolloutHalted || ro.Phase == v1alpha1.RolloutAborted {
			if ro.Phase == v1alpha1.RolloutAborted {
				ro.Wave = 0
			}
			ro.Phase, ro.Message = v1alpha1.RolloutProgressing, ""
			r.setEvent(obj, corev1.EventTypeNormal, v1alpha1.RolloutResumedReason, fmt.Sprintf("rollout of revision %s resumed", ro.Revision))
		}
	case "abort":
		if ro.Phase == v1alpha1.RolloutProgressing || ro.Phase == v1alpha1.RolloutHalted {
			ro.Phase = v1alpha1.RolloutAborted
			ro.Message = "aborted: every member returns to revision " + ro.PreviousRevision
			r.setEvent(obj, corev1.EventTypeWarning, v1alpha1.RolloutAbortedReason,
				fmt.Sprintf("rollout of revision %s aborted: %d member(s) return to revision %s", ro.Revision, len(members), ro.PreviousRevision))
		}
	}
}

func memberFailure(db *v1alpha1.Database) v1alpha1.MemberFailure {
	f := v1alpha1.MemberFailure{Database: db.Name}
	if c := conditions.Get(db, meta.ReadyCondition); c != nil {
		f.Reason = c.Reason
		f.Message = c.Message
		if len(f.Message) > 1000 {
			f.Message = f.Message[:1000] + "…"
		}
	}
	if db.Status.Plan != nil && (f.Reason == v1alpha1.DestructiveBlockedReason || f.Reason == v1alpha1.FirstRunDestructiveReason) {
		f.PlanID = db.Status.Plan.ID
	}
	return f
}

func rolloutPause(obj *v1alpha1.DatabaseSet) time.Duration {
	if obj.Spec.Rollout == nil || obj.Spec.Rollout.PauseBetweenWaves == nil {
		return 0
	}
	return obj.Spec.Rollout.PauseBetweenWaves.Duration
}

// waveSize is the number of members wave (0 the canary) moves: canary, then
// maxParallel of the members, at least one.
func waveSize(obj *v1alpha1.DatabaseSet, wave int32, members int) int {
	canary, maxParallel := 1, intstr.FromString("10%")
	if ro := obj.Spec.Rollout; ro != nil {
		if ro.Canary != nil {
			canary = int(*ro.Canary)
		}
		if ro.MaxParallel != nil {
			maxParallel = *ro.MaxParallel
		}
	}
	if wave == 0 && canary > 0 {
		return canary
	}
	n, err := intstr.GetScaledValueFromIntOrPercent(&maxParallel, members, true)
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// aggregate counts the members by state.
func aggregate(obj *v1alpha1.DatabaseSet, members []setMember) {
	st := &obj.Status
	st.Members, st.Ready, st.Drifted, st.Failed, st.Blocked = count32(len(members)), 0, 0, 0, 0
	for _, m := range members {
		db := m.current
		if db == nil {
			continue
		}
		if conditions.IsReady(db) {
			st.Ready++
		}
		if conditions.IsTrue(db, v1alpha1.DriftedCondition) {
			st.Drifted++
		}
		switch stateNow(db) {
		case stateFailed:
			st.Failed++
		case stateBlocked:
			st.Blocked++
		}
	}
}

// pendingMembers counts the members neither settled at their revision (Ready,
// or drift reported) nor failed nor blocked.
func pendingMembers(members []setMember) int {
	n := 0
	for _, m := range members {
		if stateNow(m.current) == statePending {
			n++
		}
	}
	return n
}

func (r *DatabaseSetReconciler) setEvent(obj *v1alpha1.DatabaseSet, eventType, reason, msg string) {
	if r.Recorder == nil {
		return
	}
	ann := map[string]string{}
	if ro := obj.Status.Rollout; ro != nil && ro.Revision != "" {
		ann[v1alpha1.RevisionAnnotation] = ro.Revision
	}
	r.AnnotatedEventf(obj, nil, ann, eventType, reason, "Reconcile", "%s", msg)
}
