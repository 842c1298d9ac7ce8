#!/usr/bin/env bash
# Start (or reuse) a throw-away PostgreSQL server on loopback for the test suite and print the
# database URL to use.  Needs the Debian `postgresql` package (scripts/setup.sh installs it).
#   scripts/pg.sh start   -> prints postgres://vlrkit:vlrkit@127.0.0.1:PORT/vlrkit
#   scripts/pg.sh stop
set -euo pipefail
PORT=${VLRKIT_PG_PORT:-54329}
DATA=${VLRKIT_PG_DATA:-/tmp/vlrkit-pg-$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "pg.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 3; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -s "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
      as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    fi
    as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qtAc \
      "SELECT 1 FROM pg_roles WHERE rolname='vlrkit'" | grep -q 1 || \
      as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc \
        "CREATE ROLE vlrkit LOGIN CREATEDB PASSWORD 'vlrkit'" >/dev/null
    as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname='vlrkit'" | grep -q 1 || \
      as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE vlrkit OWNER vlrkit" >/dev/null
    echo "postgres://vlrkit:vlrkit@127.0.0.1:$PORT/vlrkit"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: pg.sh start|stop" >&2; exit 2 ;;
esac
