#!/usr/bin/env python3
"""Pointer injection and trace analysis for scripts/bench-app.sh.

The pointer is driven through XTest (libXtst via ctypes, no extra packages), so the moment a
button is released is known on CLOCK_MONOTONIC, the clock the app's --timing-trace uses:
"stroke end -> prediction shown" is then measured from the injected release to the frame that
showed the prediction, including the X server and the app's event queue.

Subcommands:
  digit OUT.json [--pendigits FILE]       write one drawing for the memory soak
  strokes ORIGIN LAYOUT OUT [--pendigits FILE] [--count N] [--hz HZ]
                                          draw N digits into the canvas, Clear between them;
                                          writes "down T" / "up T" lines to OUT
  scribble ORIGIN LAYOUT --hz HZ --seconds S
                                          one long stroke moving at HZ events per second
  spiral LAYOUT                           print an xdotool command list drawing a long spiral
  report ...                              print the Markdown results table (see bench-app.sh)
"""
import argparse
import ctypes
import json
import math
import os
import statistics
import sys
import time


# ---------------------------------------------------------------- pointer injection

class Pointer:
    """Moves and clicks the X pointer with XTest; coordinates are in window points."""

    def __init__(self, origin):
        self.ox, self.oy = origin
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
        self.xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
        self.display = self.x11.XOpenDisplay(None)
        if not self.display:
            sys.exit("bench_app.py: cannot open the X display %r" % os.environ.get("DISPLAY"))

    def move(self, x, y):
        self.xtst.XTestFakeMotionEvent(self.display, -1, int(round(self.ox + x)), int(round(self.oy + y)), 0)
        self.x11.XFlush(self.display)

    def button(self, down):
        """Returns the CLOCK_MONOTONIC time taken just before the event was sent."""
        t = time.monotonic()
        self.xtst.XTestFakeButtonEvent(self.display, 1, 1 if down else 0, 0)
        self.x11.XFlush(self.display)
        return t

    def click(self, x, y):
        self.move(x, y)
        time.sleep(0.02)
        self.button(True)
        time.sleep(0.03)
        self.button(False)


def sleep_until(deadline):
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.002) if left < 0.004 else left - 0.002)


def load_layout(path):
    with open(path) as f:
        return json.loads(f.readline())


def rect(layout, name):
    r = layout[name]
    return r["x"], r["y"], r["width"], r["height"]


# ---------------------------------------------------------------- digits to draw

def synthetic_digits():
    """Digit-like strokes in a 500x500 box (y down) for when the pen digits are absent."""
    def arc(cx, cy, rx, ry, a0, a1, n=24):
        return [[cx + rx * math.cos(a0 + (a1 - a0) * i / n), cy + ry * math.sin(a0 + (a1 - a0) * i / n)] for i in range(n + 1)]
    zero = [arc(250, 250, 120, 190, -math.pi / 2, 1.5 * math.pi)]
    one = [[[230, 90], [270, 60], [270, 440]]]
    seven = [[[120, 80], [380, 80], [220, 440]]]
    three = [arc(250, 160, 120, 90, -2.6, 1.6) + arc(250, 340, 130, 100, -1.6, 2.6)]
    two = [arc(250, 170, 120, 110, -3.0, 0.6, 16) + [[130, 430], [390, 430]]]
    return [(0, zero), (1, one), (7, seven), (3, three), (2, two)]


def pen_digits(path, count):
    """`count` samples spread over the pen-digit file, as (label, strokes in a y-down 500 box)."""
    with open(path) as f:
        samples = json.load(f)
    step = max(1, len(samples) // count)
    chosen = samples[::step][:count]
    return [(s["label"], [[[p[0], 500 - p[1]] for p in stroke] for stroke in s["strokes"]]) for s in chosen]


def digits(pendigits, count):
    if pendigits and os.path.exists(pendigits):
        return pen_digits(pendigits, count)
    base = synthetic_digits()
    return [base[i % len(base)] for i in range(count)]


def densify(stroke, spacing):
    """Linear steps of at most `spacing` units: a real mouse reports every few pixels, the pen
    digits were sampled every 100 ms."""
    out = [stroke[0]]
    for a, b in zip(stroke, stroke[1:]):
        n = max(1, int(math.ceil(math.hypot(b[0] - a[0], b[1] - a[1]) / spacing)))
        out += [[a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n] for i in range(1, n + 1)]
    return out


def cmd_digit(args):
    label, strokes = digits(args.pendigits, 40)[3]
    drawing = {"strokes": [[[round(x, 2), round(y, 2)] for x, y in s] for s in strokes], "width": 500, "height": 500}
    with open(args.out, "w") as f:
        json.dump(drawing, f)
    print("soak drawing: a %d with %d strokes" % (label, len(strokes)))


def cmd_strokes(args):
    layout = load_layout(args.layout)
    pointer = Pointer(tuple(map(int, args.origin.split(","))))
    cx, cy, cw, ch = rect(layout, "canvas")
    clear = layout["buttons"]["clear"]
    scale = min(cw, ch) * 0.7 / 500
    ox, oy = cx + (cw - 500 * scale) / 2, cy + (ch - 500 * scale) / 2
    interval = 1.0 / args.hz
    lines = []
    for _, strokes in digits(args.pendigits, args.count):
        for stroke in strokes:
            if not stroke:
                continue
            points = densify(stroke, 6 / scale)
            pointer.move(ox + points[0][0] * scale, oy + points[0][1] * scale)
            time.sleep(0.02)
            lines.append("down %.6f" % pointer.button(True))
            t = time.monotonic()
            for x, y in points[1:]:
                t += interval
                sleep_until(t)
                pointer.move(ox + x * scale, oy + y * scale)
            sleep_until(t + interval)
            lines.append("up %.6f" % pointer.button(False))
            time.sleep(0.15)  # a person lifts the pen longer than the 12 ms debounce
        time.sleep(0.25)
        pointer.click(clear["centerX"], clear["centerY"])
        time.sleep(0.15)
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")


def cmd_scribble(args):
    layout = load_layout(args.layout)
    pointer = Pointer(tuple(map(int, args.origin.split(","))))
    cx, cy, cw, ch = rect(layout, "canvas")
    mx, my, r = cx + cw / 2, cy + ch / 2, min(cw, ch) * 0.35
    n = int(args.hz * args.seconds)
    pointer.move(mx + r, my)
    time.sleep(0.05)
    pointer.button(True)
    t = time.monotonic()
    for i in range(1, n + 1):
        a = 2 * math.pi * i / (args.hz * 0.8)  # a loop every 0.8 s, radius breathing in and out
        rr = r * (0.55 + 0.45 * math.cos(i / (args.hz * 1.3)))
        t += 1.0 / args.hz
        sleep_until(t)
        pointer.move(mx + rr * math.cos(a), my + rr * math.sin(a))
    pointer.button(False)
    time.sleep(0.2)
    pointer.click(layout["buttons"]["clear"]["centerX"], layout["buttons"]["clear"]["centerY"])


def cmd_spiral(args):
    """xdotool arguments for a long stroke, one command per point, relative to the window."""
    layout = load_layout(args.layout)
    cx, cy, cw, ch = rect(layout, "canvas")
    mx, my, r = cx + cw / 2, cy + ch / 2, min(cw, ch) * 0.35
    words = ["mousemove", "--window", args.window, str(int(mx + r)), str(int(my)), "mousedown", "1"]
    for i in range(1, args.points + 1):
        a = 2 * math.pi * i / 60
        rr = r * (0.55 + 0.45 * math.cos(i / 90))
        words += ["sleep", "0.004", "mousemove", "--window", args.window, str(int(mx + rr * math.cos(a))), str(int(my + rr * math.sin(a)))]
    words += ["mouseup", "1"]
    print(" ".join(words))


# ---------------------------------------------------------------- analysis

def read_trace(path):
    frames, pointer, shown, first = [], [], [], []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "frame":
                frames.append((float(w[1]), float(w[2])))
            elif w[0] == "pointer":
                pointer.append((w[1], float(w[2])))
            elif w[0] == "shown":
                shown.append((float(w[1]), float(w[2]), float(w[3])))
            elif w[0] == "first-frame":
                first.append(float(w[1]))
    return frames, pointer, shown, first


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(math.floor(k)), int(math.ceil(k))
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def stroke_latencies(ups_path, trace_path):
    """Injected release -> first frame showing a prediction after it (before the next press)."""
    frames, pointer, shown, _ = read_trace(trace_path)
    marks = []
    with open(ups_path) as f:
        for line in f:
            kind, t = line.split()
            marks.append((kind, float(t)))
    downs = [t for k, t in marks if k == "down"]
    external, internal, model, missed = [], [], [], 0
    for kind, up in marks:
        if kind != "up":
            continue
        next_down = min([d for d in downs if d > up], default=float("inf"))
        hits = [s for s in shown if up < s[0] < next_down]
        if not hits:
            missed += 1
            continue
        external.append((hits[0][0] - up) * 1000)
        internal.append(hits[0][1])
        model.append(hits[0][2])
    return external, internal, model, missed


def long_strokes(trace_path, minimum=2.0):
    """(duration, moves/s, frames/s, frame ms list) for each stroke held at least `minimum` s."""
    frames, pointer, _, _ = read_trace(trace_path)
    out, down, moves = [], None, 0
    for phase, t in pointer:
        if phase == "down":
            down, moves = t, 0
        elif phase == "move" and down is not None:
            moves += 1
        elif phase in ("up", "cancel") and down is not None:
            if t - down >= minimum:
                inside = [(s, e) for s, e in frames if down <= s <= t]
                out.append((t - down, moves / (t - down), len(inside) / (t - down), [(e - s) * 1000 for s, e in inside]))
            down = None
    return out


def cmd_report(args):
    rows = []

    def row(target, measured, goal_ok, how):
        rows.append("| %s | %s | %s | %s |" % (target, measured, "yes" if goal_ok else "**no**", how))

    startups = [float(x) for x in args.startup.split(",") if x]
    if startups:
        row("Startup to first frame ≤ 500 ms",
            "median %.0f ms, max %.0f ms (%d runs)" % (statistics.median(startups), max(startups), len(startups)),
            max(startups) <= 500, "process start (/proc) → first frame presented")

    ext, internal, model, missed = stroke_latencies(args.ups, args.trace)
    if ext:
        row("Stroke end → prediction shown ≤ 30 ms",
            "median %.1f ms, p95 %.1f ms, max %.1f ms (%d strokes%s); in-app %.1f ms median; model %.2f ms"
            % (statistics.median(ext), percentile(ext, 95), max(ext), len(ext),
               ", %d without a prediction" % missed if missed else "", statistics.median(internal), statistics.median(model)),
            percentile(ext, 95) <= 30 and missed == 0,
            "XTest button release → frame presented (incl. 12 ms debounce)")
    else:
        row("Stroke end → prediction shown ≤ 30 ms", "no predictions seen", False, "")

    labels = args.long_strokes.split(",")
    for i, (duration, input_rate, fps, frame_ms) in enumerate(long_strokes(args.trace)):
        label = labels[i] if i < len(labels) else "stroke %d" % (i + 1)
        row("60 fps while drawing (%s)" % label,
            "%.1f fps over %.1f s at %.0f pointer events/s; frame draw+present median %.2f ms, p95 %.2f ms, max %.2f ms"
            % (fps, duration, input_rate, statistics.median(frame_ms), percentile(frame_ms, 95), max(frame_ms)),
            fps >= 59 or fps >= input_rate * 0.97,
            "frames presented while the button was held")

    rss = dict(kv.split("=") for kv in args.rss.split(",") if kv)
    steady = [float(v) for v in rss.values()]
    if steady:
        row("Steady memory ≤ 100 MB",
            ", ".join("%s %.1f MB" % (k.replace("_", " "), float(v)) for k, v in rss.items()),
            max(steady) <= 100, "VmRSS from /proc/PID/status")

    soak = [(int(n), float(mb)) for n, mb in (kv.split(":") for kv in args.soak.split(",") if kv)]
    if len(soak) >= 2:
        # Growth counts from the first report after start (1,000 predictions), once caches have filled.
        first, last = (soak[1] if len(soak) > 2 else soak[0]), soak[-1]
        peak = max(mb for _, mb in soak)
        growth = last[1] - first[1]
        row("No memory growth over %d predictions" % last[0],
            "RSS %.1f MB at start, %.1f MB after %d, %.1f MB after %d (%+.1f MB), peak %.1f MB"
            % (soak[0][1], first[1], first[0], last[1], last[0], growth, peak),
            growth <= 2.0 and peak <= 100, "--soak: Clear + draw through the pointer path, recognize, log; RSS every 1,000")

    print("| Target | Measured | Met | How |")
    print("|---|---|---|---|")
    print("\n".join(rows))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("digit"); p.add_argument("out"); p.add_argument("--pendigits")
    p.set_defaults(run=cmd_digit)
    p = sub.add_parser("strokes"); p.add_argument("origin"); p.add_argument("layout"); p.add_argument("out")
    p.add_argument("--pendigits"); p.add_argument("--count", type=int, default=20); p.add_argument("--hz", type=float, default=125)
    p.set_defaults(run=cmd_strokes)
    p = sub.add_parser("scribble"); p.add_argument("origin"); p.add_argument("layout")
    p.add_argument("--hz", type=float, default=240); p.add_argument("--seconds", type=float, default=3)
    p.set_defaults(run=cmd_scribble)
    p = sub.add_parser("spiral"); p.add_argument("layout"); p.add_argument("window"); p.add_argument("--points", type=int, default=800)
    p.set_defaults(run=cmd_spiral)
    p = sub.add_parser("report")
    for name in ("--startup", "--ups", "--trace", "--long-strokes", "--rss", "--soak"):
        p.add_argument(name, default="")
    p.set_defaults(run=cmd_report)
    args = ap.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
