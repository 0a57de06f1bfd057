"""Gradients of the recurrent layers against central finite differences in float64: with respect to the
inputs, every weight and the initial state, with masks and go_backwards, and the same gradients traced in
tf.function."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient, numeric_gradient

L = tf.keras.layers
RNG = np.random.default_rng(17)
MASK = np.array([[True, True, False, True], [True, False, False, False]])

LAYERS = {
    "simple_rnn": lambda: L.SimpleRNN(3, return_sequences=True, dtype="float64"),
    "lstm": lambda: L.LSTM(3, return_sequences=True, return_state=True, dtype="float64"),
    "gru_reset_after": lambda: L.GRU(3, return_sequences=True, dtype="float64"),
    "gru_reset_before": lambda: L.GRU(3, reset_after=False, return_state=True, dtype="float64"),
    "lstm_backwards": lambda: L.LSTM(3, go_backwards=True, dtype="float64"),
    "stacked_cells": lambda: L.RNN([L.LSTMCell(3, dtype="float64"), L.GRUCell(2, dtype="float64")], dtype="float64"),
    "bidirectional": lambda: L.Bidirectional(L.GRU(2, return_sequences=True, dtype="float64"), dtype="float64"),
    "time_distributed": lambda: L.TimeDistributed(L.Dense(2, activation="tanh", dtype="float64"), dtype="float64"),
}


def _concat(outputs):
    return tf.concat([tf.reshape(o, [-1]) for o in tf.nest.flatten(outputs)], 0)


def _built(name, x):
    layer = LAYERS[name]()
    layer(x)
    # weights of a moderate size, so that every gate works away from saturation
    layer.set_weights([RNG.uniform(-0.6, 0.6, w.shape) for w in layer.get_weights()])
    return layer


# TimeDistributed only passes a mask on; the recurrent layers are checked with and without one.
INPUT_CASES = [(n, m) for n in sorted(LAYERS) for m in (False, True) if not (m and n == "time_distributed")]


@pytest.mark.parametrize("name,masked", INPUT_CASES)
def test_gradient_wrt_inputs(name, masked):
    x = RNG.standard_normal((2, 4, 3))
    layer = _built(name, x)
    kwargs = {"mask": tf.constant(MASK)} if masked else {}
    check_gradient(lambda t: _concat(layer(t, **kwargs)), x, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_gradient_wrt_every_weight_eager_and_traced(name):
    x = RNG.standard_normal((2, 4, 3))
    layer = _built(name, x)
    mask = tf.constant(MASK)
    kwargs = {} if name == "time_distributed" else {"mask": mask}
    w = RNG.standard_normal(_concat(layer(x, **kwargs)).shape)

    def loss():
        return tf.reduce_sum(_concat(layer(tf.constant(x), **kwargs)) * w)

    with tf.GradientTape() as tape:
        value = loss()
    grads = tape.gradient(value, layer.trainable_weights)

    @tf.function
    def traced():
        with tf.GradientTape() as tape:
            value = loss()
        return tape.gradient(value, layer.trainable_weights)

    assert len(grads) == len(layer.trainable_weights) >= 2
    for var, got, got_traced in zip(layer.trainable_weights, grads, traced()):
        start = var.numpy()

        def at(v, var=var):
            var.assign(v)
            return float(loss().numpy())

        want = numeric_gradient(at, start.copy())
        var.assign(start)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-9, err_msg=var.name)
        np.testing.assert_allclose(got_traced.numpy(), got.numpy(), rtol=1e-10, atol=1e-13, err_msg=var.name)


def test_gradient_wrt_the_initial_state():
    x = RNG.standard_normal((2, 4, 3))
    layer = _built("lstm", x)
    c0 = RNG.standard_normal((2, 3))
    h0 = RNG.standard_normal((2, 3))
    check_gradient(lambda h: _concat(layer(x, initial_state=[h, c0])), h0, rtol=1e-6, atol=1e-9)
    check_gradient(lambda c: _concat(layer(x, initial_state=[h0, c])), c0, rtol=1e-6, atol=1e-9)


def test_masked_steps_get_no_input_gradient():
    x = RNG.standard_normal((2, 4, 3))
    layer = _built("gru_reset_after", x)
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.reduce_sum(layer(t, mask=tf.constant(MASK)))
    grad = tape.gradient(y, t).numpy()
    np.testing.assert_array_equal(grad[~MASK], 0.0)
    assert np.all(np.abs(grad[MASK]).sum(-1) > 0)
