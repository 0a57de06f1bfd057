"""A ``GradientTape`` inside the body of ``tf.vectorized_map``/``tf.map_fn`` traced by ``tf.function``
(per-example gradients): gradients w.r.t. variables, watched eager tensors and function arguments captured
from outside the loop body, checked against eager runs, NumPy and finite differences; a tape around a whole
``map_fn`` and jacobians inside ``tf.function`` alongside."""

import numpy as np
import pytest

import ferroflow as tf

RNG = np.random.RandomState(0)
XS = RNG.randn(5, 3)
YS = RNG.randn(5, 1)


def _dense_model() -> tf.keras.Model:
    model = tf.keras.Sequential(
        [
            tf.keras.layers.Input((3,), dtype="float64"),
            tf.keras.layers.Dense(4, activation="tanh", dtype="float64"),
            tf.keras.layers.Dense(1, dtype="float64"),
        ]
    )
    for v, value in zip(model.trainable_variables, [RNG.randn(3, 4), RNG.randn(4), RNG.randn(4, 1), RNG.randn(1)]):
        v.assign(value)
    return model


def _numpy_loss(params: list, x: np.ndarray, y: np.ndarray) -> float:
    w1, b1, w2, b2 = params
    return float(np.mean((np.tanh(x[None] @ w1 + b1) @ w2 + b2 - y) ** 2))


def _finite_difference(params: list, x: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> list:
    grads = []
    for k, p in enumerate(params):
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            plus = [q.copy() for q in params]
            minus = [q.copy() for q in params]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            g[idx] = (_numpy_loss(plus, x, y) - _numpy_loss(minus, x, y)) / (2 * eps)
        grads.append(g)
    return grads


def _per_example(model: tf.keras.Model):
    def single(arg):
        x, y = arg
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x[None]) - y))
        return tape.gradient(loss, model.trainable_variables)

    return single


@pytest.mark.parametrize("mapper", ["vectorized_map", "map_fn"])
def test_per_example_gradients_of_a_dense_model(mapper):
    model = _dense_model()
    single = _per_example(model)

    @tf.function
    def traced(xs, ys):
        if mapper == "vectorized_map":
            return tf.vectorized_map(single, (xs, ys))
        return tf.map_fn(single, (xs, ys), fn_output_signature=[tf.float64] * 4)

    got = traced(tf.constant(XS), tf.constant(YS))
    eager = tf.vectorized_map(single, (tf.constant(XS), tf.constant(YS)))
    params = [v.numpy() for v in model.trainable_variables]
    assert [tuple(g.shape) for g in got] == [(5,) + p.shape for p in params]
    for g, e in zip(got, eager):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-12, atol=1e-12)
    for i in range(5):
        reference = _finite_difference(params, XS[i], YS[i])
        for g, r in zip(got, reference):
            np.testing.assert_allclose(g.numpy()[i], r, rtol=1e-5, atol=1e-7)


def test_watched_eager_tensor_gradient_taken_after_the_tape_block():
    w = tf.Variable(np.arange(6.0).reshape(3, 2) / 10)
    c = tf.constant([1.0, 2.0], dtype=tf.float64)
    xs = np.arange(12.0).reshape(4, 3)

    def single(x):
        with tf.GradientTape() as tape:
            tape.watch(c)
            y = tf.reduce_sum(tf.matmul(x[None], w) * c)
        return tape.gradient(y, [w, c])

    gw, gc = tf.function(lambda xs: tf.vectorized_map(single, xs))(tf.constant(xs))
    np.testing.assert_allclose(gw.numpy(), xs[:, :, None] * np.array([1.0, 2.0])[None, None, :])
    np.testing.assert_allclose(gc.numpy(), xs @ w.numpy())
    ew, ec = tf.vectorized_map(single, tf.constant(xs))
    np.testing.assert_allclose(gw.numpy(), ew.numpy())
    np.testing.assert_allclose(gc.numpy(), ec.numpy())


def test_gradient_wrt_a_function_argument_captured_by_the_body():
    @tf.function
    def traced(xs, c):
        def single(x):
            with tf.GradientTape() as tape:
                tape.watch(c)
                y = tf.reduce_sum(tf.sin(x * c))
            return tape.gradient(y, c)

        return tf.map_fn(single, xs)

    xs, c = RNG.randn(4, 3), RNG.randn(3)
    for scale in (1.0, 2.0):  # a second call with other values runs the same trace
        got = traced(tf.constant(xs * scale), tf.constant(c))
        np.testing.assert_allclose(got.numpy(), xs * scale * np.cos(xs * scale * c), rtol=1e-12)


def test_nested_maps_with_a_tape_in_the_inner_body():
    v = tf.Variable([0.5, -1.5])

    @tf.function
    def traced(xss):
        def inner(x):
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(v * v * x)
            return tape.gradient(y, v)

        return tf.map_fn(lambda xs: tf.map_fn(inner, xs), xss)

    xss = RNG.randn(3, 4, 2)
    np.testing.assert_allclose(traced(tf.constant(xss, tf.float32)).numpy(), 2 * v.numpy() * xss, rtol=1e-5)


def test_tape_around_a_whole_map_fn_in_a_function():
    v = tf.Variable([1.0, 2.0, 3.0], dtype=tf.float64)

    @tf.function
    def traced(xs):
        with tf.GradientTape() as tape:
            s = tf.reduce_sum(tf.map_fn(lambda x: tf.reduce_sum(x * v * v), xs))
        return tape.gradient(s, v)

    np.testing.assert_allclose(traced(tf.constant(XS)).numpy(), 2 * v.numpy() * XS.sum(0), rtol=1e-12)


def test_jacobians_in_a_function():
    v = tf.Variable([1.0, 2.0, 3.0], dtype=tf.float64)

    @tf.function
    def traced(xs):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(xs)
            y = tf.tanh(xs) * v
        return tape.batch_jacobian(y, xs), tape.jacobian(y, v)

    batch, full = traced(tf.constant(XS))
    d = (1 - np.tanh(XS) ** 2) * v.numpy()
    np.testing.assert_allclose(batch.numpy(), np.stack([np.diag(r) for r in d]), rtol=1e-12)
    expected = np.zeros((5, 3, 3))
    for j in range(3):
        expected[:, j, j] = np.tanh(XS[:, j])
    np.testing.assert_allclose(full.numpy(), expected, rtol=1e-12)


def test_bad_input_errors():
    with pytest.raises(TypeError):
        tf.vectorized_map(1, tf.constant([1.0, 2.0]))

    @tf.function
    def mismatched(xs):
        return tf.map_fn(lambda x: (x, x), xs)

    with pytest.raises(ValueError):
        mismatched(tf.constant([1.0, 2.0]))
