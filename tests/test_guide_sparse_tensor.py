"""TensorFlow's guide "Working with sparse tensors": each code cell run in order under ferroflow, its printed
text compared with what TensorFlow 2.21 prints for the same cell (``guide_sparse_tensor_expected``, recorded
by ``tests/data/record_tensorflow_sparse_guide.py``).

The Keras cell predicts with a freshly initialised ``Dense`` layer, so its weights are random: that cell is
compared in ``random_form`` (the progress bar's final state and the array's layout, numbers masked), and
its values are checked against the dense product with the layer's own weights.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from guide_cells import cell_indices, fresh_run, keras_form, run_cells
from guide_sparse_tensor_cells import CELLS
from guide_sparse_tensor_expected import EXPECTED

RANDOM_CELLS = {13}
GAPS: dict = {}


def random_form(text: str) -> str:
    """``keras_form`` without the space NumPy puts after ``[`` when a row starts with a non-negative number
    (which rows do depends on the random weights)."""
    return re.sub(r"\[ ", "[", keras_form(text))


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple:
    ns: dict = {}
    with fresh_run(tmp_path_factory.mktemp("sparse_tensor_guide")):
        outputs = run_cells([(code, None) for code in CELLS], ns, source_name="sparse_tensor")
    return outputs, ns


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(run: tuple, index: int) -> None:
    got, want = run[0][index], EXPECTED[index]
    if index in RANDOM_CELLS:
        got, want = random_form(got), random_form(want)
    assert got == want, f"cell {index}:\n{CELLS[index]}"


def test_keras_cell_predicts_the_dense_product(run: tuple) -> None:
    ns = run[1]
    kernel, bias = (w.numpy() for w in ns["model"].layers[-1].weights)
    dense = ns["tf"].sparse.to_dense(ns["sparse_data"]).numpy().astype(np.float32)
    predicted = ns["model"].predict(ns["sparse_data"], verbose=0)
    np.testing.assert_allclose(predicted, dense @ kernel + bias, rtol=1e-6, atol=1e-7)
