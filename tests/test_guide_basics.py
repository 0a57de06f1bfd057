# ruff: noqa: E501
"""The code cells of TensorFlow's "TensorFlow basics" guide (https://www.tensorflow.org/guide/basics), run in
order with ``import ferroflow as tf``; each expected text is what TensorFlow 2.21 prints for the cell (the
first part of the guide is in ``guide_basics_cells``).

The guide's noise and its Keras kernel initializer come from ``tf.random.normal``, replaced for the run by
fixed NumPy draws (``guide_modules_setup``). Plots: matplotlib is not installed, so the guide's
``import matplotlib`` cell is left out and a stand-in ``plt`` takes each plotted value as a NumPy array (as
matplotlib does) and prints its shape, so the plotting cells compare what is plotted, not the picture. The
training loop shuffles without a seed, so its printed losses differ from run to run (in TensorFlow too):
that cell is compared with numbers masked, and a separate test checks the loss reached the noise's level.
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_basics_cells import CELLS
from guide_cells import cell_indices, mask_numbers
from guide_modules_setup import run_guide

PLOT_CELL = (
    '''\
class _Pyplot:
    """Stands in for matplotlib.pyplot: takes its arguments as NumPy arrays, as matplotlib does, and prints their shapes."""

    def plot(self, *args, **kwargs):
        shapes = [np.asarray(a).shape for a in args if not isinstance(a, str)]
        print("plot", shapes, kwargs.get("label"))

    def hist(self, x, **kwargs):
        counts, edges = np.histogram(np.asarray(x))
        print("hist", int(counts.sum()), len(edges))
        return counts, edges

    def ylim(self, *args):
        return (0.0, 1.0)

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


plt = _Pyplot()
''',
    "",
)

TRAINING_CELLS = [
    (
        """\
x = tf.linspace(-2, 2, 201)
x = tf.cast(x, tf.float32)

def f(x):
  y = x**2 + 2*x - 5
  return y

y = f(x) + tf.random.normal(shape=[201])

plt.plot(x.numpy(), y.numpy(), '.', label='Data')
plt.plot(x, f(x), label='Ground truth')
plt.legend();
""",
        """\
plot [(201,), (201,)] Data
plot [(201,), (201,)] Ground truth
""",
    ),
    (
        """\
class Model(tf.Module):

  def __init__(self):
    # Randomly generate weight and bias terms
    rand_init = tf.random.uniform(shape=[3], minval=0., maxval=5., seed=22)
    # Initialize model parameters
    self.w_q = tf.Variable(rand_init[0])
    self.w_l = tf.Variable(rand_init[1])
    self.b = tf.Variable(rand_init[2])

  @tf.function
  def __call__(self, x):
    # Quadratic Model : quadratic_weight * x^2 + linear_weight * x + bias
    return self.w_q * (x**2) + self.w_l * x + self.b
""",
        "",
    ),
    (
        """\
quad_model = Model()
""",
        "",
    ),
    (
        """\
def plot_preds(x, y, f, model, title):
  plt.figure()
  plt.plot(x, y, '.', label='Data')
  plt.plot(x, f(x), label='Ground truth')
  plt.plot(x, model(x), label='Predictions')
  plt.title(title)
  plt.legend()
""",
        "",
    ),
    (
        """\
plot_preds(x, y, f, quad_model, 'Before training')
""",
        """\
plot [(201,), (201,)] Data
plot [(201,), (201,)] Ground truth
plot [(201,), (201,)] Predictions
""",
    ),
    (
        """\
def mse_loss(y_pred, y):
  return tf.reduce_mean(tf.square(y_pred - y))
""",
        "",
    ),
    (
        """\
batch_size = 32
dataset = tf.data.Dataset.from_tensor_slices((x, y))
dataset = dataset.shuffle(buffer_size=x.shape[0]).batch(batch_size)
""",
        "",
    ),
    (
        r"""# Set training parameters
epochs = 100
learning_rate = 0.01
losses = []

# Format training loop
for epoch in range(epochs):
  for x_batch, y_batch in dataset:
    with tf.GradientTape() as tape:
      batch_loss = mse_loss(quad_model(x_batch), y_batch)
    # Update parameters with respect to the gradient calculations
    grads = tape.gradient(batch_loss, quad_model.variables)
    for g,v in zip(grads, quad_model.variables):
        v.assign_sub(learning_rate*g)
  # Keep track of model loss per epoch
  loss = mse_loss(quad_model(x), y)
  losses.append(loss)
  if epoch % 10 == 0:
    print(f'Mean squared error for step {epoch}: {loss.numpy():0.3f}')

# Plot model results
print("\n")
plt.plot(range(epochs), losses)
plt.xlabel("Epoch")
plt.ylabel("Mean Squared Error (MSE)")
plt.title('MSE loss vs training iterations');
""",
        """\
Mean squared error for step 0: 55.801
Mean squared error for step 10: 9.808
Mean squared error for step 20: 4.042
Mean squared error for step 30: 2.085
Mean squared error for step 40: 1.402
Mean squared error for step 50: 1.162
Mean squared error for step 60: 1.076
Mean squared error for step 70: 1.050
Mean squared error for step 80: 1.040
Mean squared error for step 90: 1.039


plot [(100,), (100,)] None
""",
    ),
    (
        """\
plot_preds(x, y, f, quad_model, 'After training')
""",
        """\
plot [(201,), (201,)] Data
plot [(201,), (201,)] Ground truth
plot [(201,), (201,)] Predictions
""",
    ),
    (
        """\
new_model = tf.keras.Sequential([
    tf.keras.layers.Lambda(lambda x: tf.stack([x, x**2], axis=1)),
    tf.keras.layers.Dense(units=1, kernel_initializer=tf.random.normal)])
""",
        "",
    ),
    (
        """\
new_model.compile(
    loss=tf.keras.losses.MSE,
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.01))

history = new_model.fit(x, y,
                        epochs=100,
                        batch_size=32,
                        verbose=0)

new_model.save('./my_new_model.keras')
""",
        "",
    ),
    (
        """\
plt.plot(history.history['loss'])
plt.xlabel('Epoch')
plt.ylim([0, max(plt.ylim())])
plt.ylabel('Loss [Mean Squared Error]')
plt.title('Keras training progress');
""",
        """\
plot [(100,)] None
""",
    ),
    (
        """\
plot_preds(x, y, f, new_model, 'After Training: Keras')
""",
        """\
plot [(201,), (201,)] Data
plot [(201,), (201,)] Ground truth
plot [(201,), (201, 1)] Predictions
""",
    ),
]

ALL = [PLOT_CELL] + CELLS + TRAINING_CELLS
MASKED = {1 + len(CELLS) + 7}  # the training loop's losses
GAPS = {
    6: "softmax's last float32 digit: 0.24472845 where TensorFlow's kernel gives 0.24472848",
}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(ALL, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", cell_indices(ALL, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    outputs, _ = guide
    expected = ALL[index][1]
    if index in MASKED:
        assert mask_numbers(outputs[index]) == mask_numbers(expected), ALL[index][0]
    else:
        assert outputs[index] == expected, ALL[index][0]


def test_training_reaches_the_noise_level(guide: tuple) -> None:
    _, ns = guide
    final = float(ns["losses"][-1])
    assert 0.5 < final < 1.5  # unit-variance noise: the fitted quadratic's MSE is about 1
    model = ns["quad_model"]
    np.testing.assert_allclose([model.w_q.numpy(), model.w_l.numpy(), model.b.numpy()], [1.0, 2.0, -5.0], atol=0.4)
    assert len(ns["history"].history["loss"]) == 100
