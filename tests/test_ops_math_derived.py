"""Scans and the derived ``tf.math`` functions against NumPy, one table row per case: values in float32 and
float64 (eager and traced), gradients against finite differences in float64, and bad-input errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradients, check_values

rng = np.random.default_rng(1)


def rand(*shape, low=-2.0, high=2.0):
    return lambda dtype: rng.uniform(low, high, shape).astype(dtype)


def exclusive_cumsum(x, axis):
    c = np.cumsum(x, axis=axis)
    return np.concatenate([np.zeros_like(np.take(c, [0], axis=axis)), np.delete(c, -1, axis=axis)], axis=axis)


# (name, ferroflow fn, numpy reference, inputs, differentiable)
TABLE = [
    ("cumsum_axis0", lambda x: tf.cumsum(x), lambda x: np.cumsum(x, axis=0), [rand(7, 3)], True),
    ("cumsum_axis1_long", lambda x: tf.math.cumsum(x, axis=1), lambda x: np.cumsum(x, axis=1), [rand(3, 37)], True),
    (
        "cumsum_exclusive",
        lambda x: tf.cumsum(x, axis=-1, exclusive=True),
        lambda x: exclusive_cumsum(x, -1),
        [rand(2, 5)],
        True,
    ),
    (
        "cumsum_reverse",
        lambda x: tf.cumsum(x, reverse=True),
        lambda x: np.cumsum(x[::-1], axis=0)[::-1],
        [rand(6)],
        True,
    ),
    ("cumprod", lambda x: tf.math.cumprod(x, axis=1), lambda x: np.cumprod(x, axis=1), [rand(2, 9, low=0.5)], True),
    (
        "cumprod_exclusive_reverse",
        lambda x: tf.math.cumprod(x, exclusive=True, reverse=True),
        lambda x: np.concatenate([np.cumprod(x[::-1])[::-1][1:], [1.0]]),
        [rand(5, low=0.5)],
        True,
    ),
    ("squared_difference", tf.math.squared_difference, lambda x, y: (x - y) ** 2, [rand(3, 4), rand(4)], True),
    (
        "divide_no_nan",
        tf.math.divide_no_nan,
        lambda x, y: np.where(y == 0, 0, x / np.where(y == 0, 1, y)),
        [rand(2, 3), lambda d: np.array([1.5, 0.0, -2.0], d)],
        True,
    ),
    (
        "reciprocal_no_nan",
        tf.math.reciprocal_no_nan,
        lambda x: np.where(x == 0, 0, 1 / np.where(x == 0, 1, x)),
        [lambda d: np.array([2.0, 0.0, -0.5], d)],
        True,
    ),
    (
        "xlogy_at_zero",
        tf.math.xlogy,
        lambda x, y: np.where(x == 0, 0, x * np.log(np.where(x == 0, 1, y))),
        [lambda d: np.array([0.0, 1.5, 2.0], d), lambda d: np.array([0.0, 2.0, 0.5], d)],
        False,
    ),
    ("xlogy", tf.math.xlogy, lambda x, y: x * np.log(y), [rand(4), rand(4, low=0.5)], True),
    (
        "xdivy_at_zero",
        tf.math.xdivy,
        lambda x, y: np.where(x == 0, 0, x / np.where(x == 0, 1, y)),
        [lambda d: np.array([0.0, 1.5, 2.0], d), lambda d: np.array([0.0, 2.0, 0.5], d)],
        False,
    ),
    ("xdivy", tf.math.xdivy, lambda x, y: x / y, [rand(4), rand(4, low=0.5)], True),
    ("tan", tf.math.tan, np.tan, [rand(10, low=-1.2, high=1.2)], True),
    ("log_sigmoid", tf.math.log_sigmoid, lambda x: -np.logaddexp(0, -x), [rand(10, low=-30, high=30)], True),
    (
        "polyval",
        lambda x: tf.math.polyval([2.0, -1.0, 3.0], x),
        lambda x: np.polyval([2.0, -1.0, 3.0], x),
        [rand(6)],
        True,
    ),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_values_match_numpy_eagerly_and_traced(row, dtype):
    _, fn, ref, builders, _ = row
    check_values(fn, ref, builders, dtype, float32_tol=2e-6)


GRADIENT_ROWS = [r for r in TABLE if r[4]]


@pytest.mark.parametrize("row", GRADIENT_ROWS, ids=[r[0] for r in GRADIENT_ROWS])
def test_gradients_match_finite_differences(row):
    _, fn, _, builders, _ = row
    # Those inputs hold the point where the function is defined as 0 and jumps: finite differences there
    # are meaningless (the zero gradient there is tested on its own below).
    skip = {"divide_no_nan": (1,), "reciprocal_no_nan": (0,)}.get(row[0], ())
    check_gradients(fn, builders, skip)


def test_safe_division_has_zero_gradient_where_it_is_defined_as_zero():
    x, y = tf.constant([1.0, 2.0]), tf.constant([0.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = tf.math.divide_no_nan(x, y)
    np.testing.assert_array_equal(tape.gradient(z, x).numpy(), [0.0, 0.25])
    np.testing.assert_array_equal(tape.gradient(z, y).numpy(), [0.0, -2.0 / 16])


def test_integer_scans_are_exact_and_large_shapes_work():
    big = rng.integers(-1000, 1000, size=(64, 3000)).astype(np.int64)
    np.testing.assert_array_equal(tf.cumsum(big, axis=1).numpy(), np.cumsum(big, axis=1))
    x = rng.standard_normal((256, 1024)).astype(np.float32)
    np.testing.assert_allclose(tf.cumsum(x, axis=0).numpy(), np.cumsum(x, axis=0), rtol=1e-4, atol=1e-4)
    assert tf.cumsum(tf.zeros([0, 3]), axis=0).shape == (0, 3)


def test_logical_reductions_and_counts():
    b = np.array([[True, False, True], [False, False, True]])
    np.testing.assert_array_equal(tf.reduce_any(b, axis=1).numpy(), b.any(axis=1))
    np.testing.assert_array_equal(tf.reduce_all(b, axis=0).numpy(), b.all(axis=0))
    assert bool(tf.reduce_any(b)) and not bool(tf.reduce_all(b))
    assert tf.reduce_all(np.zeros((0,), bool)).numpy() and not tf.reduce_any(np.zeros((0,), bool)).numpy()
    np.testing.assert_array_equal(tf.math.logical_xor(b[0], b[1]).numpy(), b[0] ^ b[1])
    x = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, 0.0]])
    assert int(tf.math.count_nonzero(x)) == 2
    np.testing.assert_array_equal(tf.math.count_nonzero(x, axis=1).numpy(), [1, 1])
    assert tf.math.count_nonzero(x).dtype == tf.int64


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.cumsum(tf.constant(1.0)), ValueError, "rank at least 1"),
        (lambda: tf.cumsum(tf.zeros([2, 3]), axis=2), tf.errors.InvalidArgumentError, "out of range"),
        (lambda: tf.reduce_any(tf.zeros([2])), TypeError, "bool tensor"),
        (lambda: tf.math.polyval(3.0, 2.0), ValueError, "list of tensors"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()
