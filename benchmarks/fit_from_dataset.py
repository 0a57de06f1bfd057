"""``Model.fit`` fed batch by batch against ``fit`` fed whole NumPy arrays: the MNIST hello-world, one epoch.

Usage: FERROFLOW_DATASETS=../shared/datasets python benchmarks/fit_from_dataset.py [--batch 32] [--repeats 5]
       [--float32]
The same batches (in the same order, ``shuffle=False``) reach the model as arrays, from a Python generator,
from a ``keras.utils.PyDataset`` and, when ``tf.data`` is available, from a ``tf.data.Dataset``. Each way runs
``--repeats`` epochs, interleaved with the others so that a noisy neighbour slows them all alike; the best
epoch of each is compared with the arrays' best. The goal is a ratio within 1.1x. The images are float64 as
the hello-world makes them (``x / 255.0``; array-fed fit casts them all to float32 on each call, the other
ways batch by batch), or float32 with ``--float32`` (no cast on either side).
"""

from __future__ import annotations

import argparse
import math
import time
import warnings

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


class Batches(tf.keras.utils.PyDataset):
    def __init__(self, x, y, batch_size: int) -> None:
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self) -> int:
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, i: int) -> tuple:
        low = i * self.batch_size
        return self.x[low : low + self.batch_size], self.y[low : low + self.batch_size]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument(
        "--float32", action="store_true", help="cast the images to float32 first (arrays then skip the cast)"
    )
    a = p.parse_args()
    warnings.simplefilter("ignore")  # a generator's end of data warns, as in Keras
    (x, y), _ = tf.keras.datasets.mnist.load_data()
    x = x / 255.0  # as the hello-world does: float64, which fit casts to the model's float32
    if a.float32:
        x = x.astype("float32")
    b = a.batch

    def generator():
        for i in range(0, len(x), b):
            yield x[i : i + b], y[i : i + b]

    feeds = {
        "arrays": lambda m: m.fit(x, y, batch_size=b, epochs=1, verbose=0, shuffle=False),
        "generator": lambda m: m.fit(generator(), epochs=1, verbose=0, shuffle=False),
        "PyDataset": lambda m: m.fit(Batches(x, y, b), epochs=1, verbose=0, shuffle=False),
    }
    data = getattr(tf, "data", None)
    if data is not None and hasattr(getattr(data, "Dataset", None), "from_tensor_slices"):
        dataset = data.Dataset.from_tensor_slices((x, y)).batch(b)
        feeds["tf.data"] = lambda m: m.fit(dataset, epochs=1, verbose=0, shuffle=False)
    models = {}
    for name in feeds:
        tf.keras.utils.set_random_seed(0)
        models[name] = hello_world()
        models[name].fit(x[: 8 * b], y[: 8 * b], batch_size=b, epochs=1, verbose=0)  # compile the plans
    best = {name: float("inf") for name in feeds}
    for _ in range(a.repeats):
        for name, run in feeds.items():
            t0 = time.perf_counter()
            run(models[name])
            best[name] = min(best[name], time.perf_counter() - t0)
    print(f"MNIST hello-world, one epoch, batch {b}, {x.dtype} images (best of {a.repeats})")
    for name, seconds in best.items():
        print(f"{name:<10} {seconds:8.3f} s   {seconds / best['arrays']:.3f}x arrays")


if __name__ == "__main__":
    main()
