"""Running the cells of Keras's core guides (Sequential model, Functional API, subclassing) and comparing
their text with what TensorFlow 2.21 (Keras 3) printed.

Outputs pass through ``guide_training_builtin_setup.normalize`` (progress bars and decimals masked), and here
also the step time of ``verbose=2`` lines (``3ms/step`` and ``81us/step`` both become ``T/step``). Cells that
print random values are compared with every number masked (``mask_numbers``), NumPy's sign padding after
``[`` removed too; what those values should be is checked by separate tests.
"""

from __future__ import annotations

import os
import re

from guide_cells import mask_numbers, run_cells
from guide_training_builtin_setup import normalize


def normalized(text: str) -> str:
    return re.sub(r"\d+(us|ms|s)/step", "T/step", normalize(text))


def masked(text: str) -> str:
    return re.sub(r"\[ +", "[", mask_numbers(text))


def run_guide(cells: list, directory) -> tuple:
    """Each cell's normalized output and the namespace, running in ``directory`` (where cells write files).
    Automatic layer names start afresh (``dense``, ``dense_1`` ...), as in the new process the guide ran in."""
    import ferroflow as tf

    tf.keras.backend.clear_session()
    ns: dict = {}
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        outputs = [normalized(text) for text in run_cells(cells, ns)]
    finally:
        os.chdir(cwd)
    return outputs, ns


def same(output: str, expected: str, masked_cell: bool) -> bool:
    return masked(output) == masked(expected) if masked_cell else output == expected
