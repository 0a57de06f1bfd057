"""``tf.nn.pool``: 1-D, 2-D and 3-D max/average pooling (strided, padded, dilated) against a NumPy reference,
and its gradients against finite differences."""

import itertools

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient


def reference_pool(x, window, kind, strides, padding, dilations, channels_first):
    """Pools ``x`` one output element at a time; average pooling counts only the elements inside the input."""
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    sizes = x.shape[1:-1]
    outs, before = [], []
    for s, w, st, d in zip(sizes, window, strides, dilations):
        span = (w - 1) * d + 1
        out = -(-s // st) if padding == "SAME" else (s - span) // st + 1
        outs.append(out)
        before.append(max((out - 1) * st + span - s, 0) // 2 if padding == "SAME" else 0)
    y = np.zeros((x.shape[0], *outs, x.shape[-1]), x.dtype)
    for o in itertools.product(*[range(out) for out in outs]):
        values = []
        for k in itertools.product(*[range(w) for w in window]):
            p = [oi * st - b + ki * d for oi, st, b, ki, d in zip(o, strides, before, k, dilations)]
            if all(0 <= pi < s for pi, s in zip(p, sizes)):
                values.append(x[(slice(None), *p)])
        stacked = np.stack(values)
        y[(slice(None), *o)] = stacked.max(0) if kind == "MAX" else stacked.mean(0)
    return np.moveaxis(y, -1, 1) if channels_first else y


# (input shape, window, strides, padding, dilations, data_format)
CASES = [
    ((2, 9, 3), [3], [2], "VALID", None, None),
    ((2, 9, 3), [3], [2], "SAME", None, "NWC"),
    ((2, 3, 8), [2], None, "SAME", None, "NCW"),
    ((2, 11, 2), [3], None, "VALID", [2], None),
    ((2, 7, 6, 3), [2, 3], [2, 1], "VALID", None, None),
    ((2, 7, 6, 3), [3, 3], [2, 2], "SAME", None, "NHWC"),
    ((1, 2, 7, 6), [2, 2], [1, 2], "SAME", None, "NCHW"),
    ((2, 8, 7, 2), [2, 3], None, "VALID", [3, 2], None),
    ((1, 2, 8, 7), [3, 2], [1, 1], "VALID", [2, 3], "NCHW"),
    ((1, 5, 6, 4, 2), [2, 3, 2], [2, 1, 2], "VALID", None, None),
    ((1, 5, 6, 4, 2), [3, 2, 2], [2, 2, 1], "SAME", None, "NDHWC"),
    ((1, 2, 5, 4, 6), [2, 2, 3], None, "SAME", None, "NCDHW"),
    ((1, 6, 5, 5, 2), [2, 2, 2], None, "VALID", [2, 1, 2], None),
]


def _call(x, window, kind, strides, padding, dilations, fmt):
    return tf.nn.pool(x, window, kind, strides=strides, padding=padding, data_format=fmt, dilations=dilations)


@pytest.mark.parametrize("kind", ["MAX", "AVG"])
@pytest.mark.parametrize("shape,window,strides,padding,dilations,fmt", CASES)
def test_pool_matches_the_reference(kind, shape, window, strides, padding, dilations, fmt):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    n = len(window)
    want = reference_pool(
        x, window, kind, strides or [1] * n, padding, dilations or [1] * n, bool(fmt and fmt.startswith("NC"))
    )
    got = _call(tf.constant(x), window, kind, strides, padding, dilations, fmt)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-6)
    traced = tf.function(lambda t: _call(t, window, kind, strides, padding, dilations, fmt))(tf.constant(x))
    np.testing.assert_allclose(traced.numpy(), want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("kind", ["MAX", "AVG"])
@pytest.mark.parametrize("case", [0, 2, 3, 5, 7, 8, 10, 12])
def test_pool_gradient(kind, case):
    shape, window, strides, padding, dilations, fmt = CASES[case]
    x = np.random.default_rng(1).standard_normal(shape)
    check_gradient(lambda t: _call(t, window, kind, strides, padding, dilations, fmt), x)


def test_pool_is_max_pool_and_avg_pool_without_dilation():
    x = tf.random.normal([2, 6, 6, 3], seed=3)
    np.testing.assert_array_equal(tf.nn.pool(x, [2, 2], "MAX", [2, 2]).numpy(), tf.nn.max_pool2d(x, 2, 2, "VALID"))
    np.testing.assert_array_equal(
        tf.nn.pool(x, [3, 3], "AVG", padding="SAME").numpy(), tf.nn.avg_pool2d(x, 3, 1, "SAME").numpy()
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(window_shape=[2, 2], pooling_type="MAX", dilations=[2, 2], padding="SAME"), "SAME"),
        (dict(window_shape=[2, 2], pooling_type="MAX", strides=[2, 2], dilations=[2, 1]), "conjunction"),
        (dict(window_shape=[2, 2], pooling_type="MAX", strides=[3, 1]), "window_shape"),
        (dict(window_shape=[2, 2], pooling_type="MIN"), "MIN pooling"),
        (dict(window_shape=[2, 2, 2], pooling_type="MAX"), "rank-5"),
        (dict(window_shape=[], pooling_type="MAX"), "1, 2, or 3"),
        (dict(window_shape=[2, 2], pooling_type="AVG", data_format="NWC"), "data_format"),
        (dict(window_shape=[2, 2], pooling_type="AVG", dilations=[7, 1]), "larger than the input"),
    ],
)
def test_pool_refuses_what_tensorflow_refuses(kwargs, match):
    x = tf.zeros([2, 7, 6, 3])
    with pytest.raises(ValueError, match=match):
        tf.nn.pool(x, **kwargs)


def test_pool_is_listed_in_tf_nn():
    assert "pool" in dir(tf.nn)
