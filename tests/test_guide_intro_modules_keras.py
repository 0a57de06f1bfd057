# ruff: noqa: E501
"""The Keras cells of TensorFlow's "Introduction to modules, layers, and models" guide
(https://www.tensorflow.org/guide/intro_to_modules), from "Keras layers" on, run after the guide's
tf.Module cells (``test_guide_intro_modules``) in the same namespace, with ``import ferroflow as tf``:
each expected text is what TensorFlow 2.21 (Keras 3) prints for the cell.

``tf.random.normal`` draws fixed NumPy values during the run (see ``guide_modules_setup``). Under
TensorFlow 2.21 several cells answer with errors (Keras 3 refuses a Python list as a positional layer
input, has no ``Model.submodules``, and saves only ``.keras``/``.h5`` files); those errors are the expected
texts.
"""

from __future__ import annotations

import pytest

from guide_cells import cell_indices
from guide_modules_setup import run_guide
from test_guide_intro_modules import CELLS as MODULE_CELLS

CELLS = [
    (
        """\
class MyDense(tf.keras.layers.Layer):
  # Adding **kwargs to support base Keras layer arguments
  def __init__(self, in_features, out_features, **kwargs):
    super().__init__(**kwargs)

    # This will soon move to the build step; see below
    self.w = tf.Variable(
      tf.random.normal([in_features, out_features]), name='w')
    self.b = tf.Variable(tf.zeros([out_features]), name='b')
  def call(self, x):
    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)

simple_layer = MyDense(name="simple", in_features=3, out_features=3)
""",
        "",
    ),
    (
        """\
simple_layer([[2.0, 2.0, 2.0]])
""",
        """\
EXC ValueError: Only input tensors may be passed as positional arguments. The following argument value should be passed as a keyword argument: 2.0 (of type <class 'float'>)
""",
    ),
    (
        """\
class FlexibleDense(tf.keras.layers.Layer):
  # Note the added `**kwargs`, as Keras supports many arguments
  def __init__(self, out_features, **kwargs):
    super().__init__(**kwargs)
    self.out_features = out_features

  def build(self, input_shape):  # Create the state of the layer (weights)
    self.w = tf.Variable(
      tf.random.normal([input_shape[-1], self.out_features]), name='w')
    self.b = tf.Variable(tf.zeros([self.out_features]), name='b')

  def call(self, inputs):  # Defines the computation from inputs to outputs
    return tf.matmul(inputs, self.w) + self.b

# Create the instance of the layer
flexible_dense = FlexibleDense(out_features=3)
""",
        "",
    ),
    (
        """\
flexible_dense.variables
""",
        """\
[]
""",
    ),
    (
        """\
# Call it, with predictably random results
print("Model results:", flexible_dense(tf.constant([[2.0, 2.0, 2.0], [3.0, 3.0, 3.0]])))
""",
        """\
Model results: tf.Tensor(
[[-3.0582106 -2.3175552 -3.6757646]
 [-4.587316  -3.4763324 -5.5136466]], shape=(2, 3), dtype=float32)
""",
    ),
    (
        """\
flexible_dense.variables
""",
        """\
[]
""",
    ),
    (
        """\
try:
  print("Model results:", flexible_dense(tf.constant([[2.0, 2.0, 2.0, 2.0]])))
except tf.errors.InvalidArgumentError as e:
  print("Failed:", e)
""",
        "Failed: Exception encountered when calling FlexibleDense.call().\n\n\x1b[1m{{function_node __wrapped____MklMatMul_device_/job:localhost/replica:0/task:0/device:CPU:0}} Matrix size-incompatible: In[0]: [1,4], In[1]: [3,3] [Op:MatMul] name: \x1b[0m\n\nArguments received by FlexibleDense.call():\n  • inputs=tf.Tensor(shape=(1, 4), dtype=float32)\n",
    ),
    (
        """\
class MySequentialModel(tf.keras.Model):
  def __init__(self, name=None, **kwargs):
    super().__init__(**kwargs)

    self.dense_1 = FlexibleDense(out_features=3)
    self.dense_2 = FlexibleDense(out_features=2)
  def call(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

# You have made a Keras model!
my_sequential_model = MySequentialModel(name="the_model")

# Call it on a tensor, with random results
print("Model results:", my_sequential_model(tf.constant([[2.0, 2.0, 2.0]])))
""",
        """\
Model results: tf.Tensor([[-1.9295886  3.0676386]], shape=(1, 2), dtype=float32)
""",
    ),
    (
        """\
my_sequential_model.variables
""",
        """\
[]
""",
    ),
    (
        """\
my_sequential_model.submodules
""",
        """\
EXC AttributeError: 'MySequentialModel' object has no attribute 'submodules'
""",
    ),
    (
        """\
inputs = tf.keras.Input(shape=[3,])

x = FlexibleDense(3)(inputs)
x = FlexibleDense(2)(x)

my_functional_model = tf.keras.Model(inputs=inputs, outputs=x)

my_functional_model.summary()
""",
        """\
Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input_layer (InputLayer)        │ (None, 3)              │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ flexible_dense_3                │ (None, 3)              │             0 │
│ (FlexibleDense)                 │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ flexible_dense_4                │ (None, 2)              │             0 │
│ (FlexibleDense)                 │                        │               │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
""",
    ),
    (
        """\
my_functional_model(tf.constant([[2.0, 2.0, 2.0]]))
""",
        """\
<tf.Tensor: shape=(1, 2), dtype=float32, numpy=array([[-3.472433  ,  0.31334352]], dtype=float32)>
""",
    ),
    (
        """\
my_sequential_model.save("exname_of_file")
""",
        """\
EXC ValueError: Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if you want to export a SavedModel for use with TFLite/TFServing/etc. Received: filepath=exname_of_file.
""",
    ),
    (
        """\
reconstructed_model = tf.keras.models.load_model("exname_of_file")
""",
        "EXC ValueError: File format not supported: filepath=exname_of_file. Keras 3 only supports V3 `.keras` files, legacy H5 format files (`.h5` extension). Note that the legacy SavedModel format is not supported by `load_model()` in Keras 3. In order to reload a TensorFlow SavedModel as an inference-only layer in Keras \n",
    ),
    (
        """\
reconstructed_model(tf.constant([[2.0, 2.0, 2.0]]))
""",
        """\
EXC NameError: name 'reconstructed_model' is not defined
""",
    ),
]


# Cells that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS: dict = {
    6: "the error text: Keras 3 wraps it ('Exception encountered when calling FlexibleDense.call()', the op "
    "message in bold, the arguments received) around TF's MatMul kernel message; ferroflow raises its MatMul "
    "message unwrapped",
    7: "Keras 3 builds the subclassed model's untracked FlexibleDense layers a second time (one more "
    "tf.random.normal draw), so the weights differ; ferroflow builds each once",
    11: "follows from cell 7 (different draws for the functional model's layers)",
    12: "message: ferroflow's save() names the formats it supports (.keras only, no .h5)",
    13: "message: ferroflow's load_model() names the formats it supports",
}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    outputs, ns = run_guide(MODULE_CELLS + CELLS, tmp_path_factory.mktemp("guide"))
    return outputs[len(MODULE_CELLS) :], ns


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"
