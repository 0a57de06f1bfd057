"""keras.ops's linear algebra (cholesky, det, eig, lstsq, lu_factor, qr, svd, ...): values against NumPy and
against what Keras 3.15 (TensorFlow backend) gives for the same calls, shapes, dtypes and errors."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from gradcheck import numeric_gradient

ops = keras.ops
DTYPES = ["float32", "float64"]
SHAPES = [(), (2,), (2, 3)]  # leading batch dimensions


def tol(dtype):
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == "float32" else {"rtol": 1e-9, "atol": 1e-9}


def spd(batch, n, dtype, seed=0):
    a = np.random.default_rng(seed).normal(size=batch + (n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(dtype)


def general(batch, n, dtype, seed=1):
    return (np.random.default_rng(seed).normal(size=batch + (n, n)) + 2 * np.eye(n)).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", SHAPES)
def test_cholesky_and_inverse(dtype, batch):
    a = spd(batch, 4, dtype)
    low = ops.cholesky(a)
    assert low.dtype.name == dtype and low.shape == a.shape
    np.testing.assert_allclose(low.numpy(), np.linalg.cholesky(a), **tol(dtype))
    up = ops.cholesky(a, upper=True).numpy()
    np.testing.assert_allclose(up, np.swapaxes(np.linalg.cholesky(a), -1, -2), **tol(dtype))
    np.testing.assert_allclose(ops.cholesky_inverse(low).numpy(), np.linalg.inv(a), **tol(dtype))
    np.testing.assert_allclose(ops.cholesky_inverse(up, upper=True).numpy(), np.linalg.inv(a), **tol(dtype))


def test_cholesky_recorded_and_errors():
    out = ops.cholesky(np.array([[4.0, 2.0], [2.0, 3.0]], "float32"), upper=True)
    np.testing.assert_allclose(out.numpy(), [[2.0, 1.0], [0.0, 1.4142135]], rtol=1e-6)
    expected = [[0.2777778, -0.05555556], [-0.05555556, 0.11111112]]
    chol_inv = ops.cholesky_inverse(np.array([[2.0, 0.0], [1.0, 3.0]], "float32"))
    np.testing.assert_allclose(chol_inv.numpy(), expected, rtol=1e-6)
    chol_inv = ops.cholesky_inverse(np.array([[2.0, 1.0], [0.0, 3.0]], "float32"), upper=True)
    np.testing.assert_allclose(chol_inv.numpy(), expected, rtol=1e-6)
    with pytest.raises(ValueError, match="Cholesky decomposition failed"):
        ops.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]], "float32"))
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.cholesky(np.ones(3, "float32"))
    with pytest.raises(ValueError, match="Expected a square matrix"):
        ops.cholesky(np.ones((2, 3), "float32"))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", SHAPES)
def test_det_inv_slogdet_logdet(dtype, batch):
    a = general(batch, 4, dtype)
    np.testing.assert_allclose(ops.det(a).numpy(), np.linalg.det(a), **tol(dtype))
    np.testing.assert_allclose(ops.inv(a).numpy(), np.linalg.inv(a), **tol(dtype))
    sign, logabs = ops.slogdet(a)
    want_sign, want_logabs = np.linalg.slogdet(a)
    assert sign.dtype.name == dtype and logabs.shape == batch
    np.testing.assert_array_equal(sign.numpy(), want_sign)
    np.testing.assert_allclose(logabs.numpy(), want_logabs, **tol(dtype))
    p = spd(batch, 3, dtype)
    np.testing.assert_allclose(ops.logdet(p).numpy(), np.linalg.slogdet(p)[1], **tol(dtype))


def test_determinants_recorded():
    np.testing.assert_allclose(ops.logdet(np.array([[4.0, 2.0], [2.0, 3.0]], "float32")).numpy(), 2.0794415)
    sign, logabs = ops.slogdet(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"))
    assert float(sign) == -1.0 and np.isclose(float(logabs), 0.6931472)
    # Singular matrices: det 0 and (0, -inf), not NaN, also when a whole column is zero.
    for a in (np.zeros((3, 3), "float32"), np.array([[1.0, 2.0], [2.0, 4.0]], "float32")):
        assert float(ops.det(a)) == 0.0
        sign, logabs = ops.slogdet(a)
        assert float(sign) == 0.0 and float(logabs) == -np.inf
    np.testing.assert_allclose(ops.inv([[1.0, 2.0], [3.0, 4.0]]).numpy(), [[-2.0, 1.0], [1.5, -0.5]], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input is not invertible"):
        ops.inv(np.array([[1.0, 2.0], [2.0, 4.0]], "float32"))
    with pytest.raises(ValueError, match="Expected a square matrix"):
        ops.det(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="Expected input to have rank >= 2"):
        ops.inv(np.ones(3, "float32"))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", SHAPES)
def test_solve_and_solve_triangular(dtype, batch):
    a = general(batch, 4, dtype)
    b = np.random.default_rng(5).normal(size=batch + (4, 2)).astype(dtype)
    np.testing.assert_allclose(ops.solve(a, b).numpy(), np.linalg.solve(a, b), **tol(dtype))
    vec = ops.solve(a, b[..., 0])
    assert vec.shape == batch + (4,)
    np.testing.assert_allclose(vec.numpy(), np.linalg.solve(a, b)[..., 0], **tol(dtype))
    up = ops.solve_triangular(a, b)
    np.testing.assert_allclose(up.numpy(), np.linalg.solve(np.triu(a), b), **tol(dtype))
    low = ops.solve_triangular(a, b[..., 1], lower=True)
    np.testing.assert_allclose(low.numpy(), np.linalg.solve(np.tril(a), b)[..., 1], **tol(dtype))


def test_solve_recorded_and_errors():
    a = np.array([[3.0, 1.0], [1.0, 2.0]], "float32")
    np.testing.assert_allclose(ops.solve(a, np.array([9.0, 8.0], "float32")).numpy(), [2.0, 3.0], rtol=1e-6)
    out = ops.solve(a, np.array([[9.0, 1.0], [8.0, 2.0]], "float32"))
    np.testing.assert_allclose(out.numpy(), [[2.0, 0.0], [3.0, 1.0]], rtol=1e-6, atol=1e-6)
    t = np.array([[3.0, 1.0], [5.0, 2.0]], "float32")
    rhs = np.array([9.0, 8.0], "float32")
    np.testing.assert_allclose(ops.solve_triangular(t, rhs).numpy(), [1.6666667, 4.0], rtol=1e-6)
    np.testing.assert_allclose(ops.solve_triangular(t, rhs, lower=True).numpy(), [3.0, -3.5], rtol=1e-6)
    with pytest.raises(ValueError, match=r"Expected `a.shape\[-2\] == b.shape\[-2\]`"):
        ops.solve(a, np.ones((3, 1), "float32"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input matrix and rhs are incompatible"):
        ops.solve(a, np.ones(3, "float32"))
    with pytest.raises(ValueError, match="Received scalar input"):
        ops.solve(a, np.float32(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input matrix is not invertible"):
        ops.solve(np.array([[1.0, 2.0], [2.0, 4.0]], "float32"), rhs)
    with pytest.raises(ValueError, match="Expected a square matrix"):
        ops.solve_triangular(np.ones((2, 3), "float32"), np.ones(2, "float32"))


def test_lu_factor_recorded():
    lu, piv = ops.lu_factor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]], "float32"))
    want = [[7.0, 8.0, 10.0], [0.14285715, 0.8571428, 1.5714285], [0.5714286, 0.4999998, -0.49999982]]
    np.testing.assert_allclose(lu.numpy(), want, rtol=1e-5, atol=1e-6)
    assert piv.dtype.name == "int32" and piv.numpy().tolist() == [1, 2, 0]
    lu, piv = ops.lu_factor(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], "float32"))
    np.testing.assert_array_equal(lu.numpy(), np.eye(3))
    assert piv.numpy().tolist() == [1, 2, 0]
    with pytest.raises(ValueError, match="LU decomposition is only supported for square matrices"):
        ops.lu_factor(np.ones((2, 3), "float32"))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", SHAPES)
def test_lu_factor_reconstructs(dtype, batch):
    a = general(batch, 4, dtype, seed=3)
    lu, piv = ops.lu_factor(a)
    lu, piv = lu.numpy(), piv.numpy()
    low = np.tril(lu, -1) + np.eye(4)
    up = np.triu(lu)
    # The pivots put the rows of L @ U back in the input's order.
    np.testing.assert_allclose(np.take_along_axis(low @ up, piv[..., None], axis=-2), a, **tol(dtype))
    assert np.all(np.abs(np.tril(lu, -1)) <= 1 + 1e-6)  # partial pivoting: multipliers at most 1


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch", SHAPES)
def test_eigh_and_eig(dtype, batch):
    a = spd(batch, 4, dtype, seed=7)
    w, v = ops.eigh(a)
    assert w.dtype.name == dtype and w.shape == batch + (4,) and v.shape == a.shape
    np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(a), **tol(dtype))
    np.testing.assert_allclose(a @ v.numpy(), v.numpy() * w.numpy()[..., None, :], **tol(dtype))
    np.testing.assert_allclose(
        np.swapaxes(v.numpy(), -1, -2) @ v.numpy(), np.broadcast_to(np.eye(4), a.shape), **tol(dtype)
    )
    g = general(batch, 4, dtype, seed=8)
    w, v = ops.eig(g)
    assert w.dtype.name == ("complex64" if dtype == "float32" else "complex128") and v.dtype == w.dtype
    w, v = w.numpy(), v.numpy()
    np.testing.assert_allclose(g @ v, v * w[..., None, :], **tol(dtype))
    np.testing.assert_allclose(np.linalg.norm(v, axis=-2), 1.0, **tol(dtype))
    np.testing.assert_allclose(
        np.sort_complex(w.reshape(-1, 4)), np.sort_complex(np.linalg.eigvals(g).reshape(-1, 4)), **tol(dtype)
    )


def test_eig_recorded():
    w, v = ops.eig(np.array([[0.0, -1.0], [1.0, 0.0]], "float32"))
    np.testing.assert_allclose(w.numpy(), [1j, -1j], atol=1e-6)
    w, _ = ops.eig(np.array([[1.0, 2.0, 3.0], [0.0, 4.0, 5.0], [0.0, 0.0, 6.0]]))
    assert w.dtype.name == "complex128"
    np.testing.assert_allclose(np.sort(w.numpy().real), [1.0, 4.0, 6.0])
    w, _ = ops.eigh(np.array([[2.0, 1.0], [1.0, 3.0]], "float32"))
    np.testing.assert_allclose(w.numpy(), [1.3819659, 3.6180334], rtol=1e-6)
    with pytest.raises(ValueError, match="Expected a square matrix"):
        ops.eigh(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="Expected a square matrix"):
        ops.eig(np.ones((2, 3), "float32"))


EIG_A = np.array([[2.0, 1.0, 0.5], [0.3, 3.0, 1.0], [0.2, -0.4, 1.0]])


def eig_loss(x):
    # Functions of w and of |v| (each eigenvector's phase is free), as recorded from Keras 3.15 + TF 2.21.
    w, v = ops.eig(x)
    weights = np.arange(9.0).reshape(3, 3).astype(x.dtype.name)
    return (
        tf.reduce_sum(tf.math.real(w) * np.array([1.0, 2.0, 3.0], x.dtype.name))
        + tf.reduce_sum(tf.math.abs(v) ** 2 * weights)
        + tf.reduce_sum(tf.math.imag(w) ** 2)
    )


EIG_GRAD = [[-3.238661, 0.388375, -0.810157], [5.926964, -1.225655, 2.5351], [9.89883, -8.856548, 10.464315]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_eig_gradient_recorded(dtype):
    x = tf.constant(EIG_A.astype(dtype))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = eig_loss(x)
    np.testing.assert_allclose(float(y), 22.902477914318723, rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), EIG_GRAD, rtol=1e-5, atol=1e-5)

    @tf.function
    def graph_gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = eig_loss(x)
        return tape.gradient(y, x)

    np.testing.assert_allclose(graph_gradient(x).numpy(), EIG_GRAD, rtol=1e-5, atol=1e-5)


def test_eig_gradient_complex_eigenvalues_finite_differences():
    a = np.array([[0.0, -2.0], [1.0, 0.5]])  # eigenvalues 0.25 +- 1.39i

    def loss(x):
        w, v = ops.eig(x)
        return tf.reduce_sum(tf.math.imag(w) * np.array([1.0, -2.0])) + tf.reduce_sum(
            tf.math.abs(v[0]) * np.array([1.0, 3.0])
        )

    x = tf.constant(a)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = loss(x)
    grad = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(grad, [[0.269408, -1.349797], [1.610933, -0.269408]], atol=1e-6)  # TF 2.21
    numeric = numeric_gradient(lambda v: float(loss(tf.constant(v))), a)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)
