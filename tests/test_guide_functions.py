"""tf.function details the function and graphs guides print: concrete function text, literal arguments,
Python results as tensors, graph nodes, and the names of a trace's placeholders."""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf


def _pow():
    @tf.function
    def pow(a, b):  # noqa: A001 (the guide's name)
        return a**b

    return pow


def test_concrete_function_prints_its_signature():
    square = _pow().get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    assert str(square) == (
        "ConcreteFunction Input Parameters:\n"
        "  a (POSITIONAL_OR_KEYWORD): TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)\n"
        "  b (POSITIONAL_OR_KEYWORD): Literal[2]\n"
        "Output Type:\n"
        "  TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)\n"
        "Captures:\n"
        "  None"
    )
    assert repr(square).startswith(
        "<ConcreteFunction (a: TensorSpec(shape=<unknown>, dtype=tf.float32, name=None), b: Literal[2]) -> "
        "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None) at 0x"
    )


def test_concrete_function_keeps_its_python_arguments():
    square = _pow().get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    assert float(square(tf.constant(10.0))) == 100.0
    assert float(square(tf.constant(3.0), b=2)) == 9.0
    with pytest.raises(TypeError, match=r"Can not cast 3 to Literal\[2\]"):
        square(tf.constant(10.0), b=3)

    @tf.function
    def scale(x, n):
        return x * n

    times3 = scale.get_concrete_function(tf.TensorSpec([], tf.float32), 3)
    assert float(times3(tf.constant(2.0), 3)) == 6.0
    with pytest.raises(TypeError, match=r"Can not cast 4 to Literal\[3\]"):
        times3(tf.constant(1.0), 4)


def test_pretty_printed_concrete_signatures_lists_each_trace():
    @tf.function
    def double(a):
        return a + a

    double(tf.constant(1))
    double(tf.constant(1.1))
    assert double.pretty_printed_concrete_signatures() == "\n\n".join(
        "Input Parameters:\n"
        f"  a (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.{d}, name=None)\n"
        "Output Type:\n"
        f"  TensorSpec(shape=(), dtype=tf.{d}, name=None)\n"
        "Captures:\n"
        "  None"
        for d in ("int32", "float32")
    )


def test_star_args_are_named_args_0_and_positional_only():
    f = tf.function(lambda *args: args[0] * 2.0)
    text = str(f.get_concrete_function(tf.zeros([60, 28, 28])))
    assert "  args_0 (POSITIONAL_ONLY): TensorSpec(shape=(60, 28, 28), dtype=tf.float32, name=None)\n" in text


def test_python_numbers_returned_come_back_as_tensors():
    foo = 1

    @tf.function
    def buggy_add():
        return 1 + foo

    out = buggy_add()
    assert str(out) == "tf.Tensor(2, shape=(), dtype=int32)"

    @tf.function
    def mixed():
        return {"a": 1.5, "b": None, "c": True}

    got = mixed()
    assert got["b"] is None
    assert got["a"].dtype == tf.float32 and float(got["a"]) == 1.5
    assert got["c"].dtype == tf.bool and bool(got["c"])


def test_experimental_run_functions_eagerly_is_the_old_name():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x

    tf.config.experimental_run_functions_eagerly(True)
    try:
        assert tf.config.experimental_functions_run_eagerly() and tf.config.functions_run_eagerly()
        f(tf.constant(1))
        f(tf.constant(2))
    finally:
        tf.config.experimental_run_functions_eagerly(False)
    assert not tf.config.functions_run_eagerly()
    f(tf.constant(3))
    f(tf.constant(4))
    assert len(calls) == 3  # two eager calls, then one trace


def test_graph_as_graph_def_lists_nodes_and_inputs():
    @tf.function
    def double(a):
        return a + a

    graph = double.get_concrete_function(tf.constant(1.0)).graph
    nodes = graph.as_graph_def().node
    placeholder = next(n for n in nodes if n.op == "Placeholder")
    add = next(n for n in nodes if n.op == "AddV2")
    assert placeholder.input == [] and placeholder.name == "a"  # named after the argument, as in TensorFlow
    assert add.name == "add"  # `a + a` is named as TensorFlow names the operator
    assert add.input == [placeholder.name, placeholder.name]
    assert graph.as_graph_def().SerializeToString()[:1] == b"\n"  # field 1 (node), length-delimited


def test_python_loops_unroll_into_the_graph():
    # function guide: measure_graph_size grows with a Python list, not with a tensor loop
    @tf.function
    def train(dataset):
        loss = tf.constant(0)
        for x, y in dataset:
            loss += tf.abs(y - x)
        return loss

    small = len(train.get_concrete_function([(1, 1)] * 3).graph.as_graph_def().node)
    big = len(train.get_concrete_function([(1, 1)] * 10).graph.as_graph_def().node)
    assert big > small
    np.testing.assert_array_equal(train([(1, 3)] * 2).numpy(), 4)


def test_trace_placeholders_are_named_after_their_parameters():
    seen = []

    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def g(x):
        seen.append(x.name)
        return x

    g(tf.constant([1, 2, 3]))
    assert seen[0].split("/")[-1] == "x:0"
