#!/usr/bin/env python3
"""Side-by-side speed of the classic Keras MNIST CNN in Numeral's engine and in the Python peers.

The network (conv 3x3 x32, ReLU, max-pool 2, conv 3x3 x64, ReLU, max-pool 2, dense 128, ReLU,
dropout 0.5, dense 10) is what `numeral train|bench --arch baseline` builds. For each framework
that is installed (tensorflow, torch, onnxruntime + onnx export from torch) this measures seconds
per 60,000-image training epoch at batch 64 on two threads and single-image inference latency
(p50 and p99, one thread), then prints a Markdown table with Numeral's row from
`numeral bench --arch baseline --json`. Frameworks that are not installed are listed as such.
Optional: nothing in the product or the test suite needs Python.

Every measurement runs in its own Python process: TensorFlow fixes its thread pools when it
starts, and TensorFlow and PyTorch each bring an LLVM that aborts when both are loaded at once.
The peers train on random data without augmentation; Numeral's epoch includes its on-the-fly
augmentation, so the comparison slightly favours the peers.

Usage: python3 benchmarks/peers.py [--numeral .build/release/numeral] [--images 12800] [--runs 3]
"""
import argparse, json, statistics, subprocess, sys, time

import numpy as np


def latency(fn, x, runs=2000):
    for _ in range(100):
        fn(x)
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(x); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": times[len(times) // 2], "p99_ms": times[int(len(times) * 0.99)]}


def keras_model():
    import tensorflow as tf
    return tf.keras.Sequential([
        tf.keras.Input(shape=(28, 28, 1)),
        tf.keras.layers.Conv2D(32, 3, activation="relu"), tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, activation="relu"), tf.keras.layers.MaxPooling2D(), tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(128, activation="relu"), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(10)])


def tensorflow_train(images):
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(2)
    m = keras_model()
    m.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.rand(images, 28, 28, 1).astype("float32"); y = np.random.randint(0, 10, images)
    m.fit(x[:640], y[:640], batch_size=64, epochs=1, verbose=0)   # graph tracing, not training speed
    t = time.perf_counter(); m.fit(x, y, batch_size=64, epochs=1, verbose=0)
    return {"epoch_s": (time.perf_counter() - t) * 60000 / images}


def tensorflow_latency(_):
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    m = keras_model()
    x = np.random.rand(1, 28, 28, 1).astype("float32")
    return latency(lambda v: m(v, training=False), x)


def torch_model():
    import torch.nn as nn
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def torch_train(images):
    import torch
    torch.set_num_threads(2)
    m = torch_model(); opt = torch.optim.Adam(m.parameters())
    x = torch.rand(images, 1, 28, 28); y = torch.randint(0, 10, (images,))
    t = time.perf_counter()
    for i in range(0, images, 64):
        opt.zero_grad(); torch.nn.functional.cross_entropy(m(x[i:i + 64]), y[i:i + 64]).backward(); opt.step()
    return {"epoch_s": (time.perf_counter() - t) * 60000 / images}


def torch_latency(_):
    import torch
    torch.set_num_threads(1)
    m = torch_model().eval()
    with torch.no_grad():
        return latency(m, torch.rand(1, 1, 28, 28))


def onnxruntime_latency(_):
    import torch, onnxruntime as ort
    path = "/tmp/numeral-baseline.onnx"
    torch.onnx.export(torch_model().eval(), torch.rand(1, 1, 28, 28), path)
    opts = ort.SessionOptions(); opts.intra_op_num_threads = 1; opts.inter_op_num_threads = 1
    s = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    name = s.get_inputs()[0].name
    return latency(lambda v: s.run(None, {name: v}), np.random.rand(1, 1, 28, 28).astype("float32"))


MEASUREMENTS = {
    "tensorflow-train": tensorflow_train, "tensorflow-latency": tensorflow_latency,
    "torch-train": torch_train, "torch-latency": torch_latency, "onnxruntime-latency": onnxruntime_latency,
}


def measure_in_child(name, images):
    """Runs one measurement in a fresh interpreter; returns its dict, or a reason it could not run."""
    out = subprocess.run([sys.executable, __file__, "--child", name, "--images", str(images)],
                         capture_output=True, text=True, timeout=1800)
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode != 0 or not lines:
        missing = [l for l in out.stderr.splitlines() if "No module named" in l]
        return {"error": missing[-1].split("No module named")[-1].strip(" '") + " not installed" if missing
                else f"failed (exit {out.returncode})"}
    return json.loads(lines[-1])


def median_of(runs, key):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--numeral", default=".build/release/numeral")
    ap.add_argument("--images", type=int, default=12800, help="training images per measurement (scaled to 60,000)")
    ap.add_argument("--runs", type=int, default=3, help="repetitions of every measurement; the table shows medians")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(MEASUREMENTS[a.child](a.images)))
        return

    rows = []
    numeral = []
    for _ in range(a.runs):
        out = subprocess.run([a.numeral, "bench", "--arch", "baseline", "--json", "--count", "5000",
                              "--train-images", str(a.images)], capture_output=True, text=True, check=True)
        n = json.loads(out.stdout)
        numeral.append({"epoch_s": n["train_epoch_60k_s"], "p50_ms": n["predict_p50_ms"], "p99_ms": n["predict_p99_ms"]})
    rows.append(("Numeral (Swift, OpenBLAS)", numeral, numeral))
    for title, train, lat in [("TensorFlow (CPU)", "tensorflow-train", "tensorflow-latency"),
                              ("PyTorch", "torch-train", "torch-latency"),
                              ("ONNX Runtime", None, "onnxruntime-latency")]:
        train_runs = [measure_in_child(train, a.images) for _ in range(a.runs)] if train else []
        lat_runs = [measure_in_child(lat, a.images) for _ in range(a.runs)]
        errors = {r["error"] for r in train_runs + lat_runs if "error" in r}
        rows.append((title + (f" ({', '.join(sorted(errors))})" if errors else ""), train_runs, lat_runs))

    def fmt(v, unit):
        return "-" if v is None else f"{v:.3f} {unit}" if unit == "ms" else f"{v:.1f} {unit}"
    print(f"| Framework | s per 60k-image epoch (batch 64, 2 threads) | single image p50, 1 thread | p99 |")
    print("| --- | --- | --- | --- |")
    for title, train_runs, lat_runs in rows:
        print(f"| {title} | {fmt(median_of(train_runs, 'epoch_s'), 's')} | {fmt(median_of(lat_runs, 'p50_ms'), 'ms')} "
              f"| {fmt(median_of(lat_runs, 'p99_ms'), 'ms')} |")


if __name__ == "__main__":
    main()
