#!/usr/bin/env python3
"""Independent PyTorch check of `numeral eval --attack` (issue 26).

Rebuilds a Numeral image model in PyTorch from its weights (.safetensors, read with the
`safetensors` package) and its card (the .json beside them): the `standard` family (stages of
3x3 conv + batch norm + ReLU, 2x2 max-pool between stages, global average pooling, dropout, dense)
or `baseline` (conv 32, ReLU, pool, conv 64, ReLU, pool, flatten, dense 128, ReLU, dropout, dense).
Tensor names are the nn.Sequential indices, so the weights load with load_state_dict. Eval mode:
batch norm with its running statistics (not folded), dropout off.

Attacks, written from their definitions (Numeral's code is only run, never reused): on the first
--count MNIST test digits, pixels = byte / 255 with no normalization, so ε is a change of pixel
value. FGSM: one step of ε along the sign (L∞) or the unit direction (L2) of the gradient of the
cross-entropy. PGD: --steps steps of α (default 2.5·ε/steps), each projected onto the ε-ball
around the digit and into [0, 1], from a uniformly random point of the ball unless
--no-random-start; a digit counts as fooled as soon as any iterate (start included) is misread;
--restarts attacks the unfooled digits again from a new start. Robust = read correctly clean AND
under attack. The random start comes from torch.Generator(--seed), i.e. other draws than
Numeral's; --start numeral replays Numeral's own stream (xoshiro256** seeded by SplitMix64, as in
SeededGenerator.swift), to tell the random start's share of a difference from the rest.

Unless --no-compare, runs `numeral eval --attack ... --json` with the same settings and prints
both with the difference in points; exits 1 if clean accuracy differs at all or robust accuracy
by more than --tolerance points.

FGSM from a clean digit is a knife-edge: its flat background gives exact ties in about a quarter
of the max-pool windows, so the gradient's sign depends on how each side rounds. PyTorch and
Numeral's OpenBLAS convolutions tie exactly and agree digit for digit; Numeral's default oneDNN
inference convolutions (Winograd) break the ties differently (up to 1.3 points at ε = 0.05 on
the shipped model). Run with NUMERAL_CONVOLUTIONS=openblas to compare like with like.

Usage: python3 benchmarks/robustness_check.py [--model Models/mnist-cnn.safetensors]
         [--epsilon 0.05,0.1,0.3] [--attack fgsm|pgd|both] [--norm linf|l2] [--steps 40]
         [--count 1000] [--mnist DIR] [--numeral BIN] [--no-compare] [--tolerance 1]
Needs: python3 -m pip install torch safetensors numpy
"""
import argparse, gzip, json, math, os, shutil, subprocess, sys, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from safetensors.torch import load_file
except ImportError as e:
    sys.exit(f"robustness_check: {e.name} is not installed (python3 -m pip install torch safetensors numpy)")


# ---------------------------------------------------------------- model

class GlobalAveragePool(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


def build(arch):
    """The network of a card's `architecture`, layer for layer as DigitArchitecture.build()."""
    classes = arch.get("classes", 10)
    if arch.get("family") == "baseline":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(),
            nn.Dropout(arch["dropout"]), nn.Linear(128, classes))
    k, layers, channels = arch["kernelSize"], [], 1
    for s, stage in enumerate(arch["stages"]):
        for filters in stage:
            layers += [nn.Conv2d(channels, filters, k, padding=k // 2), nn.BatchNorm2d(filters, eps=1e-5), nn.ReLU()]
            channels = filters
        if s < len(arch["stages"]) - 1:
            layers.append(nn.MaxPool2d(2))
    layers += [GlobalAveragePool(), nn.Dropout(arch["dropout"]), nn.Linear(channels, classes)]
    return nn.Sequential(*layers)


def load_model(weights):
    card_path = (weights[:-len(".safetensors")] if weights.endswith(".safetensors") else weights) + ".json"
    with open(card_path) as f:
        card = json.load(f)
    model = build(card["architecture"])
    missing, unexpected = model.load_state_dict(load_file(weights), strict=False)
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    if missing or unexpected:
        sys.exit(f"robustness_check: {weights} does not fit its card: missing {missing}, unexpected {unexpected}")
    return model.eval(), card


# ---------------------------------------------------------------- data

def mnist_test(directory, count):
    def read(name, offset):
        for path in (os.path.join(directory, name), os.path.join(directory, name + ".gz")):
            if os.path.exists(path):
                with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
                    return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
        sys.exit(f"robustness_check: no MNIST test set in {directory} ({name}[.gz] missing; use --mnist DIR or $NUMERAL_MNIST)")
    images = read("t10k-images-idx3-ubyte", 16).reshape(-1, 1, 28, 28)
    labels = read("t10k-labels-idx1-ubyte", 8)
    n = len(labels) if count <= 0 else min(count, len(labels))
    x = torch.from_numpy(images[:n].astype(np.float32) / np.float32(255))
    return x, torch.from_numpy(labels[:n].astype(np.int64))


# ---------------------------------------------------------------- random starts

class TorchStart:
    """Uniform points of the ε-ball from PyTorch's generator."""
    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def linf(self, n, shape, eps):
        return (2 * torch.rand((n,) + shape, generator=self.g) - 1) * eps

    def l2(self, n, shape, eps):
        d = math.prod(shape)
        v = torch.randn(n, d, generator=self.g)
        r = eps * torch.rand(n, 1, generator=self.g) ** (1 / d)
        return (v * r / v.norm(dim=1, keepdim=True)).view((n,) + shape)


class NumeralStart:
    """Numeral's draws replayed: xoshiro256** seeded through SplitMix64, floats = top 24 bits / 2^24."""
    M = (1 << 64) - 1

    def __init__(self, seed):
        x, s = seed, []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & self.M
            z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & self.M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.M
            s.append(z ^ (z >> 31))
        self.s = s

    def floats(self, count):
        M, (s0, s1, s2, s3), out = self.M, self.s, np.empty(count, dtype=np.float32)
        for i in range(count):
            r = (s1 * 5) & M
            out[i] = (((((r << 7) | (r >> 57)) & M) * 9 & M) >> 40)
            t = (s1 << 17) & M
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
            s3 = ((s3 << 45) | (s3 >> 19)) & M
        self.s = [s0, s1, s2, s3]
        return out * np.float32(1 / (1 << 24))

    def linf(self, n, shape, eps):
        u = self.floats(n * math.prod(shape)).reshape((n,) + shape)
        return torch.from_numpy((2 * u - 1) * np.float32(eps))

    def l2(self, n, shape, eps):
        d, rows = math.prod(shape), []
        for _ in range(n):   # per digit: d Box–Muller normals (two floats each), then the radius
            u = self.floats(2 * d + 1)
            v = np.sqrt(-2 * np.log(np.maximum(u[0:2 * d:2], np.float32(1e-7)))) * np.cos(np.float32(2 * np.pi) * u[1:2 * d:2])
            r = eps * float(u[-1]) ** (1 / d)
            rows.append(v * np.float32(r / max(np.linalg.norm(v.astype(np.float64)), 1e-30)))
        return torch.from_numpy(np.stack(rows).astype(np.float32)).view((n,) + shape)


# ---------------------------------------------------------------- attacks

def step(x, g, alpha, norm):
    if norm == "linf":
        return x + alpha * g.sign()
    length = g.flatten(1).double().norm(dim=1).float().view(-1, 1, 1, 1)
    return torch.where(length > 0, x + g * (alpha / length.clamp_min(1e-30)), x)


def project(x, origin, eps, norm):
    if norm == "linf":
        return torch.max(torch.min(x, (origin + eps).clamp(max=1)), (origin - eps).clamp(min=0))
    d = x - origin
    length = d.flatten(1).double().norm(dim=1).float().view(-1, 1, 1, 1)
    x = torch.where(length > eps, origin + d * (eps / length.clamp_min(1e-30)), x)
    return x.clamp(0, 1)


def attack(model, images, labels, method, norm, eps, steps, alpha, restarts, random_start, start, batch=100):
    """(clean correct, robust correct) for FGSM or PGD, `batch` digits at a time."""
    if method == "fgsm":
        steps, alpha, restarts, random_start = 1, eps, 1, False
    clean = robust = 0
    for lo in range(0, len(labels), batch):
        x0, y = images[lo:lo + batch], labels[lo:lo + batch]
        with torch.no_grad():
            fooled = model(x0).argmax(1) != y        # a digit misread clean is not attacked
        clean += int((~fooled).sum())
        for _ in range(restarts):
            active = (~fooled).nonzero().flatten()
            if len(active) == 0:
                break
            origin, ya = x0[active], y[active]
            x = origin.clone()
            if random_start:
                x = project(origin + getattr(start, norm)(len(active), tuple(origin.shape[1:]), eps), origin, eps, norm)
            hit = torch.zeros(len(active), dtype=torch.bool)
            for _ in range(steps):
                x.requires_grad_(True)
                logits = model(x)
                hit |= logits.argmax(1) != ya
                grad, = torch.autograd.grad(F.cross_entropy(logits, ya, reduction="sum"), x)
                x = project(step(x.detach(), grad, alpha, norm), origin, eps, norm)
            with torch.no_grad():
                hit |= model(x).argmax(1) != ya
            fooled[active] |= hit
        robust += int((~fooled).sum())
    return clean, robust


# ---------------------------------------------------------------- Numeral

def numeral_binary():
    for candidate in (os.environ.get("NUMERAL_BIN"), os.path.join(REPO, ".build", "release", "numeral"), shutil.which("numeral")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def run_numeral(binary, a, method, eps, alpha):
    cmd = [binary, "eval", "--attack", method, "--epsilon", repr(eps), "--norm", a.norm, "--count", str(a.count),
           "--model", a.model, "--data", a.mnist, "--attack-seed", str(a.seed), "--json"]
    if method == "pgd":
        cmd += ["--steps", str(a.steps), "--step-size", repr(alpha), "--restarts", str(a.restarts)]
        if a.no_random_start:
            cmd.append("--no-random-start")
    started = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"robustness_check: {' '.join(cmd)} failed: {p.stderr.strip()}")
    return json.loads(p.stdout), time.time() - started, cmd


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(REPO, "Models", "mnist-cnn.safetensors"))
    ap.add_argument("--mnist", default=os.environ.get("NUMERAL_MNIST") or os.path.join(REPO, "..", "shared", "data", "mnist"))
    ap.add_argument("--count", type=int, default=1000, help="first N MNIST test digits (0 = all)")
    ap.add_argument("--epsilon", action="append", help="repeatable or comma list (default 0.05,0.1,0.3)")
    ap.add_argument("--attack", choices=["fgsm", "pgd", "both"], default="both")
    ap.add_argument("--norm", choices=["linf", "l2"], default="linf")
    ap.add_argument("--steps", type=int, default=40, help="PGD's steps")
    ap.add_argument("--step-size", type=float, help="PGD's step (default 2.5·ε/steps)")
    ap.add_argument("--restarts", type=int, default=1)
    ap.add_argument("--no-random-start", action="store_true")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random start (also Numeral's --attack-seed)")
    ap.add_argument("--start", choices=["torch", "numeral"], default="torch",
                    help="draw the random start from PyTorch's generator, or replay Numeral's")
    ap.add_argument("--numeral", help="numeral binary (default $NUMERAL_BIN, .build/release/numeral, numeral on PATH)")
    ap.add_argument("--no-compare", action="store_true", help="PyTorch only")
    ap.add_argument("--tolerance", type=float, default=1.0, help="largest robust-accuracy difference, in points")
    a = ap.parse_args()
    a.model, a.mnist = os.path.abspath(a.model), os.path.abspath(a.mnist)
    epsilons = [float(e) for arg in (a.epsilon or ["0.05,0.1,0.3"]) for e in arg.split(",") if e.strip()]
    methods = ["fgsm", "pgd"] if a.attack == "both" else [a.attack]
    binary = None if a.no_compare else (a.numeral or numeral_binary())
    if not a.no_compare and not (binary and os.path.exists(binary)):
        sys.exit("robustness_check: no numeral binary (give --numeral BIN, or --no-compare)")

    torch.set_num_threads(1)
    images, labels = mnist_test(a.mnist, a.count)
    model, card = load_model(a.model)
    print(f"model {card.get('id', '?')} ({card['architecture'].get('family') or 'standard'}), "
          f"first {len(labels)} MNIST test digits, {a.norm}, seed {a.seed}, random start from {a.start}")
    if binary:
        print(f"numeral: {binary} (convolutions: {os.environ.get('NUMERAL_CONVOLUTIONS') or 'default, oneDNN'})")
    header = f"{'attack':<8} {'eps':>6} | {'clean torch':>11} {'numeral':>8} | {'robust torch':>12} {'numeral':>8} {'diff':>6} | {'s torch':>7} {'numeral':>7}"
    print(header + "\n" + "-" * len(header))
    failed = []
    for method in methods:
        for eps in epsilons:
            alpha = eps if method == "fgsm" else (a.step_size or 2.5 * eps / max(a.steps, 1))
            start = (NumeralStart if a.start == "numeral" else TorchStart)(a.seed)
            t0 = time.time()
            clean, robust = attack(model, images, labels, method, a.norm, eps, a.steps, alpha, a.restarts,
                                   not a.no_random_start, start)
            seconds = time.time() - t0
            name = "FGSM" if method == "fgsm" else f"PGD-{a.steps}"
            n = len(labels)
            row = f"{name:<8} {eps:>6g} | {100 * clean / n:>10.1f}% "
            if binary:
                out, nseconds, _ = run_numeral(binary, a, method, eps, alpha)
                diff = 100 * (robust - out["correct"]) / n
                row += (f"{100 * out['clean_accuracy']:>7.1f}% | {100 * robust / n:>11.1f}% {100 * out['robust_accuracy']:>7.1f}% "
                        f"{diff:>+6.1f} | {seconds:>7.0f} {nseconds:>7.0f}")
                if out["count"] != n or out["clean_correct"] != clean:
                    failed.append(f"{name} ε={eps:g}: clean {clean}/{n} in PyTorch, {out['clean_correct']}/{out['count']} in Numeral")
                if abs(diff) > a.tolerance:
                    failed.append(f"{name} ε={eps:g}: robust accuracy differs by {diff:+.1f} points (tolerance {a.tolerance:g})")
            else:
                row += f"{'':>8} | {100 * robust / n:>11.1f}% {'':>8} {'':>6} | {seconds:>7.0f}"
            print(row, flush=True)
    for f in failed:
        print("DISAGREES: " + f)
    if binary and not failed:
        print(f"agrees: clean accuracy identical, robust accuracy within {a.tolerance:g} point(s)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
