"""tf.print and tf.debugging assertions inside tf.while_loop bodies and tf.cond branches of a tf.function: a
host call runs them at every iteration (the values of that iteration), as TensorFlow's PrintV2 and Assert."""

import io

import numpy as np
import pytest

import ferroflow as tf


def test_print_in_a_loop_body_prints_every_iteration():
    stream = io.StringIO()

    @tf.function
    def f(n):
        def body(i, acc):
            tf.print("step", i, acc, output_stream=stream)
            return i + 1, acc * 2

        return tf.while_loop(lambda i, acc: i < n, body, [tf.constant(0), tf.constant(1)])[1]

    assert int(f(tf.constant(3))) == 8
    assert stream.getvalue().splitlines() == ["step 0 1", "step 1 2", "step 2 4"]


def test_print_in_the_branch_taken_only():
    stream = io.StringIO()

    @tf.function
    def f(x):
        def then():
            tf.print("positive", x, output_stream=stream)
            return x

        def other():
            tf.print("negative", x, output_stream=stream)
            return -x

        return tf.cond(x > 0, then, other)

    f(tf.constant(2.0))
    f(tf.constant(-1.5))
    assert stream.getvalue().splitlines() == ["positive 2", "negative -1.5"]


def test_autograph_for_loop_with_print():
    stream = io.StringIO()

    @tf.function
    def f(xs):
        total = tf.constant(0.0)
        for x in xs:
            tf.print("x =", x, output_stream=stream)
            total += x
        return total

    assert float(f(tf.constant([1.0, 2.5]))) == 3.5
    assert stream.getvalue().splitlines() == ["x = 1", "x = 2.5"]


def test_assertion_in_a_loop_stops_at_the_failing_iteration():
    seen = []

    @tf.function
    def f(n):
        def body(i):
            tf.debugging.assert_less(i, 3, message="i too large")
            tf.numpy_function(lambda v: seen.append(int(v)), [i], None)
            return (i + 1,)

        return tf.while_loop(lambda i: i < n, body, [tf.constant(0)])[0]

    assert int(f(tf.constant(3))) == 3
    with pytest.raises(tf.errors.InvalidArgumentError, match="i too large"):
        f(tf.constant(10))
    assert seen == [0, 1, 2, 0, 1, 2]


def test_assertion_in_a_branch():
    @tf.function
    def safe_sqrt(x):
        def then():
            tf.debugging.assert_non_negative(x, message="negative input")
            return tf.sqrt(x)

        return tf.cond(tf.reduce_all(tf.math.is_finite(x)), then, lambda: x)

    np.testing.assert_allclose(safe_sqrt(tf.constant([4.0, 9.0])).numpy(), [2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative input"):
        safe_sqrt(tf.constant([-1.0, 4.0]))
