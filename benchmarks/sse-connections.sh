#!/usr/bin/env bash
# What the dashboard's server-sent events cost a shared PostgreSQL log: `numeral serve --log
# postgresql://…` with CLIENTS browsers (curl clients of GET /api/v1/events, one tick a second
# each) for SECONDS, counting the connections the server opened to PostgreSQL in that window
# (log_connections lines in the server's log; also those after the first 10 s) and the backends
# still open at the end.
# Needs PostgreSQL's server binaries (scripts/test-postgres.sh starts a throwaway server on
# port ${NUMERAL_TEST_PG_PORT:-54363}) and psql.
# Usage: benchmarks/sse-connections.sh [path/to/numeral] [seconds] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/debug/numeral}
seconds=${2:-60}
clients=${3:-5}
[ -x "$bin" ] || { echo "build first: swift build" >&2; exit 1; }
export NUMERAL_TEST_PG_PORT=${NUMERAL_TEST_PG_PORT:-54363}
base=$(scripts/test-postgres.sh start)
serverlog=/tmp/numeral-test-pg-$NUMERAL_TEST_PG_PORT/server.log
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; scripts/test-postgres.sh stop; rm -rf "$tmp"; }
trap cleanup EXIT
pg() { psql "$base" -qtAc "$1"; }
pg "CREATE DATABASE sse"
url="${base%/postgres}/sse"
pg "ALTER SYSTEM SET log_connections = on" >/dev/null
pg "SELECT pg_reload_conf()" >/dev/null
port=$(( 18000 + RANDOM % 2000 ))
token=$("$bin" serve token create --role viewer --name sse --data-dir "$tmp" | grep -o 'nmr_[A-Za-z0-9_]*' | head -1)
"$bin" serve --log "$url" --data-dir "$tmp" --port "$port" --device sse-bench >"$tmp/serve.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$tmp/serve.out"; exit 1; }
# One prediction, so the stats are not empty.
curl -fs -X POST -H 'Content-Type: application/json' \
     -d '{"strokes": [[[60,50],[220,50],[110,250]]], "width": 280, "height": 280}' \
     "http://127.0.0.1:$port/api/v1/predictions" >/dev/null
sleep 2
before=$(grep -c 'connection authorized' "$serverlog" || true)
for i in $(seq 1 "$clients"); do
  curl -sN -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/events" >"$tmp/events-$i" &
  pids+=($!)
done
settle=$(( seconds < 20 ? seconds / 2 : 10 ))
sleep "$settle"
settled=$(grep -c 'connection authorized' "$serverlog" || true)
sleep $(( seconds - settle ))
after=$(grep -c 'connection authorized' "$serverlog" || true)
open=$(pg "SELECT count(*) FROM pg_stat_activity WHERE datname = 'sse' AND pid <> pg_backend_pid()")
ticks=0
for i in $(seq 1 "$clients"); do ticks=$(( ticks + $(grep -c -e '^event: stats' -e '^: keep-alive' "$tmp/events-$i" || true) )); done
echo "clients=$clients seconds=$seconds sse_ticks=$ticks connections_opened=$(( after - before )) of_which_after_${settle}s=$(( after - settled )) backends_open_at_end=$open"
