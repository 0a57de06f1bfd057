"""More tf.math (accumulate_n, real/imag/conj/angle, nextafter, modified Bessel functions) and tf.linalg (cross,
normalize, matrix_rank, tensor_diag, tridiagonal and banded systems, expm, the LU family): TensorFlow 2.21
outputs (pasted), NumPy references, float64 finite differences, tf.function, errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RNG = np.random.default_rng(2)


def _bessel_integral(x, order):
    """I_order(x) e^-|x| = (1/pi) int_0^pi exp(x cos t - |x|) cos(order t) dt, by the trapezoid rule (spectrally
    accurate for this periodic integrand)."""
    t = np.linspace(0.0, np.pi, 4001)
    vals = np.exp(np.outer(x, np.cos(t)) - np.abs(x)[:, None]) * np.cos(order * t)
    return (vals[:, 1:-1].sum(1) + 0.5 * (vals[:, 0] + vals[:, -1])) * (t[1] - t[0]) / np.pi


def test_bessel_functions():
    x = [-1.0, 0.0, 0.5, 10.0, 30.0]
    # TensorFlow 2.21 (float32)
    np.testing.assert_allclose(
        tf.math.bessel_i0(x).numpy(), [1.266066, 1.0, 1.0634835, 2815.7166, 7.8167219e11], rtol=2e-6
    )
    np.testing.assert_allclose(
        tf.math.bessel_i1(x).numpy(), [-0.56515908, 0.0, 0.25789434, 2670.9883, 7.6853196e11], rtol=2e-6
    )
    np.testing.assert_allclose(tf.math.bessel_i1e(x + [1000.0]).numpy()[-1], 0.012610932, rtol=2e-6)
    xs = np.concatenate([np.linspace(-60, 60, 601), [19.999, 20.0, 20.001, 700.0]])
    np.testing.assert_allclose(tf.math.bessel_i0e(xs).numpy(), np.exp(-np.abs(xs)) * np.i0(xs), rtol=1e-13)
    np.testing.assert_allclose(tf.math.bessel_i0e(xs[:-1]).numpy(), _bessel_integral(xs[:-1], 0), rtol=1e-12)
    np.testing.assert_allclose(
        tf.math.bessel_i1e(xs[:-1]).numpy(), _bessel_integral(xs[:-1], 1), rtol=1e-12, atol=1e-15
    )
    assert tf.math.bessel_i0e(np.float32(3.0)).dtype == tf.float32
    small = np.array([-25.0, -3.0, 0.3, 2.0, 19.5, 20.5, 40.0])
    for fn in (tf.math.bessel_i0e, tf.math.bessel_i1e):
        check_gradient(fn, small, rtol=1e-6)
    for fn in (tf.math.bessel_i0, tf.math.bessel_i1):
        check_gradient(fn, small[1:4], rtol=1e-6)
    # far out, finite differences lose digits: the derivative identity I0' = I1 instead
    t = tf.constant(np.linspace(-45.0, 45.0, 19))
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.math.bessel_i0(t)
    np.testing.assert_allclose(tape.gradient(y, t).numpy(), tf.math.bessel_i1(t).numpy(), rtol=1e-12)
    f = tf.function(tf.math.bessel_i1)
    np.testing.assert_allclose(f(small).numpy(), tf.math.bessel_i1(small).numpy(), rtol=1e-15)
    with pytest.raises(TypeError, match="float32 or float64"):
        tf.math.bessel_i0([1, 2])


def test_complex_accessors_on_real_tensors_and_small_math():
    np.testing.assert_array_equal(tf.math.angle([-1.0, 0.0, 2.0, -0.0]).numpy(), np.float32([np.pi, 0, 0, 0]))
    np.testing.assert_array_equal(tf.math.real([-1.0, 2.0]).numpy(), [-1.0, 2.0])
    np.testing.assert_array_equal(tf.math.imag([-1.0, 2.0]).numpy(), [0.0, 0.0])
    conj = tf.math.conj([-1, 2])
    assert conj.dtype == tf.int32 and conj.numpy().tolist() == [-1, 2]
    after = tf.math.nextafter([1.0, 2.0], [2.0, 0.0]).numpy()
    np.testing.assert_array_equal(after, np.nextafter(np.float32([1, 2]), np.float32([2, 0])))
    np.testing.assert_array_equal(tf.math.accumulate_n([[1.0, 2.0], [3.0, 4.0]]).numpy(), [4.0, 6.0])
    with pytest.raises(ValueError, match="same dtype and shape"):
        tf.math.accumulate_n([[1.0, 2.0], [3.0]])
    # A list takes the tensor's dtype (TensorFlow 2.21: float64 1 + 2**-52); two tensors must agree.
    after = tf.math.nextafter([1.0], tf.constant([2.0], tf.float64))
    assert after.dtype == tf.float64 and after.numpy().tolist() == [1.0 + 2.0**-52]
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a float tensor but is a double"):
        tf.math.nextafter(tf.constant([1.0]), tf.constant([2.0], tf.float64))


def test_cross_normalize_rank_and_tensor_diag():
    np.testing.assert_array_equal(tf.linalg.cross([[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]).numpy(), [[-3.0, 6.0, -3.0]])
    a, b = RNG.standard_normal((32, 3)), RNG.standard_normal((32, 3))
    np.testing.assert_allclose(tf.function(tf.linalg.cross)(a, b).numpy(), np.cross(a, b), rtol=1e-12)
    check_gradient(tf.linalg.cross, a[:2], b[:2], wrt=0)
    unit, norm = tf.linalg.normalize([[3.0, 4.0], [1.0, 0.0]], axis=1)
    np.testing.assert_allclose(unit.numpy(), [[0.6, 0.8], [1.0, 0.0]])
    np.testing.assert_allclose(norm.numpy(), [[5.0], [1.0]])
    _, norm = tf.linalg.normalize([[3.0, 4.0], [1.0, 0.0]])
    np.testing.assert_allclose(norm.numpy(), [[5.0990195]], rtol=1e-6)  # TensorFlow 2.21
    _, norm = tf.linalg.normalize([[3.0, -4.0], [1.0, 0.0]], ord=1, axis=-1)
    np.testing.assert_allclose(norm.numpy(), [[7.0], [1.0]])
    np.testing.assert_allclose(tf.linalg.l2_normalize([3.0, 4.0]).numpy(), [0.6, 0.8], rtol=1e-6)
    rank = tf.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]])
    assert rank.dtype == tf.int32 and int(rank) == 1
    np.testing.assert_array_equal(tf.linalg.matrix_rank(tf.eye(3, batch_shape=[2])).numpy(), [3, 3])
    low = RNG.standard_normal((6, 2)) @ RNG.standard_normal((2, 5))
    assert int(tf.linalg.matrix_rank(low)) == 2 and int(tf.linalg.matrix_rank(low, tol=1e3)) == 0
    d = RNG.standard_normal((2, 3))
    full = tf.linalg.tensor_diag(d).numpy()
    assert full.shape == (2, 3, 2, 3)
    np.testing.assert_array_equal(full, np.diag(d.reshape(-1)).reshape(2, 3, 2, 3))
    np.testing.assert_array_equal(tf.linalg.tensor_diag_part(full).numpy(), d)
    with pytest.raises(ValueError, match="s \\+ s"):
        tf.linalg.tensor_diag_part(np.zeros((2, 3, 3, 2)))


DIAGONALS = np.array([[1.0, 2.0, 3.0, 0.0], [4.0, 5.0, 6.0, 7.0], [0.0, 8.0, 9.0, 10.0]])


def _tridiagonal(d):
    return np.diag(d[1]) + np.diag(d[0, :-1], 1) + np.diag(d[2, 1:], -1)


def test_tridiagonal_systems():
    rhs = np.array([[1.0], [2.0], [3.0], [4.0]])
    np.testing.assert_array_equal(tf.linalg.tridiagonal_matmul(DIAGONALS, rhs).numpy().ravel(), [6, 24, 48, 58])
    want = [0.2, 0.2, -0.3, 1.0]  # TensorFlow 2.21
    np.testing.assert_allclose(tf.linalg.tridiagonal_solve(DIAGONALS, rhs).numpy().ravel(), want, atol=1e-12)
    np.testing.assert_allclose(tf.linalg.tridiagonal_solve(DIAGONALS, rhs.ravel()).numpy(), want, atol=1e-12)
    seq = tf.linalg.tridiagonal_solve(tuple(DIAGONALS), rhs, diagonals_format="sequence")
    np.testing.assert_allclose(seq.numpy().ravel(), want, atol=1e-12)
    transposed = tf.linalg.tridiagonal_solve(DIAGONALS, rhs.T, transpose_rhs=True)
    np.testing.assert_allclose(transposed.numpy().ravel(), want, atol=1e-12)
    matrix = tf.linalg.tridiagonal_solve(_tridiagonal(DIAGONALS), rhs, diagonals_format="matrix")
    np.testing.assert_allclose(matrix.numpy().ravel(), want, atol=1e-12)
    batch = RNG.standard_normal((8, 3, 6)) + np.array([0.0, 5.0, 0.0])[:, None]
    b = RNG.standard_normal((8, 6, 2))
    got = tf.function(tf.linalg.tridiagonal_solve)(batch, b).numpy()
    np.testing.assert_allclose(got, np.linalg.solve(np.stack([_tridiagonal(m) for m in batch]), b), rtol=1e-10)
    check_gradient(tf.linalg.tridiagonal_solve, batch[0], b[0], wrt=0)
    check_gradient(tf.linalg.tridiagonal_solve, batch[0], b[0], wrt=1)
    with pytest.raises(ValueError, match="diagonals_format"):
        tf.linalg.tridiagonal_solve(DIAGONALS, rhs, diagonals_format="banded")


def test_banded_triangular_solve():
    rhs = np.array([[1.0], [2.0], [3.0], [4.0]])
    bands = np.array([[2.0, 3.0, 4.0, 5.0], [1.0, 1.0, 1.0, 1.0]])
    # TensorFlow 2.21
    np.testing.assert_allclose(tf.linalg.banded_triangular_solve(bands, rhs).numpy().ravel(), [0.5, 0.5, 0.625, 0.675])
    upper = tf.linalg.banded_triangular_solve(bands[::-1], rhs, lower=False).numpy().ravel()
    np.testing.assert_allclose(upper, [0.25833333, 0.48333333, 0.55, 0.8], rtol=1e-7)
    adjoint = tf.linalg.banded_triangular_solve(bands, rhs, adjoint=True).numpy().ravel()
    np.testing.assert_allclose(adjoint, [0.25833333, 0.48333333, 0.55, 0.8], rtol=1e-7)
    # three bands of distinct values against the dense matrix built by TensorFlow's documented layout
    m = RNG.standard_normal((3, 7)) + np.array([4.0, 0.0, 0.0])[:, None]
    lower = np.diag(m[0]) + np.diag(m[1, 1:], -1) + np.diag(m[2, 2:], -2)
    b = RNG.standard_normal((7, 2))
    np.testing.assert_allclose(tf.linalg.banded_triangular_solve(m, b).numpy(), np.linalg.solve(lower, b), rtol=1e-10)
    up_bands = np.stack([m[2], m[1], m[0]])
    upper = np.diag(m[0]) + np.diag(m[1, :-1], 1) + np.diag(m[2, :-2], 2)
    got = tf.linalg.banded_triangular_solve(up_bands, b, lower=False).numpy()
    np.testing.assert_allclose(got, np.linalg.solve(upper, b), rtol=1e-10)
    check_gradient(lambda x, y: tf.linalg.banded_triangular_solve(x, y), m, b, wrt=0)


def _expm_reference(a):
    w, v = np.linalg.eig(a)
    return (v @ np.diag(np.exp(w)) @ np.linalg.inv(v)).real


def test_expm():
    got = tf.linalg.expm([[0.0, 1.0], [-1.0, 0.0]]).numpy()
    np.testing.assert_allclose(got, [[np.cos(1), np.sin(1)], [-np.sin(1), np.cos(1)]], rtol=1e-6)
    big = tf.linalg.expm(tf.constant([[1.0, 20.0], [-3.0, 2.0]], tf.float64)).numpy()
    # TensorFlow 2.21
    np.testing.assert_allclose(
        big, [[0.2673945111203886, 11.50657705295055], [-1.7259865579425822, 0.8427233637679166]], rtol=1e-12
    )
    batch = RNG.standard_normal((4, 5, 5)) * np.array([0.01, 1.0, 5.0, 30.0])[:, None, None]
    got = tf.function(tf.linalg.expm)(batch).numpy()
    for g, a in zip(got, batch):
        np.testing.assert_allclose(g, _expm_reference(a), rtol=1e-8, atol=1e-10 * np.abs(g).max())
    check_gradient(tf.linalg.expm, batch[1, :3, :3], rtol=1e-6)
    np.testing.assert_allclose(tf.linalg.expm(np.zeros((3, 3))).numpy(), np.eye(3))


def test_lu_family():
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]], np.float32)
    lu, p = tf.linalg.lu(a)
    # TensorFlow 2.21
    np.testing.assert_allclose(
        lu.numpy(), [[7.0, 8.0, 10.0], [0.14285715, 0.8571428, 1.5714285], [0.5714286, 0.5, -0.5]], rtol=1e-5, atol=1e-6
    )
    assert p.dtype == tf.int32 and p.numpy().tolist() == [2, 0, 1]
    assert tf.linalg.lu(a, output_idx_type=tf.int64).p.dtype == tf.int64
    np.testing.assert_allclose(tf.linalg.lu_reconstruct(lu, p).numpy(), a, rtol=1e-6)
    x = tf.linalg.lu_solve(lu, p, [[1.0], [2.0], [3.0]]).numpy().ravel()
    np.testing.assert_allclose(x, [-1 / 3, 2 / 3, 0.0], atol=1e-6)
    np.testing.assert_allclose(tf.linalg.lu_matrix_inverse(lu, p).numpy(), np.linalg.inv(a), rtol=1e-5, atol=1e-5)
    batch = RNG.standard_normal((16, 6, 6))
    lu, p = tf.function(tf.linalg.lu)(batch)
    low = np.tril(lu.numpy(), -1) + np.eye(6)
    up = np.triu(lu.numpy())
    np.testing.assert_allclose(
        low @ up, np.take_along_axis(batch, p.numpy()[..., None], axis=1), rtol=1e-10, atol=1e-12
    )
    assert np.all(np.abs(np.tril(lu.numpy(), -1)) <= 1 + 1e-12)  # partial pivoting bounds the multipliers
    np.testing.assert_allclose(tf.linalg.lu_reconstruct(lu, p).numpy(), batch, rtol=1e-10, atol=1e-12)
    rhs = RNG.standard_normal((16, 6, 2))
    np.testing.assert_allclose(tf.linalg.lu_solve(lu, p, rhs).numpy(), np.linalg.solve(batch, rhs), rtol=1e-8)
    check_gradient(lambda m: tf.linalg.lu(m).lu, batch[0, :4, :4])
    with pytest.raises(ValueError, match="square"):
        tf.linalg.lu(np.zeros((2, 3)))
