"""``tf.linalg.eigh``/``eigvalsh``/``svd``/``pinv`` against NumPy (float32 and float64, eager and traced,
batched, tall, wide and rank-deficient), gradients of sign-invariant functions against finite differences,
and bad-input errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

rng = np.random.default_rng(11)


def symmetric(*shape):
    a = rng.standard_normal(shape)
    return a + np.swapaxes(a, -1, -2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(4, 4), (3, 6, 6), (1, 1), (40, 40)])
def test_eigh_matches_numpy_eagerly_and_traced(shape, dtype):
    a = symmetric(*shape).astype(dtype)
    tol = 2e-4 if dtype == np.float32 else 1e-10
    want_w, want_v = np.linalg.eigh(a)
    for w, v in [tf.linalg.eigh(a), tf.function(tf.linalg.eigh)(tf.constant(a))]:
        assert w.dtype == tf.as_dtype(dtype) and v.dtype == tf.as_dtype(dtype)
        np.testing.assert_allclose(w.numpy(), want_w, rtol=tol, atol=tol)
        # Vectors are unique up to sign: compare |cosines| and the reconstruction.
        np.testing.assert_allclose(np.abs(np.sum(v.numpy() * want_v, axis=-2)), 1.0, atol=tol * 10)
        back = (v.numpy() * w.numpy()[..., None, :]) @ np.swapaxes(v.numpy(), -1, -2)
        np.testing.assert_allclose(back, a, atol=tol * 10 * np.abs(a).max())
    np.testing.assert_allclose(tf.linalg.eigvalsh(a).numpy(), want_w, rtol=tol, atol=tol)


def test_eigh_reads_only_the_lower_triangle():
    a = symmetric(5, 5)
    messy = np.tril(a) + np.triu(rng.standard_normal((5, 5)), 1)
    np.testing.assert_allclose(tf.linalg.eigvalsh(messy).numpy(), np.linalg.eigvalsh(a), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4), (60, 30)])
def test_svd_matches_numpy_eagerly_and_traced(shape, dtype):
    a = rng.standard_normal(shape).astype(dtype)
    tol = 2e-4 if dtype == np.float32 else 1e-10
    want_s = np.linalg.svd(a, compute_uv=False)
    np.testing.assert_allclose(tf.linalg.svd(a, compute_uv=False).numpy(), want_s, rtol=tol, atol=tol)
    for s, u, v in [tf.linalg.svd(a), tf.function(tf.linalg.svd)(tf.constant(a))]:
        k = min(shape[-2:])
        assert tuple(u.shape) == shape[:-1] + (k,) and tuple(v.shape) == shape[:-2] + (shape[-1], k)
        np.testing.assert_allclose(s.numpy(), want_s, rtol=tol, atol=tol)
        back = (u.numpy() * s.numpy()[..., None, :]) @ np.swapaxes(v.numpy(), -1, -2)
        np.testing.assert_allclose(back, a, atol=tol * 10)
        eye = np.eye(k)
        np.testing.assert_allclose(
            np.swapaxes(u.numpy(), -1, -2) @ u.numpy(), np.broadcast_to(eye, s.shape + (k,)), atol=tol
        )


def test_svd_of_a_rank_deficient_matrix_and_pinv():
    a = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 4))  # rank 2
    s, u, v = tf.linalg.svd(a)
    assert np.all(s.numpy()[2:] < 1e-12)
    np.testing.assert_allclose(u.numpy().T @ u.numpy(), np.eye(4), atol=1e-12)
    np.testing.assert_allclose(tf.linalg.pinv(a).numpy(), np.linalg.pinv(a), atol=1e-10)
    b = rng.standard_normal((3, 5)).astype(np.float32)
    np.testing.assert_allclose(tf.linalg.pinv(b).numpy(), np.linalg.pinv(b), atol=1e-5)


def _check(loss, a0):
    x = tf.constant(a0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = loss(x)
    want = numeric_gradient(lambda v: loss(tf.constant(v)).numpy(), a0)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), want, rtol=1e-6, atol=1e-8)


W5 = rng.standard_normal((5, 5))


@pytest.mark.parametrize(
    "name, loss",
    [
        (
            "eigenvalues",
            lambda x: tf.reduce_sum(tf.linalg.eigvalsh(x) * tf.constant([1.0, -2.0, 0.5, 3.0, 1.5], tf.float64)),
        ),
        ("eigenvectors_squared", lambda x: tf.reduce_sum(tf.linalg.eigh(x)[1] ** 2 * W5)),
        (
            "eigen_both",
            lambda x: tf.reduce_sum(tf.linalg.eigh(x)[0] ** 2) + tf.reduce_sum(tf.abs(tf.linalg.eigh(x)[1][:, 0])),
        ),
    ],
)
def test_eigh_gradients_match_finite_differences(name, loss):
    # A symmetric input whose lower triangle is perturbed: the gradient lives on the lower triangle.
    _check(loss, np.tril(symmetric(5, 5)))


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4)])
def test_svd_gradients_match_finite_differences(shape):
    a0 = rng.standard_normal(shape)
    k = min(shape)
    wu, wv = rng.standard_normal((shape[0], k)), rng.standard_normal((shape[1], k))
    _check(lambda x: tf.reduce_sum(tf.linalg.svd(x, compute_uv=False) * tf.constant(np.arange(1.0, k + 1))), a0)
    _check(lambda x: tf.reduce_sum(tf.linalg.svd(x)[1] ** 2 * wu) + tf.reduce_sum(tf.linalg.svd(x)[2] ** 2 * wv), a0)
    _check(lambda x: tf.reduce_sum(tf.linalg.pinv(x) ** 2), a0)


def test_nuclear_norm_gradient_in_a_traced_function():
    a0 = rng.standard_normal((4, 3))

    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.linalg.svd(x, compute_uv=False))
        return tape.gradient(y, x)

    u, _, vt = np.linalg.svd(a0, full_matrices=False)
    np.testing.assert_allclose(grad(tf.constant(a0)).numpy(), u @ vt, atol=1e-10)  # d ||A||_* = U V^T


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tf.linalg.eigh(tf.ones([2, 3])), ValueError, "square"),
        (lambda: tf.linalg.eigh(tf.ones([3])), ValueError, "rank >= 2"),
        (lambda: tf.linalg.svd(tf.constant([[1, 2], [3, 4]])), TypeError, "float32 or float64 tensor, received int32"),
        (lambda: tf.linalg.svd(tf.ones([3, 2]), full_matrices=True), NotImplementedError, "full_matrices"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()
