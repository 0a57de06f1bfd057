"""tf.train.Checkpoint / CheckpointManager: keys, round trips, statuses, file handling and errors."""

from __future__ import annotations

import os
import zipfile

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


def _model(lr: float = 0.01):
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)])
    m.compile(keras.optimizers.Adam(lr), "mse")
    return m


def _data():
    rng = np.random.RandomState(0)
    return rng.rand(16, 3).astype("float32"), rng.rand(16, 2).astype("float32")


def test_round_trip_into_fresh_model_and_unbuilt_optimizer(tmp_path):
    x, y = _data()
    m = _model()
    m.fit(x, y, epochs=2, verbose=0, shuffle=False)
    path = tf.train.Checkpoint(model=m, optimizer=m.optimizer).save(str(tmp_path / "ckpt"))
    m2 = _model()  # other layer names (dense_2 ...), optimizer not built yet
    assert not m2.optimizer.built
    status = tf.train.Checkpoint(model=m2, optimizer=m2.optimizer).restore(path)
    status.assert_consumed()
    assert m2.optimizer.built  # built to take the slot values
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(m.optimizer.variables, m2.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert int(m2.optimizer.iterations.numpy()) == 2
    m.fit(x, y, epochs=1, verbose=0, shuffle=False)
    m2.fit(x, y, epochs=1, verbose=0, shuffle=False)  # Adam continues from the same moments
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keys_follow_the_object_graph(tmp_path):
    m = _model()
    m.fit(*_data(), verbose=0)
    ckpt = tf.train.Checkpoint(model=m, optimizer=m.optimizer, step=tf.Variable(3),
                               extra={"w": [tf.Variable([1.0, 2.0])]})
    path = ckpt.write(str(tmp_path / "c"))
    suffix = "/.ATTRIBUTES/VARIABLE_VALUE"
    listed = dict(tf.train.list_variables(path))
    assert listed.pop("_CHECKPOINTABLE_OBJECT_GRAPH") == [] and all(k.endswith(suffix) for k in listed)
    keys = {k[: -len(suffix)]: shape for k, shape in listed.items()}
    # TensorFlow 2.21 + Keras 3's keys: the compiled optimizer is reached first (depth 1), so the model's
    # variables take its ``_trainable_variables`` paths, shorter than ``model/_functional/_operations/1/_kernel``
    assert keys == {
        "extra/w/0": [2], "optimizer/_iterations": [], "optimizer/_learning_rate": [],
        "optimizer/_trainable_variables/0": [3, 4], "optimizer/_trainable_variables/1": [4],
        "optimizer/_trainable_variables/2": [4, 2], "optimizer/_trainable_variables/3": [2],
        "optimizer/_variables/2": [3, 4], "optimizer/_variables/3": [3, 4], "optimizer/_variables/4": [4],
        "optimizer/_variables/5": [4], "optimizer/_variables/6": [4, 2], "optimizer/_variables/7": [4, 2],
        "optimizer/_variables/8": [2], "optimizer/_variables/9": [2], "step": [],
    }  # write() does not make save_counter (save() and restore() do), as in TensorFlow
    np.testing.assert_array_equal(tf.train.load_variable(path, "extra/w/0"), [1.0, 2.0])
    np.testing.assert_array_equal(tf.train.load_variable(path, "optimizer/_trainable_variables/0"),
                                  m.layers[0].kernel.numpy())
    # Adam's slots interleave per variable, as Keras 3's: momentum then velocity of the first kernel
    np.testing.assert_array_equal(tf.train.load_variable(path, "optimizer/_variables/2"),
                                  m.optimizer.variables[2].numpy())


def test_save_numbers_checkpoints_and_records_the_latest(tmp_path):
    v = tf.Variable(1.0)
    ckpt = tf.train.Checkpoint(v=v)
    prefix = str(tmp_path / "sub" / "ckpt")
    assert ckpt.save(prefix) == prefix + "-1"
    v.assign(2.0)
    assert ckpt.save(prefix) == prefix + "-2"
    assert int(ckpt.save_counter.numpy()) == 2
    assert sorted(os.listdir(tmp_path / "sub")) == ["checkpoint", "ckpt-1.ckpt", "ckpt-2.ckpt"]
    state = (tmp_path / "sub" / "checkpoint").read_text()
    assert 'model_checkpoint_path: "ckpt-2"' in state
    assert tf.train.latest_checkpoint(str(tmp_path / "sub")) == prefix + "-2"
    v.assign(9.0)
    ckpt.restore(prefix + "-1").assert_consumed()
    assert float(v.numpy()) == 1.0 and int(ckpt.save_counter.numpy()) == 1
    assert tf.train.latest_checkpoint(str(tmp_path / "nothing_here")) is None


def test_write_and_read_exact_path_without_state_file(tmp_path):
    v = tf.Variable([1.0, 2.0, 3.0])
    ckpt = tf.train.Checkpoint(v=v)
    assert ckpt.write(str(tmp_path / "exact")) == str(tmp_path / "exact")
    assert os.listdir(tmp_path) == ["exact.ckpt"]
    v.assign([0.0, 0.0, 0.0])
    ckpt.read(str(tmp_path / "exact")).assert_consumed()
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0, 3.0])
    # The file is a zip of JSON and npz members: loadable without pickle.
    with zipfile.ZipFile(tmp_path / "exact.ckpt") as zf:
        assert '"format": "ferroflow.checkpoint"' in zf.read("metadata.json").decode()
        assert all(not name.endswith(".pkl") for name in zf.namelist())


def test_nested_checkpoints_and_objects_with_variables(tmp_path):
    class Holder:
        def __init__(self):
            self.scale = tf.Variable(2.0)
            self.variables = [self.scale]

    inner = tf.train.Checkpoint(a=tf.Variable(5.0))
    holder = Holder()
    outer = tf.train.Checkpoint(inner=inner, holder=holder)
    outer.late = tf.Variable([4, 5])  # attributes set later are tracked too
    path = outer.save(str(tmp_path / "n"))
    keys = {"inner/a", "holder/scale", "late", "save_counter"}
    assert dict(tf.train.list_variables(path)).keys() >= {k + "/.ATTRIBUTES/VARIABLE_VALUE" for k in keys}
    inner.a.assign(0.0)
    holder.scale.assign(0.0)
    outer.late.assign([0, 0])
    outer.restore(path).assert_consumed()
    assert float(inner.a.numpy()) == 5.0 and float(holder.scale.numpy()) == 2.0
    assert outer.late.numpy().tolist() == [4, 5]


def test_status_reports_unused_and_missing_values(tmp_path):
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    path = tf.train.Checkpoint(a=a, b=b).write(str(tmp_path / "s"))
    a.assign(0.0)
    partial = tf.train.Checkpoint(a=a).restore(path)
    assert float(a.numpy()) == 1.0
    assert partial.expect_partial() is partial
    partial.assert_existing_objects_matched()
    with pytest.raises(AssertionError, match="'b'"):
        partial.assert_consumed()
    more = tf.train.Checkpoint(a=a, b=b, c=tf.Variable(3.0)).restore(path)
    with pytest.raises(AssertionError, match="'c'"):
        more.assert_existing_objects_matched()
    with pytest.raises(AssertionError, match="nothing is being restored"):
        tf.train.Checkpoint(a=a).restore(None).assert_consumed()


def test_shape_mismatch_assigns_nothing(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable([1.0, 2.0])).write(str(tmp_path / "m"))
    a, b = tf.Variable(7.0), tf.Variable([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"'b' has shape \(2,\).*shape \(3,\)"):
        tf.train.Checkpoint(a=a, b=b).restore(path)
    assert float(a.numpy()) == 7.0


def test_missing_and_corrupt_files_raise_naming_them(tmp_path):
    ckpt = tf.train.Checkpoint(a=tf.Variable(1.0))
    with pytest.raises(FileNotFoundError, match="nope"):
        ckpt.restore(str(tmp_path / "nope"))
    (tmp_path / "bad.ckpt").write_bytes(b"\x00garbage")
    with pytest.raises(ValueError, match="bad.ckpt"):
        ckpt.restore(str(tmp_path / "bad"))
    m = _model()
    m.build((None, 3))
    m.save_weights(str(tmp_path / "w.weights.npz"))
    os.rename(tmp_path / "w.weights.npz", tmp_path / "w.ckpt")
    with pytest.raises(ValueError, match="expected 'ferroflow.checkpoint'"):
        ckpt.restore(str(tmp_path / "w"))
    with pytest.raises(IsADirectoryError, match="latest_checkpoint"):
        ckpt.restore(str(tmp_path))


def test_untrackable_objects_are_rejected():
    with pytest.raises(ValueError, match="trackable"):
        tf.train.Checkpoint(x=3)


def test_manager_keeps_the_newest_and_recovers_state(tmp_path):
    v = tf.Variable(0.0)
    ckpt = tf.train.Checkpoint(v=v)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    assert manager.latest_checkpoint is None
    for i in range(3):
        v.assign(float(i))
        manager.save()
    prefix = str(tmp_path / "ckpt")
    assert manager.checkpoints == [prefix + "-2", prefix + "-3"]
    assert manager.latest_checkpoint == prefix + "-3" == tf.train.latest_checkpoint(str(tmp_path))
    assert not (tmp_path / "ckpt-1.ckpt").exists() and (tmp_path / "ckpt-2.ckpt").exists()
    again = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    assert again.checkpoints == manager.checkpoints
    assert again.save(checkpoint_number=10) == prefix + "-10"
    assert again.checkpoints == [prefix + "-3", prefix + "-10"] and not (tmp_path / "ckpt-2.ckpt").exists()
    v.assign(-1.0)
    assert again.restore_or_initialize() == prefix + "-10"
    assert float(v.numpy()) == 2.0


def test_manager_name_interval_and_init_fn(tmp_path):
    step = tf.Variable(0, dtype="int64")
    called = []
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(step=step), str(tmp_path), max_to_keep=None,
                                         checkpoint_name="model", step_counter=step, checkpoint_interval=5,
                                         init_fn=lambda: called.append(1))
    assert manager.restore_or_initialize() is None and called == [1]
    saved = []
    for s in range(12):
        step.assign(s)
        saved.append(manager.save())
    assert [p is not None for p in saved].count(True) == 3  # steps 0, 5 and 10
    assert os.path.basename(manager.latest_checkpoint) == "model-3"
    with pytest.raises(ValueError, match="max_to_keep"):
        tf.train.CheckpointManager(tf.train.Checkpoint(step=step), str(tmp_path), max_to_keep=0)


def test_manager_keep_every_n_hours_preserves_swept_checkpoints(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(0.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=1, keep_checkpoint_every_n_hours=0)
    for _ in range(3):
        manager.save()
    assert manager.checkpoints == [str(tmp_path / "ckpt-3")]
    assert (tmp_path / "ckpt-1.ckpt").exists() and (tmp_path / "ckpt-2.ckpt").exists()  # preserved, unmanaged
