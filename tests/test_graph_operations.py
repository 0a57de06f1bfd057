"""Graph.get_operations(): Operation objects with TensorFlow's basics (type, name, inputs, outputs, values())."""

import numpy as np

import ferroflow as tf
from ferroflow.framework.graph import Operation


def _graph():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant([[1.0, 2.0]])
        b = tf.matmul(a, tf.transpose(a))
        with g.control_dependencies([b]):
            c = tf.identity(a)
    return g, a, b, c


def test_get_operations_returns_operations_with_type_name_inputs_outputs():
    g, a, b, c = _graph()
    ops = g.get_operations()
    assert all(isinstance(op, Operation) for op in ops)
    matmul = [op for op in ops if op.type == "MatMul"]
    assert len(matmul) == 1
    op = matmul[0]
    assert op.name == "MatMul" and op.device == "" and op.graph is g
    assert [t.node for t in op.outputs] == [b.node] and [t.node for t in op.values()] == [b.node]
    assert isinstance(op.values(), tuple) and op.outputs[0].name == "MatMul:0"
    assert isinstance(op.inputs, tuple) and len(op.inputs) == 2
    assert [t.op.type for t in op.inputs] == ["Const", "Transpose"]
    assert op.inputs[1].op.inputs[0].shape == (1, 2)
    assert b.op == op and hash(b.op) == hash(op) and ops == g.get_operations()
    assert repr(op) == "<tf.Operation 'MatMul' type=MatMul>"
    assert [o.type for o in ops][:3] == ["Const", "Transpose", "MatMul"]  # one node for the constant, as in TF


def test_control_dependencies_show_as_control_inputs():
    g, a, b, c = _graph()
    waits = [op for op in g.get_operations() if op.control_inputs]
    assert waits and all(op.type == "Identity" and len(op.inputs) == 1 for op in waits)
    assert all(op.control_inputs == [b.op] for op in waits)


def test_operations_of_a_traced_function_and_running_one():
    @tf.function
    def f(x):
        return tf.nn.relu(tf.matmul(x, x))

    graph = f.get_concrete_function(tf.TensorSpec([2, 2], tf.float32)).graph
    kinds = [op.type for op in graph.get_operations()]
    assert "MatMul" in kinds and "Relu" in kinds
    relu = next(op for op in graph.get_operations() if op.type == "Relu")
    assert relu.inputs[0].op.type == "MatMul"
    with tf.Graph().as_default() as g2:
        y = tf.constant(np.ones((2, 2), np.float32)) * 3.0
        with tf.compat.v1.Session(graph=g2) as sess:
            np.testing.assert_array_equal(sess.run(y.op.outputs[0]), np.full((2, 2), 3.0))
