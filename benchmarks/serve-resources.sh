#!/usr/bin/env bash
# What one `numeral serve` replica needs, for the Kubernetes requests and limits
# (deploy/kubernetes/deployment.yaml): its resident memory (idle, after the first request, and the
# peak sampled every 0.2 s under load) and the CPU it burns (utime + stime from /proc: cores used
# on average, and CPU milliseconds per answered request) under wrk on loopback, for drawings and
# PNGs at 1, 16 and 64 connections. Like a replica of the fleet it logs to PostgreSQL (a throwaway
# server from scripts/test-postgres.sh on port 54339), so the CPU counted is the server's alone.
# A benchmark, not a test.
# Usage: benchmarks/serve-resources.sh [path/to/numeral]   (default: .build/release/numeral)
#   SECONDS_PER_RUN (10), WORKERS (2: the Deployment's --workers), SQLITE=1 logs to SQLite instead.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-.build/release/numeral}")
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WORKERS=${WORKERS:-2}
work=$(mktemp -d)
export NUMERAL_TEST_PG_PORT=54339
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  [ "${SQLITE:-0}" = 1 ] || scripts/test-postgres.sh stop
  rm -rf "$work"
}
trap cleanup EXIT

echo '{"strokes": [[[60, 50], [140, 50], [220, 50], [180, 120], [140, 190], [110, 250]]], "width": 280, "height": 280}' > "$work/drawing.json"
python3 - "$work/one.png" <<'PY'
import struct, sys, zlib
w = h = 64
rows = b"".join(b"\0" + bytes(0 if (29 <= x < 35 and 10 <= y < 54) else 255 for x in range(w)) for y in range(h))
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
for kind in drawing:application/json:drawing.json png:image/png:one.png; do
  IFS=: read -r name type file <<<"$kind"
  cat > "$work/$name.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "$type"
local f = io.open("$work/$file", "rb"); wrk.body = f:read("*a"); f:close()
LUA
done

log_args=()
if [ "${SQLITE:-0}" != 1 ]; then
  url=$(scripts/test-postgres.sh start)
  log_args=(--log "$url")
fi
"$BIN" serve --port 0 --data-dir "$work/data" --rate 0 --workers "$WORKERS" "${log_args[@]}" > "$work/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
  URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/server.log" | head -1 || true)
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { echo "server did not start: $(cat "$work/server.log")" >&2; exit 1; }

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
hz=$(getconf CLK_TCK)
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

idle=$(rss_kib)
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$work/drawing.json" "$URL/api/v1/predictions"
first=$(rss_kib)
echo "numeral serve --workers $WORKERS, log: ${SQLITE:+SQLite}${log_args[1]:-} ($(nproc) cores, ${SECONDS_PER_RUN} s per run, no rate limit)"
echo
echo "| input | connections | requests/s | p99 | CPU (cores) | CPU ms per request | peak RSS (MiB) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
overall_peak=$first
for input in drawing png; do
  for c in 1 16 64; do
    sleep 2
    peak_file="$work/peak"; echo 0 > "$peak_file"
    ( peak=0; while kill -0 $PID 2>/dev/null; do r=$(rss_kib); [ "$r" -gt "$peak" ] && { peak=$r; echo "$peak" > "$peak_file"; }; sleep 0.2; done ) &
    sampler=$!
    t0=$(date +%s.%N); c0=$(cpu_ticks)
    out=$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${SECONDS_PER_RUN}s" --timeout 10s --latency -s "$work/$input.lua" "$URL/api/v1/predictions")
    c1=$(cpu_ticks); t1=$(date +%s.%N)
    kill $sampler 2>/dev/null; wait $sampler 2>/dev/null || true
    peak=$(cat "$peak_file")
    [ "$peak" -gt "$overall_peak" ] && overall_peak=$peak
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    total=$(awk '/requests in/ {print $1}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); errors=${errors:-0}
    cores=$(awk -v d=$((c1 - c0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.2f", d / hz / (t1 - t0)}')
    per=$(awk -v d=$((c1 - c0)) -v hz="$hz" -v n="$total" 'BEGIN {printf "%.2f", d / hz * 1000 / n}')
    echo "| $input | $c | $rps | $p99 | $cores | $per | $(mib "$peak") |${errors/#0/}"
  done
done
echo
echo "Resident memory: $(mib "$idle") MiB idle after start, $(mib "$first") MiB after the first request, peak $(mib "$overall_peak") MiB under load, $(mib "$(rss_kib)") MiB at the end."
