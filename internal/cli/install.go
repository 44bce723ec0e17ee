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
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/spf13/pflag"

	"github.com/schemactl/schema-controller/internal/cli/manifests"
	"github.com/schemactl/schema-controller/internal/version"
)

// ManifestImage is the agent's image in config/default; Manifests replaces it.
const ManifestImage = ImageRepository + ":latest"

// ImageRepository is where releases publish the agent's image.
const ImageRepository = "ghcr.io/schemactl/schema-controller"

// Components of `schemactl install --components`.
const (
	// ComponentCRDs is the CustomResourceDefinitions of schemactl.dev.
	ComponentCRDs = "crds"
	// ComponentAgent is the namespace, the RBAC and the agent's Deployment.
	ComponentAgent = "agent"
)

// InstallComponents are the components install applies by default.
var InstallComponents = []string{ComponentCRDs, ComponentAgent}

// InstallOptions are the flags of `schemactl install`.
type InstallOptions struct {
	// Export prints the manifests instead of applying them.
	Export bool
	// Image is the agent's image; empty means DefaultImage().
	Image string
	// Components are the parts to install: crds, agent.
	Components []string
	// Wait waits until the agent's Deployment is available.
	Wait bool
}

// BindFlags binds the options to fs.
func (o *InstallOptions) BindFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.Export, "export", false, "print the manifests, for kubectl apply -f - or a GitOps repository, instead of applying them")
	fs.StringVar(&o.Image, "image", "", "the agent's container image (default "+DefaultImage()+")")
	fs.StringSliceVar(&o.Components, "components", InstallComponents, "the parts to install: crds (the CustomResourceDefinitions), agent (namespace, RBAC, Deployment, Service)")
	fs.BoolVar(&o.Wait, "wait", true, "wait until the agent's Deployment has an available replica")
}

// DefaultImage is the agent's image for this client: tagged with the
// client's version when it is a release (vX.Y.Z or vX.Y.Z-rc.N), so that
// agent and CLI match; else (a development build, whose version is what
// git describe says) the image of config/default.
func DefaultImage() string {
	v := version.Version
	if _, err := semver.StrictNewVersion(strings.TrimPrefix(v, "v")); err == nil && strings.HasPrefix(v, "v") && !gitDescribeSuffix.MatchString(v) {
		return ImageRepository + ":" + v
	}
	return ManifestImage
}

// gitDescribeSuffix matches what git describe appends to the tag of a
// commit after it: -<n>-g<hash> and -dirty.
var gitDescribeSuffix = regexp.MustCompile(`-[0-9]+-g[0-9a-f]+|-dirty$`)

// Manifests returns the manifests of config/default with the agent's image
// set to image (unchanged when empty).
func Manifests(image string) string {
	if image == "" || image == ManifestImage {
		return manifests.InstallYAML
	}
	return strings.ReplaceAll(manifests.InstallYAML, "image: "+ManifestImage+"\n", "image: "+image+"\n")
}
