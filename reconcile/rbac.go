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

// Package reconcile holds the controllers: one reconciler per kind of
// schemactl.dev (SchemaRepository, Database, AlertProvider, AlertRule). They
// decide (policy, apply window, approval), record status and emit events; the
// work itself is done by the source, drift and notify packages.
//
// The RBAC markers below are the controllers' permissions, from which
// `make manifests` generates config/rbac/role.yaml. Keep them least
// privilege: add a verb only together with the code that needs it.
package reconcile

// Our own kinds: read, and patch for finalizers; status through its
// subresource.
// +kubebuilder:rbac:groups=schemactl.dev,resources=schemarepositories;databases;alertproviders;alertrules;databasesets,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=schemactl.dev,resources=schemarepositories/status;databases/status;alertproviders/status;alertrules/status;databasesets/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=schemactl.dev,resources=schemarepositories/finalizers;databases/finalizers;alertproviders/finalizers;alertrules/finalizers;databasesets/finalizers,verbs=update

// Credentials of sources, databases and alert providers; watched so that a
// rotation triggers a reconcile.
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch

// Events, through both the core and the events.k8s.io API.
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Flux's sources, read (and watched) for their artifact when a Database's
// sourceRef names one of them.
// +kubebuilder:rbac:groups=source.toolkit.fluxcd.io,resources=gitrepositories;ocirepositories;buckets;externalartifacts,verbs=get;list;watch

// A DatabaseSet creates, updates and deletes its member Databases, and reads
// CloudNativePG's Clusters when spec.members.cnpgClusterSelector is set.
// +kubebuilder:rbac:groups=schemactl.dev,resources=databases,verbs=create;delete
// +kubebuilder:rbac:groups=postgresql.cnpg.io,resources=clusters,verbs=get;list
