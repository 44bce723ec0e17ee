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
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// DefaultTimeout bounds a cluster command when --timeout is not given.
const DefaultTimeout = 5 * time.Minute

// ErrCRDsNotInstalled is returned when the cluster does not serve the
// schemactl.dev API group.
var ErrCRDsNotInstalled = errors.New("the schemactl.dev CRDs are not installed: run schemactl install --export | kubectl apply -f -")

// GlobalOptions are the flags that every cluster command shares: the kubectl
// connection flags of cli-runtime, -A and --timeout, and the streams the
// commands write to.
type GlobalOptions struct {
	// ConfigFlags are kubectl's connection flags: --kubeconfig, --context,
	// -n/--namespace, --request-timeout and the authentication flags.
	ConfigFlags *genericclioptions.ConfigFlags

	// AllNamespaces lists and acts across all namespaces (-A).
	AllNamespaces bool

	// Timeout bounds the whole command, waits included.
	Timeout time.Duration

	// TimeoutSet tells whether --timeout was given; a --watch only stops at
	// the timeout when it was.
	TimeoutSet bool

	// Streams are where the command reads and writes. Results go to Out,
	// progress and notes to ErrOut.
	Streams genericiooptions.IOStreams

	// Color enables ANSI colors on Out.
	Color bool

	// ErrColor enables ANSI colors on ErrOut.
	ErrColor bool

	// ErrTerminal tells that ErrOut is a terminal: progress is drawn as a
	// spinner in place rather than one line per change.
	ErrTerminal bool

	// PollInterval is how often waits read the object; 0 means one second.
	PollInterval time.Duration
}

// NewGlobalOptions returns the options with their defaults, writing to the
// process's standard streams.
func NewGlobalOptions() *GlobalOptions {
	flags := genericclioptions.NewConfigFlags(true)
	// schemactl keeps no discovery cache; hide the flag rather than accept
	// a value it ignores.
	flags.CacheDir = nil
	o := &GlobalOptions{ConfigFlags: flags, Timeout: DefaultTimeout}
	o.SetStreams(os.Stdout, os.Stderr)
	return o
}

// BindFlags binds the options to fs (the root command's persistent flags).
func (g *GlobalOptions) BindFlags(fs *pflag.FlagSet) {
	g.ConfigFlags.AddFlags(fs)
	fs.BoolVarP(&g.AllNamespaces, "all-namespaces", "A", false, "act on objects in all namespaces (get, events, suspend --all, resume --all)")
	fs.Var(&timeoutFlag{g}, "timeout", "give up after this long, waits included; a --watch runs until interrupted unless --timeout is given")
}

// timeoutFlag is the --timeout flag: a duration that remembers whether it
// was given.
type timeoutFlag struct{ o *GlobalOptions }

// String implements pflag.Value.
func (f *timeoutFlag) String() string { return f.o.Timeout.String() }

// Set implements pflag.Value; it records that the flag was given.
func (f *timeoutFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	f.o.Timeout, f.o.TimeoutSet = d, true
	return nil
}

// Type implements pflag.Value.
func (f *timeoutFlag) Type() string { return "duration" }

// SetStreams sets the output streams, and enables colors and the animated
// progress indicator for the streams that are terminals, unless NO_COLOR is
// set (https://no-color.org).
func (g *GlobalOptions) SetStreams(out, errOut io.Writer) {
	g.Streams = genericiooptions.IOStreams{In: os.Stdin, Out: out, ErrOut: errOut}
	noColor := os.Getenv("NO_COLOR") != ""
	g.Color = !noColor && IsTerminal(out)
	g.ErrTerminal = IsTerminal(errOut)
	g.ErrColor = !noColor && g.ErrTerminal
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (g *GlobalOptions) pollInterval() time.Duration {
	if g.PollInterval > 0 {
		return g.PollInterval
	}
	return time.Second
}

// withTimeout bounds ctx by --timeout. A watch is bounded only when
// --timeout was given.
func (g *GlobalOptions) withTimeout(ctx context.Context, watch bool) (context.Context, context.CancelFunc) {
	if g.Timeout <= 0 || (watch && !g.TimeoutSet) {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, g.Timeout)
}

// scheme knows the built-in kinds and those of api/v1alpha1.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := v1alpha1.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}()

// cluster is a connection to the API server.
type cluster struct {
	client.WithWatch

	// config is the REST configuration of the connection.
	config *rest.Config

	// namespace is the namespace of -n, or else of the kubeconfig context.
	namespace string
}

// connect returns a client for the cluster of the kubeconfig and flags. It
// does not contact the server: errors of the first request go through
// explain.
func (g *GlobalOptions) connect() (*cluster, error) {
	// Without a kubeconfig client-go falls back to http://localhost:8080,
	// which only ever yields a puzzling "connection refused".
	if raw, err := g.ConfigFlags.ToRawKubeConfigLoader().RawConfig(); err == nil && len(raw.Clusters) == 0 && *g.ConfigFlags.APIServer == "" {
		if _, err := rest.InClusterConfig(); err != nil {
			return nil, noClusterError(clientcmd.ErrEmptyConfig)
		}
	}
	cfg, err := g.ConfigFlags.ToRESTConfig()
	if err != nil {
		return nil, noClusterError(err)
	}
	// client-go's default of 5 requests per second makes a --wait poll
	// queue behind its own rate limiter; these are the flux CLI's values.
	if cfg.QPS == 0 {
		cfg.QPS = 50
	}
	if cfg.Burst == 0 {
		cfg.Burst = 300
	}
	ns, _, err := g.ConfigFlags.ToRawKubeConfigLoader().Namespace()
	if err != nil {
		return nil, noClusterError(err)
	}
	c, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, fmt.Errorf("creating the Kubernetes client: %w", err)
	}
	return &cluster{WithWatch: c, config: cfg, namespace: ns}, nil
}

func noClusterError(err error) error {
	if clientcmd.IsEmptyConfig(err) || errors.Is(err, rest.ErrNotInCluster) {
		return errors.New("no cluster configured: no kubeconfig found (pass --kubeconfig or set KUBECONFIG) and not running in a pod")
	}
	return fmt.Errorf("reading the kubeconfig: %w", err)
}

// explain turns the errors of a request into messages that say what to do:
// CRDs not installed, cluster not reachable, credentials refused. Other
// errors are returned as they are.
func (c *cluster) explain(err error) error {
	var (
		opErr  *net.OpError
		urlErr *url.Error
		dnsErr *net.DNSError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrCRDsNotInstalled):
		return err
	case meta.IsNoMatchError(err):
		return ErrCRDsNotInstalled
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("timed out talking to the cluster at %s (see --timeout and --request-timeout): %w", c.config.Host, err)
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &opErr), errors.As(err, &dnsErr), errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &urlErr):
		return fmt.Errorf("cannot reach the cluster at %s: %w", c.config.Host, rootCause(err))
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("the cluster at %s refused the credentials of the kubeconfig: %w", c.config.Host, err)
	}
	return err
}

// rootCause returns the innermost network error of err, which reads better
// than the chain of wrappers around it.
func rootCause(err error) error {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr
	}
	return err
}
