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
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Results of a delivery, the values of the result label of
// schemactl_alert_deliveries_total.
const (
	// ResultSuccess counts messages the receiver accepted (2xx).
	ResultSuccess = "success"

	// ResultFailure counts messages given up after the last retry, or
	// refused with a 4xx answer other than 429.
	ResultFailure = "failure"

	// ResultDropped counts messages dropped because the provider's queue
	// was full.
	ResultDropped = "dropped"
)

var (
	// deliveries counts messages by AlertProvider and result.
	deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "schemactl_alert_deliveries_total",
		Help: "Alert messages by provider (namespace, name, type) and result (success, failure, dropped).",
	}, []string{"namespace", "provider", "type", "result"})

	// deliveryAttempts counts HTTP requests, retries included, by
	// AlertProvider.
	deliveryAttempts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "schemactl_alert_delivery_attempts_total",
		Help: "HTTP requests to alert providers, retries included, by provider (namespace, name, type).",
	}, []string{"namespace", "provider", "type"})

	// eventsDropped counts events dropped because the dispatcher's queue
	// was full.
	eventsDropped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "schemactl_alert_events_dropped_total",
		Help: "Events not sent to alerts because the alert queue was full.",
	})

	// eventsSuppressed counts events not sent again because the same event
	// or drift was already sent for the same object and rule.
	eventsSuppressed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "schemactl_alert_events_suppressed_total",
		Help: "Events not sent because the same drift or event was already sent for the object.",
	})
)

func init() {
	metrics.Registry.MustRegister(deliveries, deliveryAttempts, eventsDropped, eventsSuppressed)
}
