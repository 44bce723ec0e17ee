#!/usr/bin/env bash
# Copies the generated and hand-written manifests that the Helm chart shares with
# the kustomize bases into charts/schema-controller, so that config/ stays their
# one source: the CRDs (crds/), the ClusterRole's and the leader-election Role's
# rules, the PrometheusRule's groups and the Grafana dashboard (files/, read by
# the templates with .Files.Get). Run by `make manifests`; `make check-generated`
# fails when the copies are stale, and charts/chart_test.go proves the rendered
# chart and config/default agree.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
chart="${root}/charts/schema-controller"
mkdir -p "${chart}/crds" "${chart}/files"
rm -f "${chart}"/crds/*.yaml
cp "${root}"/config/crd/bases/*.yaml "${chart}/crds/"
cp "${root}/config/rbac/role.yaml" "${root}/config/rbac/leader_election_role.yaml" "${chart}/files/"
cp "${root}/config/monitoring/prometheusrule.yaml" "${root}/config/monitoring/dashboard.json" "${chart}/files/"
