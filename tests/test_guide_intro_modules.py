# ruff: noqa: E501
"""The tf.Module cells (up to "Keras models and layers") of TensorFlow's "Introduction to modules,
layers, and models" guide
(https://www.tensorflow.org/guide/intro_to_modules), run in order with ``import ferroflow as tf``: each
expected text is what TensorFlow 2.21 (Keras 3) prints for the cell.

``tf.random.normal`` draws fixed NumPy values during the run (see ``guide_modules_setup``), so the random
weights, and every result computed from them, print the same digits under both libraries.

Left out: the setup cell's ``%load_ext tensorboard`` (its ``from datetime import datetime`` stays), the
``!ls`` shell cells, the ``%tensorboard`` widget, and the cell that traces the model into TensorBoard with
``tf.summary.trace_on`` and ``tf.profiler.experimental.start`` (a TensorBoard graph/profiler trace).
The guide's Keras cells are in ``test_guide_intro_modules_keras``.
"""

from __future__ import annotations

import pytest

from guide_modules_setup import run_guide

CELLS = [
    (
        """\
from datetime import datetime
""",
        "",
    ),
    (
        """\
class SimpleModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)
    self.a_variable = tf.Variable(5.0, name="train_me")
    self.non_trainable_variable = tf.Variable(5.0, trainable=False, name="do_not_train_me")
  def __call__(self, x):
    return self.a_variable * x + self.non_trainable_variable

simple_module = SimpleModule(name="simple")

simple_module(tf.constant(5.0))
""",
        """\
<tf.Tensor: shape=(), dtype=float32, numpy=30.0>
""",
    ),
    (
        """\
# All trainable variables
print("trainable variables:", simple_module.trainable_variables)
# Every variable
print("all variables:", simple_module.variables)
""",
        """\
trainable variables: (<tf.Variable 'train_me:0' shape=() dtype=float32, numpy=5.0>,)
all variables: (<tf.Variable 'train_me:0' shape=() dtype=float32, numpy=5.0>, <tf.Variable 'do_not_train_me:0' shape=() dtype=float32, numpy=5.0>)
""",
    ),
    (
        """\
class Dense(tf.Module):
  def __init__(self, in_features, out_features, name=None):
    super().__init__(name=name)
    self.w = tf.Variable(
      tf.random.normal([in_features, out_features]), name='w')
    self.b = tf.Variable(tf.zeros([out_features]), name='b')
  def __call__(self, x):
    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)
""",
        "",
    ),
    (
        """\
class SequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)

    self.dense_1 = Dense(in_features=3, out_features=3)
    self.dense_2 = Dense(in_features=3, out_features=2)

  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

# You have made a model!
my_model = SequentialModule(name="the_model")

# Call it, with random results
print("Model results:", my_model(tf.constant([[2.0, 2.0, 2.0]])))
""",
        """\
Model results: tf.Tensor([[13.861773  0.      ]], shape=(1, 2), dtype=float32)
""",
    ),
    (
        """\
print("Submodules:", my_model.submodules)
""",
        """\
Submodules: (<Dense object at 0x>, <Dense object at 0x>)
""",
    ),
    (
        'for var in my_model.variables:\n  print(var, "\\n")\n',
        "<tf.Variable 'b:0' shape=(3,) dtype=float32, numpy=array([0., 0., 0.], dtype=float32)> \n\n<tf.Variable 'w:0' shape=(3, 3) dtype=float32, numpy=\narray([[ 1.7640524 ,  0.4001572 ,  0.978738  ],\n       [ 2.2408931 ,  1.867558  , -0.9772779 ],\n       [ 0.95008844, -0.1513572 , -0.10321885]], dtype=float32)> \n\n<tf.Variable 'b:0' shape=(2,) dtype=float32, numpy=array([0., 0.], dtype=float32)> \n\n<tf.Variable 'w:0' shape=(3, 2) dtype=float32, numpy=\narray([[ 1.6243454 , -0.6117564 ],\n       [-0.5281718 , -1.0729686 ],\n       [ 0.86540765, -2.3015387 ]], dtype=float32)> \n\n",
    ),
    (
        """\
class FlexibleDenseModule(tf.Module):
  # Note: No need for `in_features`
  def __init__(self, out_features, name=None):
    super().__init__(name=name)
    self.is_built = False
    self.out_features = out_features

  def __call__(self, x):
    # Create variables on first call.
    if not self.is_built:
      self.w = tf.Variable(
        tf.random.normal([x.shape[-1], self.out_features]), name='w')
      self.b = tf.Variable(tf.zeros([self.out_features]), name='b')
      self.is_built = True

    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)
""",
        "",
    ),
    (
        """\
# Used in a module
class MySequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)

    self.dense_1 = FlexibleDenseModule(out_features=3)
    self.dense_2 = FlexibleDenseModule(out_features=2)

  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

my_model = MySequentialModule(name="the_model")
print("Model results:", my_model(tf.constant([[2.0, 2.0, 2.0]])))
""",
        """\
Model results: tf.Tensor([[6.1757565 1.5071763]], shape=(1, 2), dtype=float32)
""",
    ),
    (
        """\
chkp_path = "my_checkpoint"
checkpoint = tf.train.Checkpoint(model=my_model)
checkpoint.write(chkp_path)
""",
        """\
'my_checkpoint'
""",
    ),
    (
        """\
tf.train.list_variables(chkp_path)
""",
        """\
[('_CHECKPOINTABLE_OBJECT_GRAPH', []), ('model/dense_1/b/.ATTRIBUTES/VARIABLE_VALUE', [3]), ('model/dense_1/w/.ATTRIBUTES/VARIABLE_VALUE', [3, 3]), ('model/dense_2/b/.ATTRIBUTES/VARIABLE_VALUE', [2]), ('model/dense_2/w/.ATTRIBUTES/VARIABLE_VALUE', [3, 2])]
""",
    ),
    (
        """\
new_model = MySequentialModule()
new_checkpoint = tf.train.Checkpoint(model=new_model)
new_checkpoint.restore("my_checkpoint")

# Should be the same result as above
new_model(tf.constant([[2.0, 2.0, 2.0]]))
""",
        """\
<tf.Tensor: shape=(1, 2), dtype=float32, numpy=array([[6.1757565, 1.5071763]], dtype=float32)>
""",
    ),
    (
        """\
class MySequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)

    self.dense_1 = Dense(in_features=3, out_features=3)
    self.dense_2 = Dense(in_features=3, out_features=2)

  @tf.function
  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

# You have made a model with a graph!
my_model = MySequentialModule(name="the_model")
""",
        "",
    ),
    (
        """\
print(my_model([[2.0, 2.0, 2.0]]))
print(my_model([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]))
""",
        """\
tf.Tensor([[0.         0.01144477]], shape=(1, 2), dtype=float32)
tf.Tensor(
[[[0.         0.01144477]
  [0.         0.01144477]]], shape=(1, 2, 2), dtype=float32)
""",
    ),
    (
        """\
tf.saved_model.save(my_model, "the_saved_model")
""",
        "",
    ),
    (
        """\
new_model = tf.saved_model.load("the_saved_model")
""",
        "",
    ),
    (
        """\
isinstance(new_model, SequentialModule)
""",
        """\
False
""",
    ),
    (
        """\
print(my_model([[2.0, 2.0, 2.0]]))
print(my_model([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]))
""",
        """\
tf.Tensor([[0.         0.01144477]], shape=(1, 2), dtype=float32)
tf.Tensor(
[[[0.         0.01144477]
  [0.         0.01144477]]], shape=(1, 2, 2), dtype=float32)
""",
    ),
]


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_loaded_saved_model_computes_what_the_module_does(guide: tuple) -> None:
    """``new_model``, last loaded with ``tf.saved_model.load``, gives the saved module's results."""
    import numpy as np

    ns = guide[1]
    x = ns["tf"].constant([[2.0, 2.0, 2.0]])
    np.testing.assert_array_equal(ns["new_model"]([[2.0, 2.0, 2.0]]).numpy(), ns["my_model"](x).numpy())
