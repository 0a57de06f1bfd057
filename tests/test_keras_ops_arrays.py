"""keras.ops's NumPy-named array builders, splitters, diagonals and products, compared with NumPy."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras

ops = keras.ops
RNG = np.random.default_rng(7)
A = RNG.normal(size=(3, 4)).astype("float32")
B = RNG.normal(size=(3, 4)).astype("float32")
C = RNG.normal(size=(2, 3, 4)).astype("float32")


def close(got, want, rtol=1e-5, atol=1e-6):
    got = np.asarray(got)
    assert got.shape == np.shape(want), (got.shape, np.shape(want))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def test_array_copy_empty_and_dtype():
    t = ops.array([[1, 2], [3, 4]])
    assert t.dtype.name == "int32" and np.asarray(t).tolist() == [[1, 2], [3, 4]]
    assert ops.array([1.0, 2]).dtype.name == "float32"
    assert ops.array([1, 2], dtype="float16").dtype.name == "float16"
    c = ops.copy(A)
    close(c, A)
    assert c.dtype.name == "float32"
    e = ops.empty((2, 3))
    assert e.shape == (2, 3) and e.dtype.name == "float32"
    assert ops.empty((4,), dtype="int8").dtype.name == "int8"
    el = ops.empty_like(np.ones((2, 5), "int64"))
    assert el.shape == (2, 5) and el.dtype.name == "int64"
    assert ops.empty_like(A, dtype="float16").dtype.name == "float16"
    assert ops.dtype(ops.zeros((2,))) == "float32"
    assert ops.dtype(np.ones(2, "int16")) == "int16"
    assert ops.dtype(tf.constant([1.0], dtype="bfloat16")) == "bfloat16"


def test_get_item():
    close(ops.get_item(C, (1, slice(None), 2)), C[1, :, 2])
    close(ops.get_item(A, 2), A[2])
    close(ops.get_item(C, (Ellipsis, slice(1, 3))), C[..., 1:3])


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_append(axis):
    close(ops.append(A, B, axis=axis), np.append(A, B, axis=axis))
    got = ops.append(np.array([1, 2], "int32"), np.array([1.5]))
    assert got.dtype.name == "float64"
    close(got, [1, 2, 1.5])


@pytest.mark.parametrize("n, axis", [(3, 0), (4, 0), (2, 1), (5, 2), (1, -1)])
def test_array_split(n, axis):
    x = np.arange(60.0).reshape(10, 2, 3) if axis == 0 else RNG.normal(size=(2, 3, 5))
    got = ops.array_split(x, n, axis=axis)
    want = np.array_split(x, n, axis=axis)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        close(g, w)


def test_array_split_errors():
    with pytest.raises(TypeError, match="indices_or_sections"):
        ops.array_split(A, [1, 2])
    with pytest.raises(ValueError, match="positive integer"):
        ops.array_split(A, 0)
    with pytest.raises(TypeError, match="axis"):
        ops.array_split(A, 2, axis=(0,))


@pytest.mark.parametrize(
    "fn, x, arg",
    [
        ("hsplit", C, 3),
        ("hsplit", C, [1, 2]),
        ("hsplit", np.arange(6.0), 3),
        ("vsplit", C, 2),
        ("vsplit", A, [1]),
        ("dsplit", C, [1, 3]),
        ("dsplit", C, 4),
    ],
)
def test_hsplit_vsplit_dsplit(fn, x, arg):
    got = getattr(ops, fn)(x, arg)
    want = getattr(np, fn)(x, arg)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        close(g, w)


def test_dstack():
    close(ops.dstack([A, B]), np.dstack([A, B]))
    close(ops.dstack([np.arange(3.0), np.arange(3.0) * 2]), np.dstack([np.arange(3.0), np.arange(3.0) * 2]))
    close(ops.dstack([np.float32(1), np.float32(2)]), np.dstack([1.0, 2.0]))
    close(ops.dstack([C, C[..., :1]]), np.dstack([C, C[..., :1]]))
    got = ops.dstack([np.arange(3, dtype="int32"), np.arange(3.0, dtype="float32")])
    assert got.dtype.name == "float32"


@pytest.mark.parametrize("k", [-4, -2, -1, 0, 1, 3])
def test_diag_and_diagflat(k):
    v = np.arange(1.0, 4.0)
    close(ops.diag(v, k), np.diag(v, k))
    close(ops.diag(A, k), np.diag(A, k))
    m = np.arange(6).reshape(2, 3)
    close(ops.diagflat(m, k), np.diagflat(m, k))
    assert ops.diag(np.array([True, False]), k).dtype.name == "bool"
    close(ops.diag(np.array([True, False]), k), np.diag(np.array([True, False]), k))


def test_diag_rejects_3d():
    with pytest.raises(ValueError, match="1d or 2d"):
        ops.diag(C)


@pytest.mark.parametrize("offset, axis1, axis2", [(0, 0, 1), (1, 0, 2), (-1, 2, 1), (2, -1, 0), (-2, 1, 2), (5, 0, 1)])
def test_diagonal_and_trace(offset, axis1, axis2):
    close(ops.diagonal(C, offset, axis1, axis2), np.diagonal(C, offset, axis1, axis2))
    close(ops.trace(C, offset, axis1, axis2), np.trace(C, offset, axis1, axis2), rtol=1e-5)


def test_diagonal_errors_and_trace_dtypes():
    with pytest.raises(ValueError, match="cannot be the same"):
        ops.diagonal(C, 0, 1, -2)
    with pytest.raises(ValueError, match="at least two dimensions"):
        ops.diagonal(np.arange(3.0))
    i8 = np.full((3, 3), 100, "int8")
    t = ops.trace(i8)
    assert t.dtype.name == "int32" and int(t) == 300  # (no int8 wrap-around)
    assert ops.trace(np.eye(2, dtype="uint8")).dtype.name == "uint32"
    assert ops.trace(np.eye(2, dtype=bool)).dtype.name == "int32"


@pytest.mark.parametrize("n, m, k", [(3, None, 0), (3, 5, -1), (4, 3, 2), (2, 4, -3), (3, 3, 7)])
def test_tri(n, m, k):
    close(ops.tri(n, m, k), np.tri(n, m, k))
    got = ops.tri(n, m, k, dtype="int32")
    assert got.dtype.name == "int32"
    close(got, np.tri(n, m, k, dtype="int32"))


@pytest.mark.parametrize("n, increasing", [(None, False), (4, True), (2, False), (0, True)])
def test_vander(n, increasing):
    x = np.array([1.0, -2.0, 3.0, 0.5], "float32")
    close(ops.vander(x, n, increasing), np.vander(x, n, increasing), rtol=1e-5)
    xi = np.array([1, 2, 3], "int32")
    got = ops.vander(xi, n, increasing)
    assert got.dtype.name == "int32"
    close(got, np.vander(xi, n, increasing))


def test_vander_errors():
    with pytest.raises(ValueError, match="1-dimensional"):
        ops.vander(A)
    with pytest.raises(TypeError, match="`N`"):
        ops.vander(A[0], 2.0)
    with pytest.raises(ValueError, match="nonnegative"):
        ops.vander(A[0], -1)
    with pytest.raises(TypeError, match="increasing"):
        ops.vander(A[0], 2, 1)


@pytest.mark.parametrize("k, axes", [(1, (0, 1)), (2, (0, 1)), (3, (1, 2)), (-1, (2, 0)), (-2, (0, 2)), (4, (0, 1))])
def test_rot90(k, axes):
    close(ops.rot90(C, k, axes), np.rot90(C, k, axes))
    close(ops.rot90(A, k), np.rot90(A, k))


def test_rot90_errors_and_flips():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        ops.rot90(np.arange(3.0))
    with pytest.raises(ValueError, match="Invalid axes"):
        ops.rot90(A, 1, (1, 1))
    close(ops.fliplr(C), np.fliplr(C))
    close(ops.flipud(C), np.flipud(C))
    close(ops.flipud(np.arange(4)), np.flipud(np.arange(4)))


@pytest.mark.parametrize(
    "a, b",
    [
        (np.arange(6).reshape(2, 3), np.arange(4).reshape(2, 2)),
        (np.arange(3.0), C),
        (A, np.array([[1.0, -1.0]])),
        (np.float32(2.0), np.arange(3.0, dtype="float32")),
    ],
)
def test_kron(a, b):
    close(ops.kron(a, b), np.kron(a, b))


@pytest.mark.parametrize(
    "a, b",
    [(A, B), (A[0], B[1]), (C, A), (np.float32(2.0), A), (np.arange(4, dtype="int32"), np.arange(4, dtype="int32"))],
)
def test_inner_and_vdot(a, b):
    close(ops.inner(a, b), np.inner(a, b), rtol=1e-5)
    if np.size(a) == np.size(b):
        close(ops.vdot(a, b), np.vdot(a, b), rtol=1e-5)


def test_inner_dtypes_and_errors():
    got = ops.inner(np.array([1, 2], "int16"), np.array([3, 4], "int16"))
    assert got.dtype.name == "int16" and int(got) == 11
    assert ops.vdot(np.array([True, False]), np.array([True, True])).dtype.name == "bool"
    with pytest.raises(ValueError, match="last dimension"):
        ops.inner(A, np.ones((2, 3), "float32"))


@pytest.mark.parametrize(
    "a, b, kwargs",
    [
        (A[:, :3], B[:, :3], {}),
        (A[:, :2], B[:, :2], {}),
        (A[:, :2], B[:, :3], {}),
        (A[0, :3], B[:, :3], {}),
        (C[:, :3, :], C[::-1, :3, :], {"axis": 1}),
        (np.swapaxes(C[:, :, :3], 1, 2), C[:1, :, :3], {"axisa": 1, "axisc": 1}),
        (np.array([[1, 2, 3]], "int32"), np.array([[4, 5, 6]], "int32"), {}),
    ],
)
@pytest.mark.filterwarnings("ignore:Arrays of 2-dimensional vectors:DeprecationWarning")
def test_cross(a, b, kwargs):
    got = ops.cross(a, b, **kwargs)
    close(got, np.cross(a, b, **kwargs), rtol=1e-5, atol=1e-5)
    assert got.dtype.name == np.result_type(a, b).name


def test_cross_rejects_other_sizes():
    with pytest.raises(ValueError, match="dimension must be 2 or 3"):
        ops.cross(A, B)


def test_select():
    got = ops.select([A > 0.5, A < -0.5], [A, B], -1.0)
    close(got, np.select([A > 0.5, A < -0.5], [A, B], -1.0))
    gi = ops.select([np.array([True, False, False]), np.array([True, True, False])], [np.arange(3), np.arange(3) * 10])
    assert np.asarray(gi).tolist() == [0, 10, 0]
    close(ops.select([A[0] > 0], [A], 0.0), np.select([A[0] > 0], [A], 0.0))  # (broadcasts)
    with pytest.raises(ValueError, match="must be lists"):
        ops.select(A > 0, [A])
    with pytest.raises(ValueError, match="must not be empty"):
        ops.select([], [])


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (12,)])
def test_unravel_index(shape):
    idx = np.array([0, 5, 11, 7], "int32")
    got = ops.unravel_index(idx, shape)
    want = np.unravel_index(idx, shape)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.dtype.name == "int32"
        assert np.asarray(g).tolist() == w.tolist()
    grid = np.array([[1, 7], [11, 0]], "int64")
    for g, w in zip(ops.unravel_index(grid, shape), np.unravel_index(grid, shape)):
        assert g.dtype.name == "int64" and np.asarray(g).tolist() == w.tolist()
    with pytest.raises(ValueError, match="cannot contain `None`"):
        ops.unravel_index(idx, (None, 3))
