"""Property tests: random shapes, dtypes and values thrown at ops. Each call either returns what NumPy computes
or raises an ordinary ``Exception`` (a Rust panic would surface as ``PanicException``, a ``BaseException`` that
the ``except Exception`` below lets through, failing the test)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ferroflow as tf

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DTYPES = ["float32", "float64", "int32", "int64", "bool"]
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)


def arrays(dtype, shape, finite=False):
    if dtype == "bool":
        elements = st.booleans()
    elif dtype.startswith("int"):
        elements = st.integers(-50, 50)
    else:
        elements = st.floats(-100, 100, width=32) if finite else st.one_of(
            st.floats(-100, 100, width=32), st.sampled_from([np.nan, np.inf, -np.inf]))
    return hnp.arrays(np.dtype(dtype), shape, elements=elements)


def outcome(fn):
    try:
        return fn(), None
    except Exception as e:  # any ordinary exception is an acceptable answer to bad input
        return None, e


def check(result, error, expected):
    """A result must equal NumPy's; an error is accepted (NumPy may accept what TF-style typing refuses)."""
    if error is not None:
        assert str(error), f"{type(error).__name__} without a message"
        return
    got = result.numpy()
    assert got.shape == expected.shape, (got.shape, expected.shape)
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-3, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


@st.composite
def binary_operands(draw):
    shape = draw(shapes)
    other = draw(st.one_of(st.just(shape), shapes, st.just(shape[1:])))
    return (draw(arrays(draw(st.sampled_from(DTYPES)), shape)), draw(arrays(draw(st.sampled_from(DTYPES)), other)))


@SETTINGS
@given(binary_operands())
def test_add(operands):
    a, b = operands
    result, error = outcome(lambda: tf.add(a, b))
    if error is None:
        assert a.dtype == b.dtype and a.dtype != bool
        with np.errstate(all="ignore"):
            check(result, error, np.add(a, b))


@SETTINGS
@given(st.data())
def test_matmul(data):
    dtype = data.draw(st.sampled_from(DTYPES))
    m, k, k2, n = (data.draw(st.integers(0, 4)) for _ in range(4))
    batch = data.draw(st.sampled_from([(), (2,)]))
    a = data.draw(arrays(dtype, batch + (m, k)))
    b = data.draw(arrays(data.draw(st.sampled_from([dtype, "float32"])), batch + (k2, n)))
    result, error = outcome(lambda: tf.matmul(a, b))
    if error is None:
        assert k == k2 and a.dtype == b.dtype
        with np.errstate(all="ignore"):
            check(result, error, np.matmul(a, b))


@SETTINGS
@given(st.data())
def test_reduce_sum(data):
    a = data.draw(arrays(data.draw(st.sampled_from(DTYPES[:4])), data.draw(shapes)))
    axis = data.draw(st.one_of(st.none(), st.integers(-4, 4),
                               st.lists(st.integers(-3, 3), max_size=3, unique=True)))
    result, error = outcome(lambda: tf.reduce_sum(a, axis=axis))
    if error is None:
        with np.errstate(all="ignore"):
            ax = tuple(axis) if isinstance(axis, list) else axis
            check(result, error, np.sum(a, axis=ax, dtype=a.dtype))


@SETTINGS
@given(st.data())
def test_reshape(data):
    a = data.draw(arrays(data.draw(st.sampled_from(DTYPES)), data.draw(shapes)))
    target = data.draw(st.lists(st.integers(-2, 6), max_size=4))
    result, error = outcome(lambda: tf.reshape(a, target))
    if error is None:
        check(result, error, np.reshape(a, target))


@SETTINGS
@given(st.data())
def test_concat(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    dtype = data.draw(st.sampled_from(DTYPES))
    a = data.draw(arrays(dtype, shape))
    b = data.draw(arrays(data.draw(st.sampled_from([dtype, "float32"])), data.draw(st.one_of(st.just(shape), shapes))))
    axis = data.draw(st.integers(-4, 4))
    result, error = outcome(lambda: tf.concat([a, b], axis=axis))
    if error is None:
        check(result, error, np.concatenate([a, b], axis=axis))


def _softmax(x, axis):
    if x.size == 0:
        return x
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@SETTINGS
@given(st.data())
def test_softmax(data):
    a = data.draw(arrays(data.draw(st.sampled_from(DTYPES)), data.draw(shapes), finite=True))
    axis = data.draw(st.integers(-4, 3))
    result, error = outcome(lambda: tf.nn.softmax(a, axis=axis))
    if error is None:
        assert a.dtype.kind == "f"
        with np.errstate(all="ignore"):
            check(result, error, _softmax(a.astype("float64"), axis).astype(a.dtype))


@SETTINGS
@given(st.data())
def test_cast(data):
    a = data.draw(arrays(data.draw(st.sampled_from(DTYPES)), data.draw(shapes), finite=True))
    target = data.draw(st.sampled_from(DTYPES + ["complex64", "uint8", "not_a_dtype"]))
    result, error = outcome(lambda: tf.cast(a, target))
    if error is None:
        expected = a.astype(target) if target != "bool" else a != 0
        if a.dtype.kind == "f" and np.dtype(target).kind in "iu":
            expected = np.trunc(a).astype(target)
        check(result, error, expected)


@SETTINGS
@given(st.data())
def test_transpose(data):
    a = data.draw(arrays(data.draw(st.sampled_from(DTYPES)), data.draw(shapes)))
    perm = data.draw(st.one_of(st.permutations(list(range(a.ndim))), st.lists(st.integers(-1, 3), max_size=3)))
    result, error = outcome(lambda: tf.transpose(a, perm=perm))
    if error is None:
        check(result, error, np.transpose(a, perm))
