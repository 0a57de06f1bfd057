"""The composed ``tf.math`` functions (``reduce_euclidean_norm``, ``multiply_no_nan``, ``cumulative_logsumexp``,
``xlog1py``, ``truncatediv`` ...) against NumPy, one table row per case: values in float32 and float64 (eager
and traced), gradients against finite differences in float64, and bad-input errors. Integer and bool cases are
in test_ops_math_extra_cases.py."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradients, check_values

rng = np.random.default_rng(7)


def rand(*shape, low=-2.0, high=2.0):
    return lambda dtype: rng.uniform(low, high, shape).astype(dtype)


def fixed(*values):
    return lambda dtype: np.array(values, dtype=dtype)


def cum_logsumexp(x, axis=0, exclusive=False, reverse=False):
    x = np.flip(x, axis) if reverse else x
    out = np.logaddexp.accumulate(x, axis=axis)
    if exclusive:
        pad = np.full_like(np.take(out, [0], axis=axis), -np.inf)
        out = np.concatenate([pad, np.delete(out, -1, axis=axis)], axis=axis)
    return np.flip(out, axis) if reverse else out


def clip_to_dtype(x):
    info = np.finfo(x.dtype)
    return np.clip(x, info.min, info.max)


# (name, ferroflow fn, numpy reference, inputs, differentiable)
TABLE = [
    ("softsign", tf.math.softsign, lambda x: x / (1 + np.abs(x)), [rand(3, 4)], True),
    ("nn_softsign", tf.nn.softsign, lambda x: x / (1 + np.abs(x)), [rand(5)], True),
    (
        "euclidean_norm_axis1",
        lambda x: tf.math.reduce_euclidean_norm(x, axis=1),
        lambda x: np.sqrt(np.sum(x**2, axis=1)),
        [rand(3, 4)],
        True,
    ),
    (
        "euclidean_norm_all_keepdims",
        lambda x: tf.math.reduce_euclidean_norm(x, keepdims=True),
        lambda x: np.sqrt(np.sum(x**2, keepdims=True)),
        [rand(2, 3)],
        True,
    ),
    (
        "euclidean_norm_empty",
        lambda x: tf.math.reduce_euclidean_norm(x, axis=0),
        lambda x: np.zeros(3, x.dtype),
        [rand(0, 3)],
        False,
    ),
    ("multiply_no_nan_broadcast", tf.math.multiply_no_nan, lambda x, y: x * y, [rand(3, 4), rand(4)], True),
    (
        "multiply_no_nan_zeros",
        tf.math.multiply_no_nan,
        lambda x, y: np.where(y == 0, 0, x * y),
        [rand(2, 3), fixed(0.0, 1.5, 0.0)],
        True,
    ),
    (
        "multiply_no_nan_inf_nan",
        tf.math.multiply_no_nan,
        lambda x, y: np.array([0.0, 0.0, np.nan, np.inf], x.dtype),
        [fixed(np.inf, np.nan, 1.0, np.inf), fixed(0.0, 0.0, np.nan, 2.0)],
        False,
    ),
    ("multiply_no_nan_empty", tf.math.multiply_no_nan, lambda x, y: x * y, [rand(0, 2), rand(2)], False),
    (
        "cumulative_logsumexp",
        lambda x: tf.math.cumulative_logsumexp(x),
        cum_logsumexp,
        [rand(9, 2, low=-5, high=5)],
        True,
    ),
    (
        "cumulative_logsumexp_axis1_exclusive",
        # The first column is -inf (a sum over nothing), where finite differences are undefined.
        lambda x: tf.math.cumulative_logsumexp(x, axis=1, exclusive=True)[:, 1:],
        lambda x: cum_logsumexp(x, axis=1, exclusive=True)[:, 1:],
        [rand(2, 7)],
        True,
    ),
    (
        "cumulative_logsumexp_reverse",
        lambda x: tf.math.cumulative_logsumexp(x, axis=-1, reverse=True),
        lambda x: cum_logsumexp(x, axis=-1, reverse=True),
        [rand(3, 5)],
        True,
    ),
    (
        "cumulative_logsumexp_exclusive_reverse",
        lambda x: tf.math.cumulative_logsumexp(x, exclusive=True, reverse=True)[:-1],
        lambda x: cum_logsumexp(x, exclusive=True, reverse=True)[:-1],
        [rand(6)],
        True,
    ),
    (
        "cumulative_logsumexp_ties_and_large",
        lambda x: tf.math.cumulative_logsumexp(x),
        cum_logsumexp,
        [fixed(1.0, 1.0, 300.0, -300.0, 1.0)],
        True,
    ),
    (
        "cumulative_logsumexp_inf",
        lambda x: tf.math.cumulative_logsumexp(x),
        cum_logsumexp,
        [fixed(-np.inf, -np.inf, 1.0, np.inf)],
        False,
    ),
    ("cumulative_logsumexp_empty", lambda x: tf.math.cumulative_logsumexp(x, axis=0), lambda x: x, [rand(0, 3)], False),
    ("scalar_mul", lambda x: tf.math.scalar_mul(2.5, x), lambda x: 2.5 * x, [rand(2, 3)], True),
    ("xlog1py", tf.math.xlog1py, lambda x, y: x * np.log1p(y), [rand(3, 4), rand(4, low=-0.5)], True),
    (
        "xlog1py_at_zero",
        tf.math.xlog1py,
        lambda x, y: np.array([0.0, 0.0, np.log(2.0)], x.dtype),
        [fixed(0.0, 0.0, 1.0), fixed(-1.0, np.nan, 1.0)],
        False,
    ),
    ("realdiv", tf.realdiv, lambda x, y: x / y, [rand(3, 4), rand(3, 1, low=0.5)], True),
    (
        "truncatediv",
        tf.truncatediv,
        lambda x, y: np.trunc(x / y),
        [rand(4, 5, low=-9, high=9), rand(5, low=0.5)],
        False,
    ),
    (
        "truncatediv_by_zero",
        tf.truncatediv,
        lambda x, y: np.trunc(x / y),
        [fixed(7.0, -7.0, 0.5), fixed(0.0, 0.0, -0.25)],
        False,
    ),
    ("truncatemod", tf.truncatemod, np.fmod, [rand(4, 5, low=-9, high=9), rand(5, low=-3, high=3)], False),
    ("rint", tf.math.rint, np.rint, [fixed(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -3.2)], False),
    (
        "saturate_cast_same_dtype",
        lambda x: tf.saturate_cast(x, x.dtype),
        clip_to_dtype,
        [fixed(np.inf, -np.inf, 1.5, -2.0)],
        False,
    ),
    ("saturate_cast_gradient", lambda x: tf.saturate_cast(x, x.dtype), lambda x: x, [rand(5)], True),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_values_match_numpy_eagerly_and_traced(row, dtype):
    _, fn, ref, builders, _ = row
    with np.errstate(all="ignore"):
        check_values(fn, ref, builders, dtype, float32_tol=3e-6)


GRADIENT_ROWS = [r for r in TABLE if r[4]]


@pytest.mark.parametrize("row", GRADIENT_ROWS, ids=[r[0] for r in GRADIENT_ROWS])
def test_gradients_match_finite_differences(row):
    _, fn, _, builders, _ = row
    check_gradients(fn, builders)


def test_multiply_no_nan_gradient_at_zero_y_is_x_as_tensorflows():
    x, y = tf.constant([3.0, 2.0]), tf.constant([0.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = tf.math.multiply_no_nan(x, y)
    np.testing.assert_array_equal(tape.gradient(z, x).numpy(), [0.0, 4.0])
    np.testing.assert_array_equal(tape.gradient(z, y).numpy(), [3.0, 2.0])


def test_xlog1py_gradient_is_zero_where_x_is_zero():
    x, y = tf.constant([0.0, 1.0]), tf.constant([-1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = tf.math.xlog1py(x, y)
    np.testing.assert_allclose(tape.gradient(z, x).numpy(), [0.0, np.log(3.0)], rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(z, y).numpy(), [0.0, 1.0 / 3.0], rtol=1e-6)


@pytest.mark.parametrize("fn", [tf.math.rint, lambda x: tf.truncatediv(x, 2.0), lambda x: tf.truncatemod(x, 2.0)])
def test_ops_without_a_tensorflow_gradient_give_none(fn):
    x = tf.constant([1.3, -2.7])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    assert tape.gradient(y, x) is None


def test_exclusive_cumulative_logsumexp_starts_from_minus_infinity():
    got = tf.math.cumulative_logsumexp(tf.constant([1.0, 2.0, 3.0]), exclusive=True).numpy()
    np.testing.assert_allclose(got, [-np.inf, 1.0, np.logaddexp(1.0, 2.0)], rtol=1e-6)
    got = tf.math.cumulative_logsumexp(tf.constant([1.0, 2.0, 3.0]), exclusive=True, reverse=True).numpy()
    np.testing.assert_allclose(got, [np.logaddexp(2.0, 3.0), 3.0, -np.inf], rtol=1e-6)


E = tf.errors.InvalidArgumentError


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: tf.math.softsign(tf.constant([1, 2])), TypeError, "float32 or float64.*received int32"),
        (lambda: tf.math.reduce_euclidean_norm(tf.constant([True])), TypeError, "numeric tensor, received bool"),
        (lambda: tf.math.reduce_euclidean_norm(tf.ones([2]), axis=1), E, "axis 1 is out of range"),
        (lambda: tf.math.multiply_no_nan([1, 2], [0, 3]), TypeError, "float32 or float64 tensor for x, received int32"),
        (lambda: tf.math.multiply_no_nan(tf.ones([2]), tf.constant([0, 3])), ValueError, "float32, received int32"),
        (lambda: tf.math.multiply_no_nan(tf.ones([2]), tf.ones([3])), E, r"\(2,\).*\(3,\)"),
        (lambda: tf.math.rint(tf.constant([1, 2])), TypeError, "received int32"),
        (lambda: tf.math.is_strictly_increasing([True, False]), TypeError, "numeric.*bool"),
        (lambda: tf.math.cumulative_logsumexp(tf.constant([1, 2])), TypeError, "received int32"),
        (lambda: tf.math.cumulative_logsumexp(tf.constant(1.0)), E, "rank at least 1, received a scalar"),
        (lambda: tf.math.cumulative_logsumexp(tf.ones([2]), axis=2), E, "axis 2 is out of range"),
        (lambda: tf.math.invert_permutation([0, 0, 1]), E, "0 is duplicated"),
        (lambda: tf.math.invert_permutation([0, 3]), E, "3 is not between 0 and 2"),
        (lambda: tf.math.invert_permutation([[0, 1]]), E, r"1-D vector .*received shape \(1, 2\)"),
        (lambda: tf.math.invert_permutation([0.0, 1.0]), TypeError, "int32 or int64 values, received float32"),
        (lambda: tf.math.scalar_mul([2.0, 3.0], tf.ones([2])), ValueError, r"0-D value. Received shape \(2,\)"),
        (lambda: tf.math.scalar_mul(2.5, tf.constant([1, 2])), TypeError, "2.5.*int32"),
        (lambda: tf.math.xlog1py([0, 1], [1, 2]), TypeError, "received int32"),
        (lambda: tf.realdiv(tf.constant([7]), 2), TypeError, "float32 or float64 tensor for x, received int32"),
        (lambda: tf.realdiv(tf.ones([1]), tf.constant([2])), TypeError, "for y, received int32"),
        (lambda: tf.truncatediv(tf.constant([7]), 0), E, "division by zero"),
        (lambda: tf.truncatemod(tf.constant([True]), True), TypeError, "received bool"),
        (lambda: tf.truncatemod(tf.ones([1]), tf.ones([1], tf.float64)), TypeError, "float32 and float64"),
        (lambda: tf.saturate_cast(tf.ones([2]), tf.bool), TypeError, "float32 to bool"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()
