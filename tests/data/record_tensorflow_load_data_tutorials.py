"""Records what TensorFlow 2.21 prints for the cells of the tutorials "TFRecord and tf.train.Example" and
"Load NumPy data" (``tests/guide_tutorial_{tfrecord,numpy}_cells.py``), written as
``tests/guide_tutorial_{tfrecord,numpy}_expected.py``.

Run with the TensorFlow interpreter from the repository root, on the same local files that ferroflow's tests
read (``tests/guide_tutorial_load_data_files.py``; MNIST from ``$FERROFLOW_DATASETS/mnist``):

    FERROFLOW_DATASETS=/work/shared/datasets /tmp/peers/bin/python tests/data/record_tensorflow_load_data_tutorials.py
    ruff format tests/guide_tutorial_tfrecord_expected.py tests/guide_tutorial_numpy_expected.py

``ferroflow`` is aliased to ``tensorflow`` so the cells run unchanged; each tutorial runs in a fresh
temporary directory, in a process of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
TUTORIALS = ("tfrecord", "numpy")


def _record(name: str) -> None:
    import tensorflow

    sys.modules["ferroflow"] = tensorflow
    sys.path.insert(0, TESTS)
    from guide_cells import run_cells, write_expected
    from guide_tutorial_load_data_files import prepare

    module = f"guide_tutorial_{name}"
    cells = __import__(module + "_cells").CELLS
    os.chdir(tempfile.mkdtemp())
    ns = prepare(name, os.path.join(os.environ["FERROFLOW_DATASETS"], "mnist"))
    outputs = run_cells([(c, None) for c in cells], ns)
    write_expected(module, outputs, "record_tensorflow_load_data_tutorials.py")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _record(sys.argv[1])
    else:
        for tutorial in TUTORIALS:
            subprocess.run([sys.executable, __file__, tutorial], check=True)
