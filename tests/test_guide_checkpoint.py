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

RANDOM = {7, 8, 11}  # 11 prints the restored bias of the randomly initialized layer
GAPS = {
    10: "a checkpoint is one <prefix>.ckpt file, not an .index file and .data shards",
    12: "the status's repr names ferroflow's class (ferroflow.train._status.CheckpointLoadStatus)",
    14: (
        "the iterator's position is one scalar, not TensorFlow's serialized state of shape [5]; and TensorFlow's "
        "Keras 3 optimizer, restored before it "
        "was built, saves a placeholder variable as optimizer/_trainable_variables/0 with two more slots "
        "(optimizer/_variables/6 and 7) that ferroflow does not make"
    ),
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


def test_partial_restore_through_nested_checkpoints(outputs: list, guide_dir) -> None:
    """Cell 11 restores ``net/l1/bias`` (Keras 3's key) into a variable of nested ``Checkpoint`` objects."""
    restored = np.array(outputs[11].splitlines()[1].strip("[]").split(), dtype=np.float32)
    saved = tf.train.load_variable(str(guide_dir / "tf_ckpts" / "ckpt-10"), "net/l1/bias")
    np.testing.assert_allclose(restored, saved, rtol=1e-6)


def test_manual_inspection_with_load_checkpoint(outputs: list, guide_dir) -> None:
    """The guide's "Manually inspecting checkpoints": ``tf.train.load_checkpoint('./tf_ckpts/')`` and its shape
    and dtype maps (TensorFlow prints ``Shape: [1, 5]`` and ``Dtype: float32`` for the Dense kernel)."""
    folder = str(guide_dir / "tf_ckpts")
    reader = tf.train.load_checkpoint(folder)
    shape_from_key = reader.get_variable_to_shape_map()
    dtype_from_key = reader.get_variable_to_dtype_map()
    assert sorted(shape_from_key) == [key for key, _ in tf.train.list_variables(folder)]
    assert sorted(dtype_from_key) == sorted(shape_from_key)
    kernel = "net/l1/_kernel/.ATTRIBUTES/VARIABLE_VALUE"  # Keras 3's key, as TensorFlow 2.21 writes it
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
    assert names["it/.ATTRIBUTES/ITERATOR_STATE"] == []  # TensorFlow's key (its value: a serialized [5] state)


def test_iterator_restores_past_epoch_end_of_repeated_dataset(tmp_path) -> None:
    it = iter(_dataset().repeat())
    for _ in range(7):
        next(it)
    path = tf.train.Checkpoint(it=it).write(str(tmp_path / "w"))
    fresh = iter(_dataset().repeat())
    tf.train.Checkpoint(it=fresh).read(path)
    np.testing.assert_array_equal(next(fresh).numpy(), [4, 5])
