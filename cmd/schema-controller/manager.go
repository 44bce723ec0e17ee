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

package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fluxcd/pkg/runtime/acl"
	runtimeclient "github.com/fluxcd/pkg/runtime/client"
	"github.com/fluxcd/pkg/runtime/controller"
	"github.com/fluxcd/pkg/runtime/events"
	"github.com/fluxcd/pkg/runtime/jitter"
	"github.com/fluxcd/pkg/runtime/leaderelection"
	"github.com/fluxcd/pkg/runtime/logger"
	"github.com/fluxcd/pkg/runtime/metrics"
	sourcev1 "github.com/fluxcd/source-controller/api/v1"
	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	ctrlcache "sigs.k8s.io/controller-runtime/pkg/cache"
	ctrlclient "sigs.k8s.io/controller-runtime/pkg/client"
	ctrlconfig "sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/drift"
	"github.com/schemactl/schema-controller/notify"
	"github.com/schemactl/schema-controller/reconcile"
	"github.com/schemactl/schema-controller/source"
)

// controllerName is the name of the agent in events, the field manager and
// the leader election lease.
const controllerName = "schema-controller"

// Options is the configuration of the agent, bound to its command-line flags.
// Flag names copy Flux's.
type Options struct {
	// MetricsAddr is where Prometheus metrics are served (/metrics); "0"
	// disables them.
	MetricsAddr string

	// HealthAddr is where /healthz and /readyz are served.
	HealthAddr string

	// EventsAddr is the address of a Flux notification-controller to which
	// events are forwarded as well; empty disables forwarding.
	EventsAddr string

	// ReceiverAddr is where the push webhooks of SchemaRepositories are
	// served (/hook/<namespace>/<name>); empty disables them.
	ReceiverAddr string

	// StorageAddr is where the tarballs of SchemaRepository artifacts are
	// served (/schemarepository/<namespace>/<name>/<hex>.tar.gz), on every
	// replica; empty disables it.
	StorageAddr string

	// StorageAdvAddr is the host[:port] written in status.artifact.url; empty
	// means one derived from StorageAddr (advertisedStorageAddr).
	StorageAdvAddr string

	// Concurrent is the number of objects of one kind reconciled at once.
	Concurrent int

	// StoragePath is the folder of the artifact cache; empty means a folder
	// in the system's temporary directory.
	StoragePath string

	// ClusterName names this cluster in alerts.
	ClusterName string

	// DependencyRequeueInterval is how long a Database waits before looking
	// again at a dependency that is not Ready.
	DependencyRequeueInterval time.Duration
	// GraveyardRetention is --graveyard-retention.
	GraveyardRetention time.Duration

	// MaxConnectionsPerServer is --max-connections-per-server.
	MaxConnectionsPerServer int

	// RuntimeNamespace is the namespace the agent runs in (from the
	// RUNTIME_NAMESPACE environment variable): it holds the leader election
	// lease, and it is the only namespace watched with
	// --watch-all-namespaces=false.
	RuntimeNamespace string

	// Client configures the Kubernetes client (--kube-api-qps, --kube-api-burst).
	Client runtimeclient.Options

	// LeaderElection configures leader election (--enable-leader-election, ...).
	LeaderElection leaderelection.Options

	// Logger configures logging (--log-level, --log-encoding).
	Logger logger.Options

	// Watch configures which objects are watched (--watch-all-namespaces,
	// --watch-label-selector for sharding, --watch-configs-label-selector for
	// the Secrets whose changes reconcile their Databases at once).
	Watch controller.WatchOptions

	// IntervalJitter spreads the requeue of every object by a random
	// percentage of its interval (--interval-jitter-percentage), so that
	// objects with the same interval do not all poll at the same moment.
	IntervalJitter jitter.IntervalOptions

	// ACL configures access between namespaces (--no-cross-namespace-refs).
	ACL acl.Options

	// RateLimiter configures the retry backoff (--min-retry-delay,
	// --max-retry-delay).
	RateLimiter controller.RateLimiterOptions
	// Alerts configures alert delivery (--alert-queue-size, --alert-rate-limit, ...).
	Alerts notify.Options
	// ArtifactSizeLimit bounds the files of one source artifact, in bytes.
	ArtifactSizeLimit int64
	// ArtifactRetention is how many artifacts are kept per source.
	ArtifactRetention int
	// AllowFileURLs lets SchemaRepositories use file:// URLs, which read from the
	// agent's own filesystem; for the demo and tests.
	AllowFileURLs bool
}

// BindFlags binds the options to flags of fs.
func (o *Options) BindFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.MetricsAddr, "metrics-addr", ":8080",
		"The address the metric endpoint binds to.")
	fs.StringVar(&o.HealthAddr, "health-addr", ":9440",
		"The address the health endpoint binds to.")
	fs.StringVar(&o.EventsAddr, "events-addr", "",
		"The address of a Flux notification-controller to forward events to.")
	fs.StringVar(&o.ReceiverAddr, "receiver-addr", "",
		"The address the push webhook of SchemaRepositories (/hook/<namespace>/<name>) binds to; empty disables it.")
	fs.StringVar(&o.StorageAddr, "storage-addr", ":9090",
		"The address the server of the artifacts' tarballs binds to; empty disables it.")
	fs.StringVar(&o.StorageAdvAddr, "storage-adv-addr", "",
		"The advertised address (host[:port]) of the artifacts' server, used in status.artifact.url; defaults to the host of --storage-addr, else the pod's hostname in a cluster (RUNTIME_NAMESPACE set), else localhost, with the port of --storage-addr.")
	fs.IntVar(&o.Concurrent, "concurrent", 4,
		"The number of concurrent reconciles per kind.")
	fs.StringVar(&o.StoragePath, "storage-path", "",
		"The local folder of the artifact cache; defaults to a folder in the temporary directory.")
	fs.StringVar(&o.ClusterName, "cluster-name", "",
		"The name of this cluster, shown in alerts.")
	fs.IntVar(&o.MaxConnectionsPerServer, "max-connections-per-server", 0,
		"The most connections the Database controller holds open to one PostgreSQL server (host:port) at once, whatever the number of its Databases; 0 means --concurrent.")
	fs.DurationVar(&o.GraveyardRetention, "graveyard-retention", drift.DefaultGraveyardRetention,
		"How long the graveyard entries of a database (tables and column values kept by soft drop, in schema schemactl_graveyard) are kept before a reconcile purges them; negative keeps them.")
	fs.DurationVar(&o.DependencyRequeueInterval, "requeue-dependency", 30*time.Second,
		"The interval at which failing dependencies are reevaluated.")
	o.RuntimeNamespace = os.Getenv("RUNTIME_NAMESPACE")

	o.Client.BindFlags(fs)
	o.LeaderElection.BindFlags(fs)
	o.Logger.BindFlags(fs)
	o.Watch.BindFlags(fs)
	o.IntervalJitter.BindFlags(fs)
	o.ACL.BindFlags(fs)
	o.RateLimiter.BindFlags(fs)
	o.Alerts.BindFlags(fs)
	fs.Int64Var(&o.ArtifactSizeLimit, "artifact-size-limit", source.DefaultSizeLimit,
		"The maximum size in bytes of the files of one source artifact; 0 means no limit.")
	fs.IntVar(&o.ArtifactRetention, "artifact-retention", source.DefaultRetain,
		"How many artifacts are kept per source.")
	fs.BoolVar(&o.AllowFileURLs, "allow-file-urls", false,
		"Allow SchemaRepository URLs with file://, which read from the agent's own filesystem (for demos and tests; never in a shared cluster).")
}

// newScheme returns the scheme of the agent: the built-in kinds and ours.
func newScheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		return nil, err
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		return nil, err
	}
	if err := sourcev1.AddToScheme(s); err != nil {
		return nil, err
	}
	return s, nil
}

// metricsRecorder returns the recorder of Flux's standard metrics
// (gotk_reconcile_condition, gotk_reconcile_duration_seconds, ...),
// registered once per process with controller-runtime's registry.
var metricsRecorder = sync.OnceValue(metrics.MustMakeRecorder)

// fluxKindsPollInterval is how often the kinds of Flux's sources that are not
// installed are looked up again, to watch them once installed; tests shorten it.
var fluxKindsPollInterval = time.Minute

// skipControllerNameValidation lets tests run several agents (managers with the
// same controller names) in one process; the agent itself runs one.
var skipControllerNameValidation = false

// newManager returns a manager for cfg configured by opts, with health and
// readiness checks, not started.
func newManager(cfg *rest.Config, opts Options) (ctrl.Manager, error) {
	scheme, err := newScheme()
	if err != nil {
		return nil, err
	}
	watchSelector, err := controller.GetWatchSelector(opts.Watch)
	if err != nil {
		return nil, fmt.Errorf("parsing --watch-label-selector: %w", err)
	}
	// Objects of our kinds are cached only when they match the shard's
	// label selector, so that several agents can split the fleet.
	byObject := map[ctrlclient.Object]ctrlcache.ByObject{}
	for _, obj := range []ctrlclient.Object{&v1alpha1.SchemaRepository{}, &v1alpha1.Database{}, &v1alpha1.AlertProvider{}, &v1alpha1.AlertRule{}, &v1alpha1.DatabaseSet{}} {
		byObject[obj] = ctrlcache.ByObject{Label: watchSelector}
	}
	cacheOpts := ctrlcache.Options{ByObject: byObject}
	if !opts.Watch.AllNamespaces {
		if opts.RuntimeNamespace == "" {
			return nil, errors.New("--watch-all-namespaces=false needs the RUNTIME_NAMESPACE environment variable")
		}
		cacheOpts.DefaultNamespaces = map[string]ctrlcache.Config{opts.RuntimeNamespace: {}}
	}

	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                        scheme,
		Cache:                         cacheOpts,
		Metrics:                       metricsserver.Options{BindAddress: opts.MetricsAddr},
		HealthProbeBindAddress:        opts.HealthAddr,
		LeaderElection:                opts.LeaderElection.Enable,
		LeaderElectionReleaseOnCancel: opts.LeaderElection.ReleaseOnCancel,
		LeaseDuration:                 &opts.LeaderElection.LeaseDuration,
		RenewDeadline:                 &opts.LeaderElection.RenewDeadline,
		RetryPeriod:                   &opts.LeaderElection.RetryPeriod,
		LeaderElectionID:              leaseName(opts),
		LeaderElectionNamespace:       opts.RuntimeNamespace,
		Client: ctrlclient.Options{
			// Secrets are read directly rather than cached: caching would
			// hold every Secret of the cluster in memory.
			Cache: &ctrlclient.CacheOptions{DisableFor: []ctrlclient.Object{&corev1.Secret{}, &corev1.ConfigMap{}}},
		},
		Controller: ctrlconfig.Controller{
			MaxConcurrentReconciles: opts.Concurrent,
			RecoverPanic:            new(true),
			SkipNameValidation:      new(skipControllerNameValidation),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("creating manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("ping", healthz.Ping); err != nil {
		return nil, fmt.Errorf("adding health check: %w", err)
	}
	if err := mgr.AddReadyzCheck("ping", healthz.Ping); err != nil {
		return nil, fmt.Errorf("adding readiness check: %w", err)
	}
	return mgr, nil
}

// leaseName returns the name of the leader election lease. Shards (agents
// with different --watch-label-selector) elect leaders separately.
func leaseName(opts Options) string {
	return leaderelection.GenerateID(controllerName+"-leader-election", opts.Watch.LabelSelector)
}

// reconcilerDeps is what the wiring hands to every reconciler.
type reconcilerDeps struct {
	// EventRecorder records Kubernetes events and forwards them to
	// --events-addr when set.
	EventRecorder events.Recorder

	// Metrics records Flux's standard reconcile metrics.
	Metrics controller.Metrics

	// StoragePath is the folder of the artifact cache.
	StoragePath string

	// Dispatcher delivers events to alert providers.
	Dispatcher *notify.Dispatcher
}

// setupReconcilers registers the reconcilers of reconcile/ with mgr.
//
// This is the one place controllers are added: the SchemaRepository,
// Database, AlertProvider and AlertRule reconcilers each get their
// dependencies from deps and their options from opts, e.g.
//
//	if err := (&reconcile.DatabaseReconciler{...}).SetupWithManager(ctx, mgr, reconcile.DatabaseReconcilerOptions{...}); err != nil {
//		return fmt.Errorf("setting up the Database controller: %w", err)
//	}
func setupReconcilers(ctx context.Context, mgr ctrl.Manager, opts Options, deps reconcilerDeps) error {
	storeOpts := []source.StoreOption{source.WithSizeLimit(opts.ArtifactSizeLimit), source.WithRetain(opts.ArtifactRetention)}
	advAddr := ""
	if opts.StorageAddr != "" {
		storeOpts = append(storeOpts, source.WithTarballs())
		a, err := advertisedStorageAddr(opts)
		if err != nil {
			return err
		}
		advAddr = a
	}
	store, err := source.NewStore(filepath.Join(deps.StoragePath, "schemarepositories"), storeOpts...)
	if err != nil {
		return err
	}
	fluxStore, err := source.NewStore(filepath.Join(deps.StoragePath, "fluxsources"),
		source.WithSizeLimit(opts.ArtifactSizeLimit), source.WithRetain(opts.ArtifactRetention))
	if err != nil {
		return err
	}
	rateLimiter := controller.GetRateLimiter(opts.RateLimiter)
	watchConfigs, err := controller.GetWatchConfigsPredicate(opts.Watch)
	if err != nil {
		return fmt.Errorf("parsing --watch-configs-label-selector: %w", err)
	}
	if err := (&reconcile.SchemaRepositoryReconciler{
		Client:         mgr.GetClient(),
		Recorder:       deps.EventRecorder,
		Metrics:        deps.Metrics,
		Storage:        store,
		ControllerName: controllerName,
		AllowFileURLs:  opts.AllowFileURLs,
		StorageAdvAddr: advAddr,
	}).SetupWithManager(ctx, mgr, reconcile.SchemaRepositoryReconcilerOptions{RateLimiter: rateLimiter}); err != nil {
		return fmt.Errorf("setting up the SchemaRepository controller: %w", err)
	}
	if err := (&reconcile.DatabaseReconciler{
		Client:         mgr.GetClient(),
		Recorder:       deps.EventRecorder,
		Metrics:        deps.Metrics,
		ControllerName: controllerName,
		Artifacts: &reconcile.SchemaRepositoryArtifacts{
			Reader:               mgr.GetClient(),
			Storage:              store,
			NoCrossNamespaceRefs: opts.ACL.NoCrossNamespaceRefs,
		},
		FluxArtifacts: &reconcile.FluxArtifacts{
			Reader:               mgr.GetClient(),
			Storage:              fluxStore,
			NoCrossNamespaceRefs: opts.ACL.NoCrossNamespaceRefs,
			Hostname:             os.Getenv("SOURCE_CONTROLLER_LOCALHOST"),
		},
		Cache:                     &drift.Cache{},
		DefaultScratchURL:         os.Getenv("SCHEMACTL_SCRATCH_URL"),
		NoCrossNamespaceRefs:      opts.ACL.NoCrossNamespaceRefs,
		DependencyRequeueInterval: opts.DependencyRequeueInterval,
		ClusterName:               opts.ClusterName,
		GraveyardRetention:        opts.GraveyardRetention,
	}).SetupWithManager(ctx, mgr, reconcile.DatabaseReconcilerOptions{
		MaxConcurrentReconciles: opts.Concurrent,
		RateLimiter:             rateLimiter,
		WatchConfigsPredicate:   watchConfigs,
		FluxKindsPollInterval:   fluxKindsPollInterval,
		MaxConnectionsPerServer: opts.MaxConnectionsPerServer,
	}); err != nil {
		return fmt.Errorf("setting up the Database controller: %w", err)
	}
	if err := (&reconcile.DatabaseSetReconciler{
		Client:               mgr.GetClient(),
		APIReader:            mgr.GetAPIReader(),
		Recorder:             deps.EventRecorder,
		Metrics:              deps.Metrics,
		ControllerName:       controllerName,
		NoCrossNamespaceRefs: opts.ACL.NoCrossNamespaceRefs,
	}).SetupWithManager(mgr, reconcile.DatabaseSetReconcilerOptions{MaxConcurrentReconciles: opts.Concurrent, RateLimiter: rateLimiter}); err != nil {
		return fmt.Errorf("setting up the DatabaseSet controller: %w", err)
	}
	if opts.StorageAddr != "" {
		h := store.ArchiveHandler(reconcile.ArtifactURLPrefix)
		if err := mgr.Add(&httpServer{name: "storage", addr: opts.StorageAddr, handler: h}); err != nil {
			return fmt.Errorf("adding the artifact server: %w", err)
		}
	}
	if opts.ReceiverAddr != "" {
		mux := http.NewServeMux()
		mux.Handle(reconcile.ReceiverPathPrefix, &reconcile.Receiver{Client: mgr.GetClient()})
		if err := mgr.Add(&httpServer{name: "receiver", addr: opts.ReceiverAddr, handler: mux}); err != nil {
			return fmt.Errorf("adding the webhook receiver: %w", err)
		}
	}
	if err := (&reconcile.AlertProviderReconciler{
		Client:         mgr.GetClient(),
		Recorder:       deps.EventRecorder,
		Metrics:        deps.Metrics,
		ControllerName: controllerName,
		Dispatcher:     deps.Dispatcher,
	}).SetupWithManager(ctx, mgr, reconcile.AlertProviderReconcilerOptions{MaxConcurrentReconciles: opts.Concurrent, RateLimiter: rateLimiter}); err != nil {
		return fmt.Errorf("setting up the AlertProvider controller: %w", err)
	}
	if err := (&reconcile.AlertRuleReconciler{
		Client:               mgr.GetClient(),
		Recorder:             deps.EventRecorder,
		Metrics:              deps.Metrics,
		ControllerName:       controllerName,
		NoCrossNamespaceRefs: opts.ACL.NoCrossNamespaceRefs,
	}).SetupWithManager(ctx, mgr, reconcile.AlertRuleReconcilerOptions{MaxConcurrentReconciles: opts.Concurrent, RateLimiter: rateLimiter}); err != nil {
		return fmt.Errorf("setting up the AlertRule controller: %w", err)
	}
	return nil
}

// run starts the agent against cfg and blocks until ctx is cancelled or the
// manager fails.
func run(ctx context.Context, cfg *rest.Config, opts Options) error {
	log := ctrl.Log.WithName("setup")
	if _, err := controller.GetWatchConfigsPredicate(opts.Watch); err != nil {
		return fmt.Errorf("parsing --watch-configs-label-selector: %w", err)
	}
	if err := opts.IntervalJitter.SetGlobalJitter(nil); err != nil {
		return fmt.Errorf("--interval-jitter-percentage: %w", err)
	}
	mgr, err := newManager(cfg, opts)
	if err != nil {
		return err
	}
	storage := opts.StoragePath
	if storage == "" {
		storage = filepath.Join(os.TempDir(), controllerName)
	}
	if err := os.MkdirAll(storage, 0o700); err != nil {
		return fmt.Errorf("creating the storage folder: %w", err)
	}
	recorder, err := events.NewRecorder(ctrl.Log.WithName("events"), opts.EventsAddr, controllerName, events.WithManager(mgr))
	if err != nil {
		return fmt.Errorf("creating the event recorder: %w", err)
	}
	alertOpts := opts.Alerts
	alertOpts.NoCrossNamespaceRefs = opts.ACL.NoCrossNamespaceRefs
	alertOpts.ReportingController = controllerName
	dispatcher, err := notify.Setup(mgr, alertOpts)
	if err != nil {
		return fmt.Errorf("setting up alerts: %w", err)
	}
	deps := reconcilerDeps{
		EventRecorder: notify.NewRecorder(recorder, dispatcher, opts.ClusterName),
		Dispatcher:    dispatcher,
		Metrics:       controller.NewMetrics(mgr, metricsRecorder(), v1alpha1.Finalizer),
		StoragePath:   storage,
	}
	if err := setupReconcilers(ctx, mgr, opts, deps); err != nil {
		return err
	}
	if scratchURL := os.Getenv("SCHEMACTL_SCRATCH_URL"); scratchURL != "" {
		go cleanupScratch(ctx, scratchURL)
	}
	log.Info("starting manager", "storage", storage, "leaderElection", opts.LeaderElection.Enable)
	err = mgr.Start(ctx)
	// Scratch databases are dropped after their loads return: let the last
	// drops finish (a drop cut short is a leftover the next start cleans up).
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if werr := drift.WaitScratchDrops(wctx); werr != nil {
		log.Info("scratch databases still being dropped at exit; the next start cleans them up")
	}
	return err
}

// cleanupScratch drops, at start-up, the scratch databases and roles that loads
// of a previous run of the agent (killed, its node lost) left on the default
// scratch server: those whose advisory lock no session holds, so loads that other
// replicas or CLIs run meanwhile are left alone. Scratch servers named by a
// Database's spec.scratch are cleaned by the first load there. Failures are logged
// and do not stop the agent.
func cleanupScratch(ctx context.Context, scratchURL string) {
	log := ctrl.Log.WithName("scratch-cleanup")
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	dropped, err := drift.CleanupLeftovers(ctx, scratchURL)
	if len(dropped) > 0 {
		log.Info("dropped leftover scratch databases and roles", "names", dropped)
	}
	if err != nil {
		log.Error(err, "cleaning up leftover scratch databases")
	}
}

// advertisedStorageAddr returns --storage-adv-addr, or, when empty, the host
// of --storage-addr (when it names one) or else the pod's hostname in a
// cluster (RUNTIME_NAMESPACE set) or localhost, with the port of
// --storage-addr, as source-controller derives it.
func advertisedStorageAddr(opts Options) (string, error) {
	if opts.StorageAdvAddr != "" {
		return opts.StorageAdvAddr, nil
	}
	host, port, err := net.SplitHostPort(opts.StorageAddr)
	if err != nil {
		return "", fmt.Errorf("--storage-addr %q: %w", opts.StorageAddr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
		if opts.RuntimeNamespace != "" {
			if host, err = os.Hostname(); err != nil {
				return "", fmt.Errorf("--storage-adv-addr: %w", err)
			}
		}
	}
	return net.JoinHostPort(host, port), nil
}
