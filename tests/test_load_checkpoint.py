"""``tf.train.load_checkpoint``'s reader: keys, shapes, dtypes, values and errors as TensorFlow 2.21 gives them
for the same programs (checked with it)."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf

SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


class _Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.l = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        self.b = tf.Variable(3, dtype=tf.int64)


@pytest.fixture
def saved(tmp_path):
    ckpt = tf.train.Checkpoint(step=tf.Variable(1), net=_Net())
    return tmp_path, ckpt.save(str(tmp_path / "ckpt"))


def test_directory_reads_its_latest_checkpoint(saved):
    folder, path = saved
    assert path.endswith("ckpt-1")
    keys = sorted(tf.train.load_checkpoint(str(folder)).get_variable_to_shape_map())
    assert keys == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "net/b" + SUFFIX,
        "net/l" + SUFFIX,
        "save_counter" + SUFFIX,
        "step" + SUFFIX,
    ]
    assert sorted(tf.train.load_checkpoint(path).get_variable_to_shape_map()) == keys


def test_shape_and_dtype_maps(saved):
    reader = tf.train.load_checkpoint(saved[1])
    assert reader.get_variable_to_shape_map() == {
        "_CHECKPOINTABLE_OBJECT_GRAPH": [],
        "net/b" + SUFFIX: [],
        "net/l" + SUFFIX: [2, 2],
        "save_counter" + SUFFIX: [],
        "step" + SUFFIX: [],
    }
    dtypes = reader.get_variable_to_dtype_map()
    assert dtypes == {
        "_CHECKPOINTABLE_OBJECT_GRAPH": tf.string,
        "net/b" + SUFFIX: tf.int64,
        "net/l" + SUFFIX: tf.float32,
        "save_counter" + SUFFIX: tf.int64,
        "step" + SUFFIX: tf.int32,
    }
    assert all(isinstance(d, tf.DType) for d in dtypes.values())


def test_get_tensor_gives_numpy_values(saved):
    reader = tf.train.load_checkpoint(saved[0])
    kernel = reader.get_tensor("net/l" + SUFFIX)
    assert isinstance(kernel, np.ndarray) and kernel.dtype == np.float32
    np.testing.assert_array_equal(kernel, [[1.0, 2.0], [3.0, 4.0]])
    step = reader.get_tensor("step" + SUFFIX)
    assert type(step) is np.int32 and step == 1  # a scalar comes back as a NumPy scalar
    assert reader.get_tensor("net/b" + SUFFIX) == 3
    assert isinstance(reader.get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH"), bytes)


def test_values_are_copies(saved):
    reader = tf.train.load_checkpoint(saved[0])
    reader.get_tensor("net/l" + SUFFIX)[0, 0] = 99.0
    assert reader.get_tensor("net/l" + SUFFIX)[0, 0] == 1.0


def test_has_tensor_needs_the_full_key(saved):
    reader = tf.train.load_checkpoint(saved[0])
    assert reader.has_tensor("net/l" + SUFFIX)
    assert reader.has_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")
    assert not reader.has_tensor("net/l")
    assert not reader.has_tensor("nope")


def test_missing_key_is_not_found(saved):
    reader = tf.train.load_checkpoint(saved[0])
    for key in ("net/l", "nope"):
        with pytest.raises(tf.errors.NotFoundError, match=f"Key {key} not found in checkpoint"):
            reader.get_tensor(key)
    with pytest.raises(TypeError, match="Expected binary or unicode string, got 3"):
        reader.get_tensor(3)


def test_missing_path_is_not_found(tmp_path):
    missing = str(tmp_path / "nothing_here")
    with pytest.raises(
        tf.errors.NotFoundError,
        match="Unsuccessful TensorSliceReader constructor: Failed to find any matching files for",
    ):
        tf.train.load_checkpoint(missing)
    with pytest.raises(tf.errors.NotFoundError):
        tf.train.list_variables(missing)


def test_directory_without_checkpoints_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints in given directory"):
        tf.train.load_checkpoint(str(tmp_path))


def test_debug_string(saved):
    text = tf.train.load_checkpoint(saved[0]).debug_string()
    assert text == (
        b"_CHECKPOINTABLE_OBJECT_GRAPH (DT_STRING) []\n"
        b"net/b/.ATTRIBUTES/VARIABLE_VALUE (DT_INT64) []\n"
        b"net/l/.ATTRIBUTES/VARIABLE_VALUE (DT_FLOAT) [2,2]\n"
        b"save_counter/.ATTRIBUTES/VARIABLE_VALUE (DT_INT64) []\n"
        b"step/.ATTRIBUTES/VARIABLE_VALUE (DT_INT32) []\n"
    )


def test_list_and_load_variable_agree_with_the_reader(saved):
    folder = str(saved[0])
    reader = tf.train.load_checkpoint(folder)
    assert tf.train.list_variables(folder) == sorted(reader.get_variable_to_shape_map().items())
    np.testing.assert_array_equal(tf.train.load_variable(folder, "net/l" + SUFFIX), reader.get_tensor("net/l" + SUFFIX))
    with pytest.raises(tf.errors.NotFoundError):
        tf.train.load_variable(folder, "nope")


def test_saver_checkpoint_is_keyed_by_variable_names(tmp_path):
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        w = v1.Variable([1.0, 2.0], name="w")
        saver = v1.train.Saver()
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model"))
    del w
    reader = tf.train.load_checkpoint(path)
    assert reader.get_variable_to_shape_map() == {"w": [2]}
    assert reader.get_variable_to_dtype_map() == {"w": tf.float32}
    assert not reader.has_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")
    np.testing.assert_array_equal(reader.get_tensor("w"), [1.0, 2.0])
    np.testing.assert_array_equal(tf.train.load_variable(path, "w:0"), [1.0, 2.0])
