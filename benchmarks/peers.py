#!/usr/bin/env python3
"""Side-by-side speed of the classic Keras MNIST CNN in Numeral's engine and in the Python peers.

The network (conv 3x3 x32, ReLU, max-pool 2, conv 3x3 x64, ReLU, max-pool 2, dense 128, ReLU,
dropout 0.5, dense 10) is what `numeral train|bench --arch baseline` builds. For each framework
that is installed (tensorflow, torch, onnxruntime + onnx export from torch) this measures seconds
per 60,000-image training epoch at batch 64 and single-image inference latency (p50, one thread),
then prints a Markdown table with Numeral's row from `numeral bench --arch baseline --json`.
Frameworks that are not installed are listed as such. Optional: nothing in the product or the
test suite needs Python.

Usage: python3 benchmarks/peers.py [--numeral .build/release/numeral] [--images 60000]
"""
import argparse, json, os, statistics, subprocess, time
import numpy as np

def single_latency(fn, x, runs=2000):
    for _ in range(100):
        fn(x)
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(x); times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)

def bench_tensorflow(images):
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    m = tf.keras.Sequential([
        tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1)), tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, activation="relu"), tf.keras.layers.MaxPooling2D(), tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(128, activation="relu"), tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(10)])
    m.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.random.rand(images, 28, 28, 1).astype("float32"); y = np.random.randint(0, 10, images)
    t = time.perf_counter(); m.fit(x, y, batch_size=64, epochs=1, verbose=0); epoch = time.perf_counter() - t
    one = x[:1]
    return epoch * 60000 / images, single_latency(lambda v: m(v, training=False), one)

def torch_model():
    import torch.nn as nn
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))

def bench_torch(images):
    import torch
    m = torch_model(); opt = torch.optim.Adam(m.parameters())
    x = torch.rand(images, 1, 28, 28); y = torch.randint(0, 10, (images,))
    t = time.perf_counter()
    for i in range(0, images, 64):
        opt.zero_grad(); torch.nn.functional.cross_entropy(m(x[i:i + 64]), y[i:i + 64]).backward(); opt.step()
    epoch = time.perf_counter() - t
    m.eval(); torch.set_num_threads(1)
    with torch.no_grad():
        lat = single_latency(m, x[:1])
    return epoch * 60000 / images, lat

def bench_onnxruntime():
    import torch, onnxruntime as ort
    m = torch_model().eval(); path = "/tmp/numeral-baseline.onnx"
    torch.onnx.export(m, torch.rand(1, 1, 28, 28), path)
    opts = ort.SessionOptions(); opts.intra_op_num_threads = 1; opts.inter_op_num_threads = 1
    s = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    name = s.get_inputs()[0].name; x = np.random.rand(1, 1, 28, 28).astype("float32")
    return None, single_latency(lambda v: s.run(None, {name: v}), x)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--numeral", default=".build/release/numeral")
    ap.add_argument("--images", type=int, default=60000)
    a = ap.parse_args()
    rows = []
    out = subprocess.run([a.numeral, "bench", "--arch", "baseline", "--json", "--train-images", str(min(a.images, 12800))],
                         capture_output=True, text=True, check=True)
    n = json.loads(out.stdout)
    rows.append(("Numeral (Swift, OpenBLAS)", n["train_epoch_60k_s"], n["predict_p50_ms"]))
    for name, fn in [("TensorFlow (CPU)", lambda: bench_tensorflow(a.images)), ("PyTorch", lambda: bench_torch(a.images)),
                     ("ONNX Runtime", bench_onnxruntime)]:
        try:
            epoch, lat = fn()
            rows.append((name, epoch, lat))
        except ImportError as e:
            rows.append((name + f" (not installed: {e.name})", None, None))
    print("| Framework | s per 60k-image epoch (batch 64) | single image p50, 1 thread |")
    print("| --- | --- | --- |")
    for name, epoch, lat in rows:
        print(f"| {name} | {'-' if epoch is None else f'{epoch:.1f} s'} | {'-' if lat is None else f'{lat:.3f} ms'} |")

if __name__ == "__main__":
    main()
