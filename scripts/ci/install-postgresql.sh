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

. "$(dirname "$0")/apt-install.sh"
apt_install install-postgresql.sh "install the PostgreSQL server (initdb, pg_ctl) another way and set METATUNE_PG_BIN to its bin folder" postgresql
"$(find_initdb)" --version
