"""TensorFlow's tutorial "Save and load models" (the stored TensorFlow 2.x version: TensorFlow checkpoints,
SavedModel and HDF5 through ``model.save``): each code cell run in order under ferroflow on an MNIST subset,
its printed text compared with what TensorFlow 2.21 + Keras 3 prints for the same cell
(``guide_tutorial_save_and_load_expected``, recorded by ``tests/data/record_tensorflow_tutorials.py``).

Under Keras 3 most of the tutorial's saving calls are errors (``.ckpt`` weights, SavedModel folders through
``model.save``); those cells are compared by the error's type and message. Training cells print progress bars
of random initial weights and are compared in ``keras_form`` (timings and numbers masked).
"""

from __future__ import annotations

import pytest

from guide_cells import cell_indices, fresh_run, keras_form, run_cells
from guide_tutorial_save_and_load_cells import CELLS
from guide_tutorial_save_and_load_expected import EXPECTED
from mnist_data import SHARED, needs_mnist

pytestmark = needs_mnist

RANDOM_CELLS = {1, 6, 13, 16, 17, 19}
_NO_H5 = (
    "ferroflow does not write Keras 2's legacy HDF5 full-model format (`model.save('my_model.h5')`): "
    "it saves `.keras` archives only"
)
GAPS = {
    7: "load_weights('training_1/cp.ckpt'): Keras 3's message lists `.keras` files, legacy `.h5` files and "
    "Orbax checkpoints, formats ferroflow's load_weights does not read; ferroflow's message names "
    "`.weights.h5`, the format it does",
    13: "model.save('saved_model/my_model'): Keras 3's message recommends a `.h5` extension, which " + _NO_H5,
    15: "load_model('saved_model/my_model'): Keras 3 says SavedModels cannot be loaded; ferroflow's load_model "
    "does read SavedModel folders written by tf.saved_model.save and says so",
    17: _NO_H5,
    18: _NO_H5 + ", so there is no my_model.h5 to load",
    19: _NO_H5 + ", so new_model is undefined",
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list:
    with fresh_run(tmp_path_factory.mktemp("save_and_load"), SHARED):
        return run_cells([(code, None) for code in CELLS])


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    got, want = outputs[index], EXPECTED[index]
    if index in RANDOM_CELLS:
        got, want = keras_form(got), keras_form(want)
    assert got == want, f"cell {index}:\n{CELLS[index]}"
