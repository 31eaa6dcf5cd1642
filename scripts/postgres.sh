#!/usr/bin/env bash
# A throwaway PostgreSQL on loopback for the test suite.
#
#   scripts/postgres.sh CMD ARGS...   start a cluster, run CMD with COACHLOOP_TEST_POSTGRES_URL
#                                     exported, stop and delete the cluster afterwards
#   scripts/postgres.sh               start a cluster, print the URL, stop it on Ctrl-C
#
# PostgreSQL comes from Debian's packages: when initdb/pg_ctl are missing and we are root,
# `apt-get update` once and `apt-get install -y postgresql`. The cluster lives in a temp dir,
# owned by the postgres user when we are root (initdb refuses to run as root), listening on
# 127.0.0.1 only, on a free port, with trust authentication (loopback, throwaway data).
set -euo pipefail

# A server given from outside (CI service, a developer's own) is used as it is.
if [ -n "${COACHLOOP_TEST_POSTGRES_URL:-}" ] && [ "$#" -gt 0 ]; then
  exec "$@"
fi

find_bin() {
  local name=$1 dir
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
  done
  return 1
}

if ! find_bin initdb >/dev/null || ! find_bin pg_ctl >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed and we are not root (apt-get install postgresql)" >&2
    exit 3
  fi
  echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE=$(mktemp -d "${TMPDIR:-/tmp}/coachloop-pg.XXXXXX")
DATA=$BASE/data
DBUSER=$(id -un)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$BASE"
  DBUSER=postgres
fi

cleanup() {
  as_owner "$PG_CTL" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$BASE"
}
trap cleanup EXIT INT TERM

as_owner "$INITDB" -D "$DATA" -U "$DBUSER" --auth=trust --encoding=UTF8 --no-locale >"$BASE/initdb.log" 2>&1 \
  || { cat "$BASE/initdb.log" >&2; exit 1; }
as_owner "$PG_CTL" -D "$DATA" -w -t 60 -l "$BASE/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $BASE -c fsync=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$BASE/server.log" >&2; exit 1; }

export COACHLOOP_TEST_POSTGRES_URL="postgresql://$DBUSER@127.0.0.1:$PORT/postgres"
echo "postgres.sh: PostgreSQL on 127.0.0.1:$PORT: $COACHLOOP_TEST_POSTGRES_URL" >&2

if [ "$#" -gt 0 ]; then
  status=0
  "$@" || status=$?
  exit "$status"
fi
echo "$COACHLOOP_TEST_POSTGRES_URL"
echo "postgres.sh: press Ctrl-C to stop" >&2
while true; do sleep 3600; done
