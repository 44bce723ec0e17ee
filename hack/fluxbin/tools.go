//go:build tools

// Package fluxbin pins the Flux controllers built for the process-level Flux tests
// (test/flux): source-controller and notification-controller, from the Go module proxy.
package fluxbin

import (
	_ "github.com/fluxcd/notification-controller"
	_ "github.com/fluxcd/source-controller"
)
