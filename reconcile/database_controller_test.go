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
	"os"
	"path/filepath"
	"strconv"
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
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/testsupport/gittest"
	"github.com/schemactl/schema-controller/internal/testsupport/pgtest"
	"github.com/schemactl/schema-controller/notify"
	"github.com/schemactl/schema-controller/source"
)

// testClock is the Database reconciler's clock: the apply-window test moves it.
var testClock = struct {
	sync.Mutex
	at time.Time
}{}

func testNow() time.Time {
	testClock.Lock()
	defer testClock.Unlock()
	if testClock.at.IsZero() {
		return time.Now()
	}
	return testClock.at
}

// lazyArtifacts defers to the SchemaRepository test setup's getter, which is
// created when the manager starts.
type lazyArtifacts struct{}

func (lazyArtifacts) GetArtifact(ctx context.Context, ns string, ref types.NamespacedName) (*SourceArtifact, error) {
	return testArtifacts.GetArtifact(ctx, ns, ref)
}

func (lazyArtifacts) GetArtifactRevision(ctx context.Context, ns string, ref types.NamespacedName, revision string) (*SourceArtifact, error) {
	return testArtifacts.GetArtifactRevision(ctx, ns, ref, revision)
}

var testDesiredCache = &drift.Cache{}

func init() {
	testSetups = append(testSetups, func(ctx context.Context, mgr ctrl.Manager, deps testDependencies) error {
		fluxStore, err := source.NewStore(filepath.Join(deps.StoragePath, "fluxsources"))
		if err != nil {
			return err
		}
		testDatabaseReconciler = &DatabaseReconciler{
			Client:                    mgr.GetClient(),
			Recorder:                  deps.EventRecorder,
			Metrics:                   deps.Metrics,
			ControllerName:            testFieldOwner,
			Artifacts:                 lazyArtifacts{},
			FluxArtifacts:             &FluxArtifacts{Reader: mgr.GetClient(), Storage: fluxStore},
			Cache:                     testDesiredCache,
			DependencyRequeueInterval: time.Second,
			Now:                       testNow,
		}
		return testDatabaseReconciler.SetupWithManager(ctx, mgr, DatabaseReconcilerOptions{
			MaxConcurrentReconciles: testDatabaseConcurrency(),
			RateLimiter:             helper.GetRateLimiter(helper.RateLimiterOptions{MinRetryDelay: 200 * time.Millisecond, MaxRetryDelay: 2 * time.Second}),
			// The agent's default --watch-configs-label-selector.
			WatchConfigsPredicate: mustWatchConfigsPredicate(meta.LabelKeyWatch + "=" + meta.LabelValueWatchEnabled),
		})
	})
}

// testDatabaseConcurrency is the agent's --concurrent for the Database controller
// under test: 4 (the agent's default), or SCHEMACTL_BENCH_CONCURRENT for the fleet
// benchmark.
func testDatabaseConcurrency() int {
	if n, err := strconv.Atoi(os.Getenv("SCHEMACTL_BENCH_CONCURRENT")); err == nil && n > 0 {
		return n
	}
	return 4
}

// dbFixture is a namespace with a git source and a real database.
type dbFixture struct {
	t    *testing.T
	ns   string
	git  *gittest.Server
	repo string
	url  string
	conn *pgx.Conn
}

const ordersV1 = `CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    note text DEFAULT 'n/a',
    total numeric(10,2) CHECK (total >= 0)
);
CREATE INDEX orders_customer_idx ON orders (customer);
`

func newDBFixture(t *testing.T, files map[string]string) *dbFixture {
	t.Helper()
	ctx := context.Background()
	f := &dbFixture{t: t, ns: newDBNamespace(t), git: gittest.NewServer(t, gittest.Options{}), repo: "schemas"}
	f.git.CreateRepo(t, f.repo, files, "main")
	createSecret(t, f.ns, "git", basicAuthSecret(f.git))
	repo := newSchemaRepository(f.ns, "schemas", f.git.HTTPURL(f.repo), "git")
	repo.Spec.Interval = metav1.Duration{Duration: 2 * time.Second}
	if err := testClient.Create(ctx, repo); err != nil {
		t.Fatal(err)
	}
	f.url = pgtest.Shared(t).NewDatabase(t)
	createSecret(t, f.ns, "db", map[string][]byte{"url": []byte(f.url)})
	conn, err := pgx.Connect(ctx, f.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	f.conn = conn
	return f
}

func newDBNamespace(t *testing.T) string {
	t.Helper()
	name := strings.ToLower(strings.NewReplacer("_", "-", "/", "-").Replace(t.Name()))
	if len(name) > 40 {
		name = name[:40]
	}
	name = fmt.Sprintf("%s-%d", strings.Trim(name, "-"), time.Now().UnixNano()%100000)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	if err := testClient.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return name
}

func (f *dbFixture) database(name string, mutate func(*v1alpha1.Database)) *v1alpha1.Database {
	f.t.Helper()
	obj := &v1alpha1.Database{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: name},
		Spec: v1alpha1.DatabaseSpec{
			SourceRef: v1alpha1.CrossNamespaceSourceReference{Kind: v1alpha1.SchemaRepositoryKind, Name: "schemas"},
			Path:      "db",
			SecretRef: meta.LocalObjectReference{Name: "db"},
			Interval:  metav1.Duration{Duration: 2 * time.Second},
			// Not the interval: a reconcile on a loaded CI machine (a CREATE
			// DATABASE alone took over a second) must not time out.
			Timeout: &metav1.Duration{Duration: 30 * time.Second},
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

func (f *dbFixture) exec(sql string) {
	f.t.Helper()
	if _, err := f.conn.Exec(context.Background(), sql); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *dbFixture) query(sql string) string {
	f.t.Helper()
	var s string
	if err := f.conn.QueryRow(context.Background(), sql).Scan(&s); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func getDB(g Gomega, obj *v1alpha1.Database) *v1alpha1.Database {
	out := &v1alpha1.Database{}
	g.Expect(testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), out)).To(Succeed())
	return out
}

// eventuallyDB waits until check passes on obj's current state.
func eventuallyDB(t *testing.T, obj *v1alpha1.Database, check func(g Gomega, db *v1alpha1.Database)) *v1alpha1.Database {
	t.Helper()
	var got *v1alpha1.Database
	NewWithT(t).Eventually(func(g Gomega) {
		got = getDB(g, obj)
		check(g, got)
	}, testTimeout, testInterval).Should(Succeed())
	return got
}

func readyAt(revision string) func(g Gomega, db *v1alpha1.Database) {
	return func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsReady(db)).To(BeTrue(), "ready: %v", db.Status.Conditions)
		g.Expect(db.Status.ObservedGeneration).To(Equal(db.Generation))
		if revision != "" {
			g.Expect(db.Status.LastAppliedRevision).To(Equal(revision))
		}
	}
}

func dbHasEvent(g Gomega, obj client.Object, reason string) {
	var list corev1.EventList
	g.Expect(testClient.List(context.Background(), &list, client.InNamespace(obj.GetNamespace()))).To(Succeed())
	for _, e := range list.Items {
		if e.InvolvedObject.Name == obj.GetName() && e.Reason == reason {
			return
		}
	}
	g.Expect(reason).To(BeEmpty(), "no event %s for %s", reason, obj.GetName())
}

func requestDBReconcile(t *testing.T, obj client.Object, token string) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		ann := obj.GetAnnotations()
		if ann == nil {
			ann = map[string]string{}
		}
		ann[meta.ReconcileRequestAnnotation] = token
		obj.SetAnnotations(ann)
		return testClient.Update(context.Background(), obj)
	}, testTimeout, testInterval).Should(Succeed())
}

// TestDatabaseReconciler_lifecycle: first apply, requestedAt, out-of-band changes of
// several kinds detected and corrected, a new commit applied, suspend stopping writes,
// resume, and deletion leaving the database alone.
func TestDatabaseReconciler_lifecycle(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	obj := f.database("orders", nil)
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")
	db := eventuallyDB(t, obj, readyAt(rev))
	g := NewWithT(t)
	g.Expect(db.Finalizers).To(ContainElement(v1alpha1.Finalizer))
	g.Expect(db.Status.LastApplied).NotTo(BeNil())
	g.Expect(f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'orders_customer_idx'")).To(Equal("1"))
	g.Expect(f.query("SELECT count(*)::text FROM schemactl.apply_log")).To(Equal("1"))
	// The status and the apply record name the same plan: the one executed under the lock.
	g.Expect(f.query("SELECT approval_id FROM schemactl.apply_log")).To(Equal(db.Status.LastApplied.PlanID))
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) { dbHasEvent(g, db, v1alpha1.AppliedReason) })

	requestDBReconcile(t, obj, "now-1")
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(db.Status.LastHandledReconcileAt).To(Equal("now-1"))
	})

	// Out-of-band changes: an index, a dropped default, a column, a dropped constraint.
	f.exec(`CREATE INDEX orders_note_idx ON orders (note);
ALTER TABLE orders ALTER COLUMN note DROP DEFAULT;
ALTER TABLE orders ADD COLUMN extra int;
ALTER TABLE orders DROP CONSTRAINT orders_total_check`)
	// Correct policy with allowDestructive=false: the extra column is a DataLoss drop,
	// so the drift is detected and the plan blocked until approved.
	db = eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsTrue(db, v1alpha1.DriftedCondition)).To(BeTrue())
		g.Expect(db.Status.Drift).NotTo(BeNil())
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DestructiveBlockedReason))
		// The conditions and the rest of the status are two patches (Flux's patch
		// helper): the plan may land just after the reason.
		planShown(g, db)
		dbHasEvent(g, db, v1alpha1.DriftDetectedReason)
	})
	var objects []string
	for _, c := range db.Status.Drift.Changes {
		objects = append(objects, c.Object)
	}
	g.Expect(objects).To(ContainElements("index public.orders_note_idx", "column public.orders.note", "column public.orders.extra", "constraint orders_total_check on public.orders"))
	g.Expect(db.Status.Plan.ID).To(HavePrefix("sha256:"))
	g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(ContainSubstring("schemactl approve database orders"))
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) { dbHasEvent(g, db, v1alpha1.DestructiveBlockedReason) })

	// An approval of another plan id applies nothing.
	setApproval(t, obj, "sha256:"+strings.Repeat("0", 64))
	time.Sleep(3 * time.Second)
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'extra'")).To(Equal("1"))
	// Approving the pending plan applies exactly it.
	setApproval(t, obj, db.Status.Plan.ID)
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		readyAt(rev)(g, db)
		g.Expect(conditions.Has(db, v1alpha1.DriftedCondition)).To(BeFalse())
		dbHasEvent(g, db, v1alpha1.ApprovalAppliedReason)
	})
	g.Expect(f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'orders_note_idx'")).To(Equal("0"))
	g.Expect(f.query("SELECT coalesce(column_default, '') FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'")).To(ContainSubstring("n/a"))
	g.Expect(f.query("SELECT count(*)::text FROM pg_constraint WHERE conname = 'orders_total_check'")).To(Equal("1"))

	// A non-destructive out-of-band change is corrected without approval.
	f.exec(`DROP INDEX orders_customer_idx`)
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		dbHasEvent(g, db, v1alpha1.DriftCorrectedReason)
		readyAt(rev)(g, db)
	})
	g.Expect(f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'orders_customer_idx'")).To(Equal("1"))

	// A new commit is applied.
	commit := f.git.Push(t, f.repo, "main", map[string]string{"db/002_customers.sql": "CREATE TABLE customers (id bigint PRIMARY KEY, name text);\n"}, "add customers")
	eventuallyDB(t, obj, readyAt("main@sha1:"+commit))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'customers'")).To(Equal("1"))

	// Suspend stops all writes.
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.Suspend = true })
	time.Sleep(time.Second)
	f.exec(`DROP INDEX orders_customer_idx`)
	time.Sleep(5 * time.Second)
	g.Expect(f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'orders_customer_idx'")).To(Equal("0"))
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.Suspend = false })
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'orders_customer_idx'")).To(Equal("1"))
		readyAt("main@sha1:"+commit)(g, db)
	})

	// Deleting the Database leaves the database alone.
	g.Expect(testClient.Delete(context.Background(), obj)).To(Succeed())
	g.Eventually(func() bool {
		err := testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), &v1alpha1.Database{})
		return client.IgnoreNotFound(err) == nil && err != nil
	}, testTimeout, testInterval).Should(BeTrue())
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename IN ('orders', 'customers')")).To(Equal("2"))
}

func patchDB(t *testing.T, obj *v1alpha1.Database, mutate func(*v1alpha1.Database)) {
	t.Helper()
	NewWithT(t).Eventually(func() error {
		db := &v1alpha1.Database{}
		if err := testClient.Get(context.Background(), client.ObjectKeyFromObject(obj), db); err != nil {
			return err
		}
		mutate(db)
		return testClient.Update(context.Background(), db)
	}, testTimeout, testInterval).Should(Succeed())
}

// planShown checks that status.plan is the plan the Ready condition names. The
// patch helper writes the conditions and the rest of the status in two requests,
// so a reader may see the new reason with the previous plan in between.
func planShown(g Gomega, db *v1alpha1.Database) {
	g.Expect(db.Status.Plan).NotTo(BeNil())
	g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(ContainSubstring(db.Status.Plan.ID))
}

func setApproval(t *testing.T, obj *v1alpha1.Database, id string) {
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.ApprovedPlan = id })
}

// TestDatabaseReconciler_reportPolicy: drift is reported and nothing is written.
func TestDatabaseReconciler_reportPolicy(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	f.exec(ordersV1)
	obj := f.database("orders", func(db *v1alpha1.Database) {
		db.Spec.DriftPolicy = v1alpha1.DriftPolicyReport
		db.Spec.LockTimeout = &metav1.Duration{Duration: 7 * time.Second}
	})
	rev := "main@sha1:" + f.git.Head(t, f.repo, "main")
	eventuallyDB(t, obj, readyAt(rev))
	f.exec(`CREATE INDEX orders_note_idx ON orders (note); ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'x'`)
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsTrue(db, v1alpha1.DriftedCondition)).To(BeTrue())
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DriftReportedReason))
		g.Expect(db.Status.Drift).NotTo(BeNil())
		g.Expect(db.Status.Drift.Count).To(BeNumerically("==", 2))
		g.Expect(db.Status.Plan).NotTo(BeNil())
	})
	g := NewWithT(t)
	g.Expect(db.Status.Plan.Statements).To(BeNumerically(">", 0))
	// The plan shown is the plan that would be applied: spec.lockTimeout, not the default.
	for _, sql := range db.Status.Plan.SQL {
		g.Expect(sql).To(ContainSubstring("lock_timeout 7s"))
	}
	labels := map[string]string{"namespace": f.ns, "name": "orders"}
	g.Expect(gaugeValue(g, "schemactl_database_drift_changes", labels)).To(Equal(2.0))
	g.Expect(gaugeValue(g, "schemactl_database_plan_statements", labels)).To(Equal(float64(db.Status.Plan.Statements)))
	// Drifted is in Flux's condition metric, for the alerts of config/monitoring.
	g.Eventually(func(g Gomega) {
		drifted := map[string]string{"kind": "Database", "name": "orders", "namespace": f.ns, "type": v1alpha1.DriftedCondition}
		g.Expect(gaugeValue(g, "gotk_reconcile_condition", mergeLabels(drifted, "status", "True"))).To(Equal(1.0))
		g.Expect(gaugeValue(g, "gotk_reconcile_condition", mergeLabels(drifted, "status", "False"))).To(Equal(0.0))
	}, testTimeout, testInterval).Should(Succeed())
	time.Sleep(3 * time.Second)
	g.Expect(f.query("SELECT count(*)::text FROM pg_indexes WHERE indexname = 'orders_note_idx'")).To(Equal("1"))
	g.Expect(f.query("SELECT count(*)::text FROM pg_namespace WHERE nspname = 'schemactl'")).To(Equal("0"), "Report wrote the apply log")
}

// TestDatabaseReconciler_firstRunNeverDrops: adopting a database with an extra table
// does not drop it even with allowDestructive; it is reported as FirstRunDestructive.
func TestDatabaseReconciler_firstRunNeverDrops(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	f.exec(`CREATE TABLE legacy (id int)`)
	obj := f.database("orders", func(db *v1alpha1.Database) { db.Spec.AllowDestructive = true })
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.FirstRunDestructiveReason))
		// The conditions and the rest of the status are two patches (Flux's patch
		// helper): the plan may land just after the reason.
		planShown(g, db)
	})
	g := NewWithT(t)
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'legacy'")).To(Equal("1"))
	labels := map[string]string{"namespace": f.ns, "name": "orders"}
	g.Eventually(func(g Gomega) {
		g.Expect(gaugeValue(g, "schemactl_database_approval_pending", labels)).To(Equal(1.0))
	}, testTimeout, testInterval).Should(Succeed())
	// Approving the exact plan adopts the database.
	setApproval(t, obj, db.Status.Plan.ID)
	eventuallyDB(t, obj, readyAt(""))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename IN ('legacy', 'orders')")).To(Equal("1"))
	g.Eventually(func(g Gomega) {
		g.Expect(gaugeValue(g, "schemactl_database_approval_pending", labels)).To(Equal(0.0))
		g.Expect(histogramCount(g, "schemactl_database_apply_duration_seconds", labels)).To(BeNumerically(">=", 1))
	}, testTimeout, testInterval).Should(Succeed())
}

// TestDatabaseReconciler_badSQLStalls: invalid SQL in Git stalls with file:line and
// the database is untouched.
func TestDatabaseReconciler_badSQLStalls(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": "CREATE TABLE ok (id int);\nCREATE TABLE broken (id nosuchtype);\n"})
	obj := f.database("orders", nil)
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsStalled(db)).To(BeTrue())
		g.Expect(conditions.GetReason(db, meta.StalledCondition)).To(Equal(v1alpha1.InvalidSQLReason))
	})
	g := NewWithT(t)
	g.Expect(conditions.GetMessage(db, meta.StalledCondition)).To(ContainSubstring("001_orders.sql:2"))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")).To(Equal("0"))
	// Stalled is in Flux's condition metric, for the alerts of config/monitoring.
	g.Eventually(func(g Gomega) {
		stalled := map[string]string{"kind": "Database", "name": "orders", "namespace": f.ns, "type": meta.StalledCondition}
		g.Expect(gaugeValue(g, "gotk_reconcile_condition", mergeLabels(stalled, "status", "True"))).To(Equal(1.0))
	}, testTimeout, testInterval).Should(Succeed())
}

// TestDatabaseReconciler_untrustedExtension: an untrusted extension (dblink) stalls
// the Database with file:line and nothing is applied; listed in
// spec.allowedExtensions it is created.
func TestDatabaseReconciler_untrustedExtension(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": "CREATE TABLE ok (id int);\nCREATE EXTENSION dblink;\n"})
	obj := f.database("orders", nil)
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsStalled(db)).To(BeTrue())
		g.Expect(conditions.GetReason(db, meta.StalledCondition)).To(Equal(v1alpha1.InvalidSQLReason))
	})
	g := NewWithT(t)
	g.Expect(conditions.GetMessage(db, meta.StalledCondition)).To(ContainSubstring(`001_orders.sql:2: extension "dblink"`))
	// The hint is the controller's: the Database field, not a CLI flag.
	g.Expect(conditions.GetMessage(db, meta.StalledCondition)).To(ContainSubstring("allow dblink in spec.allowedExtensions"))
	g.Expect(conditions.GetMessage(db, meta.StalledCondition)).NotTo(ContainSubstring("--allow-extension"))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")).To(Equal("0"))
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.AllowedExtensions = []string{"dblink"} })
	eventuallyDB(t, obj, readyAt(""))
	g.Expect(f.query("SELECT count(*)::text FROM pg_extension WHERE extname = 'dblink'")).To(Equal("1"))
}

// TestDatabaseReconciler_leakproofTrusted: a LEAKPROOF function stalls the
// Database with file:line and the opt-in named, nothing applied; with
// spec.scratchTrustedStatements [leakproof] it is created LEAKPROOF.
func TestDatabaseReconciler_leakproofTrusted(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": "CREATE TABLE ok (id int);\n" +
		"CREATE FUNCTION same(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF AS $$ SELECT a = b $$;\n"})
	obj := f.database("orders", nil)
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.IsStalled(db)).To(BeTrue())
		g.Expect(conditions.GetReason(db, meta.StalledCondition)).To(Equal(v1alpha1.InvalidSQLReason))
	})
	g := NewWithT(t)
	g.Expect(conditions.GetMessage(db, meta.StalledCondition)).To(And(
		ContainSubstring("001_orders.sql:2: declares a LEAKPROOF function"), ContainSubstring("spec.scratchTrustedStatements: [leakproof]")))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")).To(Equal("0"))
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.ScratchTrustedStatements = []string{"leakproof"} })
	eventuallyDB(t, obj, readyAt(""))
	g.Expect(f.query("SELECT proleakproof::text FROM pg_proc WHERE proname = 'same'")).To(Equal("true"))
}

// TestDatabaseReconciler_connectionErrorHidesPassword: a bad login is a clear
// condition that never shows the password.
func TestDatabaseReconciler_connectionErrorHidesPassword(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	const password = "s3cret-Pa55word"
	bad := strings.Replace(f.url, "postgres://postgres@", "postgres://nosuchuser:"+password+"@", 1)
	createSecret(t, f.ns, "baddb", map[string][]byte{"url": []byte(bad)})
	obj := f.database("orders", func(db *v1alpha1.Database) { db.Spec.SecretRef.Name = "baddb" })
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.ConnectionFailedReason))
	})
	g := NewWithT(t)
	for _, c := range db.Status.Conditions {
		g.Expect(c.Message).NotTo(ContainSubstring(password))
	}
	var list corev1.EventList
	g.Expect(testClient.List(context.Background(), &list, client.InNamespace(f.ns))).To(Succeed())
	for _, e := range list.Items {
		g.Expect(e.Message).NotTo(ContainSubstring(password))
	}
	// Missing keys stall.
	createSecret(t, f.ns, "empty", map[string][]byte{"user": []byte("x")})
	obj2 := f.database("orders2", func(db *v1alpha1.Database) { db.Spec.SecretRef.Name = "empty" })
	eventuallyDB(t, obj2, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.StalledCondition)).To(Equal(v1alpha1.InvalidSecretReason))
	})
	// Rotating the Secret to working credentials is picked up.
	var sec corev1.Secret
	g.Expect(testClient.Get(context.Background(), types.NamespacedName{Namespace: f.ns, Name: "baddb"}, &sec)).To(Succeed())
	sec.Data["url"] = []byte(f.url)
	g.Expect(testClient.Update(context.Background(), &sec)).To(Succeed())
	eventuallyDB(t, obj, readyAt(""))
}

// TestDatabaseReconciler_applyWindow: outside the window nothing is written and the
// status says when the next window opens; inside, the plan is applied.
func TestDatabaseReconciler_applyWindow(t *testing.T) {
	testClock.Lock()
	testClock.at = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	testClock.Unlock()
	t.Cleanup(func() { testClock.Lock(); testClock.at = time.Time{}; testClock.Unlock() })
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	obj := f.database("orders", func(db *v1alpha1.Database) {
		db.Spec.ApplyWindow = &v1alpha1.ApplyWindow{Schedule: "0 2 * * *", Duration: metav1.Duration{Duration: time.Hour}, TimeZone: "UTC"}
	})
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.OutsideApplyWindowReason))
	})
	g := NewWithT(t)
	g.Expect(conditions.GetMessage(db, meta.ReadyCondition)).To(ContainSubstring("2026-11-26T02:00:00Z"))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'orders'")).To(Equal("0"))
	testClock.Lock()
	testClock.at = time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC)
	testClock.Unlock()
	requestDBReconcile(t, obj, "in-window")
	eventuallyDB(t, obj, readyAt(""))
	g.Expect(f.query("SELECT count(*)::text FROM pg_tables WHERE tablename = 'orders'")).To(Equal("1"))
}

// TestDatabaseReconciler_dependsOn: a Database waits for its dependency to be Ready.
func TestDatabaseReconciler_dependsOn(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	second := f.database("second", func(db *v1alpha1.Database) {
		db.Spec.DependsOn = []meta.NamespacedObjectReference{{Name: "first"}}
	})
	eventuallyDB(t, second, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DependencyNotReadyReason))
	})
	f.database("first", nil)
	eventuallyDB(t, second, readyAt(""))
}

func TestWindowState(t *testing.T) {
	w := &v1alpha1.ApplyWindow{Schedule: "0 2 * * *", Duration: metav1.Duration{Duration: 2 * time.Hour}, TimeZone: "Europe/Berlin"}
	cases := []struct {
		now  time.Time
		open bool
		next string
	}{
		{time.Date(2026, 11, 25, 0, 30, 0, 0, time.UTC), false, "2026-11-25T01:00:00Z"},
		{time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC), true, ""},
		{time.Date(2026, 11, 25, 2, 59, 0, 0, time.UTC), true, ""},
		{time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC), false, "2026-11-26T01:00:00Z"},
	}
	for _, c := range cases {
		open, next, err := windowState(w, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if open != c.open || (!open && next.UTC().Format(time.RFC3339) != c.next) {
			t.Errorf("%v: open=%v next=%v, want %v %s", c.now, open, next.UTC(), c.open, c.next)
		}
	}
	if _, _, err := windowState(&v1alpha1.ApplyWindow{Schedule: "bogus", Duration: metav1.Duration{Duration: time.Hour}}, time.Now()); err == nil {
		t.Error("invalid schedule accepted")
	}
}

func TestConnectionURL(t *testing.T) {
	u, err := ConnectionURL(map[string][]byte{"host": []byte("db.svc"), "port": []byte("5433"), "user": []byte("app"), "password": []byte("p@ss word"), "dbname": []byte("orders"), "sslmode": []byte("require")})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "db.svc" || cfg.Port != 5433 || cfg.User != "app" || cfg.Password != "p@ss word" || cfg.Database != "orders" {
		t.Errorf("parsed %+v from %s", cfg, u)
	}
	// CloudNativePG's app Secret (<cluster>-app) as it is: uri, and the parts with
	// username instead of user.
	cnpg := map[string][]byte{"username": []byte("app"), "password": []byte("s3cr:t/@"), "host": []byte("pg-rw"), "port": []byte("5432"),
		"dbname": []byte("app"), "uri": []byte("postgresql://app:s3cr%3At%2F%40@pg-rw.shop:5432/app"), "jdbc-uri": []byte("jdbc:postgresql://pg-rw.shop:5432/app")}
	for name, data := range map[string]map[string][]byte{"uri": cnpg, "parts": without(cnpg, "uri")} {
		u, err := ConnectionURL(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cfg, err := pgx.ParseConfig(u)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(cfg.Host, "pg-rw") || cfg.Port != 5432 || cfg.User != "app" || cfg.Password != "s3cr:t/@" || cfg.Database != "app" {
			t.Errorf("%s: parsed host %s port %d user %s db %s", name, cfg.Host, cfg.Port, cfg.User, cfg.Database)
		}
	}
	for _, bad := range []map[string][]byte{{}, {"port": []byte("1")}, {"host": []byte("h"), "port": []byte("x")}, {"url": []byte("::nope")}, {"uri": []byte("::nope")}} {
		if _, err := ConnectionURL(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// without returns a copy of data without key.
func without(data map[string][]byte, key string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range data {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// TestDatabaseReconciler_alertsOnDrift: a manual change in a real database reaches a
// Slack provider and a generic webhook exactly once each, with the drift report, while
// the drift persists over many intervals (Report policy: never corrected).
func TestDatabaseReconciler_alertsOnDrift(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	ctx := context.Background()
	var mu sync.Mutex
	got := map[string][]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got[r.URL.Path] = append(got[r.URL.Path], string(b))
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	received := func(path string) func() []string {
		return func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), got[path]...)
		}
	}
	g := NewWithT(t)
	for _, p := range []struct{ name, typ string }{{"slack", v1alpha1.SlackProvider}, {"hook", v1alpha1.GenericProvider}} {
		createSecret(t, f.ns, p.name, map[string][]byte{notify.AddressKey: []byte(srv.URL + "/" + p.name)})
		g.Expect(testClient.Create(ctx, &v1alpha1.AlertProvider{
			ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: p.name},
			Spec:       v1alpha1.AlertProviderSpec{Type: p.typ, SecretRef: meta.LocalObjectReference{Name: p.name}},
		})).To(Succeed())
		rule := &v1alpha1.AlertRule{
			ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: p.name},
			Spec: v1alpha1.AlertRuleSpec{
				ProviderRef:   meta.LocalObjectReference{Name: p.name},
				EventSources:  []v1alpha1.EventSourceReference{{Kind: v1alpha1.DatabaseKind, Name: "*"}},
				EventSeverity: v1alpha1.EventSeverityError,
				// The fixture applies as the superuser postgres: its one
				// DangerousPrivileges warning is not what this test counts.
				ExclusionList: []string{"dangerous privileges"},
			},
		}
		g.Expect(testClient.Create(ctx, rule)).To(Succeed())
		g.Eventually(func(g Gomega) { g.Expect(conditions.IsReady(alertGet(g, rule))).To(BeTrue()) }, testTimeout, testInterval).Should(Succeed())
	}
	obj := f.database("orders", func(db *v1alpha1.Database) { db.Spec.DriftPolicy = v1alpha1.DriftPolicyReport })
	f.exec(ordersV1)
	eventuallyDB(t, obj, readyAt(""))
	f.exec(`CREATE INDEX orders_note_idx ON orders (note)`)
	g.Eventually(received("/slack"), testTimeout, testInterval).Should(HaveLen(1))
	g.Eventually(received("/hook"), testTimeout, testInterval).Should(HaveLen(1))
	// Several more intervals (2s each) with the same drift: nothing more is sent.
	g.Consistently(func() int { return len(received("/slack")()) + len(received("/hook")()) }, 7*time.Second, 500*time.Millisecond).Should(Equal(2))
	hook := received("/hook")()[0]
	g.Expect(hook).To(ContainSubstring(`"reason":"DriftDetected"`))
	g.Expect(hook).To(ContainSubstring("index public.orders_note_idx: exists in the database, not in Git"))
	g.Expect(hook).To(ContainSubstring(`"cluster":"test-cluster"`))
	g.Expect(received("/slack")()[0]).To(ContainSubstring("orders_note_idx"))
	g.Expect(received("/slack")()[0]).To(ContainSubstring(`"blocks"`))
}

// TestDatabaseReconciler_databaseDownThenUp: a database that goes away is a transient
// error retried with backoff, and the Database recovers when it is back.
func TestDatabaseReconciler_databaseDownThenUp(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	cluster := pgtest.NewCluster(t)
	admin, err := pgx.Connect(context.Background(), cluster.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(context.Background(), "CREATE DATABASE app"); err != nil {
		t.Fatal(err)
	}
	_ = admin.Close(context.Background())
	createSecret(t, f.ns, "app-db", map[string][]byte{"url": []byte(cluster.URLFor("app"))})
	obj := f.database("app", func(db *v1alpha1.Database) { db.Spec.SecretRef.Name = "app-db" })
	eventuallyDB(t, obj, readyAt(""))

	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	requestDBReconcile(t, obj, "while-down")
	db := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.ConnectionFailedReason))
		g.Expect(conditions.IsReconciling(db)).To(BeTrue())
	})
	NewWithT(t).Expect(conditions.IsStalled(db)).To(BeFalse())
	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	eventuallyDB(t, obj, readyAt(""))
}

// histogramCount reads the sample count of a histogram of the controller-runtime
// registry, -1 when it has no series with labels.
func histogramCount(g Gomega, name string, labels map[string]string) float64 {
	mfs, err := metrics.Registry.Gather()
	g.Expect(err).NotTo(HaveOccurred())
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
					continue next
				}
			}
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	return -1
}

// gaugeValue reads a gauge of the controller-runtime registry.
func gaugeValue(g Gomega, name string, labels map[string]string) float64 {
	mfs, err := metrics.Registry.Gather()
	g.Expect(err).NotTo(HaveOccurred())
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if v, ok := labels[l.GetName()]; ok && v != l.GetValue() {
					continue next
				}
			}
			return m.GetGauge().GetValue()
		}
	}
	return -1
}

// TestDatabaseReconciler_staleApprovalNotApplied: an approval covers one plan against
// one live schema; when the database moves, the old approval applies nothing and the
// new plan needs a new approval.
func TestDatabaseReconciler_staleApprovalNotApplied(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	obj := f.database("orders", nil)
	eventuallyDB(t, obj, readyAt(""))
	f.exec(`ALTER TABLE orders ADD COLUMN extra1 int`)
	first := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DestructiveBlockedReason))
		g.Expect(db.Status.Plan).NotTo(BeNil())
	})
	patchDB(t, obj, func(db *v1alpha1.Database) { db.Spec.Suspend = true })
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) { g.Expect(db.Status.ObservedGeneration).To(Equal(db.Generation)) })
	// The database moves after the plan was approved.
	f.exec(`ALTER TABLE orders ADD COLUMN extra2 int`)
	patchDB(t, obj, func(db *v1alpha1.Database) {
		db.Spec.ApprovedPlan = first.Status.Plan.ID
		db.Spec.Suspend = false
	})
	second := eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(db.Status.ObservedGeneration).To(Equal(db.Generation))
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DestructiveBlockedReason))
		planShown(g, db)
		g.Expect(db.Status.Plan.ID).NotTo(Equal(first.Status.Plan.ID))
	})
	g := NewWithT(t)
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'orders' AND column_name IN ('extra1', 'extra2')")).To(Equal("2"))
	setApproval(t, obj, second.Status.Plan.ID)
	eventuallyDB(t, obj, readyAt(""))
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'orders' AND column_name IN ('extra1', 'extra2')")).To(Equal("0"))
}

func mustWatchConfigsPredicate(selector string) predicate.Predicate {
	p, err := helper.GetWatchConfigsPredicate(helper.WatchOptions{ConfigsLabelSelector: selector})
	if err != nil {
		panic(err)
	}
	return p
}

// tableCount counts the tables named name in the database at url.
func tableCount(g Gomega, url, name string) string {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	g.Expect(err).NotTo(HaveOccurred())
	defer func() { _ = conn.Close(ctx) }()
	var n string
	g.Expect(conn.QueryRow(ctx, "SELECT count(*)::text FROM pg_catalog.pg_tables WHERE tablename = $1", name).Scan(&n)).To(Succeed())
	return n
}

// TestDatabaseReconciler_watchedSecretChange: a change of a Secret labelled for
// watching (--watch-configs-label-selector, Flux's reconcile.fluxcd.io/watch:
// Enabled by default) reconciles the Databases that use it at once; a change of
// an unlabelled Secret waits for the interval.
func TestDatabaseReconciler_watchedSecretChange(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	ctx := context.Background()
	watched := createSecret(t, f.ns, "watched", map[string][]byte{"url": []byte(pgtest.Shared(t).NewDatabase(t))})
	watched.Labels = map[string]string{meta.LabelKeyWatch: meta.LabelValueWatchEnabled}
	if err := testClient.Update(ctx, watched); err != nil {
		t.Fatal(err)
	}
	unwatched := createSecret(t, f.ns, "unwatched", map[string][]byte{"url": []byte(pgtest.Shared(t).NewDatabase(t))})
	hour := metav1.Duration{Duration: time.Hour}
	objW := f.database("watched", func(db *v1alpha1.Database) { db.Spec.SecretRef.Name = "watched"; db.Spec.Interval = hour })
	objU := f.database("unwatched", func(db *v1alpha1.Database) { db.Spec.SecretRef.Name = "unwatched"; db.Spec.Interval = hour })
	eventuallyDB(t, objW, readyAt(""))
	eventuallyDB(t, objU, readyAt(""))

	// Both Secrets move to new, empty databases.
	newW, newU := pgtest.Shared(t).NewDatabase(t), pgtest.Shared(t).NewDatabase(t)
	for sec, url := range map[*corev1.Secret]string{watched: newW, unwatched: newU} {
		if err := testClient.Get(ctx, client.ObjectKeyFromObject(sec), sec); err != nil {
			t.Fatal(err)
		}
		sec.Data["url"] = []byte(url)
		if err := testClient.Update(ctx, sec); err != nil {
			t.Fatal(err)
		}
	}
	g := NewWithT(t)
	g.Eventually(func(g Gomega) { g.Expect(tableCount(g, newW, "orders")).To(Equal("1")) }, testTimeout, testInterval).Should(Succeed(),
		"the watched Secret's change reconciles its Database")
	// The same events reached the agent for both; the unlabelled one is not acted on
	// before its interval.
	g.Consistently(func(g Gomega) { g.Expect(tableCount(g, newU, "orders")).To(Equal("0")) }, 3*time.Second, 500*time.Millisecond).Should(Succeed())
}

// TestDatabaseReconciler_planChangedUnderTheLock: when the database moves between
// the plan and the apply lock so that the plan made under the lock is destructive,
// nothing is applied and the Database waits with PlanChanged (not
// DestructiveBlocked), plans again, and only then reports the new plan as blocked.
func TestDatabaseReconciler_planChangedUnderTheLock(t *testing.T) {
	f := newDBFixture(t, map[string]string{"db/001_orders.sql": ordersV1})
	obj := f.database("orders", nil)
	eventuallyDB(t, obj, readyAt(""))
	ctx := context.Background()
	g := NewWithT(t)

	// Another apply holds the database's lock.
	holder, err := pgx.Connect(ctx, f.url)
	g.Expect(err).NotTo(HaveOccurred())
	defer func() { _ = holder.Close(ctx) }()
	_, err = holder.Exec(ctx, "SELECT pg_catalog.pg_advisory_lock($1)", drift.LockKey)
	g.Expect(err).NotTo(HaveOccurred())

	// Every reason the Ready condition shows from now on.
	var (
		mu      sync.Mutex
		reasons []string
	)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			db := &v1alpha1.Database{}
			if err := testClient.Get(ctx, client.ObjectKeyFromObject(obj), db); err == nil {
				r := conditions.GetReason(db, meta.ReadyCondition)
				mu.Lock()
				if len(reasons) == 0 || reasons[len(reasons)-1] != r {
					reasons = append(reasons, r)
				}
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	// Git adds a column: the agent plans it and waits for the lock.
	f.git.Push(t, f.repo, "main", map[string]string{"db/002_more.sql": "ALTER TABLE orders ADD COLUMN more int;\n"}, "more")
	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetMessage(db, meta.ReconcilingCondition)).To(HavePrefix("applying "))
	})
	// Meanwhile a column is added by hand: under the lock the plan also drops it.
	f.exec(`ALTER TABLE orders ADD COLUMN byhand int`)
	_, err = holder.Exec(ctx, "SELECT pg_catalog.pg_advisory_unlock($1)", drift.LockKey)
	g.Expect(err).NotTo(HaveOccurred())

	eventuallyDB(t, obj, func(g Gomega, db *v1alpha1.Database) {
		g.Expect(conditions.GetReason(db, meta.ReadyCondition)).To(Equal(v1alpha1.DestructiveBlockedReason))
	})
	close(stop)
	<-done
	mu.Lock()
	defer mu.Unlock()
	g.Expect(reasons).To(ContainElement(v1alpha1.PlanChangedReason), "reasons seen: %v", reasons)
	g.Expect(f.query("SELECT count(*)::text FROM information_schema.columns WHERE table_name = 'orders' AND column_name IN ('more', 'byhand')")).To(Equal("1"),
		"nothing of the changed plan was applied")
}
