"""Constants made while a graph is built are Const nodes of that graph, named and typed as TensorFlow 2.21's.

Expected texts, names and op types were taken from TensorFlow 2.21 running the same code.
"""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1


@pytest.fixture
def graph_mode():
    """TF1's global graph mode, switched back to eager afterwards."""
    v1.disable_eager_execution()
    try:
        yield
    finally:
        v1.enable_eager_execution()
        v1.reset_default_graph()


def test_constant_is_a_node_of_the_default_graph():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
        b = tf.constant([1, 2])
        c = tf.constant(2.0, name="x")
    assert str(a) == 'Tensor("Const:0", shape=(), dtype=float32)'
    assert repr(b) == "<tf.Tensor 'Const_1:0' shape=(2,) dtype=int32>"
    assert str(c) == 'Tensor("x:0", shape=(), dtype=float32)'
    for t in (a, b, c):
        assert t.graph is g and t.op.type == "Const" and t.op.graph is g
    assert [op.name for op in g.get_operations()] == ["Const", "Const_1", "x"]


def test_constructors_name_their_nodes_as_tensorflow():
    g = tf.Graph()
    with g.as_default():
        made = [
            tf.zeros([2]),
            tf.ones([2]),
            tf.fill([2], 3.0),
            tf.range(3),
            tf.convert_to_tensor([1.0, 2.0]),
            tf.eye(2),
            tf.zeros([2], name="z"),
        ]
    names = [t.name for t in made]
    assert names == ["zeros:0", "ones:0", "Fill:0", "range:0", "Const:0", "eye/diag:0", "z:0"]
    assert all(t.graph is g for t in made)
    assert [str(t.shape) for t in made] == ["(2,)", "(2,)", "(2,)", "(3,)", "(2,)", "(2, 2)", "(2,)"]
    with v1.Session(graph=g) as sess:
        values = sess.run(made)
    np.testing.assert_array_equal(values[2], [3.0, 3.0])
    np.testing.assert_array_equal(values[3], [0, 1, 2])
    np.testing.assert_array_equal(values[5], np.eye(2))


def test_graph_constant_has_no_numpy():
    with tf.Graph().as_default():
        a = tf.constant(1.0)
        with pytest.raises(AttributeError, match="^'SymbolicTensor' object has no attribute 'numpy'$"):
            a.numpy()
        assert not hasattr(a, "numpy")


def test_session_runs_and_feeds_a_constant():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(2.0)
        b = a * 3.0
    with v1.Session(graph=g) as sess:
        assert sess.run(a) == 2.0 and sess.run(b) == 6.0
        assert sess.run(b, feed_dict={a: 5.0}) == 15.0


def test_constant_in_tf1_graph_mode(graph_mode):
    a = tf.constant([[1.0, 2.0]])
    assert str(a) == 'Tensor("Const:0", shape=(1, 2), dtype=float32)'
    assert a.graph is v1.get_default_graph()
    y = tf.matmul(a, tf.constant([[3.0], [4.0]]))
    (grad,) = tf.gradients(y, a)
    with v1.Session() as sess:
        np.testing.assert_allclose(sess.run(y), [[11.0]])
        np.testing.assert_allclose(sess.run(grad), [[3.0, 4.0]])


def test_variable_initialised_from_a_graph_constant(graph_mode):
    v = tf.Variable(tf.zeros([2]) + tf.constant([1.0, 2.0]))
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        np.testing.assert_allclose(sess.run(v), [1.0, 2.0])


def test_constant_inside_tf_function_is_a_graph_constant():
    seen = []

    @tf.function
    def f():
        c = tf.constant(1.0)
        seen.append((str(c), c.op.type))
        return c + 1.0

    assert float(f()) == 2.0
    assert seen == [('Tensor("Const:0", shape=(), dtype=float32)', "Const")]


def test_eager_constants_are_unchanged():
    a = tf.constant(1.5)
    assert repr(a) == "<tf.Tensor: shape=(), dtype=float32, numpy=1.5>"
    assert a.numpy() == 1.5
    assert repr(tf.range(3)) == "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([0, 1, 2], dtype=int32)>"


def test_constant_value_as_shape_and_bounds_in_a_graph():
    g = tf.Graph()
    with g.as_default():
        shape = tf.constant([2, 3])
        z = tf.zeros(shape)
        r = tf.range(tf.constant(4))
        e = tf.eye(tf.constant(2))
    assert z.shape.as_list() == [2, 3] and r.shape.as_list() == [4] and e.shape.as_list() == [2, 2]
    with v1.Session(graph=g) as sess:
        np.testing.assert_array_equal(sess.run(r), [0, 1, 2, 3])


def test_lists_of_graph_tensors_are_packed():
    g = tf.Graph()
    with g.as_default():
        p = tf.constant(2.0)
        q = tf.constant(3.0)
        m = tf.matmul([[p]], [[q]])
        packed = tf.convert_to_tensor([p, 1.0, q])
    assert m.shape.as_list() == [1, 1] and packed.shape.as_list() == [3] and packed.dtype == tf.float32
    with v1.Session(graph=g) as sess:
        np.testing.assert_allclose(sess.run(m), [[6.0]])
        np.testing.assert_allclose(sess.run(packed), [2.0, 1.0, 3.0])


def test_arithmetic_op_names_and_types_in_a_graph():
    g = tf.Graph()
    with g.as_default():
        p = tf.constant(1.0)
        q = tf.constant(2.0)
        made = [
            tf.add(p, q),
            tf.subtract(p, q),
            tf.multiply(p, q),
            tf.math.divide(p, q),
            tf.matmul([[p]], [[q]]),
            tf.divide(p, q),
            tf.add(p, q, name="s"),
            tf.math.add(p, q),
        ]
    assert [str(t) for t in made] == [
        'Tensor("Add:0", shape=(), dtype=float32)',
        'Tensor("Sub:0", shape=(), dtype=float32)',
        'Tensor("Mul:0", shape=(), dtype=float32)',
        'Tensor("truediv:0", shape=(), dtype=float32)',
        'Tensor("MatMul:0", shape=(1, 1), dtype=float32)',
        'Tensor("truediv_1:0", shape=(), dtype=float32)',
        'Tensor("s:0", shape=(), dtype=float32)',
        'Tensor("Add_1:0", shape=(), dtype=float32)',
    ]
    types = [t.op.type for t in made]
    assert types == ["AddV2", "Sub", "Mul", "RealDiv", "MatMul", "RealDiv", "AddV2", "AddV2"]


def test_variable_reads_are_named_as_tensorflow(graph_mode):
    v = v1.Variable(1.0, use_resource=True)
    r = v.read_value()
    assert str(r) == 'Tensor("Identity:0", shape=(), dtype=float32)' and r.op.type == "Identity"
    assert [t.name for t in r.op.inputs] == ["Read/ReadVariableOp:0"]
    a = v + 1
    assert str(a) == 'Tensor("add:0", shape=(), dtype=float32)'
    assert a.op.inputs[0].name == "ReadVariableOp:0" and a.op.inputs[0].op.type == "ReadVariableOp"
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        assert sess.run([r, a]) == [1.0, 2.0]


def test_constant_sizes_stay_static_inside_tf_function():
    @tf.function
    def f(x):
        window = tf.signal.hann_window(tf.constant(5), periodic=False)
        spectrum = tf.signal.rfft(x, fft_length=tf.constant([4]))
        up = tf.nn.conv2d_transpose(
            tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]), output_shape=tf.constant([1, 4, 4, 1]), strides=2
        )
        return window, spectrum, tf.reshape(x, tf.constant([2, 2])), up

    window, spectrum, reshaped, up = f(tf.constant([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_allclose(window.numpy(), [0.0, 0.5, 1.0, 0.5, 0.0], atol=1e-7)
    np.testing.assert_allclose(spectrum.numpy(), np.fft.rfft([1.0, 2.0, 3.0, 4.0]), atol=1e-5)
    assert reshaped.shape == (2, 2) and up.shape == (1, 4, 4, 1)
    np.testing.assert_allclose(up.numpy(), np.ones((1, 4, 4, 1)))
