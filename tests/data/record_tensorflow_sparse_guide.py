"""Records what TensorFlow 2.21 prints for the cells of the guide "Working with sparse tensors"
(``tests/guide_sparse_tensor_cells.py``), written as ``tests/guide_sparse_tensor_expected.py``.

Run with the TensorFlow interpreter from the repository root:

    /tmp/peers/bin/python tests/data/record_tensorflow_sparse_guide.py
    ruff format tests/guide_sparse_tensor_expected.py

``ferroflow`` is aliased to ``tensorflow`` so the cells run unchanged, in a fresh temporary directory.
"""

from __future__ import annotations

import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)

if __name__ == "__main__":
    import tensorflow

    sys.modules["ferroflow"] = tensorflow
    sys.path.insert(0, TESTS)
    from guide_cells import run_cells, write_expected
    from guide_sparse_tensor_cells import CELLS

    os.chdir(tempfile.mkdtemp())
    outputs = run_cells([(c, None) for c in CELLS], source_name="sparse_tensor")
    write_expected("guide_sparse_tensor", outputs, "record_tensorflow_sparse_guide.py")
