#!/usr/bin/env bash
# Builds the local control plane (kube-apiserver, etcd, kubectl) from the Go module
# proxy into bin/k8s/<version>/. Nothing is downloaded from anywhere else. The build is
# skipped when the binaries of the wanted version are already present.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.37.2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${root}/bin/k8s/${K8S_VERSION}"
want=(kube-apiserver etcd kubectl)

missing=()
for b in "${want[@]}"; do
	[ -x "${out}/${b}" ] || missing+=("$b")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "testbin: kube-apiserver, etcd and kubectl v${K8S_VERSION} present in bin/k8s/${K8S_VERSION}, skipping build"
	exit 0
fi

mkdir -p "${out}"
cd "${root}/hack/testbin"
pkg="k8s.io/component-base/version"
ldflags="-s -w -X ${pkg}.gitVersion=v${K8S_VERSION} -X ${pkg}.gitMajor=${K8S_VERSION%%.*} -X ${pkg}.gitMinor=$(echo "${K8S_VERSION}" | cut -d. -f2) -X ${pkg}.gitTreeState=clean"
for b in "${missing[@]}"; do
	case "$b" in
		kube-apiserver) src=k8s.io/kubernetes/cmd/kube-apiserver ;;
		kubectl) src=k8s.io/kubernetes/cmd/kubectl ;;
		etcd) src=./etcd ;;
	esac
	echo "testbin: building ${b} v${K8S_VERSION} (cold builds take minutes; cached afterwards)"
	start=$(date +%s)
	# Build into a temp name and rename, so an interrupted build never looks complete.
	CGO_ENABLED=0 go build -trimpath -ldflags "${ldflags}" -o "${out}/.${b}.tmp" "${src}"
	mv "${out}/.${b}.tmp" "${out}/${b}"
	echo "testbin: built ${b} in $(( $(date +%s) - start ))s"
done
