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
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"

	"github.com/schemactl/schema-controller/api/v1alpha1"
)

const (
	testDriftReport = "index public.orders_created_at_idx: exists in the database, not in Git\n" +
		"column public.orders.note: default 'n/a' in the database, none in Git"
	testHMACKey = "s3cr3t-hmac-key"
)

// driftEvent returns a DriftDetected event of Database ns/orders with a
// fixed timestamp, as the Database controller records it.
func driftEvent(ns string) *Event {
	return &Event{
		InvolvedObject: corev1.ObjectReference{
			Kind: v1alpha1.DatabaseKind, APIVersion: "schemactl.dev/v1alpha1",
			Namespace: ns, Name: "orders", UID: "6f1c2a9e-0000-4000-8000-000000000001",
		},
		Severity:  SeverityError,
		Timestamp: time.Date(2026, 11, 25, 3, 12, 9, 0, time.UTC),
		Reason:    v1alpha1.DriftDetectedReason,
		Message:   "drift detected: 2 change(s) made outside Git",
		Action:    "Reconcile",
		Metadata: map[string]string{
			MetaRevisionKey:         "main@sha1:1a2b3c4d",
			MetaPlanIDKey:           "sha256:9f1c",
			MetaDriftReportKey:      testDriftReport,
			MetaDriftFingerprintKey: "sha256:abc",
		},
		ClusterName:         "prod-eu",
		ReportingController: "schema-controller",
		ReportingInstance:   "schema-controller-0",
	}
}

// TestDispatcher_payload_providerTypes sends one drift event through a
// rule with a summary and eventMetadata to a real receiver, for each
// provider type, and checks the exact body and headers.
func TestDispatcher_payload_providerTypes(t *testing.T) {
	cases := []struct {
		ptype   string
		data    map[string]string
		want    string
		headers func(g Gomega, r request)
	}{
		{
			ptype: v1alpha1.SlackProvider,
			data:  map[string]string{TokenKey: "xoxb-token"},
			want: `{
				"username": "schemactl",
				"channel": "#db-alerts",
				"text": "DriftDetected: Database NS/orders: drift detected: 2 change(s) made outside Git",
				"blocks": [
					{"type": "header", "text": {"type": "plain_text", "text": "DriftDetected: Database NS/orders", "emoji": true}},
					{"type": "section", "text": {"type": "mrkdwn", "text": "drift detected: 2 change(s) made outside Git"}},
					{"type": "section", "fields": [
						{"type": "mrkdwn", "text": "*Object*\nDatabase/orders"},
						{"type": "mrkdwn", "text": "*Namespace*\nNS"},
						{"type": "mrkdwn", "text": "*Revision*\nmain@sha1:1a2b3c4d"},
						{"type": "mrkdwn", "text": "*Cluster*\nprod-eu"},
						{"type": "mrkdwn", "text": "*Plan*\nsha256:9f1c"},
						{"type": "mrkdwn", "text": "*env*\nprod"}
					]},
					{"type": "context", "elements": [{"type": "mrkdwn", "text": "Orders database"}]},
					{"type": "section", "text": {"type": "mrkdwn", "text": "*Drift* (2)\n• index public.orders_created_at_idx: exists in the database, not in Git\n• column public.orders.note: default 'n/a' in the database, none in Git"}}
				],
				"replace_original": false,
				"delete_original": false
			}`,
			headers: func(g Gomega, r request) {
				g.Expect(r.header.Get("Authorization")).To(Equal("Bearer xoxb-token"))
			},
		},
		{
			ptype: v1alpha1.GenericProvider,
			want:  genericWant,
			headers: func(g Gomega, r request) {
				g.Expect(r.header.Get(SignatureHeader)).To(BeEmpty())
				g.Expect(r.header.Get("Authorization")).To(BeEmpty())
			},
		},
		{
			ptype: v1alpha1.GenericHMACProvider,
			data:  map[string]string{TokenKey: testHMACKey},
			want:  genericWant,
			headers: func(g Gomega, r request) {
				sig, ok := strings.CutPrefix(r.header.Get(SignatureHeader), "sha256=")
				g.Expect(ok).To(BeTrue(), "X-Signature starts with sha256=")
				got, err := hex.DecodeString(sig)
				g.Expect(err).NotTo(HaveOccurred())
				m := hmac.New(sha256.New, []byte(testHMACKey))
				m.Write(r.body)
				g.Expect(hmac.Equal(got, m.Sum(nil))).To(BeTrue(), "X-Signature is the HMAC-SHA256 of the body with the key")
			},
		},
		{
			ptype: v1alpha1.MSTeamsProvider,
			want: `{
				"type": "message",
				"attachments": [{
					"contentType": "application/vnd.microsoft.card.adaptive",
					"content": {
						"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
						"type": "AdaptiveCard",
						"version": "1.4",
						"msteams": {"width": "Full"},
						"body": [
							{"type": "TextBlock", "text": "DriftDetected: Database NS/orders", "size": "Medium", "weight": "Bolder", "color": "attention", "wrap": true},
							{"type": "TextBlock", "text": "drift detected: 2 change(s) made outside Git", "wrap": true},
							{"type": "FactSet", "facts": [
								{"title": "Object", "value": "Database/orders"},
								{"title": "Namespace", "value": "NS"},
								{"title": "Revision", "value": "main@sha1:1a2b3c4d"},
								{"title": "Cluster", "value": "prod-eu"},
								{"title": "Plan", "value": "sha256:9f1c"},
								{"title": "env", "value": "prod"}
							]},
							{"type": "TextBlock", "text": "Orders database", "wrap": true},
							{"type": "TextBlock", "text": "Drift", "weight": "Bolder"},
							{"type": "TextBlock", "text": "- index public.orders_created_at_idx: exists in the database, not in Git\n- column public.orders.note: default 'n/a' in the database, none in Git", "wrap": true}
						]
					}
				}]
			}`,
		},
		{
			ptype: v1alpha1.DiscordProvider,
			want: `{
				"username": "schemactl",
				"embeds": [{
					"title": "DriftDetected: Database NS/orders",
					"description": "drift detected: 2 change(s) made outside Git\n**Drift**\n• index public.orders_created_at_idx: exists in the database, not in Git\n• column public.orders.note: default 'n/a' in the database, none in Git",
					"color": 14687834,
					"fields": [
						{"name": "Object", "value": "Database/orders", "inline": true},
						{"name": "Namespace", "value": "NS", "inline": true},
						{"name": "Revision", "value": "main@sha1:1a2b3c4d", "inline": true},
						{"name": "Cluster", "value": "prod-eu", "inline": true},
						{"name": "Plan", "value": "sha256:9f1c", "inline": true},
						{"name": "env", "value": "prod", "inline": true}
					],
					"footer": {"text": "Orders database"},
					"timestamp": "2026-11-25T03:12:09Z"
				}]
			}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.ptype, func(t *testing.T) {
			g := NewWithT(t)
			rc := newReceiver(t, nil)
			data := map[string]string{AddressKey: rc.URL + "/hook"}
			for k, v := range tc.data {
				data[k] = v
			}
			f := newFixture(t, tc.ptype, data, func(p *v1alpha1.AlertProvider) {
				p.Spec.Channel = "#db-alerts"
				p.Spec.Username = "schemactl"
			})
			f.addRule(t, "drift", func(r *v1alpha1.AlertRule) {
				r.Spec.Summary = "Orders database"
				r.Spec.EventMetadata = map[string]string{"env": "prod", MetaRevisionKey: "overridden by the event"}
			})
			d, logs := startDispatcher(t, fastOptions())
			g.Expect(d.Enqueue(driftEvent(f.ns))).To(BeTrue())

			g.Eventually(rc.requests, testTimeout, testInterval).Should(HaveLen(1))
			r := rc.requests()[0]
			g.Expect(string(r.body)).To(MatchJSON(strings.ReplaceAll(tc.want, "NS", f.ns)))
			g.Expect(r.header.Get("Content-Type")).To(Equal("application/json"))
			if tc.headers != nil {
				tc.headers(g, r)
			}
			g.Eventually(func() float64 { return f.deliveryCount(t, ResultSuccess) }, testTimeout, testInterval).Should(Equal(1.0))
			g.Expect(logs.String()).NotTo(ContainSubstring(rc.URL))
		})
	}
}

// genericWant is the generic and generic-hmac body of driftEvent: Flux's
// event with the drift report, plan id and revision in the metadata.
const genericWant = `{
	"involvedObject": {
		"kind": "Database",
		"namespace": "NS",
		"name": "orders",
		"uid": "6f1c2a9e-0000-4000-8000-000000000001",
		"apiVersion": "schemactl.dev/v1alpha1"
	},
	"severity": "error",
	"timestamp": "2026-11-25T03:12:09Z",
	"message": "drift detected: 2 change(s) made outside Git",
	"reason": "DriftDetected",
	"action": "Reconcile",
	"metadata": {
		"revision": "main@sha1:1a2b3c4d",
		"plan-id": "sha256:9f1c",
		"drift-report": "index public.orders_created_at_idx: exists in the database, not in Git\ncolumn public.orders.note: default 'n/a' in the database, none in Git",
		"drift-fingerprint": "sha256:abc",
		"summary": "Orders database",
		"cluster": "prod-eu",
		"env": "prod"
	},
	"reportingController": "schema-controller",
	"reportingInstance": "schema-controller-0"
}`
