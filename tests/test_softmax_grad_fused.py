"""The gradient of a last-axis softmax as one core op (`SoftmaxGrad`, what attention's backward pass runs):
first and second derivatives against finite differences, other axes through the composed formula."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient, numeric_gradient

RNG = np.random.default_rng(5)


@pytest.mark.parametrize("shape", [(4, 7), (2, 3, 4, 128), (1, 1)])
def test_first_derivative(shape):
    check_gradient(lambda x: tf.nn.softmax(x), RNG.standard_normal(shape) * 2, rtol=1e-6)


@pytest.mark.parametrize("axis", [0, 1])
def test_other_axes_use_the_composed_formula(axis):
    check_gradient(lambda x: tf.nn.softmax(x, axis=axis), RNG.standard_normal((3, 5, 4)), rtol=1e-6)


def test_second_derivative_through_the_fused_gradient():
    x0 = RNG.standard_normal((3, 6))
    v = RNG.standard_normal((3, 6))
    w = RNG.standard_normal((3, 6))

    def grad_dot_v(x):
        x = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.nn.softmax(x) * w)
        return float(tf.reduce_sum(tape.gradient(y, x) * v).numpy())

    x = tf.constant(x0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.nn.softmax(x) * w)
        hv = tf.reduce_sum(inner.gradient(y, x) * v)
    got = outer.gradient(hv, x).numpy()
    np.testing.assert_allclose(got, numeric_gradient(grad_dot_v, x0), rtol=1e-5, atol=1e-7)


def test_the_gradient_graph_holds_one_softmax_grad_node():
    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.nn.softmax(x) ** 2)
        return tape.gradient(y, x)

    graph = step.get_concrete_function(tf.TensorSpec((8, 16))).graph
    types = [op.type for op in graph.get_operations()]
    assert types.count("SoftmaxGrad") == 1
    x = RNG.standard_normal((8, 16)).astype("float32")
    p = np.exp(x - x.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    g = 2 * p
    np.testing.assert_allclose(step(tf.constant(x)).numpy(), p * (g - (g * p).sum(-1, keepdims=True)), rtol=1e-5,
                               atol=1e-7)
