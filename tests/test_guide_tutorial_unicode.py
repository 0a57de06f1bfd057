"""TensorFlow's tutorial "Unicode strings": each code cell run in order under ferroflow, its printed text
compared exactly with what TensorFlow 2.21 prints for the same cell (``guide_tutorial_unicode_expected``,
recorded by ``tests/data/record_tensorflow_unicode.py``). Cells that still differ are strict xfails in ``GAPS``
with the reason."""

from __future__ import annotations

import pytest

from guide_cells import cell_indices, run_cells
from guide_tutorial_unicode_cells import CELLS
from guide_tutorial_unicode_expected import EXPECTED

GAPS: dict = {}


@pytest.fixture(scope="module")
def outputs() -> list:
    return run_cells([(code, None) for code in CELLS])


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    assert outputs[index] == EXPECTED[index], f"cell {index}:\n{CELLS[index]}"
