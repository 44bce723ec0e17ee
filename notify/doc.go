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

// Package notify delivers alerts: it turns the events of SchemaRepositories
// and Databases into messages for the AlertProviders whose AlertRules select
// them (Slack, generic and HMAC-signed webhooks, Microsoft Teams, Discord).
//
// It owns matching (event sources, severity, exclusions), deduplication (the
// same drift is sent once), rate limiting, and delivery with bounded retries
// on an asynchronous queue, so that a slow or failing receiver never blocks a
// reconcile. It may use the alert types of api/v1alpha1 but never the
// controllers; the AlertProvider and AlertRule reconcilers live in reconcile/.
package notify
