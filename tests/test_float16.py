"""float16 tensors: stored in half precision, computed in float32 and rounded back, as TensorFlow's CPU
kernels do. Values are compared with NumPy computing the same ops in float32 and rounding to float16."""

import numpy as np
import pytest

import ferroflow as tf

RNG = np.random.default_rng(5)


def half(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float16)


def close(got, want, rtol=2e-3, atol=2e-3):
    got = np.asarray(got)
    assert got.dtype == np.float16, got.dtype
    np.testing.assert_allclose(got.astype(np.float32), np.asarray(want, np.float32), rtol=rtol, atol=atol)


def test_dtype_names_and_numpy_round_trip():
    x = half(3, 4)
    t = tf.constant(x)
    assert t.dtype == tf.float16 and tf.half == tf.float16 and t.dtype.is_floating
    np.testing.assert_array_equal(t.numpy(), x)
    assert tf.as_dtype(np.float16) == tf.float16 and tf.dtypes.float16.size == 2
    assert tf.constant([1.5, 2.0], dtype=tf.float16).numpy().dtype == np.float16
    assert tf.float16.max == 65504.0


def test_casts_round_to_nearest_half():
    x = RNG.standard_normal(1000).astype(np.float32) * 100
    np.testing.assert_array_equal(tf.cast(x, tf.float16).numpy(), x.astype(np.float16))
    h = x.astype(np.float16)
    np.testing.assert_array_equal(tf.cast(h, tf.float32).numpy(), h.astype(np.float32))
    np.testing.assert_array_equal(tf.cast(h, tf.int32).numpy(), h.astype(np.float32).astype(np.int32))
    assert tf.cast(tf.constant([70000.0]), tf.float16).numpy()[0] == np.inf


UNARY = {
    "exp": (tf.exp, np.exp),
    "tanh": (tf.tanh, np.tanh),
    "sigmoid": (tf.sigmoid, lambda v: 1 / (1 + np.exp(-v))),
    "relu": (tf.nn.relu, lambda v: np.maximum(v, 0)),
    "square": (tf.square, np.square),
    "abs": (tf.abs, np.abs),
    "softplus": (tf.nn.softplus, lambda v: np.log1p(np.exp(v))),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_elementwise_ops_compute_in_float32_and_round(name):
    ours, reference = UNARY[name]
    x = half(4, 300)
    close(ours(tf.constant(x)).numpy(), reference(x.astype(np.float32)).astype(np.float16))


def test_binary_ops_python_scalars_and_mixed_dtypes():
    a, b = half(3, 5), half(5)
    close((tf.constant(a) * tf.constant(b) + 1.5).numpy(), a.astype(np.float32) * b + 1.5)
    assert (tf.constant(a) / 2).dtype == tf.float16
    with pytest.raises(TypeError):
        tf.add(tf.constant(a), tf.constant(a, tf.float32))


@pytest.mark.parametrize("shape", [(4, 8, 16), (64, 300, 128)])
def test_matmul_reductions_and_softmax(shape):
    m, k, n = shape
    a, b = half(m, k, scale=0.1), half(k, n, scale=0.1)
    want = (a.astype(np.float32) @ b.astype(np.float32)).astype(np.float16)
    close(tf.matmul(a, b).numpy(), want, rtol=1e-2, atol=1e-3)
    close(tf.reduce_sum(a, axis=1).numpy(), a.astype(np.float32).sum(1), rtol=1e-2, atol=1e-2)
    close(tf.reduce_max(a).numpy(), a.max())
    logits = a.astype(np.float32)
    e = np.exp(logits - logits.max(-1, keepdims=True))
    close(tf.nn.softmax(a).numpy(), e / e.sum(-1, keepdims=True))


def test_conv2d_and_pooling():
    x, w = half(2, 12, 12, 3), half(3, 3, 3, 8, scale=0.3)
    got = tf.nn.conv2d(x, w, strides=1, padding="SAME")
    want = tf.nn.conv2d(x.astype(np.float32), w.astype(np.float32), strides=1, padding="SAME").numpy()
    close(got.numpy(), want, rtol=1e-2, atol=1e-2)
    pooled = tf.nn.max_pool2d(got, 2, 2, "VALID")
    assert pooled.dtype == tf.float16 and pooled.shape == (2, 6, 6, 8)


def test_sources_with_a_float16_dtype():
    assert tf.random.normal([3, 4], dtype=tf.float16).dtype == tf.float16
    assert tf.random.uniform([5], dtype=tf.float16).numpy().dtype == np.float16
    close(tf.range(0, 2, 0.5, dtype=tf.float16).numpy(), [0, 0.5, 1.0, 1.5])
    close(tf.one_hot([0, 2], 3, dtype=tf.float16).numpy(), np.eye(3)[[0, 2]])
    close(tf.zeros([2], tf.float16).numpy(), [0, 0])
    close(tf.ones_like(tf.constant(half(2))).numpy(), [1, 1])


def test_gradients_in_float16_follow_the_float32_ones():
    x = half(4, 6, scale=0.5)
    w = half(6, 3, scale=0.5)

    def grads(dtype):
        xs, ws = tf.constant(x.astype(dtype)), tf.Variable(w.astype(dtype))
        with tf.GradientTape() as tape:
            tape.watch(xs)
            loss = tf.reduce_mean(tf.tanh(tf.matmul(xs, ws)) ** 2)
        return tape.gradient(loss, [xs, ws])

    for got, want in zip(grads(np.float16), grads(np.float32)):
        assert got.dtype == tf.float16
        close(got.numpy(), want.numpy(), rtol=2e-2, atol=2e-3)


def test_functions_variables_and_serialization():
    v = tf.Variable(half(3))
    v.assign_add(tf.ones([3], tf.float16))
    assert v.dtype == tf.float16

    @tf.function
    def f(x):
        return tf.reduce_sum(tf.nn.relu(x) * 2.0)

    x = half(10)
    close(f(tf.constant(x)).numpy(), np.maximum(x.astype(np.float32), 0).sum() * 2, rtol=1e-2)
    back = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant(x)), tf.float16)
    np.testing.assert_array_equal(back.numpy(), x)
