#!/usr/bin/env bash
# Builds Flux's source-controller and notification-controller from the Go module proxy
# (versions pinned in hack/fluxbin/go.mod) into bin/flux/<versions>/, for the
# process-level Flux tests (test/flux). Nothing is downloaded from anywhere else. The
# build is skipped when the binaries of the pinned versions are already present: the
# directory name is the version stamp, and each binary is built under a temporary name
# and renamed, so an interrupted build never looks complete.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mod="${root}/hack/fluxbin/go.mod"
ver() { awk -v m="$1" '$1==m {print $2}' "${mod}"; }
sc="$(ver github.com/fluxcd/source-controller)"
nc="$(ver github.com/fluxcd/notification-controller)"
out="${FLUX_ASSETS:-${root}/bin/flux/source-controller-${sc}_notification-controller-${nc}}"
want=(source-controller notification-controller)

missing=()
for b in "${want[@]}"; do
	[ -x "${out}/${b}" ] || missing+=("$b")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "fluxbin: source-controller ${sc} and notification-controller ${nc} present in ${out#"${root}"/}, skipping build"
	exit 0
fi

mkdir -p "${out}"
cd "${root}/hack/fluxbin"
for b in "${missing[@]}"; do
	echo "fluxbin: building ${b} $(ver "github.com/fluxcd/${b}") (cold builds take many minutes; cached afterwards)"
	start=$(date +%s)
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${out}/.${b}.tmp" "github.com/fluxcd/${b}"
	mv "${out}/.${b}.tmp" "${out}/${b}"
	echo "fluxbin: built ${b} in $(( $(date +%s) - start ))s"
done
