"""Keras's guide "Writing your own callbacks" (Keras 3 version): each code cell run in order under ferroflow,
its printed text compared with what TensorFlow 2.21 + Keras 3 prints for the same cell
(``guide_keras_callbacks_expected``, recorded by ``tests/data/record_keras_guides.py``).

The guide's MNIST download is the local copy (``$FERROFLOW_DATASETS``). Cells that train print losses of
randomly initialised weights and are compared in ``keras_form`` (numbers masked); the others exactly.
The early-stopping cell uses ``np.Inf``, which NumPy 2 removed: Keras 3 answers it with the same
AttributeError, and so must ferroflow.
"""

from __future__ import annotations

import re

import pytest

from guide_cells import cell_indices, fresh_run, keras_form, run_cells
from guide_keras_callbacks_cells import CELLS
from guide_keras_callbacks_expected import EXPECTED
from mnist_data import SHARED, needs_mnist

pytestmark = needs_mnist

RANDOM_CELLS = {4, 5, 7}
GAPS: dict = {}
PREDICT_CELL = 4


def screen(text: str) -> str:
    """An object's default repr without its module path and address (``<keras.src.callbacks.history.History
    object at 0x7f...>`` is ``<History object>``): where a class lives and its address differ by design."""
    return re.sub(r"<[\w.]+\.(\w+) object at 0x[0-9a-f]+>", r"<\1 object>", text)


def without_bars(text: str) -> str:
    """``text`` without the progress bar's draws (``1/8 ━━━━ 0s 2ms/step``): how often ``predict``'s bar
    redraws between the callback's lines depends on timing (it redraws at most every 0.05 s), in Keras too."""
    text = re.sub(r"\x1b\[[0-9;]*m|\x08", "", text)
    return re.sub(r"\r?\d+/\d+ ━+ *\S* \S+/step", "", text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list:
    with fresh_run(tmp_path_factory.mktemp("callbacks_guide"), SHARED):
        return run_cells([(code, None) for code in CELLS])


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    got, want = screen(outputs[index]), screen(EXPECTED[index])
    if index in RANDOM_CELLS:
        got, want = keras_form(without_bars(got)), keras_form(without_bars(want))
    assert got == want, f"cell {index}:\n{CELLS[index]}"


def test_predict_bar_ends_complete(outputs: list) -> None:
    """The bar ``without_bars`` drops from the comparison: ``predict`` over 1000 rows in batches of 128
    ends with the full 8/8 bar, as in Keras."""
    final = re.sub(r"\x1b\[[0-9;]*m|\x08", "", outputs[PREDICT_CELL]).split("\r")[-1]
    assert re.fullmatch(r"8/8 ━{20} \S+ \S+/step *\n", final), final  # padded to the previous draw
