"""Keras's guide "Save, serialize, and export models" (Keras 3 version): each code cell run in order under ferroflow,
its printed text compared with what TensorFlow 2.21 + Keras 3 prints for the same cell
(``guide_keras_saving_expected``, recorded by ``tests/data/record_keras_guides.py``).

Cells that train print progress bars with losses of random data and weights and are compared in
``keras_form`` (timings and numbers masked); the others (configs, summaries, variable names) exactly.
"""

from __future__ import annotations

import re

import pytest

from guide_cells import cell_indices, fresh_run, keras_form, run_cells
from guide_keras_saving_cells import CELLS
from guide_keras_saving_expected import EXPECTED

RANDOM_CELLS = {1, 2, 3, 4}
GAPS = {
    6: "Keras 3.15's Dense config: GlorotUniform's config adds input_axes/output_axes, Dense adds "
    "quantization_config and drops activity_regularizer when it is None; ferroflow's layer and initializer "
    "configs follow the earlier Keras 3 keys that its .keras exchange fixtures use",
}


def screen(text: str) -> str:
    """An object's default repr without its module path and address (``<keras.src.callbacks.history.History
    object at 0x7f...>`` is ``<History object>``): where a class lives and its address differ by design."""
    return re.sub(r"<[\w.]+\.(\w+) object at 0x[0-9a-f]+>", r"<\1 object>", text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list:
    import ferroflow as tf

    registry = tf.keras.saving.get_custom_objects()
    registered = dict(registry)  # the guide clears the registry: other tests' registrations come back after
    try:
        with fresh_run(tmp_path_factory.mktemp("saving_guide")):
            return run_cells([(code, None) for code in CELLS])
    finally:
        registry.clear()
        registry.update(registered)


def test_expected_recorded_for_each_cell() -> None:
    assert len(EXPECTED) == len(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    got, want = screen(outputs[index]), screen(EXPECTED[index])
    if index in RANDOM_CELLS:
        got, want = keras_form(got), keras_form(want)
    assert got == want, f"cell {index}:\n{CELLS[index]}"
