# ruff: noqa: E501
"""The code cells of TensorFlow's "Multilayer perceptrons for digit recognition with Core APIs" guide
(https://www.tensorflow.org/guide/core/mlp_core) and what TensorFlow 2.21 prints for each, run in order by
``test_guide_core_mlp`` with ``load_mnist`` (tests/mnist_data.py) in the namespace.

Changed from the guide, which needs the network, tensorflow_datasets, matplotlib, seaborn and scikit-learn:
``tfds.load("mnist", ..., as_supervised=True)`` becomes tf.data datasets of the same elements (uint8 images
(None, 28, 28, 1), int64 labels, batches of 128) from the local MNIST files, on a subset (3,000 training and
1,000 validation images instead of 50,000 and 10,000; the whole 10,000-image test set); the image grid and
count plot become the images' shape and the label counts; the ReLU and softmax plots become a few of their
values; the loss/accuracy plots and the confusion matrix are left out.
"""

MODEL_CELLS = [
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
# tfds.load("mnist", split=['train[10000:]', 'train[0:10000]', 'test'], batch_size=128, as_supervised=True),
# from the local MNIST files and on a subset (3,000 training, 1,000 validation images), as tf.data datasets
# of the same elements: (uint8 images of shape (None, 28, 28, 1), int64 labels) in batches of 128.
(mnist_x, mnist_y), (mnist_x_test, mnist_y_test) = load_mnist()
def as_batches(x, y):
  return tf.data.Dataset.from_tensor_slices((x[..., None], y.astype(np.int64))).batch(128)
train_data = as_batches(mnist_x[10000:13000], mnist_y[10000:13000])
val_data = as_batches(mnist_x[:1000], mnist_y[:1000])
test_data = as_batches(mnist_x_test, mnist_y_test)
train_data.element_spec
""",
        """\
(TensorSpec(shape=(None, 28, 28, 1), dtype=tf.uint8, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))
""",
    ),
    (
        """\
# tfds.load("mnist", split=['train[:1500]'], batch_size=-1, as_supervised=True)[0], from the local files.
x_viz, y_viz = tf.constant(mnist_x[:1500, ..., None]), tf.constant(mnist_y[:1500].astype(np.int64))
x_viz = tf.squeeze(x_viz, axis=3)
# The guide plots nine images and the label counts; here the shape and the counts are shown.
print(x_viz.shape, x_viz.dtype)
np.bincount(y_viz.numpy())
""",
        """\
(1500, 28, 28) <dtype: 'uint8'>
array([140, 172, 144, 142, 160, 137, 141, 177, 134, 153])
""",
    ),
    (
        """\
def preprocess(x, y):
  # Reshaping the data
  x = tf.reshape(x, shape=[-1, 784])
  # Rescaling the data
  x = x/255
  return x, y

train_data, val_data = train_data.map(preprocess), val_data.map(preprocess)
train_data.element_spec
""",
        """\
(TensorSpec(shape=(None, 784), dtype=tf.float32, name=None), TensorSpec(shape=(None,), dtype=tf.int64, name=None))
""",
    ),
    (
        """\
x = tf.linspace(-2, 2, 201)
x = tf.cast(x, tf.float32)
# The guide plots tf.nn.relu(x); a few of its values:
tf.nn.relu(x)[::40]
""",
        """\
<tf.Tensor: shape=(6,), dtype=float32, numpy=array([0. , 0. , 0. , 0.4, 1.2, 2. ], dtype=float32)>
""",
    ),
    (
        """\
x = tf.linspace(-4, 4, 201)
x = tf.cast(x, tf.float32)
# The guide plots tf.nn.softmax(x, axis=0); a few of its values (to 6 decimals) and their sum:
print(tf.round(tf.nn.softmax(x, axis=0)[::50] * 1e6) / 1e6)
print(f"{float(tf.reduce_sum(tf.nn.softmax(x, axis=0))):.4f}")
""",
        """\
tf.Tensor([1.3000e-05 9.7000e-05 7.1800e-04 5.3080e-03 3.9223e-02], shape=(5,), dtype=float32)
1.0000
""",
    ),
    (
        """\
def xavier_init(shape):
  # Computes the xavier initialization values for a weight matrix
  in_dim, out_dim = shape
  xavier_lim = tf.sqrt(6.)/tf.sqrt(tf.cast(in_dim + out_dim, tf.float32))
  weight_vals = tf.random.uniform(shape=(in_dim, out_dim),
                                  minval=-xavier_lim, maxval=xavier_lim, seed=22)
  return weight_vals
""",
        "",
    ),
    (
        """\
class DenseLayer(tf.Module):

  def __init__(self, out_dim, weight_init=xavier_init, activation=tf.identity):
    # Initialize the dimensions and activation functions
    self.out_dim = out_dim
    self.weight_init = weight_init
    self.activation = activation
    self.built = False

  def __call__(self, x):
    if not self.built:
      # Infer the input dimension based on first call
      self.in_dim = x.shape[1]
      # Initialize the weights and biases using Xavier scheme
      self.w = tf.Variable(xavier_init(shape=(self.in_dim, self.out_dim)))
      self.b = tf.Variable(tf.zeros(shape=(self.out_dim,)))
      self.built = True
    # Compute the forward pass
    z = tf.add(tf.matmul(x, self.w), self.b)
    return self.activation(z)
""",
        "",
    ),
    (
        """\
class MLP(tf.Module):

  def __init__(self, layers):
    self.layers = layers

  @tf.function
  def __call__(self, x, preds=False):
    # Execute the model's layers sequentially
    for layer in self.layers:
      x = layer(x)
    return x
""",
        "",
    ),
    (
        """\
hidden_layer_1_size = 700
hidden_layer_2_size = 500
output_size = 10

mlp_model = MLP([
    DenseLayer(out_dim=hidden_layer_1_size, activation=tf.nn.relu),
    DenseLayer(out_dim=hidden_layer_2_size, activation=tf.nn.relu),
    DenseLayer(out_dim=output_size)])
""",
        "",
    ),
    (
        """\
def cross_entropy_loss(y_pred, y):
  # Compute cross entropy loss with a sparse operation
  sparse_ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=y_pred)
  return tf.reduce_mean(sparse_ce)
""",
        "",
    ),
    (
        """\
def accuracy(y_pred, y):
  # Compute accuracy after extracting class predictions
  class_preds = tf.argmax(tf.nn.softmax(y_pred), axis=1)
  is_equal = tf.equal(y, class_preds)
  return tf.reduce_mean(tf.cast(is_equal, tf.float32))
""",
        "",
    ),
    (
        """\
class Adam:

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, ep=1e-7):
      # Initialize optimizer parameters and variable slots
      self.beta_1 = beta_1
      self.beta_2 = beta_2
      self.learning_rate = learning_rate
      self.ep = ep
      self.t = 1.
      self.v_dvar, self.s_dvar = [], []
      self.built = False

    def apply_gradients(self, grads, vars):
      # Initialize variables on the first call
      if not self.built:
        for var in vars:
          v = tf.Variable(tf.zeros(shape=var.shape))
          s = tf.Variable(tf.zeros(shape=var.shape))
          self.v_dvar.append(v)
          self.s_dvar.append(s)
        self.built = True
      # Update the model variables given their gradients
      for i, (d_var, var) in enumerate(zip(grads, vars)):
        self.v_dvar[i].assign(self.beta_1*self.v_dvar[i] + (1-self.beta_1)*d_var)
        self.s_dvar[i].assign(self.beta_2*self.s_dvar[i] + (1-self.beta_2)*tf.square(d_var))
        v_dvar_bc = self.v_dvar[i]/(1-(self.beta_1**self.t))
        s_dvar_bc = self.s_dvar[i]/(1-(self.beta_2**self.t))
        var.assign_sub(self.learning_rate*(v_dvar_bc/(tf.sqrt(s_dvar_bc) + self.ep)))
      self.t += 1.
      return
""",
        "",
    ),
]
