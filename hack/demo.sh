#!/usr/bin/env bash
# Runs the demo (hack/demo): control plane, throwaway PostgreSQL, a local git
# repository and the agent, narrated. `make demo` builds what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
export KUBEBUILDER_ASSETS="${KUBEBUILDER_ASSETS:-$PWD/bin/k8s/1.37.2}"
exec go run ./hack/demo
