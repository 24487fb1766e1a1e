#!/usr/bin/env python3
"""Side-by-side speed of Numeral's engine and the Python peers on two networks.

* `baseline`: the classic Keras MNIST CNN of the apps Numeral replaces (conv 3x3 x32, ReLU, max-pool 2,
  conv 3x3 x64, ReLU, max-pool 2, dense 128, ReLU, dropout 0.5, dense 10), what
  `numeral train|bench --arch baseline` builds.
* `shipped`: the shipped model's network (3x3 convolutions 32, 32 | pool | 64, 64 | pool | 128, each
  followed by batch norm and ReLU, then global average pool, dropout 0.3, dense 10), built by every
  framework with the same layer indices as Numeral's model file; the latency measurements load the
  shipped weights (`--model`) into it, so ONNX Runtime runs the very model Numeral ships.

For each framework that is installed (tensorflow, torch, onnxruntime + onnx export from torch) this
measures seconds per 60,000-image training epoch at batch 64 on two threads and single-image
inference latency (p50 and p99, one thread), then prints one Markdown table per network with
Numeral's row from `numeral bench --json`. Frameworks that are not installed are listed as such.
Optional: nothing in the product or the test suite needs Python.

Every measurement runs in its own Python process: TensorFlow fixes its thread pools when it
starts, and TensorFlow and PyTorch each bring an LLVM that aborts when both are loaded at once.
The repetitions of the frameworks are interleaved (Numeral, TensorFlow, PyTorch, ONNX Runtime,
then again), so load from other processes on a shared machine spreads over all of them.
The peers train on random data without augmentation; Numeral's epoch includes its on-the-fly
augmentation, so the comparison slightly favours the peers.

Numeral is measured twice: as built (oneDNN convolutions) and with NUMERAL_CONVOLUTIONS=openblas
(its earlier im2col + OpenBLAS convolutions), so the table shows the engine before and after.

Usage: python3 benchmarks/peers.py [--numeral .build/release/numeral] [--images 12800] [--runs 3] [--no-openblas-row]
                                   [--networks baseline,shipped] [--model Models/mnist-cnn.safetensors]
"""
import argparse, json, os, statistics, subprocess, sys, time

import numpy as np


def latency(fn, x, runs=2000):
    for _ in range(100):
        fn(x)
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(x); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": times[len(times) // 2], "p99_ms": times[int(len(times) * 0.99)]}


def load_safetensors(path):
    """The tensors of a safetensors file as float32 numpy arrays (the format is a JSON header + raw data)."""
    import struct
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", f"{name}: {info['dtype']}"
        lo, hi = info["data_offsets"]
        out[name] = np.frombuffer(data[lo:hi], dtype="<f4").reshape(info["shape"]).copy()
    return out


SHIPPED_STAGES = [[32, 32], [64, 64], [128]]


def keras_shipped():
    import tensorflow as tf
    L = tf.keras.layers
    layers = [tf.keras.Input(shape=(28, 28, 1))]
    for s, stage in enumerate(SHIPPED_STAGES):
        for filters in stage:
            layers += [L.Conv2D(filters, 3, padding="same"), L.BatchNormalization(momentum=0.9, epsilon=1e-5), L.ReLU()]
        if s < len(SHIPPED_STAGES) - 1:
            layers.append(L.MaxPooling2D())
    layers += [L.GlobalAveragePooling2D(), L.Dropout(0.3), L.Dense(10)]
    return tf.keras.Sequential(layers)


def torch_shipped():
    import torch.nn as nn

    class GlobalAveragePool(nn.Module):
        def forward(self, x):
            return x.mean((2, 3))

    layers, channels = [], 1
    for s, stage in enumerate(SHIPPED_STAGES):
        for filters in stage:
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.BatchNorm2d(filters), nn.ReLU()]
            channels = filters
        if s < len(SHIPPED_STAGES) - 1:
            layers.append(nn.MaxPool2d(2))
    layers += [GlobalAveragePool(), nn.Dropout(0.3), nn.Linear(channels, 10)]
    return nn.Sequential(*layers)   # indices match Numeral's model file: 0.weight, 1.running_mean, ..., 19.weight


def torch_with_weights(network, model_path):
    import torch
    m = torch_model() if network == "baseline" else torch_shipped()
    if network == "shipped" and model_path:
        state = {k: torch.from_numpy(v) for k, v in load_safetensors(model_path).items()}
        m.load_state_dict(state, strict=False)   # num_batches_tracked is PyTorch's own counter
    return m


def keras_model():
    import tensorflow as tf
    return tf.keras.Sequential([
        tf.keras.Input(shape=(28, 28, 1)),
        tf.keras.layers.Conv2D(32, 3, activation="relu"), tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, activation="relu"), tf.keras.layers.MaxPooling2D(), tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(128, activation="relu"), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(10)])


def tensorflow_train(images, network, _):
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(2)
    m = keras_model() if network == "baseline" else keras_shipped()
    m.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.rand(images, 28, 28, 1).astype("float32"); y = np.random.randint(0, 10, images)
    m.fit(x[:640], y[:640], batch_size=64, epochs=1, verbose=0)   # graph tracing, not training speed
    t = time.perf_counter(); m.fit(x, y, batch_size=64, epochs=1, verbose=0)
    return {"epoch_s": (time.perf_counter() - t) * 60000 / images}


def tensorflow_latency(_, network, __):
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    m = keras_model() if network == "baseline" else keras_shipped()
    x = np.random.rand(1, 28, 28, 1).astype("float32")
    return latency(lambda v: m(v, training=False), x)


def torch_model():
    import torch.nn as nn
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def torch_train(images, network, _):
    import torch
    torch.set_num_threads(2)
    m = torch_model() if network == "baseline" else torch_shipped()
    opt = torch.optim.Adam(m.parameters())
    x = torch.rand(images, 1, 28, 28); y = torch.randint(0, 10, (images,))
    t = time.perf_counter()
    for i in range(0, images, 64):
        opt.zero_grad(); torch.nn.functional.cross_entropy(m(x[i:i + 64]), y[i:i + 64]).backward(); opt.step()
    return {"epoch_s": (time.perf_counter() - t) * 60000 / images}


def torch_latency(_, network, model_path):
    import torch
    torch.set_num_threads(1)
    m = torch_with_weights(network, model_path).eval()
    with torch.no_grad():
        return latency(m, torch.rand(1, 1, 28, 28))


def onnxruntime_latency(_, network, model_path):
    import os, torch, onnxruntime as ort
    path = f"/tmp/numeral-{network}-{os.getpid()}.onnx"
    torch.onnx.export(torch_with_weights(network, model_path).eval(), (torch.rand(1, 1, 28, 28),), path)
    opts = ort.SessionOptions(); opts.intra_op_num_threads = 1; opts.inter_op_num_threads = 1
    s = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    name = s.get_inputs()[0].name
    try:
        return latency(lambda v: s.run(None, {name: v}), np.random.rand(1, 1, 28, 28).astype("float32"))
    finally:
        for f in (path, path + ".data"):
            if os.path.exists(f):
                os.remove(f)


MEASUREMENTS = {
    "tensorflow-train": tensorflow_train, "tensorflow-latency": tensorflow_latency,
    "torch-train": torch_train, "torch-latency": torch_latency, "onnxruntime-latency": onnxruntime_latency,
}


def measure_in_child(name, images, network, model_path):
    """Runs one measurement in a fresh interpreter; returns its dict, or a reason it could not run."""
    out = subprocess.run([sys.executable, __file__, "--child", name, "--images", str(images), "--networks", network,
                          "--model", model_path or ""],
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


def numeral_bench(binary, network, model_path, images, convolutions=None):
    """`numeral bench --json`; `convolutions="openblas"` runs it with NUMERAL_CONVOLUTIONS=openblas
    (the engine's im2col + OpenBLAS convolutions it had before oneDNN), for a before/after row."""
    args = [binary, "bench", "--json", "--count", "5000", "--train-images", str(images)]
    args += ["--arch", "baseline"] if network == "baseline" else (["--model", model_path] if model_path else [])
    env = dict(os.environ)
    if convolutions:
        env["NUMERAL_CONVOLUTIONS"] = convolutions
    n = json.loads(subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout)
    return {"epoch_s": n["train_epoch_60k_s"], "p50_ms": n["predict_p50_ms"], "p99_ms": n["predict_p99_ms"],
            "blas": n.get("blas_kernels"), "convolutions": n.get("convolution_kernels")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--numeral", default=".build/release/numeral")
    ap.add_argument("--images", type=int, default=12800, help="training images per measurement (scaled to 60,000)")
    ap.add_argument("--runs", type=int, default=3, help="repetitions of every measurement; the table shows medians")
    ap.add_argument("--networks", default="baseline,shipped", help="comma-separated: baseline, shipped")
    ap.add_argument("--model", default="Models/mnist-cnn.safetensors",
                    help="the shipped weights (Numeral's model file); empty for random weights")
    ap.add_argument("--no-openblas-row", dest="openblas_row", action="store_false",
                    help="skip the row of Numeral with its convolutions on OpenBLAS (NUMERAL_CONVOLUTIONS=openblas)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(MEASUREMENTS[a.child](a.images, a.networks, a.model or None)))
        return

    peers = [("TensorFlow (CPU)", "tensorflow-train", "tensorflow-latency"),
             ("PyTorch", "torch-train", "torch-latency"),
             ("ONNX Runtime", None, "onnxruntime-latency")]
    for network in a.networks.split(","):
        model_path = a.model if network == "shipped" and a.model else None
        numeral, numeral_blas = [], []
        train_runs = {title: [] for title, _, _ in peers}
        lat_runs = {title: [] for title, _, _ in peers}
        for _ in range(a.runs):   # interleaved, so a burst of load elsewhere hits every framework alike
            numeral.append(numeral_bench(a.numeral, network, model_path, a.images))
            if a.openblas_row:
                numeral_blas.append(numeral_bench(a.numeral, network, model_path, a.images, convolutions="openblas"))
            for title, train, lat in peers:
                if train:
                    train_runs[title].append(measure_in_child(train, a.images, network, model_path))
                lat_runs[title].append(measure_in_child(lat, a.images, network, model_path))
        blas = numeral[-1].get("blas") or "?"
        conv = numeral[-1].get("convolutions") or "?"
        rows = [(f"Numeral (Swift; convolutions: {conv}; dense layers: OpenBLAS {blas})", numeral, numeral)]
        if numeral_blas:
            rows.append((f"Numeral, convolutions on OpenBLAS {blas} (NUMERAL_CONVOLUTIONS=openblas, the engine before oneDNN)",
                         numeral_blas, numeral_blas))
        for title, _, _ in peers:
            errors = {r["error"] for r in train_runs[title] + lat_runs[title] if "error" in r}
            rows.append((title + (f" ({', '.join(sorted(errors))})" if errors else ""), train_runs[title], lat_runs[title]))

        def fmt(v, unit):
            return "-" if v is None else f"{v:.3f} {unit}" if unit == "ms" else f"{v:.1f} {unit}"
        print(f"\nNetwork: {network}" + (f" (weights {model_path})" if model_path else ""))
        print("| Framework | s per 60k-image epoch (batch 64, 2 threads) | single image p50, 1 thread | p99 |")
        print("| --- | --- | --- | --- |")
        for title, tr, lat in rows:
            print(f"| {title} | {fmt(median_of(tr, 'epoch_s'), 's')} | {fmt(median_of(lat, 'p50_ms'), 'ms')} "
                  f"| {fmt(median_of(lat, 'p99_ms'), 'ms')} |")
        tf = median_of(train_runs["TensorFlow (CPU)"], "epoch_s")
        ort = median_of(lat_runs["ONNX Runtime"], "p50_ms")
        for label, runs in [("", numeral), (" (convolutions on OpenBLAS)", numeral_blas)]:
            ref, lat = median_of(runs, "epoch_s"), median_of(runs, "p50_ms")
            if ref and tf:
                print(f"Training throughput, Numeral{label} / TensorFlow: {tf / ref:.2f}x (>= 1: Numeral at least as fast)")
            if ort and lat:
                print(f"Single-image latency, ONNX Runtime / Numeral{label}: {ort / lat:.2f}x (>= 1: Numeral at least as fast)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
