# ruff: noqa: E501
"""The code cells of TensorFlow's "Logistic regression for binary classification with Core APIs" guide
(https://www.tensorflow.org/guide/core/logistic_regression_core) and what TensorFlow 2.21 prints for each,
run in order by ``test_guide_core_logistic_regression``.

Changed from the guide, which needs the network, pandas, matplotlib, seaborn and scikit-learn: the Wisconsin
breast-cancer CSV is replaced by a synthetic NumPy table of the same 32 columns (569 rows); pandas'
``sample``/``drop``/``iloc``/``map`` become NumPy indexing; the sigmoid plot shows five sigmoid values (to 4
decimals: TensorFlow's float32 sigmoid is a few ulp off the correctly rounded value ferroflow gives); the
``describe()`` table and the loss, accuracy and confusion-matrix plots are left out.
"""

CELLS = [
    (
        """\
import tempfile
import os
""",
        "",
    ),
    (
        """\
tf.random.set_seed(22)
""",
        "",
    ),
    (
        """\
# The guide reads wdbc.data from the UCI repository with pandas; offline, a synthetic NumPy table with the
# same columns (id, diagnosis 'B'/'M', then the mean, standard error and largest value of ten measurements).
features = ['radius', 'texture', 'perimieter','area', 'smoothness', 'compactness',
            'concavity', 'concave_poinits','symmetry', 'fractal_dimension']
column_names = ['id', 'diagnosis']

for attr in ['mean', 'ste', 'largest']:
  for feature in features:
    column_names.append(feature + "_" + attr)

rng = np.random.default_rng(0)
n = 569
ids = np.arange(842302, 842302 + n)
diagnosis = np.where(rng.random(n) < 0.37, 'M', 'B')
scale = np.array([14.0, 19.0, 92.0, 655.0, 0.096, 0.10, 0.089, 0.049, 0.18, 0.063])
shift = np.where(diagnosis == 'M', 1.0, 0.0)[:, None] * np.array([0.08, 0.03, 0.08, 0.2, 0.02, 0.1, 0.3, 0.3, 0.02, 0.0])
mean_values = scale * (1.0 + shift + rng.normal(0.0, 0.15, (n, 10)))
values = np.concatenate([mean_values, mean_values * 0.1 * (1.0 + rng.normal(0.0, 0.2, (n, 10))),
                         mean_values * 1.2 * (1.0 + rng.normal(0.0, 0.05, (n, 10)))], axis=1)
len(column_names), values.shape
""",
        """\
(32, (569, 30))
""",
    ),
    (
        """\
# pandas' dataset.sample(frac=0.75) and dataset.drop(train_dataset.index), as NumPy indexing.
order = rng.permutation(n)
train_index, test_index = order[:round(0.75 * n)], order[round(0.75 * n):]
x_train, y_train = values[train_index], diagnosis[train_index]
x_test, y_test = values[test_index], diagnosis[test_index]
""",
        "",
    ),
    (
        """\
# pandas' y.map({'B': 0, 'M': 1}), as a NumPy comparison.
y_train, y_test = (y_train == 'M').astype(int), (y_test == 'M').astype(int)
x_train, y_train = tf.convert_to_tensor(x_train, dtype=tf.float32), tf.convert_to_tensor(y_train, dtype=tf.float32)
x_test, y_test = tf.convert_to_tensor(x_test, dtype=tf.float32), tf.convert_to_tensor(y_test, dtype=tf.float32)
""",
        "",
    ),
    (
        """\
class Normalize(tf.Module):
  def __init__(self, x):
    # Initialize the mean and standard deviation for normalization
    self.mean = tf.Variable(tf.math.reduce_mean(x, axis=0))
    self.std = tf.Variable(tf.math.reduce_std(x, axis=0))

  def norm(self, x):
    # Normalize the input
    return (x - self.mean)/self.std

  def unnorm(self, x):
    # Unnormalize the input
    return (x * self.std) + self.mean

norm_x = Normalize(x_train)
x_train_norm, x_test_norm = norm_x.norm(x_train), norm_x.norm(x_test)
""",
        "",
    ),
    (
        """\
x = tf.linspace(-10, 10, 500)
x = tf.cast(x, tf.float32)
f = lambda x : (1/20)*x + 0.6
# The guide plots tf.math.sigmoid(x); here a few of its values are shown.
tf.round(tf.math.sigmoid(x)[::100] * 1e4) / 1e4
""",
        """\
<tf.Tensor: shape=(5,), dtype=float32, numpy=array([0.    , 0.0025, 0.1209, 0.8833, 0.9976], dtype=float32)>
""",
    ),
    (
        """\
def log_loss(y_pred, y):
  # Compute the log loss
  ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=y_pred)
  return tf.reduce_mean(ce)
""",
        "",
    ),
    (
        """\
class LogisticRegression(tf.Module):

  def __init__(self):
    self.built = False

  def __call__(self, x, train=True):
    # Initialize the model parameters on the first call
    if not self.built:
      # Randomly generate the weight vector and bias term
      rand_w = tf.random.uniform(shape=[x.shape[-1], 1], seed=22)
      rand_b = tf.random.uniform(shape=[], seed=22)
      self.w = tf.Variable(rand_w)
      self.b = tf.Variable(rand_b)
      self.built = True
    # Compute model output
    z = tf.add(tf.matmul(x, self.w), self.b)
    z = tf.squeeze(z, axis=1)
    if train:
      return z
    return tf.sigmoid(z)
""",
        "",
    ),
    (
        """\
log_reg = LogisticRegression()
""",
        "",
    ),
    (
        """\
y_pred = log_reg(x_train_norm[:5], train=False)
y_pred.numpy()
""",
        """\
array([0.9999996 , 0.17082074, 0.68991524, 0.9999249 , 0.01399759],
      dtype=float32)
""",
    ),
    (
        """\
def predict_class(y_pred, thresh=0.5):
  # Return a tensor with : 1. if y_pred_i > 0.5 and 0. ow/
  return tf.cast(y_pred > thresh, tf.float32)

def accuracy(y_pred, y):
  # Return the proportion of matches between y_pred and y
  y_pred = tf.math.sigmoid(y_pred)
  y_pred_class = predict_class(y_pred)
  check_equal = tf.cast(y_pred_class == y,tf.float32)
  acc_val = tf.reduce_mean(check_equal)
  return acc_val
""",
        "",
    ),
    (
        """\
batch_size = 64
dataset = tf.data.Dataset.from_tensor_slices((x_train_norm, y_train))
dataset = dataset.shuffle(buffer_size=x_train.shape[0]).batch(batch_size)
""",
        "",
    ),
    (
        """\
# Set training parameters
epochs = 200
learning_rate = 0.01
train_losses, test_losses = [], []
train_accs, test_accs = [], []

# Format training loop
for epoch in range(epochs):
  batch_losses, batch_accs = [], []
  for x_batch, y_batch in dataset:
    with tf.GradientTape() as tape:
      y_pred_batch = log_reg(x_batch)
      batch_loss = log_loss(y_pred_batch, y_batch)
    batch_acc = accuracy(y_pred_batch, y_batch)
    # Update parameters with respect to the gradient calculations
    grads = tape.gradient(batch_loss, log_reg.variables)
    for g,v in zip(grads, log_reg.variables):
      v.assign_sub(learning_rate * g)
    # Keep track of batch-level model performance
    batch_losses.append(batch_loss)
    batch_accs.append(batch_acc)
  # Keep track of epoch-level model performance
  train_loss, train_acc = tf.reduce_mean(batch_losses), tf.reduce_mean(batch_accs)
  y_pred_test = log_reg(x_test_norm)
  test_loss, test_acc = log_loss(y_pred_test, y_test), accuracy(y_pred_test, y_test)
  train_losses.append(train_loss)
  train_accs.append(train_acc)
  test_losses.append(test_loss)
  test_accs.append(test_acc)
  if epoch % 20 == 0:
    print(f"Epoch: {epoch}, Training log loss: {train_loss:.3f}")
""",
        """\
Epoch: 0, Training log loss: 0.832
Epoch: 20, Training log loss: 0.575
Epoch: 40, Training log loss: 0.418
Epoch: 60, Training log loss: 0.330
Epoch: 80, Training log loss: 0.267
Epoch: 100, Training log loss: 0.234
Epoch: 120, Training log loss: 0.205
Epoch: 140, Training log loss: 0.187
Epoch: 160, Training log loss: 0.166
Epoch: 180, Training log loss: 0.156
""",
    ),
    (
        """\
print(f"Final training log loss: {train_losses[-1]:.3f}")
print(f"Final Testing Log Loss: {test_losses[-1]:.3f}")
""",
        """\
Final training log loss: 0.147
Final Testing Log Loss: 0.179
""",
    ),
    (
        """\
print(f"Final training accuracy: {train_accs[-1]:.3f}")
print(f"Final testing accuracy: {test_accs[-1]:.3f}")
""",
        """\
Final training accuracy: 0.943
Final testing accuracy: 0.930
""",
    ),
    (
        """\
# The guide's confusion-matrix plots (scikit-learn, seaborn) are left out; the predictions they show:
y_pred_train, y_pred_test = log_reg(x_train_norm, train=False), log_reg(x_test_norm, train=False)
train_classes, test_classes = predict_class(y_pred_train), predict_class(y_pred_test)
""",
        "",
    ),
    (
        """\
class ExportModule(tf.Module):
  def __init__(self, model, norm_x, class_pred):
    # Initialize pre and postprocessing functions
    self.model = model
    self.norm_x = norm_x
    self.class_pred = class_pred

  @tf.function(input_signature=[tf.TensorSpec(shape=[None, None], dtype=tf.float32)])
  def __call__(self, x):
    # Run the ExportModule for new data points
    x = self.norm_x.norm(x)
    y = self.model(x, train=False)
    y = self.class_pred(y)
    return y
""",
        "",
    ),
    (
        """\
log_reg_export = ExportModule(model=log_reg,
                              norm_x=norm_x,
                              class_pred=predict_class)
""",
        "",
    ),
    (
        """\
models = tempfile.mkdtemp()
save_path = os.path.join(models, 'log_reg_export')
tf.saved_model.save(log_reg_export, save_path)
""",
        "",
    ),
    (
        """\
log_reg_loaded = tf.saved_model.load(save_path)
test_preds = log_reg_loaded(x_test)
test_preds[:10].numpy()
""",
        """\
array([0., 1., 1., 0., 0., 1., 0., 1., 1., 0.], dtype=float32)
""",
    ),
]
