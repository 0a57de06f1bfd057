"""Graph control flow (native while and conditional nodes): inside tf.function, TF1 graphs and Keras models.

Results equal the eager ones; gradients taken inside the traced function equal finite differences of the
traced function in float64.
"""

import collections

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

RNG = np.random.default_rng(0)
Pair = collections.namedtuple("Pair", "a b")


def traced_gradcheck(fn, *inputs, wrt=0, rtol=1e-5, atol=1e-8, signature=None):
    """The gradient of ``sum(fn(*inputs) * w)`` taken by a tape inside a tf.function, against finite
    differences of ``fn`` traced (so both sides run the graph form)."""
    inputs = [np.asarray(x, np.float64) for x in inputs]
    forward = tf.function(fn, input_signature=signature)
    w = RNG.standard_normal(np.shape(forward(*[tf.constant(x) for x in inputs])))

    @tf.function(input_signature=signature)
    def grad(*args):
        with tf.GradientTape() as tape:
            tape.watch(args[wrt])
            y = tf.reduce_sum(fn(*args) * w)
        return tape.gradient(y, args[wrt])

    def weighted(x):
        args = [tf.constant(v) for v in inputs]
        args[wrt] = tf.constant(x)
        return forward(*args).numpy() * w

    got = grad(*[tf.constant(x) for x in inputs]).numpy()
    np.testing.assert_allclose(got, numeric_gradient(weighted, inputs[wrt]), rtol=rtol, atol=atol)


# -- while_loop
def _loops(x, n):
    a = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0), (0, x))
    b = tf.while_loop(lambda y: True, lambda y: y + 1.0, [x], maximum_iterations=4)
    c = tf.while_loop(lambda y: True, lambda y: y * 3.0, [x], maximum_iterations=n)
    p, d = tf.while_loop(
        lambda p, d: p.a < 4,
        lambda p, d: (Pair(p.a + 1, p.b * 2.0), {"x": d["x"] + p.b}),
        [Pair(tf.constant(0), x), {"x": tf.zeros_like(x)}],
    )
    grown = tf.while_loop(
        lambda v: tf.size(v) < 5, lambda v: tf.concat([v, v[:1]], 0), [x], shape_invariants=[tf.TensorShape([None])]
    )
    return a[1], b[0], c[0], p.b, d["x"], grown[0]


def test_while_loop_traced_equals_eager():
    x, n = tf.constant([1.0, 2.0]), tf.constant(2)
    for got, want in zip(tf.function(_loops)(x, n), _loops(x, n)):
        np.testing.assert_allclose(got.numpy(), want.numpy())
    assert tf.function(_loops)(x, n)[5].numpy().tolist() == [1.0, 2.0, 1.0, 1.0, 1.0]


def test_while_loop_keeps_static_shapes_and_dtypes():
    @tf.function
    def f(x):
        out = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0), (0, x))
        assert out[0].dtype == tf.int32 and out[1].shape == (2, 3)
        return out[1]

    f(tf.ones([2, 3]))


def test_while_loop_graph_errors():
    x = tf.constant([1.0])

    def run(fn):
        return tf.function(fn)(x)

    with pytest.raises(TypeError, match="enters the loop with type"):
        run(lambda x: tf.while_loop(lambda i: i < 5, lambda i: tf.cast(i, tf.float32) + 1, [tf.constant(0)]))
    with pytest.raises(ValueError, match="shape_invariants"):
        run(lambda x: tf.while_loop(lambda v: tf.size(v) < 5, lambda v: tf.concat([v, v], 0), [x]))
    with pytest.raises(TypeError, match="boolean"):
        run(lambda x: tf.while_loop(lambda i: i, lambda i: i - 1, [3]))
    with pytest.raises(ValueError, match="same nested structure"):
        run(lambda x: tf.while_loop(lambda i, y: i < 5, lambda i, y: (i + 1,), (0, x)))
    with pytest.raises(ValueError, match="not compatible with its initial shape"):
        run(lambda x: tf.while_loop(lambda v: True, lambda v: v, [x], shape_invariants=[tf.TensorShape([2, 2])]))


def test_tensor_arrays_as_loop_variables():
    @tf.function
    def f(x):
        def body(i, fixed, dynamic, unknown):
            v = x * tf.cast(i, tf.float32)
            return i + 1, fixed.write(i, v), dynamic.write(i, v), unknown.write(i, tf.reduce_sum(v))

        arrays = (
            tf.TensorArray(tf.float32, size=3, element_shape=[2]),
            tf.TensorArray(tf.float32, size=0, dynamic_size=True),
            tf.TensorArray(tf.float32, size=3),
        )
        _, a, b, c = tf.while_loop(lambda i, *_: i < 3, body, (0,) + arrays)
        return a.stack(), b.stack(), c.stack(), b.size()

    a, b, c, n = f(tf.constant([1.0, 2.0]))
    np.testing.assert_array_equal(a.numpy(), [[0, 0], [1, 2], [2, 4]])
    np.testing.assert_array_equal(b.numpy(), a.numpy())
    np.testing.assert_array_equal(c.numpy(), [0, 3, 6])
    assert int(n) == 3


def test_power_gradient_in_function():
    def power(x):
        return tf.while_loop(lambda i, y: i < 5, lambda i, y: (i + 1, y * x), (0, tf.ones_like(x)))[1]

    x = RNG.uniform(0.5, 1.5, (3, 4))
    np.testing.assert_allclose(tf.function(power)(tf.constant(x)).numpy(), x**5, rtol=1e-12)
    traced_gradcheck(power, x)


def test_loop_gradient_for_captured_values_and_dynamic_iterations():
    def f(x, c):
        n = tf.shape(x)[0]
        return tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, tf.sin(y) * c + x), (0, x))[1]

    x, c = RNG.standard_normal(3), RNG.standard_normal(3)
    sig = [tf.TensorSpec([None], tf.float64)] * 2
    traced_gradcheck(f, x, c, wrt=0, signature=sig)
    traced_gradcheck(f, x, c, wrt=1, signature=sig)


def _rnn(xs, w):
    return tf.scan(lambda h, xt: tf.tanh(tf.matmul(h, w) + xt), xs, initializer=tf.zeros_like(xs[0]))


def test_rnn_scan_values_and_gradients_with_unknown_batch_and_time():
    xs, w = RNG.standard_normal((5, 3, 4)), RNG.standard_normal((4, 4)) * 0.5
    sig = [tf.TensorSpec([None, None, 4], tf.float64), tf.TensorSpec([4, 4], tf.float64)]
    h, want = np.zeros((3, 4)), []
    for x in xs:
        h = np.tanh(h @ w + x)
        want.append(h)
    got = tf.function(_rnn, input_signature=sig)(tf.constant(xs), tf.constant(w))
    np.testing.assert_allclose(got.numpy(), np.stack(want), rtol=1e-12)
    traced_gradcheck(_rnn, xs, w, wrt=0, signature=sig)
    traced_gradcheck(_rnn, xs, w, wrt=1, signature=sig)


def test_gradient_for_a_variable_read_in_the_body():
    w = tf.Variable(RNG.standard_normal((3, 3)) * 0.5)
    xs = tf.constant(RNG.standard_normal((4, 2, 3)))

    def loss():
        return tf.reduce_sum(_rnn(xs, w) ** 2)

    @tf.function
    def traced():
        with tf.GradientTape() as tape:
            y = loss()
        return tape.gradient(y, w)

    with tf.GradientTape() as tape:
        y = loss()
    np.testing.assert_allclose(traced().numpy(), tape.gradient(y, w).numpy(), rtol=1e-10)


def test_assignments_in_loops_and_branches_run():
    v = tf.Variable(0.0)

    def body(i, acc):
        v.assign_add(1.0)
        return i + 1, acc + v.read_value()  # each iteration reads the value it just assigned

    f = tf.function(lambda: tf.while_loop(lambda i, a: i < 3, body, [0, 0.0])[1])
    assert float(f()) == 6.0 and float(v.numpy()) == 3.0

    @tf.function
    def g(p):
        tf.cond(p, lambda: v.assign_add(10.0), lambda: v.assign_sub(1.0))
        return tf.constant(0)

    g(tf.constant(True))
    g(tf.constant(False))
    assert float(v.numpy()) == 12.0


# -- cond, case, switch_case
def _branches(p, x):
    a = tf.cond(p, lambda: x * 2.0, lambda: x - 1.0)
    b = tf.cond(p, lambda: {"a": (x, [1])}, lambda: {"a": (x + 1.0, [2])})
    return a, b["a"][0], b["a"][1][0]


@pytest.mark.parametrize("pred", [True, False])
def test_cond_traced_equals_eager_and_gradients(pred):
    p, x = tf.constant(pred), tf.constant([1.0, 2.0])
    for got, want in zip(tf.function(_branches)(p, x), _branches(p, x)):
        np.testing.assert_allclose(got.numpy(), np.asarray(want))

    def f(x):
        return tf.cond(tf.constant(pred), lambda: tf.sin(x) * x, lambda: tf.exp(x) / (1.0 + x * x))

    traced_gradcheck(f, RNG.standard_normal((2, 3)))


def test_cond_graph_errors_and_shapes():
    def run(fn):
        return tf.function(fn)(tf.constant(True))

    with pytest.raises(TypeError, match="same number, type, and overall structure"):
        run(lambda p: tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2)))
    with pytest.raises(TypeError, match="same number, type, and overall structure"):
        run(lambda p: tf.cond(p, lambda: [1.0, 2.0], lambda: (3.0, 4.0)))
    with pytest.raises(TypeError, match="Python bool"):
        run(lambda p: tf.cond(True, lambda: 1.0, lambda: 2.0))
    with pytest.raises(TypeError, match="boolean"):
        run(lambda p: tf.cond(tf.constant(1), lambda: 1.0, lambda: 2.0))

    @tf.function
    def shapes(p):
        out = tf.cond(p, lambda: tf.constant([1.0]), lambda: tf.constant([2.0, 3.0]))
        assert out.shape.as_list() == [None]
        return out

    assert shapes(tf.constant(False)).numpy().tolist() == [2.0, 3.0]


def test_case_and_switch_case_traced():
    @tf.function
    def case(a, b):
        return tf.case([(a, lambda: 1), (b, lambda: 2)], default=lambda: 3)

    t, f = tf.constant(True), tf.constant(False)
    assert [int(case(f, t)), int(case(t, t)), int(case(f, f))] == [2, 1, 3]

    @tf.function
    def switch(i):
        return tf.switch_case(i, [lambda: 10, lambda: 20, lambda: 30])

    assert [int(switch(tf.constant(i))) for i in (0, 1, 2, 7, -1)] == [10, 20, 30, 30, 30]

    @tf.function
    def no_default(a, b):
        return tf.case([(a, lambda: 1), (b, lambda: 2)])

    with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions"):
        no_default(f, f)


def test_nested_cond_inside_while():
    def f(x):
        body = lambda i, y: (i + 1, tf.cond(i % 2 == 0, lambda: y * 2.0, lambda: y + x))  # noqa: E731
        return tf.while_loop(lambda i, y: i < 4, body, (0, x))[1]

    x = RNG.standard_normal(3)
    np.testing.assert_allclose(tf.function(f)(tf.constant(x)).numpy(), f(tf.constant(x)).numpy(), rtol=1e-12)
    traced_gradcheck(f, x)


# -- scan, folds, map_fn
def _functional(x):
    return (
        tf.scan(lambda a, e: a + e, x),
        tf.scan(lambda a, e: a * e, x, initializer=tf.ones_like(x[0]), reverse=True),
        tf.foldl(lambda a, e: a * 2.0 + e, x),
        tf.foldr(lambda a, e: a * 2.0 + e, x, initializer=tf.zeros_like(x[0])),
        tf.map_fn(lambda r: tf.reduce_sum(r * r), x),
        tf.vectorized_map(lambda r: (r, tf.reduce_max(r)), x)[1],
    )


def test_functional_ops_traced_equal_eager_with_unknown_lengths():
    x = tf.constant(RNG.standard_normal((5, 3)))
    sig = [tf.TensorSpec([None, None], tf.float64)]
    for got, want in zip(tf.function(_functional, input_signature=sig)(x), _functional(x)):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-12)


def test_map_fn_gradient_and_realistic_batch():
    traced_gradcheck(lambda x: tf.map_fn(lambda r: tf.tanh(r) * tf.reduce_sum(r), x), RNG.standard_normal((4, 3)))
    images = RNG.standard_normal((32, 28, 28, 16)).astype(np.float32)
    out = tf.function(lambda x: tf.map_fn(lambda im: tf.reduce_mean(im * im, axis=[0, 1]), x))(tf.constant(images))
    np.testing.assert_allclose(out.numpy(), (images**2).mean(axis=(1, 2)), rtol=1e-5)


# -- TF1 graphs and Keras models
def test_tf1_graph_with_session():
    v1 = tf.compat.v1
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None])
        n = v1.placeholder(tf.int32, [])
        y = v1.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, y * 2.0), [0, x])[1]
        z = v1.cond(tf.reduce_sum(x) > 0, lambda: y + 1.0, lambda: y - 1.0)
        (gx,) = tf.gradients(tf.reduce_sum(z), [x])
        with v1.Session(graph=g) as sess:
            out = sess.run([z, gx], feed_dict={x: [1.0, 2.0], n: 3})
    np.testing.assert_allclose(out[0], [9.0, 17.0])
    np.testing.assert_allclose(out[1], [8.0, 8.0])


class _Iterate(tf.keras.layers.Layer):
    """Applies a Dense-like map ``steps`` times in a while loop, with a cond choosing the activation."""

    def __init__(self, units, steps, **kwargs):
        super().__init__(**kwargs)
        self.units, self.steps = units, steps

    def build(self, input_shape):
        self.w = self.add_weight(shape=(self.units, self.units), initializer="glorot_uniform", name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")

    def call(self, x, training=None):
        def body(i, h):
            z = tf.matmul(h, self.w) + self.b
            return i + 1, tf.cond(tf.reduce_mean(z) > 100.0, lambda: tf.tanh(z), lambda: tf.nn.relu(z) + 0.1 * z)

        return tf.while_loop(lambda i, h: i < self.steps, body, (0, x))[1]


def test_keras_model_with_loop_and_cond_trains_with_fit():
    tf.keras.utils.set_random_seed(0)
    x = RNG.standard_normal((256, 8)).astype(np.float32)
    y = (x[:, :4].sum(1) > 0).astype(np.int32)
    model = tf.keras.Sequential([tf.keras.Input((8,)), _Iterate(8, 2), tf.keras.layers.Dense(2)])
    model.compile(tf.keras.optimizers.Adam(0.01), tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    np.testing.assert_allclose(model.predict(x[:5], verbose=0), model(x[:5]).numpy(), rtol=1e-5, atol=1e-6)


class _ScanRNN(tf.keras.layers.Layer):
    """h_t = tanh(h_{t-1} W + x_t U) over the time axis with tf.scan; the batch size is unknown when traced."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(self.units, self.units), initializer="orthogonal", name="w")
        self.u = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform", name="u")

    def call(self, x):
        xs = tf.transpose(x, [1, 0, 2])
        h0 = tf.zeros_like(tf.matmul(xs[0], self.u))
        hs = tf.scan(lambda h, xt: tf.tanh(tf.matmul(h, self.w) + tf.matmul(xt, self.u)), xs, initializer=h0)
        return hs[-1]


def test_keras_scan_rnn_trains_with_fit():
    tf.keras.utils.set_random_seed(1)
    x = RNG.standard_normal((256, 6, 3)).astype(np.float32)
    y = (x[:, :, 0].sum(1) > 0).astype(np.int32)
    model = tf.keras.Sequential([tf.keras.Input((6, 3)), _ScanRNN(16), tf.keras.layers.Dense(2)])
    model.compile(tf.keras.optimizers.Adam(0.02), tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    np.testing.assert_allclose(model.predict(x[:7], verbose=0), model(x[:7]).numpy(), rtol=1e-5, atol=1e-6)


def _rnn_array(xs, w, u):
    """The recurrence through TensorArrays in a while loop (element shapes known when traced)."""
    steps = tf.shape(xs)[0]
    inputs = tf.TensorArray(xs.dtype, size=steps).unstack(xs)

    def body(t, h, out):
        h = tf.tanh(tf.matmul(h, w) + tf.matmul(inputs.read(t), u))
        return t + 1, h, out.write(t, h)

    h0 = tf.zeros_like(tf.matmul(xs[0], u))
    return tf.while_loop(lambda t, h, out: t < steps, body, (0, h0, tf.TensorArray(xs.dtype, size=steps)))[2].stack()


def test_tensor_array_loop_gradients():
    xs, w, u = RNG.standard_normal((4, 2, 3)), RNG.standard_normal((5, 5)) * 0.5, RNG.standard_normal((3, 5))
    for wrt in range(3):
        traced_gradcheck(_rnn_array, xs, w, u, wrt=wrt)
