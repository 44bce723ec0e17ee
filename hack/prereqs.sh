#!/usr/bin/env bash
# Checks the tools the build, the tests and the demo need, and installs what is missing
# where it can (PostgreSQL and git with apt-get when run as root on Debian/Ubuntu).
set -euo pipefail

need_apt=()
command -v go >/dev/null 2>&1 || { echo "prereqs: Go is missing: install Go >= 1.26 (https://go.dev/dl)" >&2; exit 1; }
gov=$(go env GOVERSION | sed 's/^go//')
case "$gov" in 1.2[6-9]*|1.[3-9]*) ;; *) echo "prereqs: Go ${gov} found, Go >= 1.26 required" >&2; exit 1 ;; esac

command -v git >/dev/null 2>&1 || need_apt+=(git)
pgbin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && pgbin="$d"; done
if [ -z "$pgbin" ] && ! command -v initdb >/dev/null 2>&1; then need_apt+=(postgresql); fi
command -v psql >/dev/null 2>&1 || need_apt+=(postgresql-client)
command -v pg_dump >/dev/null 2>&1 || need_apt+=(postgresql-client)

if [ ${#need_apt[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "prereqs: installing ${need_apt[*]} with apt-get"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
	else
		echo "prereqs: missing ${need_apt[*]}; install them (e.g. sudo apt-get install ${need_apt[*]})" >&2
		exit 1
	fi
fi
echo "prereqs: go ${gov}, $(git --version), $(pg_dump --version)"
