"""A 2-layer Transformer encoder: ferroflow against Keras 3 on JAX in the same run.

Usage: python benchmarks/transformer.py [--peers-python /tmp/peers/bin/python] [--steps 4] [--epochs 3]
The same functional model trains on random sequences at batch 32, each framework in its own process:
Input (128, 256) -> 2 x [MultiHeadAttention(8 heads, key_dim 32) + residual -> LayerNormalization ->
Dense(1024, relu) -> Dense(256) + residual -> LayerNormalization] -> GlobalAveragePooling1D ->
Dense(10, softmax), Adam, sparse categorical cross-entropy (post-norm, as "Attention is all you need").
Figures: milliseconds per training step (the best epoch of ``fit`` over ``--steps`` batches; the first
epoch, which compiles, is not counted) and per ``predict`` of one batch of 32. Ratios are ferroflow's time
over Keras-on-JAX's (below 1 is faster; the goal is <= 0.5x).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from step_timing import compare, import_keras, measure

BATCH, SEQ, WIDTH, HEADS, FF, LAYERS, CLASSES = 32, 128, 256, 8, 1024, 2, 10


def encoder_block(keras, x):
    layers = keras.layers
    attention = layers.MultiHeadAttention(num_heads=HEADS, key_dim=WIDTH // HEADS)(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(layers.add([x, attention]))
    ff = layers.Dense(WIDTH)(layers.Dense(FF, activation="relu")(x))
    return layers.LayerNormalization(epsilon=1e-6)(layers.add([x, ff]))


def transformer_model(keras):
    inputs = keras.Input(shape=(SEQ, WIDTH))
    x = inputs
    for _ in range(LAYERS):
        x = encoder_block(keras, x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(CLASSES, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def data(batches: int) -> tuple:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH * batches, SEQ, WIDTH), dtype=np.float32)
    y = rng.integers(0, CLASSES, BATCH * batches)
    return x, y


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--peers-python", default=sys.executable)
    p.add_argument("--steps", type=int, default=4, help="training steps per epoch")
    p.add_argument("--epochs", type=int, default=3, help="epochs per run; the first compiles and is not counted")
    p.add_argument("--rounds", type=int, default=2, help="turns of the two frameworks; the best counts")
    p.add_argument("--workload", choices=["ferroflow", "keras"], help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.workload:
        x, y = data(a.steps)
        return measure(transformer_model(import_keras(a.workload)), x, y, BATCH, a.epochs, predict_calls=3)
    title = (
        f"{LAYERS}-layer Transformer encoder (sequence {SEQ}, width {WIDTH}, {HEADS} heads, ff {FF}), "
        f"batch {BATCH}, {a.steps} steps per epoch"
    )
    compare(__file__, a.peers_python, ["--steps", str(a.steps), "--epochs", str(a.epochs)], a.rounds, title)


if __name__ == "__main__":
    main()
