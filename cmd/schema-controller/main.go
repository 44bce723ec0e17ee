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

// Command schema-controller is the agent: one controller-runtime manager
// running every controller of schemactl.dev, with leader election, health and
// readiness probes and Prometheus metrics. It runs in a cluster or, for
// development, against any kubeconfig.
//
// This package only wires things up; the controllers live in reconcile/.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fluxcd/pkg/runtime/client"
	"github.com/fluxcd/pkg/runtime/logger"
	"github.com/spf13/pflag"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/schemactl/schema-controller/internal/version"
)

func main() {
	var opts Options
	opts.BindFlags(pflag.CommandLine)
	showVersion := pflag.Bool("version", false, "Print the version and exit.")
	// controller-runtime registers --kubeconfig on Go's flag set (read by
	// GetConfigOrDie): expose it like kubectl's, for runs out of the cluster.
	pflag.CommandLine.AddGoFlag(flag.CommandLine.Lookup("kubeconfig"))
	pflag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}

	logger.SetLogger(logger.NewLogger(opts.Logger))
	log := ctrl.Log.WithName("setup")

	cfg := client.GetConfigOrDie(opts.Client)
	if err := run(ctrl.SetupSignalHandler(), cfg, opts); err != nil {
		log.Error(err, "manager stopped with an error")
		os.Exit(1)
	}
}
