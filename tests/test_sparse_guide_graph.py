"""SparseTensors inside ``tf.function``: passed in (with and without a ``tf.SparseTensorSpec`` signature), built
from graph tensors, returned, and the ``tf.sparse`` ops of the sparse tensor guide run on them. Each op's
traced result must equal its eager result (indices, values, dense shape); a few are also pinned to
TensorFlow 2.21's values. Runs unchanged under TensorFlow with the import swapped.
"""

import numpy as np
import pytest

import ferroflow as tf


def _sp():
    return tf.sparse.SparseTensor([[0, 1], [1, 0], [1, 2]], [2.0, 4.0, -1.0], [2, 3])


def _parts(x):
    """Nested results as NumPy: a sparse tensor as (indices, values, dense_shape)."""
    if isinstance(x, (tuple, list)):
        return [_parts(v) for v in x]
    if isinstance(x, tf.sparse.SparseTensor):
        return (x.indices.numpy().tolist(), x.values.numpy().tolist(), x.dense_shape.numpy().tolist())
    return np.asarray(x).tolist()


OPS = {
    "add_sparse": lambda s: tf.sparse.add(s, tf.sparse.SparseTensor([[0, 1], [0, 0]], [1.0, 5.0], [2, 3])),
    "add_self": lambda s: tf.sparse.add(s, s),
    "add_dense": lambda s: tf.sparse.add(s, tf.ones([2, 3])),
    "to_dense": lambda s: tf.sparse.to_dense(s),
    "to_dense_default": lambda s: tf.sparse.to_dense(s, default_value=-7.0),
    "reorder": lambda s: tf.sparse.reorder(
        tf.sparse.SparseTensor(tf.reverse(s.indices, [0]), tf.reverse(s.values, [0]), s.dense_shape)
    ),
    "transpose": lambda s: tf.sparse.transpose(s),
    "reshape": lambda s: tf.sparse.reshape(s, [-1, 2]),
    "reshape_3d": lambda s: tf.sparse.reshape(s, [3, 1, 2]),
    "concat_1": lambda s: tf.sparse.concat(1, [s, s]),
    "concat_0": lambda s: tf.sparse.concat(0, [s, tf.sparse.from_dense(tf.ones([1, 3]))]),
    "slice": lambda s: tf.sparse.slice(s, [0, 1], [2, 5]),
    "retain": lambda s: tf.sparse.retain(s, s.values > 0),
    "reduce_sum": lambda s: tf.sparse.reduce_sum(s),
    "reduce_sum_1": lambda s: tf.sparse.reduce_sum(s, axis=1),
    "reduce_sum_0_keep": lambda s: tf.sparse.reduce_sum(s, axis=0, keepdims=True),
    "reduce_max": lambda s: tf.sparse.reduce_max(s),
    "reduce_max_1": lambda s: tf.sparse.reduce_max(s, axis=1),
    "reduce_max_0_keep": lambda s: tf.sparse.reduce_max(s, axis=0, keepdims=True),
    "map_values": lambda s: tf.sparse.map_values(tf.multiply, s, s),
    "map_values_scalar": lambda s: tf.sparse.map_values(tf.add, s, 5.0),
    "with_values": lambda s: s.with_values(s.values * 2.0),
    "scalar_mul": lambda s: s * 3.0,
    "expand_dims": lambda s: tf.sparse.expand_dims(s, 0),
    "matmul": lambda s: tf.sparse.sparse_dense_matmul(s, tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    "matmul_adjoint": lambda s: tf.sparse.sparse_dense_matmul(s, tf.ones([2, 2]), adjoint_a=True),
    "math": lambda s: (tf.math.abs(s), tf.math.negative(s), tf.math.sign(s), tf.math.square(s), tf.math.tanh(s)),
    "math_sqrt_erf": lambda s: (tf.math.sqrt(tf.math.abs(s)), tf.math.erf(s), tf.math.bessel_i0e(s)),
    "cast_identity": lambda s: (tf.cast(s, tf.float64), tf.identity(s)),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_traced_matches_eager(name):
    op = OPS[name]
    expected = _parts(op(_sp()))
    with_value = tf.function(op)
    with_spec = tf.function(op, input_signature=[tf.SparseTensorSpec([None, 3], tf.float32)])
    for fn in (with_value, with_spec):
        got = _parts(fn(_sp()))
        np.testing.assert_equal(np.asarray(got, dtype=object), np.asarray(expected, dtype=object))


def test_graph_results_pinned_to_tensorflow():
    @tf.function(input_signature=[tf.SparseTensorSpec([None, 3], tf.float32)])
    def f(s):
        return tf.sparse.reorder(tf.sparse.transpose(tf.sparse.add(s, s))), tf.sparse.reduce_max(s, axis=1)

    st, row_max = f(_sp())
    assert st.indices.numpy().tolist() == [[0, 1], [1, 0], [2, 1]]
    assert st.values.numpy().tolist() == [8.0, 4.0, -2.0]
    assert st.dense_shape.numpy().tolist() == [3, 2]
    assert row_max.numpy().tolist() == [2.0, 4.0]


def test_sparse_built_from_graph_tensors():
    @tf.function
    def f(x):
        where = tf.where(x != 0)
        st = tf.sparse.SparseTensor(where, tf.boolean_mask(x, x != 0), tf.shape(x, out_type=tf.int64))
        return st, tf.sparse.to_dense(st) * 2.0, tf.sparse.from_dense(x)

    x = tf.constant([[1.0, 0.0, 3.0], [0.0, -5.0, 0.0]])
    st, doubled, from_dense = f(x)
    assert st.indices.numpy().tolist() == [[0, 0], [0, 2], [1, 1]]
    assert st.values.numpy().tolist() == [1.0, 3.0, -5.0]
    assert st.dense_shape.numpy().tolist() == [2, 3]
    np.testing.assert_array_equal(doubled.numpy(), 2 * x.numpy())
    assert _parts(from_dense) == _parts(st)


def test_sparse_from_a_list_holding_a_graph_tensor():
    @tf.function
    def f(i):
        return tf.sparse.to_dense(tf.sparse.SparseTensor([[0], [2]], [i, i + 1], [4]))

    assert f(tf.constant(5)).numpy().tolist() == [5, 0, 6, 0]


def test_dense_shape_known_only_when_run():
    @tf.function(input_signature=[tf.SparseTensorSpec([None, None], tf.float32)])
    def f(s):
        return tf.sparse.to_dense(tf.sparse.reorder(tf.sparse.add(s, s))), tf.sparse.reduce_sum(s, axis=0)

    for shape in ([2, 3], [4, 5]):
        s = tf.sparse.SparseTensor([[1, 2], [0, 1]], [1.0, 2.0], shape)
        dense, col_sums = f(s)
        expected = np.zeros(shape, np.float32)
        expected[1, 2], expected[0, 1] = 2.0, 4.0
        np.testing.assert_array_equal(dense.numpy(), expected)
        np.testing.assert_array_equal(col_sums.numpy(), expected.sum(axis=0) / 2)


def test_tf_print_of_a_sparse_tensor(capfd):
    import sys

    s = tf.sparse.SparseTensor([[0, 1], [1, 0]], [-1.5, 4.0], [2, 2])
    expected = "'SparseTensor(indices=[[0 1]\n [1 0]], values=[-1.5 4], shape=[2 2])'\n"
    tf.print(s, output_stream=sys.stdout)
    assert capfd.readouterr().out == expected

    @tf.function
    def f(x):
        tf.print("in", x, output_stream=sys.stdout)
        return x

    f(s)
    assert capfd.readouterr().out == "in " + expected


def test_cond_with_sparse_branches():
    @tf.function
    def f(s, flag):
        out = tf.cond(flag, lambda: tf.sparse.map_values(tf.abs, s), lambda: s * 2.0)
        return out, tf.sparse.to_dense(out)

    s = tf.sparse.SparseTensor([[0, 1], [1, 0]], [-1.5, 4.0], [2, 2])
    for flag, values in ((True, [1.5, 4.0]), (False, [-3.0, 8.0])):
        out, dense = f(s, tf.constant(flag))
        assert out.indices.numpy().tolist() == [[0, 1], [1, 0]]
        assert out.values.numpy().tolist() == values
        assert dense.numpy().tolist() == [[0.0, values[0]], [values[1], 0.0]]
