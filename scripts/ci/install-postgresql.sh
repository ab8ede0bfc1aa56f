#!/bin/sh
# Installs Debian's PostgreSQL server binaries for the PostgreSQL tests (test/store/postgres*.test.ts,
# test/search/storage-postgres.test.ts, test/search/workers-postgres.test.ts), which start their own
# throw-away cluster with /usr/lib/postgresql/*/bin/initdb and pg_ctl (as `nobody` when run as root)
# on a free local port. No cluster is created or started here: Debian's package creates a default
# cluster, which the tests do not use; it is left stopped.
# Idempotent: does nothing when initdb is already installed. Needs root (or sudo) and apt.
set -eu

find_initdb() {
  ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1
}

if [ -n "$(find_initdb)" ]; then
  echo "postgresql present: $("$(find_initdb)" --version)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-postgresql.sh: need root or sudo to apt-get install postgresql" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-postgresql.sh: apt-get not found; install the PostgreSQL server (initdb, pg_ctl) another way and set METATUNE_PG_BIN to its bin folder" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends postgresql
"$(find_initdb)" --version
