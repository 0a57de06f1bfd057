"""``tf.tile`` with multiples known in part while the graph is built (``tf.stack([b, 1, 1])`` with ``b`` a
batch size): TensorFlow's static shapes (recorded from TensorFlow 2.21) and values against ``np.tile``."""

import numpy as np
import pytest

import ferroflow as tf

SIGNATURE = [tf.TensorSpec([None, 1, 2]), tf.TensorSpec([None, 3]), tf.TensorSpec([None, None])]

# Recorded with TensorFlow 2.21 for the cases below.
TF_SHAPES = {
    "a": [None, 1, 2],
    "b": [None, 3, 2],
    "c": [None, None, 4],
    "d": [None, None],
    "e": [None, None, 2],
    "f": [None, 6],
    "g": [None, 1, 6],
    "h": [None, 1, 2],
}


def test_tile_static_shapes_and_values_with_partly_known_multiples():
    shapes = {}

    @tf.function(input_signature=SIGNATURE)
    def tiles(x, y, z):
        b = tf.shape(y)[0]
        out = {
            "a": tf.tile(x, tf.stack([b, 1, 1])),
            "b": tf.tile(x, [b, 3, 1]),
            "c": tf.tile(x, tf.stack([1, b, 2])),
            "d": tf.tile(y, tf.shape(z)),
            "e": tf.tile(x, tf.concat([[2], [b, 1]], 0)),
            "f": tf.tile(y, [2, 2]),
            "g": tf.tile(x, tf.stack([2, 1, 3])),
            "h": tf.tile(x, tf.stack([tf.cast(b, "int64"), 1, 1])),
        }
        shapes.update({k: v.shape.as_list() for k, v in out.items()})
        return out

    x = np.arange(4, dtype="float32").reshape(2, 1, 2)
    y = np.arange(9, dtype="float32").reshape(3, 3)
    z = np.ones((2, 1), "float32")
    out = tiles(x, y, z)
    assert shapes == TF_SHAPES
    b = 3
    want = {
        "a": np.tile(x, [b, 1, 1]),
        "b": np.tile(x, [b, 3, 1]),
        "c": np.tile(x, [1, b, 2]),
        "d": np.tile(y, [2, 1]),
        "e": np.tile(x, [2, b, 1]),
        "f": np.tile(y, [2, 2]),
        "g": np.tile(x, [2, 1, 3]),
        "h": np.tile(x, [b, 1, 1]),
    }
    for key, value in want.items():
        np.testing.assert_array_equal(out[key], value, err_msg=key)


def test_stack_gives_python_numbers_the_dtype_of_the_tensors():
    # TensorFlow 2.21: int64, int64, float64, float32; a float next to an int64 tensor is a TypeError.
    assert tf.stack([tf.constant(1, tf.int64), 1, 1]).dtype == tf.int64
    assert tf.stack([1, tf.constant(2, tf.int64)]).dtype == tf.int64
    assert tf.stack([1.5, tf.constant(1.0, tf.float64)]).dtype == tf.float64
    both = tf.stack([1.0, 2])
    assert both.dtype == tf.float32
    np.testing.assert_array_equal(both, [1.0, 2.0])
    with pytest.raises(TypeError):
        tf.stack([1.5, tf.constant(1, tf.int64)])
