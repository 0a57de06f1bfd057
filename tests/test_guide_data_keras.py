"""The "Using high-level APIs: tf.keras" cells of TensorFlow's tf.data guide (``KERAS_CELLS`` in
``guide_data_cells.py``), with MNIST from ``FERROFLOW_DATASETS`` in place of the Fashion-MNIST download.

Progress-bar lines are left out of both texts (they depend on timing) and numbers are masked: the shuffle
order and so the losses are random in both libraries. What is compared is the rest: epochs, the History,
the printed loss/accuracy lines and the prediction shapes; ``test_fit_reaches_accuracy`` checks the training
itself learns.
"""

from __future__ import annotations

import re

import pytest

from guide_cells import mask_numbers
from guide_data_cells import KERAS_CELLS
from mnist_data import needs_mnist
from test_guide_data import run_guide_cells

pytestmark = needs_mnist


def keras_form(text: str) -> str:
    """Without progress-bar lines, object addresses and module paths, numbers masked."""
    text = "".join(line for line in text.splitlines(True) if "\u2501" not in line)
    text = re.sub(r" at 0x[0-9a-f]+", "", text)
    text = re.sub(r"<[\w.]+\.History object>", "<History object>", text)
    return mask_numbers(text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list:
    return run_guide_cells(KERAS_CELLS, tmp_path_factory)


@pytest.mark.parametrize("index", range(len(KERAS_CELLS)))
def test_cell(outputs: list, index: int) -> None:
    got, want = keras_form(outputs[index]), keras_form(KERAS_CELLS[index][1])
    assert got == want, f"cell {index}:\n{KERAS_CELLS[index][0]}"


def test_fit_reaches_accuracy(outputs: list) -> None:
    accuracy = float(re.search(r"Accuracy : ([\d.]+)", outputs[4]).group(1))
    assert accuracy > 0.85  # a linear model on MNIST after two epochs (TensorFlow: about 0.92)
