# ruff: noqa: E501
"""The code cells of TensorFlow's "TensorFlow basics" guide (https://www.tensorflow.org/guide/basics) up to
its training loops: tensors, variables, automatic differentiation, ``tf.function`` and modules with their
SavedModel. Each expected text is what TensorFlow 2.21 prints for the cell. The guide's first cell also
imports TensorFlow; that line is left out, the cells running with ``import ferroflow as tf``.
"""

CELLS = [
    (
        """\
x = tf.constant([[1., 2., 3.],
                 [4., 5., 6.]])

print(x)
print(x.shape)
print(x.dtype)
""",
        """\
tf.Tensor(
[[1. 2. 3.]
 [4. 5. 6.]], shape=(2, 3), dtype=float32)
(2, 3)
<dtype: 'float32'>
""",
    ),
    (
        """\
x + x
""",
        """\
<tf.Tensor: shape=(2, 3), dtype=float32, numpy=
array([[ 2.,  4.,  6.],
       [ 8., 10., 12.]], dtype=float32)>
""",
    ),
    (
        """\
5 * x
""",
        """\
<tf.Tensor: shape=(2, 3), dtype=float32, numpy=
array([[ 5., 10., 15.],
       [20., 25., 30.]], dtype=float32)>
""",
    ),
    (
        """\
x @ tf.transpose(x)
""",
        """\
<tf.Tensor: shape=(2, 2), dtype=float32, numpy=
array([[14., 32.],
       [32., 77.]], dtype=float32)>
""",
    ),
    (
        """\
tf.concat([x, x, x], axis=0)
""",
        """\
<tf.Tensor: shape=(6, 3), dtype=float32, numpy=
array([[1., 2., 3.],
       [4., 5., 6.],
       [1., 2., 3.],
       [4., 5., 6.],
       [1., 2., 3.],
       [4., 5., 6.]], dtype=float32)>
""",
    ),
    (
        """\
tf.nn.softmax(x, axis=-1)
""",
        """\
<tf.Tensor: shape=(2, 3), dtype=float32, numpy=
array([[0.09003057, 0.24472848, 0.6652409 ],
       [0.09003057, 0.24472848, 0.6652409 ]], dtype=float32)>
""",
    ),
    (
        """\
tf.reduce_sum(x)
""",
        """\
<tf.Tensor: shape=(), dtype=float32, numpy=21.0>
""",
    ),
    (
        """\
tf.convert_to_tensor([1,2,3])
""",
        """\
<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>
""",
    ),
    (
        """\
tf.reduce_sum([1,2,3])
""",
        """\
<tf.Tensor: shape=(), dtype=int32, numpy=6>
""",
    ),
    (
        """\
if tf.config.list_physical_devices('GPU'):
  print("TensorFlow **IS** using the GPU")
else:
  print("TensorFlow **IS NOT** using the GPU")
""",
        """\
TensorFlow **IS NOT** using the GPU
""",
    ),
    (
        """\
var = tf.Variable([0.0, 0.0, 0.0])
""",
        "",
    ),
    (
        """\
var.assign([1, 2, 3])
""",
        """\
<tf.Variable 'UnreadVariable' shape=(3,) dtype=float32, numpy=array([1., 2., 3.], dtype=float32)>
""",
    ),
    (
        """\
var.assign_add([1, 1, 1])
""",
        """\
<tf.Variable 'UnreadVariable' shape=(3,) dtype=float32, numpy=array([2., 3., 4.], dtype=float32)>
""",
    ),
    (
        """\
x = tf.Variable(1.0)

def f(x):
  y = x**2 + 2*x - 5
  return y
""",
        "",
    ),
    (
        """\
f(x)
""",
        """\
<tf.Tensor: shape=(), dtype=float32, numpy=-2.0>
""",
    ),
    (
        """\
with tf.GradientTape() as tape:
  y = f(x)

g_x = tape.gradient(y, x)  # g(x) = dy/dx

g_x
""",
        """\
<tf.Tensor: shape=(), dtype=float32, numpy=4.0>
""",
    ),
    (
        r"""@tf.function
def my_func(x):
  print('Tracing.\n')
  return tf.reduce_sum(x)
""",
        "",
    ),
    (
        """\
x = tf.constant([1, 2, 3])
my_func(x)
""",
        """\
Tracing.

<tf.Tensor: shape=(), dtype=int32, numpy=6>
""",
    ),
    (
        """\
x = tf.constant([10, 9, 8])
my_func(x)
""",
        """\
<tf.Tensor: shape=(), dtype=int32, numpy=27>
""",
    ),
    (
        """\
x = tf.constant([10.0, 9.1, 8.2], dtype=tf.float32)
my_func(x)
""",
        """\
Tracing.

<tf.Tensor: shape=(), dtype=float32, numpy=27.299999237060547>
""",
    ),
    (
        """\
class MyModule(tf.Module):
  def __init__(self, value):
    self.weight = tf.Variable(value)

  @tf.function
  def multiply(self, x):
    return x * self.weight
""",
        "",
    ),
    (
        """\
mod = MyModule(3)
mod.multiply(tf.constant([1, 2, 3]))
""",
        """\
<tf.Tensor: shape=(3,), dtype=int32, numpy=array([3, 6, 9], dtype=int32)>
""",
    ),
    (
        """\
save_path = './saved'
tf.saved_model.save(mod, save_path)
""",
        "",
    ),
    (
        """\
reloaded = tf.saved_model.load(save_path)
reloaded.multiply(tf.constant([1, 2, 3]))
""",
        """\
<tf.Tensor: shape=(3,), dtype=int32, numpy=array([3, 6, 9], dtype=int32)>
""",
    ),
]
