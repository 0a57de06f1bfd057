"""Eager control flow: while_loop, cond, case, switch_case, scan, foldl, foldr, map_fn, vectorized_map.

Values against NumPy, errors as TensorFlow 2 raises them, gradients (a tape records every iteration) against
finite differences in float64.
"""

import collections

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

RNG = np.random.default_rng(0)
Pair = collections.namedtuple("Pair", "a b")


# -- while_loop
def test_while_loop_counts_and_keeps_structure():
    (i,) = tf.while_loop(lambda i: i < 10, lambda i: (i + 1,), [tf.constant(0)])
    assert int(i) == 10
    out = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2.0), (0, tf.constant([1.0, 2.0])))
    assert isinstance(out, tuple) and int(out[0]) == 3
    np.testing.assert_array_equal(out[1].numpy(), [8.0, 16.0])
    # a bare value for a single loop variable; a list stays a list
    out = tf.while_loop(lambda x: x < 5, lambda x: x + 1, [0])
    assert isinstance(out, list) and int(out[0]) == 5 and out[0].dtype == tf.int32


def test_while_loop_nested_structures():
    out = tf.while_loop(
        lambda p, d: p.a < 4,
        lambda p, d: (Pair(p.a + 1, p.b * 2.0), {"x": d["x"] + p.b, "y": [d["y"][0] - 1]}),
        [Pair(tf.constant(0), tf.constant(1.0)), {"x": tf.constant(0.0), "y": [tf.constant(10)]}],
    )
    p, d = out
    assert isinstance(p, Pair) and int(p.a) == 4 and float(p.b) == 16.0
    assert float(d["x"]) == 1 + 2 + 4 + 8 and int(d["y"][0]) == 6


def test_while_loop_maximum_iterations():
    (x,) = tf.while_loop(lambda x: True, lambda x: x + 1, [0], maximum_iterations=3)
    assert int(x) == 3
    (x,) = tf.while_loop(lambda x: True, lambda x: x + 1, [0], maximum_iterations=tf.constant(0))
    assert int(x) == 0
    (x,) = tf.while_loop(lambda x: x < 2, lambda x: x + 1, [0], maximum_iterations=10)
    assert int(x) == 2


def test_while_loop_only_calls_cond_and_body_as_needed():
    calls = []

    def body(x):
        calls.append(int(x))
        return x + 1

    tf.while_loop(lambda x: x < 3, body, [0], parallel_iterations=1, back_prop=False, swap_memory=True)
    assert calls == [0, 1, 2]


def test_while_loop_v1_unwraps_one_loop_variable():
    out = tf.compat.v1.while_loop(lambda x: x < 5, lambda x: x + 1, [tf.constant(0)])
    assert int(out) == 5
    out = tf.compat.v1.while_loop(lambda x: x < 5, lambda x: x + 1, [tf.constant(0)], return_same_structure=True)
    assert isinstance(out, list) and int(out[0]) == 5


def test_while_loop_errors():
    with pytest.raises(TypeError, match="'cond' must be callable"):
        tf.while_loop(1, lambda x: x, [0])
    with pytest.raises(TypeError, match="'body' must be callable"):
        tf.while_loop(lambda x: True, 1, [0])
    with pytest.raises(ValueError, match="'loop_vars' must be provided"):
        tf.while_loop(lambda: True, lambda: (), [])
    with pytest.raises(TypeError, match="'parallel_iterations' must be a positive integer"):
        tf.while_loop(lambda x: x < 3, lambda x: x + 1, [0], parallel_iterations=0)
    with pytest.raises(TypeError, match="list or tuple"):
        tf.while_loop(lambda x: x < 3, lambda x: x + 1, tf.constant(0))
    with pytest.raises(ValueError, match="'maximum_iterations' must be a scalar"):
        tf.while_loop(lambda x: x < 3, lambda x: x + 1, [0], maximum_iterations=[1, 2])
    with pytest.raises(ValueError, match="same nested structure"):
        tf.while_loop(lambda x, y: x < 5, lambda x, y: (x + 1,), (0, 1.0))
    with pytest.raises(ValueError, match="same nested structure"):
        tf.while_loop(lambda d: d["a"] < 5, lambda d: {"b": d["a"] + 1}, [{"a": 0}])
    with pytest.raises(ValueError, match="scalar"):
        tf.while_loop(lambda x: x < 3, lambda x: x + 1, [tf.constant([0, 1])])


def test_while_loop_power_gradient():
    def power(x):
        return tf.while_loop(lambda i, y: i < 5, lambda i, y: (i + 1, y * x), (0, tf.ones_like(x)))[1]

    x = RNG.uniform(0.5, 1.5, (3, 4))
    np.testing.assert_allclose(power(tf.constant(x)).numpy(), x**5, rtol=1e-12)
    check_gradient(power, x)


def _rnn(xs, w, u):
    """h = tanh(h W + x_t U) over the first axis of xs [T, B, D], through a TensorArray in a while loop."""
    steps = xs.shape[0]
    inputs = tf.TensorArray(xs.dtype, size=steps).unstack(xs)
    h0 = tf.zeros([xs.shape[1], w.shape[0]], dtype=xs.dtype)

    def body(t, h, out):
        h = tf.tanh(tf.matmul(h, w) + tf.matmul(inputs.read(t), u))
        return t + 1, h, out.write(t, h)

    _, h, out = tf.while_loop(lambda t, h, out: t < steps, body, (0, h0, tf.TensorArray(xs.dtype, size=steps)))
    return out.stack(), h


def _rnn_numpy(xs, w, u):
    h = np.zeros((xs.shape[1], w.shape[0]))
    outs = []
    for x in xs:
        h = np.tanh(h @ w + x @ u)
        outs.append(h)
    return np.stack(outs), h


def test_rnn_recurrence_values_and_gradients():
    xs, w, u = RNG.standard_normal((5, 3, 4)), RNG.standard_normal((6, 6)) * 0.5, RNG.standard_normal((4, 6))
    seq, last = _rnn(tf.constant(xs), tf.constant(w), tf.constant(u))
    want_seq, want_last = _rnn_numpy(xs, w, u)
    np.testing.assert_allclose(seq.numpy(), want_seq, rtol=1e-10)
    np.testing.assert_allclose(last.numpy(), want_last, rtol=1e-10)
    for wrt in range(3):
        check_gradient(lambda a, b, c: _rnn(a, b, c)[0], xs, w, u, wrt=wrt)


def test_gradient_tape_through_a_tf_function_with_a_loop():
    v = tf.Variable(RNG.standard_normal((3,)))

    @tf.function
    def f(x):
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y) * v), (0, x))[1]

    x = tf.constant(RNG.standard_normal((3,)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(f(x))
    gx, gv = tape.gradient(y, [x, v])
    eps = 1e-6
    num = [
        (np.sum(f(tf.constant(x.numpy() + eps * e)).numpy()) - np.sum(f(tf.constant(x.numpy() - eps * e)).numpy()))
        / (2 * eps)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(gx.numpy(), num, rtol=1e-5, atol=1e-9)
    assert gv is not None and gv.shape == (3,)


# -- cond
def test_cond_runs_only_the_chosen_branch_and_returns_it_unchanged():
    ran = []
    out = tf.cond(tf.constant(False), lambda: ran.append("t") or 1.0, lambda: ran.append("f") or {"a": (3.0, [4])})
    assert ran == ["f"] and out == {"a": (3.0, [4])}
    assert tf.cond(True, lambda: 1.0, lambda: 2.0) == 1.0
    assert tf.cond(tf.Variable(False), lambda: 1.0, lambda: 2.0) == 2.0
    assert tf.cond(tf.constant(True), lambda: None, lambda: None) is None


def test_cond_v1_unpacks_singletons_and_takes_fn1_fn2():
    assert tf.compat.v1.cond(tf.constant(False), lambda: [1.0], lambda: [3.0]) == 3.0
    assert tf.compat.v1.cond(tf.constant(False), lambda: [1.0], lambda: [3.0], strict=True) == [3.0]
    assert tf.cond(tf.constant(False), lambda: [1.0], lambda: [3.0]) == [3.0]
    assert tf.compat.v1.cond(tf.constant(False), fn1=lambda: 1.0, fn2=lambda: 3.0) == 3.0
    with pytest.raises(TypeError, match="may not be set simultaneously"):
        tf.compat.v1.cond(tf.constant(False), lambda: 1.0, lambda: 2.0, fn1=lambda: 1.0)


def test_cond_errors():
    with pytest.raises(TypeError, match="'true_fn' argument required"):
        tf.cond(tf.constant(True), None, lambda: 2.0)
    with pytest.raises(TypeError, match="'false_fn' argument required"):
        tf.cond(tf.constant(True), lambda: 1.0)
    with pytest.raises(TypeError, match="'true_fn' must be callable"):
        tf.cond(tf.constant(True), 1, lambda: 2.0)
    with pytest.raises(ValueError, match="scalar"):
        tf.cond(tf.constant([True, False]), lambda: 1.0, lambda: 2.0)


@pytest.mark.parametrize("pred", [True, False])
def test_cond_gradient_through_each_branch(pred):
    def f(x):
        return tf.cond(tf.constant(pred), lambda: tf.sin(x) * x, lambda: tf.exp(x) / (1.0 + x * x))

    x = RNG.standard_normal((2, 3))
    want = np.sin(x) * x if pred else np.exp(x) / (1 + x * x)
    np.testing.assert_allclose(f(tf.constant(x)).numpy(), want, rtol=1e-12)
    check_gradient(f, x)


# -- case and switch_case
def test_case_picks_the_first_true_and_the_default():
    t, f = tf.constant(True), tf.constant(False)
    assert tf.case([(f, lambda: 1), (t, lambda: 2)], default=lambda: 3) == 2
    assert tf.case([(f, lambda: 1), (f, lambda: 2)], default=lambda: 3) == 3
    assert tf.case([(f, lambda: 1), (t, lambda: 2)]) == 2
    assert tf.case([(t, lambda: 1), (t, lambda: 2)]) == 1
    assert tf.case([(t, lambda: 1), (t, lambda: 2)], exclusive=True) == 1  # the last pair is the default
    assert tf.case({f: lambda: 1, t: lambda: 2}) == 2
    assert tf.compat.v1.case([(f, lambda: [1]), (t, lambda: [2])]) == 2


def test_case_errors():
    t, f = tf.constant(True), tf.constant(False)
    with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions evaluated as True"):
        tf.case([(f, lambda: 1), (f, lambda: 2)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than 1 conditions"):
        tf.case([(t, lambda: 1), (t, lambda: 2)], default=lambda: 3, exclusive=True)
    with pytest.raises(TypeError, match="must be a 2-tuple"):
        tf.case([t])
    with pytest.raises(TypeError, match="pred must be a Tensor"):
        tf.case([(1, lambda: 2)])
    with pytest.raises(TypeError, match="must be callable"):
        tf.case([(t, 2)])
    with pytest.raises(TypeError, match="must be a list, tuple, or dict"):
        tf.case(3)
    with pytest.raises(ValueError):
        tf.case([], default=lambda: 3)


def test_switch_case_indices_and_default():
    fns = [lambda: 1, lambda: 2, lambda: 3]
    assert tf.switch_case(tf.constant(1), fns) == 2
    assert tf.switch_case(tf.constant(7), fns) == 3  # out of range: the last branch
    assert tf.switch_case(tf.constant(-1), fns) == 3
    assert tf.switch_case(tf.constant(7), fns[:2], default=lambda: 9) == 9
    assert tf.switch_case(tf.constant(1, tf.int64), fns) == 2
    assert tf.switch_case(tf.constant(1), {1: lambda: 5, 0: lambda: 4}) == 5
    assert tf.switch_case(tf.constant(0), [(0, lambda: 1), (1, lambda: 2)]) == 1


def test_switch_case_errors():
    with pytest.raises(ValueError, match=r"contiguous range of \[0 to 2\) but found \{0,5\}"):
        tf.switch_case(tf.constant(5), {0: lambda: 1, 5: lambda: 2})
    with pytest.raises(ValueError, match="at least one item"):
        tf.switch_case(tf.constant(1), [])
    with pytest.raises(TypeError, match="'branch_index' must be a Tensor"):
        tf.switch_case(1, [lambda: 1, lambda: 2])
    with pytest.raises(TypeError, match="must be an integer Tensor"):
        tf.switch_case(tf.constant(1.0), [lambda: 1, lambda: 2])


# -- scan, folds, map_fn
def test_scan_values():
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(tf.scan(lambda a, e: a + e, x).numpy(), [1, 3, 6, 10])
    np.testing.assert_array_equal(tf.scan(lambda a, e: a + e, x, initializer=10.0).numpy(), [11, 13, 16, 20])
    np.testing.assert_array_equal(tf.scan(lambda a, e: a + e, x, reverse=True).numpy(), [10, 9, 7, 4])
    s, p = tf.scan(lambda a, e: (a[0] + e, a[1] * e), x, initializer=(tf.constant(0.0), tf.constant(1.0)))
    np.testing.assert_array_equal(p.numpy(), [1, 2, 6, 24])
    out = tf.scan(lambda a, e: (a[0] + e[0], a[1] * e[1]), (x[:3], x[:3]))
    np.testing.assert_array_equal(out[1].numpy(), [1, 2, 6])
    assert tf.scan(lambda a, e: a + e, tf.zeros([0]), initializer=1.0).shape == (0,)


def test_folds():
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    assert float(tf.foldl(lambda a, e: a + e, x)) == 10.0
    assert float(tf.foldl(lambda a, e: a * 10 + e, x, initializer=0.0)) == 1234.0
    assert float(tf.foldr(lambda a, e: a * 10 + e, x, initializer=0.0)) == 4321.0
    assert float(tf.foldr(lambda a, e: a * 10 + e, x)) == 4321.0
    a, b = tf.foldl(lambda a, e: (a[0] + e[0], a[1] + e[1]), (tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])))
    assert float(a) == 3.0 and float(b) == 7.0
    with pytest.raises(tf.errors.OutOfRangeError):
        tf.foldl(lambda a, e: a + e, tf.zeros([0]))


def test_scan_and_fold_errors():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="same nested structure"):
        tf.scan(lambda a, e: (a, a), x, initializer=tf.constant(0.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype is float32"):
        tf.scan(lambda a, e: tf.cast(a, tf.int32), x, initializer=tf.constant(0.0))
    with pytest.raises(TypeError, match="callable"):
        tf.foldl(3, x)


def test_map_fn_values_and_signatures():
    x = RNG.standard_normal((3, 2)).astype(np.float32)
    np.testing.assert_allclose(tf.map_fn(lambda r: r * 2, tf.constant(x)).numpy(), x * 2)
    np.testing.assert_allclose(tf.map_fn(lambda r: tf.reduce_sum(r), tf.constant(x)).numpy(), x.sum(1), rtol=1e-6)
    a, b = tf.map_fn(
        lambda r: (r, tf.cast(r > 0, tf.int32)), tf.constant(x), fn_output_signature=(tf.float32, tf.int32)
    )
    np.testing.assert_array_equal(b.numpy(), (x > 0).astype(np.int32))
    out = tf.map_fn(lambda r: tf.cast(r, tf.int32), tf.constant(x), dtype=tf.int32)
    assert out.dtype == tf.int32
    out = tf.map_fn(lambda p: p[0] + p[1], (tf.constant(x), tf.constant(x)), fn_output_signature=tf.float32)
    np.testing.assert_allclose(out.numpy(), 2 * x)
    out = tf.map_fn(lambda d: d["a"] * 2, {"a": tf.constant(x)}, fn_output_signature=tf.TensorSpec([2], tf.float32))
    np.testing.assert_allclose(out.numpy(), 2 * x)
    assert tf.map_fn(lambda r: r * 2, tf.zeros([0, 2])).shape == (0, 2)
    assert tf.compat.v1.map_fn(lambda r: tf.cast(r, tf.int32), tf.constant(x), dtype=tf.int32).dtype == tf.int32


def test_map_fn_errors():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype is float32 but Op is trying to write dtype int32"):
        tf.map_fn(lambda r: tf.cast(r, tf.int32), x)
    with pytest.raises(ValueError, match="same nested structure"):
        tf.map_fn(lambda r: (r, r), x)
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda r: r, tf.constant(1.0))
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        tf.map_fn(lambda p: p[0], (x, x[:2]), fn_output_signature=tf.float32)
    with pytest.raises(ValueError, match="Incompatible shape"):
        tf.map_fn(lambda r: r[: int(r[0])], tf.constant([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(TypeError, match="callable"):
        tf.map_fn(3, x)


def test_map_fn_realistic_batch_and_gradient():
    images = RNG.standard_normal((32, 28, 28, 16)).astype(np.float32)
    out = tf.map_fn(lambda im: tf.reduce_mean(im * im, axis=[0, 1]), tf.constant(images))
    np.testing.assert_allclose(out.numpy(), (images**2).mean(axis=(1, 2)), rtol=1e-5)
    check_gradient(lambda x: tf.map_fn(lambda r: tf.tanh(r) * tf.reduce_sum(r), x), RNG.standard_normal((4, 3)))


def test_scan_rnn_gradient():
    def rnn(xs, w):
        return tf.scan(lambda h, x: tf.tanh(tf.matmul(h, w) + x), xs, initializer=tf.zeros([2, 3], xs.dtype))

    xs, w = RNG.standard_normal((4, 2, 3)), RNG.standard_normal((3, 3)) * 0.5
    check_gradient(rnn, xs, w, wrt=0)
    check_gradient(rnn, xs, w, wrt=1)


def test_vectorized_map_takes_the_structure_fn_returns():
    x = RNG.standard_normal((3, 2)).astype(np.float32)
    a, b = tf.vectorized_map(lambda r: (r, tf.reduce_sum(r)), tf.constant(x))
    np.testing.assert_allclose(b.numpy(), x.sum(1), rtol=1e-6)
    np.testing.assert_allclose(a.numpy(), x)
