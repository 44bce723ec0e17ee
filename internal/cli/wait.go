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
	"strings"
	"sync"
	"time"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/runtime/conditions"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// requestToken returns a new value for the reconcile.fluxcd.io/requestedAt
// annotation; the agent echoes it in status.lastHandledReconcileAt.
func requestToken() string {
	return time.Now().Format(time.RFC3339Nano)
}

// blockedReasons are the Ready reasons of a Database whose plan waits for an
// approval; a wait that ends on them exits with ExitBlocked.
var blockedReasons = []string{v1alpha1.DestructiveBlockedReason, v1alpha1.FirstRunDestructiveReason}

// waitReady waits until the object has handled the reconcile request token
// (when not empty) and is Ready for its current generation. It returns early
// with an error when the agent handled the request and the object is
// stalled, or not ready without retrying. A wait cut by the timeout returns
// an error with the last condition seen.
func (g *GlobalOptions) waitReady(ctx context.Context, c *cluster, k *kindInfo, key client.ObjectKey, token string) (object, error) {
	what := describe(k, key.Namespace, key.Name)
	p := g.newProgress()
	defer p.stop()
	p.update(what + ": " + progressText(nil, token))
	tick := time.NewTicker(g.pollInterval())
	defer tick.Stop()
	var last object
	for {
		obj := k.newObject()
		err := c.Get(ctx, key, obj)
		switch {
		case apierrors.IsNotFound(err):
			return nil, fmt.Errorf("%s was deleted while waiting for it", what)
		case err != nil && !deadlineNear(ctx, err):
			return nil, c.explain(err)
		case err == nil:
			last = obj
			if done, err := readyState(what, obj, token); done {
				return obj, err
			}
			p.update(what + ": " + progressText(obj, token))
		}
		select {
		case <-ctx.Done():
			return last, g.waitError(ctx, what, last, token)
		case <-tick.C:
		}
	}
}

// deadlineNear tells whether err comes from ctx ending, or from client-go's
// rate limiter refusing to wait past ctx's deadline (which it says before
// the deadline is reached, without wrapping context.DeadlineExceeded).
func deadlineNear(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	_, ok := ctx.Deadline()
	return ok && strings.Contains(err.Error(), "would exceed context deadline")
}

// readyState tells whether a wait is over, and with which error.
func readyState(what string, obj object, token string) (done bool, err error) {
	observed, handled := statusOf(obj)
	if token != "" && handled != token {
		return false, nil
	}
	if c := conditions.Get(obj, meta.StalledCondition); c != nil && c.Status == metav1.ConditionTrue {
		return true, notReadyError(what, c)
	}
	ready := conditions.Get(obj, meta.ReadyCondition)
	if ready == nil || observed != obj.GetGeneration() || conditions.IsTrue(obj, meta.ReconcilingCondition) {
		return false, nil
	}
	switch ready.Status {
	case metav1.ConditionTrue:
		return true, nil
	case metav1.ConditionFalse:
		return true, notReadyError(what, ready)
	}
	return false, nil
}

// notReadyError says why an object is not ready; blocked plans exit with
// ExitBlocked.
func notReadyError(what string, c *metav1.Condition) error {
	code := ExitFailure
	for _, r := range blockedReasons {
		if c.Reason == r {
			code = ExitBlocked
		}
	}
	return WithExitCode(code, fmt.Errorf("%s is not ready: %s: %s", what, c.Reason, c.Message))
}

// waitError is the error of a wait that ctx ended.
func (g *GlobalOptions) waitError(ctx context.Context, what string, last object, token string) error {
	var b strings.Builder
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		fmt.Fprintf(&b, "timed out after %s waiting for %s", g.Timeout, what)
	} else {
		fmt.Fprintf(&b, "interrupted while waiting for %s", what)
	}
	if last == nil {
		return errors.New(b.String())
	}
	if _, handled := statusOf(last); token != "" && handled != token {
		b.WriteString(": the agent did not handle the reconcile request (is it running? see schemactl check)")
	} else {
		b.WriteString(" to become ready")
	}
	b.WriteString("; last status: " + conditionSummary(last))
	return errors.New(b.String())
}

// conditionSummary renders the Ready condition, and Reconciling when True.
func conditionSummary(obj object) string {
	ready := conditions.Get(obj, meta.ReadyCondition)
	if ready == nil {
		return "no Ready condition yet"
	}
	s := fmt.Sprintf("Ready=%s (%s): %s", ready.Status, ready.Reason, oneLine(ready.Message))
	if r := conditions.Get(obj, meta.ReconcilingCondition); r != nil && r.Status == metav1.ConditionTrue {
		s += fmt.Sprintf("; Reconciling (%s): %s", r.Reason, oneLine(r.Message))
	}
	return s
}

// progressText is what a wait shows while obj is not done.
func progressText(obj object, token string) string {
	if obj == nil {
		return "waiting for the agent to pick up the request"
	}
	if _, handled := statusOf(obj); token != "" && handled != token {
		return "waiting for the agent to pick up the request"
	}
	if r := conditions.Get(obj, meta.ReconcilingCondition); r != nil && r.Status == metav1.ConditionTrue {
		return oneLine(r.Message)
	}
	if ready := conditions.Get(obj, meta.ReadyCondition); ready != nil {
		return oneLine(ready.Message)
	}
	return "waiting to be reconciled"
}

// progress shows on stderr what a wait is waiting for: a spinner redrawn in
// place on a terminal, else one line per change of the text (for CI logs).
type progress struct {
	w        io.Writer
	terminal bool
	color    bool
	start    time.Time

	mu      sync.Mutex
	text    string
	stopped chan struct{}
	done    chan struct{}
}

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func (g *GlobalOptions) newProgress() *progress {
	p := &progress{w: g.Streams.ErrOut, terminal: g.ErrTerminal, color: g.ErrColor, start: time.Now(),
		stopped: make(chan struct{}), done: make(chan struct{})}
	if !p.terminal {
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			select {
			case <-p.stopped:
				_, _ = fmt.Fprint(p.w, "\r\x1b[K")
				return
			case <-t.C:
				p.mu.Lock()
				text := p.text
				p.mu.Unlock()
				elapsed := time.Since(p.start).Truncate(time.Second)
				_, _ = fmt.Fprintf(p.w, "\r\x1b[K%s %s %s", paint(p.color, colorCyan, spinnerFrames[i%len(spinnerFrames)]), text, paint(p.color, colorFaint, "("+elapsed.String()+")"))
			}
		}
	}()
	return p
}

// update sets the text; without a terminal a changed text is printed as a
// line of its own.
func (p *progress) update(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if text == p.text {
		return
	}
	p.text = text
	if !p.terminal {
		_, _ = fmt.Fprintln(p.w, paint(p.color, colorCyan, "◎")+" "+text)
	}
}

// stop clears the spinner.
func (p *progress) stop() {
	select {
	case <-p.stopped:
	default:
		close(p.stopped)
	}
	<-p.done
}
