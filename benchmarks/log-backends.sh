#!/usr/bin/env bash
# The prediction log on SQLite and on PostgreSQL side by side, in one run:
#   * inserts per second from 1, 8 and 32 concurrent writer processes, each writing as a kiosk
#     does (`numeral log stress-write --uid-prefix`: one durable upsert per prediction);
#   * `numeral stats --json` time and peak memory over a log of 1,000,000 predictions.
# Needs PostgreSQL's server binaries (scripts/test-postgres.sh starts a throwaway server on
# port 54350) and python3. Usage: benchmarks/log-backends.sh [path/to/numeral] [rows] [stats]
# ("stats" skips the writers' table). Each stats row is timed twice: from the roll-up tables
# (the default) and reading the log alone (NUMERAL_ANALYTICS=scan, how stats worked before them).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/numeral}
rows=${2:-1000000}
[ -x "$bin" ] || { echo "build first: swift build -c release" >&2; exit 1; }
export NUMERAL_TEST_PG_PORT=54350
base=$(scripts/test-postgres.sh start)
tmp=$(mktemp -d)
trap 'scripts/test-postgres.sh stop; rm -rf "$tmp"' EXIT
pg() { psql "$base" -qtAc "$1"; }
url_of() { echo "${base%/postgres}/$1"; }
now() { date +%s.%N; }

echo "| Concurrent writers | SQLite inserts/s | PostgreSQL inserts/s |"
echo "| --- | --- | --- |"
writer_counts="1 8 32"
[ "${3:-}" = stats ] && writer_counts=""
for writers in $writer_counts; do
  per=$(( 4800 / writers ))
  result=()
  for backend in sqlite postgres; do
    dir="$tmp/$backend-$writers"; mkdir -p "$dir"
    args=(--data-dir "$dir")
    if [ "$backend" = postgres ]; then
      pg "CREATE DATABASE w$writers"
      args=(--log "$(url_of w$writers)")
      # The schema first (migrations are not what is measured).
      "$bin" log stress-write --count 1 --uid-prefix warm --log "$(url_of w$writers)" --data-dir "$dir/warm" >/dev/null
    else
      "$bin" log stress-write --count 1 --uid-prefix warm --data-dir "$dir" >/dev/null
    fi
    start=$(now)
    for k in $(seq 1 "$writers"); do
      mkdir -p "$dir/spool$k"
      if [ "$backend" = postgres ]; then
        "$bin" log stress-write --count "$per" --uid-prefix "w$k" "${args[@]}" --data-dir "$dir/spool$k" >/dev/null &
      else
        "$bin" log stress-write --count "$per" --uid-prefix "w$k" "${args[@]}" >/dev/null &
      fi
    done
    wait
    seconds=$(python3 -c "print($(now) - $start)")
    result+=("$(python3 -c "print(round($writers * $per / $seconds))")")
  done
  echo "| $writers | ${result[0]} | ${result[1]} |"
done

# A log of $rows predictions on both backends: written by SQL (setting up the benchmark is not
# what is measured), spread over a year, 70 % with feedback, four devices.
"$bin" log stress-write --count 1 --uid-prefix seed --data-dir "$tmp/big" >/dev/null
python3 - "$tmp/big/numeral.sqlite" "$rows" <<'PY'
import sqlite3, sys, random, datetime
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2]); rng = random.Random(5)
t0 = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
def row(i):
    p = rng.randrange(10); a = (p if rng.random() < 0.93 else rng.randrange(10)) if rng.random() < 0.7 else None
    ts = (t0 + datetime.timedelta(seconds=i * 31.5)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    return (ts, ['canvas', 'upload', 'camera', 'api'][i % 4], str(p), round(rng.random(), 4), None if a is None else str(a),
            'm1', round(rng.random() * 3, 3), '[]', f'kiosk-{i % 4}', f'b-{i}')
db.execute("DELETE FROM predictions")
db.executemany("INSERT INTO predictions (timestamp, input_type, digit_predicted, confidence, digit_actual, model_version, "
               "latency_ms, top3, device, uid) VALUES (?,?,?,?,?,?,?,?,?,?)", (row(i) for i in range(n)))
db.commit()
PY
pg "CREATE DATABASE big"
"$bin" log stress-write --count 1 --uid-prefix seed --log "$(url_of big)" --data-dir "$tmp/pgseed" >/dev/null
psql "$(url_of big)" -qtAc "DELETE FROM predictions;

  INSERT INTO predictions (timestamp, input_type, digit_predicted, confidence, digit_actual, model_version, latency_ms, top3, device, uid)
  SELECT timestamptz '2025-01-01 00:00:00+00' + (i * 31.5) * interval '1 second',
         (ARRAY['canvas','upload','camera','api'])[1 + i % 4], (i * 7 % 10)::text, (i % 10000) / 10000.0,
         CASE WHEN i % 10 < 7 THEN CASE WHEN i % 15 = 0 THEN ((i + 1) % 10)::text ELSE (i * 7 % 10)::text END END,
         'm1', (i % 3000) / 1000.0, '[]', 'kiosk-' || (i % 4), 'b-' || i
  FROM generate_series(0, $rows - 1) AS i;"
# As autovacuum does after a bulk insert: the visibility map lets the percentiles walk the index alone.
psql "$(url_of big)" -qtAc "VACUUM ANALYZE predictions"

measure() {  # prints "seconds MB"
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null
  awk '{printf "%.2f s, %.0f MB", $1, $2 / 1024}' "$tmp/time"
}
both() {  # roll-ups | scan
  echo "$(measure "$@") | $(NUMERAL_ANALYTICS=scan measure "$@")"
}
echo
echo "| \`numeral stats --json\` over $rows predictions | SQLite, roll-ups | SQLite, scan | PostgreSQL, roll-ups | PostgreSQL, scan |"
echo "| --- | --- | --- | --- | --- |"
echo "| whole log | $(both "$bin" stats --json --data-dir "$tmp/big") | $(both "$bin" stats --json --log "$(url_of big)") |"
echo "| one device | $(both "$bin" stats --json --data-dir "$tmp/big" --device kiosk-2) | $(both "$bin" stats --json --log "$(url_of big)" --device kiosk-2) |"
echo "| one month | $(both "$bin" stats --json --data-dir "$tmp/big" --from 2025-03-01 --to 2025-03-31) | $(both "$bin" stats --json --log "$(url_of big)" --from 2025-03-01 --to 2025-03-31) |"
echo "| one day | $(both "$bin" stats --json --data-dir "$tmp/big" --from 2025-03-01 --to 2025-03-02) | $(both "$bin" stats --json --log "$(url_of big)" --from 2025-03-01 --to 2025-03-02) |"
