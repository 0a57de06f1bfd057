"""str() and repr() of graph tensors, and the names of traced functions' inputs and operator nodes: the texts
TensorFlow 2.21 prints for the same programs (checked with it)."""

from __future__ import annotations

import ferroflow as tf


def test_placeholder_str_and_repr_are_not_scoped_by_the_function():
    seen = []

    @tf.function
    def f(x):
        seen.extend([str(x), repr(x)])
        return x

    f(tf.constant(1.0))
    assert seen == ['Tensor("x:0", shape=(), dtype=float32)', "<tf.Tensor 'x:0' shape=() dtype=float32>"]


def test_op_outputs_and_name_scopes():
    seen = []

    @tf.function
    def f(x, y):
        z = x + 1.0
        seen.extend([str(z), repr(z)])
        with tf.name_scope("blk"):
            w = tf.matmul(y, tf.ones([3, 2]))
        seen.extend([str(w), repr(w), str(tf.reduce_sum(w))])
        return z

    f(tf.constant(1.0), tf.ones([4, 3]))
    assert seen == [
        'Tensor("add:0", shape=(), dtype=float32)',
        "<tf.Tensor 'add:0' shape=() dtype=float32>",
        'Tensor("blk/MatMul:0", shape=(4, 2), dtype=float32)',
        "<tf.Tensor 'blk/MatMul:0' shape=(4, 2) dtype=float32>",
        'Tensor("Sum:0", shape=(), dtype=float32)',
    ]


def test_signature_names_and_unknown_dims():
    seen = []

    class M(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="inp")])
        def __call__(self, x):
            seen.extend([str(x), repr(x)])
            return x

    M()(tf.ones([2, 3]))
    assert seen == [
        'Tensor("inp:0", shape=(None, 3), dtype=float32)',
        "<tf.Tensor 'inp:0' shape=(None, 3) dtype=float32>",
    ]


def test_unknown_rank_leaves_the_shape_out_of_str():
    seen = []

    @tf.function
    def g(x):
        seen.extend([str(x), repr(x)])
        return x

    g(tf.constant([1, 2]))
    g.get_concrete_function(tf.TensorSpec(None, tf.float32))
    g.get_concrete_function(tf.TensorSpec([None, None], tf.string))
    assert seen == [
        'Tensor("x:0", shape=(2,), dtype=int32)',
        "<tf.Tensor 'x:0' shape=(2,) dtype=int32>",
        'Tensor("x:0", dtype=float32)',
        "<tf.Tensor 'x:0' shape=<unknown> dtype=float32>",
        'Tensor("x:0", shape=(None, None), dtype=string)',
        "<tf.Tensor 'x:0' shape=(None, None) dtype=string>",
    ]


def test_python_operators_name_their_nodes_as_tensorflow():
    names = []

    @tf.function
    def f(x, y, i, j):
        out = [x + y, x - y, x * y, x / y, x @ tf.transpose(y), -x, x**2, x // y, x % y, x < y, x[0], abs(x)]
        out += [i / j, i // j, 2.0 * x, 1.0 - x, x >= y]
        names.extend(t.name for t in out)
        return x

    f(tf.ones([2, 2]), tf.ones([2, 2]), tf.constant([1, 2]), tf.constant([1, 2]))
    assert names == [
        "add:0",
        "sub:0",
        "mul:0",
        "truediv:0",
        "matmul:0",
        "Neg:0",
        "pow:0",
        "floordiv:0",
        "mod:0",
        "Less:0",
        "strided_slice:0",
        "Abs:0",
        "truediv_1:0",
        "floordiv_1:0",
        "mul_1:0",
        "sub_1:0",
        "GreaterEqual:0",
    ]


def test_name_scope_inside_a_function_is_not_under_the_function_name():
    scopes = []

    @tf.function
    def f(x):
        scopes.append(tf.get_current_name_scope())
        with tf.name_scope("outer"):
            scopes.append(tf.get_current_name_scope())
            y = tf.identity(x, name="out")
        scopes.append(y.name)
        return y

    f(tf.constant(1.0))
    assert scopes == ["", "outer", "outer/out:0"]


def test_tf1_graph_tensors():
    v1 = tf.compat.v1
    texts = []
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [None, 3])
        q = v1.placeholder(tf.int32, name="q")
        a = p * 2
        with tf.name_scope("s"):
            b = tf.add(a, 1.0, name="plus")
        for t in (p, q, a, b):
            texts.extend([str(t), repr(t)])
    assert texts == [
        'Tensor("Placeholder:0", shape=(None, 3), dtype=float32)',
        "<tf.Tensor 'Placeholder:0' shape=(None, 3) dtype=float32>",
        'Tensor("q:0", dtype=int32)',
        "<tf.Tensor 'q:0' shape=<unknown> dtype=int32>",
        'Tensor("mul:0", shape=(None, 3), dtype=float32)',
        "<tf.Tensor 'mul:0' shape=(None, 3) dtype=float32>",
        'Tensor("s/plus:0", shape=(None, 3), dtype=float32)',
        "<tf.Tensor 's/plus:0' shape=(None, 3) dtype=float32>",
    ]


def test_print_in_a_function_shows_str(capsys):
    @tf.function
    def f(x):
        print(x)
        return x

    f(tf.constant(1.0))
    assert capsys.readouterr().out == 'Tensor("x:0", shape=(), dtype=float32)\n'
