"""Shared cells of Keras's "Training & evaluation with the built-in methods" guide
(https://keras.io/guides/training_with_built_in_methods/): the imports, the MNIST arrays and the
model-building functions every section of the guide reuses.

The guide trains on all 60,000 MNIST images; here the first 6,000 training images (the last 1,000 of
them held out for validation, as the guide holds out its last 10,000) and the first 1,000 test images
are used, so that the whole guide runs in well under a minute. Only the sizes change: progress bars
then count 79 steps per epoch of batch 64 instead of 782.
"""

from __future__ import annotations

import re

SETUP_CELLS = [
    (
        """\
import os
import numpy as np
keras = tf.keras
layers = keras.layers
ops = keras.ops
""",
        "",
    ),
    (
        """\
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
# A subset of MNIST, so the guide runs in seconds.
x_train, y_train = x_train[:6000], y_train[:6000]
x_test, y_test = x_test[:1000], y_test[:1000]

# Preprocess the data (these are NumPy arrays)
x_train = x_train.reshape(6000, 784).astype("float32") / 255
x_test = x_test.reshape(1000, 784).astype("float32") / 255

y_train = y_train.astype("float32")
y_test = y_test.astype("float32")

# Reserve 1,000 samples for validation
x_val = x_train[-1000:]
y_val = y_train[-1000:]
x_train = x_train[:-1000]
y_train = y_train[:-1000]
""",
        "",
    ),
    (
        """\
def get_uncompiled_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
    x = layers.Dense(64, activation="relu", name="dense_2")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


def get_compiled_model():
    model = get_uncompiled_model()
    model.compile(
        optimizer="rmsprop",
        loss="sparse_categorical_crossentropy",
        metrics=["sparse_categorical_accuracy"],
    )
    return model
""",
        "",
    ),
]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def normalize(text: str) -> str:
    """A cell's output as its final screen shows it, with what varies from run to run masked.

    Progress bars redraw their line after a carriage return, so only the text after a line's last
    ``\\r`` is kept, without colour codes; the bar and its timing (``━━━ 1s 6ms/step``) become
    ``[bar]``, every decimal number ``F``, and an object's default repr
    (``<keras.src.callbacks.history.History object at 0x7f...>``) becomes ``<History object>``.
    A bar left part-drawn (``30/63 ...``) when a callback prints is dropped, as where it stops
    depends on timing. Trailing spaces, which Keras's progress bar leaves after some final lines, are dropped.
    """
    lines = []
    for line in text.split("\n"):
        seg = _ANSI.sub("", line.split("\r")[-1])
        seg = re.sub(r"━+ [^-]*?/step", "[bar]", seg)
        seg = re.sub(r"-?\d+\.\d+(e[-+]?\d+)?", "F", seg)
        seg = re.sub(r"<[\w.]+\.(\w+) object at 0x[0-9a-f]+>", r"<\1 object>", seg)
        done = re.match(r" *(\d+)/(\d+) \[bar\]", seg)
        if done and done.group(1) != done.group(2):
            continue  # a bar left part-drawn when a callback printed: where it stopped is timing
        lines.append(seg.rstrip(" "))
    return "\n".join(lines)


def run_guide(cells: list, directory) -> tuple:
    """Each cell's normalized output, and the namespace they ran in, running the shared setup cells
    first, with ``import ferroflow as tf``, in ``directory`` (where the checkpoint cells write)."""
    import os

    from guide_cells import run_cells

    ns: dict = {}
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        outputs = [normalize(text) for text in run_cells(SETUP_CELLS + cells, ns)]
    finally:
        os.chdir(cwd)
    return outputs[len(SETUP_CELLS) :], ns
