"""ferroflow's side of the benchmark: the MNIST hello-world, the tiny model, predict latency."""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import PREDICT_REPEATS, emit, mnist, reset_peak_rss, timed

import ferroflow as tf


def hello_world() -> tf.keras.Model:
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(512, activation="relu"),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--task", choices=["epoch", "tiny", "predict"], required=True)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--epochs", type=int, default=2)
    a = p.parse_args()
    tf.keras.utils.set_random_seed(0)
    if a.task == "epoch":
        x, y, xt, yt = mnist()
        reset_peak_rss()  # the peak of training, not of loading the shared data
        model = hello_world()
        times = []
        for _ in range(a.epochs):
            t0 = time.perf_counter()
            model.fit(x, y, batch_size=a.batch, epochs=1, verbose=0)
            times.append(time.perf_counter() - t0)
        acc = model.evaluate(xt, yt, verbose=0)[1]
        emit(seconds_per_epoch=min(times), test_accuracy=float(acc))
    elif a.task == "tiny":
        model = tf.keras.Sequential([tf.keras.Input(shape=(8,)), tf.keras.layers.Dense(8), tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        x = np.random.rand(32 * 200, 8).astype(np.float32)
        y = np.random.rand(32 * 200, 1).astype(np.float32)
        model.fit(x, y, batch_size=32, epochs=1, verbose=0)
        sec = timed(lambda: model.fit(x, y, batch_size=32, epochs=1, verbose=0, shuffle=False), repeats=3)
        emit(step_us=sec / 200 * 1e6)
    else:
        x, y, xt, yt = mnist()
        model = hello_world()
        model.fit(x[:256], y[:256], batch_size=32, epochs=1, verbose=0)
        one = xt[:1]
        model.predict(one, verbose=0)
        n = 200
        sec = timed(lambda: [model.predict(one, verbose=0) for _ in range(n)], repeats=PREDICT_REPEATS)
        emit(predict_us=sec / n * 1e6)


if __name__ == "__main__":
    main()
