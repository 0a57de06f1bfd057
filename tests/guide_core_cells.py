"""Running one of TensorFlow's "Core APIs" guides (https://www.tensorflow.org/guide/core) cell by cell.

These guides train small models from random initial values. TensorFlow's random streams (``tf.random.uniform``,
``tf.random.shuffle``, ``Dataset.shuffle``) are not ferroflow's, so under the same seeds the losses, predictions
and shuffled rows differ in their digits. A cell listed as ``varying`` is compared with TensorFlow's text with
every decimal number masked (``F``) and white space removed (NumPy pads and wraps by the numbers' widths):
its structure (shapes, dtypes, which lines print) must match. What its numbers should do (losses fall,
accuracy above a threshold, a saved model answering as the model it was saved from) is checked separately
on the namespace the cells ran in.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

import pytest

from guide_cells import run_cells

_DECIMAL = re.compile(r"-?\d+\.\d*(?:e[+-]\d+)?")


def mask(text: str) -> str:
    """``text`` with each decimal number replaced by ``F`` and no white space."""
    return re.sub(r"\s+", "", _DECIMAL.sub("F", text))


def guide_test(cells: list, varying: set, namespace: Optional[Callable[[], dict]] = None, masks: Optional[dict] = None):
    """A module-scoped fixture giving ``(outputs, namespace)`` of one in-order run of ``cells`` (in the names
    ``namespace()`` gives, if any), and a test parametrized over the cells comparing each output with
    TensorFlow's: masked where ``varying``, and with the regular expression ``masks[index]`` (if any) replaced
    by ``_`` (text that follows the random streams without being a decimal number)."""

    @pytest.fixture(scope="module")
    def guide() -> tuple:
        ns: dict = {} if namespace is None else namespace()
        return run_cells(cells, ns), ns

    @pytest.mark.parametrize("index", range(len(cells)))
    def test_cell(guide: tuple, index: int) -> None:
        got, expected = guide[0][index], cells[index][1]
        if masks and index in masks:
            got, expected = re.sub(masks[index], "_", got), re.sub(masks[index], "_", expected)
        if index in varying:
            got, expected = mask(got), mask(expected)
        assert got == expected, f"cell {index}:\n{cells[index][0]}"

    return guide, test_cell
