"""The cells of TensorFlow's "Advanced automatic differentiation" guide
(https://www.tensorflow.org/guide/advanced_autodiff), run with ``import ferroflow as tf``.

Each cell's expected output is what TensorFlow 2.21 prints for it (cells that print random values print
their shapes here). Cells that depend on an earlier one are joined with it."""

import contextlib
import io
import os

import numpy as np
import pytest

import ferroflow as tf

CELLS = {
    "stop_recording": (
        """\
x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as t:
  x_sq = x * x
  with t.stop_recording():
    y_sq = y * y
  z = x_sq + y_sq
grad = t.gradient(z, {'x': x, 'y': y})
print('dz/dx:', grad['x'])
print('dz/dy:', grad['y'])
""",
        "dz/dx: tf.Tensor(4.0, shape=(), dtype=float32)\ndz/dy: None\n",
    ),
    "reset": (
        """\
x = tf.Variable(2.0)
y = tf.Variable(3.0)
reset = True
with tf.GradientTape() as t:
  y_sq = y * y
  if reset:
    t.reset()
  z = x * x + y_sq
grad = t.gradient(z, {'x': x, 'y': y})
print('dz/dx:', grad['x'])
print('dz/dy:', grad['y'])
""",
        "dz/dx: tf.Tensor(4.0, shape=(), dtype=float32)\ndz/dy: None\n",
    ),
    "stop_gradient": (
        """\
x = tf.Variable(2.0)
y = tf.Variable(3.0)
with tf.GradientTape() as t:
  y_sq = y**2
  z = x**2 + tf.stop_gradient(y_sq)
grad = t.gradient(z, {'x': x, 'y': y})
print('dz/dx:', grad['x'])
print('dz/dy:', grad['y'])
""",
        "dz/dx: tf.Tensor(4.0, shape=(), dtype=float32)\ndz/dy: None\n",
    ),
    "custom_gradient": (
        """\
@tf.custom_gradient
def clip_gradients(y):
  def backward(dy):
    return tf.clip_by_norm(dy, 0.5)
  return y, backward
v = tf.Variable(2.0)
with tf.GradientTape() as t:
  output = clip_gradients(v * v)
print(t.gradient(output, v))
""",
        "tf.Tensor(2.0, shape=(), dtype=float32)\n",
    ),
    "multiple_tapes": (
        """\
x0 = tf.constant(0.0)
x1 = tf.constant(0.0)
with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
  tape0.watch(x0)
  tape1.watch(x1)
  y0 = tf.math.sin(x0)
  y1 = tf.nn.sigmoid(x1)
  y = y0 + y1
  ys = tf.reduce_sum(y)
print(tape0.gradient(ys, x0).numpy())
print(tape1.gradient(ys, x1).numpy())
""",
        "1.0\n0.25\n",
    ),
    "higher_order": (
        """\
x = tf.Variable(1.0)
with tf.GradientTape() as t2:
  with tf.GradientTape() as t1:
    y = x * x * x
  dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
print('dy_dx:', dy_dx.numpy())
print('d2y_dx2:', d2y_dx2.numpy())
""",
        "dy_dx: 3.0\nd2y_dx2: 6.0\n",
    ),
    "input_gradient_regularization": (
        """\
x = tf.random.normal([7, 5])
layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
with tf.GradientTape() as t2:
  with tf.GradientTape() as t1:
    t1.watch(x)
    y = layer(x)
    out = tf.reduce_sum(layer(x)**2)
  g1 = t1.gradient(out, x)
  g1_mag = tf.norm(g1)
dg1_mag = t2.gradient(g1_mag, layer.trainable_variables)
print([var.shape for var in dg1_mag])
""",
        "[TensorShape([5, 10]), TensorShape([10])]\n",
    ),
    "jacobian_scalar_source": (
        """\
x = tf.linspace(-10.0, 10.0, 200+1)
delta = tf.Variable(0.0)
with tf.GradientTape() as tape:
  y = tf.nn.sigmoid(x+delta)
dy_dx = tape.jacobian(y, delta)
print(y.shape)
print(dy_dx.shape)
""",
        "(201,)\n(201,)\n",
    ),
    "jacobian_tensor_source": (
        """\
x = tf.random.normal([7, 5])
layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
with tf.GradientTape(persistent=True) as tape:
  y = layer(x)
print(y.shape)
print(layer.kernel.shape)
j = tape.jacobian(y, layer.kernel)
print(j.shape)
g = tape.gradient(y, layer.kernel)
print('g.shape:', g.shape)
j_sum = tf.reduce_sum(j, axis=[0, 1])
delta = tf.reduce_max(abs(g - j_sum)).numpy()
assert delta < 1e-3
print('delta small:', delta < 1e-3)
""",
        "(7, 10)\n(5, 10)\n(7, 10, 5, 10)\ng.shape: (5, 10)\ndelta small: True\n",
    ),
    "hessian": (
        """\
x = tf.random.normal([7, 5])
layer1 = tf.keras.layers.Dense(8, activation=tf.nn.relu)
layer2 = tf.keras.layers.Dense(6, activation=tf.nn.relu)
with tf.GradientTape() as t2:
  with tf.GradientTape() as t1:
    x = layer1(x)
    x = layer2(x)
    loss = tf.reduce_mean(x**2)
  g = t1.gradient(loss, layer1.kernel)
h = t2.jacobian(g, layer1.kernel)
print(f'layer.kernel.shape: {layer1.kernel.shape}')
print(f'h.shape: {h.shape}')
n_params = tf.reduce_prod(layer1.kernel.shape)
g_vec = tf.reshape(g, [n_params, 1])
h_mat = tf.reshape(h, [n_params, n_params])
eps = 1e-3
eye_eps = tf.eye(h_mat.shape[0])*eps
update = tf.linalg.solve(h_mat + eye_eps, g_vec)
_ = layer1.kernel.assign_sub(tf.reshape(update, layer1.kernel.shape))
print(update.shape)
""",
        "layer.kernel.shape: (5, 8)\nh.shape: (5, 8, 5, 8)\n(40, 1)\n",
    ),
    "batch_jacobian": (
        """\
x = tf.random.normal([7, 5])
layer1 = tf.keras.layers.Dense(8, activation=tf.nn.elu)
layer2 = tf.keras.layers.Dense(6, activation=tf.nn.elu)
with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
  tape.watch(x)
  y = layer1(x)
  y = layer2(y)
print(y.shape)
j = tape.jacobian(y, x)
print(j.shape)
j_sum = tf.reduce_sum(j, axis=2)
print(j_sum.shape)
j_select = tf.einsum('bxby->bxy', j)
print(j_select.shape)
jb = tape.batch_jacobian(y, x)
print(jb.shape)
error = tf.reduce_max(abs(jb - j_sum))
assert error < 1e-3
print(bool(error < 1e-3))
""",
        "(7, 6)\n(7, 6, 7, 5)\n(7, 6, 5)\n(7, 6, 5)\n(7, 6, 5)\nTrue\n",
    ),
    "batch_jacobian_batchnorm": (
        """\
x = tf.random.normal([7, 5])
layer1 = tf.keras.layers.Dense(8, activation=tf.nn.elu)
bn = tf.keras.layers.BatchNormalization()
layer2 = tf.keras.layers.Dense(6, activation=tf.nn.elu)
with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
  tape.watch(x)
  y = layer1(x)
  y = bn(y, training=True)
  y = layer2(y)
j = tape.jacobian(y, x)
print(f'j.shape: {j.shape}')
jb = tape.batch_jacobian(y, x)
print(f'jb.shape: {jb.shape}')
""",
        "j.shape: (7, 6, 7, 5)\njb.shape: (7, 6, 5)\n",
    ),
    "extra_forward_accumulator_not_in_the_guide": (
        """\
x = tf.constant([1.0, 2.0])
v = tf.constant([0.5, -1.0])
with tf.autodiff.ForwardAccumulator(primals=x, tangents=v) as acc:
  y = x * x + tf.sin(x)
print(acc.jvp(y))
""",
        "tf.Tensor([ 1.2701511 -3.5838532], shape=(2,), dtype=float32)\n",
    ),
}


@pytest.mark.parametrize("name", list(CELLS))
def test_guide_cell_prints_what_tensorflow_prints(name, tmp_path):
    source, expected = CELLS[name]
    namespace = {"tf": tf, "np": np, "os": os, "TMP": str(tmp_path)}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, f"<{name}>", "exec"), namespace)
    assert out.getvalue() == expected
