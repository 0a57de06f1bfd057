"""Every GPU kernel against the CPU kernel on random inputs, through the same graph placed on each device:
float32 within float32 bounds (TF32 off), NaN where the CPU gives NaN, products within TF32 bounds with it on,
and gradients on the GPU against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import _core

pytestmark = pytest.mark.skipif(_core.gpu_count() == 0, reason="no CUDA device")

GPU, CPU = "/GPU:0", "/CPU:0"
RNG = np.random.default_rng(7)


def run_on(device: str, fn, *args):
    """``fn`` traced into a graph inside ``tf.device(device)`` and run there; the result as NumPy."""
    with tf.device(device):
        out = tf.function(fn)(*[tf.constant(a) for a in args])
    return [o.numpy() for o in out] if isinstance(out, (list, tuple)) else out.numpy()


def assert_same(fn, *args, rtol=2e-6, atol=1e-6):
    gpu, cpu = run_on(GPU, fn, *args), run_on(CPU, fn, *args)
    np.testing.assert_allclose(gpu, cpu, rtol=rtol, atol=atol, equal_nan=True)
    return gpu


@pytest.fixture(autouse=True)
def exact_products():
    tf.config.experimental.enable_tensor_float_32_execution(False)
    yield
    tf.config.experimental.enable_tensor_float_32_execution(True)


def with_specials(shape):
    x = RNG.standard_normal(shape).astype("float32") * 3
    x.flat[:4] = [np.nan, np.inf, -np.inf, -0.0]
    return x


UNARY = [tf.negative, tf.exp, tf.math.log, tf.sqrt, tf.math.rsqrt, tf.square, tf.abs, tf.sign, tf.tanh,
         tf.sigmoid, tf.nn.relu, tf.math.reciprocal, tf.floor, tf.math.ceil, tf.round, tf.sin, tf.cos,
         tf.math.log1p, tf.math.expm1, tf.math.softplus]


@pytest.mark.parametrize("fn", UNARY, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(7,), (256, 784)])  # a tail, and a launch that loops in the grid stride
def test_unary_ops(fn, shape):
    assert_same(fn, with_specials(shape), rtol=4e-6, atol=2e-6)


BINARY = [tf.add, tf.subtract, tf.multiply, tf.divide, tf.maximum, tf.minimum, tf.pow]
SHAPES = [((64, 128), (64, 128)), ((64, 128), (128,)), ((3, 1, 5), (1, 4, 5)), ((), (9, 2)),
          ((2, 3, 1, 4, 1, 2), (5, 1, 3, 2))]


@pytest.mark.parametrize("fn", BINARY, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_binary_ops_broadcast_like_numpy(fn, shapes):
    a, b = with_specials(shapes[0]) if shapes[0] else np.float32(1.5), RNG.standard_normal(shapes[1]).astype("float32")
    if fn is tf.pow:
        a = np.abs(a)
    assert_same(fn, a, b, rtol=4e-6, atol=2e-6)


@pytest.mark.parametrize("fn", [tf.equal, tf.not_equal, tf.less, tf.less_equal, tf.greater, tf.greater_equal])
def test_comparisons(fn):
    a = with_specials((32, 10))
    b = np.where(RNG.random((32, 10)) < 0.3, a, RNG.standard_normal((32, 10))).astype("float32")
    gpu = assert_same(fn, a, b)
    assert gpu.dtype == np.bool_


@pytest.mark.parametrize("shapes", [((1024, 784), (784, 128)), ((1, 512), (512, 512)), ((8, 33, 17), (8, 17, 65)),
                                    ((4, 16, 32), (32, 8))])
@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_products(shapes, ta, tb):
    a = RNG.standard_normal(shapes[0]).astype("float32")
    b = RNG.standard_normal(shapes[1]).astype("float32")
    if ta:
        a = np.swapaxes(a, -1, -2).copy()
    if tb:
        b = np.swapaxes(b, -1, -2).copy()
    k = shapes[0][-1]
    assert_same(lambda x, y: tf.matmul(x, y, transpose_a=ta, transpose_b=tb), a, b, rtol=1e-5, atol=1e-5 * np.sqrt(k))


def test_tensor_float_32_products_are_within_its_bounds():
    a = RNG.standard_normal((512, 1024)).astype("float32")
    b = RNG.standard_normal((1024, 256)).astype("float32")
    exact = a.astype(np.float64) @ b
    tf.config.experimental.enable_tensor_float_32_execution(True)
    tf32 = run_on(GPU, tf.matmul, a, b)
    # 10 mantissa bits in the inputs: relative error ~2^-11 per term, sqrt(k) growth.
    assert np.abs(tf32 - exact).max() < 2.0 ** -11 * 4 * np.sqrt(1024) * np.abs(exact).max() / 8


@pytest.mark.parametrize("op", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min], ids=lambda f: f.__name__)
@pytest.mark.parametrize("axis", [None, 0, 1, 2, (1, 2), (0, 1), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(op, axis, keepdims):
    x = RNG.standard_normal((6, 300, 17)).astype("float32")
    x[2, 5, 3] = np.nan
    assert_same(lambda t: op(t, axis=axis, keepdims=keepdims), x, rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("fn", [tf.nn.softmax, tf.nn.log_softmax], ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(32, 10), (4, 7, 1000), (3, 5000)])
def test_softmax(fn, shape):
    assert_same(fn, (RNG.standard_normal(shape) * 10).astype("float32"), rtol=2e-5, atol=1e-6)


def test_sparse_cross_entropy_one_hot_and_argmax():
    logits = (RNG.standard_normal((256, 10)) * 4).astype("float32")
    labels = RNG.integers(0, 10, 256).astype("int32")

    def loss(z, y):
        return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z)

    assert_same(loss, logits, labels, rtol=2e-5, atol=2e-6)
    assert_same(lambda y: tf.one_hot(y, 10), labels)
    assert_same(lambda z: tf.argmax(z, axis=-1), logits)


@pytest.mark.parametrize("to", [tf.int32, tf.int64, tf.bool, tf.float32])
def test_casts(to):
    x = (RNG.standard_normal((100,)) * 50).astype("float32")
    assert_same(lambda t: tf.cast(tf.cast(t, to), tf.float32), x)


def test_dropout_and_random_numbers_have_their_statistics():
    x = np.ones((1000, 1000), "float32")
    dropped = run_on(GPU, lambda t: tf.nn.dropout(t, rate=0.3, seed=1), x)
    kept = dropped != 0
    assert abs(kept.mean() - 0.7) < 0.005
    np.testing.assert_allclose(dropped[kept], 1 / 0.7, rtol=1e-6)
    normal = run_on(GPU, lambda t: tf.random.normal(tf.shape(t), seed=3), x)
    assert abs(normal.mean()) < 0.005 and abs(normal.std() - 1) < 0.005


def test_gradients_on_the_gpu_match_finite_differences():
    w = RNG.standard_normal((20, 5)).astype("float64")
    x = RNG.standard_normal((16, 20)).astype("float32")

    def loss(weights, inputs):
        h = tf.nn.relu(tf.matmul(inputs, weights) + 0.1)
        return tf.reduce_mean(tf.nn.log_softmax(h) * 0.5 + tf.tanh(h))

    def grad(weights, inputs):
        with tf.GradientTape() as tape:
            tape.watch(weights)
            value = loss(weights, inputs)
        return tape.gradient(value, weights)

    g = run_on(GPU, grad, w.astype("float32"), x)
    eps = 1e-3
    for i, j in [(0, 0), (3, 2), (19, 4), (10, 1)]:
        plus, minus = w.copy(), w.copy()
        plus[i, j] += eps
        minus[i, j] -= eps
        up, down = run_on(CPU, loss, plus.astype("float32"), x), run_on(CPU, loss, minus.astype("float32"), x)
        numeric = (up - down) / (2 * eps)
        np.testing.assert_allclose(g[i, j], numeric, rtol=2e-2, atol=2e-4)
