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
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

// deliver sends dl to its provider, retrying transient failures with
// exponential backoff, and counts the result. The provider is read again,
// so that a change of its Secret or a suspension made while the message
// waited applies.
func (d *Dispatcher) deliver(ctx context.Context, dl *delivery) {
	log := d.log.WithValues("provider", dl.provider.String(), "type", dl.ptype,
		"object", dl.event.ObjectName(), "reason", dl.event.Reason)

	var p v1alpha1.AlertProvider
	if err := d.client.Get(ctx, dl.provider, &p); err != nil {
		d.failed(dl)
		log.Error(err, "reading alert provider, message not sent")
		return
	}
	if p.Spec.Suspend {
		d.dedup.forget(dl.objKey, dl.ruleKey, dl.fp)
		return
	}
	t, err := resolveProvider(ctx, d.client, &p)
	if err != nil {
		d.failed(dl)
		log.Error(err, "alert provider cannot be used, message not sent")
		return
	}
	body, header, err := payload(t, dl.event)
	if err != nil {
		d.failed(dl)
		log.Error(err, "building alert message")
		return
	}
	hc := t.httpClient()
	defer hc.CloseIdleConnections()

	delay := d.opts.RetryMinDelay
	for attempt := 0; ; attempt++ {
		deliveryAttempts.WithLabelValues(dl.provider.Namespace, dl.provider.Name, dl.ptype).Inc()
		retry, err := post(ctx, hc, t.address, body, header)
		if err == nil {
			deliveries.WithLabelValues(dl.provider.Namespace, dl.provider.Name, dl.ptype, ResultSuccess).Inc()
			log.V(1).Info("alert sent", "attempts", attempt+1)
			return
		}
		if retry == nil || attempt >= d.opts.Retries || ctx.Err() != nil {
			d.failed(dl)
			log.Error(err, "alert not delivered", "attempts", attempt+1)
			return
		}
		if ra := retry.after; ra > delay {
			delay = min(ra, d.opts.RetryMaxDelay)
		}
		log.V(1).Info("alert delivery failed, retrying", "attempt", attempt+1, "delay", delay.String(), "error", err.Error())
		select {
		case <-ctx.Done():
			d.failed(dl)
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, d.opts.RetryMaxDelay)
	}
}

// failed counts dl as a failed delivery and forgets it in dedup, so that
// the next identical event is tried again.
func (d *Dispatcher) failed(dl *delivery) {
	deliveries.WithLabelValues(dl.provider.Namespace, dl.provider.Name, dl.ptype, ResultFailure).Inc()
	d.dedup.forget(dl.objKey, dl.ruleKey, dl.fp)
}

// retryHint says that a failed post may be retried, and after how long the
// receiver asked to wait (Retry-After), if it did.
type retryHint struct {
	after time.Duration
}

// post sends body to address. It returns nil on a 2xx answer; otherwise an
// error that never contains the address (which may hold a token), and a
// non-nil hint when the failure is transient: a network error, a timeout,
// 429 or 5xx.
func post(ctx context.Context, hc *http.Client, address string, body []byte, header http.Header) (*retryHint, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, address, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("building the request failed")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := hc.Do(req)
	if err != nil {
		// url.Error repeats the address; keep only what went wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &retryHint{}, fmt.Errorf("posting to the receiver: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil, nil
	}
	err = fmt.Errorf("the receiver answered %s", resp.Status)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		h := &retryHint{}
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			h.after = time.Duration(s) * time.Second
		}
		return h, err
	}
	return nil, err
}
