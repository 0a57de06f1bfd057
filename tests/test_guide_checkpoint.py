"""TensorFlow's "Training checkpoints" guide run cell by cell with ``import ferroflow as tf`` (cells and
TensorFlow 2.21's texts in ``guide_checkpoint_cells.py``), in a temporary working directory.

Changes from the notebook: ``!ls ./tf_ckpts`` lists the directory with ``os.listdir``; the Estimator cells are
left out (TensorFlow 2.21 has no ``tf.estimator``). The two training cells print losses of a randomly
initialized Dense layer, different from run to run in TensorFlow too: they are compared with numbers masked,
and the tests below check that training resumes from the restored step, iterator position and weights.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import ferroflow as tf
from guide_cells import cell_indices, mask_numbers, run_cells
from guide_checkpoint_cells import CELLS

RANDOM = {7, 8}
_KEYS = (
    "ferroflow's checkpoint keys follow Keras 2 (net/layer_with_weights-0/kernel, optimizer/slot-0), not Keras "
    "3's attribute paths (net/l1/_kernel, optimizer/_variables/2)"
)
GAPS = {
    2: "ferroflow's message also names the .weights.npz form it accepts",
    10: "a checkpoint is one <prefix>.ckpt file, not an .index file and .data shards",
    11: _KEYS + ", so Checkpoint(net=Checkpoint(l1=Checkpoint(bias=v))) finds no value",
    12: "follows cell 11 (nothing matched); the status's repr names ferroflow's class",
    14: _KEYS,
    16: "lists assigned to a Checkpoint are plain lists (no ListWrapper), so a later append is not restored",
}


@pytest.fixture(scope="module")
def guide_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("checkpoint_guide")


@pytest.fixture(scope="module")
def outputs(guide_dir) -> list:
    here = os.getcwd()
    os.chdir(guide_dir)
    try:
        return run_cells(CELLS, {"os": os})
    finally:
        os.chdir(here)


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(outputs: list, index: int) -> None:
    got, want = outputs[index], CELLS[index][1]
    if index in RANDOM:
        got, want = mask_numbers(got), mask_numbers(want)
    assert got == want, f"cell {index}:\n{CELLS[index][0]}"


def test_resumed_training_continues_from_saved_loss(outputs: list) -> None:
    first = [float(line.split()[1]) for line in outputs[7].splitlines() if line.startswith("loss")]
    resumed = [float(line.split()[1]) for line in outputs[8].splitlines() if line.startswith("loss")]
    assert first == sorted(first, reverse=True)
    assert resumed[0] < first[0]  # restored weights, not a fresh start


def test_manual_inspection_with_load_checkpoint(outputs: list, guide_dir) -> None:
    """The guide's "Manually inspecting checkpoints": ``tf.train.load_checkpoint('./tf_ckpts/')`` and its shape
    and dtype maps (TensorFlow prints ``Shape: [1, 5]`` and ``Dtype: float32`` for the Dense kernel; the key is
    ferroflow's, see cell 14)."""
    folder = str(guide_dir / "tf_ckpts")
    reader = tf.train.load_checkpoint(folder)
    shape_from_key = reader.get_variable_to_shape_map()
    dtype_from_key = reader.get_variable_to_dtype_map()
    assert sorted(shape_from_key) == [key for key, _ in tf.train.list_variables(folder)]
    assert sorted(dtype_from_key) == sorted(shape_from_key)
    kernel = next(k for k in shape_from_key if k.startswith("net/") and k.endswith("kernel/.ATTRIBUTES/VARIABLE_VALUE"))
    assert shape_from_key[kernel] == [1, 5] and dtype_from_key[kernel].name == "float32"
    value = reader.get_tensor(kernel)
    assert value.shape == (1, 5) and value.dtype == np.float32
    assert reader.get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE") == 100  # the last save, "Saved checkpoint for step 100"
    assert dtype_from_key["_CHECKPOINTABLE_OBJECT_GRAPH"] == tf.string


def _dataset() -> tf.data.Dataset:
    return tf.data.Dataset.range(10).batch(2)


def test_iterator_position_saved_and_restored(tmp_path) -> None:
    it = iter(_dataset())
    next(it)
    next(it)
    path = tf.train.Checkpoint(it=it).save(str(tmp_path / "ckpt"))
    np.testing.assert_array_equal(next(it).numpy(), [4, 5])
    fresh = iter(_dataset())
    tf.train.Checkpoint(it=fresh).restore(path).assert_consumed()
    np.testing.assert_array_equal(next(fresh).numpy(), [4, 5])
    names = dict(tf.train.list_variables(path))
    assert names["it/ITERATOR_STATE/.ATTRIBUTES/VARIABLE_VALUE"] == []


def test_iterator_restores_past_epoch_end_of_repeated_dataset(tmp_path) -> None:
    it = iter(_dataset().repeat())
    for _ in range(7):
        next(it)
    path = tf.train.Checkpoint(it=it).write(str(tmp_path / "w"))
    fresh = iter(_dataset().repeat())
    tf.train.Checkpoint(it=fresh).read(path)
    np.testing.assert_array_equal(next(fresh).numpy(), [4, 5])
