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
	"errors"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"github.com/spf13/pflag"
	"golang.org/x/time/rate"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"
)

// Options configures a Dispatcher. Zero fields take the defaults below.
type Options struct {
	// QueueSize is the number of events waiting to be matched; an event
	// recorded while the queue is full is dropped, counted in
	// schemactl_alert_events_dropped_total and logged. Default 1000.
	QueueSize int

	// ProviderQueueSize is the number of messages waiting for one
	// AlertProvider; a message that does not fit is dropped and counted as
	// a delivery with result dropped. Default 100.
	ProviderQueueSize int

	// RateLimit is the number of messages per second sent to one
	// AlertProvider; messages over it wait in the provider's queue.
	// Default 1 (Slack's limit for a webhook).
	RateLimit float64

	// RateBurst is the number of messages sent to one AlertProvider at once
	// before RateLimit applies. Default 5.
	RateBurst int

	// Retries is the number of retries of a delivery that failed with a
	// network error, a timeout, 429 or a 5xx answer. Default (0) 4; a
	// negative value turns retries off.
	Retries int

	// RetryMinDelay is the delay before the first retry; it doubles at each
	// retry up to RetryMaxDelay. Default 2s.
	RetryMinDelay time.Duration

	// RetryMaxDelay bounds the delay between retries. Default 30s.
	RetryMaxDelay time.Duration

	// RepeatWindow is how long an identical event without a drift
	// fingerprint (same reason, message and metadata) on the same object is
	// sent only once per AlertRule. Events with a drift fingerprint are sent
	// once for as long as the fingerprint stays the same. Default 1h.
	RepeatWindow time.Duration

	// NoCrossNamespaceRefs ignores event sources of an AlertRule in another
	// namespace than the rule's (--no-cross-namespace-refs).
	NoCrossNamespaceRefs bool

	// ReportingController is the reportingController of generic payloads.
	// Default schema-controller.
	ReportingController string

	// Logger logs drops and failed deliveries. Default ctrl.Log named
	// "notify".
	Logger *logr.Logger
}

// BindFlags binds the tunables of o to flags of fs.
func (o *Options) BindFlags(fs *pflag.FlagSet) {
	fs.IntVar(&o.QueueSize, "alert-queue-size", 1000,
		"The number of events waiting to be sent to alert providers; events beyond it are dropped.")
	fs.Float64Var(&o.RateLimit, "alert-rate-limit", 1,
		"The number of messages per second sent to one alert provider.")
	fs.IntVar(&o.RateBurst, "alert-rate-burst", 5,
		"The number of messages sent to one alert provider at once before the rate limit applies.")
	fs.IntVar(&o.Retries, "alert-retries", 4,
		"The number of retries of a failed alert delivery, with exponential backoff.")
}

func (o *Options) defaults() {
	if o.QueueSize <= 0 {
		o.QueueSize = 1000
	}
	if o.ProviderQueueSize <= 0 {
		o.ProviderQueueSize = 100
	}
	if o.RateLimit <= 0 {
		o.RateLimit = 1
	}
	if o.RateBurst <= 0 {
		o.RateBurst = 5
	}
	switch {
	case o.Retries == 0:
		o.Retries = 4
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.RetryMinDelay <= 0 {
		o.RetryMinDelay = 2 * time.Second
	}
	if o.RetryMaxDelay < o.RetryMinDelay {
		o.RetryMaxDelay = max(30*time.Second, o.RetryMinDelay)
	}
	if o.RepeatWindow <= 0 {
		o.RepeatWindow = time.Hour
	}
	if o.ReportingController == "" {
		o.ReportingController = "schema-controller"
	}
}

// senderIdleTimeout is how long the goroutine of a provider without messages
// lives on.
const senderIdleTimeout = 5 * time.Minute

// Dispatcher sends events to alert providers. Enqueue puts an event on a
// bounded queue and returns at once; Start runs the workers that match
// queued events against AlertRules and deliver them, one goroutine per
// AlertProvider, so that a slow or failing receiver holds up only its own
// messages.
type Dispatcher struct {
	client client.Reader
	scheme *runtime.Scheme
	opts   Options
	log    logr.Logger

	queue   chan *Event
	dedup   *dedup
	regexps regexpCache

	once sync.Once

	mu      sync.Mutex
	senders map[types.NamespacedName]*sender
	wg      sync.WaitGroup
}

var _ manager.Runnable = (*Dispatcher)(nil)
var _ manager.LeaderElectionRunnable = (*Dispatcher)(nil)

// NewDispatcher returns a Dispatcher that reads AlertRules, AlertProviders
// and their Secrets through c (a manager's client: rules and providers from
// the cache, Secrets from the API server). scheme resolves the kinds of the
// objects given to a Recorder. It does nothing until Start.
func NewDispatcher(c client.Reader, scheme *runtime.Scheme, opts Options) *Dispatcher {
	opts.defaults()
	var log logr.Logger
	if opts.Logger != nil {
		log = *opts.Logger
	} else {
		log = ctrl.Log.WithName("notify")
	}
	return &Dispatcher{
		client:  c,
		scheme:  scheme,
		opts:    opts,
		log:     log,
		queue:   make(chan *Event, opts.QueueSize),
		dedup:   newDedup(opts.RepeatWindow),
		senders: map[types.NamespacedName]*sender{},
	}
}

// Setup creates a Dispatcher reading through mgr's client and adds it to
// mgr, which starts it.
func Setup(mgr ctrl.Manager, opts Options) (*Dispatcher, error) {
	d := NewDispatcher(mgr.GetClient(), mgr.GetScheme(), opts)
	if err := mgr.Add(d); err != nil {
		return nil, err
	}
	return d, nil
}

// Enqueue queues e for matching and delivery and returns at once. It returns
// false when the queue is full and e was dropped; the drop is counted and
// logged.
func (d *Dispatcher) Enqueue(e *Event) bool {
	select {
	case d.queue <- e:
		return true
	default:
		eventsDropped.Inc()
		d.log.Info("alert queue full, event dropped", "object", e.ObjectName(), "reason", e.Reason)
		return false
	}
}

// NeedLeaderElection returns false: the Dispatcher runs on every replica, so
// that it is ready whenever this replica's reconcilers record events.
func (d *Dispatcher) NeedLeaderElection() bool { return false }

// Start runs the Dispatcher until ctx is done. Events still queued then are
// not sent. It may be called once.
func (d *Dispatcher) Start(ctx context.Context) error {
	first := false
	d.once.Do(func() { first = true })
	if !first {
		return errors.New("notify: the dispatcher was already started")
	}
	go d.dedup.pruneLoop(ctx)
	// Matching reads from the cache and never waits on a receiver, so one
	// worker keeps up; the deliveries run in the senders.
	for {
		select {
		case <-ctx.Done():
			d.wg.Wait()
			return nil
		case e := <-d.queue:
			d.route(ctx, e)
		}
	}
}

// sender delivers the messages of one AlertProvider, one at a time, at most
// at the rate of its limiter.
type sender struct {
	key     types.NamespacedName
	queue   chan *delivery
	limiter *rate.Limiter
}

// delivery is a message for one AlertProvider, from one AlertRule.
type delivery struct {
	event    *Event
	provider types.NamespacedName
	ptype    string

	// objKey, ruleKey and fp are what dedup recorded for the message, to
	// forget it when the message is not delivered.
	objKey  string
	ruleKey string
	fp      string
}

// submit hands dl to the sender of its provider, starting the sender when
// needed. It never blocks: when the provider's queue is full the message is
// dropped and counted.
func (d *Dispatcher) submit(ctx context.Context, dl *delivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.senders[dl.provider]
	if s == nil {
		s = &sender{
			key:     dl.provider,
			queue:   make(chan *delivery, d.opts.ProviderQueueSize),
			limiter: rate.NewLimiter(rate.Limit(d.opts.RateLimit), d.opts.RateBurst),
		}
		d.senders[dl.provider] = s
		d.wg.Add(1)
		go d.runSender(ctx, s)
	}
	select {
	case s.queue <- dl:
	default:
		deliveries.WithLabelValues(dl.provider.Namespace, dl.provider.Name, dl.ptype, ResultDropped).Inc()
		d.dedup.forget(dl.objKey, dl.ruleKey, dl.fp)
		d.log.Info("alert provider queue full, message dropped",
			"provider", dl.provider.String(), "object", dl.event.ObjectName(), "reason", dl.event.Reason)
	}
}

// runSender delivers the messages of s until ctx is done, or until it has
// been idle for senderIdleTimeout.
func (d *Dispatcher) runSender(ctx context.Context, s *sender) {
	defer d.wg.Done()
	idle := time.NewTimer(senderIdleTimeout)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case dl := <-s.queue:
			if err := s.limiter.Wait(ctx); err != nil {
				return
			}
			d.deliver(ctx, dl)
			idle.Reset(senderIdleTimeout)
		case <-idle.C:
			d.mu.Lock()
			if len(s.queue) == 0 {
				delete(d.senders, s.key)
				d.mu.Unlock()
				return
			}
			d.mu.Unlock()
			idle.Reset(senderIdleTimeout)
		}
	}
}

// ForgetProvider deletes the delivery metrics of an AlertProvider that was
// deleted. The AlertProvider reconciler calls it when the provider goes away.
func (d *Dispatcher) ForgetProvider(namespace, name string) {
	labels := map[string]string{"namespace": namespace, "provider": name}
	deliveries.DeletePartialMatch(labels)
	deliveryAttempts.DeletePartialMatch(labels)
}
