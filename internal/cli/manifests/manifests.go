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

// Package manifests holds the manifests that install schema-controller:
// config/default rendered by kustomize, built into schemactl for
// `schemactl install --export`.
//
// install.yaml is generated: TestInstallYAML_fresh renders config/default
// again and fails when the copy is stale, and rewrites it with -update
// (go generate ./internal/cli/manifests).
package manifests

import _ "embed"

//go:generate go test -run ^TestInstallYAML_fresh$ . -update

// InstallYAML is config/default rendered by kustomize: the schema-system
// namespace, the CRDs, the RBAC and the agent's Deployment.
//
//go:embed install.yaml
var InstallYAML string
