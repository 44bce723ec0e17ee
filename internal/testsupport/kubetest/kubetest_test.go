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

package kubetest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/schemactl/schema-controller/api/v1alpha1"
	"github.com/schemactl/schema-controller/internal/testsupport/kubetest"
)

func TestStart_servesOurCRDs(t *testing.T) {
	s := kubetest.NewScheme()
	if err := apiextensionsv1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	env := kubetest.Start(t, kubetest.WithScheme(s))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	for _, name := range []string{
		"schemarepositories.schemactl.dev",
		"databases.schemactl.dev",
		"alertproviders.schemactl.dev",
		"alertrules.schemactl.dev",
	} {
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := env.Client.Get(ctx, client.ObjectKey{Name: name}, crd); err != nil {
			t.Errorf("CRD %s: %v", name, err)
		}
	}
	ns := env.CreateNamespace(t, "list")
	if err := env.Client.List(ctx, &v1alpha1.DatabaseList{}, client.InNamespace(ns)); err != nil {
		t.Errorf("listing Databases: %v", err)
	}
}

func TestNew_missingBinaries_saysRunMakeTestbin(t *testing.T) {
	t.Setenv(kubetest.AssetsEnv, t.TempDir())
	_, err := kubetest.New(kubetest.WithScheme(runtime.NewScheme()))
	if err == nil {
		t.Fatal("started without binaries")
	}
	if !strings.Contains(err.Error(), "run `make testbin`") || !strings.Contains(err.Error(), "kube-apiserver") {
		t.Errorf("error does not say what to do: %v", err)
	}
}
