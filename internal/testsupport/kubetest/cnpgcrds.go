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

package kubetest

import (
	"os"
	"path/filepath"
)

// CloudNativePG's module and the release whose CRDs the tests install. The
// agent reads Clusters unstructured and does not build against CloudNativePG,
// so the module is not in go.mod (it would bring in its whole dependency
// tree): only its zip is downloaded, at this pinned version, for the CRD files.
const (
	CNPGModule  = "github.com/cloudnative-pg/cloudnative-pg"
	CNPGVersion = "v1.27.1"
)

// CNPGClusterCRD returns the file of CloudNativePG's Cluster CRD
// (postgresql.cnpg.io/v1) at CNPGVersion, from the Go module cache (`go mod
// download`, from the module proxy on a cold cache), for InstallCRDs.
func CNPGClusterCRD() (string, error) {
	dir, err := moduleCRDDirectory(CNPGModule, CNPGVersion)
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, "postgresql.cnpg.io_clusters.yaml")
	if _, err := os.Stat(file); err != nil {
		return "", err
	}
	return file, nil
}
