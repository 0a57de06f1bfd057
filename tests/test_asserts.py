"""``tf.debugging.assert_*``: eager checks, checks after each run of a ``tf.function``, static shape checks."""

import numpy as np
import pytest

import ferroflow as tf


@pytest.mark.parametrize(
    "check,good,bad",
    [
        (tf.debugging.assert_equal, ([1, 2], [1, 2]), ([1, 2], [1, 3])),
        (tf.debugging.assert_none_equal, ([1, 2], [3, 4]), ([1, 2], [1, 4])),
        (tf.debugging.assert_less, ([1, 2], [2, 3]), ([1, 2], [2, 2])),
        (tf.debugging.assert_less_equal, ([1, 2], [1, 2]), ([1, 3], [1, 2])),
        (tf.debugging.assert_greater, ([3.0], [2.0]), ([2.0], [2.0])),
        (tf.debugging.assert_greater_equal, ([2.0], [2.0]), ([1.0], [2.0])),
        (tf.debugging.assert_near, ([1.0, 2.0], [1.0, 2.0 + 1e-7]), ([1.0], [1.1])),
    ],
)
def test_binary_checks(check, good, bad):
    check(tf.constant(good[0]), tf.constant(good[1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="my message"):
        check(tf.constant(bad[0]), tf.constant(bad[1]), message="my message")


def test_sign_checks():
    tf.debugging.assert_positive(tf.constant([1.0, 2.0]))
    tf.debugging.assert_non_negative(tf.constant([0, 2]))
    tf.debugging.assert_negative(tf.constant([-1]))
    tf.debugging.assert_non_positive(tf.constant([0.0]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.debugging.assert_positive(tf.constant([1.0, 0.0]))


def test_checks_inside_a_function_run_on_every_call():
    @tf.function
    def safe_sqrt(x):
        tf.debugging.assert_non_negative(x, message="negative input")
        return tf.sqrt(x)

    np.testing.assert_allclose(safe_sqrt(tf.constant([4.0, 9.0])).numpy(), [2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative input"):
        safe_sqrt(tf.constant([4.0, -9.0]))


def test_static_checks():
    tf.debugging.assert_rank(tf.zeros([2, 3]), 2)
    with pytest.raises(ValueError, match="rank 3"):
        tf.debugging.assert_rank(tf.zeros([2, 3]), 3)
    tf.debugging.assert_type(tf.zeros([1]), tf.float32)
    with pytest.raises(TypeError, match="int32"):
        tf.debugging.assert_type(tf.zeros([1]), tf.int32)
    x, y = tf.zeros([4, 3]), tf.zeros([4])
    tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N",))])
    with pytest.raises(ValueError, match="'N'"):
        tf.debugging.assert_shapes([(x, ("N", "Q")), (tf.zeros([5]), ("N",))])
