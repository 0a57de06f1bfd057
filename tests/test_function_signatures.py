"""``tf.function``: retracing rules, ``input_signature``, ``reduce_retracing``, concrete functions, methods,
``run_functions_eagerly``; the examples of TensorFlow's "Introduction to graphs and tf.function" guide."""

import numpy as np
import pytest

import ferroflow as tf


def test_retracing_follows_shapes_dtypes_and_python_values():
    @tf.function
    def double(a):
        return a + a

    double(tf.constant(1))
    double(tf.constant(1.1))
    double(tf.constant([1.0, 2.0]))
    assert double.experimental_get_tracing_count() == 3
    double(tf.constant(5))  # same as the first: no new trace
    assert double.experimental_get_tracing_count() == 3

    @tf.function
    def power(x, n):
        return x**n

    power(tf.constant(2.0), 2)
    power(tf.constant(2.0), 3)  # a new Python value: a new trace
    assert power.experimental_get_tracing_count() == 2


def test_input_signature_traces_once_for_every_length():
    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def next_collatz(x):
        return tf.where(x % 2 == 0, x // 2, 3 * x + 1)

    np.testing.assert_array_equal(next_collatz(tf.constant([1, 2])).numpy(), [4, 1])
    np.testing.assert_array_equal(next_collatz(tf.constant([3, 4, 5, 6])).numpy(), [10, 2, 16, 3])
    assert next_collatz.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="input_signature"):
        next_collatz(tf.constant([[1, 2], [3, 4]]))  # wrong rank
    with pytest.raises(TypeError, match="input_signature"):
        next_collatz(tf.constant([1.0, 2.0]))  # wrong dtype


def test_reduce_retracing_opens_the_dimensions_that_vary():
    @tf.function(reduce_retracing=True)
    def g(x):
        return x * 2

    for n in [1, 2, 3, 4, 5]:
        np.testing.assert_array_equal(g(tf.ones([n])).numpy(), np.full(n, 2.0))
    assert g.experimental_get_tracing_count() == 2  # [1], then [None]


def test_get_concrete_function_from_specs_and_tensors():
    @tf.function
    def f(x, y):
        return tf.reduce_sum(x * y, axis=-1)

    concrete = f.get_concrete_function(tf.TensorSpec([None, 3], tf.float32), tf.TensorSpec([3], tf.float32))
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    out = concrete(tf.constant(x), tf.constant([1.0, 0.0, 2.0]))
    np.testing.assert_allclose(out.numpy(), x @ [1.0, 0.0, 2.0])
    args, kwargs = concrete.structured_input_signature
    assert args[0] == tf.TensorSpec([None, 3], tf.float32) and kwargs == {}
    assert concrete.outputs[0].dtype == tf.float32
    assert "x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None, 3), dtype=tf.float32" in (
        concrete.pretty_printed_signature()
    )
    with pytest.raises(TypeError, match="must match"):
        concrete(tf.constant(x), tf.constant([1.0, 2.0]))
    same = f.get_concrete_function(tf.constant(x), tf.constant([1.0, 0.0, 2.0]))
    # As TensorFlow 2.21's function cache: the (None, 3) trace accepts these tensors, so it serves them.
    assert same.graph is concrete.graph and f.experimental_get_tracing_count() == 1
    assert f.pretty_printed_concrete_signatures().startswith("Input Parameters:\n  x (POSITIONAL_OR_KEYWORD)")


def test_methods_trace_per_instance_and_see_their_own_variables():
    class Scale(tf.Module):
        def __init__(self, k):
            super().__init__()
            self.k = tf.Variable(k)

        @tf.function
        def __call__(self, x):
            return self.k * x

    a, b = Scale(2.0), Scale(3.0)
    assert float(a(tf.constant(1.0))) == 2.0
    assert float(b(tf.constant(1.0))) == 3.0
    a.k.assign(5.0)
    assert float(a(tf.constant(1.0))) == 5.0
    assert a.__call__.experimental_get_tracing_count() == 1


def test_run_functions_eagerly_runs_the_python_body_each_call():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        return x + 1

    f(tf.constant(1))
    f(tf.constant(2))
    assert len(calls) == 1
    tf.config.run_functions_eagerly(True)
    try:
        assert tf.config.functions_run_eagerly()
        f(tf.constant(3))
        f(tf.constant(4))
    finally:
        tf.config.run_functions_eagerly(False)
    assert len(calls) == 3


def test_tensor_shape_compatibility_rules():
    s = tf.TensorShape([None, 3])
    assert s.is_compatible_with([5, 3]) and not s.is_compatible_with([5, 4]) and not s.is_compatible_with([3])
    assert s.merge_with([2, None]) == [2, 3]
    assert tf.TensorShape([2, 3]).most_specific_compatible_shape([4, 3]) == [None, 3]
    assert tf.TensorShape(None).is_compatible_with([1, 2, 3])
    assert s[1:] == [3] and isinstance(s[1:], tf.TensorShape)
    assert (s + [7]) == [None, 3, 7]
    with pytest.raises(ValueError, match=r"Shapes \(None, 3\) and \(1, 2\) are not compatible"):
        s.merge_with([1, 2])
    spec = tf.TensorSpec.from_tensor(tf.zeros([2, 3]))
    assert spec.shape == [2, 3] and spec.dtype == tf.float32
    assert tf.TensorSpec([None], tf.int32).is_compatible_with(tf.constant([1, 2, 3]))


def test_the_graphs_guides_relu_and_print_examples(capsys):
    @tf.function
    def my_relu(x):
        return tf.maximum(0.0, x)

    assert float(my_relu(tf.constant(5.5))) == 5.5
    np.testing.assert_array_equal(my_relu([1, -1]).numpy(), [1.0, 0.0])  # the list follows 0.0's dtype
    np.testing.assert_array_equal(my_relu(tf.constant([3.0, -3.0])).numpy(), [3.0, 0.0])
    assert my_relu.experimental_get_tracing_count() == 3

    @tf.function
    def get_mse(y_true, y_pred):
        print("Calculating MSE!")
        sq_diff = tf.pow(y_true - y_pred, 2)
        return tf.reduce_mean(sq_diff)

    y_true, y_pred = tf.constant([1, 2, 3]), tf.constant([2, 2, 5])
    for _ in range(3):
        assert int(get_mse(y_true, y_pred)) == (1 + 0 + 4) // 3
    assert capsys.readouterr().out == "Calculating MSE!\n"  # Python print runs once, while tracing
