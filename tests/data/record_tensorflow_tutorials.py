"""Records what TensorFlow 2.21 prints for the cells of the tutorials "Basic classification: Classify images
of clothing" and "Save and load models" (``tests/guide_tutorial_*_cells.py``), written as
``tests/guide_tutorial_*_expected.py``.

Run with the TensorFlow interpreter from the repository root, the datasets read from the same local files
that ferroflow reads (MNIST from ``$FERROFLOW_DATASETS/mnist``, Fashion-MNIST from Debian's
``/usr/share/datasets/fashion-mnist``):

    FERROFLOW_DATASETS=/work/shared/datasets /tmp/peers/bin/python tests/data/record_tensorflow_tutorials.py

``ferroflow`` is aliased to ``tensorflow`` so the cells run unchanged; each tutorial runs in a fresh
temporary directory, in a process of its own (layer names like ``dense_3`` count per process).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
TUTORIALS = {"classification": "guide_tutorial_classification", "save_and_load": "guide_tutorial_save_and_load"}


def _record(name: str) -> None:
    import tensorflow

    sys.modules["ferroflow"] = tensorflow
    sys.path.insert(0, TESTS)
    from guide_tutorial_load_data_files import idx_splits

    datasets = tensorflow.keras.datasets
    datasets.mnist.load_data = lambda *a: idx_splits(os.path.join(os.environ["FERROFLOW_DATASETS"], "mnist"))
    datasets.fashion_mnist.load_data = lambda *a: idx_splits("/usr/share/datasets/fashion-mnist")
    from guide_cells import run_cells, write_expected

    cells = __import__(TUTORIALS[name] + "_cells").CELLS
    os.chdir(tempfile.mkdtemp())
    outputs = run_cells([(c, None) for c in cells])
    write_expected(TUTORIALS[name], outputs, "record_tensorflow_tutorials.py")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _record(sys.argv[1])
    else:
        for tutorial in TUTORIALS:
            subprocess.run([sys.executable, __file__, tutorial], check=True)
