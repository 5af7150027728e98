#!/usr/bin/env bash
# Installs (if missing) and starts a local PostgreSQL with role `lotse` (password `lotse`) and the
# databases `lotse` and `lotse_test`. Idempotent; run as root on Debian. Used by .ci/run and by
# developers before `pnpm test` so the PostgreSQL half of the server's store suite runs.
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql
fi

# First cluster line: "<version> <name> <port> <status> ..."
read -r version cluster status < <(pg_lsclusters --no-header | awk 'NR==1 { print $1, $2, $4 }')
if [ -z "${version:-}" ]; then
  echo "postgres.sh: no PostgreSQL cluster found (pg_lsclusters is empty)" >&2
  exit 1
fi
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start
fi

# Wait until the server accepts connections (a fresh start takes a moment).
for _ in $(seq 1 30); do
  if su postgres -c "psql -tAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 0.5
done

psql_as_postgres() { su postgres -c "psql -v ON_ERROR_STOP=1 -tAc \"$1\""; }

if [ "$(psql_as_postgres "select 1 from pg_roles where rolname = 'lotse'")" != "1" ]; then
  psql_as_postgres "create role lotse login password 'lotse'"
fi
for db in lotse lotse_test lotse_bench; do
  if [ "$(psql_as_postgres "select 1 from pg_database where datname = '$db'")" != "1" ]; then
    psql_as_postgres "create database $db owner lotse"
  fi
done

echo "postgres.sh: PostgreSQL $version/$cluster is up; postgres://lotse:lotse@127.0.0.1:5432/lotse_test"
