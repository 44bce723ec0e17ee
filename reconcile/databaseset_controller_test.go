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
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/jackc/pgx/v5"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/notify"
)

func init() {
	testSetups = append(testSetups, func(_ context.Context, mgr ctrl.Manager, deps testDependencies) error {
		return (&DatabaseSetReconciler{
			Client:         mgr.GetClient(),
			APIReader:      mgr.GetAPIReader(),
			Recorder:       deps.EventRecorder,
			Metrics:        deps.Metrics,
			ControllerName: testFieldOwner,
			// As the Databases' artifacts under test (testArtifacts).
			NoCrossNamespaceRefs: true,
		}).SetupWithManager(mgr, DatabaseSetReconcilerOptions{
			MaxConcurrentReconciles: 2,
			RateLimiter:             helper.GetRateLimiter(helper.RateLimiterOptions{MinRetryDelay: 200 * time.Millisecond, MaxRetryDelay: 2 * time.Second}),
		})
	})
}

// fleetTimeout bounds the waits on a whole fleet (30 databases on a shared
// machine).
const fleetTimeout = 3 * time.Minute

// fleetFixture is a namespace with a git source and member databases, each
// with its Secret labeled fleet=a.
type fleetFixture struct {
	t     *testing.T
	ns    string
	git   *gittest.Server
	mu    sync.Mutex
	urls  map[string]string // member (Secret) name -> database URL
	conns map[string]*pgx.Conn
}

const itemsV1 = "CREATE TABLE items (id int PRIMARY KEY, qty int, note text);\n"

// newItemsSource starts a git server with itemsV1 in db/ of repository
// "schemas" and creates the SchemaRepository "schemas" on it in ns (polled every
// second); it returns the server.
func newItemsSource(t *testing.T, ns string) *gittest.Server {
	t.Helper()
	git := gittest.NewServer(t, gittest.Options{})
	git.CreateRepo(t, "schemas", map[string]string{"db/001_items.sql": itemsV1}, "main")
	createSecret(t, ns, "git", basicAuthSecret(git))
	repo := newSchemaRepository(ns, "schemas", git.HTTPURL("schemas"), "git")
	repo.Spec.Interval = metav1.Duration{Duration: time.Second}
	if err := testClient.Create(context.Background(), repo); err != nil {
		t.Fatal(err)
	}
	return git
}

func newFleetFixture(t *testing.T, members int) *fleetFixture {
	t.Helper()
	f := &fleetFixture{t: t, ns: newDBNamespace(t), urls: map[string]string{}, conns: map[string]*pgx.Conn{}}
	f.git = newItemsSource(t, f.ns)
	var wg sync.WaitGroup
	for i := range members {
		wg.Go(func() { f.addMember(fmt.Sprintf("tenant-%02d", i)) })
	}
	wg.Wait()
	return f
}

// addMember creates a database and its Secret, labeled as a member.
func (f *fleetFixture) addMember(name string) {
	u := pgtest.Shared(f.t).NewDatabase(f.t)
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: name, Labels: map[string]string{"fleet": "a"}},
		Data: map[string][]byte{"url": []byte(u)}}
	if err := testClient.Create(context.Background(), s); err != nil {
		f.t.Error(err)
		return
	}
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		f.t.Error(err)
		return
	}
	f.t.Cleanup(func() { _ = conn.Close(context.Background()) })
	f.mu.Lock()
	defer f.mu.Unlock()
	f.urls[name], f.conns[name] = u, conn
}

func (f *fleetFixture) query(member, sql string) string {
	f.t.Helper()
	var s string
	if err := f.conns[member].QueryRow(context.Background(), sql).Scan(&s); err != nil {
		f.t.Fatalf("%s on %s: %v", sql, member, err)
	}
	return s
}

func (f *fleetFixture) exec(member, sql string) {
	f.t.Helper()
	if _, err := f.conns[member].Exec(context.Background(), sql); err != nil {
		f.t.Fatalf("%s on %s: %v", sql, member, err)
	}
}

func (f *fleetFixture) set(name string, mutate func(*v1alpha1.DatabaseSet)) *v1alpha1.DatabaseSet {
	f.t.Helper()
	obj := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: name},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db",
			Members:   v1alpha1.DatabaseSetMembers{SecretSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"fleet": "a"}}},
			Template: v1alpha1.DatabaseSetTemplate{
				Labels:   map[string]string{"team": "payments"},
				Shards:   3,
				Interval: metav1.Duration{Duration: 2 * time.Second},
				Timeout:  &metav1.Duration{Duration: 30 * time.Second},
			},
		},
	}
	if mutate != nil {
		mutate(obj)
	}
	if err := testClient.Create(context.Background(), obj); err != nil {
		f.t.Fatal(err)
	}
	return obj
}

func getSet(g Gomega, obj *v1alpha1.DatabaseSet) *v1alpha1.DatabaseSet {
	out := &v1alpha1.DatabaseSet{}
	g.Expect(testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), out)).To(Succeed())
	return out
}

func eventuallySet(t *testing.T, obj *v1alpha1.DatabaseSet, timeout time.Duration, check func(g Gomega, s *v1alpha1.DatabaseSet)) *v1alpha1.DatabaseSet {
	t.Helper()
	var got *v1alpha1.DatabaseSet
	NewWithT(t).Eventually(func(g Gomega) {
		got = getSet(g, obj)
		check(g, got)
	}, timeout, 250*time.Millisecond).Should(Succeed())
	return got
}

func setMembers(g Gomega, obj *v1alpha1.DatabaseSet) map[string]v1alpha1.Database {
	var list v1alpha1.DatabaseList
	g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.Namespace),
		client.MatchingLabels{v1alpha1.DatabaseSetLabel: obj.Name})).To(Succeed())
	out := map[string]v1alpha1.Database{}
	for _, db := range list.Items {
		out[db.Name] = db
	}
	return out
}

// allAt checks that every member is pinned to and Ready at revision.
func allAt(revision string, n int) func(g Gomega, s *v1alpha1.DatabaseSet) {
	return func(g Gomega, s *v1alpha1.DatabaseSet) {
		members := setMembers(g, s)
		g.Expect(members).To(HaveLen(n))
		for _, db := range members {
			g.Expect(db.Spec.SourceRevision).To(Equal(revision), "member %s", db.Name)
			g.Expect(conditions.IsReady(&db)).To(BeTrue(), "member %s: %v", db.Name, db.Status.Conditions)
			g.Expect(db.Status.LastAppliedRevision).To(Equal(revision), "member %s", db.Name)
		}
	}
}

func requestRollout(t *testing.T, obj *v1alpha1.DatabaseSet, action, token string) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		s := &v1alpha1.DatabaseSet{}
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), s); err != nil {
			return err
		}
		if s.Annotations == nil {
			s.Annotations = map[string]string{}
		}
		s.Annotations[v1alpha1.RolloutRequestAnnotation] = action + " " + token
		return testClient.Update(context.Background(), s)
	}, testTimeout, testInterval).Should(Succeed())
}

func setHasEvent(g Gomega, obj client.Object, reason, text string) {
	var list corev1.EventList
	g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.GetNamespace()))).To(Succeed())
	for _, e := range list.Items {
		if e.InvolvedObject.Kind == v1alpha1.DatabaseSetKind && e.InvolvedObject.Name == obj.GetName() && e.Reason == reason && strings.Contains(e.Message, text) {
			return
		}
	}
	g.Expect(reason).To(BeEmpty(), "no event %s with %q for %s", reason, text, obj.GetName())
}

// TestDatabaseSet_fleet: a set over 30 Secrets creates 30 Databases (labeled,
// owned, sharded); adding and removing a Secret adds and removes a member
// without touching its database; a revision whose change fails on the canary
// (its data violates a new constraint) halts after the canary wave with the
// others enforced at the previous revision; resume after fixing the data rolls
// the revision out in waves; a destructive revision halts on the blocked
// canary, abort returns it to the previous revision, and one approval on the
// set applies to every member sharing the plan id.
func TestDatabaseSet_fleet(t *testing.T) {
	const n = 30
	f := newFleetFixture(t, n)
	rev1 := "main@sha1:" + f.git.Head(t, "schemas", "main")
	maxParallel := intstr.FromString("50%")
	canary := int32(1)
	set := f.set("shop", func(s *v1alpha1.DatabaseSet) {
		s.Spec.Rollout = &v1alpha1.RolloutSpec{Canary: &canary, MaxParallel: &maxParallel,
			PauseBetweenWaves: &metav1.Duration{Duration: time.Second}}
	})
	g := NewWithT(t)

	// 30 Secrets, 30 Databases, all at the first revision.
	s := eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		allAt(rev1, n)(g, s)
		g.Expect(s.Status.Members).To(BeEquivalentTo(n))
		g.Expect(s.Status.Ready).To(BeEquivalentTo(n))
		g.Expect(s.Status.Rollout).NotTo(BeNil())
		g.Expect(s.Status.Rollout.Phase).To(Equal(v1alpha1.RolloutComplete))
		g.Expect(conditions.IsReady(s)).To(BeTrue(), "%v", s.Status.Conditions)
	})
	members := setMembers(g, s)
	canaryDB := members["shop-tenant-00"]
	g.Expect(canaryDB.Labels).To(HaveKeyWithValue(v1alpha1.DatabaseSetLabel, "shop"))
	g.Expect(canaryDB.Labels).To(HaveKeyWithValue(v1alpha1.DatabaseSetMemberLabel, "tenant-00"))
	g.Expect(canaryDB.Labels).To(HaveKeyWithValue("team", "payments"))
	g.Expect(canaryDB.Labels[v1alpha1.ShardLabel]).To(MatchRegexp(`^shard[123]$`))
	g.Expect(metav1.IsControlledBy(&canaryDB, s)).To(BeTrue())
	g.Expect(canaryDB.Spec.SecretRef.Name).To(Equal("tenant-00"))
	for m := range f.urls {
		g.Expect(f.query(m, "SELECT count(*)::text FROM pg_tables WHERE tablename = 'items'")).To(Equal("1"))
	}

	// Adding a Secret adds a member; removing its label removes the member and
	// leaves its database alone.
	f.addMember("tenant-30")
	eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		allAt(rev1, n+1)(g, s)
		g.Expect(s.Status.Members).To(BeEquivalentTo(n + 1))
	})
	sec := &corev1.Secret{}
	g.Expect(testClient.Get(context.Background(), client.ObjectKey{Namespace: f.ns, Name: "tenant-30"}, sec)).To(Succeed())
	sec.Labels = nil
	g.Expect(testClient.Update(context.Background(), sec)).To(Succeed())
	eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(setMembers(g, s)).NotTo(HaveKey("shop-tenant-30"))
		g.Expect(s.Status.Members).To(BeEquivalentTo(n))
	})
	g.Expect(f.query("tenant-30", "SELECT count(*)::text FROM pg_tables WHERE tablename = 'items'")).To(Equal("1"))

	// An alert on the set's warnings, to a real HTTP receiver.
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	createSecret(t, f.ns, "webhook", map[string][]byte{notify.AddressKey: []byte(srv.URL)})
	g.Expect(testClient.Create(context.Background(), &v1alpha1.AlertProvider{
		ObjectMeta: metav1.ObjectMeta{Name: "webhook", Namespace: f.ns},
		Spec:       v1alpha1.AlertProviderSpec{Type: v1alpha1.GenericProvider, SecretRef: meta.LocalObjectReference{Name: "webhook"}},
	})).To(Succeed())
	rule := &v1alpha1.AlertRule{
		ObjectMeta: metav1.ObjectMeta{Name: "fleet", Namespace: f.ns},
		Spec: v1alpha1.AlertRuleSpec{
			ProviderRef:   meta.LocalObjectReference{Name: "webhook"},
			EventSources:  []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseSetKind, Name: "shop"}},
			EventSeverity: v1alpha1.EventSeverityError,
		},
	}
	g.Expect(testClient.Create(context.Background(), rule)).To(Succeed())
	g.Eventually(func() bool { return conditions.IsReady(alertGet(g, rule)) }, testTimeout, testInterval).Should(BeTrue())

	// A revision whose new constraint the canary's data violates.
	f.exec("tenant-00", "INSERT INTO items VALUES (1, -5, 'bad')")
	rev2 := "main@sha1:" + f.git.Push(t, "schemas", "main", map[string]string{
		"db/001_items.sql": "CREATE TABLE items (id int PRIMARY KEY, qty int CHECK (qty >= 0), note text);\n"}, "qty is never negative")
	s = eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(s.Status.Rollout.Revision).To(Equal(rev2))
		g.Expect(s.Status.Rollout.Phase).To(Equal(v1alpha1.RolloutHalted))
		g.Expect(s.Status.Rollout.PreviousRevision).To(Equal(rev1))
		g.Expect(s.Status.Rollout.Failures).To(HaveLen(1))
		g.Expect(s.Status.Rollout.Failures[0].Database).To(Equal("shop-tenant-00"))
		g.Expect(s.Status.Rollout.Failures[0].Reason).To(Equal(v1alpha1.ApplyFailedReason))
		g.Expect(conditions.GetReason(s, meta.ReadyCondition)).To(Equal(v1alpha1.RolloutHaltedReason))
		setHasEvent(g, s, v1alpha1.RolloutHaltedReason, "shop-tenant-00")
	})
	g.Expect(s.Status.Rollout.Updated).To(BeEquivalentTo(1))
	// The alert says which member failed and why.
	g.Eventually(func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(bodies, "\n")
	}, testTimeout, testInterval).Should(And(ContainSubstring(v1alpha1.RolloutHaltedReason), ContainSubstring("shop-tenant-00"),
		ContainSubstring(v1alpha1.ApplyFailedReason), ContainSubstring("items_qty_check")))
	// The halt holds: the others stay pinned to, and enforced at, the previous revision.
	time.Sleep(3 * time.Second)
	members = setMembers(g, s)
	for name, db := range members {
		if name == "shop-tenant-00" {
			g.Expect(db.Spec.SourceRevision).To(Equal(rev2))
			continue
		}
		g.Expect(db.Spec.SourceRevision).To(Equal(rev1), "member %s", name)
		g.Expect(db.Status.LastAppliedRevision).To(Equal(rev1), "member %s", name)
	}
	f.exec("tenant-05", "DROP TABLE items")
	eventuallySet(t, set, fleetTimeout, func(g Gomega, _ *v1alpha1.DatabaseSet) {
		g.Expect(f.query("tenant-05", "SELECT count(*)::text FROM pg_tables WHERE tablename = 'items'")).To(Equal("1"))
	})
	g.Expect(f.query("tenant-05", "SELECT count(*)::text FROM pg_constraint WHERE conname = 'items_qty_check'")).To(Equal("0"))

	// Resume after fixing the data: the canary, then waves of 50%.
	f.exec("tenant-00", "UPDATE items SET qty = 0")
	requestRollout(t, set, "resume", "1")
	s = eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(s.Status.Rollout.Phase).To(Equal(v1alpha1.RolloutComplete))
		allAt(rev2, n)(g, s)
		setHasEvent(g, s, v1alpha1.RolloutCompleteReason, rev2)
	})
	g.Expect(s.Status.Rollout.Wave).To(BeEquivalentTo(3)) // canary, 15, 14
	for m := range f.urls {
		if m == "tenant-30" {
			continue
		}
		g.Expect(f.query(m, "SELECT count(*)::text FROM pg_constraint WHERE conname = 'items_qty_check'")).To(Equal("1"), m)
	}

	// A destructive revision: the canary is blocked, which halts the rollout.
	rev3 := "main@sha1:" + f.git.Push(t, "schemas", "main", map[string]string{
		"db/001_items.sql": "CREATE TABLE items (id int PRIMARY KEY, qty int CHECK (qty >= 0));\n"}, "drop note")
	s = eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(s.Status.Rollout.Revision).To(Equal(rev3))
		g.Expect(s.Status.Rollout.PreviousRevision).To(Equal(rev2))
		g.Expect(s.Status.Rollout.Phase).To(Equal(v1alpha1.RolloutHalted))
		g.Expect(s.Status.Rollout.Failures).To(HaveLen(1))
		g.Expect(s.Status.Rollout.Failures[0].Database).To(Equal("shop-tenant-00"))
		g.Expect(s.Status.Rollout.Failures[0].Reason).To(Equal(v1alpha1.DestructiveBlockedReason))
		g.Expect(s.Status.Rollout.Failures[0].PlanID).To(HavePrefix("sha256:"))
	})
	planID := s.Status.Rollout.Failures[0].PlanID

	// Abort: the canary returns to the previous revision.
	requestRollout(t, set, "abort", "2")
	eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(s.Status.Rollout.Phase).To(Equal(v1alpha1.RolloutAborted))
		allAt(rev2, n)(g, s)
		setHasEvent(g, s, v1alpha1.RolloutAbortedReason, rev3)
	})
	g.Expect(f.query("tenant-00", "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note'")).To(Equal("1"))

	// One approval on the set for the plan id every member shares, and the
	// rollout restarts from its canary: every member applies that plan.
	NewWithT(t).Eventually(func() error {
		cur := &v1alpha1.DatabaseSet{}
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(set), cur); err != nil {
			return err
		}
		cur.Spec.ApprovedPlans = []string{planID}
		return testClient.Update(context.Background(), cur)
	}, testTimeout, testInterval).Should(Succeed())
	requestRollout(t, set, "resume", "3")
	eventuallySet(t, set, fleetTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(s.Status.Rollout.Phase).To(Equal(v1alpha1.RolloutComplete))
		allAt(rev3, n)(g, s)
	})
	for m := range f.urls {
		if m == "tenant-30" {
			continue
		}
		g.Expect(f.query(m, "SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note'")).To(Equal("0"), m)
		// Every member applied the one approved plan.
		g.Expect(f.query(m, "SELECT coalesce(approval_id, '') FROM schemactl.apply_log ORDER BY id DESC LIMIT 1")).To(Equal(planID), m)
	}
	for _, db := range setMembers(g, set) {
		g.Expect(db.Spec.ApprovedPlan).To(Equal(planID), db.Name)
		dbHasEvent(g, &db, v1alpha1.ApprovalAppliedReason)
	}
}

// TestDatabaseSet_cnpgNotInstalled: a CloudNativePG generator without
// CloudNativePG's CRDs is a condition, not a crash, and removes no member.
func TestDatabaseSet_cnpgNotInstalled(t *testing.T) {
	ns := newDBNamespace(t)
	newItemsSource(t, ns)
	g := NewWithT(t)
	set := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "clusters"},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Members:   v1alpha1.DatabaseSetMembers{CNPGClusterSelector: &metav1.LabelSelector{}},
			Template:  v1alpha1.DatabaseSetTemplate{Interval: metav1.Duration{Duration: 2 * time.Second}},
		},
	}
	g.Expect(testClient.Create(context.Background(), set)).To(Succeed())
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(conditions.GetReason(s, meta.ReadyCondition)).To(Equal(v1alpha1.MemberGeneratorNotInstalledReason))
		g.Expect(conditions.GetMessage(s, meta.ReadyCondition)).To(ContainSubstring("install CloudNativePG"))
	})
}

// TestDatabaseSet_crossNamespaceSource: with --no-cross-namespace-refs a set
// whose source is in another namespace stalls, as a Database does, and
// creates no member.
func TestDatabaseSet_crossNamespaceSource(t *testing.T) {
	ns := newDBNamespace(t)
	other := newDBNamespace(t)
	newItemsSource(t, other)
	g := NewWithT(t)
	createSecret(t, ns, "tenant-a", map[string][]byte{"url": []byte("postgres://unused@127.0.0.1:1/none")})
	set := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "shared-source"},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas", Namespace: other},
			Members:   v1alpha1.DatabaseSetMembers{List: []meta.LocalObjectReference{{Name: "tenant-a"}}},
			Template:  v1alpha1.DatabaseSetTemplate{Interval: metav1.Duration{Duration: 2 * time.Second}},
		},
	}
	g.Expect(testClient.Create(context.Background(), set)).To(Succeed())
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		g.Expect(conditions.IsStalled(s)).To(BeTrue(), "%v", s.Status.Conditions)
		g.Expect(conditions.GetReason(s, meta.StalledCondition)).To(Equal(v1alpha1.CrossNamespaceRefBlockedReason))
		g.Expect(conditions.GetMessage(s, meta.ReadyCondition)).To(ContainSubstring("cross-namespace references have been blocked"))
	})
	g.Consistently(func(g Gomega) { g.Expect(setMembers(g, set)).To(BeEmpty()) }, 2*time.Second, 250*time.Millisecond).Should(Succeed())
}

// TestDatabaseSet_listMembers: an explicit list generates one member per entry
// with the template's name; an entry removed removes its member. Members
// whose Secret does not exist are created all the same (and stall on it).
func TestDatabaseSet_listMembers(t *testing.T) {
	ns := newDBNamespace(t)
	git := newItemsSource(t, ns)
	g := NewWithT(t)
	rev := "main@sha1:" + git.Head(t, "schemas", "main")
	set := &v1alpha1.DatabaseSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "listed"},
		Spec: v1alpha1.DatabaseSetSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db",
			Members:   v1alpha1.DatabaseSetMembers{List: []meta.LocalObjectReference{{Name: "east"}, {Name: "west"}}},
			Template:  v1alpha1.DatabaseSetTemplate{Name: "db-{{ .Member }}", Interval: metav1.Duration{Duration: 2 * time.Second}},
		},
	}
	g.Expect(testClient.Create(context.Background(), set)).To(Succeed())
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		members := setMembers(g, s)
		g.Expect(members).To(HaveLen(2))
		g.Expect(members).To(HaveKey("db-east"))
		g.Expect(members["db-west"].Spec.SecretRef.Name).To(Equal("west"))
		g.Expect(members["db-west"].Spec.SourceRevision).To(Equal(rev))
		g.Expect(s.Status.Members).To(BeEquivalentTo(2))
		g.Expect(s.Status.Failed).To(BeEquivalentTo(2), "their Secrets do not exist")
	})
	NewWithT(t).Eventually(func() error {
		cur := &v1alpha1.DatabaseSet{}
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(set), cur); err != nil {
			return err
		}
		cur.Spec.Members.List = cur.Spec.Members.List[:1]
		return testClient.Update(context.Background(), cur)
	}, testTimeout, testInterval).Should(Succeed())
	eventuallySet(t, set, testTimeout, func(g Gomega, s *v1alpha1.DatabaseSet) {
		members := setMembers(g, s)
		g.Expect(members).To(HaveLen(1))
		g.Expect(members).To(HaveKey("db-east"))
	})
}

// TestDatabaseReconciler_sourceRevisionPin: a Database pinned to an older
// revision of its SchemaRepository is enforced at it while the source moves
// on; a pin to a revision the agent does not hold waits with
// SourceRevisionUnavailable; unpinned, it follows the source.
func TestDatabaseReconciler_sourceRevisionPin(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_items.sql": itemsV1})
	rev1 := "main@sha1:" + f.git.Head(t, f.repo, "main")
	obj := f.database("pinned", func(db *v1alpha1.Database) { db.Spec.SourceRevision = rev1 })
	eventuallyDB(t, obj, readyAt(rev1))
	rev2 := "main@sha1:" + f.git.Push(t, f.repo, "main", map[string]string{"db/002_more.sql": "CREATE TABLE more (id int PRIMARY KEY);\n"}, "more")
	repo := &v1alpha1.SchemaRepository{}
	NewWithT(t).Eventually(func(g Gomega) {
		g.Expect(testClient.Get(context.Background(), client.ObjectKey{Namespace: f.ns, Name: "schemas"}, repo)).To(Succeed())
		g.Expect(repo.GetArtifact()).NotTo(BeNil())
		g.Expect(repo.GetArtifact().Revision).To(Equal(rev2))
	}, testTimeout, testInterval).Should(Succeed())
	// Drift is corrected against the pinned revision, which has no table more.
	f.exec("DROP TABLE items")
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		readyAt(rev1)(g, db)
		g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'items'")).To(Equal("1"))
	})
	g := NewWithT(t)
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'more'")).To(Equal("0"))

	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.SourceRevision = "main@sha1:" + strings.Repeat("0", 40) })
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.SourceRevisionUnavailableReason))
	})
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.SourceRevision = "" })
	eventuallyDB(t, obj, readyAt(rev2))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'more'")).To(Equal("1"))
}
