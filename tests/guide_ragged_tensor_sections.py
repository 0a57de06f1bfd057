"""The code cells of TensorFlow's "Ragged tensors" guide (https://www.tensorflow.org/guide/ragged_tensor),
split by the guide's sections into ``test_guide_ragged_tensor_*.py``. Each file runs its cells in order
with ``import ferroflow as tf`` (a section does not use another's variables); each expected text is what
TensorFlow 2.21 prints for the cell. Cells keep their index in the whole guide (``test_cell[17]``).

Left out: the Keras LSTM model and its saving (Keras 3 itself fails on ragged LSTM input, with a
differently worded error), the tf.train.Example cells (they build protos with google.protobuf.text_format,
which needs a protobuf message; parsing with tf.io.RaggedFeature is checked in test_ragged_feature.py),
saving a tf.function with a RaggedTensorSpec signature in a SavedModel (not supported), and the three
broadcasting-error cells (the same InvalidArgumentError, with ferroflow's own message instead of
TensorFlow's assertion dump).
"""

from __future__ import annotations

import pytest

from guide_cells import run_cells


def section_test(cells: list, first: int) -> tuple:
    """A parametrized test over one section's cells, run in order in one namespace; ``first`` is the index
    of the section's first cell in the guide, so each case keeps the guide's cell number."""

    @pytest.fixture(scope="module")
    def outputs() -> list:
        return run_cells(cells)

    @pytest.mark.parametrize("index", range(first, first + len(cells)))
    def test_cell(outputs: list, index: int) -> None:
        code, expected = cells[index - first]
        assert outputs[index - first] == expected, f"cell {index}:\n{code}"

    return outputs, test_cell
