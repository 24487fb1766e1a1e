#!/usr/bin/env bash
# Measures the desktop app's performance targets on the RELEASE binary under X and prints a
# Markdown table: startup to first frame, stroke end -> prediction shown, frame rate while
# drawing (xdotool and XTest), resident memory, and memory over a soak of N predictions.
#
#   scripts/bench-app.sh [--soak N] [--runs N] [--skip-build]
#
# Starts its own Xvfb on a free display when DISPLAY is unset. Needs xdotool and python3 (the
# pointer is injected through libXtst with ctypes so release times are on CLOCK_MONOTONIC).
# Uses temporary data directories; the real prediction log is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

SOAK=10000
RUNS=5
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --soak) SOAK="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    *) echo "usage: $0 [--soak N] [--runs N] [--skip-build]" >&2; exit 2 ;;
  esac
done

for tool in xdotool python3; do
  command -v "$tool" >/dev/null || { echo "bench-app: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
PENDIGITS="${NUMERAL_PENDIGITS:-$(cd .. && pwd)/shared/data/pendigits/pendigits-orig-train.json}"
[ -f "$PENDIGITS" ] || { echo "bench-app: $PENDIGITS not found; drawing synthetic digits instead" >&2; PENDIGITS=""; }

if [ "$BUILD" = 1 ]; then
  swift build -c release --product numeral >&2
fi
BIN="$(swift build -c release --show-bin-path)/numeral"
[ -x "$BIN" ] || { echo "bench-app: $BIN is missing; run without --skip-build" >&2; exit 1; }

WORK="$(mktemp -d -t numeral-bench-app.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  if [ -n "${BENCH_APP_KEEP:-}" ]; then echo "bench-app: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- X display -----------------------------------------------------------------------------
if [ -z "${DISPLAY:-}" ]; then
  n=99
  while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
  PIDS+=($!)
  export DISPLAY=":$n"
  for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.05; done
  [ -e "/tmp/.X11-unix/X$n" ] || { echo "bench-app: Xvfb did not start on :$n" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }
fi
echo "bench-app: display $DISPLAY, binary $BIN" >&2

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Waits up to 15 s for a line matching $2 in file $1.
wait_for_line() {
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "bench-app: timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
}

# Ends the app the way a user does (SIGTERM arrives as SDL_QUIT) and waits for it.
stop_app() {
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  wait "$1" 2>/dev/null || true
}

# --- startup to first frame ----------------------------------------------------------------
STARTUP=""
for run in $(seq "$RUNS"); do
  "$BIN" app --timing --data-dir "$WORK/data" 2>"$WORK/start$run.err" >/dev/null &
  pid=$!; PIDS+=($pid)
  wait_for_line "$WORK/start$run.err" "first frame"
  ms=$(sed -n 's/.*first frame \([0-9]*\) ms after process start.*/\1/p' "$WORK/start$run.err" | head -1)
  STARTUP="$STARTUP$ms,"
  echo "bench-app: startup run $run: first frame after $ms ms" >&2
  stop_app "$pid"
done

# --- interactive run: idle memory, strokes, frame rate -------------------------------------
"$BIN" app --data-dir "$WORK/data" --print-layout --size 1120x740 --timing-trace "$WORK/trace.txt" \
  >"$WORK/layout.txt" 2>"$WORK/app.err" &
APP=$!; PIDS+=($APP)
wait_for_line "$WORK/layout.txt" canvas
WID=$(xdotool search --sync --onlyvisible --name '^Numeral$' | head -1)
eval "$(xdotool getwindowgeometry --shell "$WID")" # X, Y: the window's position on the screen
sleep 1
RSS_IDLE=$(rss_mb "$APP")
echo "bench-app: idle after start: $RSS_IDLE MB" >&2

echo "bench-app: drawing 20 digits with XTest at 125 Hz..." >&2
python3 scripts/bench_app.py strokes "$X,$Y" "$WORK/layout.txt" "$WORK/ups.txt" --count 20 --hz 125 \
  ${PENDIGITS:+--pendigits "$PENDIGITS"}
sleep 0.3

echo "bench-app: drawing a long stroke with xdotool..." >&2
# shellcheck disable=SC2046 # the word list is generated, one argument per word
xdotool $(python3 scripts/bench_app.py spiral "$WORK/layout.txt" "$WID" --points 800)
sleep 0.3
CLEAR=$(python3 -c 'import json,sys; b=json.loads(open(sys.argv[1]).readline())["buttons"]["clear"]; print(int(b["centerX"]), int(b["centerY"]))' "$WORK/layout.txt")
# shellcheck disable=SC2086
xdotool mousemove --window "$WID" $CLEAR click 1
sleep 0.3

echo "bench-app: drawing a long stroke with XTest at 240 Hz..." >&2
python3 scripts/bench_app.py scribble "$X,$Y" "$WORK/layout.txt" --hz 240 --seconds 3
sleep 0.5
RSS_DRAWN=$(rss_mb "$APP")
echo "bench-app: after drawing: $RSS_DRAWN MB" >&2
stop_app "$APP"

# --- soak: memory over N predictions -------------------------------------------------------
python3 scripts/bench_app.py digit "$WORK/digit.json" ${PENDIGITS:+--pendigits "$PENDIGITS"} >&2
echo "bench-app: soak of $SOAK predictions (each: Clear, draw, 12 ms debounce, recognize, log, frame)..." >&2
: >"$WORK/soak.err"
"$BIN" app --data-dir "$WORK/soak" --replay "$WORK/digit.json" --soak "$SOAK" 2>"$WORK/soak.err" >/dev/null &
SOAKPID=$!; PIDS+=($SOAKPID)
tail -f "$WORK/soak.err" --pid "$SOAKPID" >&2 &
if ! wait "$SOAKPID"; then
  echo "bench-app: the soak failed:" >&2; cat "$WORK/soak.err" >&2; exit 1
fi
sleep 0.2
SOAKS=$(sed -n -e 's|^soak: started, RSS \([0-9.]*\) MB.*|0:\1|p' \
  -e 's|^soak: \([0-9]*\)/[0-9]* predictions, RSS \([0-9.]*\) MB.*|\1:\2|p' "$WORK/soak.err" | paste -sd, -)

echo
python3 scripts/bench_app.py report --startup "$STARTUP" --ups "$WORK/ups.txt" --trace "$WORK/trace.txt" \
  --long-strokes "xdotool,XTest 240 Hz" --rss "after_start=$RSS_IDLE,after_drawing=$RSS_DRAWN" --soak "$SOAKS"
echo
echo "Machine: $(nproc) cores, $(uname -sr); display $DISPLAY; software renderer; $(date -u +%Y-%m-%dT%H:%MZ)"
