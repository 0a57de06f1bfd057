"""The core's whole-sequence LSTM op (TensorFlow's BlockLSTM), called directly: its output against the
NumPy recursion, and the gradient rule (backward op, its slices and the weight product) against finite
differences for each of its four inputs, eagerly and traced."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow.framework.ops import apply
from gradcheck import check_gradient
from recurrent_refs import sigmoid

RNG = np.random.default_rng(11)
T, B, U = 4, 3, 2


def _inputs():
    return [
        RNG.standard_normal((T, B, 4 * U)),
        RNG.standard_normal((B, U)),
        RNG.standard_normal((B, U)),
        RNG.uniform(-0.8, 0.8, (U, 4 * U)),
    ]


def _reference(x, h, c, w):
    out = []
    for t in range(T):
        z = x[t] + h @ w
        i, f, g, o = sigmoid(z[:, :U]), sigmoid(z[:, U : 2 * U]), np.tanh(z[:, 2 * U : 3 * U]), sigmoid(z[:, 3 * U :])
        c = f * c + i * g
        h = o * np.tanh(c)
        out.append(np.concatenate([h, c, z], axis=1))
    return np.stack(out)


def test_output_is_h_c_and_z_of_every_step():
    args = _inputs()
    y = apply("lstm_sequence", [tf.constant(a) for a in args])
    assert y.shape == (T, B, 6 * U)
    np.testing.assert_allclose(y.numpy(), _reference(*args), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("wrt", range(4))
@pytest.mark.parametrize("traced", [False, True])
def test_gradient_of_each_input(wrt, traced):
    def fn(*ts):
        return apply("lstm_sequence", list(ts))

    check_gradient(tf.function(fn) if traced else fn, *_inputs(), wrt=wrt, rtol=1e-6, atol=1e-9)


def test_bad_shapes_are_refused():
    x, h, c, _ = [tf.constant(a) for a in _inputs()]
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match="recurrent kernel"):
        apply("lstm_sequence", [x, h, c, tf.zeros([U, U], tf.float64)])
