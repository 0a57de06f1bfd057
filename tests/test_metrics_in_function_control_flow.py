"""Keras metrics updated inside the control flow of a traced function (``tf.while_loop``/``tf.cond`` bodies):
the update runs as many times as the loop body, and only on the branch taken."""

from __future__ import annotations

import pytest

import ferroflow as tf


def test_update_in_a_while_loop_body_runs_once_per_iteration():
    m = tf.keras.metrics.Mean()

    @tf.function
    def loop(n):
        def body(i):
            m.update_state(tf.cast(i, tf.float32))
            return (i + 1,)

        tf.while_loop(lambda i: i < n, body, (tf.constant(0),))
        return m.result()

    assert float(loop(tf.constant(4))) == 1.5  # mean of 0, 1, 2, 3
    assert float(loop(tf.constant(2))) == pytest.approx(7.0 / 6.0)  # and 0, 1
    assert float(m.result()) == pytest.approx(7.0 / 6.0)


def test_update_in_a_cond_branch_runs_only_when_taken():
    m = tf.keras.metrics.Sum()

    @tf.function
    def positive_only(x):
        def add():
            m.update_state(x)
            return tf.constant(1.0)

        tf.cond(x > 0, add, lambda: tf.constant(0.0))
        return m.result()

    assert [float(positive_only(tf.constant(v))) for v in (3.0, -1.0, 2.0)] == [3.0, 3.0, 5.0]
