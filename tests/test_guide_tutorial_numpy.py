"""TensorFlow's tutorial "Load NumPy data": each code cell run in order under ferroflow on MNIST read from an
``mnist.npz`` built from ``$FERROFLOW_DATASETS`` (``guide_tutorial_load_data_files``), its printed text compared
with what TensorFlow 2.21 + Keras 3 prints for the same cell (``guide_tutorial_numpy_expected``, recorded by
``tests/data/record_tensorflow_load_data_tutorials.py``).

Training and evaluation start from random weights and a shuffled order: those cells are compared in
``keras_form`` (what the progress bars finally show, timings and numbers masked), the ``History`` object's
address and module masked.
"""

from __future__ import annotations

import re

import pytest

from guide_cells import cell_indices, fresh_run, keras_form, run_cells
from guide_tutorial_load_data_files import prepare
from guide_tutorial_numpy_cells import CELLS
from guide_tutorial_numpy_expected import EXPECTED
from mnist_data import SHARED, needs_mnist

pytestmark = needs_mnist

RANDOM_CELLS = {5, 6}
GAPS: dict = {}


def random_form(text: str) -> str:
    """``keras_form`` with ``fit``'s result as ``<History object>``: its address changes from run to run and
    its module is each library's own (as in ``guide_training_builtin_setup``)."""
    return keras_form(re.sub(r"<[\w.]*History object at 0x[0-9a-f]+>", "<History object>", text))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list:
    import numpy as np

    state = np.random.get_state()
    try:
        with fresh_run(tmp_path_factory.mktemp("numpy_tutorial")):
            ns = prepare("numpy", str(SHARED / "mnist"))
            return run_cells([(code, None) for code in CELLS], ns)
    finally:
        np.random.set_state(state)


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    got, want = outputs[index], EXPECTED[index]
    if index in RANDOM_CELLS:
        got, want = random_form(got), random_form(want)
    assert got == want, f"cell {index}:\n{CELLS[index]}"
