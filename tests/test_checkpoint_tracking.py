"""tf.train.Checkpoint tracking: ListWrapper/DictWrapper attributes, values found through another path to the
same object, restoring only part of a checkpoint, and files written with the earlier Keras 2 keys."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.train import _format, _legacy_keys

keras = tf.keras


def test_assigned_lists_and_dicts_are_wrapped_and_appends_tracked(tmp_path):
    ckpt = tf.train.Checkpoint()
    ckpt.listed = [tf.Variable(1.0)]
    ckpt.listed.append(tf.Variable(2.0))
    ckpt.mapped = {"one": ckpt.listed[0]}
    ckpt.mapped["two"] = ckpt.listed[1]
    assert repr(tf.train.Checkpoint(l=[]).l) == "ListWrapper([])"
    assert type(ckpt.listed).__name__ == "ListWrapper" and isinstance(ckpt.listed, list)
    assert isinstance(ckpt.mapped, dict) and repr(ckpt.mapped).startswith("DictWrapper({'one': ")
    assert ckpt.listed == [ckpt.listed[0], ckpt.listed[1]]
    path = ckpt.write(str(tmp_path / "c"))
    # as TensorFlow: each variable once, under its first path; mapped/* reach the same objects
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "listed/0/.ATTRIBUTES/VARIABLE_VALUE",
        "listed/1/.ATTRIBUTES/VARIABLE_VALUE",
    ]


def test_nested_containers_are_wrapped_and_mutations_tracked(tmp_path):
    ckpt = tf.train.Checkpoint(outer=[[tf.Variable(1.0)]])
    assert type(ckpt.outer[0]).__name__ == "ListWrapper"
    ckpt.outer[0].extend([tf.Variable(2.0)])
    ckpt.outer.append({"w": tf.Variable(3.0)})
    ckpt.outer[1].update(x=tf.Variable(4.0))
    ckpt.outer += [tf.Variable(5.0)]
    path = ckpt.write(str(tmp_path / "c"))
    assert dict(tf.train.list_variables(path)).keys() - {"_CHECKPOINTABLE_OBJECT_GRAPH"} == {
        f"outer/{k}/.ATTRIBUTES/VARIABLE_VALUE" for k in ("0/0", "0/1", "1/w", "1/x", "2")
    }


@pytest.mark.parametrize(
    "mutate",
    [
        lambda lst: lst.insert(0, tf.Variable(0.0)),
        lambda lst: lst.__setitem__(0, tf.Variable(0.0)),
        lambda lst: lst.__delitem__(0),
        lambda lst: lst.pop(),
        lambda lst: lst.reverse(),
    ],
)
def test_moving_tracked_elements_makes_the_list_unsaveable(tmp_path, mutate):
    ckpt = tf.train.Checkpoint(lst=[tf.Variable(1.0), tf.Variable(2.0)])
    mutate(ckpt.lst)
    with pytest.raises(ValueError, match="tracking is exclusively for append-only data structures"):
        ckpt.write(str(tmp_path / "c"))


def test_lists_of_plain_values_may_change_freely(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0), lst=[3, 1, 2])
    ckpt.lst.sort()
    ckpt.lst.insert(0, 5)
    ckpt.lst[1] = 7
    assert ckpt.lst == [5, 7, 2, 3]
    assert [k for k, _ in tf.train.list_variables(ckpt.write(str(tmp_path / "c")))][1:] == [
        "v/.ATTRIBUTES/VARIABLE_VALUE"
    ]


def test_value_found_through_another_path_to_the_same_variable(tmp_path):
    save = tf.train.Checkpoint()
    save.listed = [tf.Variable(1.0), tf.Variable(2.0)]
    save.mapped = {"one": save.listed[0], "two": save.listed[1]}
    path = save.save(str(tmp_path / "list_example"))
    restore = tf.train.Checkpoint()
    v2 = tf.Variable(0.0)
    restore.mapped = {"two": v2}
    restore.restore(path)
    assert v2.numpy() == 2.0
    restore.listed = []
    v1 = tf.Variable(0.0)
    restore.listed.append(v1)  # restored on the append, from the restore() above
    assert v1.numpy() == 1.0


def _model():
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)])
    m.compile(keras.optimizers.Adam(0.01), "mse")
    return m


def _data():
    rng = np.random.RandomState(0)
    return rng.rand(16, 3).astype("float32"), rng.rand(16, 2).astype("float32")


def test_model_alone_restores_from_a_checkpoint_keyed_through_the_optimizer(tmp_path):
    m = _model()
    m.fit(*_data(), verbose=0)
    path = tf.train.Checkpoint(model=m, optimizer=m.optimizer).write(str(tmp_path / "c"))
    m2 = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(2)])
    status = tf.train.Checkpoint(model=m2).read(path)
    status.assert_existing_objects_matched()
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(AssertionError):
        status.assert_consumed()  # the optimizer's values have no object here


def test_partial_restore_through_nested_checkpoints(tmp_path):
    m = _model()
    m.fit(*_data(), verbose=0)
    path = tf.train.Checkpoint(model=m).write(str(tmp_path / "c"))
    bias = tf.Variable(tf.zeros([4]))
    layer = tf.train.Checkpoint(bias=bias)
    root = tf.train.Checkpoint(model=tf.train.Checkpoint(_functional=tf.train.Checkpoint(_operations=[None, layer])))
    root.read(path).assert_existing_objects_matched()
    np.testing.assert_array_equal(bias.numpy(), m.layers[0].bias.numpy())


def _write_old_keys(path: str, children: dict) -> list:
    """A checkpoint as ferroflow wrote it before (Keras 2 keys such as ``model/layer_with_weights-0/kernel``)."""
    pairs = [(key, var.numpy()) for key, var in _legacy_keys.collect(children).variables]
    _format.write(path, pairs, object_graph=True)
    return [key for key, _ in pairs]


def test_files_with_the_old_keys_still_restore(tmp_path):
    x, y = _data()
    m = _model()
    m.fit(x, y, epochs=2, verbose=0, shuffle=False)
    step = tf.Variable(7)
    path = str(tmp_path / "old")
    keys = _write_old_keys(path, {"model": m, "optimizer": m.optimizer, "step": step})
    assert "model/layer_with_weights-0/kernel" in keys and "optimizer/slot-0" in keys
    m2, step2 = _model(), tf.Variable(0)
    status = tf.train.Checkpoint(model=m2, optimizer=m2.optimizer, step=step2).read(path)
    status.assert_consumed()
    assert int(step2.numpy()) == 7 and int(m2.optimizer.iterations.numpy()) == 2
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(m.optimizer.variables, m2.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    m.fit(x, y, epochs=1, verbose=0, shuffle=False)
    m2.fit(x, y, epochs=1, verbose=0, shuffle=False)  # Adam continues from the same moments
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.l1 = keras.layers.Dense(5)

    def call(self, x):
        return self.l1(x)


def test_old_keys_restore_into_a_model_built_later(tmp_path):
    net = Net()
    net(tf.ones([2, 1]))
    path = str(tmp_path / "old")
    assert _write_old_keys(path, {"net": net}) == ["net/layer_with_weights-0/kernel", "net/layer_with_weights-0/bias"]
    fresh = Net()
    tf.train.Checkpoint(net=fresh).read(path)  # nothing built yet: the values wait for the variables
    fresh(tf.ones([2, 1]))
    np.testing.assert_array_equal(fresh.l1.kernel.numpy(), net.l1.kernel.numpy())
    np.testing.assert_array_equal(fresh.l1.bias.numpy(), net.l1.bias.numpy())
    fresh.l1.bias.assign(tf.ones([5]))
    fresh(tf.ones([2, 1]))  # values already taken are not assigned again
    np.testing.assert_array_equal(fresh.l1.bias.numpy(), np.ones(5, "float32"))


def test_new_keys_restore_into_a_model_built_later(tmp_path):
    net = Net()
    net(tf.ones([2, 1]))
    path = tf.train.Checkpoint(net=net).write(str(tmp_path / "new"))
    fresh = Net()
    tf.train.Checkpoint(net=fresh).read(path)
    fresh(tf.ones([2, 1]))
    np.testing.assert_array_equal(fresh.l1.kernel.numpy(), net.l1.kernel.numpy())


def test_save_weights_files_are_unchanged(tmp_path):
    m = _model()
    m.fit(*_data(), verbose=0)
    path = str(tmp_path / "m.weights.h5")
    m.save_weights(path)
    m2 = _model()
    m2.load_weights(path)
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_module_lists_and_dicts_are_wrapped(tmp_path):
    mod = tf.Module()
    mod._p = [1]
    mod.q = {"a": [1]}
    assert type(mod._p).__name__ == "ListWrapper" and repr(mod.q) == "DictWrapper({'a': ListWrapper([1])})"
    mod.layers = [tf.Variable(1.0)]
    mod.layers.insert(0, tf.Variable(2.0))  # moves a tracked element: TensorFlow refuses to save that
    with pytest.raises(ValueError, match="append-only"):
        tf.train.Checkpoint(m=mod).write(str(tmp_path / "c"))


def test_root_object_children_are_the_top_level(tmp_path):
    mod = tf.Module()
    mod.v = tf.Variable(1.0)
    ckpt = tf.train.Checkpoint(root=mod, w=tf.Variable(2.0))
    assert ckpt.root is mod
    path = ckpt.save(str(tmp_path / "r"))
    assert [k for k, _ in tf.train.list_variables(path)][1:] == [  # TensorFlow 2.21's keys
        f"{k}/.ATTRIBUTES/VARIABLE_VALUE" for k in ("save_counter", "v", "w")
    ]
    mod2, w2 = tf.Module(), tf.Variable(0.0)
    mod2.v = tf.Variable(0.0)
    tf.train.Checkpoint(root=mod2, w=w2).restore(path).assert_consumed()
    assert (mod2.v.numpy(), w2.numpy()) == (1.0, 2.0)
    old = str(tmp_path / "old")  # the earlier scheme kept the root object under root/
    assert _write_old_keys(old, {"root": mod, "w": ckpt.w}) == ["root/v", "w"]
    mod3 = tf.Module()
    mod3.v = tf.Variable(0.0)
    tf.train.Checkpoint(root=mod3, w=tf.Variable(0.0)).read(old).assert_consumed()
    assert mod3.v.numpy() == 1.0
