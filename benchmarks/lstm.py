"""LSTM(128) over 100 steps: ferroflow against Keras 3 on JAX in the same run.

Usage: python benchmarks/lstm.py [--peers-python /tmp/peers/bin/python] [--steps 20] [--epochs 3] [--rounds 2]
The same model (Input (100, 32) -> LSTM(128) -> Dense(10, softmax), Adam, sparse categorical cross-entropy)
trains on random sequences at batch 64, each framework in its own process: milliseconds per training step
(the best epoch of ``fit`` over ``--steps`` batches; the first epoch, which compiles, is not counted) and per
``predict`` of one batch of 64. Ratios are ferroflow's time over Keras-on-JAX's (below 1 is faster; the goal
is <= 0.5x).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from step_timing import compare, import_keras, measure

BATCH, STEPS, FEATURES, UNITS, CLASSES = 64, 100, 32, 128, 10


def lstm_model(keras):
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(STEPS, FEATURES)),
            layers.LSTM(UNITS),
            layers.Dense(CLASSES, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def data(batches: int) -> tuple:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH * batches, STEPS, FEATURES), dtype=np.float32)
    y = rng.integers(0, CLASSES, BATCH * batches)
    return x, y


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--peers-python", default=sys.executable)
    p.add_argument("--steps", type=int, default=20, help="training steps per epoch")
    p.add_argument("--epochs", type=int, default=3, help="epochs per run; the first compiles and is not counted")
    p.add_argument("--rounds", type=int, default=2, help="turns of the two frameworks; the best counts")
    p.add_argument("--workload", choices=["ferroflow", "keras"], help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.workload:
        x, y = data(a.steps)
        return measure(lstm_model(import_keras(a.workload)), x, y, BATCH, a.epochs)
    title = f"LSTM({UNITS}) over {STEPS} steps of {FEATURES} features, batch {BATCH}, {a.steps} steps per epoch"
    compare(__file__, a.peers_python, ["--steps", str(a.steps), "--epochs", str(a.epochs)], a.rounds, title)


if __name__ == "__main__":
    main()
