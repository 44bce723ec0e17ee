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

// Package v1alpha1 contains the API types of the schemactl.dev/v1alpha1 group:
// SchemaRepository (a Git source of SQL files), Database (a PostgreSQL database
// kept equal to the schema in such a source), AlertProvider and AlertRule (where
// and which events are sent).
//
// The package depends only on apimachinery, the controller-runtime scheme
// builder and github.com/fluxcd/pkg/apis/meta, so that it could become a module
// of its own.
//
// +kubebuilder:object:generate=true
// +groupName=schemactl.dev
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of the objects in this package.
	GroupVersion = schema.GroupVersion{Group: "schemactl.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the types of this package with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion} //nolint:staticcheck // SA1019: kubebuilder's layout; api/ already depends on controller-runtime (STYLE.md), moving off it is an API-package change of its own

	// AddToScheme adds the types of this package to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
