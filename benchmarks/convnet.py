"""Keras's simple MNIST convnet: ferroflow against Keras 3 on JAX in the same run, and against a NumPy floor.

Usage: FERROFLOW_DATASETS=../shared/datasets python benchmarks/convnet.py [--peers-python PATH] [--epochs 2]
The same model code runs with ``from ferroflow import keras`` and with Keras 3 on JAX (``--peers-python``, an
environment with keras and jax), each in its own process: seconds per epoch at batch 128 (the best of
``--epochs`` epochs, so that compilation is not counted) and one-image ``predict`` latency (the best of 7 runs
of 50 calls). The floor is the model's two convolutions alone, forward and both gradients, done as im2col +
NumPy's sgemm over the same batches. Ratios are ferroflow's time over the other's (below 1 is faster); the
goals are epoch <= 0.5x Keras-on-JAX and <= 2x the floor, predict <= 0.1x.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from common import PREDICT_REPEATS, emit, mnist, timed

BATCH = 128


def convnet(keras):
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def framework_workload(name: str, epochs: int) -> None:
    if name == "keras":
        os.environ.setdefault("KERAS_BACKEND", "jax")
        import keras
    else:
        from ferroflow import keras
    keras.utils.set_random_seed(0)
    x, y, xt, yt = mnist()
    x, xt = x[..., None], xt[..., None]
    model = convnet(keras)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        times.append(time.perf_counter() - t0)
    accuracy = float(model.evaluate(xt, yt, verbose=0)[1])
    one = xt[:1]
    model.predict(one, verbose=0)
    sec = timed(lambda: [model.predict(one, verbose=0) for _ in range(50)], repeats=PREDICT_REPEATS)
    emit(seconds_per_epoch=min(times), test_accuracy=accuracy, predict_us=sec / 50 * 1e6)


def _patches(x: np.ndarray) -> np.ndarray:
    """im2col of 3x3 VALID windows: [n, h, w, c] -> [n * (h-2) * (w-2), 9 * c], taps then channels."""
    win = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(1, 2))  # n, oh, ow, c, 3, 3
    return np.ascontiguousarray(win.transpose(0, 1, 2, 4, 5, 3)).reshape(-1, 9 * x.shape[-1])


def _fold(dcol: np.ndarray, shape: tuple) -> np.ndarray:
    """col2im: the patch gradient added back onto [n, h, w, c]."""
    n, h, w, c = shape
    d = dcol.reshape(n, h - 2, w - 2, 3, 3, c)
    out = np.zeros(shape, np.float32)
    for ky in range(3):
        for kx in range(3):
            out[:, ky : ky + h - 2, kx : kx + w - 2] += d[:, :, :, ky, kx]
    return out


def floor_workload(epochs: int) -> None:
    """Both convolutions of the model, forward and backward (filter and input gradients), per batch."""
    x = mnist()[0][..., None]
    rng = np.random.default_rng(0)
    w1 = rng.standard_normal((9, 32)).astype(np.float32)
    w2 = rng.standard_normal((9 * 32, 64)).astype(np.float32)
    pooled = rng.standard_normal((BATCH, 13, 13, 32)).astype(np.float32)  # what the first pooling hands on

    def batch(xb: np.ndarray) -> None:
        n = len(xb)
        c1 = _patches(xb)
        y1 = c1 @ w1  # conv 1
        p = pooled[:n]
        c2 = _patches(p)
        y2 = c2 @ w2  # conv 2
        g2 = y2  # a gradient of the same shape
        c2.T @ g2  # filter gradient 2
        _fold(g2 @ w2.T, p.shape)  # input gradient 2
        c1.T @ y1  # filter gradient 1 (the input needs none)

    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        for i in range(0, len(x), BATCH):
            batch(x[i : i + BATCH])
        times.append(time.perf_counter() - t0)
    emit(seconds_per_epoch=min(times))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--peers-python", default=sys.executable)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--workload", choices=["ferroflow", "keras", "floor"], help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.workload == "floor":
        return floor_workload(a.epochs)
    if a.workload:
        return framework_workload(a.workload, a.epochs)
    from run import fmt, ratio, run

    here = os.path.basename(__file__)
    me = run(sys.executable, here, "--workload", "ferroflow", "--epochs", str(a.epochs))
    kj = run(a.peers_python, here, "--workload", "keras", "--epochs", str(a.epochs))
    floor = run(sys.executable, here, "--workload", "floor", "--epochs", str(a.epochs))

    def get(r, key):
        return None if r is None else r[key]

    print(f"Keras's MNIST convnet, batch {BATCH}, best of {a.epochs} epochs; {os.cpu_count()} cores")
    heads = ["ferroflow", "Keras on JAX", "floor (im2col + NumPy sgemm)", "ferroflow / Keras", "ferroflow / floor"]
    print("| figure | " + " | ".join(heads) + " |")
    print("|---|---|---|---|---|---|")
    e = [get(r, "seconds_per_epoch") for r in (me, kj, floor)]
    cells = [fmt(e[0], "s"), fmt(e[1], "s"), fmt(e[2], "s"), ratio(e[0], e[1]), ratio(e[0], e[2])]
    print("| epoch | " + " | ".join(cells) + " |")
    pr = [get(r, "predict_us") for r in (me, kj)]
    print(f"| one-image predict | {fmt(pr[0], 'us')} | {fmt(pr[1], 'us')} | | {ratio(pr[0], pr[1])} | |")
    acc = ["n/a" if v is None else f"{v:.4f}" for v in (get(r, "test_accuracy") for r in (me, kj))]
    print(f"| test accuracy | {acc[0]} | {acc[1]} | | | |")


if __name__ == "__main__":
    main()
