#!/usr/bin/env bash
# `numeral serve` under wrk on loopback: requests per second and latency p50/p99 for drawing and
# PNG predictions at 1, 16 and 64 connections, resident memory before and after 100,000
# requests, and the same load under the default rate limit. Then, in the same run, the same
# requests against the Flask + TensorFlow endpoint Numeral replaces (benchmarks/flask_tf_app.py:
# the seed apps' Keras CNN, trained for one epoch on 12,800 MNIST images) as the seed apps run it
# (Flask's threaded dev server, `model.predict`) and as it would be deployed (gunicorn, two sync
# workers, `predict_on_batch`). A benchmark, not a test. FLASK=0 skips the comparison; it needs
# python3 with tensorflow, flask, gunicorn and pillow (installed with pip when missing) and
# MNIST in ../shared/data/mnist (or MNIST_DIR). Shorter runs: MEMORY_REQUESTS=0 skips the
# memory soak (default 100000 requests, twice), FLASK_SERVERS=gunicorn skips the dev server.
# SERVE_ARGS adds flags to `numeral serve`: to serve the peer's own network, train it with
# `numeral train --arch baseline` and run with SERVE_ARGS="--model FILE" NUMERAL_TRAJECTORY_MODEL=off
# NUMERAL_PICTURE_MODEL=off.
# Usage: benchmarks/serve-wrk.sh [path/to/numeral]   (default: .build/release/numeral)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-.build/release/numeral}")
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# Request bodies: a drawn "7" and a 64x64 PNG of a "1".
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

start_server() { # args: extra flags; sets PID and URL
  local log="$work/server-$RANDOM.log"
  # shellcheck disable=SC2086 # SERVE_ARGS is split into flags on purpose
  "$BIN" serve --port 0 --data-dir "$work/data" ${SERVE_ARGS:-} "$@" > "$log" 2>&1 &
  PID=$!
  for _ in $(seq 100); do
    URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$log" | head -1 || true)
    [ -n "$URL" ] && return 0
    sleep 0.1
  done
  echo "server did not start: $(cat "$log")" >&2; exit 1
}
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
rss_tree_mib() { # a process and its children (gunicorn's workers)
  local kb=0 p
  for p in $1 $(ps -o pid= --ppid "$1"); do kb=$((kb + $(awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done
  awk -v kb="$kb" 'BEGIN {printf "%.1f", kb / 1024}'
}
run_wrk() { # connections script -> "req/s p50 p99 non2xx total"
  local out
  # Requests a closed connection left behind still finish on the server: let them drain first.
  sleep 3
  out=$(wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"${SECONDS_PER_RUN}s" --timeout 10s --latency -s "$work/$2.lua" "$URL/api/v1/predictions")
  local rps p50 p99 non2xx total
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  # Connect, read, write errors and timeouts (wrk gives up on an answer after --timeout) count too.
  non2xx=$((non2xx + $(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' <<<"$out" || echo 0) + 0))
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $p50 $p99 $non2xx $total"
}

echo "numeral serve ${SERVE_ARGS:-} under wrk ($(nproc) cores, ${SECONDS_PER_RUN} s per run, --workers 2, no rate limit)"
start_server --rate 0
curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$work/drawing.json" "$URL/api/v1/predictions" > /dev/null
before=$(rss_mib $PID)
echo
echo "| input | connections | requests/s | p50 | p99 | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
sent=0
for input in drawing png; do
  for c in 1 16 64; do
    read -r rps p50 p99 non2xx total <<<"$(run_wrk "$c" "$input")"
    sent=$((sent + total))
    echo "| $input | $c | $rps | $p50 | $p99 | $non2xx |"
  done
done
memory_requests=${MEMORY_REQUESTS:-100000}
while [ "$memory_requests" -gt 0 ] && [ "$sent" -lt "$memory_requests" ]; do
  read -r _ _ _ _ total <<<"$(run_wrk 16 drawing)"
  sent=$((sent + total))
done
after=$(rss_mib $PID); first=$sent
while [ "$sent" -lt $((first + memory_requests)) ]; do
  read -r _ _ _ _ total <<<"$(run_wrk 16 drawing)"
  sent=$((sent + total))
done
echo
echo "Resident memory: $before MiB after the first request, $after MiB after $first requests, $(rss_mib $PID) MiB after $sent."
echo "Answers by status (from /metrics):"
curl -s "$URL/metrics" | grep -E '^numeral_(http_requests|log_writes|log_commits)_total' | sed 's/^/  /'
kill $PID; wait $PID 2>/dev/null || true

echo
echo "Under the default rate limit (20 requests/s per client, burst 40), all connections from one address:"
start_server
read -r rps p50 p99 non2xx total <<<"$(run_wrk 16 drawing)"
echo "| drawing | 16 | $rps answered/s | p50 $p50 | p99 $p99 | $non2xx of $total answered 429 |"
kill $PID; wait $PID 2>/dev/null || true

[ "${FLASK:-1}" = 0 ] && exit 0
echo
echo "The same requests against Flask + TensorFlow (benchmarks/flask_tf_app.py), one after the other:"
python3 -c "import tensorflow, flask, gunicorn, PIL" 2>/dev/null || {
  echo "Installing the comparison's Python packages: tensorflow-cpu flask gunicorn pillow"
  python3 -m pip install --quiet tensorflow-cpu flask gunicorn pillow 2>/dev/null \
    || python3 -m pip install --quiet --break-system-packages tensorflow-cpu flask gunicorn pillow
}
mnist=${MNIST_DIR:-../shared/data/mnist}
python3 benchmarks/flask_tf_app.py train --out "$work/seed.keras" --mnist "$mnist" 2>/dev/null
python3 -c "import tensorflow as tf, flask, gunicorn; print(f'TensorFlow {tf.__version__}, Flask {flask.__version__}, gunicorn {gunicorn.__version__}')" 2>/dev/null
free_port() { python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
start_flask() { # kind -> sets PID and URL
  local port log="$work/flask-$1.log"
  port=$(free_port)
  URL="http://127.0.0.1:$port"
  if [ "$1" = dev ]; then
    NUMERAL_FLASK_CALL=predict python3 benchmarks/flask_tf_app.py serve --model "$work/seed.keras" --port "$port" \
      --log "$work/flask-$1.csv" > "$log" 2>&1 &
  else
    NUMERAL_FLASK_CALL=batch NUMERAL_FLASK_MODEL="$work/seed.keras" NUMERAL_FLASK_LOG="$work/flask-$1.csv" \
      gunicorn --chdir benchmarks -w 2 -b "127.0.0.1:$port" --timeout 60 'flask_tf_app:create_app()' > "$log" 2>&1 &
  fi
  PID=$!
  for _ in $(seq 240); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$work/drawing.json" "$URL/api/v1/predictions" && return 0
    sleep 0.5
  done
  echo "the Flask app did not start: $(tail -5 "$log")" >&2; exit 1
}
echo
echo "| server | input | connections | requests/s | p50 | p99 | errors |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
memory=()
for kind in ${FLASK_SERVERS:-dev gunicorn}; do
  start_flask "$kind"
  # Both of gunicorn's workers warm (each loads the model on its first request).
  for _ in 1 2 3 4; do curl -s -o /dev/null -X POST -H 'Content-Type: image/png' --data-binary @"$work/one.png" "$URL/api/v1/predictions"; done
  before=$(rss_tree_mib $PID); sent=0
  label=$([ "$kind" = dev ] && echo "Flask dev server, model.predict" || echo "gunicorn -w 2, predict_on_batch")
  for input in drawing png; do
    for c in 1 16 64; do
      read -r rps p50 p99 non2xx total <<<"$(run_wrk "$c" "$input")"
      sent=$((sent + total))
      echo "| $label | $input | $c | $rps | $p50 | $p99 | $non2xx |"
    done
  done
  memory+=("$label: $before MiB after warm-up, $(rss_tree_mib $PID) MiB after $sent requests")
  kill $PID; wait $PID 2>/dev/null || true
done
echo
printf 'Resident memory (the server and its workers): %s.\n' "$(IFS=';'; echo "${memory[*]}" | sed 's/;/; /g')"
