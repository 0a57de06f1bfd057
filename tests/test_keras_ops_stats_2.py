"""keras.ops statistics, searches and sets, second part (correlate, histogram, bincount, digitize, searchsorted,
unique, nonzero/isin, argpartition, trapezoid/diff/cdist/allclose; graphs, functional models, gradients) against
NumPy, with the result dtypes Keras 3's TensorFlow backend gives."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from gradcheck import check_gradient

ops = keras.ops


@pytest.mark.parametrize("n,m", [(6, 3), (5, 4), (3, 5), (4, 4), (1, 1), (7, 2)])
def test_correlate_matches_numpy(n, m):
    rng = np.random.default_rng(n * 10 + m)
    a, v = rng.standard_normal(n).astype("float32"), rng.standard_normal(m).astype("float32")
    for mode in ("valid", "same", "full"):
        if mode == "valid" and m > n:
            continue
        np.testing.assert_allclose(ops.correlate(a, v, mode=mode), np.correlate(a, v, mode), rtol=1e-5, atol=1e-6)


def test_correlate_dtypes_and_errors():
    assert ops.correlate(np.array([1, 2, 3], "int32"), np.array([1, 1], "int32")).dtype == "float32"
    assert ops.correlate(np.array([1, 2, 3], "int64"), np.array([1, 1], "int64")).dtype == "float64"
    assert ops.correlate(np.array([1, 2, 3], "float16"), np.array([1, 1], "float16")).dtype == "float16"
    np.testing.assert_allclose(
        ops.correlate([1, 2, 3], [0, 1, 0.5], "full"), np.correlate([1, 2, 3], [0, 1, 0.5], "full")
    )
    with pytest.raises(ValueError, match="Invalid mode"):
        ops.correlate([1.0, 2.0], [1.0], mode="wide")


def test_histogram():
    rng = np.random.default_rng(9)
    for bins in (1, 4, 10):
        x = rng.random(50).astype("float32")
        counts, edges = ops.histogram(x, bins=bins)
        want_counts, want_edges = np.histogram(x, bins=bins)
        assert counts.dtype == "float32" and edges.dtype == "float32"  # Keras's TensorFlow backend: x's dtype
        np.testing.assert_array_equal(counts, want_counts)
        np.testing.assert_allclose(edges, want_edges, rtol=1e-6)
        counts, edges = ops.histogram(x, bins=bins, range=(0.2, 0.7))
        want_counts, want_edges = np.histogram(x, bins=bins, range=(0.2, 0.7))
        np.testing.assert_array_equal(counts, want_counts)
        np.testing.assert_allclose(edges, want_edges, rtol=1e-6)
    counts, edges = ops.histogram(np.array([1.5, 1.5, 1.5], "float32"), bins=3)
    np.testing.assert_array_equal(counts, np.histogram(np.array([1.5, 1.5, 1.5]), bins=3)[0])
    np.testing.assert_allclose(edges, np.histogram(np.array([1.5, 1.5, 1.5]), bins=3)[1])
    x = np.array([0.3, 0.1, 0.5, 0.7], "float32")  # 0.3 and 0.7 as float32 lie on the range's ends
    for span in ((0.3, 0.7), (0.1, 0.3)):
        np.testing.assert_array_equal(ops.histogram(x, bins=2, range=span)[0], np.histogram(x, bins=2, range=span)[0])
    counts, edges = ops.histogram(np.array([1, 2, 2, 9], "int32"), bins=4)
    assert counts.dtype == "int32"
    np.testing.assert_array_equal(counts, [3, 0, 0, 1])
    counts, _ = ops.histogram(np.array([1, 2, 2, 9], "uint8"), bins=2)
    np.testing.assert_array_equal(counts, [3, 1])
    with pytest.raises(TypeError, match="bins"):
        ops.histogram(np.ones(3), bins=2.0)
    with pytest.raises(ValueError, match="non-negative"):
        ops.histogram(np.ones(3), bins=-1)
    with pytest.raises(ValueError, match="tuple of two"):
        ops.histogram(np.ones(3), range=(0, 1, 2))
    with pytest.raises(ValueError, match="greater than the first"):
        ops.histogram(np.ones(3), range=(1, 0))
    with pytest.raises(ValueError, match="1-dimensional"):
        ops.histogram(np.ones((2, 3)))


def test_bincount():
    x = np.array([1, 2, 2, 3], "uint8")
    got = ops.bincount(x)
    assert got.dtype == "int32"
    np.testing.assert_array_equal(got, [0, 1, 2, 1])
    w = x / 2
    got = ops.bincount(x, weights=w)
    assert got.dtype == "float64"
    np.testing.assert_allclose(got, [0.0, 0.5, 2.0, 1.5])
    np.testing.assert_array_equal(ops.bincount(x, minlength=6), [0, 1, 2, 1, 0, 0])
    y = np.random.default_rng(10).integers(0, 7, 30)
    wy = np.random.default_rng(11).random(30).astype("float32")
    np.testing.assert_array_equal(ops.bincount(y, minlength=3), np.bincount(y, minlength=3))
    got = ops.bincount(y.astype("int32"), weights=wy)
    assert got.dtype == "float32"
    np.testing.assert_allclose(got, np.bincount(y, weights=wy), rtol=1e-5)
    assert ops.bincount(y.astype("int32"), weights=np.ones(30, "int8")).dtype == "int32"
    # A 2-D x counts each row.
    np.testing.assert_array_equal(ops.bincount(np.array([[1, 2], [0, 0]]), minlength=4), [[0, 1, 1, 0], [2, 0, 0, 0]])
    sparse = ops.bincount(np.array([1, 2, 2, 3]), sparse=True)
    assert isinstance(sparse, tf.SparseTensor)
    np.testing.assert_array_equal(tf.sparse.to_dense(sparse), [0, 1, 2, 1])


def test_digitize():
    x = np.array([0.0, 1.0, 3.0, 1.6, -2.0, 7.0, 9.5, np.nan])
    bins = [0.0, 3.0, 4.5, 7.0]
    got = ops.digitize(x, bins)
    assert got.dtype == "int32"
    np.testing.assert_array_equal(got, np.digitize(x, bins))
    xi = np.random.default_rng(12).integers(-5, 15, (3, 4)).astype("int32")
    np.testing.assert_array_equal(ops.digitize(xi, np.array([0, 2.5, 10])), np.digitize(xi, [0, 2.5, 10]))
    with pytest.raises(ValueError, match="1-D"):
        ops.digitize(x, [[0.0, 1.0]])


def test_searchsorted():
    rng = np.random.default_rng(13)
    seq = np.sort(rng.integers(0, 10, 12)).astype("float32")
    for shape in ((5,), (2, 3), (2, 2, 2)):
        values = rng.integers(-1, 11, shape).astype("float32")
        for side in ("left", "right"):
            got = ops.searchsorted(seq, values, side=side)
            assert got.dtype == "int32" and got.shape == shape
            np.testing.assert_array_equal(got, np.searchsorted(seq, values, side=side))
    with pytest.raises(ValueError, match="1-D sorted"):
        ops.searchsorted(np.ones((2, 2)), [1.0])
    with pytest.raises(ValueError, match="side"):
        ops.searchsorted(seq, [1.0], side="middle")


def test_searchsorted_in_a_graph_matches_eager():
    seq = np.array([0.0, 1.0, 1.0, 2.5, np.nan], "float32")
    values = np.array([[-1.0, 1.0, 2.0], [2.5, 9.0, np.nan]], "float32")
    for side in ("left", "right"):
        fn = tf.function(lambda s, v, side=side: ops.searchsorted(s, v, side=side))
        np.testing.assert_array_equal(fn(seq, values), ops.searchsorted(seq, values, side=side))
        np.testing.assert_array_equal(fn(seq, values), np.searchsorted(seq, values, side=side))


def _unique_first_order(x, axis, **flags):
    """NumPy's unique with its results put in order of first occurrence (``sorted=False``)."""
    values, index, inverse, counts = np.unique(x, axis=axis, return_index=True, return_inverse=True, return_counts=True)
    order = np.argsort(index, kind="stable")
    rank = np.argsort(order)
    values = np.take(values, order, axis=0 if axis is None else axis)
    return values, index[order], rank[inverse.reshape(-1)], counts[order]


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_unique_matches_numpy(axis):
    rng = np.random.default_rng(14)
    x = rng.integers(0, 3, (6, 4)).astype("int32")
    x[3] = x[1]
    x[:, 2] = x[:, 0]
    got = ops.unique(x, axis=axis, return_index=True, return_inverse=True, return_counts=True)
    want = np.unique(x, axis=axis, return_index=True, return_inverse=True, return_counts=True)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    assert [g.dtype for g in got[1:]] == ["int32"] * 3
    np.testing.assert_array_equal(ops.unique(x, axis=axis), want[0])
    values, index, inverse, counts = ops.unique(
        x, sorted=False, axis=axis, return_index=True, return_inverse=True, return_counts=True
    )
    w_values, w_index, w_inverse, w_counts = _unique_first_order(x, axis)
    np.testing.assert_array_equal(values, w_values)
    np.testing.assert_array_equal(index, w_index)
    np.testing.assert_array_equal(np.ravel(inverse), w_inverse)
    np.testing.assert_array_equal(counts, w_counts)


def test_unique_size_and_fill_value():
    x = np.array([[3, 1, 3], [2, 2, 1]], "int32")
    values, counts = ops.unique(x, size=5, fill_value=-1, return_counts=True)
    np.testing.assert_array_equal(values, [1, 2, 3, -1, -1])
    np.testing.assert_array_equal(counts, [2, 2, 2, 0, 0])
    np.testing.assert_array_equal(ops.unique(x, size=2), [1, 2])
    np.testing.assert_array_equal(ops.unique(x, size=4), [1, 2, 3, 0])
    want = np.concatenate([np.unique(x, axis=1), [[9], [9]]], axis=1)
    np.testing.assert_array_equal(ops.unique(x, axis=1, size=4, fill_value=9), want)
    np.testing.assert_array_equal(ops.unique(np.array([2.5, np.inf, 2.5])), [2.5, np.inf])
    with pytest.raises(ValueError, match="out of bounds"):
        ops.unique(x, axis=2)


def test_nonzero_isin():
    x = np.array([[0, 1, 0], [2, 0, 3]], "int32")
    got = ops.nonzero(x)
    assert isinstance(got, tuple) and all(g.dtype == "int32" for g in got)
    for g, w in zip(got, np.nonzero(x)):
        np.testing.assert_array_equal(g, w)
    b = np.random.default_rng(15).random((2, 3, 4)) > 0.5
    for g, w in zip(ops.nonzero(b), np.nonzero(b)):
        np.testing.assert_array_equal(g, w)
    a = np.random.default_rng(16).integers(0, 8, (3, 5))
    for test in ([1, 3, 5], np.array([[7, 7], [0, 2]]), []):
        for invert in (False, True):
            got = ops.isin(a, test, invert=invert)
            assert got.dtype == "bool" and got.shape == a.shape
            np.testing.assert_array_equal(got, np.isin(a, test, invert=invert))
    np.testing.assert_array_equal(ops.isin([1.5, 2.0], [2], assume_unique=True), [False, True])


def test_argpartition():
    rng = np.random.default_rng(17)
    x = rng.standard_normal((4, 7)).astype("float32")
    for axis, kths in ((-1, (0, 3, 6, -1)), (0, (0, 2, -4)), (None, (0, 13, 27))):
        flat = x.reshape(-1) if axis is None else x
        ax = 0 if axis is None else axis
        for kth in kths:
            idx = ops.argpartition(x, kth, axis=axis)
            assert idx.dtype == "int32"
            got = np.take_along_axis(flat, np.asarray(idx), axis=ax)
            want = np.partition(flat, kth, axis=ax)
            k = kth % flat.shape[ax]
            np.testing.assert_array_equal(np.take(got, k, axis=ax), np.take(want, k, axis=ax))
            pivot = np.take(got, [k], axis=ax)
            assert np.all(np.take(got, range(k), axis=ax) <= pivot)
            assert np.all(np.take(got, range(k + 1, flat.shape[ax]), axis=ax) >= pivot)
    assert ops.argpartition(np.array([True, False, True]), 1).dtype == "int32"
    with pytest.raises(ValueError, match="out of bounds"):
        ops.argpartition(x, 7)


def test_trapezoid_diff_cdist_allclose():
    rng = np.random.default_rng(18)
    y = rng.standard_normal((3, 5)).astype("float32")
    np.testing.assert_allclose(ops.trapezoid(y), np.trapezoid(y), rtol=1e-5)
    np.testing.assert_allclose(ops.trapezoid(y, dx=0.5, axis=0), np.trapezoid(y, dx=0.5, axis=0), rtol=1e-5)
    xs = np.sort(rng.random(5)).astype("float32")
    np.testing.assert_allclose(ops.trapezoid(y, x=xs), np.trapezoid(y, x=xs), rtol=1e-5)
    x2 = np.sort(rng.random((3, 5)), axis=0).astype("float32")
    np.testing.assert_allclose(ops.trapezoid(y, x=x2, axis=0), np.trapezoid(y, x=x2, axis=0), rtol=1e-5)
    assert ops.trapezoid(np.arange(4, dtype="int32")).dtype == "float32"
    for n in (0, 1, 2, 4):
        for axis in (0, 1, -1):
            np.testing.assert_allclose(ops.diff(y, n=n, axis=axis), np.diff(y, n=n, axis=axis), rtol=1e-6)
    np.testing.assert_array_equal(ops.diff(np.array([True, False, False, True])), [True, False, True])
    assert ops.diff(np.array([1, 4, 9], "int32")).dtype == "int32"
    with pytest.raises(ValueError, match="non-negative"):
        ops.diff(y, n=-1)
    with pytest.raises(ValueError, match="at least one dimensional"):
        ops.diff(np.float32(1.0))
    a, b = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5, 3))
    want = np.sqrt(((a[:, :, None] - b[:, None]) ** 2).sum(-1))
    np.testing.assert_allclose(ops.cdist(a, b), want, rtol=1e-6)
    np.testing.assert_allclose(ops.cdist(a[0], b[0]), want[0], rtol=1e-6)
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.cdist(a[0, 0], b[0])
    with pytest.raises(ValueError, match="must match"):
        ops.cdist(a, b[..., :2])
    cases = [
        (([1.0, np.inf], [1.0, np.inf]), {}, True),
        (([1.0, np.nan], [1.0, np.nan]), {}, False),
        (([1.0, np.nan], [1.0, np.nan]), {"equal_nan": True}, True),
        (([1.0, 2.0], [1.0, 2.0 + 1e-6]), {}, True),
        (([1.0, 2.0], [1.0, 2.1]), {}, False),
        (([1.0, 2.0], [1.0, 2.1]), {"atol": 0.2}, True),
        (([1, 2], [1, 3]), {}, False),
        (([1, 2], [1, 2]), {}, True),
    ]
    for (p, q), kwargs, want in cases:
        got = ops.allclose(np.array(p), np.array(q), **kwargs)
        assert got.dtype == "bool" and got.shape == ()
        assert bool(got) == want == np.allclose(p, q, **kwargs)


GRAPH_CASES = {
    "quantile": lambda t: ops.quantile(t, [0.2, 0.7], axis=1),
    "quantile_keepdims": lambda t: ops.quantile(t, 0.2, axis=0, keepdims=True, method="nearest"),
    "nanquantile": lambda t: ops.nanquantile(t, 0.4, axis=0),
    "median": lambda t: ops.median(t),
    "nanmedian": lambda t: ops.nanmedian(t, axis=1, keepdims=True),
    "nanvar": lambda t: ops.nanvar(t, axis=0),
    "nanargmax": lambda t: ops.nanargmax(t, axis=1),
    "unique": lambda t: ops.unique(ops.floor(ops.nan_to_num(t)), return_counts=True, return_inverse=True),
    "unique_axis": lambda t: ops.unique(ops.sign(ops.nan_to_num(t)), axis=0, return_index=True),
    "searchsorted": lambda t: ops.searchsorted(ops.sort(ops.nan_to_num(t[0])), t),
    "histogram": lambda t: ops.histogram(ops.ravel(ops.nan_to_num(t)), bins=3),
    "isin": lambda t: ops.isin(t, t[0]),
    "nonzero": lambda t: ops.nonzero(t > 0),
    "correlate": lambda t: ops.correlate(ops.ravel(ops.nan_to_num(t)), t[0, :3] * 0 + 1, "same"),
    "corrcoef": lambda t: ops.corrcoef(ops.nan_to_num(t)),
    "digitize": lambda t: ops.digitize(t, [0.0, 1.0]),
    "cdist": lambda t: ops.cdist(t, t),
}


@pytest.mark.parametrize("name", sorted(GRAPH_CASES))
def test_graph_with_unknown_batch_matches_eager(name):
    fn = GRAPH_CASES[name]
    x = np.random.default_rng(19).standard_normal((4, 5)).astype("float32")
    x[1, 2] = np.nan
    graph = tf.function(fn, input_signature=[tf.TensorSpec([None, 5], "float32")])
    tf.nest.map_structure(
        lambda e, g: np.testing.assert_array_equal(np.asarray(g), np.asarray(e)), fn(tf.constant(x)), graph(x)
    )


def test_functional_model():
    inputs = keras.Input((6,))
    outputs = [
        ops.quantile(inputs, [0.25, 0.75], axis=1),
        ops.nanmean(inputs, axis=1),
        ops.median(inputs, axis=1, keepdims=True),
        ops.cdist(inputs, inputs),
    ]
    assert outputs[0].shape == (2, None) and outputs[2].shape == (None, 1)
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(20).standard_normal((3, 6)).astype("float32")
    got = model.predict(x, verbose=0)
    np.testing.assert_allclose(got[0], np.quantile(x, [0.25, 0.75], axis=1), rtol=1e-5)
    np.testing.assert_allclose(got[1], np.mean(x, axis=1), rtol=1e-5)
    np.testing.assert_allclose(got[2], np.median(x, axis=1, keepdims=True), rtol=1e-5)
    assert ops.unique(keras.Input((5,)), size=3, return_counts=True)[1].shape == (3,)
    inputs = keras.Input((5,))
    model = keras.Model(inputs, list(ops.histogram(ops.ravel(inputs), bins=3, range=(0.0, 1.0))))
    x = np.random.default_rng(22).random((2, 5)).astype("float32")
    for got, want in zip(model.predict(x, verbose=0), np.histogram(x.ravel(), bins=3, range=(0.0, 1.0))):
        np.testing.assert_allclose(got, want, rtol=1e-6)


GRADIENT_CASES = {
    "quantile_linear": lambda t: ops.quantile(t, [0.3, 0.8], axis=1),
    "quantile_midpoint": lambda t: ops.quantile(t, 0.5, axis=0, method="midpoint"),
    "median": lambda t: ops.median(t, axis=1),
    "nanquantile": lambda t: ops.nanquantile(t, 0.35),
    "nansum": lambda t: ops.nansum(t, axis=0),
    "nanmean": lambda t: ops.nanmean(t, axis=1),
    "nanvar": lambda t: ops.nanvar(t, axis=0),
    "nanstd": lambda t: ops.nanstd(t),
    "nanmax": lambda t: ops.nanmax(t, axis=1),
    "nanprod": lambda t: ops.nanprod(t, axis=1),
    "nancumsum": lambda t: ops.nancumsum(t, axis=1),
    "average": lambda t: ops.average(t, axis=1, weights=tf.constant([1.0, 2.0, 0.5, 3.0], "float64")),
    "ptp": lambda t: ops.ptp(t, axis=0),
    "corrcoef": lambda t: ops.corrcoef(t),
    "correlate": lambda t: ops.correlate(ops.ravel(t), tf.constant([0.5, -1.0, 2.0], "float64"), "full"),
    "trapezoid": lambda t: ops.trapezoid(t, axis=0),
    "diff": lambda t: ops.diff(t, n=2),
    "cdist": lambda t: ops.cdist(t, t[:2] + 1.0),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients_match_finite_differences(name):
    # Distinct values, so that sorting and maxima are stable under the finite-difference steps.
    x = np.random.default_rng(21).permutation(12).reshape(3, 4) * 0.37 + 0.1
    check_gradient(GRADIENT_CASES[name], x, rtol=1e-4, atol=1e-6)
