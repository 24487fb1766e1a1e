#!/usr/bin/env bash
# Regenerates every picture in the README with the project itself: the window through
# `numeral app --replay ... --screenshot`, the dashboard through `numeral dashboard --screenshot`,
# the kiosk under Xvfb, and the mistakes grid through `numeral eval`. Drawings come from the pen
# digits of held-out writers (../shared/data/pendigits), flipped into screen coordinates.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${NUMERAL_BIN:-.build/release/numeral}"
out=Resources/screenshots
pen="${NUMERAL_PENDIGITS:-$(cd .. && pwd)/shared/data/pendigits/pendigits-orig-train.json}"
export NUMERAL_MNIST="${NUMERAL_MNIST:-$(cd .. && pwd)/shared/data/mnist}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true' EXIT
mkdir -p "$out"

python3 - "$pen" "$tmp" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
def pick(writer, label, n=0):
    return [s for s in data if s["writer"] == writer and s["label"] == label][n]
def flip(s, dx=0):
    return [[[p[0] + dx, 500 - p[1]] for p in stroke] for stroke in s["strokes"]]
json.dump({"strokes": flip(pick(27, 4)), "width": 500, "height": 500}, open(f"{sys.argv[2]}/four.json", "w"))
json.dump({"strokes": flip(pick(29, 3, 2)), "width": 500, "height": 500}, open(f"{sys.argv[2]}/three.json", "w"))
strokes = []
for i, (w, d) in enumerate([(26, 2), (28, 0), (30, 2), (27, 6)]):
    strokes += flip(pick(w, d, 1), dx=i * 520)
json.dump({"strokes": strokes, "width": 2080, "height": 500}, open(f"{sys.argv[2]}/year.json", "w"))
json.dump({"strokes": flip(pick(27, 4)) + flip(pick(27, 7), dx=450), "width": 1000, "height": 500},
          open(f"{sys.argv[2]}/fortyseven.json", "w"))
PY

if [ -z "${DISPLAY:-}" ]; then
  Xvfb :93 -screen 0 1280x800x24 >/dev/null 2>&1 & xvfb=$!
  export DISPLAY=:93
  sleep 1
fi
$bin app --data-dir "$tmp/log" --replay "$tmp/four.json" --screenshot "$out/app.png"
$bin app --data-dir "$tmp/log" --theme dark --replay "$tmp/three.json" --screenshot "$out/app-dark.png"
$bin app --data-dir "$tmp/log" --replay "$tmp/year.json" --screenshot "$out/app-number.png"
$bin app --data-dir "$tmp/log" --explain --replay "$tmp/fortyseven.json" --screenshot "$out/app-explain.png"

# The camera view on a recorded clip: a synthetic photo of a 4-digit number on paper (from
# numeral eval --save-photos, MNIST test digits) held for 3 s, as a motion-JPEG AVI
# (gst-launch-1.0), played in place of a camera; Capture pressed on the steady reading.
$bin eval --photos 18 --save-photos "$tmp/photos" --model Models/mnist-cnn.safetensors > /dev/null
photo=$(ls "$tmp/photos" | grep -E '^[0-9]{4}-gradient-[0-9]{4}\.jpg$' | head -1)
mkdir -p "$tmp/frames"
for i in $(seq -f %05g 0 44); do cp "$tmp/photos/$photo" "$tmp/frames/$i.jpg"; done
gst-launch-1.0 -q multifilesrc location="$tmp/frames/%05d.jpg" index=0 caps=image/jpeg,framerate=15/1 \
  ! jpegdec ! videoconvert ! jpegenc quality=90 ! avimux ! filesink location="$tmp/clip.avi"
$bin app --data-dir "$tmp/camera" --camera-source "$tmp/clip.avi" --camera-capture --screenshot "$out/camera.png"

$bin dashboard seed-demo --data-dir "$tmp/demo" --pen-digits "$pen" --count 900
$bin dashboard --data-dir "$tmp/demo" --size 1280x800 --screenshot "$out/dashboard.png"

echo 2468 | XDG_CONFIG_HOME="$tmp/config" $bin kiosk set-pin --pin-stdin
XDG_CONFIG_HOME="$tmp/config" $bin app --kiosk --data-dir "$tmp/kiosk" --replay "$tmp/three.json" --screenshot "$out/kiosk.png"

# numeral explain, and the first page of numeral report through pdftoppm (poppler-utils).
$bin explain "$tmp/fortyseven.json" --model Models/mnist-cnn.safetensors --png "$out/explain.png" > /dev/null
$bin report --pdf "$tmp/report.pdf" --data-dir "$tmp/demo" --model Models/mnist-cnn.safetensors > /dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$tmp/report.pdf" "$out/report"

# The shipped model, not whatever model this machine's user has made active.
$bin eval --model Models/mnist-cnn.safetensors --mistakes "$out/eval-mistakes.png" > /dev/null
cp Models/mnist-cnn-curves.png "$out/training-curves.png"
echo "Wrote $(ls "$out" | tr '\n' ' ')"
