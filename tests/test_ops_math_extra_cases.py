"""Integer, bool and edge cases of the composed ``tf.math`` functions, eagerly and traced by ``tf.function``:
C-style truncated division, integer norms and zero fractions, the monotonicity tests, ``invert_permutation``
(checked after a traced call too) and ``saturate_cast``'s clamping and gradients."""

import numpy as np
import pytest

import ferroflow as tf

rng = np.random.default_rng(8)


def both(fn, *args):
    """``fn`` on ``args`` eagerly and traced by ``tf.function``, as NumPy arrays (after checking they agree)."""
    eager = fn(*[tf.constant(a) for a in args])
    traced = tf.function(fn)(*[tf.constant(a) for a in args])
    np.testing.assert_array_equal(np.asarray(eager), np.asarray(traced))
    assert eager.dtype == traced.dtype
    return eager


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_truncated_division_and_remainder_follow_c(dtype):
    x = np.array([7, -7, 7, -7, 0, 6], dtype)
    y = np.array([2, 2, -2, -2, 3, -3], dtype)
    q, r = both(tf.truncatediv, x, y), both(tf.truncatemod, x, y)
    assert q.dtype == dtype and r.dtype == dtype
    np.testing.assert_array_equal(q.numpy(), [3, -3, -3, 3, 0, -2])
    np.testing.assert_array_equal(r.numpy(), np.fmod(x, y))
    np.testing.assert_array_equal(q.numpy() * y + r.numpy(), x)


def test_integer_and_bool_inputs():
    norm = both(lambda x: tf.math.reduce_euclidean_norm(x, axis=1), np.array([[3, 4], [5, 12], [1, 1]], np.int32))
    assert norm.dtype == tf.int32
    np.testing.assert_array_equal(norm.numpy(), [5, 13, 1])  # the root is truncated, as TensorFlow's
    assert both(tf.math.zero_fraction, np.array([[0, 1], [0, 3]], np.int64)).numpy() == 0.5
    fraction = tf.math.zero_fraction(np.array([True, False, False]))
    assert fraction.dtype == tf.float32 and np.isclose(fraction.numpy(), 2 / 3)
    assert np.isnan(tf.nn.zero_fraction(tf.zeros([0])).numpy())
    assert both(tf.math.zero_fraction, np.array([0.0, -0.0, np.nan])).numpy() == np.float32(2 / 3)
    scaled = tf.math.scalar_mul(3, tf.constant([1, 2]))
    assert scaled.dtype == tf.int32 and scaled.numpy().tolist() == [3, 6]


@pytest.mark.parametrize(
    "values,non_decreasing,strictly",
    [
        ([1, 2, 2, 3], True, False),
        ([1, 2, 3], True, True),
        ([[1, 2], [0, 3]], False, False),
        ([], True, True),
        ([3.0], True, True),
        ([1.0, np.nan, 2.0], False, False),
        ([np.inf, np.inf], True, False),
    ],
)
def test_monotonicity_tests_flatten_their_input(values, non_decreasing, strictly):
    x = np.asarray(values, np.float64 if np.asarray(values).dtype.kind == "f" else np.int32)
    assert bool(both(tf.math.is_non_decreasing, x)) is non_decreasing
    assert bool(both(tf.math.is_strictly_increasing, x)) is strictly
    assert bool(tf.math.is_non_decreasing(3.0))


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_invert_permutation_eagerly_and_traced(dtype):
    perm = rng.permutation(11).astype(dtype)
    got = both(tf.math.invert_permutation, perm)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got.numpy(), np.argsort(perm))
    assert tf.math.invert_permutation(np.zeros(0, dtype)).shape == (0,)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a permutation"):
        tf.function(tf.math.invert_permutation)(tf.constant(np.array([0, 0, 1], dtype)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a permutation"):
        tf.function(tf.math.invert_permutation)(tf.constant(np.array([0, 5, 1], dtype)))


@pytest.mark.parametrize(
    "values,dtype,want",
    [
        ([-1e10, 3.7, 1e10], "int32", [-(2**31), 3, 2147483520]),  # the largest float32 below 2**31
        ([-(2**40), 5, 2**40], "int64->int32", [-(2**31), 5, 2**31 - 1]),
        ([1e300, -1e300, 1.0], "float64->float32", [np.finfo(np.float32).max, np.finfo(np.float32).min, 1.0]),
        ([-5.0, 3.7, 300.0], "uint8", [0, 3, 255]),
        ([1e30, -1e30, 2.5], "int64", [9223371487098961920, -(2**63), 2]),
        ([np.inf, -np.inf, 2.0], "int32", [2147483520, -(2**31), 2]),
    ],
)
def test_saturate_cast_clamps_to_the_target_range(values, dtype, want):
    source, _, target = dtype.rpartition("->")
    x = np.asarray(values, source or "float32")
    got = both(lambda v: tf.saturate_cast(v, target), x)
    assert got.dtype == tf.as_dtype(target)  # uint8 is held as int32
    np.testing.assert_array_equal(got.numpy(), np.asarray(want, got.dtype.as_numpy_dtype))
    assert tf.dtypes.saturate_cast is tf.saturate_cast


def test_saturate_cast_gradient_reaches_float_targets_only():
    x = tf.constant([-1e10, 0.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        wide, narrow = tf.saturate_cast(x, tf.float64), tf.saturate_cast(x, tf.int32)
    np.testing.assert_array_equal(tape.gradient(wide, x).numpy(), [1.0, 1.0])
    assert tape.gradient(narrow, x) is None
