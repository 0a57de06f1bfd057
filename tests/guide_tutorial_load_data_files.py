"""The local files that stand in for the downloads of the "load_data" tutorials (TFRecord and tf.train.Example,
Load NumPy data), made the same way for ferroflow's test and for TensorFlow's recording
(``tests/data/record_tensorflow_load_data_tutorials.py``).

NumPy's global random state is seeded before the cells run: the TFRecord tutorial draws its 10,000 observations
with ``np.random``, a library both runs share, so with the same seed both serialize the same examples and their
printed records can be compared value for value."""

from __future__ import annotations

import gzip
import os

import numpy as np

IMAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "images")


def idx_array(path: str) -> np.ndarray:
    """The array in a gzipped IDX file (MNIST's and Fashion-MNIST's format)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def write_mnist_npz(mnist_dir: str, path: str) -> None:
    """``mnist.npz`` as Keras's download has it: uint8 ``x_train`` (60000, 28, 28), ``y_train``, ``x_test``,
    ``y_test``."""
    arrays = {}
    for prefix, split in (("train", "train"), ("t10k", "test")):
        arrays[f"x_{split}"] = idx_array(os.path.join(mnist_dir, f"{prefix}-images-idx3-ubyte.gz"))
        arrays[f"y_{split}"] = idx_array(os.path.join(mnist_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    np.savez(path, **arrays)


def idx_splits(root: str) -> tuple:
    """``((x_train, y_train), (x_test, y_test))`` from a folder of (Fashion-)MNIST IDX files, as Keras's
    ``load_data`` returns them (the recording scripts stand it in for the download)."""
    part = [
        idx_array(os.path.join(root, f"{p}-{k}-idx{3 if k == 'images' else 1}-ubyte.gz"))
        for p in ("train", "t10k")
        for k in ("images", "labels")
    ]
    return (part[0], part[1]), (part[2], part[3])


def prepare(tutorial: str, mnist_dir: str) -> dict:
    """Writes what ``tutorial``'s cells read into the working directory and gives the names its cells use in
    place of downloads; seeds NumPy's global random state."""
    np.random.seed(0)
    if tutorial == "numpy":
        write_mnist_npz(mnist_dir, "mnist.npz")
        return {}
    return {
        "CAT_IN_SNOW": os.path.join(IMAGES, "tfrecord_cat_in_snow.jpg"),
        "WILLIAMSBURG_BRIDGE": os.path.join(IMAGES, "tfrecord_williamsburg_bridge.jpg"),
    }
