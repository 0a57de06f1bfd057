"""``tf.gather_nd`` in a graph on params and indices whose sizes are known only when it runs (the captcha OCR
example's dense-to-sparse labels): values as NumPy indexing, static shapes as TensorFlow infers them."""

import numpy as np
import pytest

import ferroflow as tf


@tf.function(
    input_signature=[
        tf.TensorSpec([None, None], tf.int32),
        tf.TensorSpec([None, 2], tf.int32),
        tf.TensorSpec([None, None, 2]),
    ]
)
def _gather(p, i, q):
    a, b, c = tf.gather_nd(p, i), tf.gather_nd(q, i), tf.gather_nd(q, i[:, :1])
    assert (a.shape.as_list(), b.shape.as_list(), c.shape.as_list()) == ([None], [None, 2], [None, None, 2])
    return a, b, c


def test_values_match_numpy_indexing():
    p = np.arange(12, dtype="int32").reshape(3, 4)
    q = np.arange(24, dtype="float32").reshape(3, 4, 2)
    i = np.array([[0, 1], [2, 3], [1, 0]], "int32")
    a, b, c = _gather(p, i, q)
    np.testing.assert_array_equal(a.numpy(), p[i[:, 0], i[:, 1]])
    np.testing.assert_array_equal(b.numpy(), q[i[:, 0], i[:, 1]])
    np.testing.assert_array_equal(c.numpy(), q[i[:, 0]])


def test_index_out_of_range_fails_when_run():
    p = np.arange(12, dtype="int32").reshape(3, 4)
    q = np.zeros((3, 4, 2), "float32")
    with pytest.raises(tf.errors.InvalidArgumentError):
        _gather(p, np.array([[0, 4]], "int32"), q)
