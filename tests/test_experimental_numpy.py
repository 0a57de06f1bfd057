"""``tf.experimental.numpy``: NumPy's names on tensors, and tensors with NumPy's methods once enabled."""

import numpy as np

import ferroflow as tf
import ferroflow.experimental.numpy as tnp


def test_numpy_names_match_numpy():
    x = tnp.array([[1.0, 2.0], [3.0, 4.0]])
    assert x.dtype == tf.float64  # NumPy's default float
    np.testing.assert_allclose(tnp.sum(x, axis=0).numpy(), [4.0, 6.0])
    np.testing.assert_allclose(tnp.dot(x, x).numpy(), np.dot([[1, 2], [3, 4]], [[1, 2], [3, 4]]))
    np.testing.assert_allclose(tnp.linspace(0.0, 1.0, 3).numpy(), [0.0, 0.5, 1.0])
    assert tnp.asarray(x) is x
    assert tnp.pi == np.pi


def test_numpy_behavior_gives_tensors_numpy_methods():
    tnp.experimental_enable_numpy_behavior()
    try:
        _check_numpy_methods()
    finally:
        tnp._disable_numpy_behavior()  # the behavior is process-wide: keep TensorFlow's rules for other tests


def _check_numpy_methods():
    t = tf.constant([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(t.T.numpy(), [[1, 4], [2, 5], [3, 6]])
    assert t.reshape(3, 2).shape == (3, 2) and t.reshape([-1]).shape == (6,)
    assert t.astype(tf.float32).dtype == tf.float32
    assert t.ravel().shape == (6,) and t.transpose().shape == (3, 2)
    assert t.tolist() == [[1, 2, 3], [4, 5, 6]]
