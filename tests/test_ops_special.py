"""Inverse trigonometric, hyperbolic and special functions against NumPy and Python's ``math``, one table
row per function: values in float32 and float64 (eager and traced, on a shape large enough for the
threaded kernels), gradients against finite differences in float64, edge values and bad-input errors."""

import math

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradients, check_values

rng = np.random.default_rng(7)
EULER = 0.5772156649015329


def rand(*shape, low=-0.9, high=0.9):
    return lambda dtype: rng.uniform(low, high, shape).astype(dtype)


def vectorize(f):
    return lambda x: np.vectorize(f, otypes=[np.float64])(x).astype(x.dtype)


def digamma_reference(x):
    """psi via the central difference of math.lgamma (accurate to ~1e-9 at this step)."""
    h = 1e-5
    return vectorize(lambda v: (math.lgamma(v + h) - math.lgamma(v - h)) / (2 * h))(x)


def erfinv_reference(y):
    """The inverse of math.erf by bisection, to float64 precision."""

    def one(v):
        lo, hi = -6.0, 6.0
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if math.erf(mid) < v else (lo, mid)
        return (lo + hi) / 2

    return vectorize(one)(y)


# (name, ferroflow fn, reference, inputs, float32 tolerance)
TABLE = [
    ("asin", tf.math.asin, np.arcsin, [rand(3, 4)], 1e-6),
    ("acos", tf.acos, np.arccos, [rand(3, 7)], 1e-6),
    ("atan", tf.atan, np.arctan, [rand(5, low=-5, high=5)], 1e-6),
    ("sinh", tf.sinh, np.sinh, [rand(4, 3, low=-3, high=3)], 1e-6),
    ("cosh", tf.math.cosh, np.cosh, [rand(4, 3, low=-3, high=3)], 1e-6),
    ("asinh", tf.asinh, np.arcsinh, [rand(6, low=-5, high=5)], 1e-6),
    ("acosh", tf.acosh, np.arccosh, [rand(6, low=1.1, high=5)], 1e-6),
    ("atanh", tf.atanh, np.arctanh, [rand(2, 5)], 1e-6),
    ("atan2", tf.atan2, np.arctan2, [rand(3, 4, low=-2, high=2), rand(4, low=-2, high=2)], 1e-6),
    ("erf", tf.math.erf, vectorize(math.erf), [rand(3, 7, low=-3, high=3)], 1e-6),
    ("erfc", tf.math.erfc, vectorize(math.erfc), [rand(7, low=-3, high=3)], 1e-6),
    ("erfinv", tf.math.erfinv, erfinv_reference, [rand(9, low=-0.99, high=0.99)], 1e-6),
    ("lgamma", tf.math.lgamma, vectorize(math.lgamma), [rand(3, 5, low=-4.5, high=8)], 1e-5),
    ("digamma", tf.math.digamma, digamma_reference, [rand(3, 5, low=0.3, high=9)], 1e-6),
    ("digamma_negative", tf.math.digamma, digamma_reference, [rand(6, low=-2.9, high=-2.1)], 1e-5),
    (
        "lbeta",
        tf.math.lbeta,
        lambda x: vectorize(math.lgamma)(x).sum(-1) - vectorize(math.lgamma)(x.sum(-1)),
        [rand(4, 3, low=0.5, high=4)],
        1e-5,
    ),
    (
        "ndtri",
        tf.math.ndtri,
        lambda p: math.sqrt(2) * erfinv_reference(2 * p - 1),
        [rand(5, low=0.01, high=0.99)],
        1e-5,
    ),
    ("erfcinv", tf.math.erfcinv, lambda x: erfinv_reference(1 - x), [rand(5, low=0.05, high=1.95)], 1e-5),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_values_match_the_reference_eagerly_and_traced(row, dtype):
    name, fn, ref, builders, tol32 = row
    if dtype == np.float64 and name.startswith("digamma"):
        # The reference is a finite difference, good to about 1e-9.
        inputs = [b(dtype) for b in builders]
        np.testing.assert_allclose(fn(tf.constant(inputs[0])).numpy(), ref(inputs[0]), rtol=1e-8, atol=1e-8)
        return
    check_values(fn, ref, builders, dtype, float32_tol=tol32)


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_gradients_match_finite_differences(row):
    check_gradients(row[1], row[3])


LARGE = {
    "asin": (tf.asin, np.arcsin, -0.99, 0.99),
    "atan": (tf.atan, np.arctan, -9.0, 9.0),
    "cosh": (tf.cosh, np.cosh, -5.0, 5.0),
    "acosh": (tf.acosh, np.arccosh, 1.0, 9.0),
    "erf": (tf.math.erf, vectorize(math.erf), -3.0, 3.0),
    "erfinv_roundtrip": (lambda x: tf.math.erf(tf.math.erfinv(x)), lambda x: x, -0.999, 0.999),
    "lgamma": (tf.math.lgamma, vectorize(math.lgamma), 0.01, 30.0),
    "digamma": (tf.math.digamma, digamma_reference, 0.5, 30.0),
}


@pytest.mark.parametrize("name", sorted(LARGE))
def test_large_tensors_take_the_threaded_kernels(name):
    fn, ref, low, high = LARGE[name]
    x = rng.uniform(low, high, (257, 301))
    np.testing.assert_allclose(fn(tf.constant(x.astype(np.float32))).numpy(), ref(x), rtol=2e-5, atol=2e-5)
    np.testing.assert_allclose(fn(tf.constant(x)).numpy(), ref(x), rtol=1e-8, atol=1e-8)


def test_exact_values_and_edges_as_tensorflow_gives_them():
    np.testing.assert_allclose(
        tf.math.digamma([1.0, 0.5, 4.0]).numpy(), [-EULER, -EULER - 2 * math.log(2), 11 / 6 - EULER], rtol=1e-6
    )
    d = tf.math.digamma(tf.constant([0.0, -1.0, -2.0], tf.float64)).numpy()
    assert d[0] == -np.inf and np.isnan(d[1:]).all()
    lg = tf.math.lgamma(tf.constant([0.0, -1.0, 1.0, 2.0])).numpy()
    assert lg[0] == np.inf and lg[1] == np.inf and lg[2] == 0.0 and lg[3] == 0.0
    e = tf.math.erfinv(tf.constant([-1.0, 1.0, 1.5, 0.0])).numpy()
    assert e[0] == -np.inf and e[1] == np.inf and np.isnan(e[2]) and e[3] == 0.0
    assert np.isnan(tf.asin(2.0).numpy()) and tf.atanh(1.0).numpy() == np.inf
    np.testing.assert_allclose(tf.atan2([1.0, -1.0, 0.0], [0.0, 0.0, -1.0]).numpy(), [np.pi / 2, -np.pi / 2, np.pi])
    assert tf.math.erf(tf.zeros([0, 3])).shape == (0, 3)


def test_second_derivative_of_lgamma_is_trigamma_and_the_third_is_refused():
    x = tf.constant([0.5, 1.0, 3.0], tf.float64)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.math.lgamma(x)
        d1 = t1.gradient(y, x)
    d2 = t2.gradient(d1, x)
    np.testing.assert_allclose(d2.numpy(), [np.pi**2 / 2, np.pi**2 / 6, np.pi**2 / 6 - 1 - 0.25], rtol=1e-14)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            d1 = tf.math.digamma(x)
        d2 = t2.gradient(d1, x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="trigamma"):
        t3.gradient(d2, x)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tf.math.erf(tf.constant([1, 2])), TypeError, "float32 or float64 tensor, received int32"),
        (
            lambda: tf.atan2(tf.constant([1.0]), tf.constant([1.0], tf.float64)),
            TypeError, "float32 and float64|same dtype",
        ),
        (lambda: tf.atan2(tf.constant([1, 2]), tf.constant([1, 2])), TypeError, "float32 or float64"),
        (lambda: tf.atan2(tf.ones([2, 3]), tf.ones([4])), tf.errors.InvalidArgumentError, "broadcast|compatible"),
    ],
)
def test_bad_arguments_raise(call, error, message):
    with pytest.raises(error, match=message):
        call()
