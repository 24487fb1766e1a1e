#!/usr/bin/env python3
"""Peer baseline: "the usual OpenCV webcam recipe" for handwritten digits in photos, feeding
Numeral's own model (through the `numeral` CLI), measured on a labelled photo set.

Recipe, per photo (the segmentation found in most OpenCV + MNIST tutorials):
  1. cv2.imread(IMREAD_COLOR) (applies EXIF orientation), convert to grayscale.
  2. GaussianBlur 5x5 (sigma from the kernel size).
  3. adaptiveThreshold: ADAPTIVE_THRESH_GAUSSIAN_C, THRESH_BINARY_INV, block size = odd number
     nearest min(height, width) / 20, at least 11; C = 10. Ink becomes white on black.
  4. findContours(RETR_EXTERNAL, CHAIN_APPROX_SIMPLE) on the thresholded picture.
  5. Filter: drop a contour if its area < 0.1% of the picture's area or its box is < 10 px tall;
     drop it if its box touches the picture border AND spans > 90% of the width or height
     (the page edge / frame, not a digit). Everything else is kept as a digit.
  6. Sort the boxes left to right by their x (no line grouping).
  7. Each box: crop the thresholded picture, resize (INTER_AREA) so the longer side is 20 px
     keeping aspect, paste into a 28x28 black canvas, then shift so the centre of mass is at the
     centre (14, 14), as MNIST did. White digit on black, saved as a PNG in a temp dir.
Classification: one call `numeral predict [--scan] --single-digit --json --model
Models/mnist-cnn.safetensors crop...`, one JSON line per crop in input order. A photo's reading is
its crops' digits joined left to right ("" if no contour was kept: counted as "blank"); the photo
is right only when the reading equals the label exactly.

Data: a folder with MANIFEST.tsv (file, label, kind = single|number, repository, ...). The photos
are read in place and never copied into the repository.

Usage: python3 benchmarks/opencv_recipe.py [--photos DIR] [--binary PATH] [--json]
Needs: python3 -m pip install opencv-python-headless
"""
import argparse, csv, json, os, subprocess, sys, tempfile
from collections import defaultdict

import cv2
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def segment(path):
    """The recipe's steps 1-7: a list of 28x28 uint8 crops, left to right."""
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise ValueError(f"cannot read {path}")
    gray = cv2.GaussianBlur(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    H, W = gray.shape
    block = max(11, int(round(min(H, W) / 20)) | 1)  # odd, >= 11
    th = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, 10)
    contours, _ = cv2.findContours(th, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if cv2.contourArea(c) < 0.001 * H * W or h < 10:
            continue  # speck of noise
        touches = x == 0 or y == 0 or x + w == W or y + h == H
        if touches and (w > 0.9 * W or h > 0.9 * H):
            continue  # page edge or frame
        boxes.append((x, y, w, h))
    crops = []
    for x, y, w, h in sorted(boxes):  # left to right
        roi = th[y:y + h, x:x + w]
        s = 20.0 / max(w, h)
        nw, nh = max(1, round(w * s)), max(1, round(h * s))
        small = cv2.resize(roi, (nw, nh), interpolation=cv2.INTER_AREA)
        canvas = np.zeros((28, 28), np.uint8)
        top, left = (28 - nh) // 2, (28 - nw) // 2
        canvas[top:top + nh, left:left + nw] = small
        m = cv2.moments(canvas)
        if m["m00"] > 0:  # shift the centre of mass to (14, 14)
            dx, dy = 14 - m["m10"] / m["m00"], 14 - m["m01"] / m["m00"]
            canvas = cv2.warpAffine(canvas, np.float32([[1, 0, round(dx)], [0, 1, round(dy)]]), (28, 28))
        crops.append(canvas)
    return crops


def classify(binary, model, paths):
    """Digits for the crop files, in order, from one numeral call ("?" on an error result)."""
    if not paths:
        return []
    help_text = subprocess.run([binary, "predict", "--help"], capture_output=True, text=True).stdout
    for flag in ("--single-digit", "--model", "--json"):
        if flag not in help_text:
            sys.exit(f"{binary} predict has no {flag}")
    scan = ["--scan"] if "--scan" in help_text else []  # 28x28 PNGs are bitmaps anyway
    cmd = [binary, "predict", *scan, "--single-digit", "--json", "--model", model, *paths]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout  # exit 1 if any input failed
    results = [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")]
    if len(results) != len(paths):
        sys.exit(f"numeral gave {len(results)} results for {len(paths)} crops")
    return [r.get("number", "?") if "error" not in r else "?" for r in results]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--photos", default=os.path.normpath(os.path.join(REPO, "..", "shared", "data", "realphotos-dev")))
    release = os.path.join(REPO, ".build", "release", "numeral")
    ap.add_argument("--binary", default=release if os.path.exists(release) else os.path.join(REPO, ".build", "debug", "numeral"))
    ap.add_argument("--model", default=os.path.join(REPO, "Models", "mnist-cnn.safetensors"))
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()

    with open(os.path.join(a.photos, "MANIFEST.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with tempfile.TemporaryDirectory() as tmp:
        spans, paths = [], []  # spans[i] = (first, end) index of photo i's crops in paths
        for i, row in enumerate(rows):
            first = len(paths)
            for j, crop in enumerate(segment(os.path.join(a.photos, row["file"]))):
                paths.append(os.path.join(tmp, f"{i:04d}_{j:03d}.png"))
                cv2.imwrite(paths[-1], crop)
            spans.append((first, len(paths)))
        digits = classify(a.binary, a.model, paths)

    tally = {"single": [0, 0], "number": [0, 0]}  # kind -> [right, count]
    by_source = defaultdict(lambda: [0, 0])
    blank, readings = 0, []
    for row, (s, e) in zip(rows, spans):
        reading = "".join(digits[s:e])
        ok = reading == row["label"]
        blank += s == e
        for t in (tally[row["kind"]], by_source[row["repository"]]):
            t[0] += ok
            t[1] += 1
        readings.append({"file": row["file"], "label": row["label"], "reading": reading, "right": ok})

    if a.json:
        print(json.dumps({"single": {"right": tally["single"][0], "count": tally["single"][1]},
                          "number": {"right": tally["number"][0], "count": tally["number"][1]},
                          "blank": blank, "crops": len(paths),
                          "sources": {k: {"right": v[0], "count": v[1]} for k, v in sorted(by_source.items())},
                          "photos": readings}))
        return
    print(f"OpenCV recipe + {os.path.basename(a.model)} on {a.photos} ({len(rows)} photos, {len(paths)} crops)")
    for kind in ("single", "number"):
        r, n = tally[kind]
        print(f"{kind + '-digit' if kind == 'single' else kind} accuracy: {r}/{n}" + (f" ({100 * r / n:.1f}%)" if n else ""))
    print(f"blank (no contour kept): {blank}")
    print(f"\n{'source':50} right/count")
    for src, (r, n) in sorted(by_source.items()):
        print(f"{src:50} {r}/{n}")


if __name__ == "__main__":
    main()
