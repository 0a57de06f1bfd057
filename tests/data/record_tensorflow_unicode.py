"""Records what TensorFlow 2.21 prints for the cells of the tutorial "Unicode strings"
(``tests/guide_tutorial_unicode_cells.py``), written as ``tests/guide_tutorial_unicode_expected.py``.

Run with the TensorFlow interpreter from the repository root:

    /tmp/peers/bin/python tests/data/record_tensorflow_unicode.py

``ferroflow`` is aliased to ``tensorflow`` so the cells run unchanged.
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)


def _record() -> None:
    import tensorflow

    sys.modules["ferroflow"] = tensorflow
    sys.path.insert(0, TESTS)
    from guide_cells import run_cells, write_expected
    from guide_tutorial_unicode_cells import CELLS

    outputs = run_cells([(c, None) for c in CELLS])
    write_expected("guide_tutorial_unicode", outputs, "record_tensorflow_unicode.py")


if __name__ == "__main__":
    _record()
