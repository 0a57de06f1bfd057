"""keras.ops's qr, svd, lstsq, matrix_rank and pinv against NumPy and Keras 3.15's TensorFlow backend, and the
gradients (finite differences), graphs (tf.function) and functional models of the linear-algebra functions."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from gradcheck import numeric_gradient

ops = keras.ops
DTYPES = ["float32", "float64"]


def tol(dtype):
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == "float32" else {"rtol": 1e-9, "atol": 1e-9}


def rand(shape, dtype, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5), (2, 4, 3), (2, 2, 3, 4)])
def test_qr(dtype, shape):
    x = rand(shape, dtype)
    m, n = shape[-2:]
    k = min(m, n)
    for mode, cols in (("reduced", k), ("complete", m)):
        q, r = ops.qr(x, mode=mode)
        assert q.shape == shape[:-2] + (m, cols) and r.shape == shape[:-2] + (cols, n)
        q, r = q.numpy(), r.numpy()
        np.testing.assert_allclose(q @ r, x, **tol(dtype))
        np.testing.assert_allclose(
            np.swapaxes(q, -1, -2) @ q, np.broadcast_to(np.eye(cols), q.shape[:-2] + (cols, cols)), **tol(dtype)
        )
        np.testing.assert_array_equal(np.tril(r, -1), 0.0)
        # The factors are unique up to the signs of q's columns (and r's rows).
        want_r = np.linalg.qr(x, mode=mode)[1]
        np.testing.assert_allclose(np.abs(r[..., :k, :]), np.abs(want_r[..., :k, :]), **tol(dtype))
    with pytest.raises(ValueError, match="`mode` argument value not supported"):
        ops.qr(x, mode="r")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (3, 5), (2, 4, 2), (2, 2, 3, 4)])
def test_svd(dtype, shape):
    x = rand(shape, dtype, seed=2)
    m, n = shape[-2:]
    k = min(m, n)
    s = ops.svd(x, compute_uv=False)
    assert s.shape == shape[:-2] + (k,) and s.dtype.name == dtype
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(x, compute_uv=False), **tol(dtype))
    for full in (True, False):
        u, s, vh = ops.svd(x, full_matrices=full)
        rows, cols = (m, n) if full else (k, k)
        assert u.shape == shape[:-2] + (m, rows) and vh.shape == shape[:-2] + (cols, n)
        u, s, vh = u.numpy(), s.numpy(), vh.numpy()
        np.testing.assert_allclose((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], x, **tol(dtype))
        eye_u = np.broadcast_to(np.eye(rows), u.shape[:-2] + (rows, rows))
        eye_v = np.broadcast_to(np.eye(cols), vh.shape[:-2] + (cols, cols))
        np.testing.assert_allclose(np.swapaxes(u, -1, -2) @ u, eye_u, **tol(dtype))
        np.testing.assert_allclose(vh @ np.swapaxes(vh, -1, -2), eye_v, **tol(dtype))


def test_svd_recorded():
    shapes = [t.shape for t in ops.svd(np.ones((4, 2), "float32"))]
    assert shapes == [(4, 4), (2,), (2, 2)]
    assert [t.shape for t in ops.svd(np.ones((2, 4), "float32"))] == [(2, 2), (2,), (4, 4)]
    assert [t.shape for t in ops.svd(np.ones((2, 4), "float32"), full_matrices=False)] == [(2, 2), (2,), (2, 4)]
    s = ops.svd(np.array([[3.0, 0.0], [4.0, 5.0]], "float32"), compute_uv=False)
    np.testing.assert_allclose(s.numpy(), [6.7082033, 2.236068], rtol=1e-6)
    u, s, vh = ops.svd(np.zeros((3, 2), "float32"))
    np.testing.assert_array_equal(s.numpy(), [0.0, 0.0])
    np.testing.assert_allclose(u.numpy().T @ u.numpy(), np.eye(3), atol=1e-6)
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.svd(np.ones(3, "float32"))


def test_lstsq_recorded_and_numpy():
    a = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]], "float32")
    b = np.array([1.0, 2.0, 2.0], "float32")
    np.testing.assert_allclose(ops.lstsq(a, b).numpy(), [0.6666666, 0.5], rtol=1e-5)
    np.testing.assert_allclose(ops.lstsq(a, b, rcond=-1).numpy(), [0.6666666, 0.5], rtol=1e-5)
    near = np.array([[1.0, 1.0], [1.0, 1.0001], [1.0, 1.0]], "float32")
    np.testing.assert_allclose(ops.lstsq(near, b, rcond=0.01).numpy(), [0.8333084, 0.8333362], rtol=1e-4)
    out = ops.lstsq(a.astype("float64"), b[:, None].astype("float64"))
    assert out.dtype.name == "float64" and out.shape == (2, 1)
    np.testing.assert_allclose(out.numpy()[:, 0], [2 / 3, 0.5], rtol=1e-12)
    wide = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]], "float32")
    np.testing.assert_allclose(
        ops.lstsq(wide, np.array([1.0, 2.0], "float32")).numpy(), [-0.2285715, 0.14285718, 0.3142857], rtol=1e-5
    )
    for m, n, k in ((6, 3, 2), (3, 5, 4), (4, 4, 1)):
        x, y = rand((m, n), "float64", 3), rand((m, k), "float64", 4)
        np.testing.assert_allclose(ops.lstsq(x, y).numpy(), np.linalg.lstsq(x, y, rcond=None)[0], rtol=1e-9)
    with pytest.raises(ValueError, match="Leading dimensions of input arrays must match"):
        ops.lstsq(np.ones((3, 2), "float32"), np.ones(2, "float32"))
    with pytest.raises(TypeError, match="3-dimensional array given. Array must be two-dimensional"):
        ops.lstsq(np.ones((2, 3, 2), "float32"), np.ones((2, 3), "float32"))
    with pytest.raises(TypeError, match="Array must be one or two-dimensional"):
        ops.lstsq(np.ones((3, 2), "float32"), np.ones((3, 2, 2), "float32"))


def test_matrix_rank_and_pinv():
    rank = ops.matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]], "float32"))
    assert rank.dtype.name == "int32" and int(rank) == 1
    assert int(ops.matrix_rank(np.array([[1.0, 0.0], [0.0, 1e-3]], "float32"), tol=1e-2)) == 1
    stack = np.stack([np.eye(3), np.zeros((3, 3)), np.ones((3, 3))]).astype("float32")
    assert ops.matrix_rank(stack).numpy().tolist() == [3, 0, 1]
    want = [[-1.3333349, -0.33333445, 0.66666776], [1.0833348, 0.33333427, -0.41666764]]
    np.testing.assert_allclose(
        ops.pinv(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")).numpy(), want, rtol=1e-4
    )
    out = ops.pinv(np.array([[1.0, 0.0], [0.0, 1e-3]], "float32"), rcond=1e-2)
    np.testing.assert_allclose(out.numpy(), [[1.0, 0.0], [0.0, 0.0]])
    for dtype in DTYPES:
        x = rand((2, 5, 3), dtype, 6)
        np.testing.assert_allclose(ops.pinv(x).numpy(), np.linalg.pinv(x), **tol(dtype))
        assert ops.pinv(x).shape == (2, 3, 5)


rng = np.random.default_rng(11)
A = rng.normal(size=(3, 3)) + 3 * np.eye(3)
SPD = A @ A.T + np.eye(3)
B = rng.normal(size=(3, 2))
W = rng.normal(size=(3, 3))
TALL = rng.normal(size=(4, 3))
GRADS = {
    "cholesky": (SPD, lambda x: ops.sum(ops.cholesky(x) * W)),
    "cholesky_upper": (SPD, lambda x: ops.sum(ops.cholesky(x, upper=True) * W)),
    "cholesky_inverse": (np.linalg.cholesky(SPD), lambda x: ops.sum(ops.cholesky_inverse(x) * W)),
    "det": (A, lambda x: ops.det(x)),
    "inv": (A, lambda x: ops.sum(ops.inv(x) * W)),
    "slogdet": (A, lambda x: ops.slogdet(x)[1]),
    "logdet": (SPD, lambda x: ops.logdet(x)),
    "solve": (A, lambda x: ops.sum(ops.solve(x, B) * B[:, :1])),
    "solve_triangular": (A, lambda x: ops.sum(ops.solve_triangular(x, B[:, 0], lower=True))),
    "eigh": (SPD, lambda x: ops.sum(ops.eigh((x + ops.transpose(x)) / 2)[0] * np.array([1.0, 2.0, 3.0]))),
    "svd_s": (TALL, lambda x: ops.sum(ops.svd(x, compute_uv=False) * np.array([1.0, 2.0, 3.0]))),
    "lstsq": (TALL, lambda x: ops.sum(ops.lstsq(x, np.arange(4.0)) * np.array([1.0, -1.0, 2.0]))),
    "pinv": (TALL, lambda x: ops.sum(ops.pinv(x) * np.arange(12.0).reshape(3, 4))),
    "qr": (TALL, lambda x: ops.sum(ops.qr(x)[1] * W)),
    # Functions of the singular vectors that their signs do not change; the last column of the full u
    # (4 x 4 of a 4 x 3 input) is the completed one.
    "svd_full_uv": (
        TALL,
        lambda x: (
            ops.sum(ops.svd(x)[0] * ops.svd(x)[0][:1] * np.arange(16.0).reshape(4, 4))
            + ops.sum(ops.svd(x)[2] * ops.svd(x)[2][:, :1] * W)
        ),
    ),
    "lu_factor": (A, lambda x: ops.sum(ops.lu_factor(x)[0] * W)),
}


@pytest.mark.parametrize("name", sorted(GRADS))
def test_gradients_match_finite_differences(name):
    x0, f = GRADS[name]
    x = tf.Variable(x0)
    with tf.GradientTape() as tape:
        y = f(x)
    grad = tape.gradient(y, x).numpy()
    want = numeric_gradient(lambda v: float(f(tf.constant(v))), x0)
    np.testing.assert_allclose(grad, want, rtol=1e-5, atol=1e-6)


def test_in_tf_function_and_functional_model():
    a = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], "float32")

    @tf.function
    def run(x):
        u, s, vh = ops.svd(x)
        w, v = ops.eig(x)
        return ops.det(x), ops.inv(x), ops.cholesky(x), s, ops.lu_factor(x)[1], w, ops.qr(x, mode="complete")[0]

    det, inv, chol, s, piv, w, q = run(tf.constant(a))
    np.testing.assert_allclose(det.numpy(), np.linalg.det(a), rtol=1e-5)
    np.testing.assert_allclose(inv.numpy(), np.linalg.inv(a), rtol=1e-5)
    np.testing.assert_allclose(chol.numpy(), np.linalg.cholesky(a), rtol=1e-5)
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(a, compute_uv=False), rtol=1e-5)
    np.testing.assert_allclose(np.sort(w.numpy().real), np.linalg.eigvalsh(a), rtol=1e-5)
    assert piv.numpy().tolist() == [0, 1, 2] and q.shape == (3, 3)

    inp, rhs = keras.Input((3, 3)), keras.Input((3,))
    u, s, vh = ops.svd(inp)
    model = keras.Model([inp, rhs], [ops.det(inp), ops.inv(inp), ops.solve(inp, rhs), s, ops.eigh(inp)[0]])
    assert [tuple(t.shape) for t in model.outputs] == [(None,), (None, 3, 3), (None, 3), (None, 3), (None, 3)]
    det, inv, sol, s, w = model([np.stack([a, 2 * a]), np.ones((2, 3), "float32")])
    np.testing.assert_allclose(s.numpy()[1], 2 * np.linalg.svd(a, compute_uv=False), rtol=1e-5)
    np.testing.assert_allclose(w.numpy()[0], np.linalg.eigvalsh(a), rtol=1e-5)
    np.testing.assert_allclose(det.numpy(), [np.linalg.det(a), 8 * np.linalg.det(a)], rtol=1e-5)
    np.testing.assert_allclose(inv.numpy()[1], np.linalg.inv(2 * a), rtol=1e-5)
    np.testing.assert_allclose(sol.numpy()[0], np.linalg.solve(a, np.ones(3)), rtol=1e-5)


def test_unknown_batch_dimension_in_graph():
    a = np.stack([np.eye(3) * 2 + 0.1, [[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]]).astype("float32")
    b = np.ones((2, 3), "float32")

    @tf.function(input_signature=[tf.TensorSpec([None, 3, 3], "float32"), tf.TensorSpec([None, 3], "float32")])
    def run(x, y):
        sign, logabs = ops.slogdet(x)
        return (
            ops.det(x),
            ops.inv(x),
            ops.solve(x, y),
            ops.cholesky(x),
            ops.cholesky_inverse(ops.cholesky(x)),
            logabs,
            ops.logdet(x),
            ops.lu_factor(x)[0],
            ops.qr(x)[1],
            ops.solve_triangular(x, y),
            ops.svd(x)[1],
        )

    det, inv, sol, chol, chol_inv, logabs, logdet, lu, r, tri, s = [t.numpy() for t in run(a, b)]
    np.testing.assert_allclose(det, np.linalg.det(a), rtol=1e-5)
    np.testing.assert_allclose(inv, np.linalg.inv(a), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sol, np.linalg.solve(a, b[..., None])[..., 0], rtol=1e-5)
    np.testing.assert_allclose(chol, np.linalg.cholesky(a), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(chol_inv, np.linalg.inv(a), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(logabs, np.linalg.slogdet(a)[1], rtol=1e-5)
    np.testing.assert_allclose(logdet, np.linalg.slogdet(a)[1], rtol=1e-5)
    np.testing.assert_allclose(np.abs(r), np.abs(np.linalg.qr(a)[1]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tri, np.linalg.solve(np.triu(a), b[..., None])[..., 0], rtol=1e-5)
    np.testing.assert_allclose(s, np.linalg.svd(a, compute_uv=False), rtol=1e-5)
    np.testing.assert_allclose(lu, ops.lu_factor(a)[0].numpy(), rtol=1e-6)
