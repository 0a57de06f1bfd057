"""The code cells of TensorFlow's "NumPy API on TensorFlow" guide (https://www.tensorflow.org/guide/tf_numpy), run
in order with ``import ferroflow as tf`` and ``import ferroflow.experimental.numpy as tnp``; each expected text is
what TensorFlow 2.21 prints for the cell (``guide_tf_numpy_cells``, ``guide_tf_numpy_cells_late``).

The published guide calls ``tnp.experimental_enable_numpy_behavior()`` right after its setup (without it
TensorFlow 2.21 fails most cells: tensors have no ``astype`` or ``data``); that cell is included. Enabling
lasts for the process in TensorFlow; the test undoes it afterwards so other tests keep TensorFlow's rules.
matplotlib is not installed: the setup cell does not import it, and a stand-in ``plt`` takes plotted values as
NumPy arrays (through ``__array__``, as matplotlib does) and prints their shapes or histogram counts.
Compared with numbers masked: the version line (ferroflow's own version), the model's predictions (random
weights from ``tnp.random``) and the timings (they differ from run to run, in TensorFlow too).
"""

from __future__ import annotations

import re

import pytest

from guide_cells import cell_indices, mask_numbers
from guide_modules_setup import run_guide
from guide_tf_numpy_cells import CELLS
from guide_tf_numpy_cells_late import LATER_CELLS
from test_guide_basics import PLOT_CELL

ALL = [PLOT_CELL] + CELLS + LATER_CELLS
MASKED = {1, 8, 17, 19}
_CLASS = (
    "the class prints its module path: ferroflow.framework.tensor.EagerTensor, "
    "not tensorflow.python.framework.ops.EagerTensor"
)
GAPS = {
    9: _CLASS,
    11: _CLASS,
    14: _CLASS,
}


def _masked(text: str) -> str:
    """``mask_numbers`` without NumPy's padding after ``[`` either (it depends on the values' signs)."""
    return re.sub(r"\[ ", "[", mask_numbers(text))


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    import ferroflow.experimental.numpy as tnp

    try:
        yield run_guide(ALL, tmp_path_factory.mktemp("guide"))
    finally:
        tnp._disable_numpy_behavior()


@pytest.mark.parametrize("index", cell_indices(ALL, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    outputs, _ = guide
    expected = ALL[index][1]
    if index in MASKED:
        assert _masked(outputs[index]) == _masked(expected), ALL[index][0]
    else:
        assert outputs[index] == expected, ALL[index][0]


def test_model_gradients_are_the_squared_loss_gradients(guide: tuple) -> None:
    """The guide's model and ``compute_gradients`` against the same gradients worked out in NumPy."""
    import numpy as np

    _, ns = guide
    model, tnp = ns["model"], ns["tnp"]
    inputs, labels = ns["create_batch"](8)
    grads = ns["compute_gradients"](model, inputs, labels)
    w1, bias, w2 = (np.asarray(w, np.float64) for w in model.weights)
    x, t = np.asarray(inputs, np.float64), np.asarray(labels, np.float64)
    pre = x @ w1 + bias
    hidden = np.maximum(pre, 0)
    dout = 2 * (hidden @ w2 - t)
    dpre = (dout @ w2.T) * (pre > 0)
    for got, want in zip(grads, (x.T @ dpre, dpre.sum(0), hidden.T @ dout)):
        assert isinstance(got, tnp.ndarray)
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-4, atol=1e-4)
