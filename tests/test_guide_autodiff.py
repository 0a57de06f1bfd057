"""The cells of TensorFlow's "Introduction to gradients and automatic differentiation" guide
(https://www.tensorflow.org/guide/autodiff), run with ``import ferroflow as tf``.

Each cell's expected output is what TensorFlow 2.21 prints for it (cells that print random values print
their shapes here). Cells that depend on an earlier one are joined with it."""

import contextlib
import io
import os

import numpy as np
import pytest

import ferroflow as tf

CELLS = {
    "gradient_tapes": (
        """\
x = tf.Variable(3.0)
with tf.GradientTape() as tape:
  y = x**2
dy_dx = tape.gradient(y, x)
print(dy_dx.numpy())
""",
        "6.0\n",
    ),
    "tensors_shapes": (
        """\
w = tf.Variable(tf.random.normal((3, 2)), name='w')
b = tf.Variable(tf.zeros(2, dtype=tf.float32), name='b')
x = [[1., 2., 3.]]
with tf.GradientTape(persistent=True) as tape:
  y = x @ w + b
  loss = tf.reduce_mean(y**2)
[dl_dw, dl_db] = tape.gradient(loss, [w, b])
print(w.shape)
print(dl_dw.shape)
my_vars = {'w': w, 'b': b}
grad = tape.gradient(loss, my_vars)
print(grad['b'].shape, grad['b'].dtype)
""",
        "(3, 2)\n(3, 2)\n(2,) <dtype: 'float32'>\n",
    ),
    "what_is_watched": (
        """\
x0 = tf.Variable(3.0, name='x0')
x1 = tf.Variable(3.0, name='x1', trainable=False)
x2 = tf.Variable(2.0, name='x2') + 1.0
x3 = tf.constant(3.0, name='x3')
with tf.GradientTape() as tape:
  y = (x0**2) + (x1**2) + (x2**2)
grad = tape.gradient(y, [x0, x1, x2, x3])
for g in grad:
  print(g)
""",
        "tf.Tensor(6.0, shape=(), dtype=float32)\nNone\nNone\nNone\n",
    ),
    "watch_constant": (
        """\
x = tf.constant(3.0)
with tf.GradientTape() as tape:
  tape.watch(x)
  y = x**2
dy_dx = tape.gradient(y, x)
print(dy_dx.numpy())
""",
        "6.0\n",
    ),
    "watch_accessed_variables_false": (
        """\
x0 = tf.Variable(0.0)
x1 = tf.Variable(10.0)
with tf.GradientTape(watch_accessed_variables=False) as tape:
  tape.watch(x1)
  y0 = tf.math.sin(x0)
  y1 = tf.nn.softplus(x1)
  y = y0 + y1
  ys = tf.reduce_sum(y)
grad = tape.gradient(ys, {'x0': x0, 'x1': x1})
print('dy/dx0:', grad['x0'])
print('dy/dx1:', grad['x1'].numpy())
""",
        "dy/dx0: None\ndy/dx1: 0.9999546\n",
    ),
    "intermediate_results": (
        """\
x = tf.constant(3.0)
with tf.GradientTape() as tape:
  tape.watch(x)
  y = x * x
  z = y * y
print(tape.gradient(z, y).numpy())
""",
        "18.0\n",
    ),
    "persistent": (
        """\
x = tf.constant([1, 3.0])
with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  y = x * x
  z = y * y
print(tape.gradient(z, x).numpy())
print(tape.gradient(y, x).numpy())
del tape
""",
        "[  4. 108.]\n[2. 6.]\n",
    ),
    "non_scalar_targets_dict": (
        """\
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
  y0 = x**2
  y1 = 1 / x
print(tape.gradient({'y0': y0, 'y1': y1}, x).numpy())
""",
        "3.75\n",
    ),
    "non_scalar_target_sum": (
        """\
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
  y = x * [3., 4.]
print(tape.gradient(y, x).numpy())
""",
        "7.0\n",
    ),
    "elementwise": (
        """\
x = tf.linspace(-10.0, 10.0, 200+1)
with tf.GradientTape() as tape:
  tape.watch(x)
  y = tf.nn.sigmoid(x)
dy_dx = tape.gradient(y, x)
print(dy_dx.shape, float(tf.reduce_max(dy_dx)))
""",
        "(201,) 0.25\n",
    ),
    "control_flow": (
        """\
x = tf.constant(1.0)
v0 = tf.Variable(2.0)
v1 = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  if x > 0.0:
    result = v0
  else:
    result = v1**2
dv0, dv1 = tape.gradient(result, [v0, v1])
print(dv0)
print(dv1)
dx = tape.gradient(result, x)
print(dx)
""",
        "tf.Tensor(1.0, shape=(), dtype=float32)\nNone\nNone\n",
    ),
    "none_unconnected": (
        """\
x = tf.Variable(2.)
y = tf.Variable(3.)
with tf.GradientTape() as tape:
  z = y * y
dy_dx = tape.gradient(z, x)
print(dy_dx)
""",
        "None\n",
    ),
    "outside_tensorflow": (
        """\
x = tf.Variable([[1.0, 2.0],
                 [3.0, 4.0]], dtype=tf.float32)
with tf.GradientTape() as tape:
  x2 = x**2
  y = np.mean(x2, axis=0)
  y = tf.reduce_mean(y, axis=0)
print(tape.gradient(y, x))
""",
        "None\n",
    ),
    "integer_source": (
        """\
x = tf.constant(10)
with tf.GradientTape() as g:
  g.watch(x)
  y = x * x
print(g.gradient(y, x))
""",
        "None\n",
    ),
    "stateful_objects": (
        """\
x0 = tf.Variable(3.0)
x1 = tf.Variable(0.0)
with tf.GradientTape() as tape:
  x1.assign_add(x0)
  y = x1**2
print(tape.gradient(y, x0))
""",
        "None\n",
    ),
    "zeros_instead_of_none": (
        """\
x = tf.Variable([2., 2.])
y = tf.Variable(3.)
with tf.GradientTape() as tape:
  z = y**2
print(tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
""",
        "tf.Tensor([0. 0.], shape=(2,), dtype=float32)\n",
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


def test_watching_integer_or_string_tensors_warns_and_gives_none(caplog):
    from ferroflow.framework import tape as tape_module

    tape_module._WATCH_WARNINGS[0] = 0  # TensorFlow logs the first 5 per process; earlier tests may have used them
    x = tf.constant(10)
    s = tf.constant(["a"])
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, s])
        y = tf.cast(x * x, tf.float32) * v
    assert "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32" in caplog.text
    assert "got tf.string" in caplog.text
    gx, gs, gv = tape.gradient(y, [x, s, v])
    assert gx is None and gs is None and float(gv) == 100.0
    assert tape.gradient(s, s) is None  # a string target: no gradient, no error
