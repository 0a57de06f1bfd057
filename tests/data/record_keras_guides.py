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

import os
import subprocess
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
GUIDES = {"callbacks": "guide_keras_callbacks", "saving": "guide_keras_saving"}


def _record(guide: str) -> None:
    import keras
    import tensorflow

    alias = types.ModuleType("ferroflow")
    alias.__getattr__ = lambda name: getattr(tensorflow, name)
    alias.keras = keras
    sys.modules["ferroflow"] = alias
    sys.path.insert(0, TESTS)
    from guide_tutorial_load_data_files import idx_splits

    keras.datasets.mnist.load_data = lambda *a: idx_splits(os.path.join(os.environ["FERROFLOW_DATASETS"], "mnist"))
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
