"""A NumPy reference of Keras's convolutional LSTM (tests only): N-D convolution with TensorFlow's "same"
padding, strides and dilation, and the ConvLSTM step with gates i, f, c, o in the kernels' last axis."""

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def conv(x, w, strides=None, padding="valid", dilation=None):
    """Channels-last N-D convolution: x (batch, *spatial, in), w (*kernel, in, out)."""
    rank = x.ndim - 2
    strides = strides or (1,) * rank
    dilation = dilation or (1,) * rank
    kernel = w.shape[:rank]
    span = [(k - 1) * d + 1 for k, d in zip(kernel, dilation)]
    if padding == "same":
        pads = []
        for n, e, s in zip(x.shape[1:-1], span, strides):
            total = max((-(-n // s) - 1) * s + e - n, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    outs = [(n - e) // s + 1 for n, e, s in zip(x.shape[1:-1], span, strides)]
    y = np.zeros((x.shape[0], *outs, w.shape[-1]), dtype=np.float64)
    for tap in np.ndindex(*kernel):
        window = tuple(slice(i * d, i * d + (o - 1) * s + 1, s) for i, d, o, s in zip(tap, dilation, outs, strides))
        y += np.tensordot(x[(slice(None),) + window], w[tap], axes=([-1], [0]))
    return y


def conv_lstm(
    x,
    kernel,
    recurrent_kernel,
    bias=None,
    strides=None,
    padding="valid",
    dilation=None,
    go_backwards=False,
    mask=None,
    initial=None,
    activation=np.tanh,
    recurrent_activation=sigmoid,
    channels_first=False,
):
    """Runs a ConvLSTM over x (batch, time, *spatial, channels); returns (sequence, h, c) as Keras."""
    x = np.asarray(x, np.float64)
    if channels_first:
        x = np.moveaxis(x, 2, -1)
    steps, f = x.shape[1], recurrent_kernel.shape[-2]
    rank = x.ndim - 3
    ones = (1,) * rank
    first = conv(x[:, 0], kernel, strides, padding, dilation)
    if initial is None:
        h = c = np.zeros(first.shape[:-1] + (f,))
    else:
        h, c = (np.moveaxis(s, 1, -1) if channels_first else s for s in initial)
    prev = np.zeros_like(h)
    outputs = []
    for t in range(steps - 1, -1, -1) if go_backwards else range(steps):
        z = conv(x[:, t], kernel, strides, padding, dilation) + conv(h, recurrent_kernel, ones, "same", ones)
        if bias is not None:
            z = z + bias
        i, fg, g, o = (z[..., k * f : (k + 1) * f] for k in range(4))
        c_new = recurrent_activation(fg) * c + recurrent_activation(i) * activation(g)
        h_new = recurrent_activation(o) * activation(c_new)
        if mask is None:
            h, c, out = h_new, c_new, h_new
        else:
            keep = mask[:, t].reshape((-1,) + (1,) * (h.ndim - 1))
            h, c, out = np.where(keep, h_new, h), np.where(keep, c_new, c), np.where(keep, h_new, prev)
        prev = out
        outputs.append(out)
    sequence = np.stack(outputs, 1)
    if channels_first:
        return np.moveaxis(sequence, -1, 2), np.moveaxis(h, -1, 1), np.moveaxis(c, -1, 1)
    return sequence, h, c
