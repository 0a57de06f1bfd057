"""TensorFlow's "Better performance with the tf.data API" guide run cell by cell with ``import ferroflow as tf``
(cells and TensorFlow 2.21's texts in ``guide_data_performance_cells.py``).

Each benchmark prints the machine's time, so those cells are compared with numbers masked; what the guide
shows with them is checked on the printed times: a parallel interleave and a parallel map take less than the
sum of their sleeps (the least a sequential pipeline can take), a cache leaves the later epochs' opening,
reading and mapping out. The scalar and vectorized map cells print with ``tf.print`` (standard error, not
captured here or in TensorFlow's record). Prefetch's overlap is checked with
more samples in ``test_data_prefetch_overlap.py`` (with the guide's 3 samples the margin is a few ms).
"""

from __future__ import annotations

import re

import pytest

from guide_cells import cell_indices, mask_numbers, run_cells
from guide_data_performance_cells import CELLS

TIMED = {3, 4, 5, 6, 8, 9, 10}
_PER_ELEMENT = (
    "flat_map/interleave call the Python function once per input element (each call builds a new "
    "TimeMeasuredDataset, so instance numbers 1, 2, ...); TensorFlow traces it once, so one instance's "
    "generator runs for every element and its epoch counter counts the runs"
)
GAPS = {22: _PER_ELEMENT, 23: _PER_ELEMENT}


@pytest.fixture(scope="module")
def outputs() -> list:
    return run_cells(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    form = mask_numbers if index in TIMED else (lambda text: text)
    assert form(outputs[index]) == form(CELLS[index][1]), f"cell {index}:\n{CELLS[index][0]}"


def _seconds(text: str) -> float:
    return float(re.fullmatch(r"Execution time: (\S+)\n", text).group(1))


def test_benchmarks_show_what_the_guide_shows(outputs: list) -> None:
    t = {i: _seconds(outputs[i]) for i in (3, 5, 6, 8, 9, 10)}
    # Sequentially, 2 epochs of: open 30 ms, then per sample read 15 ms (+ map 30 ms) + train 10 ms.
    assert t[3] >= 2 * (0.03 + 3 * 0.025) and t[5] >= 2 * (2 * 0.03 + 6 * 0.025)
    assert t[8] >= 2 * (0.03 + 3 * 0.055)
    assert t[6] < 0.9 * 2 * (2 * 0.03 + 6 * 0.025) and t[6] < t[5]  # the two files are read at once
    assert t[9] < 0.9 * 2 * (0.03 + 3 * 0.055) and t[9] < t[8]  # the 30 ms maps overlap
    assert t[10] < 0.6 * 5 * (0.03 + 3 * 0.055)  # epochs 2-5 come from the cache: train steps only


def test_timelines_record_every_step(outputs: list) -> None:
    """What the two timelines plot, apart from the instance numbers (see GAPS): the steps in order, and per
    step the number of bars: the optimized pipeline opens and reads each file once (the cache), maps each
    batch of 10 once before the cache and once per epoch after it."""
    counts = [re.findall(r"^(.+?) (\d+) \[", text, re.M) for text in outputs[22:24]]
    assert counts[0] == [("Open", "10"), ("Read", "100"), ("Map", "100"), ("Train", "100"), ("Epoch", "5")]
    assert counts[1] == [
        ("Open", "2"),
        ("Read", "20"),
        ("1st map", "2"),
        ("2nd map", "10"),
        ("Train", "100"),
        ("Epoch", "5"),
    ]
