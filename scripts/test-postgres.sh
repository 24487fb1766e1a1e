#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on loopback for the test suite: `start` initializes a data
# directory under /tmp, starts the server on port ${NUMERAL_TEST_PG_PORT:-54329} with trust
# authentication for the user "numeral", and prints the URL tests use (NUMERAL_TEST_POSTGRES);
# `stop` stops it and removes the directory; `pause` and `resume` stop and start it again
# with its data (for tests of a server that goes away mid-stream). As root it runs the server as the postgres user
# (PostgreSQL refuses to run as root).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
port=${NUMERAL_TEST_PG_PORT:-54329}
dir=/tmp/numeral-test-pg-$port
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    [ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
    if run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then echo "postgresql://numeral@127.0.0.1:$port/postgres"; exit 0; fi
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    run "$bin/initdb" -D "$dir/data" -U numeral --auth=trust -E UTF8 >/dev/null
    run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null
    echo "postgresql://numeral@127.0.0.1:$port/postgres"
    ;;
  pause)
    run "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    ;;
  stop)
    [ -n "$bin" ] && run "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop|pause|resume" >&2; exit 2 ;;
esac
