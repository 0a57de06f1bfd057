"""A small residual network (the Fashion-MNIST example's): ferroflow against Keras 3 on JAX and on TensorFlow.

Usage: python benchmarks/resnet.py [--peers-python PATH] [--steps 60] [--epochs 2]
The same functional-API model (3x3 Conv2D + BatchNormalization blocks joined by ``add``, 16/32/64 filters on
28x28 images) trains on random images at batch 128, each framework in its own process: seconds per training
step (the best of ``--epochs`` epochs of ``--steps`` steps, so that compilation is not counted). Ratios are
ferroflow's time over the other's (below 1 is faster). ``--peers-python`` is an environment with keras, jax
and tensorflow.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from common import emit

BATCH = 128


def resnet(keras, width: int = 16):
    layers = keras.layers

    def block(x, filters: int, stride: int):
        shortcut = x
        y = layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
        y = layers.Activation("relu")(layers.BatchNormalization()(y))
        y = layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same", use_bias=False)(y))
        if stride != 1 or shortcut.shape[-1] != filters:
            shortcut = layers.Conv2D(filters, 1, strides=stride, use_bias=False)(shortcut)
            shortcut = layers.BatchNormalization()(shortcut)
        return layers.Activation("relu")(layers.add([y, shortcut]))

    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(width, 3, padding="same", use_bias=False)(inputs)
    x = layers.Activation("relu")(layers.BatchNormalization()(x))
    x = block(block(block(x, width, 1), 2 * width, 2), 4 * width, 2)
    outputs = layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(x))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def workload(name: str, steps: int, epochs: int) -> None:
    if name == "ferroflow":
        from ferroflow import keras
    else:
        os.environ["KERAS_BACKEND"] = name
        import keras
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((BATCH * steps, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, BATCH * steps)
    model = resnet(keras)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        times.append(time.perf_counter() - t0)
    emit(seconds_per_step=min(times) / steps)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--peers-python", default=sys.executable)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--workload", choices=["ferroflow", "jax", "tensorflow"], help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.workload:
        return workload(a.workload, a.steps, a.epochs)
    from run import fmt, ratio, run

    here = os.path.basename(__file__)
    args = ("--steps", str(a.steps), "--epochs", str(a.epochs))
    me = run(sys.executable, here, "--workload", "ferroflow", *args)
    peers = {name: run(a.peers_python, here, "--workload", name, *args) for name in ("jax", "tensorflow")}
    mine = None if me is None else me["seconds_per_step"] * 1e3
    print(
        f"Small ResNet (Fashion-MNIST example), batch {BATCH}, best of {a.epochs} x {a.steps} steps; "
        f"{os.cpu_count()} cores"
    )
    print("| peer | ferroflow ms/step | peer ms/step | ferroflow / peer |")
    print("|---|---|---|---|")
    for name, r in peers.items():
        theirs = None if r is None else r["seconds_per_step"] * 1e3
        print(f"| Keras on {name} | {fmt(mine, 'ms')} | {fmt(theirs, 'ms')} | {ratio(mine, theirs)} |")


if __name__ == "__main__":
    main()
