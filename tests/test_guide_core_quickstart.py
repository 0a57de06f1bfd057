# ruff: noqa: E501
"""TensorFlow's "Quickstart for the TensorFlow Core APIs" guide (https://www.tensorflow.org/guide/core/quickstart_core)
run cell by cell with ``import ferroflow as tf``; each expected text is TensorFlow 2.21's for the same cell.

Changed: the guide reads Auto MPG from the UCI repository with pandas; offline, a synthetic NumPy table of the
same eight columns (392 complete rows) stands in, ``dataset.tail()`` becoming its last five rows. The version
print and the loss plot (matplotlib) are left out. Cells whose digits follow the random streams are compared
masked (``guide_core_cells``); the split, the training and the saved model are checked by behaviour below.
"""

from __future__ import annotations

import numpy as np

from guide_core_cells import guide_test

CELLS = [
    (
        """\
tf.random.set_seed(22)
""",
        "",
    ),
    (
        """\
column_names = ['MPG', 'Cylinders', 'Displacement', 'Horsepower', 'Weight',
                'Acceleration', 'Model Year', 'Origin']
rng = np.random.default_rng(0)
n = 392
cylinders = rng.choice([4.0, 6.0, 8.0], size=n)
displacement = cylinders * 40.0 + rng.normal(0.0, 15.0, n)
horsepower = displacement * 0.5 + rng.normal(0.0, 8.0, n)
weight = 1500.0 + displacement * 8.0 + rng.normal(0.0, 150.0, n)
acceleration = 20.0 - horsepower * 0.04 + rng.normal(0.0, 1.0, n)
model_year = rng.integers(70, 83, n).astype(np.float64)
origin = rng.integers(1, 4, n).astype(np.float64)
mpg = 45.0 - weight * 0.006 + (model_year - 70.0) * 0.7 + origin + rng.normal(0.0, 2.0, n)
dataset = np.round(np.stack([mpg, cylinders, displacement, horsepower, weight, acceleration,
                             model_year, origin], axis=1), 1)
dataset_tf = tf.convert_to_tensor(dataset, dtype=tf.float32)
dataset[-5:]
""",
        """\
array([[3.2100e+01, 4.0000e+00, 1.8000e+02, 7.4600e+01, 2.9247e+03,
        1.8600e+01, 7.5000e+01, 3.0000e+00],
       [2.7000e+01, 6.0000e+00, 2.2130e+02, 1.0450e+02, 3.2299e+03,
        1.6700e+01, 7.3000e+01, 2.0000e+00],
       [2.0500e+01, 8.0000e+00, 3.1770e+02, 1.5840e+02, 4.0972e+03,
        1.3700e+01, 7.3000e+01, 2.0000e+00],
       [2.7400e+01, 4.0000e+00, 1.6520e+02, 7.8500e+01, 2.9698e+03,
        1.7300e+01, 7.2000e+01, 1.0000e+00],
       [3.2100e+01, 6.0000e+00, 2.3840e+02, 1.1860e+02, 3.5068e+03,
        1.4300e+01, 7.6000e+01, 3.0000e+00]])
""",
    ),
    (
        """\
dataset_shuffled = tf.random.shuffle(dataset_tf, seed=22)
train_data, test_data = dataset_shuffled[100:], dataset_shuffled[:100]
x_train, y_train = train_data[:, 1:], train_data[:, 0]
x_test, y_test = test_data[:, 1:], test_data[:, 0]
""",
        "",
    ),
    (
        """\
def onehot_origin(x):
  origin = tf.cast(x[:, -1], tf.int32)
  # Use origin - 1 to account for 1-indexed feature
  origin_oh = tf.one_hot(origin - 1, 3)
  x_ohe = tf.concat([x[:, :-1], origin_oh], axis = 1)
  return x_ohe

x_train_ohe, x_test_ohe = onehot_origin(x_train), onehot_origin(x_test)
x_train_ohe.numpy()
""",
        """\
array([[  8. , 303.6, 146.7, ...,   0. ,   1. ,   0. ],
       [  8. , 319.7, 156.8, ...,   1. ,   0. ,   0. ],
       [  8. , 312.3, 158.7, ...,   0. ,   0. ,   1. ],
       ...,
       [  4. , 177.4,  91.6, ...,   0. ,   1. ,   0. ],
       [  4. , 144.3,  74.2, ...,   1. ,   0. ,   0. ],
       [  4. , 144.9,  73.2, ...,   1. ,   0. ,   0. ]],
      shape=(292, 9), dtype=float32)
""",
    ),
    (
        """\
class Normalize(tf.Module):
  def __init__(self, x):
    # Initialize the mean and standard deviation for normalization
    self.mean = tf.math.reduce_mean(x, axis=0)
    self.std = tf.math.reduce_std(x, axis=0)

  def norm(self, x):
    # Normalize the input
    return (x - self.mean)/self.std

  def unnorm(self, x):
    # Unnormalize the input
    return (x * self.std) + self.mean
""",
        "",
    ),
    (
        """\
norm_x = Normalize(x_train_ohe)
norm_y = Normalize(y_train)
x_train_norm, y_train_norm = norm_x.norm(x_train_ohe), norm_y.norm(y_train)
x_test_norm, y_test_norm = norm_x.norm(x_test_ohe), norm_y.norm(y_test)
""",
        "",
    ),
    (
        """\
class LinearRegression(tf.Module):

  def __init__(self):
    self.built = False

  @tf.function
  def __call__(self, x):
    # Initialize the model parameters on the first call
    if not self.built:
      # Randomly generate the weight vector and bias term
      rand_w = tf.random.uniform(shape=[x.shape[-1], 1])
      rand_b = tf.random.uniform(shape=[])
      self.w = tf.Variable(rand_w)
      self.b = tf.Variable(rand_b)
      self.built = True
    y = tf.add(tf.matmul(x, self.w), self.b)
    return tf.squeeze(y, axis=1)
""",
        "",
    ),
    (
        """\
lin_reg = LinearRegression()
prediction = lin_reg(x_train_norm[:1])
prediction_unnorm = norm_y.unnorm(prediction)
prediction_unnorm.numpy()
""",
        """\
array([41.7709], dtype=float32)
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
batch_size = 64
dataset = tf.data.Dataset.from_tensor_slices((x_train_norm, y_train_norm))
dataset = dataset.shuffle(buffer_size=x_train.shape[0]).batch(batch_size)
""",
        "",
    ),
    (
        """\
# Set training parameters
epochs = 100
learning_rate = 0.01
train_losses, test_losses = [], []

# Format training loop
for epoch in range(epochs):
  for x_batch, y_batch in dataset:
    batch_losses = []
    with tf.GradientTape() as tape:
      y_pred_batch = lin_reg(x_batch)
      batch_loss = mse_loss(y_pred_batch, y_batch)
    # Update parameters with respect to the gradient calculations
    grads = tape.gradient(batch_loss, lin_reg.variables)
    for g,v in zip(grads, lin_reg.variables):
      v.assign_sub(learning_rate * g)
    # Keep track of batch-level model performance
    batch_losses.append(batch_loss)
  # Keep track of epoch-level model performance
  train_loss = tf.reduce_mean(batch_losses)
  test_loss = mse_loss(lin_reg(x_test_norm), y_test_norm)
  train_losses.append(train_loss)
  test_losses.append(test_loss)
  if epoch % 10 == 0:
    print(f'Mean squared error for step {epoch}: {train_loss.numpy():0.3f}')

# Output final losses
print(f"\\nFinal train loss: {train_loss:0.3f}")
print(f"Final test loss: {test_loss:0.3f}")
""",
        """\
Mean squared error for step 0: 2.429
Mean squared error for step 10: 0.294
Mean squared error for step 20: 0.247
Mean squared error for step 30: 0.192
Mean squared error for step 40: 0.128
Mean squared error for step 50: 0.184
Mean squared error for step 60: 0.169
Mean squared error for step 70: 0.243
Mean squared error for step 80: 0.186
Mean squared error for step 90: 0.171

Final train loss: 0.196
Final test loss: 0.220
""",
    ),
    (
        """\
class ExportModule(tf.Module):
  def __init__(self, model, extract_features, norm_x, norm_y):
    # Initialize pre and postprocessing functions
    self.model = model
    self.extract_features = extract_features
    self.norm_x = norm_x
    self.norm_y = norm_y

  @tf.function(input_signature=[tf.TensorSpec(shape=[None, None], dtype=tf.float32)])
  def __call__(self, x):
    # Run the ExportModule for new data points
    x = self.extract_features(x)
    x = self.norm_x.norm(x)
    y = self.model(x)
    y = self.norm_y.unnorm(y)
    return y
""",
        "",
    ),
    (
        """\
lin_reg_export = ExportModule(model=lin_reg,
                              extract_features=onehot_origin,
                              norm_x=norm_x,
                              norm_y=norm_y)
""",
        "",
    ),
    (
        """\
import tempfile
import os

models = tempfile.mkdtemp()
save_path = os.path.join(models, 'lin_reg_export')
tf.saved_model.save(lin_reg_export, save_path)
""",
        "",
    ),
    (
        """\
lin_reg_loaded = tf.saved_model.load(save_path)
test_preds = lin_reg_loaded(x_test)
test_preds[:10].numpy()
""",
        """\
array([27.180532, 22.894035, 23.687445, 34.52364 , 33.71847 , 29.877943,
       31.948889, 26.864233, 29.322172, 27.021729], dtype=float32)
""",
    ),
]

guide, test_cell = guide_test(CELLS, varying={3, 7, 10, 14})


def test_split_and_one_hot(guide: tuple) -> None:
    """``tf.random.shuffle`` reorders whole rows: the 100 test and 292 training rows are the table's rows;
    ``onehot_origin`` keeps the first six features and one-hot encodes Origin (1-3)."""
    ns = guide[1]
    rows = np.concatenate([ns["test_data"].numpy(), ns["train_data"].numpy()])
    table = ns["dataset_tf"].numpy()
    assert rows.shape == (392, 8) and not np.array_equal(rows, table)
    np.testing.assert_array_equal(np.sort(rows.view("V32").ravel()), np.sort(table.view("V32").ravel()))
    x, ohe = ns["x_train"].numpy(), ns["x_train_ohe"].numpy()
    np.testing.assert_array_equal(ohe[:, :6], x[:, :6])
    np.testing.assert_array_equal(ohe[:, 6:], np.eye(3, dtype=np.float32)[x[:, -1].astype(int) - 1])


def test_training_lowers_the_loss(guide: tuple) -> None:
    """Normalized MSE: TensorFlow goes from 2.429 (epoch 0) to 0.196 (train) and 0.220 (test) here."""
    ns = guide[1]
    train = [float(v) for v in ns["train_losses"]]
    test = [float(v) for v in ns["test_losses"]]
    assert len(train) == len(test) == 100
    assert train[-1] < 0.5 * train[0] and train[-1] < 0.35 and test[-1] < 0.35
    w, b = ns["lin_reg"].w, ns["lin_reg"].b
    assert ns["lin_reg"].variables == (b, w)  # sorted by attribute name, as TensorFlow lists them
    assert w.shape == (9, 1) and b.shape == () and w.dtype == b.dtype == np.float32


def test_saved_model_answers_as_the_export_module(guide: tuple) -> None:
    ns = guide[1]
    got, x = ns["test_preds"].numpy(), ns["onehot_origin"](ns["x_test"]).numpy()
    assert got.shape == (100,) and got.dtype == np.float32
    np.testing.assert_allclose(got, ns["lin_reg_export"](ns["x_test"]).numpy(), rtol=1e-6)
    nx, ny, model = ns["norm_x"], ns["norm_y"], ns["lin_reg"]  # the same steps in NumPy
    y = ((x - nx.mean.numpy()) / nx.std.numpy()) @ model.w.numpy()[:, 0] + model.b.numpy()
    np.testing.assert_allclose(got, y * ny.std.numpy() + ny.mean.numpy(), rtol=1e-4)
