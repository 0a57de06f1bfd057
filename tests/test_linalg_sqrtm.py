"""tf.linalg.sqrtm: the principal square root of real matrices, against NumPy (eigendecompositions),
batched, eagerly and in tf.function, with its gradient against finite differences."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient


def principal_root(a):
    """NumPy reference: V diag(sqrt(lambda)) V^-1 with the principal (complex) square roots."""
    w, v = np.linalg.eig(a)
    root = v @ (np.sqrt(w.astype(complex))[..., None] * np.linalg.inv(v))
    return root.real


def spd(rng, shape, n):
    b = rng.standard_normal(shape + (n, n))
    return b @ np.swapaxes(b, -1, -2) + 0.1 * np.eye(n)


def test_symmetric_positive_definite_batch():
    a = spd(np.random.default_rng(0), (32,), 8)
    x = tf.linalg.sqrtm(tf.constant(a))
    assert x.shape == (32, 8, 8) and x.dtype == tf.float64
    w, v = np.linalg.eigh(a)
    want = v @ (np.sqrt(w)[..., None] * np.swapaxes(v, -1, -2))
    np.testing.assert_allclose(x.numpy(), want, rtol=1e-10, atol=1e-11)
    np.testing.assert_allclose(x.numpy() @ x.numpy(), a, rtol=1e-10, atol=1e-11)


def test_general_matrices_with_two_batch_dims_in_tf_function():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((2, 3, 6, 6)) * 0.4 + 2.0 * np.eye(6)  # eigenvalues in the right half-plane
    assert np.linalg.eigvals(a).real.min() > 0
    x = tf.function(tf.linalg.sqrtm)(tf.constant(a)).numpy()
    np.testing.assert_allclose(x, principal_root(a), rtol=1e-10, atol=1e-11)
    np.testing.assert_allclose(x @ x, a, rtol=1e-10, atol=1e-11)


def test_float32_ill_conditioned_and_complex_eigenvalues():
    x = tf.linalg.sqrtm(tf.constant([[4.0, 0.0], [0.0, 9.0]]))
    assert x.dtype == tf.float32
    np.testing.assert_allclose(x.numpy(), [[2.0, 0.0], [0.0, 3.0]], rtol=1e-6)
    rotation = tf.linalg.sqrtm(tf.constant([[0.0, -1.0], [1.0, 0.0]], tf.float64)).numpy()
    s = np.sqrt(0.5)
    np.testing.assert_allclose(rotation, [[s, -s], [s, s]], rtol=1e-12)
    ill = tf.linalg.sqrtm(tf.constant(np.diag([1e-6, 1.0, 1e6]))).numpy()
    np.testing.assert_allclose(ill, np.diag([1e-3, 1.0, 1e3]), rtol=1e-10, atol=1e-14)


def test_no_real_square_root_gives_nan_and_empty_passes_through():
    out = tf.linalg.sqrtm(tf.constant([[[-1.0, 0.0], [0.0, 1.0]], [[4.0, 0.0], [0.0, 1.0]]], tf.float64)).numpy()
    assert np.isnan(out[0]).all()  # a negative eigenvalue: NaN, as TensorFlow returns
    np.testing.assert_allclose(out[1], [[2.0, 0.0], [0.0, 1.0]], rtol=1e-12)
    assert np.isnan(tf.linalg.sqrtm(tf.constant([[-4.0]])).numpy()).all()
    assert tf.linalg.sqrtm(tf.zeros([0, 0])).shape == (0, 0)
    assert tf.linalg.sqrtm(tf.zeros([3, 0, 0])).shape == (3, 0, 0)


def test_gradient_against_finite_differences():
    rng = np.random.default_rng(2)
    check_gradient(tf.linalg.sqrtm, spd(rng, (2,), 4) + 0.5 * np.eye(4), rtol=1e-5, atol=1e-8)
    check_gradient(tf.linalg.sqrtm, rng.standard_normal((4, 4)) * 0.3 + 2.0 * np.eye(4), rtol=1e-5, atol=1e-8)


def test_gradient_inside_tf_function_matches_eager():
    a = tf.constant(spd(np.random.default_rng(3), (), 5))
    w = tf.constant(np.arange(25.0).reshape(5, 5))

    def grad(m):
        with tf.GradientTape() as tape:
            tape.watch(m)
            y = tf.reduce_sum(tf.linalg.sqrtm(m) * w)
        return tape.gradient(y, m)

    np.testing.assert_allclose(tf.function(grad)(a).numpy(), grad(a).numpy(), rtol=1e-10)


def test_bad_inputs():
    with pytest.raises(tf.errors.InvalidArgumentError, match="square"):
        tf.linalg.sqrtm(tf.ones([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank"):
        tf.linalg.sqrtm(tf.ones([3]))
    with pytest.raises(TypeError, match="float32 or float64"):
        tf.linalg.sqrtm(tf.ones([2, 2], tf.int32))


def test_unknown_shape_in_a_graph_is_a_clear_error():
    traced = tf.function(tf.linalg.sqrtm, input_signature=[tf.TensorSpec([None, 2, 2], tf.float32)])
    with pytest.raises(ValueError, match="known when the graph is built"):
        traced(tf.ones([1, 2, 2]))
