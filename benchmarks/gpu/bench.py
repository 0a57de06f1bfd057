"""GPU benchmark: ferroflow beside PyTorch on the same GPU, in one run, with the GPU's own rates.

    python benchmarks/gpu/bench.py [--epochs 1] [--mlp-steps 30]

Measures (data in host memory for every framework: each batch is copied to the GPU every step):
  - the MNIST hello-world epoch (Flatten, Dense 512 relu, Dropout 0.2, Dense 10, Adam) at batch 32 and 256:
    ferroflow's ``fit`` against PyTorch eager and PyTorch with ``torch.compile`` (mode "reduce-overhead", CUDA
    graphs);
  - a large MLP (Dense 4096 x 4, batch 1024) training step in float32 and bfloat16 (ferroflow's
    ``mixed_bfloat16`` policy, PyTorch's autocast);
  - the GPU's float32/TF32/bfloat16 matrix rate and pinned host-to-device copy bandwidth (with PyTorch).
Prints one JSON line per measurement, then a table with the ratios last. MNIST comes from FERROFLOW_DATASETS
when present, else random data of its shapes (the timing does not depend on the values).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def mnist_arrays() -> tuple:
    try:
        from common import mnist

        x, y, _, _ = mnist()
        return x, y.astype("int64"), "MNIST"
    except (OSError, FileNotFoundError):
        rng = np.random.default_rng(0)
        x, y = rng.random((60000, 28, 28), dtype=np.float32), rng.integers(0, 10, 60000)
        return x, y, "random data of MNIST's shapes"


def emit(results: dict, key: str, value: float) -> None:
    results[key] = value
    print(json.dumps({key: value}), flush=True)


def gpu_rates(results: dict) -> None:
    import torch

    n = 8192
    kinds = [("fp32", torch.float32, False), ("tf32", torch.float32, True), ("bf16", torch.bfloat16, False)]
    for name, dtype, tf32 in kinds:
        torch.backends.cuda.matmul.allow_tf32 = tf32
        a = torch.randn(n, n, device="cuda", dtype=dtype)
        b = torch.randn(n, n, device="cuda", dtype=dtype)
        for _ in range(3):
            a @ b
        torch.cuda.synchronize()
        start, reps = time.perf_counter(), 20
        for _ in range(reps):
            a @ b
        torch.cuda.synchronize()
        emit(results, f"matmul_tflops_{name}", 2 * n**3 * reps / (time.perf_counter() - start) / 1e12)
    host = torch.empty(256 << 20, dtype=torch.uint8).pin_memory()
    dev = torch.empty_like(host, device="cuda")
    dev.copy_(host)
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(10):
        dev.copy_(host, non_blocking=True)
    torch.cuda.synchronize()
    emit(results, "h2d_gb_per_s", 10 * host.numel() / (time.perf_counter() - start) / 1e9)


def ferroflow_epoch(x, y, batch: int, epochs: int) -> float:
    import ferroflow as tf

    model = tf.keras.Sequential([
        tf.keras.Input((28, 28)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(512, activation="relu"),
        tf.keras.layers.Dropout(0.2), tf.keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[: batch * 20], y[: batch * 20], batch_size=batch, epochs=1, verbose=0)  # compile and warm up
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
    return (time.perf_counter() - start) / epochs


def torch_epoch(x, y, batch: int, epochs: int, compiled: bool) -> float:
    import torch

    torch.backends.cuda.matmul.allow_tf32 = True
    model = torch.nn.Sequential(
        torch.nn.Flatten(), torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(512, 10)
    ).cuda()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
        return loss.detach(), (out.argmax(1) == yb).sum()

    run = torch.compile(step, mode="reduce-overhead") if compiled else step
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)

    def epoch(limit=None):
        perm = torch.randperm(len(xs))
        stop = len(xs) - len(xs) % batch if compiled else len(xs)  # static shapes for the CUDA graph
        stop = min(stop, limit or stop)
        for i in range(0, stop, batch):
            idx = perm[i : i + batch]
            run(xs[idx].cuda(non_blocking=True), ys[idx].cuda(non_blocking=True))
        torch.cuda.synchronize()

    epoch(batch * 20)
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - start) / epochs


def ferroflow_mlp(steps: int, bf16: bool) -> float:
    import ferroflow as tf

    tf.keras.mixed_precision.set_global_policy("mixed_bfloat16" if bf16 else "float32")
    try:
        layers = [tf.keras.Input((4096,))] + [tf.keras.layers.Dense(4096, activation="relu") for _ in range(4)]
        model = tf.keras.Sequential(layers + [tf.keras.layers.Dense(10, dtype="float32")])
        model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        rng = np.random.default_rng(0)
        x, y = rng.standard_normal((1024, 4096), dtype=np.float32), rng.integers(0, 10, 1024)
        for _ in range(3):
            model.train_on_batch(x, y)
        start = time.perf_counter()
        for _ in range(steps):
            model.train_on_batch(x, y)
        return (time.perf_counter() - start) / steps
    finally:
        tf.keras.mixed_precision.set_global_policy("float32")


def torch_mlp(steps: int, bf16: bool) -> float:
    import torch

    torch.backends.cuda.matmul.allow_tf32 = True
    layers = []
    for _ in range(4):
        layers += [torch.nn.Linear(4096, 4096), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(4096, 10)).cuda()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(1024, 4096)
    y = torch.randint(0, 10, (1024,))

    def step():
        xb, yb = x.cuda(non_blocking=True), y.cuda(non_blocking=True)
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=bf16):
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        loss.item()  # the step's loss reaches the host, as train_on_batch's does

    for _ in range(3):
        step()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    torch.cuda.synchronize()
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--mlp-steps", type=int, default=30)
    args = parser.parse_args()
    results: dict = {}
    x, y, source = mnist_arrays()
    print(f"hello-world data: {source}", flush=True)
    gpu_rates(results)
    for batch in (32, 256):
        emit(results, f"ferroflow_epoch_b{batch}", ferroflow_epoch(x, y, batch, args.epochs))
        emit(results, f"torch_eager_epoch_b{batch}", torch_epoch(x, y, batch, args.epochs, compiled=False))
        emit(results, f"torch_compiled_epoch_b{batch}", torch_epoch(x, y, batch, args.epochs, compiled=True))
    for bf16 in (False, True):
        tag = "bf16" if bf16 else "fp32"
        emit(results, f"ferroflow_mlp_step_{tag}", ferroflow_mlp(args.mlp_steps, bf16))
        emit(results, f"torch_mlp_step_{tag}", torch_mlp(args.mlp_steps, bf16))
    r = results
    print("\n| measurement | ferroflow | PyTorch | ratio | goal |")
    print("|---|---|---|---|---|")
    for batch in (32, 256):
        ff = r[f"ferroflow_epoch_b{batch}"]
        for peer, goal in [("torch_eager", "<= 0.5"), ("torch_compiled", "<= 1.0")]:
            t = r[f"{peer}_epoch_b{batch}"]
            print(f"| MNIST epoch, batch {batch} vs {peer} | {ff:.2f} s | {t:.2f} s | {ff / t:.2f}x | {goal} |")
    for tag in ("fp32", "bf16"):
        ff, t = r[f"ferroflow_mlp_step_{tag}"], r[f"torch_mlp_step_{tag}"]
        print(f"| MLP 4096x4 step, batch 1024, {tag} | {ff * 1e3:.1f} ms | {t * 1e3:.1f} ms | {ff / t:.2f}x | <= 1.1 |")
    print(f"| GPU matrix rate fp32 / tf32 / bf16 | | {r['matmul_tflops_fp32']:.0f} / {r['matmul_tflops_tf32']:.0f} / "
          f"{r['matmul_tflops_bf16']:.0f} TFLOP/s | | |")
    print(f"| pinned host-to-device copy | | {r['h2d_gb_per_s']:.1f} GB/s | | |")


if __name__ == "__main__":
    main()
