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
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	helper "github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/jitter"
	"github.com/fluxcd/pkg/runtime/patch"
	"github.com/fluxcd/pkg/runtime/predicates"
	"github.com/jackc/pgx/v5"
	"github.com/robfig/cron/v3"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/internal/connstr"
	"github.com/schemactl/schema-controller/notify"
)

const (
	databaseSourceIndex = ".metadata.sourceRef"
	databaseSecretIndex = ".metadata.secretRefs"
	// databaseFluxSourceIndex indexes Databases by their Flux source:
	// <kind>/<namespace>/<name>.
	databaseFluxSourceIndex = ".metadata.fluxSourceRef"
)

// DatabaseReconciler keeps each registered database equal to the desired schema of
// its source, or reports its drift.
type DatabaseReconciler struct {
	client.Client
	events.Recorder
	helper.Metrics

	// ControllerName is the field owner of status patches.
	ControllerName string
	// Artifacts gives the current artifact of a source (SchemaRepositoryArtifacts).
	Artifacts ArtifactGetter
	// FluxArtifacts gives the artifact of Flux's sources (GitRepository,
	// OCIRepository, Bucket, ExternalArtifact); nil refuses them as not installed.
	FluxArtifacts *FluxArtifacts
	// Cache holds desired models per (revision, path, server major version).
	Cache *drift.Cache
	// DefaultScratchURL is the server desired SQL is loaded on when a Database names
	// none; empty means the target database's own server.
	DefaultScratchURL string
	// NoCrossNamespaceRefs refuses dependencies in other namespaces (sources in
	// other namespaces are refused by Artifacts).
	NoCrossNamespaceRefs bool
	// DependencyRequeueInterval is how long to wait for a dependency that is not Ready.
	DependencyRequeueInterval time.Duration
	// ClusterName names the cluster in event metadata.
	ClusterName string
	// Now is the clock (for apply windows); nil means time.Now.
	Now func() time.Time
	// GraveyardRetention is how long graveyard entries (what soft drop kept) are
	// kept before a reconcile purges them; 0 means 7 days, negative never.
	GraveyardRetention time.Duration

	// inSync remembers the databases the last full check found in sync
	// (reconcileUnchanged).
	inSync inSyncMemo
	// slots bounds the connections open to each server (serverSlots).
	slots *serverSlots
	// secretURLs keeps the connection URLs read from Secrets (secretURL).
	secretURLs secretURLCache
}

// DatabaseReconcilerOptions configure the controller.
type DatabaseReconcilerOptions struct {
	// MaxConcurrentReconciles is the number of Databases reconciled at once.
	MaxConcurrentReconciles int
	// RateLimiter is the retry backoff of failing reconciles.
	RateLimiter workqueue.TypedRateLimiter[reconcile.Request]
	// WatchConfigsPredicate selects the Secrets whose changes trigger a reconcile
	// of the Databases that use them at once (the agent's
	// --watch-configs-label-selector, as in Flux); nil watches every Secret.
	// Other Secrets are read again at each interval. Only the Secrets' metadata
	// is watched and cached, never their data.
	WatchConfigsPredicate predicate.Predicate
	// FluxKindsPollInterval is how often the kinds of Flux's sources that are not
	// installed are looked up again, to watch them once they are; 0 means a
	// minute.
	FluxKindsPollInterval time.Duration
	// MaxConnectionsPerServer bounds the connections the controller holds open
	// to one PostgreSQL server (host:port) at once, whatever the number of
	// Databases on it; 0 means MaxConcurrentReconciles (no further bound).
	MaxConnectionsPerServer int
}

// SetupWithManager registers the controller: Databases are indexed by source and by
// secret, and reconciled when their spec changes, a reconcile is requested, their
// source's revision changes, or one of their Secrets changes.
func (r *DatabaseReconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager, opts DatabaseReconcilerOptions) error {
	if r.Cache == nil {
		r.Cache = &drift.Cache{}
	}
	r.slots = &serverSlots{size: opts.MaxConnectionsPerServer}
	r.secretURLs.metadata = mgr.GetCache()
	idx := mgr.GetFieldIndexer()
	if err := idx.IndexField(ctx, &v1alpha1.Database{}, databaseSourceIndex, func(o client.Object) []string {
		db := o.(*v1alpha1.Database)
		if db.Spec.SourceRef.IsFlux() {
			return nil
		}
		return []string{db.GetSourceNamespace() + "/" + db.Spec.SourceRef.Name}
	}); err != nil {
		return fmt.Errorf("indexing Databases by source: %w", err)
	}
	if err := idx.IndexField(ctx, &v1alpha1.Database{}, databaseFluxSourceIndex, func(o client.Object) []string {
		db := o.(*v1alpha1.Database)
		if !db.Spec.SourceRef.IsFlux() {
			return nil
		}
		return []string{fluxSourceKey(db.Spec.SourceRef.Kind, db.GetSourceNamespace(), db.Spec.SourceRef.Name)}
	}); err != nil {
		return fmt.Errorf("indexing Databases by Flux source: %w", err)
	}
	if err := idx.IndexField(ctx, &v1alpha1.Database{}, databaseSecretIndex, func(o client.Object) []string {
		db := o.(*v1alpha1.Database)
		keys := []string{db.Namespace + "/" + db.Spec.SecretRef.Name}
		if db.Spec.Scratch != nil {
			keys = append(keys, db.Namespace+"/"+db.Spec.Scratch.SecretRef.Name)
		}
		return keys
	}); err != nil {
		return fmt.Errorf("indexing Databases by secret: %w", err)
	}
	configs := opts.WatchConfigsPredicate
	if configs == nil {
		configs = predicate.NewPredicateFuncs(func(client.Object) bool { return true })
	}
	c, err := ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.Database{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicates.ReconcileRequestedPredicate{}))).
		Watches(&v1alpha1.SchemaRepository{}, handler.EnqueueRequestsFromMapFunc(r.requestsFor(databaseSourceIndex)),
			builder.WithPredicates(SchemaRepositoryRevisionChangePredicate{})).
		WatchesMetadata(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.requestsFor(databaseSecretIndex)),
			builder.WithPredicates(predicate.ResourceVersionChangedPredicate{}, configs)).
		WithOptions(controller.Options{MaxConcurrentReconciles: opts.MaxConcurrentReconciles, RateLimiter: opts.RateLimiter}).
		Build(r)
	if err != nil {
		return err
	}
	interval := opts.FluxKindsPollInterval
	if interval <= 0 {
		interval = time.Minute
	}
	// Flux's sources are watched only once their CRDs are served: a watch of a
	// kind that is not installed would keep the controller from starting.
	return mgr.Add(&fluxSourceWatches{controller: c, cache: mgr.GetCache(), mapper: mgr.GetRESTMapper(), interval: interval,
		handler: func(kind string) handler.EventHandler {
			return handler.EnqueueRequestsFromMapFunc(func(ctx context.Context, o client.Object) []reconcile.Request {
				return r.databasesFor(ctx, databaseFluxSourceIndex, fluxSourceKey(kind, o.GetNamespace(), o.GetName()))
			})
		}})
}

func (r *DatabaseReconciler) requestsFor(index string) handler.MapFunc {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		return r.databasesFor(ctx, index, o.GetNamespace()+"/"+o.GetName())
	}
}

// databasesFor returns a request for each Database whose index holds key.
func (r *DatabaseReconciler) databasesFor(ctx context.Context, index, key string) []reconcile.Request {
	var list v1alpha1.DatabaseList
	if err := r.List(ctx, &list, client.MatchingFields{index: key}); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "listing Databases for a watched object")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, db := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: db.Namespace, Name: db.Name}})
	}
	return reqs
}

var ownedConditions = []string{meta.ReadyCondition, meta.ReconcilingCondition, meta.StalledCondition, v1alpha1.DriftedCondition, v1alpha1.PrivilegedRoleCondition, v1alpha1.AuditUnavailableCondition}

// Reconcile runs the frame (frame.run) with the Database's steps. Deletion only
// removes the finalizer: the agent never drops anything when a Database is
// deleted, it stops managing the database.
func (r *DatabaseReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := &v1alpha1.Database{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	var prevReason, prevMessage string
	if c := conditions.Get(obj, meta.ReadyCondition); c != nil {
		prevReason, prevMessage = c.Reason, c.Message
	}
	f := &frame{Client: r.Client, Recorder: r.Recorder, Metrics: r.Metrics, owner: r.ControllerName, owned: ownedConditions,
		metricConditions: []string{v1alpha1.DriftedCondition}}
	return f.run(ctx, obj, status{&obj.Status.ObservedGeneration, &obj.Status.ReconcileRequestStatus, obj.Spec.Suspend}, steps{
		reconcile: func(ctx context.Context, patcher *patch.SerialPatcher) (ctrl.Result, error) {
			return r.reconcile(ctx, obj, patcher)
		},
		after: func(context.Context) {
			r.connectionEvent(obj, prevReason, prevMessage)
			r.recordMetrics(obj)
		},
	})
}

// recordMetrics records the drift and pending plan gauges of obj, or forgets
// them once it is deleted.
func (r *DatabaseReconciler) recordMetrics(obj *v1alpha1.Database) {
	if !obj.DeletionTimestamp.IsZero() {
		deleteDatabaseMetrics(obj.Namespace, obj.Name)
		r.inSync.forget(types.NamespacedName{Namespace: obj.Namespace, Name: obj.Name})
		r.secretURLs.forget(types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.SecretRef.Name})
		return
	}
	var n, stmts float64
	if obj.Status.Drift != nil {
		n = float64(obj.Status.Drift.Count)
	}
	if obj.Status.Plan != nil {
		stmts = float64(obj.Status.Plan.Statements)
	}
	driftChanges.WithLabelValues(obj.Namespace, obj.Name).Set(n)
	planStatements.WithLabelValues(obj.Namespace, obj.Name).Set(stmts)
	pending := 0.0
	if c := conditions.Get(obj, meta.ReadyCondition); c != nil &&
		(c.Reason == v1alpha1.DestructiveBlockedReason || c.Reason == v1alpha1.FirstRunDestructiveReason) {
		pending = 1
	}
	approvalPending.WithLabelValues(obj.Namespace, obj.Name).Set(pending)
}

// dbRun holds what the steps of one reconcile pass on.
type dbRun struct {
	revision   string
	dir        string
	url        string
	scratchURL string
	conn       *pgx.Conn
	// release frees the connection slot of conn's server (serverSlots).
	release func()
	// fingerprint is the catalog fingerprint read at the start of the pass and
	// identity what the pass compares the database with (reconcileUnchanged);
	// fingerprint is empty when it was not read.
	fingerprint string
	identity    [32]byte
	// counters are the catalog counters read at the start of the pass ("" when
	// the server has none to trust), graveyard the graveyard tables the
	// fingerprint counted.
	counters  string
	graveyard int64
	// opts are the engine options of this pass, built once from the spec
	// (engineOptions): the plan shown in status is made with the options of the
	// plan applied.
	opts       drift.Options
	desired    *drift.Model
	warnings   []drift.Warning
	plan       *drift.ChangePlan
	live       *drift.Model
	approvalID string
	// attribution is who changed each drifted object, from the DDL audit
	// (database_audit.go); nil without it.
	attribution map[string]drift.Attribution
	// migrations is the status of a Migrations folder after its apply (for the
	// drift report's "last touched by"); nil for format Declarative.
	migrations *drift.MigrationStatus
	// done ends the pass early without an error (reconcileMigrations blocked or
	// outside the apply window): the status says why.
	done bool
}

func (r *DatabaseReconciler) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// reconcile runs the steps in order; the first error or wait stops the chain.
func (r *DatabaseReconciler) reconcile(ctx context.Context, obj *v1alpha1.Database, patcher *patch.SerialPatcher) (ctrl.Result, error) {
	timeout := obj.GetTimeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	run := &dbRun{}
	defer run.closeConn(ctx)
	desired := r.reconcileDesired
	if obj.GetFormat() == v1alpha1.FormatMigrations {
		desired = r.reconcileMigrations
	}
	for _, step := range []func(context.Context, *v1alpha1.Database, *dbRun) error{
		r.reconcileSource,
		r.reconcileDependencies,
		r.reconcileCredentials,
		r.reconcileConnect,
		r.reconcileUnchanged,
		desired,
		r.reconcilePrivileges,
		r.reconcileAudit,
		r.reconcileGraveyard,
		r.reconcileDiff,
	} {
		if err := step(ctx, obj, run); err != nil {
			return ctrl.Result{}, err
		}
		if run.done {
			return ctrl.Result{RequeueAfter: r.requeueAfter(obj)}, nil
		}
	}
	if err := r.reconcileDecide(ctx, obj, run, patcher); err != nil {
		return ctrl.Result{}, err
	}
	return ctrl.Result{RequeueAfter: r.requeueAfter(obj)}, nil
}

func (r *DatabaseReconciler) requeueAfter(obj *v1alpha1.Database) time.Duration {
	d := jitter.JitteredIntervalDuration(obj.GetRequeueAfter())
	if w := obj.Spec.ApplyWindow; w != nil && conditions.IsFalse(obj, meta.ReadyCondition) {
		if open, next, err := windowState(w, r.now()); err == nil && !open && next.Sub(r.now()) < d {
			d = next.Sub(r.now()) + time.Second
		}
	}
	return d
}

// reconcileSource resolves the source's current artifact and the schema folder in it.
// It returns a wait (SourceNotReady) while the source has no artifact, a wait
// (SourceKindNotInstalled) while the kind of Flux's source it names is not served, a
// transient error for a Flux artifact that cannot be fetched (ArtifactFailed) or is
// not what its source announced (ArtifactDigestMismatch), and stalls on a
// cross-namespace reference that is not allowed (refused by Artifacts and
// FluxArtifacts, the one place that checks it for sources) or a path outside the
// artifact.
func (r *DatabaseReconciler) reconcileSource(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	ns := obj.GetSourceNamespace()
	var (
		art *SourceArtifact
		err error
	)
	pin := obj.Spec.SourceRevision
	switch ref := obj.Spec.SourceRef; {
	case ref.IsFlux() && r.FluxArtifacts == nil:
		err = fmt.Errorf("%w: this agent does not read Flux's sources", ErrSourceKindNotInstalled)
	case ref.IsFlux() && pin != "":
		art, err = r.FluxArtifacts.GetFluxArtifactRevision(ctx, obj.Namespace, ref, pin)
	case ref.IsFlux():
		art, err = r.FluxArtifacts.GetFluxArtifact(ctx, obj.Namespace, ref)
	default:
		key := types.NamespacedName{Namespace: ns, Name: ref.Name}
		art, err = r.Artifacts.GetArtifact(ctx, obj.Namespace, key)
		if err == nil && pin != "" && art.Revision != pin {
			art, err = r.Artifacts.GetArtifactRevision(ctx, obj.Namespace, key, pin)
		}
	}
	if err != nil {
		return sourceError(err, obj.GetRetryInterval())
	}
	dir := art.Path
	path := filepath.Clean(filepath.Join(dir, filepath.FromSlash(obj.Spec.Path)))
	if path != dir && !strings.HasPrefix(path, dir+string(filepath.Separator)) {
		return stall(v1alpha1.InvalidPathReason, "path %q points outside the source artifact", obj.Spec.Path)
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		return stall(v1alpha1.InvalidPathReason, "path %q does not exist in revision %s", obj.Spec.Path, art.Revision)
	}
	run.revision, run.dir = art.Revision, path
	obj.Status.LastAttemptedRevision = run.revision
	return nil
}

// reconcileDependencies waits (DependencyNotReady) until every Database of dependsOn is
// Ready for its current generation.
func (r *DatabaseReconciler) reconcileDependencies(ctx context.Context, obj *v1alpha1.Database, _ *dbRun) error {
	for _, d := range obj.Spec.DependsOn {
		ns := d.Namespace
		if ns == "" {
			ns = obj.Namespace
		}
		if r.NoCrossNamespaceRefs && ns != obj.Namespace {
			return stall(v1alpha1.CrossNamespaceRefBlockedReason, "cross-namespace dependency on %s/%s is not allowed", ns, d.Name)
		}
		dep := &v1alpha1.Database{}
		msg := ""
		if err := r.Get(ctx, types.NamespacedName{Namespace: ns, Name: d.Name}, dep); err != nil {
			if !apierrors.IsNotFound(err) {
				return transient(v1alpha1.DependencyNotReadyReason, err)
			}
			msg = fmt.Sprintf("dependency %s/%s not found", ns, d.Name)
		} else if dep.Generation != dep.Status.ObservedGeneration || !conditions.IsReady(dep) {
			msg = fmt.Sprintf("dependency %s/%s is not ready", ns, d.Name)
		}
		if msg != "" {
			after := r.DependencyRequeueInterval
			if after <= 0 {
				after = 30 * time.Second
			}
			return &waiting{reason: v1alpha1.DependencyNotReadyReason, message: msg, after: after}
		}
	}
	return nil
}

// reconcileCredentials reads the connection Secrets. Missing Secrets or keys stall:
// the user must fix them (a change of the Secret triggers a reconcile).
func (r *DatabaseReconciler) reconcileCredentials(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	u, err := r.secretURL(ctx, obj.Namespace, obj.Spec.SecretRef.Name)
	if err != nil {
		return err
	}
	run.url = u
	switch {
	case obj.Spec.Scratch != nil:
		s, err := r.secretURL(ctx, obj.Namespace, obj.Spec.Scratch.SecretRef.Name)
		if err != nil {
			return err
		}
		run.scratchURL = s
	case r.DefaultScratchURL != "":
		run.scratchURL = r.DefaultScratchURL
	default:
		run.scratchURL = u
	}
	return nil
}

// secretURL reads the connection URL of a Secret. Secrets' data is not cached
// (only their metadata is watched): the URL read is kept in memory with the
// Secret's resourceVersion, and used again while the metadata cache shows that
// version, so that a pass at the interval makes no request to the API server for
// it (the agent's client is rate-limited, --kube-api-qps).
func (r *DatabaseReconciler) secretURL(ctx context.Context, namespace, name string) (string, error) {
	key := types.NamespacedName{Namespace: namespace, Name: name}
	if u, ok := r.secretURLs.get(ctx, key); ok {
		return u, nil
	}
	sec := &corev1.Secret{}
	if err := r.Get(ctx, key, sec); err != nil {
		if apierrors.IsNotFound(err) {
			return "", stall(v1alpha1.InvalidSecretReason, "secret %s/%s not found", namespace, name)
		}
		return "", transient(v1alpha1.InvalidSecretReason, fmt.Errorf("getting secret %s/%s: %w", namespace, name, err))
	}
	u, err := ConnectionURL(sec.Data)
	if err != nil {
		return "", stall(v1alpha1.InvalidSecretReason, "secret %s/%s: %v", namespace, name, err)
	}
	r.secretURLs.set(key, sec.ResourceVersion, u)
	return u, nil
}

// ConnectionURL builds a PostgreSQL URL from Secret data: the `url` key (or `uri`,
// as CloudNativePG's app and superuser Secrets have it), or `host`, `port`, `user`
// (or `username`), `password`, `dbname` and `sslmode` (percent-encoded by
// connstr.Build, so the password may hold any character). Errors never show the
// password.
func ConnectionURL(data map[string][]byte) (string, error) {
	for _, key := range []string{"url", "uri"} {
		if u := strings.TrimSpace(string(data[key])); u != "" {
			if _, err := connstr.Parse(u); err != nil {
				return "", fmt.Errorf("key '%s': %w", key, err)
			}
			return u, nil
		}
	}
	host := strings.TrimSpace(string(data["host"]))
	if host == "" {
		return "", errors.New("needs key 'url' (or 'uri'), or 'host' (with optional port, user or username, password, dbname, sslmode)")
	}
	user := string(data["user"])
	if user == "" {
		user = string(data["username"])
	}
	pw, hasPW := data["password"]
	u, err := connstr.Build(connstr.Parts{
		Host:        host,
		Port:        strings.TrimSpace(string(data["port"])),
		User:        user,
		Password:    string(pw),
		HasPassword: hasPW,
		Database:    string(data["dbname"]),
		SSLMode:     string(data["sslmode"]),
	})
	if err != nil {
		return "", fmt.Errorf("key 'port': %w", err)
	}
	if _, err := connstr.Parse(u); err != nil {
		return "", fmt.Errorf("keys host, port, user, password, dbname, sslmode: %w", err)
	}
	return u, nil
}

// reconcileConnect connects to the database, within the connection slots of its
// server (serverSlots). A database that cannot be reached is a transient error
// (ConnectionFailed).
func (r *DatabaseReconciler) reconcileConnect(ctx context.Context, _ *v1alpha1.Database, run *dbRun) error {
	return r.connect(ctx, run)
}

// reconcileDesired gets the desired model from the cache, loading the revision's SQL
// into a scratch database on a miss. Invalid SQL stalls with file:line.
func (r *DatabaseReconciler) reconcileDesired(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	conn := run.conn
	started := time.Now()
	defer func() { passPhase.WithLabelValues("desired").Observe(time.Since(started).Seconds()) }()
	run.opts = engineOptions(obj, run)
	// Untrusted extensions may be loaded when spec.allowedExtensions names them or
	// the target already has them; the cache derives its key from the target.
	desired, warnings, loaded, err := r.Cache.Desired(ctx, conn, drift.DesiredSource{Revision: run.revision, Path: obj.Spec.Path, Dir: run.dir}, run.opts)
	if loaded {
		desiredLoads.Inc()
	}
	if err != nil {
		if drift.IsInvalidSQL(err) {
			return stall(v1alpha1.InvalidSQLReason, "revision %s: %v%s", run.revision, err, extensionHint(err))
		}
		// Not the SQL's fault: the scratch server is down or failed during the
		// load. Retried with backoff; the database is left as it is.
		reason := v1alpha1.LoadFailedReason
		var unreachable *connstr.Error
		if errors.As(err, &unreachable) {
			reason = v1alpha1.ScratchUnavailableReason
		}
		return transient(reason, fmt.Errorf("loading desired schema of %s: %w", run.revision, err))
	}
	run.desired, run.warnings = desired, warnings
	return nil
}

// engineOptions are the engine options of obj, built once per pass from the spec
// and the resolved source and credentials. AllowDestructive is decided per plan
// (reconcileDecide).
func engineOptions(obj *v1alpha1.Database, run *dbRun) drift.Options {
	return drift.Options{
		URL:               run.url,
		ScratchURL:        run.scratchURL,
		Dir:               run.dir,
		Schemas:           obj.Spec.Schemas,
		Exclude:           obj.Spec.Exclude,
		ManagePrivileges:  obj.Spec.ManagePrivileges,
		AllowedExtensions: obj.Spec.AllowedExtensions,
		SoftDrop:          obj.Spec.SoftDrop,
		// The scratch admin completes these superuser-only statements of the
		// desired SQL (spec.scratchTrustedStatements); the cache keys on them.
		ScratchTrustedStatements: obj.Spec.ScratchTrustedStatements,
		LockTimeout:              obj.GetLockTimeout(),
		Source:                   fmt.Sprintf("%s/%s %s", obj.Namespace, obj.Name, run.revision),
		// The agent runs on: a scratch database is dropped after the load
		// returns (PostgreSQL 15 checkpoints for each drop), and the manager
		// waits for the drops when it stops.
		DropScratchInBackground: true,
	}
}

// reconcilePrivileges reads what the role the database is applied as may do beyond
// owning its schemas (drift.TargetPrivileges). It sets PrivilegedRole=True with
// the privileges while there are any and removes it otherwise; it emits one
// DangerousPrivileges Warning event when the condition appears or its message
// changes. The status carries the state, so the event is not repeated every
// interval, nor after a restart or a change of leader. A failed read is
// transient.
func (r *DatabaseReconciler) reconcilePrivileges(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	privs, err := drift.TargetPrivileges(ctx, run.conn)
	if err != nil {
		return transient(v1alpha1.InspectFailedReason, err)
	}
	msg := privs.Warning()
	if msg == "" {
		conditions.Delete(obj, v1alpha1.PrivilegedRoleCondition)
		return nil
	}
	if old := conditions.Get(obj, v1alpha1.PrivilegedRoleCondition); old == nil || old.Status != metav1.ConditionTrue || old.Message != msg {
		r.event(obj, run, corev1.EventTypeWarning, v1alpha1.DangerousPrivilegesReason, msg, nil)
	}
	conditions.MarkTrue(obj, v1alpha1.PrivilegedRoleCondition, v1alpha1.DangerousPrivilegesReason, "%s", msg)
	return nil
}

// reconcileDiff inspects the live database and plans. It sets nothing; the decision
// is made by reconcileDecide.
func (r *DatabaseReconciler) reconcileDiff(ctx context.Context, obj *v1alpha1.Database, run *dbRun) error {
	// The plan shown in status is the plan applied: same options, lock timeout included.
	started := time.Now()
	p, live, err := drift.DiffModel(ctx, run.conn, run.desired, run.opts)
	passPhase.WithLabelValues("inspect").Observe(time.Since(started).Seconds())
	if err != nil {
		if drift.IsExtensionRefused(err) {
			return stall(v1alpha1.PlanFailedReason, "revision %s: %v%s", run.revision, err, extensionHint(err))
		}
		return transient(v1alpha1.InspectFailedReason, err)
	}
	run.plan, run.live = p, live
	run.approvalID = drift.ApprovalID(p, live)
	return nil
}

// reconcileDecide records the drift report and the pending plan, then applies, reports or
// blocks. It sets Ready, Drifted and Reconciling; it emits DriftDetected,
// DriftCorrected, Applied, ApplyFailed, DestructiveBlocked and ApprovalApplied.
func (r *DatabaseReconciler) reconcileDecide(ctx context.Context, obj *v1alpha1.Database, run *dbRun, patcher *patch.SerialPatcher) error {
	p := run.plan
	applied := obj.Status.LastAppliedRevision
	isDrift := applied != "" && applied == run.revision
	// Read before this pass changes the status: was this very plan already
	// reported as blocked (then its event is not repeated every interval)?
	alreadyBlocked := hasBlockedEvent(obj, run.approvalID)
	if p.Empty() {
		obj.Status.Plan = nil
		if conditions.IsTrue(obj, v1alpha1.DriftedCondition) {
			conditions.Delete(obj, v1alpha1.DriftedCondition)
		}
		obj.Status.Drift = nil
		if obj.Status.LastAppliedRevision != run.revision {
			// The database already holds the new revision's schema.
			obj.Status.LastAppliedRevision = run.revision
		}
		msg := "in sync with revision " + run.revision
		if len(p.Notes) > 0 {
			msg += fmt.Sprintf("; %d note(s): %s", len(p.Notes), summarize(p.Notes, 3))
		}
		conditions.MarkTrue(obj, meta.ReadyCondition, v1alpha1.InSyncReason, "%s", msg)
		r.recordInSync(obj, run)
		return nil
	}
	r.recordPlan(obj, run)
	if isDrift {
		r.recordDrift(ctx, obj, run)
		r.recordAdopt(ctx, obj, run)
	} else {
		conditions.Delete(obj, v1alpha1.DriftedCondition)
		obj.Status.Drift = nil
	}
	if len(p.Blocked) > 0 {
		msg := fmt.Sprintf("%d difference(s) cannot be planned: %s", len(p.Blocked), summarize(p.Blocked, 3))
		conditions.MarkFalse(obj, meta.ReadyCondition, v1alpha1.PlanFailedReason, "%s", msg)
		return nil
	}
	if obj.GetDriftPolicy() == v1alpha1.DriftPolicyReport {
		reason := v1alpha1.DriftReportedReason
		msg := fmt.Sprintf("%d change(s) pending for revision %s; driftPolicy Report: not applied", len(p.Changes), run.revision)
		if isDrift {
			msg = fmt.Sprintf("drift: %d change(s); driftPolicy Report: not corrected", len(p.Changes))
		}
		conditions.MarkFalse(obj, meta.ReadyCondition, reason, "%s", msg)
		return nil
	}
	firstRun := obj.Status.LastAppliedRevision == ""
	approved := obj.Spec.ApprovedPlan != "" && obj.Spec.ApprovedPlan == run.approvalID
	if p.Destructive() && !approved && (firstRun || !obj.Spec.AllowDestructive) {
		reason := v1alpha1.DestructiveBlockedReason
		why := "it has destructive statements and allowDestructive is false"
		if firstRun {
			reason = v1alpha1.FirstRunDestructiveReason
			why = "this is the first reconcile of the database (adoption) and it would drop objects that exist only in the database"
		}
		msg := fmt.Sprintf("plan %s is blocked: %s; resolve it in Git or approve it: %s", run.approvalID, why, approveCommand(obj, run.approvalID))
		conditions.MarkFalse(obj, meta.ReadyCondition, reason, "%s", msg)
		if !alreadyBlocked {
			r.event(obj, run, corev1.EventTypeWarning, reason, msg, map[string]string{
				v1alpha1.ApproveCommandAnnotation: approveCommand(obj, run.approvalID),
				v1alpha1.HazardsAnnotation:        strings.Join(obj.Status.Plan.Hazards, ","),
			})
		}
		obj.Status.Plan.Destructive = true
		return nil
	}
	if w := obj.Spec.ApplyWindow; w != nil {
		open, next, err := windowState(w, r.now())
		if err != nil {
			return stall(v1alpha1.InvalidApplyWindowReason, "applyWindow: %v", err)
		}
		if !open {
			msg := fmt.Sprintf("%d change(s) pending; outside the apply window, next window opens at %s", len(p.Statements), next.UTC().Format(time.RFC3339))
			conditions.MarkFalse(obj, meta.ReadyCondition, v1alpha1.OutsideApplyWindowReason, "%s", msg)
			return nil
		}
	}
	return r.apply(ctx, obj, run, patcher, isDrift, approved)
}

func hasBlockedEvent(obj *v1alpha1.Database, id string) bool {
	c := conditions.Get(obj, meta.ReadyCondition)
	return c != nil && strings.Contains(c.Message, id) && (c.Reason == v1alpha1.DestructiveBlockedReason || c.Reason == v1alpha1.FirstRunDestructiveReason)
}

func approveCommand(obj *v1alpha1.Database, id string) string {
	return fmt.Sprintf("schemactl approve database %s -n %s --plan %s", obj.Name, obj.Namespace, id)
}

func summarize(ds []drift.Difference, n int) string {
	var parts []string
	for i, d := range ds {
		if i == n {
			parts = append(parts, fmt.Sprintf("… and %d more", len(ds)-n))
			break
		}
		parts = append(parts, d.Object+": "+strings.SplitN(d.Change, "\n", 2)[0])
	}
	return strings.Join(parts, "; ")
}

func (r *DatabaseReconciler) recordPlan(obj *v1alpha1.Database, run *dbRun) {
	p := run.plan
	pp := &v1alpha1.PendingPlan{ID: run.approvalID, Revision: run.revision, Statements: count32(len(p.Statements)), Destructive: p.Destructive()}
	for _, h := range p.Hazards() {
		if len(pp.Hazards) < v1alpha1.MaxPlanHazards {
			pp.Hazards = append(pp.Hazards, string(h))
		}
	}
	for i, s := range p.Statements {
		// At most MaxPlanSQL items, the last saying how many more there are (the
		// CRD refuses the whole status otherwise).
		if i == v1alpha1.MaxPlanSQL-1 && len(p.Statements) > v1alpha1.MaxPlanSQL {
			pp.SQL = append(pp.SQL, fmt.Sprintf("-- … and %d more statement(s)", len(p.Statements)-i))
			break
		}
		sql := "-- " + s.Notes() + "\n" + s.SQL
		if len(s.Hazards) > 0 {
			hs := make([]string, len(s.Hazards))
			for j, h := range s.Hazards {
				hs[j] = string(h)
			}
			sql = "-- hazards: " + strings.Join(hs, ", ") + "\n" + sql
		}
		pp.SQL = append(pp.SQL, sql)
	}
	obj.Status.Plan = pp
}

// recordDrift writes the per-object drift report and emits DriftDetected when the
// report is new or changed.
func (r *DatabaseReconciler) recordDrift(ctx context.Context, obj *v1alpha1.Database, run *dbRun) {
	changes := run.plan.Changes
	r.attribute(ctx, run)
	report := &v1alpha1.DriftReport{DetectedAt: metav1.NewTime(r.now()), Count: count32(len(changes))}
	for i, c := range changes {
		if i == v1alpha1.MaxDriftChanges {
			break
		}
		change := c.Change
		if run.migrations != nil {
			if m := drift.MigrationTouchedBy(run.migrations, c.Object); m != "" {
				change += " (last touched by " + m + ")"
			}
		}
		report.Changes = append(report.Changes, v1alpha1.DriftChange{Object: c.Object, Change: change, Attribution: attribution(run, c.Object)})
	}
	for i, n := range run.plan.Notes {
		if i == v1alpha1.MaxDriftChanges {
			break
		}
		report.Notes = append(report.Notes, v1alpha1.DriftChange{Object: n.Object, Change: n.Change})
	}
	old := obj.Status.Drift
	same := old != nil && old.Count == report.Count && equalChanges(old.Changes, report.Changes)
	if same {
		report.DetectedAt = old.DetectedAt
	}
	obj.Status.Drift = report
	conditions.MarkTrue(obj, v1alpha1.DriftedCondition, v1alpha1.DriftDetectedReason, "%d change(s) made outside Git since revision %s was applied", len(changes), run.revision)
	if !same {
		r.event(obj, run, corev1.EventTypeWarning, v1alpha1.DriftDetectedReason,
			fmt.Sprintf("drift detected: %d change(s) made outside Git: %s", len(changes), attributedSummary(run, changes, 5)),
			notify.DriftAnnotations(report))
	}
}

func equalChanges(a, b []v1alpha1.DriftChange) bool {
	if len(a) != len(b) {
		return false
	}
	// The drift is the same when the same objects differ the same way; who made
	// it is read again each time and does not make it new.
	for i := range a {
		if a[i].Object != b[i].Object || a[i].Change != b[i].Change {
			return false
		}
	}
	return true
}

// apply executes the plan under the database's advisory lock (re-planned under the
// lock), verifies, and records the outcome.
func (r *DatabaseReconciler) apply(ctx context.Context, obj *v1alpha1.Database, run *dbRun, patcher *patch.SerialPatcher, isDrift, approved bool) error {
	conditions.MarkReconciling(obj, meta.ProgressingReason, "applying %d statement(s) of revision %s", len(run.plan.Statements), run.revision)
	if err := patcher.Patch(ctx, obj, patch.WithOwnedConditions{Conditions: ownedConditions}, patch.WithFieldOwner(r.ControllerName)); err != nil {
		return transient(meta.ProgressingReason, err)
	}
	// The plan is pinned by its id: under the lock the engine runs this very plan or
	// none, so allowing its destructive statements allows nothing else.
	opts := run.opts
	opts.AllowDestructive = approved || (obj.Spec.AllowDestructive && obj.Status.LastAppliedRevision != "")
	// Real time, not r.now (a test's clock for apply windows).
	started := time.Now()
	res, err := drift.ApplyModel(ctx, run.conn, run.desired, opts, run.approvalID)
	applyDuration.WithLabelValues(obj.Namespace, obj.Name).Observe(time.Since(started).Seconds())
	if drift.IsPlanChanged(err) {
		// The database moved between planning and taking the lock: plan again soon.
		return &waiting{reason: v1alpha1.PlanChangedReason, message: "the database changed while planning; planning again", after: time.Second}
	}
	if err != nil {
		applies.WithLabelValues(obj.Namespace, obj.Name, "failure").Inc()
		msg := fmt.Sprintf("applying revision %s failed: %v", run.revision, err)
		if failed := drift.AsApplyError(err); failed != nil {
			msg = applyFailure(run.revision, failed)
		}
		r.event(obj, run, corev1.EventTypeWarning, v1alpha1.ApplyFailedReason, msg, nil)
		return transient(v1alpha1.ApplyFailedReason, errors.New(msg))
	}
	applies.WithLabelValues(obj.Namespace, obj.Name, "success").Inc()
	n := 0
	if res.Plan != nil {
		n = len(res.Plan.Statements)
	}
	// The plan executed is the plan made under the lock; its id is the one
	// schemactl.apply_log records.
	obj.Status.LastApplied = &v1alpha1.AppliedPlan{PlanID: res.ApprovalID, Revision: run.revision, At: metav1.NewTime(r.now()),
		Duration: &metav1.Duration{Duration: res.Duration}, Statements: int32(n)}
	obj.Status.LastAppliedRevision = run.revision
	obj.Status.Plan = nil
	ann := map[string]string{v1alpha1.StatementsAnnotation: strconv.Itoa(n)}
	switch {
	case approved:
		r.event(obj, run, corev1.EventTypeNormal, v1alpha1.ApprovalAppliedReason, fmt.Sprintf("approved plan %s applied: %d statement(s)", run.approvalID, n), ann)
	case isDrift:
		r.event(obj, run, corev1.EventTypeNormal, v1alpha1.DriftCorrectedReason, fmt.Sprintf("drift corrected: %d statement(s) applied", n), ann)
	default:
		r.event(obj, run, corev1.EventTypeNormal, v1alpha1.AppliedReason, fmt.Sprintf("revision %s applied: %d statement(s)", run.revision, n), ann)
	}
	conditions.Delete(obj, v1alpha1.DriftedCondition)
	obj.Status.Drift = nil
	conditions.MarkTrue(obj, meta.ReadyCondition, v1alpha1.AppliedReason, "applied revision %s", run.revision)
	return nil
}

// connectionEvent emits a Warning event (and so an alert) when the database
// cannot be reached or its Secret cannot be used, once per new message: the
// retries of the same failure repeat nothing. Messages never hold a password
// (internal/connstr).
func (r *DatabaseReconciler) connectionEvent(obj *v1alpha1.Database, prevReason, prevMessage string) {
	c := conditions.Get(obj, meta.ReadyCondition)
	if r.Recorder == nil || c == nil || c.Status != metav1.ConditionFalse ||
		(c.Reason != v1alpha1.ConnectionFailedReason && c.Reason != v1alpha1.InvalidSecretReason) ||
		(c.Reason == prevReason && c.Message == prevMessage) {
		return
	}
	r.AnnotatedEventf(obj, nil, nil, corev1.EventTypeWarning, c.Reason, "Reconcile", "%s", c.Message)
}

func (r *DatabaseReconciler) event(obj *v1alpha1.Database, run *dbRun, eventType, reason, msg string, extra map[string]string) {
	if r.Recorder == nil {
		return
	}
	ann := map[string]string{v1alpha1.RevisionAnnotation: run.revision}
	if run.plan != nil {
		ann[v1alpha1.PlanIDAnnotation] = run.approvalID
	}
	for k, v := range extra {
		ann[k] = v
	}
	r.AnnotatedEventf(obj, nil, ann, eventType, reason, "Reconcile", "%s", msg)
}

// windowState tells whether now is inside an apply window, and when the next opens.
// The window is open when the schedule fired within the last duration.
func windowState(w *v1alpha1.ApplyWindow, now time.Time) (open bool, next time.Time, err error) {
	spec := w.Schedule
	if w.TimeZone != "" {
		if _, err := time.LoadLocation(w.TimeZone); err != nil {
			return false, time.Time{}, fmt.Errorf("unknown time zone %q", w.TimeZone)
		}
		spec = "CRON_TZ=" + w.TimeZone + " " + spec
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return false, time.Time{}, fmt.Errorf("invalid schedule %q: %w", w.Schedule, err)
	}
	if fired := sched.Next(now.Add(-w.Duration.Duration)); !fired.After(now) {
		return true, fired, nil
	}
	return false, sched.Next(now), nil
}

// count32 converts a count to the int32 of the API's status fields, saturating
// instead of wrapping around (a plan never has 2^31 statements, but a wrapped count
// would be a negative number in status).
func count32(n int) int32 {
	if n < 0 {
		return 0
	}
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return int32(n)
}

// extensionHint tells how to allow the extensions err refuses as not trusted
// (drift.ExtensionNotAllowedError), as a sentence to append, or returns "".
func extensionHint(err error) string {
	exts := drift.ExtensionsNotAllowed(err)
	if len(exts) == 0 {
		return ""
	}
	names := make([]string, len(exts))
	for i, e := range exts {
		names[i] = e.Name
	}
	it := "it"
	if len(exts) > 1 {
		it = "them"
	}
	return "; allow " + strings.Join(names, ", ") + " in spec.allowedExtensions, or install " + it + " in the target database first"
}
