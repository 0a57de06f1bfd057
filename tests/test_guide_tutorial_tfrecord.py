"""TensorFlow's tutorial "TFRecord and tf.train.Example": each code cell run in order under ferroflow, its
printed text compared with what TensorFlow 2.21 prints for the same cell (``guide_tutorial_tfrecord_expected``,
recorded by ``tests/data/record_tensorflow_load_data_tutorials.py``).

The two photos are local JPEGs (``guide_tutorial_load_data_files``), and NumPy's global random state is seeded
in both runs, so the 10,000 random observations and every record printed are compared value for value.
Under TensorFlow 2.21's protobuf, ``Int64List`` refuses bools, so most of the tutorial's writing cells end in
that error; those cells are compared by error type and message. A ``tf.py_function`` or generator error's
message ends in a Python traceback whose frames are the library's own files: it is compared up to the
traceback's first line.
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_cells import cell_indices, fresh_run, run_cells
from guide_tutorial_load_data_files import prepare
from guide_tutorial_tfrecord_cells import CELLS
from guide_tutorial_tfrecord_expected import EXPECTED

TRACEBACK_CELLS = {12, 17}
GAPS = {
    31: "TensorFlow's protobuf (upb) prints a Features map in its hash table's order (width, label, image_raw, "
    "height, depth); ferroflow prints the order the features were added in (height, width, ...)",
}


def until_traceback(text: str) -> str:
    """The error's type, op and Python exception: what precedes the traceback's frames (file paths)."""
    return text.split("Traceback (most recent call last):")[0]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list:
    state = np.random.get_state()
    try:
        with fresh_run(tmp_path_factory.mktemp("tfrecord"), clear_session=False):
            ns = prepare("tfrecord", "")
            return run_cells([(code, None) for code in CELLS], ns)
    finally:
        np.random.set_state(state)


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    got, want = outputs[index], EXPECTED[index]
    if index in TRACEBACK_CELLS:
        got, want = until_traceback(got), until_traceback(want)
    assert got == want, f"cell {index}:\n{CELLS[index]}"
