# ruff: noqa: E501
"""The code cells of TensorFlow's "Introduction to graphs and tf.function" guide
(https://www.tensorflow.org/guide/intro_to_graphs), in order, each with what TensorFlow 2.21 prints for it
(the guide's ``import tensorflow as tf`` line left out: the runner imports ``ferroflow as tf``). Cell 5's
text, the graph's ``GraphDef`` in protobuf text form, is in ``data/intro_to_graphs_graph_def.txt``."""

from __future__ import annotations

import pathlib

_GRAPH_DEF_TEXT = (pathlib.Path(__file__).parent / "data" / "intro_to_graphs_graph_def.txt").read_text()

CELLS = [
    # 0
    (
        """\
import timeit
from datetime import datetime
""",
        """\
""",
    ),
    # 1
    (
        """\
# Define a Python function.
def a_regular_function(x, y, b):
  x = tf.matmul(x, y)
  x = x + b
  return x

# `a_function_that_uses_a_graph` is a TensorFlow `Function`.
a_function_that_uses_a_graph = tf.function(a_regular_function)

# Make some tensors.
x1 = tf.constant([[1.0, 2.0]])
y1 = tf.constant([[2.0], [3.0]])
b1 = tf.constant(4.0)

orig_value = a_regular_function(x1, y1, b1).numpy()
# Call a `Function` like a Python function.
tf_function_value = a_function_that_uses_a_graph(x1, y1, b1).numpy()
assert(orig_value == tf_function_value)
""",
        """\
""",
    ),
    # 2
    (
        """\
def inner_function(x, y, b):
  x = tf.matmul(x, y)
  x = x + b
  return x

# Use the decorator to make `outer_function` a `Function`.
@tf.function
def outer_function(x):
  y = tf.constant([[2.0], [3.0]])
  b = tf.constant(4.0)

  return inner_function(x, y, b)

# Note that the callable will create a graph that
# includes `inner_function` as well as `outer_function`.
outer_function(tf.constant([[1.0, 2.0]])).numpy()
""",
        """\
array([[12.]], dtype=float32)
""",
    ),
    # 3
    (
        """\
def simple_relu(x):
  if tf.greater(x, 0):
    return x
  else:
    return 0

# `tf_simple_relu` is a TensorFlow `Function` that wraps `simple_relu`.
tf_simple_relu = tf.function(simple_relu)

print("First branch, with graph:", tf_simple_relu(tf.constant(1)).numpy())
print("Second branch, with graph:", tf_simple_relu(tf.constant(-1)).numpy())
""",
        """\
First branch, with graph: 1
Second branch, with graph: 0
""",
    ),
    # 4
    (
        """\
# This is the graph-generating output of AutoGraph.
print(tf.autograph.to_code(simple_relu))
""",
        """\
def tf__simple_relu(x):
    with ag__.FunctionScope('simple_relu', 'fscope', ag__.ConversionOptions(recursive=True, user_requested=True, optional_features=(), internal_convert_user_code=True)) as fscope:
        do_return = False
        retval_ = ag__.UndefinedReturnValue()

        def get_state():
            return (do_return, retval_)

        def set_state(vars_):
            nonlocal do_return, retval_
            do_return, retval_ = vars_

        def if_body():
            nonlocal do_return, retval_
            try:
                do_return = True
                retval_ = ag__.ld(x)
            except:
                do_return = False
                raise

        def else_body():
            nonlocal do_return, retval_
            try:
                do_return = True
                retval_ = 0
            except:
                do_return = False
                raise
        ag__.if_stmt(ag__.converted_call(ag__.ld(tf).greater, (ag__.ld(x), 0), None, fscope), if_body, else_body, get_state, set_state, ('do_return', 'retval_'), 2)
        return fscope.ret(retval_, do_return)

""",
    ),
    # 5
    (
        """\
# This is the graph itself.
print(tf_simple_relu.get_concrete_function(tf.constant(1)).graph.as_graph_def())
""",
        _GRAPH_DEF_TEXT,
    ),
    # 6
    (
        """\
@tf.function
def my_relu(x):
  return tf.maximum(0., x)

# `my_relu` creates new graphs as it sees more signatures.
print(my_relu(tf.constant(5.5)))
print(my_relu([1, -1]))
print(my_relu(tf.constant([3., -3.])))
""",
        """\
tf.Tensor(5.5, shape=(), dtype=float32)
tf.Tensor([1. 0.], shape=(2,), dtype=float32)
tf.Tensor([3. 0.], shape=(2,), dtype=float32)
""",
    ),
    # 7
    (
        """\
# These two calls do *not* create new graphs.
print(my_relu(tf.constant(-2.5))) # Signature matches `tf.constant(5.5)`.
print(my_relu(tf.constant([-1., 1.]))) # Signature matches `tf.constant([3., -3.])`.
""",
        """\
tf.Tensor(0.0, shape=(), dtype=float32)
tf.Tensor([0. 1.], shape=(2,), dtype=float32)
""",
    ),
    # 8
    (
        """\
# There are three `ConcreteFunction`s (one for each graph) in `my_relu`.
# The `ConcreteFunction` also knows the return type and shape!
print(my_relu.pretty_printed_concrete_signatures())
""",
        """\
Input Parameters:
  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.float32, name=None)
Output Type:
  TensorSpec(shape=(), dtype=tf.float32, name=None)
Captures:
  None

Input Parameters:
  x (POSITIONAL_OR_KEYWORD): List[Literal[1], Literal[-1]]
Output Type:
  TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Captures:
  None

Input Parameters:
  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Output Type:
  TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Captures:
  None
""",
    ),
    # 9
    (
        """\
@tf.function
def get_MSE(y_true, y_pred):
  sq_diff = tf.pow(y_true - y_pred, 2)
  return tf.reduce_mean(sq_diff)
""",
        """\
""",
    ),
    # 10
    (
        """\
y_true = tf.random.uniform([5], maxval=10, dtype=tf.int32)
y_pred = tf.random.uniform([5], maxval=10, dtype=tf.int32)
print(y_true)
print(y_pred)
""",
        """\
tf.Tensor([9 8 3 4 2], shape=(5,), dtype=int32)
tf.Tensor([8 4 4 9 6], shape=(5,), dtype=int32)
""",
    ),
    # 11
    (
        """\
get_MSE(y_true, y_pred)
""",
        """\
<tf.Tensor: shape=(), dtype=int32, numpy=11>
""",
    ),
    # 12
    (
        """\
tf.config.run_functions_eagerly(True)
""",
        """\
""",
    ),
    # 13
    (
        """\
get_MSE(y_true, y_pred)
""",
        """\
<tf.Tensor: shape=(), dtype=int32, numpy=11>
""",
    ),
    # 14
    (
        """\
# Don't forget to set it back when you are done.
tf.config.run_functions_eagerly(False)
""",
        """\
""",
    ),
    # 15
    (
        """\
@tf.function
def get_MSE(y_true, y_pred):
  print("Calculating MSE!")
  sq_diff = tf.pow(y_true - y_pred, 2)
  return tf.reduce_mean(sq_diff)
""",
        """\
""",
    ),
    # 16
    (
        """\
error = get_MSE(y_true, y_pred)
error = get_MSE(y_true, y_pred)
error = get_MSE(y_true, y_pred)
""",
        """\
Calculating MSE!
""",
    ),
    # 17
    (
        """\
# Now, globally set everything to run eagerly to force eager execution.
tf.config.run_functions_eagerly(True)
""",
        """\
""",
    ),
    # 18
    (
        """\
# Observe what is printed below.
error = get_MSE(y_true, y_pred)
error = get_MSE(y_true, y_pred)
error = get_MSE(y_true, y_pred)
""",
        """\
Calculating MSE!
Calculating MSE!
Calculating MSE!
""",
    ),
    # 19
    (
        """\
tf.config.run_functions_eagerly(False)
""",
        """\
""",
    ),
    # 20
    (
        """\
x = tf.random.uniform(shape=[10, 10], minval=-1, maxval=2, dtype=tf.dtypes.int32)

def power(x, y):
  result = tf.eye(10, dtype=tf.dtypes.int32)
  for _ in range(y):
    result = tf.matmul(x, result)
  return result
""",
        """\
""",
    ),
    # 21
    (
        """\
print("Eager execution:", timeit.timeit(lambda: power(x, 100), number=1000))
""",
        """\
Eager execution: 9.827896661001432
""",
    ),
    # 22
    (
        """\
power_as_graph = tf.function(power)
print("Graph execution:", timeit.timeit(lambda: power_as_graph(x, 100), number=1000))
""",
        """\
Graph execution: 1.0229353149989038
""",
    ),
    # 23
    (
        """\
@tf.function
def a_function_with_python_side_effect(x):
  print("Tracing!") # An eager-only side effect.
  return x * x + tf.constant(2)

# This is traced the first time.
print(a_function_with_python_side_effect(tf.constant(2)))
# The second time through, you won't see the side effect.
print(a_function_with_python_side_effect(tf.constant(3)))
""",
        """\
Tracing!
tf.Tensor(6, shape=(), dtype=int32)
tf.Tensor(11, shape=(), dtype=int32)
""",
    ),
    # 24
    (
        """\
# This retraces each time the Python argument changes,
# as a Python argument could be an epoch count or other
# hyperparameter.
print(a_function_with_python_side_effect(2))
print(a_function_with_python_side_effect(3))
""",
        """\
Tracing!
tf.Tensor(6, shape=(), dtype=int32)
Tracing!
tf.Tensor(11, shape=(), dtype=int32)
""",
    ),
]
