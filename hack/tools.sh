#!/usr/bin/env bash
# Builds the pinned development tools of hack/tools/go.mod (a module of its own, so the
# tools' dependencies never enter the project's go.mod) into bin/. Everything comes
# from the Go module proxy. A tool already built at the pinned version is not rebuilt.
#
#   hack/tools.sh golangci-lint   -> bin/golangci-lint
#   hack/tools.sh govulncheck     -> bin/govulncheck
#   hack/tools.sh promtool        -> bin/promtool (module hack/promtool: Prometheus's
#                                    dependencies stay apart from golangci-lint's)
#   hack/tools.sh helm            -> bin/helm (module hack/helm), for the tests of
#                                    charts/schema-controller
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"

for tool in "$@"; do
	moddir="${root}/hack/tools"
	case "${tool}" in
		golangci-lint) modpath=github.com/golangci/golangci-lint/v2 pkg=${modpath}/cmd/golangci-lint ;;
		govulncheck) modpath=golang.org/x/vuln pkg=${modpath}/cmd/govulncheck ;;
		promtool) modpath=github.com/prometheus/prometheus pkg=${modpath}/cmd/promtool moddir="${root}/hack/promtool" ;;
		helm) modpath=helm.sh/helm/v4 pkg=${modpath}/cmd/helm moddir="${root}/hack/helm" ;;
		*) echo "tools: unknown tool ${tool}" >&2; exit 2 ;;
	esac
	cd "${moddir}"
	mod="$(go list -m -f '{{.Path}}@{{.Version}}' "${modpath}")"
	out="${root}/bin/${tool}"
	stamp="${root}/bin/.${tool}.version"
	if [ -x "${out}" ] && [ "$(cat "${stamp}" 2>/dev/null)" = "${mod}" ]; then
		continue
	fi
	echo "tools: building ${tool} (${mod}); cold builds take a few minutes, cached afterwards"
	start=$(date +%s)
	mkdir -p "${root}/bin"
	# Build into a temp name and rename, so an interrupted build never looks complete.
	go build -trimpath -o "${out}.tmp" "${pkg}"
	mv "${out}.tmp" "${out}"
	echo "${mod}" >"${stamp}"
	echo "tools: built ${tool} in $(( $(date +%s) - start ))s"
done
