"""keras.ops statistics, searches and sets (quantiles, nan-reductions, histograms, unique ...) against NumPy,
with the result dtypes Keras 3's TensorFlow backend gives."""

import warnings

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras

ops = keras.ops
METHODS = ["linear", "lower", "higher", "midpoint", "nearest"]


def _data(shape=(3, 4, 5), seed=0, nans=()):
    x = np.random.default_rng(seed).standard_normal(shape).astype("float32")
    for index in nans:
        x[index] = np.nan
    return x


def _np(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


NAN_CASES = [(), ((0, 1, 2),), ((2, slice(None), 3),), ((slice(None), 0, slice(None)),)]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("axis", [None, 1, -1, (0, 2)])
@pytest.mark.parametrize("q", [0.3, [0.0, 0.5, 1.0], np.array([0.25, 0.9])])
@pytest.mark.parametrize("keepdims", [False, True])
def test_quantile_and_nanquantile_match_numpy(method, axis, q, keepdims):
    for nans in NAN_CASES:
        x = _data(nans=nans)
        got = np.asarray(ops.quantile(x, q, axis=axis, method=method, keepdims=keepdims))
        want = np.quantile(x, q, axis=axis, method=method, keepdims=keepdims)
        assert got.shape == want.shape and got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        got = np.asarray(ops.nanquantile(x, q, axis=axis, method=method, keepdims=keepdims))
        want = _np(np.nanquantile, x, q, axis=axis, method=method, keepdims=keepdims)
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_percentile_and_nanpercentile(method):
    x = _data((4, 6), seed=1, nans=[(1, 2), (3, slice(None))])
    for q in (50, [10, 75.5]):
        for axis in (None, 0, 1):
            np.testing.assert_allclose(
                ops.percentile(x, q, axis=axis, method=method),
                np.percentile(x, q, axis=axis, method=method),
                rtol=1e-5,
                atol=1e-6,
            )
            np.testing.assert_allclose(
                ops.nanpercentile(x, q, axis=axis, method=method),
                _np(np.nanpercentile, x, q, axis=axis, method=method),
                rtol=1e-5,
                atol=1e-6,
            )
    np.testing.assert_allclose(ops.percentile([1.0, 2.0, 3.0, 4.0], [25, 75]), [1.75, 3.25])
    np.testing.assert_allclose(ops.nanpercentile([1.0, 2.0, np.nan, 4.0], 50), 2.0)


def test_median_and_nanmedian():
    for shape, nans in [((7,), ()), ((4, 6), ((1, 3),)), ((2, 3, 4), ((0, slice(None), 1),))]:
        x = _data(shape, seed=2, nans=nans)
        for axis in [None] + list(range(len(shape))) + ([(0, -1)] if len(shape) > 1 else []):
            for keepdims in (False, True):
                got = ops.median(x, axis=axis, keepdims=keepdims)
                np.testing.assert_allclose(got, np.median(x, axis=axis, keepdims=keepdims), rtol=1e-6)
                got = ops.nanmedian(x, axis=axis, keepdims=keepdims)
                want = _np(np.nanmedian, x, axis=axis, keepdims=keepdims)
                np.testing.assert_allclose(got, want, rtol=1e-6)
    # Keras's documented examples; integers give float32.
    x = np.array([[1.0, np.nan, 3.0], [np.nan, 2.0, 1.0]])
    np.testing.assert_allclose(ops.nanmedian(x), 1.5)
    np.testing.assert_allclose(ops.nanmedian(x, axis=1, keepdims=True), [[2.0], [1.5]])
    assert ops.median(np.arange(6, dtype="int32")).dtype == "float32"
    np.testing.assert_allclose(ops.median(np.arange(6, dtype="int32")), 2.5)
    assert ops.nanmedian(x, axis=()).shape == (2, 3)
    np.testing.assert_allclose(ops.nanmedian([[np.nan, np.nan], [1.0, 3.0]], axis=1), [np.nan, 2.0])


def test_quantile_dtypes_and_errors():
    for dtype, want in [("int32", "float32"), ("int64", "float32"), ("float16", "float16"), ("float64", "float64")]:
        x = tf.cast(tf.constant([[1, 0, 2], [3, 1, 0]]), dtype)
        assert ops.quantile(x, 0.5).dtype == want
        assert ops.median(x, axis=1).dtype == want
    with pytest.raises(ValueError, match="method"):
        ops.quantile([1.0, 2.0], 0.5, method="cubic")


@pytest.mark.parametrize("name", ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin"])
def test_nan_reductions_match_numpy(name):
    for nans in NAN_CASES:
        x = _data(nans=nans)
        for axis in (None, 0, 2, (0, 1), -1):
            for keepdims in (False, True):
                got = getattr(ops, name)(x, axis=axis, keepdims=keepdims)
                want = _np(getattr(np, name), x, axis=axis, keepdims=keepdims)
                assert got.shape == want.shape and got.dtype == "float32"
                np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)


def test_nan_reduction_dtypes():
    # Recorded from Keras 3 (TensorFlow backend).
    cases = {
        "nansum": {"bool": "int32", "int8": "int32", "uint8": "uint32", "int64": "int64", "float16": "float16"},
        "nanprod": {"bool": "int32", "int16": "int32", "uint8": "uint32", "int32": "int32"},
        "nanmean": {"bool": "float32", "int64": "float32", "float16": "float16", "float64": "float64"},
        "nanvar": {"int32": "float32", "float64": "float64"},
        "nanmax": {"bool": "bool", "int8": "int8", "float64": "float64"},
        "nanargmax": {"bool": "int32", "int64": "int32", "float16": "int32"},
        "nancumsum": {"bool": "int32", "uint8": "uint8", "float32": "float32"},
    }
    for name, by_dtype in cases.items():
        for dtype, want in by_dtype.items():
            x = tf.cast(tf.constant([[1, 0, 2], [3, 1, 0]]), dtype)
            assert getattr(ops, name)(x).dtype == want, (name, dtype)
    np.testing.assert_array_equal(ops.nansum(np.array([100, 100], "int8")), 200)
    assert ops.nancumsum(np.array([1, 2], "int32"), dtype="float32").dtype == "float32"


def test_nanargmax_nanargmin():
    x = _data((4, 5), seed=3, nans=[(0, 1), (2, 0), (2, 4)])
    for name in ("nanargmax", "nanargmin"):
        for axis in (None, 0, 1):
            got = getattr(ops, name)(x, axis=axis)
            assert got.dtype == "int32"
            np.testing.assert_array_equal(got, getattr(np, name)(x, axis=axis))
        got = getattr(ops, name)(x, axis=1, keepdims=True)
        np.testing.assert_array_equal(got, getattr(np, name)(x, axis=1, keepdims=True))
        # An all-NaN row gives -1 (NumPy raises).
        y = x.copy()
        y[1] = np.nan
        want = _np(getattr(np, name), np.where(np.isnan(y), np.inf if name == "nanargmin" else -np.inf, y), axis=1)
        want[1] = -1
        np.testing.assert_array_equal(getattr(ops, name)(y, axis=1), want)
        np.testing.assert_array_equal(getattr(ops, name)(np.array([[3, 7, 1]]), axis=1), [1 if "max" in name else 2])


@pytest.mark.parametrize("name", ["nancumsum", "nancumprod"])
def test_nan_scans(name):
    x = _data((3, 4), seed=4, nans=[(0, 0), (1, 2), (2, slice(None))])
    for axis in (None, 0, 1, -1):
        np.testing.assert_allclose(getattr(ops, name)(x, axis=axis), getattr(np, name)(x, axis=axis), rtol=1e-5)
    np.testing.assert_array_equal(getattr(ops, name)(np.array([True, True, False])), getattr(np, name)([1, 1, 0]))


def test_average():
    x = _data((3, 4), seed=5)
    np.testing.assert_allclose(ops.average(x), np.average(x), rtol=1e-5)
    for axis in (0, 1, -1):
        np.testing.assert_allclose(ops.average(x, axis=axis), np.average(x, axis=axis), rtol=1e-5)
        w = np.arange(1.0, x.shape[axis] + 1, dtype="float32")
        np.testing.assert_allclose(ops.average(x, axis=axis, weights=w), np.average(x, axis=axis, weights=w), rtol=1e-5)
    w = np.abs(_data((3, 4), seed=6)) + 0.1
    for axis in (None, 0, 1):
        np.testing.assert_allclose(ops.average(x, axis=axis, weights=w), np.average(x, axis=axis, weights=w), rtol=1e-5)
    # Keras's documented examples.
    assert ops.average(np.arange(1, 5, dtype="int32")).dtype == "float32"
    np.testing.assert_allclose(ops.average(np.arange(1, 11), weights=np.arange(10, 0, -1)), 4.0)
    got = ops.average(np.arange(6, dtype="int32").reshape(3, 2), axis=1, weights=np.array([0.25, 0.75], "float32"))
    np.testing.assert_allclose(got, [0.75, 2.75, 4.75])
    assert got.dtype == "float32"


def test_ptp():
    x = np.array([[1.0, 3.0, 2.0], [4.0, 0.0, 5.0]], "float32")
    np.testing.assert_allclose(ops.ptp(x), 5.0)
    np.testing.assert_allclose(ops.ptp(x, axis=1), [2.0, 5.0])
    np.testing.assert_allclose(ops.ptp(x.reshape(1, 2, 3), axis=(1, 2)), [5.0])
    assert ops.ptp(x.reshape(1, 2, 3), axis=2, keepdims=True).shape == (1, 2, 1)
    y = np.random.default_rng(7).integers(-9, 9, (3, 4, 5)).astype("int32")
    for axis in (None, 0, (1, 2)):
        got = ops.ptp(y, axis=axis)
        assert got.dtype == "int32"
        np.testing.assert_array_equal(got, np.ptp(y, axis=axis))


def test_corrcoef():
    for shape in ((2, 5), (4, 9)):
        x = _data(shape, seed=8)
        np.testing.assert_allclose(ops.corrcoef(x), np.corrcoef(x), rtol=1e-5, atol=1e-6)
    xi = np.array([[1, 2, 3, 5], [2, 1, 0, 4]], "int32")
    got = ops.corrcoef(xi)
    assert got.dtype == "float32"
    np.testing.assert_allclose(got, np.corrcoef(xi), rtol=1e-5)
    assert ops.corrcoef(np.array([[1, 2, 4]], "int64")).dtype == "float64"
