"""tf.while_loop over SparseTensor and RaggedTensor loop variables, eagerly and in tf.function.

Expected values are TensorFlow 2.21's results for the same programs (and NumPy)."""

import numpy as np
import pytest

import ferroflow as tf


def _sp():
    return tf.sparse.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])


def _double(i, s):
    return i + 1, tf.sparse.SparseTensor(s.indices, s.values * 2.0, s.dense_shape)


def test_sparse_eager():
    _, s = tf.while_loop(lambda i, s: i < 3, _double, [0, _sp()])
    assert tf.sparse.to_dense(s).numpy().tolist() == [[8.0, 0.0, 0.0], [0.0, 0.0, 16.0]]


def test_sparse_in_function_several_calls():
    @tf.function
    def f(sp, n):
        return tf.while_loop(lambda i, s: i < n, _double, [0, sp])[1]

    assert tf.sparse.to_dense(f(_sp(), 2)).numpy().tolist() == [[4.0, 0.0, 0.0], [0.0, 0.0, 8.0]]
    assert tf.sparse.to_dense(f(_sp(), 4)).numpy().tolist() == [[16.0, 0.0, 0.0], [0.0, 0.0, 32.0]]
    out = f(_sp(), 0)
    assert isinstance(out, tf.SparseTensor)
    assert out.indices.numpy().tolist() == [[0, 0], [1, 2]]


def test_sparse_number_of_values_changes():
    @tf.function
    def g(sp, n):
        def body(i, s):
            return i + 1, tf.sparse.add(s, tf.sparse.SparseTensor([[0, 1]], [10.0], [2, 3]))

        return tf.while_loop(lambda i, s: i < n, body, [0, sp])[1]

    r = g(_sp(), 2)
    assert r.indices.numpy().tolist() == [[0, 0], [0, 1], [1, 2]]
    assert r.values.numpy().tolist() == [1.0, 20.0, 2.0]
    r = g(_sp(), 3)
    assert r.values.numpy().tolist() == [1.0, 30.0, 2.0]


def _rt():
    return tf.ragged.constant([[1, 2], [3]])


def _times2(i, r):
    return i + 1, r * 2


def test_ragged_eager():
    out = tf.while_loop(lambda i, r: i < 3, _times2, [0, _rt()])[1]
    assert out.to_list() == [[8, 16], [24]]


def test_ragged_in_function_several_calls():
    @tf.function
    def h(rt, n):
        return tf.while_loop(lambda i, r: i < n, _times2, [0, rt])[1]

    assert h(_rt(), 1).to_list() == [[2, 4], [6]]
    assert h(_rt(), 3).to_list() == [[8, 16], [24]]
    assert h(tf.ragged.constant([[5], [], [1, 1]]), 2).to_list() == [[20], [], [4, 4]]


def _grow(i, r):
    return i + 1, tf.concat([r, tf.ragged.constant([[7, 8, 9]])], axis=0)


@pytest.mark.parametrize(
    "invariant",
    [tf.RaggedTensorSpec([None, None], tf.int32), tf.TensorShape([None, None])],
    ids=["spec", "shape"],
)
def test_ragged_grows_with_shape_invariant(invariant):
    @tf.function
    def grow(rt, n):
        return tf.while_loop(lambda i, r: i < n, _grow, [0, rt], shape_invariants=[tf.TensorShape([]), invariant])[1]

    assert grow(_rt(), 2).to_list() == [[1, 2], [3], [7, 8, 9], [7, 8, 9]]
    assert grow(_rt(), 0).to_list() == [[1, 2], [3]]
    assert grow(_rt(), 1).to_list() == [[1, 2], [3], [7, 8, 9]]


def test_ragged_grows_eagerly_without_invariant():
    out = tf.while_loop(lambda i, r: i < 2, _grow, [0, _rt()])[1]
    assert out.to_list() == [[1, 2], [3], [7, 8, 9], [7, 8, 9]]


def test_ragged_grows_in_function_without_invariant_is_value_error():
    @tf.function
    def grow(rt, n):
        return tf.while_loop(lambda i, r: i < n, _grow, [0, rt])[1]

    with pytest.raises(ValueError, match="shape_invariants"):
        grow(_rt(), 2)


@pytest.mark.parametrize(
    "body",
    [
        lambda i, r: (i + 1, r.to_tensor()),
        lambda i, r: (i + 1, tf.RaggedTensor.from_row_splits(tf.cast(r.values, tf.float32), r.row_splits)),
        lambda i, r: (i + 1, tf.RaggedTensor.from_row_lengths(r, [2, 0])),
    ],
    ids=["dense", "dtype", "ragged_rank"],
)
def test_ragged_structure_mismatch_in_function_is_value_error(body):
    with pytest.raises(ValueError):
        tf.function(lambda s: tf.while_loop(lambda i, s: i < 2, body, [0, s]))(_rt())


def test_sparse_structure_mismatch_in_function_is_value_error():
    body = lambda i, s: (i + 1, tf.sparse.to_dense(s))  # noqa: E731
    with pytest.raises(ValueError):
        tf.function(lambda s: tf.while_loop(lambda i, s: i < 2, body, [0, s]))(_sp())


def test_sparse_dense_shape_change_in_function_is_value_error():
    body = lambda i, s: (i + 1, tf.sparse.reshape(s, [3, 2]))  # noqa: E731
    with pytest.raises(ValueError, match="not compatible"):
        tf.function(lambda s: tf.while_loop(lambda i, s: i < 2, body, [0, s]))(_sp())


def test_sparse_eager_body_returning_dense_fails_in_body_as_tensorflow():
    body = lambda i, s: (i + 1, tf.sparse.to_dense(s))  # noqa: E731
    with pytest.raises(TypeError):
        tf.while_loop(lambda i, s: i < 2, body, [0, _sp()])


def _square_values_loss(v):
    s0 = tf.sparse.SparseTensor([[0, 0], [1, 2]], v * 1.0, [2, 3])
    _, s1 = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s.with_values(s.values * s.values)), [0, s0])
    return tf.reduce_sum(s1.values)


def test_gradient_through_sparse_values_eager_and_function():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        loss = _square_values_loss(v)
    assert tape.gradient(loss, v).numpy().tolist() == [8.0, 1024.0]  # d x^8 / dx = 8 x^7

    @tf.function
    def gf():
        with tf.GradientTape() as tape:
            loss = _square_values_loss(v)
        return tape.gradient(loss, v)

    assert gf().numpy().tolist() == [8.0, 1024.0]


def test_gradient_vs_finite_differences_float64():
    x0 = np.array([0.3, -0.7, 1.1])

    @tf.function
    def loss(x):
        s0 = tf.sparse.SparseTensor([[0], [2], [4]], x, [5])
        _, s1 = tf.while_loop(lambda i, s: i < 2, lambda i, s: (i + 1, s.with_values(tf.sin(s.values) * 1.5)), [0, s0])
        return tf.reduce_sum(s1.values * s1.values)

    x = tf.constant(x0, tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = loss(x)
    g = tape.gradient(y, x).numpy()
    eps = 1e-6
    fd = [
        (loss(tf.constant(x0 + eps * e, tf.float64)).numpy() - loss(tf.constant(x0 - eps * e, tf.float64)).numpy())
        / (2 * eps)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(g, fd, rtol=1e-6)


def test_autograph_while_over_growing_ragged():
    @tf.function
    def f(rt, n):
        i = tf.constant(0)
        while i < n:
            rt = tf.concat([rt, rt[-1:] + 1], axis=0)
            i += 1
        return rt

    with pytest.raises(ValueError, match="shape"):
        f(_rt(), 2)

    @tf.function
    def f3(rt, n):
        i = tf.constant(0)
        while i < n:
            tf.autograph.experimental.set_loop_options(shape_invariants=[(rt, tf.TensorShape([None, None]))])
            rt = tf.concat([rt, rt[-1:] + 1], axis=0)
            i += 1
        return rt

    assert f3(_rt(), 2).to_list() == [[1, 2], [3], [4], [5]]
    assert f3(_rt(), 3).to_list() == [[1, 2], [3], [4], [5], [6]]


def test_autograph_while_over_ragged():
    @tf.function
    def f2(rt, n):
        i = tf.constant(0)
        total = tf.constant(0)
        while i < n:
            rt = rt * 2
            total += tf.reduce_sum(rt)
            i += 1
        return rt, total

    rt, total = f2(_rt(), 2)
    assert rt.to_list() == [[4, 8], [12]]
    assert int(total) == 36
    rt, total = f2(tf.ragged.constant([[1], [1, 1, 1]]), 1)
    assert rt.to_list() == [[2], [2, 2, 2]]
    assert int(total) == 8


def test_nested_ragged_rank_2_in_dict_with_maximum_iterations():
    rt2 = tf.ragged.constant([[[1], [2, 3]], [[4]]])

    @tf.function
    def a(r, n):
        def body(i, d):
            return i + 1, {"r": d["r"] + 1, "s": d["s"] * 2}

        return tf.while_loop(lambda i, d: i < n, body, [0, {"r": r, "s": tf.constant(1)}], maximum_iterations=5)[1]

    o = a(rt2, 3)
    assert o["r"].to_list() == [[[4], [5, 6]], [[7]]] and int(o["s"]) == 8
    o = a(rt2, 9)  # stopped by maximum_iterations
    assert o["r"].to_list() == [[[6], [7, 8]], [[9]]] and int(o["s"]) == 32


def test_single_ragged_variable_with_uniform_inner_dimension():
    rtu = tf.RaggedTensor.from_row_lengths(tf.reshape(tf.range(6.0), [3, 2]), [2, 1])

    @tf.function
    def b(r):
        return tf.while_loop(lambda r: tf.reduce_sum(r.flat_values) < 100.0, lambda r: r * 2.0, [r])

    out = b(rtu)
    assert out[0].to_list() == [[[0.0, 8.0], [16.0, 24.0]], [[32.0, 40.0]]]
    np.testing.assert_array_equal(out[0].flat_values.numpy(), np.arange(6.0).reshape(3, 2) * 8)  # 15 * 8 >= 100


def test_compat_v1_while_loop_with_ragged_input_signature():
    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.int32)])
    def c(r):
        return tf.compat.v1.while_loop(lambda i, r: i < 2, lambda i, r: (i + 1, tf.concat([r, r], axis=0)), [0, r])[1]

    assert c(tf.ragged.constant([[1], [2, 3]])).to_list() == [[1], [2, 3]] * 4
    assert c(tf.ragged.constant([[5]])).to_list() == [[5]] * 4


def test_autograph_for_range_over_ragged():
    @tf.function
    def d(r):
        for _ in tf.range(2):
            r = r * 3
        return r

    assert d(tf.ragged.constant([[1], [2, 3]])).to_list() == [[9], [18, 27]]
