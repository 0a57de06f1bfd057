"""NumPy references of the recurrent layers, written from Keras's equations, and deterministic test data."""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def simple_rnn_step(x, states, kernel, recurrent_kernel, bias):
    h = np.tanh(x @ kernel + bias + states[0] @ recurrent_kernel)
    return h, [h]


def lstm_step(x, states, kernel, recurrent_kernel, bias):
    h, c = states
    u = h.shape[-1]
    z = x @ kernel + h @ recurrent_kernel + bias
    i, f, g, o = sigmoid(z[:, :u]), sigmoid(z[:, u : 2 * u]), np.tanh(z[:, 2 * u : 3 * u]), sigmoid(z[:, 3 * u :])
    c = f * c + i * g
    h = o * np.tanh(c)
    return h, [h, c]


def gru_step(x, states, kernel, recurrent_kernel, bias, reset_after=True):
    h = states[0]
    u = h.shape[-1]
    if reset_after:
        xw = x @ kernel + bias[0]
        inner = h @ recurrent_kernel + bias[1]
        z = sigmoid(xw[:, :u] + inner[:, :u])
        r = sigmoid(xw[:, u : 2 * u] + inner[:, u : 2 * u])
        hh = np.tanh(xw[:, 2 * u :] + r * inner[:, 2 * u :])
    else:
        xw = x @ kernel + bias
        z = sigmoid(xw[:, :u] + h @ recurrent_kernel[:, :u])
        r = sigmoid(xw[:, u : 2 * u] + h @ recurrent_kernel[:, u : 2 * u])
        hh = np.tanh(xw[:, 2 * u :] + (r * h) @ recurrent_kernel[:, 2 * u :])
    h = z * h + (1 - z) * hh
    return h, [h]


def run(step, x, states, mask=None, go_backwards=False, zero_output_for_mask=False):
    """Keras's ``backend.rnn``: (last output, outputs in step order, final states)."""
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs, prev = [], None
    for t in steps:
        out, new = step(x[:, t], states)
        if mask is not None:
            m = mask[:, t][:, None]
            fallback = np.zeros_like(out) if zero_output_for_mask or prev is None else prev
            out = np.where(m, out, fallback)
            new = [np.where(m, n, s) for n, s in zip(new, states)]
        states, prev = new, out
        outputs.append(out)
    return prev, np.stack(outputs, axis=1), states


def det_array(shape, scale=0.5, phase=0.0):
    """A deterministic array (so reference numbers from another library can be pasted into a test)."""
    n = int(np.prod(shape))
    return (scale * np.cos(np.arange(n) * 0.37 + phase)).reshape(shape)


def det_weights(layer_weights_shapes):
    return [det_array(s, phase=float(i)) for i, s in enumerate(layer_weights_shapes)]


def det_inputs(batch=2, time=4, features=3):
    return np.sin(np.arange(batch * time * features).reshape(batch, time, features) * 0.7)
