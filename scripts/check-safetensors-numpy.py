#!/usr/bin/env python3
"""Cross-checks a Numeral model outside Swift: loads the .safetensors with the reference
`safetensors` package, runs the network in plain numpy (eval mode) and compares its accuracy on
the first N MNIST test images with `numeral eval`'s. Proves the file is standard safetensors
with PyTorch's layout (weights [out, in, kh, kw], batch-norm running statistics).

Usage: scripts/check-safetensors-numpy.py Models/mnist-cnn.safetensors [MNIST_DIR] [N]
Needs: pip install numpy safetensors
"""
import gzip, json, os, subprocess, sys, tempfile
import numpy as np
from safetensors.numpy import load_file

weights_path = sys.argv[1]
mnist = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("NUMERAL_MNIST", "../shared/data/mnist")
n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
w = load_file(weights_path)
card = json.load(open(weights_path[: -len(".safetensors")] + ".json"))
arch = card["architecture"]

def conv(x, weight, bias, pad):
    n_, c, h, wd = x.shape
    k = weight.shape[2]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.stack([xp[:, :, i:i + h, j:j + wd] for i in range(k) for j in range(k)], axis=2)  # n,c,k*k,h,w
    cols = cols.reshape(n_, c * k * k, h * wd)
    out = np.einsum("ok,nkp->nop", weight.reshape(weight.shape[0], -1), cols) + bias[None, :, None]
    return out.reshape(n_, -1, h, wd)

def forward(x):
    i = 0
    for s, stage in enumerate(arch["stages"]):
        for _ in stage:
            x = conv(x, w[f"{i}.weight"], w[f"{i}.bias"], arch["kernelSize"] // 2)
            g, b, m, v = (w[f"{i+1}.{k}"] for k in ("weight", "bias", "running_mean", "running_var"))
            x = (x - m[None, :, None, None]) / np.sqrt(v[None, :, None, None] + 1e-5) * g[None, :, None, None] + b[None, :, None, None]
            x = np.maximum(x, 0)
            i += 3
        if s < len(arch["stages"]) - 1:
            n_, c, h, wd = x.shape
            x = x[:, :, : h // 2 * 2, : wd // 2 * 2].reshape(n_, c, h // 2, 2, wd // 2, 2).max(axis=(3, 5))
            i += 1
    x = x.mean(axis=(2, 3))
    i += 2  # global pool, dropout
    return x @ w[f"{i}.weight"].T + w[f"{i}.bias"]

images = np.frombuffer(gzip.open(os.path.join(mnist, "t10k-images-idx3-ubyte.gz")).read()[16:], np.uint8)
labels = np.frombuffer(gzip.open(os.path.join(mnist, "t10k-labels-idx1-ubyte.gz")).read()[8:], np.uint8)
x = images[: n * 784].reshape(n, 1, 28, 28).astype(np.float32) / 255
numpy_digits = forward(x).argmax(axis=1)
print(f"numpy forward pass: {(numpy_digits == labels[:n]).mean() * 100:.2f}% on the first {n} test images")

# The same images through `numeral eval`, which feeds MNIST to the model as is.
binary = os.environ.get("NUMERAL_BIN", ".build/release/numeral")
out = subprocess.run([binary, "eval", "--json", "--limit", str(n), "--model", weights_path, "--data", mnist,
                      "--mistakes", os.path.join(tempfile.mkdtemp(), "m.png")], capture_output=True, text=True, check=True)
swift = json.loads(out.stdout)["accuracy"]
ours = (numpy_digits == labels[:n]).mean()
print(f"numeral eval: {swift * 100:.2f}%  ->  {'identical' if abs(swift - ours) < 1e-9 else 'DIFFERENT'} accuracy")
sys.exit(0 if abs(swift - ours) < 1e-9 else 1)
