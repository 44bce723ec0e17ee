#!/usr/bin/env bash
# Prints a URL for the local PostgreSQL server when one answers on 127.0.0.1:5432 with
# trust auth for postgres; prints nothing otherwise (the tests then start a throwaway
# cluster of their own).
if command -v psql >/dev/null 2>&1 && \
	psql -X -q -w "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=3" -c 'select 1' >/dev/null 2>&1; then
	echo "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
fi
