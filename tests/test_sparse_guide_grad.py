"""Gradients through sparse ops inside ``tf.function``, w.r.t. a sparse tensor's values and the dense operand,
checked against central finite differences in float64. Under TensorFlow 2.21 with the import swapped all pass
but two value-gradient cases: TensorFlow has no gradient for ``to_dense``'s values (it returns None) and its
``slice`` of a concatenation fails in that graph; here both are differentiable.
"""

import numpy as np
import pytest

import ferroflow as tf

INDICES = np.array([[0, 1], [1, 0], [2, 2], [2, 0]], np.int64)
SHAPE = [3, 3]
SPEC = tf.SparseTensorSpec(SHAPE, tf.float64)


def _values():
    return np.array([1.5, -2.0, 0.5, 3.0])


def _dense_b():
    return np.random.RandomState(0).randn(3, 2)


def _fd(f, x, eps=1e-6):
    """Central differences of the scalar ``f`` at ``x``."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        g[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return g


def _dense_a(values):
    a = np.zeros(SHAPE)
    a[tuple(INDICES.T)] = values
    return a


@pytest.mark.parametrize("adjoint_a,adjoint_b", [(False, False), (True, False), (False, True), (True, True)])
def test_sparse_dense_matmul_gradients_in_tf_function(adjoint_a, adjoint_b):
    @tf.function(input_signature=[SPEC, tf.TensorSpec([3, 2] if not adjoint_b else [2, 3], tf.float64)])
    def grads(sp, b):
        with tf.GradientTape() as tape:
            tape.watch([sp.values, b])
            y = tf.sparse.sparse_dense_matmul(sp, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
            loss = tf.reduce_sum(tf.sin(y) * y)
        return tape.gradient(loss, [sp.values, b])

    def loss_np(values, b):
        a = _dense_a(values)
        y = (a.T if adjoint_a else a) @ (b.T if adjoint_b else b)
        return float(np.sum(np.sin(y) * y))

    values, b = _values(), _dense_b()
    b = b.T.copy() if adjoint_b else b
    g_values, g_b = grads(tf.sparse.SparseTensor(INDICES, values, SHAPE), tf.constant(b))
    np.testing.assert_allclose(g_values.numpy(), _fd(lambda v: loss_np(v, b), values), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(g_b.numpy(), _fd(lambda m: loss_np(values, m), b), rtol=1e-6, atol=1e-8)


def test_gradients_of_values_built_inside_tf_function():
    @tf.function
    def grads(values, b):
        with tf.GradientTape() as tape:
            tape.watch([values, b])
            sp = tf.sparse.SparseTensor(INDICES, values, SHAPE)
            loss = tf.reduce_sum(tf.sparse.sparse_dense_matmul(sp, b) ** 2)
        return tape.gradient(loss, [values, b])

    values, b = _values(), _dense_b()
    g_values, g_b = grads(tf.constant(values), tf.constant(b))
    loss = lambda v, m: float(np.sum((_dense_a(v) @ m) ** 2))  # noqa: E731
    np.testing.assert_allclose(g_values.numpy(), _fd(lambda v: loss(v, b), values), rtol=1e-6)
    np.testing.assert_allclose(g_b.numpy(), _fd(lambda m: loss(values, m), b), rtol=1e-6)


SPARSE_LOSSES = {
    # INDICES are not in row-major order: TensorFlow's to_dense takes them only without validation.
    "to_dense": lambda sp: tf.reduce_sum(tf.sparse.to_dense(sp, validate_indices=False) * np.arange(9.0).reshape(3, 3)),
    "add_self_reorder": lambda sp: tf.reduce_sum(tf.sparse.reorder(tf.sparse.add(sp, sp)).values ** 3),
    "concat_slice": lambda sp: tf.reduce_sum(
        tf.sparse.slice(tf.sparse.concat(1, [sp, sp * 2.0]), [1, 0], [2, 5]).values ** 2
    ),
    "reduce_sum_rows": lambda sp: tf.reduce_sum(tf.sparse.reduce_sum(sp, axis=1) ** 2),
    "map_values_tanh": lambda sp: tf.reduce_sum(tf.sparse.map_values(tf.tanh, sp).values),
}


@pytest.mark.parametrize("name", sorted(SPARSE_LOSSES))
def test_value_gradients_through_sparse_ops(name):
    fn = SPARSE_LOSSES[name]

    @tf.function(input_signature=[SPEC])
    def grad(sp):
        with tf.GradientTape() as tape:
            tape.watch(sp.values)
            loss = fn(sp)
        return tape.gradient(loss, sp.values)

    def loss_at(values):
        return float(fn(tf.sparse.SparseTensor(INDICES, tf.constant(values), SHAPE)).numpy())

    values = _values()
    got = grad(tf.sparse.SparseTensor(INDICES, values, SHAPE)).numpy()
    np.testing.assert_allclose(got, _fd(loss_at, values), rtol=1e-6, atol=1e-8)
