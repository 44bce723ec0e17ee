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

// Package flux runs the agent inside a real Flux: Flux's source-controller and
// notification-controller, built from the Go module proxy by `make fluxbin`
// (versions pinned in hack/fluxbin/go.mod), run as processes against an envtest
// API server with Flux's CRDs, next to the agent built from this module, a real
// git server, an OCI registry and PostgreSQL. SCHEMACTL_FLUX_ASSETS names the
// folder of the two controllers (the Makefile sets it); without it the tests look
// in bin/flux/ and fail, telling to run `make fluxbin`, when they are not there.
package flux
