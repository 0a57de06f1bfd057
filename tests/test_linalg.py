"""``tf.linalg`` against NumPy: values in float32 and float64 (batched), gradients against finite differences
in float64 (including through pivoting), and bad input."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

rng = np.random.default_rng(7)


def general(*shape):
    """Random matrices; square ones are kept well conditioned (finite differences need that)."""

    def make():
        a = rng.standard_normal(shape)
        return a + 3 * np.eye(shape[-1]) if len(shape) >= 2 and shape[-1] == shape[-2] else a

    return make


def pivoted(*shape):
    """Well-conditioned square matrices with their rows reversed, so elimination must swap rows."""
    return lambda: general(*shape)()[..., ::-1, :].copy()


def spd(*shape):
    def make():
        a = rng.standard_normal(shape)
        return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])

    return make


def lower(*shape):
    def make():
        return np.tril(rng.standard_normal(shape)) + 3 * np.eye(shape[-1])

    return make


def np_cholesky_solve(l_, b):
    return np.linalg.solve(l_ @ np.swapaxes(l_, -1, -2), b)


# (name, ferroflow fn, numpy reference, input builders)
TABLE = [
    ("det", tf.linalg.det, np.linalg.det, [general(4, 4)]),
    ("det_pivoted", tf.linalg.det, np.linalg.det, [pivoted(4, 4)]),
    ("inv_pivoted", tf.linalg.inv, np.linalg.inv, [pivoted(2, 5, 5)]),
    ("det_batched", tf.linalg.det, np.linalg.det, [general(3, 5, 5)]),
    ("slogdet_logabs", lambda a: tf.linalg.slogdet(a)[1], lambda a: np.linalg.slogdet(a)[1], [general(2, 4, 4)]),
    ("inv", tf.linalg.inv, np.linalg.inv, [general(4, 4)]),
    ("inv_batched", tf.linalg.inv, np.linalg.inv, [general(2, 3, 3)]),
    ("solve", tf.linalg.solve, np.linalg.solve, [general(5, 5), general(5, 2)]),
    (
        "solve_adjoint",
        lambda a, b: tf.linalg.solve(a, b, adjoint=True),
        lambda a, b: np.linalg.solve(a.T, b),
        [general(4, 4), general(4, 3)],
    ),
    ("cholesky", tf.linalg.cholesky, np.linalg.cholesky, [spd(5, 5)]),
    ("cholesky_batched", tf.linalg.cholesky, np.linalg.cholesky, [spd(2, 4, 4)]),
    ("triangular_solve", tf.linalg.triangular_solve, np.linalg.solve, [lower(4, 4), general(4, 2)]),
    (
        "triangular_solve_upper",
        lambda a, b: tf.linalg.triangular_solve(a, b, lower=False),
        lambda a, b: np.linalg.solve(np.triu(a), b),
        [lambda: lower(4, 4)().T, general(4, 2)],
    ),
    ("cholesky_solve", tf.linalg.cholesky_solve, np_cholesky_solve, [lower(4, 4), general(4, 3)]),
    ("logdet", tf.linalg.logdet, lambda a: np.linalg.slogdet(a)[1], [spd(4, 4)]),
    ("trace", tf.linalg.trace, lambda a: np.trace(a, axis1=-2, axis2=-1), [general(3, 4, 4)]),
    ("diag_part", tf.linalg.diag_part, lambda a: np.diagonal(a, axis1=-2, axis2=-1), [general(2, 3, 5)]),
    ("diag", tf.linalg.diag, lambda d: np.einsum("...i,ij->...ij", d, np.eye(d.shape[-1])), [general(2, 4)]),
    (
        "set_diag",
        lambda a, d: tf.linalg.set_diag(a, d),
        lambda a, d: a - np.eye(3) * a + np.eye(3) * d[..., None],
        [general(3, 3), general(3)],
    ),
    ("band_part", lambda a: tf.linalg.band_part(a, 1, 0), lambda a: np.tril(np.triu(a, -1)), [general(4, 4)]),
    ("matvec", tf.linalg.matvec, lambda a, b: a @ b, [general(3, 4), general(4)]),
    ("qr_q", lambda a: tf.linalg.qr(a)[0], lambda a: np.linalg.qr(a)[0], [general(5, 3)]),
    ("qr_r", lambda a: tf.linalg.qr(a)[1], lambda a: np.linalg.qr(a)[1], [general(2, 4, 4)]),
    ("qr_wide", lambda a: tf.linalg.qr(a)[1], lambda a: np.linalg.qr(a)[1], [general(3, 5)]),
    ("lstsq", tf.linalg.lstsq, lambda a, b: np.linalg.lstsq(a, b, rcond=None)[0], [general(6, 3), general(6, 2)]),
    (
        "lstsq_qr",
        lambda a, b: tf.linalg.lstsq(a, b, fast=False),
        lambda a, b: np.linalg.lstsq(a, b, rcond=None)[0],
        [general(6, 3), general(6, 2)],
    ),
    ("matrix_transpose", tf.linalg.matrix_transpose, lambda a: np.swapaxes(a, -1, -2), [general(2, 3, 4)]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_values_match_numpy(row, dtype):
    _, fn, ref, builders = row
    inputs = [b() for b in builders]
    want = ref(*inputs)
    got = fn(*[tf.constant(x.astype(dtype)) for x in inputs])
    tol = 2e-4 if dtype == np.float32 else 1e-9
    np.testing.assert_allclose(got.numpy(), want, rtol=tol, atol=tol)
    traced = tf.function(fn)(*[tf.constant(x.astype(dtype)) for x in inputs])
    np.testing.assert_allclose(traced.numpy(), want, rtol=tol, atol=tol)


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_gradients_match_finite_differences(row):
    _, fn, _, builders = row
    inputs = [b() for b in builders]
    for k in range(len(inputs)):
        check_gradient(fn, *inputs, wrt=k, rtol=1e-5, atol=1e-6)


def test_pivoting_handles_a_zero_leading_entry_and_the_sign_of_swaps():
    a = np.array([[0.0, 2.0, 1.0], [1.0, 0.0, 0.0], [3.0, 1.0, 4.0]])
    np.testing.assert_allclose(tf.linalg.det(a).numpy(), np.linalg.det(a), rtol=1e-12)
    np.testing.assert_allclose(tf.linalg.inv(a).numpy(), np.linalg.inv(a), rtol=1e-12, atol=1e-12)
    sign, _ = tf.linalg.slogdet(a)
    assert float(sign) == np.sign(np.linalg.det(a))


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.linalg.det(np.ones((2, 3))), ValueError, "square"),
        (lambda: tf.linalg.inv(np.eye(3, dtype=np.int32)), TypeError, "float32 or float64"),
        (lambda: tf.linalg.solve(np.eye(3), np.ones((4, 1))), ValueError, "3 rows"),
    ],
)
def test_bad_input_raises(call, error, message):
    with pytest.raises(error, match=message):
        call()
