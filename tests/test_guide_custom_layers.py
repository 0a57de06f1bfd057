"""TensorFlow's "Custom layers" tutorial run cell by cell with ``import ferroflow as tf`` (cells and TensorFlow
2.21's texts in ``guide_custom_layers_cells.py``). The two cells printing a fresh Dense layer's glorot-uniform
kernel are compared with numbers masked (ferroflow's random stream is not TensorFlow's); their values are
checked to lie within the glorot bound."""

from __future__ import annotations

import re

import numpy as np
import pytest

from guide_cells import mask_numbers as _mask_numbers
from guide_cells import run_cells
from guide_custom_layers_cells import CELLS


def mask_numbers(text: str) -> str:
    """Numbers masked, and NumPy's padding after ``[`` (a sign's place, random as the signs) removed."""
    return re.sub(r"\[ +", "[", _mask_numbers(text))


RANDOM = {3, 4}


@pytest.fixture(scope="module")
def guide() -> tuple:
    import ferroflow as tf

    tf.keras.backend.clear_session()  # automatic layer names start afresh, as in the tutorial's new process
    ns: dict = {}
    return run_cells(CELLS, ns), ns


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    form = mask_numbers if index in RANDOM else (lambda text: text)
    assert form(guide[0][index]) == form(CELLS[index][1]), f"cell {index}:\n{CELLS[index][0]}"


def test_dense_kernel_is_glorot_uniform(guide: tuple) -> None:
    ns = guide[1]
    dense = ns["tf"].keras.layers.Dense(10)
    dense(ns["tf"].zeros([10, 5]))
    kernel = dense.kernel.numpy()
    assert kernel.shape == (5, 10) and np.abs(kernel).max() <= np.sqrt(6 / 15)
    np.testing.assert_array_equal(dense.bias.numpy(), np.zeros(10, np.float32))


def test_block_runs_as_written(guide: tuple) -> None:
    ns = guide[1]
    tf = ns["tf"]
    x = tf.random.normal([2, 2, 3, 3])
    out = ns["block"](x)
    assert out.shape == (2, 2, 3, 3) and float(tf.reduce_min(out)) >= 0.0  # ends in a relu
    assert len(ns["block"].trainable_variables) == 12 and len(ns["block"].variables) == 18
