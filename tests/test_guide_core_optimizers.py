# ruff: noqa: E501
"""TensorFlow's "Optimizers with Core APIs" guide (https://www.tensorflow.org/guide/core/optimizers_core) run
cell by cell with ``import ferroflow as tf``; each expected text is TensorFlow 2.21's for the same cell.

The guide draws no random numbers, so every cell must match exactly, digits and iteration counts included:
gradient descent, momentum and Adam (hand-written tf.Modules over tf.Variable and GradientTape) stepping a
float32 variable from x = 2 on L = 2x^4 + 3x^3 + 2. Changed: the matplotlib plots are left out; the cell that
plots the loss and its gradient prints some of the plotted values instead, and ``viz_paths`` computes the
same contour grid and prints where each parameter path ends instead of drawing them.
"""

from __future__ import annotations

from guide_cells import cell_test

CELLS = [
    (
        """\
tf.random.set_seed(22)
""",
        "",
    ),
    (
        """\
class GradientDescent(tf.Module):

  def __init__(self, learning_rate=1e-3):
    # Initialize parameters
    self.learning_rate = learning_rate
    self.title = f"Gradient descent optimizer: learning rate={self.learning_rate}"

  def apply_gradients(self, grads, vars):
    # Update variables
    for grad, var in zip(grads, vars):
      var.assign_sub(self.learning_rate*grad)
""",
        "",
    ),
    (
        """\
x_vals = tf.linspace(-2, 2, 201)
x_vals = tf.cast(x_vals, tf.float32)

def loss(x):
  return 2*(x**4) + 3*(x**3) + 2

def grad(f, x):
  with tf.GradientTape() as tape:
    tape.watch(x)
    result = f(x)
  return tape.gradient(result, x)

# The guide plots these; here a few of the plotted values.
print(loss(x_vals)[::50])
print(grad(loss, x_vals)[::50])
print(loss(0), loss(-9/8))
""",
        """\
tf.Tensor([10.  1.  2.  7. 58.], shape=(5,), dtype=float32)
tf.Tensor([-28.   1.   0.  17. 100.], shape=(5,), dtype=float32)
2 0.93212890625
""",
    ),
    (
        """\
def convergence_test(optimizer, loss_fn, grad_fn=grad, init_val=2., max_iters=2000):
  # Function for optimizer convergence test
  print(optimizer.title)
  print("-------------------------------")
  # Initializing variables and structures
  x_star = tf.Variable(init_val)
  param_path = []
  converged = False

  for iter in range(1, max_iters + 1):
    x_grad = grad_fn(loss_fn, x_star)

    # Case for exploding gradient
    if tf.math.is_nan(x_grad):
      print(f"Gradient exploded at iteration {iter}\\n")
      return []

    # Updating the variable and storing its old-version
    x_old = x_star.numpy()
    optimizer.apply_gradients([x_grad], [x_star])
    param_path.append(x_star.numpy())

    # Checking for convergence
    if x_star == x_old:
      print(f"Converged in {iter} iterations\\n")
      converged = True
      break

  # Print early termination message
  if not converged:
    print(f"Exceeded maximum of {max_iters} iterations. Test terminated.\\n")
  return param_path
""",
        "",
    ),
    (
        """\
param_map_gd = {}
learning_rates = [1e-3, 1e-2, 1e-1]
for learning_rate in learning_rates:
  param_map_gd[learning_rate] = (convergence_test(
      GradientDescent(learning_rate=learning_rate), loss_fn=loss))
""",
        """\
Gradient descent optimizer: learning rate=0.001
-------------------------------
Exceeded maximum of 2000 iterations. Test terminated.

Gradient descent optimizer: learning rate=0.01
-------------------------------
Exceeded maximum of 2000 iterations. Test terminated.

Gradient descent optimizer: learning rate=0.1
-------------------------------
Gradient exploded at iteration 6

""",
    ),
    (
        """\
# The guide's viz_paths draws the paths over a contour plot of log(loss); here the grid it plots and
# where each path ends.
def viz_paths(param_map, x_vals, loss_fn, title, max_iters=2000):
  t_vals = tf.range(1., max_iters + 100.)
  t_grid, x_grid = tf.meshgrid(t_vals, x_vals)
  loss_grid = tf.math.log(loss_fn(x_grid))
  print(title, t_grid.shape, x_grid.shape, loss_grid.dtype)
  for i, learning_rate in enumerate(param_map):
    param_path = param_map[learning_rate]
    if len(param_path) > 0:
      x_star = param_path[-1]
      print(f"x*: learning rate={learning_rate}: {len(param_path)} steps, x* = {x_star:.4f}")
""",
        "",
    ),
    (
        """\
viz_paths(param_map_gd, x_vals, loss, "Gradient descent")
""",
        """\
Gradient descent (201, 2099) (201, 2099) <dtype: 'float32'>
x*: learning rate=0.001: 2000 steps, x* = 0.0476
x*: learning rate=0.01: 2000 steps, x* = 0.0054
""",
    ),
    (
        """\
class Momentum(tf.Module):

  def __init__(self, learning_rate=1e-3, momentum=0.7):
    # Initialize parameters
    self.learning_rate = learning_rate
    self.momentum = momentum
    self.change = 0.
    self.title = f"Gradient descent optimizer: learning rate={self.learning_rate}"

  def apply_gradients(self, grads, vars):
    # Update variables
    for grad, var in zip(grads, vars):
      curr_change = self.learning_rate*grad + self.momentum*self.change
      var.assign_sub(curr_change)
      self.change = curr_change
""",
        "",
    ),
    (
        """\
param_map_mtm = {}
learning_rates = [1e-3, 1e-2, 1e-1]
for learning_rate in learning_rates:
  param_map_mtm[learning_rate] = (convergence_test(
      Momentum(learning_rate=learning_rate),
      loss_fn=loss, grad_fn=grad))
""",
        """\
Gradient descent optimizer: learning rate=0.001
-------------------------------
Exceeded maximum of 2000 iterations. Test terminated.

Gradient descent optimizer: learning rate=0.01
-------------------------------
Converged in 80 iterations

Gradient descent optimizer: learning rate=0.1
-------------------------------
Gradient exploded at iteration 6

""",
    ),
    (
        """\
viz_paths(param_map_mtm, x_vals, loss, "Momentum")
""",
        """\
Momentum (201, 2099) (201, 2099) <dtype: 'float32'>
x*: learning rate=0.001: 2000 steps, x* = 0.0154
x*: learning rate=0.01: 80 steps, x* = -1.1250
""",
    ),
    (
        """\
class Adam(tf.Module):

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, ep=1e-7):
      # Initialize the Adam parameters
      self.beta_1 = beta_1
      self.beta_2 = beta_2
      self.learning_rate = learning_rate
      self.ep = ep
      self.t = 1.
      self.v_dvar, self.s_dvar = [], []
      self.title = f"Adam: learning rate={self.learning_rate}"
      self.built = False

    def apply_gradients(self, grads, vars):
      # Set up moment and RMSprop slots for each variable on the first call
      if not self.built:
        for var in vars:
          v = tf.Variable(tf.zeros(shape=var.shape))
          s = tf.Variable(tf.zeros(shape=var.shape))
          self.v_dvar.append(v)
          self.s_dvar.append(s)
        self.built = True
      # Perform Adam updates
      for i, (d_var, var) in enumerate(zip(grads, vars)):
        # Moment calculation
        self.v_dvar[i] = self.beta_1*self.v_dvar[i] + (1-self.beta_1)*d_var
        # RMSprop calculation
        self.s_dvar[i] = self.beta_2*self.s_dvar[i] + (1-self.beta_2)*tf.square(d_var)
        # Bias correction
        v_dvar_bc = self.v_dvar[i]/(1-(self.beta_1**self.t))
        s_dvar_bc = self.s_dvar[i]/(1-(self.beta_2**self.t))
        # Update model variables
        var.assign_sub(self.learning_rate*(v_dvar_bc/(tf.sqrt(s_dvar_bc) + self.ep)))
      # Increment the iteration counter
      self.t += 1.
""",
        "",
    ),
    (
        """\
param_map_adam = {}
learning_rates = [1e-3, 1e-2, 1e-1]
for learning_rate in learning_rates:
  param_map_adam[learning_rate] = (convergence_test(
      Adam(learning_rate=learning_rate), loss_fn=loss))
""",
        """\
Adam: learning rate=0.001
-------------------------------
Exceeded maximum of 2000 iterations. Test terminated.

Adam: learning rate=0.01
-------------------------------
Exceeded maximum of 2000 iterations. Test terminated.

Adam: learning rate=0.1
-------------------------------
Converged in 1156 iterations

""",
    ),
    (
        """\
viz_paths(param_map_adam, x_vals, loss, "Adam")
""",
        """\
Adam (201, 2099) (201, 2099) <dtype: 'float32'>
x*: learning rate=0.001: 2000 steps, x* = 0.8224
x*: learning rate=0.01: 2000 steps, x* = 0.0674
x*: learning rate=0.1: 1156 steps, x* = -1.1250
""",
    ),
]

outputs, test_cell = cell_test(CELLS)
