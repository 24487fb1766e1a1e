#!/usr/bin/env bash
# `numeral log copy` of a kiosk's SQLite log into PostgreSQL: the time of the first copy and of
# running it again (everything already there, nothing added), and the rows in the target after
# each. The log holds $rows predictions as the app writes them (a 784-byte input each, top-3,
# four devices, 70 % with feedback). Needs PostgreSQL's server binaries (scripts/test-postgres.sh
# starts a throwaway server on port 54351) and python3. A benchmark, not a test.
# Usage: benchmarks/log-copy.sh [path/to/numeral] [rows]   (defaults: .build/release/numeral 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/release/numeral}")
rows=${2:-100000}
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
export NUMERAL_TEST_PG_PORT=54351
base=$(scripts/test-postgres.sh start)
tmp=$(mktemp -d)
trap 'scripts/test-postgres.sh stop; rm -rf "$tmp"' EXIT

"$bin" log stress-write --count 1 --uid-prefix seed --data-dir "$tmp/kiosk" >/dev/null
python3 - "$tmp/kiosk/numeral.sqlite" "$rows" <<'PY'
import datetime, json, random, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2]); rng = random.Random(7)
t0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
def row(i):
    p = rng.randrange(10); a = (p if rng.random() < 0.93 else rng.randrange(10)) if rng.random() < 0.7 else None
    ts = (t0 + datetime.timedelta(seconds=i * 31.5)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    top3 = json.dumps([{"digit": p, "probability": 0.9}, {"digit": (p + 1) % 10, "probability": 0.06},
                       {"digit": (p + 2) % 10, "probability": 0.04}])
    return (ts, ['canvas', 'upload', 'camera', 'api'][i % 4], str(p), round(rng.random(), 4), None if a is None else str(a),
            'm1', round(rng.random() * 3, 3), top3, rng.randbytes(784), f'kiosk-{i % 4}', f'c-{i}')
db.execute("DELETE FROM predictions")
db.executemany("INSERT INTO predictions (timestamp, input_type, digit_predicted, confidence, digit_actual, model_version, "
               "latency_ms, top3, input, device, uid) VALUES (?,?,?,?,?,?,?,?,?,?,?)", (row(i) for i in range(n)))
db.commit()
PY
psql "$base" -qtAc "CREATE DATABASE fleet"
target="${base%/postgres}/fleet"
for run in first again; do
  /usr/bin/time -f "%e" -o "$tmp/time" "$bin" log copy --from "$tmp/kiosk" --to "$target" > "$tmp/out" 2>&1
  echo "$run copy of $rows rows: $(cat "$tmp/time") s, $(psql "$target" -qtAc 'SELECT COUNT(*) FROM predictions') rows in PostgreSQL ($(tail -1 "$tmp/out" | tr -d '\r'))"
done
