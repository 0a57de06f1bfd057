"""MNIST for tests that train on a subset of it: read from ``FERROFLOW_DATASETS`` (or ../shared/datasets)
through ``tf.keras.datasets.mnist``, with a marker that skips where the data is not installed."""

import os
from pathlib import Path

import pytest

import ferroflow as tf

SHARED = Path(
    os.environ.get("FERROFLOW_DATASETS") or Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets"
)
needs_mnist = pytest.mark.skipif(not (SHARED / "mnist").is_dir(), reason=f"MNIST not found in {SHARED}")


def load_mnist():
    """``((x_train, y_train), (x_test, y_test))`` as ``tf.keras.datasets.mnist.load_data()`` gives them."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FERROFLOW_DATASETS", str(SHARED))
        return tf.keras.datasets.mnist.load_data()
