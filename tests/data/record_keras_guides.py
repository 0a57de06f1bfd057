"""Records what TensorFlow 2.21 + Keras 3 prints for the cells of the Keras guides "Writing your own
callbacks" and "Save, serialize, and export models" (``tests/guide_keras_callbacks_cells.py``,
``tests/guide_keras_saving_cells.py``), written as ``tests/guide_keras_*_expected.py``.

Run with the TensorFlow interpreter from the repository root, MNIST read from the same local files that
ferroflow reads (``$FERROFLOW_DATASETS/mnist``):

    FERROFLOW_DATASETS=/work/shared/datasets /tmp/peers/bin/python tests/data/record_keras_guides.py

``ferroflow`` is aliased to ``tensorflow``, with Keras 3's own ``keras`` package as its ``keras`` (the
guides ``import keras``; TensorFlow's ``tf.keras`` lacks ``keras.saving``), so the cells run unchanged;
each guide runs in a fresh temporary directory, in a process of its own (names like ``dense_3`` count
layers per process).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tempfile
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
GUIDES = {"callbacks": "guide_keras_callbacks", "saving": "guide_keras_saving"}


def _idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _local_mnist():
    root = os.path.join(os.environ["FERROFLOW_DATASETS"], "mnist")
    names = [
        f"{p}-{k}-idx{3 if k == 'images' else 1}-ubyte.gz" for p in ("train", "t10k") for k in ("images", "labels")
    ]
    part = [_idx(os.path.join(root, name)) for name in names]
    return (part[0], part[1]), (part[2], part[3])


def _record(guide: str) -> None:
    import keras
    import tensorflow

    alias = types.ModuleType("ferroflow")
    alias.__getattr__ = lambda name: getattr(tensorflow, name)
    alias.keras = keras
    sys.modules["ferroflow"] = alias
    keras.datasets.mnist.load_data = _local_mnist
    sys.path.insert(0, TESTS)
    from guide_cells import run_cells, write_expected

    cells = __import__(GUIDES[guide] + "_cells").CELLS
    os.chdir(tempfile.mkdtemp())
    outputs = run_cells([(c, None) for c in cells])
    write_expected(GUIDES[guide], outputs, "record_keras_guides.py", "TensorFlow 2.21 + Keras 3")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _record(sys.argv[1])
    else:
        for name in GUIDES:
            subprocess.run([sys.executable, __file__, name], check=True)
