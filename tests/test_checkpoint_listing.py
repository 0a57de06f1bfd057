"""``tf.train.list_variables`` / ``load_variable`` on ``tf.train.Checkpoint`` files, and when a checkpoint's
``save_counter`` exists: TensorFlow 2.21's answers (checked with it) for the same programs."""

from __future__ import annotations

import numpy as np

import ferroflow as tf

SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


class _Dense(tf.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.w = tf.Variable(np.arange(n_in * n_out, dtype=np.float32).reshape(n_in, n_out), name="w")
        self.b = tf.Variable(np.zeros(n_out, np.float32), name="b")


class _Two(tf.Module):
    def __init__(self):
        super().__init__()
        self.dense_1 = _Dense(3, 3)
        self.dense_2 = _Dense(3, 2)


def test_write_lists_object_paths_as_tensorflow_names_them(tmp_path):
    path = tf.train.Checkpoint(model=_Two()).write(str(tmp_path / "my_checkpoint"))
    assert tf.train.list_variables(path) == [
        ("_CHECKPOINTABLE_OBJECT_GRAPH", []),
        ("model/dense_1/b" + SUFFIX, [3]),
        ("model/dense_1/w" + SUFFIX, [3, 3]),
        ("model/dense_2/b" + SUFFIX, [2]),
        ("model/dense_2/w" + SUFFIX, [3, 2]),
    ]


def test_save_adds_the_save_counter(tmp_path):
    inner = tf.train.Checkpoint(a=tf.Variable(5.0))
    outer = tf.train.Checkpoint(inner=inner, v=tf.Variable([1.0, 2.0]))
    path = outer.save(str(tmp_path / "n"))
    assert tf.train.list_variables(path) == [
        ("_CHECKPOINTABLE_OBJECT_GRAPH", []),
        ("inner/a" + SUFFIX, []),
        ("save_counter" + SUFFIX, []),
        ("v" + SUFFIX, [2]),
    ]
    np.testing.assert_array_equal(tf.train.load_variable(path, "v" + SUFFIX), [1.0, 2.0])
    assert tf.train.load_variable(path, "save_counter" + SUFFIX) == 1


def test_restore_creates_the_save_counter_and_restores_it(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    ckpt.save(str(tmp_path / "c"))
    path = ckpt.save(str(tmp_path / "c"))
    fresh = tf.train.Checkpoint(v=tf.Variable(0.0))
    fresh.restore(path).assert_consumed()
    assert int(fresh.save_counter.numpy()) == 2 and float(fresh.v.numpy()) == 1.0


def test_restoring_a_written_checkpoint_leaves_the_counter_at_zero(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable(3.0)).write(str(tmp_path / "w"))
    fresh = tf.train.Checkpoint(v=tf.Variable(0.0))
    fresh.restore(path)
    assert float(fresh.v.numpy()) == 3.0 and int(fresh.save_counter.numpy()) == 0


def test_saver_checkpoints_keep_variable_names(tmp_path):
    """A TF1 Saver's checkpoint is name-based: no object-graph entry, no suffix."""
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        w = v1.Variable([1.0, 2.0], name="w")
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model"))
    del w
    assert tf.train.list_variables(path) == [("w", [2])]
