//go:build tools

// Package testbin pins the Kubernetes commands built for the local control plane.
package testbin

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
