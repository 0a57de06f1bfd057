"""TensorFlow's "Using the SavedModel format" guide run cell by cell with ``import ferroflow as tf`` (cells and
TensorFlow 2.21's texts in ``guide_saved_model_cells.py``).

Changes from the notebook, made identically for both libraries: the pretrained ImageNet MobileNet, the Grace
Hopper image and the ImageNet labels are downloads, so a small local Keras model (Conv2D, BatchNormalization,
pooling, a softmax Dense) with deterministic weights (``sin`` of the index), a deterministic 8x8 image and ten
labels stand in; ``mobilenet.preprocess_input`` is written out (``x / 127.5 - 1``); matplotlib is dropped;
the ``!ls`` cells list the directory with ``os.listdir``. No cell is random.
"""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from guide_cells import cell_indices, run_cells
from guide_saved_model_cells import CELLS

GAPS = {
    9: "ferroflow's SavedModel directory is saved_model.json, graph.json and weights/ (JSON graphs, .npy values), "
    "not saved_model.pb, fingerprint.pb, variables/ and assets/",
    10: "no variables/ directory: values are in weights/ as .npy files",
    17: "TensorFlow 2.21 restores a Keras 3 model as a _UserObject without trainable_variables; ferroflow "
    "restores the model's variable lists",
    18: "as cell 17: ferroflow lists the non-trainable variables",
}


@pytest.fixture(scope="module")
def outputs() -> list:
    return run_cells(CELLS)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    assert outputs[index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


class _Setter(tf.Module):
    def __init__(self) -> None:
        self.v = tf.Variable(1.0)

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)


class _Doubler(_Setter):
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def double(self, x):
        return {"y": x * 2.0}


def test_function_returning_none_is_not_the_default_signature(tmp_path) -> None:
    tf.saved_model.save(_Setter(), str(tmp_path / "a"))
    loaded = tf.saved_model.load(str(tmp_path / "a"))
    assert len(loaded.signatures) == 0
    loaded.mutate(tf.constant(4.0))
    assert loaded.v.numpy() == 4.0


def test_only_tensor_returning_function_becomes_serving_default(tmp_path) -> None:
    tf.saved_model.save(_Doubler(), str(tmp_path / "b"))
    loaded = tf.saved_model.load(str(tmp_path / "b"))
    assert list(loaded.signatures) == ["serving_default"]
    got = loaded.signatures["serving_default"](tf.constant([1.0, 2.0]))["y"]
    np.testing.assert_array_equal(got.numpy(), [2.0, 4.0])


def test_unmatched_call_message_lists_options_as_tensorflow(tmp_path) -> None:
    module = _Doubler()
    tf.saved_model.save(module, str(tmp_path / "c"))
    loaded = tf.saved_model.load(str(tmp_path / "c"))
    with pytest.raises(ValueError) as info:
        loaded.double(tf.constant([[1.0]]))
    assert str(info.value) == (
        "Could not find matching concrete function to call loaded from the SavedModel. Got:\n"
        "  Positional arguments (1 total):\n    * <tf.Tensor 'x:0' shape=(1, 1) dtype=float32>\n"
        "  Keyword arguments: {}\n\n Expected these arguments to match one of the following 1 option(s):\n\n"
        "Option 1:\n  Positional arguments (1 total):\n    * TensorSpec(shape=(None,), dtype=tf.float32, name='x')\n"
        "  Keyword arguments: {}"
    )
