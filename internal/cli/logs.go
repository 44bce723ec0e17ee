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
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Log levels of the agent (Flux's logger: debug, info, error).
var logLevels = []string{"debug", "info", "error"}

// LogsOptions are the flags of `schemactl logs`, named as flux logs'.
type LogsOptions struct {
	AgentOptions
	// Kind, Name select the lines of one object (controllerKind, name);
	// the namespace is -n (all with -A).
	Kind string
	Name string
	// Level keeps the lines of this level only.
	Level string
	// Follow streams new lines until interrupted.
	Follow bool
	// Tail is the number of lines from the end of each pod's log; -1 is all.
	Tail int64
}

// BindFlags binds the options to fs.
func (o *LogsOptions) BindFlags(fs *pflag.FlagSet) {
	o.AgentOptions.BindFlags(fs)
	fs.StringVar(&o.Kind, "kind", "", "only lines of this kind: SchemaRepository, Database, AlertProvider, AlertRule (any name get accepts)")
	fs.StringVar(&o.Name, "name", "", "only lines of the object of this name")
	fs.StringVar(&o.Level, "level", "", "only lines of this level: "+strings.Join(logLevels, ", "))
	fs.BoolVarP(&o.Follow, "follow", "f", false, "stream new lines until interrupted (or --timeout)")
	fs.Int64Var(&o.Tail, "tail", -1, "lines from the end of each agent pod's log; -1 for all")
}

// logEntry is a JSON line of the agent's log: Flux's logger keys, which
// controller-runtime fills for reconcilers (controllerKind, name,
// namespace).
type logEntry struct {
	Timestamp      string `json:"ts"`
	Level          string `json:"level"`
	Message        string `json:"msg"`
	Error          string `json:"error"`
	ControllerKind string `json:"controllerKind"`
	Name           string `json:"name"`
	Namespace      string `json:"namespace"`
}

// logFilter selects log lines.
type logFilter struct {
	kind, name, namespace, level string
}

// match parses line and tells whether the filter keeps it. Lines that are
// not JSON (a panic's stack, klog output) are kept only without filters.
func (f logFilter) match(line string) (logEntry, bool) {
	var e logEntry
	if err := json.Unmarshal([]byte(line), &e); err != nil {
		return e, f == logFilter{}
	}
	switch {
	case f.kind != "" && !strings.EqualFold(e.ControllerKind, f.kind):
		return e, false
	case f.name != "" && e.Name != f.name:
		return e, false
	case f.namespace != "" && e.Namespace != f.namespace:
		return e, false
	case f.level != "" && !strings.EqualFold(e.Level, f.level):
		return e, false
	}
	return e, true
}

// format renders an entry as flux logs does: time, level, the object, the
// message and the error.
func (e logEntry) format() string {
	var b strings.Builder
	b.WriteString(e.Timestamp + " " + e.Level + " ")
	if e.ControllerKind != "" {
		b.WriteString(e.ControllerKind + "/" + e.Name)
		if e.Namespace != "" {
			b.WriteString("." + e.Namespace)
		}
		b.WriteString(" - ")
	}
	b.WriteString(e.Message)
	if e.Error != "" {
		b.WriteString(": " + e.Error)
	}
	return b.String()
}

// copyLogs writes the lines of r that f keeps to w, formatted (raw when not
// JSON), holding mu per line so that several pods' streams interleave by
// line.
func copyLogs(w io.Writer, mu *sync.Mutex, r io.Reader, f logFilter) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		line := sc.Text()
		e, ok := f.match(line)
		if !ok {
			continue
		}
		out := line
		if e.Message != "" || e.Level != "" {
			out = e.format()
		}
		mu.Lock()
		_, err := fmt.Fprintln(w, out)
		mu.Unlock()
		if err != nil {
			return err
		}
	}
	return sc.Err()
}

// Logs runs `schemactl logs`: the log of the agent's pods, read through the
// API server's pods/log, filtered by kind, name, namespace and level; with
// Follow it streams until interrupted.
func Logs(ctx context.Context, g *GlobalOptions, o LogsOptions) error {
	f := logFilter{name: o.Name, level: strings.ToLower(o.Level)}
	if o.Level != "" && !slices.Contains(logLevels, f.level) {
		return fmt.Errorf("--level %q: use one of %s", o.Level, strings.Join(logLevels, ", "))
	}
	if o.Kind != "" {
		k, err := lookupKind(o.Kind, GetKinds)
		if err != nil {
			return fmt.Errorf("--kind: %w", err)
		}
		f.kind = k.kind
	}
	ctx, cancel := g.withTimeout(ctx, o.Follow)
	defer cancel()
	c, err := g.connect()
	if err != nil {
		return err
	}
	if !g.AllNamespaces {
		f.namespace = c.namespace
	}
	var pods corev1.PodList
	if err := c.List(ctx, &pods, client.InNamespace(o.Namespace), client.MatchingLabels{agentLabel: agentName}); err != nil {
		return c.explain(err)
	}
	if len(pods.Items) == 0 {
		return fmt.Errorf("no agent pod (label %s=%s) in namespace %q: see schemactl check, or pass --agent-namespace", agentLabel, agentName, o.Namespace)
	}
	slices.SortFunc(pods.Items, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	cs, err := kubernetes.NewForConfig(c.config)
	if err != nil {
		return err
	}
	opts := &corev1.PodLogOptions{Container: agentContainer, Follow: o.Follow}
	if o.Tail >= 0 {
		opts.TailLines = &o.Tail
	}
	var mu sync.Mutex
	read := func(pod string) error {
		rc, err := cs.CoreV1().Pods(o.Namespace).GetLogs(pod, opts).Stream(ctx)
		if err != nil {
			return fmt.Errorf("reading the log of pod %s/%s: %w", o.Namespace, pod, c.explain(err))
		}
		defer func() { _ = rc.Close() }()
		err = copyLogs(g.Streams.Out, &mu, rc, f)
		if err != nil && ctx.Err() != nil && o.Follow {
			return nil // interrupted, or the --timeout of a follow: not an error
		}
		return err
	}
	if !o.Follow {
		for _, p := range pods.Items {
			if err := read(p.Name); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make(chan error, len(pods.Items))
	for _, p := range pods.Items {
		go func() { errs <- read(p.Name) }()
	}
	var all []error
	for range pods.Items {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}
