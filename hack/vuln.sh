#!/usr/bin/env bash
# Checks the module's dependencies (and the Go standard library of this toolchain)
# against the Go vulnerability database, with no network beyond the Go module proxy:
# the database is golang.org/x/vulndb's data/osv folder (one OSV JSON file per
# report), fetched as a module at a pinned pseudo-version and indexed with that
# module's own cmd/indexdb into bin/vulndb/<version>, then read by govulncheck through
# -db file://. Bump VULNDB_VERSION to pick up newer reports (`go list -m -versions` does
# not list pseudo-versions; `go list -m golang.org/x/vulndb@master` gives the newest).
set -euo pipefail

VULNDB_VERSION="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
root="$(cd "$(dirname "$0")/.." && pwd)"
db="${root}/bin/vulndb/${VULNDB_VERSION}"

"${root}/hack/tools.sh" govulncheck

if [ ! -f "${db}/index/db.json" ]; then
	echo "vuln: building the vulnerability database from golang.org/x/vulndb@${VULNDB_VERSION} (first run takes minutes)"
	start=$(date +%s)
	src="$(cd "${root}/hack/tools" && go mod download -json "golang.org/x/vulndb@${VULNDB_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[ -d "${src}/data/osv" ] || { echo "vuln: ${src}/data/osv missing" >&2; exit 1; }
	GOBIN="${root}/bin" go install "golang.org/x/vulndb/cmd/indexdb@${VULNDB_VERSION}"
	rm -rf "${db}.tmp"
	"${root}/bin/indexdb" -vulns "${src}/data/osv" -out "${db}.tmp"
	mv "${db}.tmp" "${db}"
	echo "vuln: indexed $(ls "${db}/ID" | grep -c '\.json$') reports in $(( $(date +%s) - start ))s"
fi

cd "${root}"
exec bin/govulncheck -db "file://${db}" ./...
