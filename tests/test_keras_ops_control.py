"""keras.ops's control flow (scan, associative_scan, switch, custom_gradient, vectorize, jvp): values as
jax.lax.scan's and NumPy's semantics give them, eagerly, in tf.function graphs and differentiated."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import keras
from gradcheck import check_gradient

ops = keras.ops


def _scan_reference(f, init, xs, length=None, reverse=False):
    """jax.lax.scan's definition, in NumPy."""
    n = length if xs is None else len(xs)
    order = range(n - 1, -1, -1) if reverse else range(n)
    carry, ys = init, [None] * n
    for i in order:
        carry, ys[i] = f(carry, None if xs is None else xs[i])
    return carry, np.stack(ys)


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("shape", [(1,), (5,), (6, 3), (4, 2, 3)])
def test_scan_matches_the_loop_definition(reverse, shape):
    xs = np.random.default_rng(1).standard_normal(shape).astype("float32")
    init = np.full(shape[1:], 0.25, "float32")

    def f(c, x):
        return c * 0.5 + x, np.stack([c, x * c]) if isinstance(c, np.ndarray) else tf.stack([c, x * c])

    want_carry, want_ys = _scan_reference(f, init, xs, reverse=reverse)
    carry, ys = ops.scan(f, tf.constant(init), tf.constant(xs), reverse=reverse)
    np.testing.assert_allclose(carry.numpy(), want_carry, rtol=1e-6)
    np.testing.assert_allclose(ys.numpy(), want_ys, rtol=1e-6)
    assert ys.shape == (shape[0], 2) + shape[1:]


def test_scan_keras_docstring_example_keeps_int32():
    carry, result = ops.scan(
        lambda c, x: (c + x, c + x), ops.convert_to_tensor(0), ops.convert_to_tensor([1, 2, 3, 4, 5])
    )
    assert carry.dtype == "int32" and int(carry) == 15
    np.testing.assert_array_equal(result.numpy(), [1, 3, 6, 10, 15])


def test_scan_without_xs_runs_length_steps():
    carry, ys = ops.scan(lambda c, x: (c + 1.0, c * 2.0), tf.constant(0.0), length=4)
    assert float(carry) == 4.0
    np.testing.assert_array_equal(ys.numpy(), [0.0, 2.0, 4.0, 6.0])
    carry, ys = ops.scan(lambda c, x: (c + 1.0, c * 2.0), tf.constant(0.0), length=4, reverse=True)
    np.testing.assert_array_equal(ys.numpy(), [6.0, 4.0, 2.0, 0.0])


def test_scan_nested_carry_and_xs_and_outputs():
    xs = {"a": np.arange(1.0, 5.0, dtype="float32"), "b": np.arange(8.0, dtype="float32").reshape(4, 2)}

    def f(c, x):
        s, p = c
        s2, p2 = s + x["a"], p * x["a"]
        return (s2, p2), {"sum": s2, "row": x["b"] * p2}

    (s, p), ys = ops.scan(f, (tf.constant(0.0), tf.constant(1.0)), {k: tf.constant(v) for k, v in xs.items()})
    assert float(s) == 10.0 and float(p) == 24.0
    np.testing.assert_array_equal(ys["sum"].numpy(), [1, 3, 6, 10])
    np.testing.assert_array_equal(ys["row"].numpy(), xs["b"] * np.array([1, 2, 6, 24.0])[:, None])


def test_scan_none_outputs_and_zero_steps():
    carry, ys = ops.scan(lambda c, x: (c + x, None), tf.constant(0.0), tf.constant([1.0, 2.0]))
    assert float(carry) == 3.0 and ys is None
    carry, ys = ops.scan(lambda c, x: (c + x, tf.stack([x, x])), tf.constant(2.0), tf.zeros([0]))
    assert float(carry) == 2.0 and ys.shape == (0, 2) and ys.dtype == "float32"


def test_scan_rejects_bad_arguments():
    xs = tf.constant([1.0, 2.0])
    with pytest.raises(TypeError, match="`f` should be a callable"):
        ops.scan(3, tf.constant(0.0), xs)
    for unroll in (0, -1, 1.5):
        with pytest.raises(ValueError, match="`unroll` must be an positive integer or boolean"):
            ops.scan(lambda c, x: (c, c), tf.constant(0.0), xs, unroll=unroll)
    with pytest.raises(ValueError, match="Got no `xs` to scan over and `length` not provided"):
        ops.scan(lambda c, x: (c, c), tf.constant(0.0))
    with pytest.raises(ValueError, match="disagrees with leading axis sizes 2"):
        ops.scan(lambda c, x: (c, c), tf.constant(0.0), xs, length=3)
    with pytest.raises(tf.errors.InvalidArgumentError):  # the carry's dtype must not change
        ops.scan(lambda c, x: (tf.cast(c, "int32"), c), tf.constant(0.0), xs)


@pytest.mark.parametrize("unroll", [1, 3, True, False])
def test_scan_in_tf_function_with_known_and_unknown_length(unroll):
    xs = np.arange(1.0, 6.0, dtype="float32")

    def f(c, x):
        return c * x + 1.0, tf.stack([c, x * c])

    want = _scan_reference(lambda c, x: (c * x + 1.0, np.stack([c, x * c])), np.float32(0.5), xs, reverse=True)
    known = tf.function(lambda v: ops.scan(f, tf.constant(0.5), v, reverse=True, unroll=unroll))
    unknown = tf.function(
        lambda v: ops.scan(f, tf.constant(0.5), v, reverse=True, unroll=unroll),
        input_signature=[tf.TensorSpec([None], tf.float32)],
    )
    for fn in (known, unknown):
        carry, ys = fn(tf.constant(xs))
        np.testing.assert_allclose(carry.numpy(), want[0], rtol=1e-6)
        np.testing.assert_allclose(ys.numpy(), want[1], rtol=1e-6)


def test_scan_gradients_match_finite_differences_and_graph_mode():
    def fn(xs, init):
        carry, ys = ops.scan(lambda c, x: (tf.sin(c) * x + x * x, c * x), init, xs)
        return tf.concat([ys, tf.reshape(carry, [1])], 0)

    xs, init = np.array([0.3, -1.2, 0.7, 2.0]), np.array(0.4)
    check_gradient(fn, xs, init, wrt=0)
    check_gradient(fn, xs, init, wrt=1)
    w = tf.Variable(1.5)

    def loss_grad(v):
        with tf.GradientTape() as tape:
            c, ys = ops.scan(lambda c, x: (c * w + x, c * x), tf.constant(0.3), v, reverse=True)
            loss = c + tf.reduce_sum(ys)
        return tape.gradient(loss, w)

    v = tf.constant([1.0, 2.0, 3.0, 4.0])
    eager = loss_grad(v).numpy()
    np.testing.assert_allclose(tf.function(loss_grad)(v).numpy(), eager, rtol=1e-6)
    h, wv = 1e-3, 1.5

    def loss(w_):
        carry, ys = _scan_reference(lambda c, x: (c * w_ + x, c * x), 0.3, v.numpy().astype("float64"), reverse=True)
        return carry + ys.sum()

    num = (loss(wv + h) - loss(wv - h)) / (2 * h)
    np.testing.assert_allclose(eager, num, rtol=1e-4)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan_matches_numpy_accumulations(n, reverse):
    x = np.random.default_rng(n).standard_normal((n, 3))
    flip = (lambda a: a[::-1]) if reverse else (lambda a: a)
    got = ops.associative_scan(lambda a, b: a + b, tf.constant(x), reverse=reverse)
    np.testing.assert_allclose(got.numpy(), flip(np.cumsum(flip(x), axis=0)), rtol=1e-12)
    got = ops.associative_scan(tf.maximum, tf.constant(x), reverse=reverse)
    np.testing.assert_array_equal(got.numpy(), flip(np.maximum.accumulate(flip(x), axis=0)))


@pytest.mark.parametrize("axis", [1, -1, 2])
def test_associative_scan_along_other_axes(axis):
    x = np.arange(1.0, 1.0 + 2 * 3 * 6).reshape(2, 3, 6) / 10
    want = np.cumprod(x, axis=axis)
    np.testing.assert_allclose(ops.associative_scan(lambda a, b: a * b, tf.constant(x), axis=axis).numpy(), want)


def test_associative_scan_nested_and_non_commutative():
    # Affine maps x -> a x + b composed in order: associative, not commutative.
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(11), rng.standard_normal(11)
    got = ops.associative_scan(
        lambda p, q: {"a": p["a"] * q["a"], "b": q["a"] * p["b"] + q["b"]}, {"a": tf.constant(a), "b": tf.constant(b)}
    )
    want_a, want_b, ca, cb = [], [], 1.0, 0.0
    for ai, bi in zip(a, b):
        ca, cb = ca * ai, ai * cb + bi
        want_a.append(ca)
        want_b.append(cb)
    np.testing.assert_allclose(got["a"].numpy(), want_a, rtol=1e-12)
    np.testing.assert_allclose(got["b"].numpy(), want_b, rtol=1e-12)
    got = ops.associative_scan(
        lambda x, y: [x[0] + y[0], x[1] + y[1], x[2] + y[2]], [ops.convert_to_tensor([1, 2]) for _ in range(3)]
    )
    assert [g.numpy().tolist() for g in got] == [[1, 3]] * 3  # Keras's docstring example


def test_associative_scan_in_graphs_and_gradients():
    x = np.arange(15.0, dtype="float32").reshape(5, 3)
    unknown = tf.function(
        lambda v: ops.associative_scan(lambda a, b: a + b, v, reverse=True),
        input_signature=[tf.TensorSpec([None, 3], tf.float32)],
    )
    np.testing.assert_allclose(unknown(tf.constant(x)).numpy(), np.cumsum(x[::-1], 0)[::-1])
    known = tf.function(lambda v: ops.associative_scan(lambda a, b: a * b, v, axis=1))
    np.testing.assert_allclose(known(tf.constant(x + 1)).numpy(), np.cumprod(x + 1, 1), rtol=1e-6)
    check_gradient(lambda v: ops.associative_scan(lambda a, b: a * b, v), np.linspace(0.5, 1.7, 7))


def test_associative_scan_rejects_bad_arguments():
    with pytest.raises(ValueError, match="must have the same first dimension"):
        ops.associative_scan(lambda a, b: a + b, [tf.zeros([4]), tf.zeros([3])])
    with pytest.raises(TypeError, match="`f` should be a callable"):
        ops.associative_scan(None, tf.zeros([4]))


def test_switch_clips_the_index_and_passes_operands():
    branches = [lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y]
    for index, want in [(0, 8.0), (1, -2.0), (2, 15.0), (-4, 8.0), (9, 15.0)]:
        assert float(ops.switch(index, branches, tf.constant(3.0), tf.constant(5.0))) == want
    assert float(ops.switch(tf.constant(1, "int64"), branches, 3.0, 5.0)) == -2.0


def test_switch_in_tf_function_is_differentiable():
    @tf.function
    def run(i, x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = ops.switch(i, [lambda v: v * 2.0, lambda v: v * v, lambda v: -v], x)
        return y, tape.gradient(y, x)

    for i, want in [(0, (6.0, 2.0)), (1, (9.0, 6.0)), (2, (-3.0, -1.0)), (7, (-3.0, -1.0))]:
        y, g = run(tf.constant(i), tf.constant(3.0))
        assert (float(y), float(g)) == want


def test_custom_gradient_keras_example_eager_and_graph():
    @ops.custom_gradient
    def log1pexp(x):
        e = ops.exp(x)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return ops.multiply(upstream, 1.0 - 1.0 / ops.add(1, e))

        return ops.log(1 + e), grad

    def value_and_grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = log1pexp(x)
        return y, tape.gradient(y, x)

    for fn in (value_and_grad, tf.function(value_and_grad)):
        y, g = fn(tf.constant([0.0, 2.0, 100.0]))
        np.testing.assert_allclose(y.numpy()[:2], np.log1p(np.exp([0.0, 2.0])), rtol=1e-6)
        np.testing.assert_allclose(g.numpy(), [0.5, 1 / (1 + np.exp(-2.0)), 1.0], rtol=1e-6)  # not nan at 100


def test_vectorize_matches_numpy_vectorize():
    a, b = np.arange(3.0), np.arange(6.0).reshape(2, 3)
    f = lambda x, y: x * y + 1.0  # noqa: E731
    np.testing.assert_allclose(ops.vectorize(f)(tf.constant(a), tf.constant(b)).numpy(), np.vectorize(f)(a, b))
    dot = ops.vectorize(lambda x, y: tf.reduce_sum(x * y), signature="(n),(n)->()")
    want = np.vectorize(lambda x, y: np.sum(x * y), signature="(n),(n)->()")(b, a)
    np.testing.assert_allclose(dot(tf.constant(b), tf.constant(a)).numpy(), want)
    two = ops.vectorize(lambda x: (x + tf.reduce_sum(x), tf.reduce_max(x)), signature="(n)->(n),()")
    got = two(tf.constant(b.reshape(2, 1, 3)))
    want = np.vectorize(lambda x: (x + np.sum(x), np.max(x)), signature="(n)->(n),()")(b.reshape(2, 1, 3))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w)
        assert g.shape == w.shape
    scaled = ops.vectorize(lambda x, k: x * k, excluded={1})
    np.testing.assert_allclose(scaled(tf.constant(a), 3.0).numpy(), a * 3.0)


def test_vectorize_rejects_inconsistent_arguments():
    dot = ops.vectorize(lambda x, y: tf.reduce_sum(x * y), signature="(n),(n)->()")
    with pytest.raises(ValueError, match="inconsistent size for core dimension 'n'"):
        dot(tf.zeros([2, 3]), tf.zeros([4]))
    with pytest.raises(TypeError, match="wrong number of positional arguments: expected 2, got 1"):
        dot(tf.zeros([3]))
    with pytest.raises(ValueError, match="not a valid gufunc signature"):
        ops.vectorize(lambda x: x, signature="(n)->n")


def test_jvp_forward_derivatives():
    out, tangent = ops.jvp(lambda x, y: x * y + tf.sin(x), (tf.constant(2.0), tf.constant(3.0)), (1.0, 0.5))
    np.testing.assert_allclose(out.numpy(), 6.0 + np.sin(2.0), rtol=1e-6)
    np.testing.assert_allclose(tangent.numpy(), (3.0 + np.cos(2.0)) * 1.0 + 2.0 * 0.5, rtol=1e-6)
    x, v = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, -1.0])
    out, tangent, aux = ops.jvp(lambda t: (tf.exp(t), t + 1), (tf.constant(x),), (tf.constant(v),), has_aux=True)
    np.testing.assert_allclose(tangent.numpy(), np.exp(x) * v)
    np.testing.assert_allclose(aux.numpy(), x + 1)
    outs, tangents = ops.jvp(lambda t: {"sq": t * t, "neg": -t}, (tf.constant(x),), (tf.constant(v),))
    np.testing.assert_allclose(tangents["sq"].numpy(), 2 * x * v)
    np.testing.assert_allclose(tangents["neg"].numpy(), -v)


def test_scan_associative_scan_and_switch_in_a_functional_model():
    inputs = keras.Input((4, 3))
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), ops.zeros((3,)), ops.transpose(inputs, (1, 0, 2)))
    prefix = ops.associative_scan(lambda a, b: a + b, inputs, axis=1)
    flipped = ops.switch(1, [lambda v: v * 2.0, lambda v: -v], inputs)
    assert tuple(carry.shape) == (None, 3) and tuple(ys.shape) == (4, None, 3)
    assert tuple(prefix.shape) == (None, 4, 3) and tuple(flipped.shape) == (None, 4, 3)
    x = np.arange(24.0, dtype="float32").reshape(2, 4, 3)
    out = keras.Model(inputs, [carry, ys, prefix, flipped])(x)
    want_carry, want_ys = _scan_reference(
        lambda c, v: (c + v, c * v), np.zeros((2, 3), "float32"), x.transpose(1, 0, 2)
    )
    np.testing.assert_allclose(out[0].numpy(), want_carry)
    np.testing.assert_allclose(out[1].numpy(), want_ys)
    np.testing.assert_allclose(out[2].numpy(), np.cumsum(x, 1))
    np.testing.assert_allclose(out[3].numpy(), -x)


def test_vectorize_jvp_and_length_scan_in_tf_function():
    dot = tf.function(
        lambda x, y: ops.vectorize(lambda a, b: tf.reduce_sum(a * b), signature="(n),(n)->()")(x, y),
        input_signature=[tf.TensorSpec([None, 3], tf.float32), tf.TensorSpec([3], tf.float32)],
    )
    b = np.arange(6.0, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(dot(tf.constant(b), tf.constant([1.0, 2.0, 3.0])).numpy(), b @ [1.0, 2.0, 3.0])
    outer = tf.function(
        lambda x, y: ops.vectorize(lambda p, q: p * q)(x, y),
        input_signature=[tf.TensorSpec([None, 1], tf.float32), tf.TensorSpec([1, None], tf.float32)],
    )
    col, row = np.array([[1.0], [2.0]], "float32"), np.array([[1.0, 2.0, 3.0]], "float32")
    np.testing.assert_allclose(outer(tf.constant(col), tf.constant(row)).numpy(), col * row)
    forward = tf.function(lambda x: ops.jvp(lambda t: tf.sin(t) * t, (x,), (tf.ones_like(x),)))
    out, tangent = forward(tf.constant([0.5, 1.0]))
    np.testing.assert_allclose(tangent.numpy(), np.cos([0.5, 1.0]) * [0.5, 1.0] + np.sin([0.5, 1.0]), rtol=1e-6)
    counted = tf.function(lambda: ops.scan(lambda c, x: (c + 1.0, c * 2.0), tf.constant(0.0), length=4, reverse=True))
    carry, ys = counted()
    assert float(carry) == 4.0
    np.testing.assert_array_equal(ys.numpy(), [6.0, 4.0, 2.0, 0.0])
