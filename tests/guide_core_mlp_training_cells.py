# ruff: noqa: E501
"""The training, export and evaluation cells of TensorFlow's "Multilayer perceptrons for digit recognition
with Core APIs" guide and what TensorFlow 2.21 prints for each; the earlier cells and the changes made to
the guide are in ``guide_core_mlp_cells``.
"""

TRAINING_CELLS = [
    (
        """\
def train_step(x_batch, y_batch, loss, acc, model, optimizer):
  # Update the model state given a batch of data
  with tf.GradientTape() as tape:
    y_pred = model(x_batch)
    batch_loss = loss(y_pred, y_batch)
  batch_acc = acc(y_pred, y_batch)
  grads = tape.gradient(batch_loss, model.variables)
  optimizer.apply_gradients(grads, model.variables)
  return batch_loss, batch_acc

def val_step(x_batch, y_batch, loss, acc, model):
  # Evaluate the model on given a batch of validation data
  y_pred = model(x_batch)
  batch_loss = loss(y_pred, y_batch)
  batch_acc = acc(y_pred, y_batch)
  return batch_loss, batch_acc
""",
        "",
    ),
    (
        """\
def train_model(mlp, train_data, val_data, loss, acc, optimizer, epochs):
  # Initialize data structures
  train_losses, train_accs = [], []
  val_losses, val_accs = [], []

  # Format training loop and begin training
  for epoch in range(epochs):
    batch_losses_train, batch_accs_train = [], []
    batch_losses_val, batch_accs_val = [], []

    # Iterate over the training data
    for x_batch, y_batch in train_data:
      # Compute gradients and update the model's parameters
      batch_loss, batch_acc = train_step(x_batch, y_batch, loss, acc, mlp, optimizer)
      # Keep track of batch-level training performance
      batch_losses_train.append(batch_loss)
      batch_accs_train.append(batch_acc)

    # Iterate over the validation data
    for x_batch, y_batch in val_data:
      batch_loss, batch_acc = val_step(x_batch, y_batch, loss, acc, mlp)
      batch_losses_val.append(batch_loss)
      batch_accs_val.append(batch_acc)

    # Keep track of epoch-level model performance
    train_loss, train_acc = tf.reduce_mean(batch_losses_train), tf.reduce_mean(batch_accs_train)
    val_loss, val_acc = tf.reduce_mean(batch_losses_val), tf.reduce_mean(batch_accs_val)
    train_losses.append(train_loss)
    train_accs.append(train_acc)
    val_losses.append(val_loss)
    val_accs.append(val_acc)
    print(f"Epoch: {epoch}")
    print(f"Training loss: {train_loss:.3f}, Training accuracy: {train_acc:.3f}")
    print(f"Validation loss: {val_loss:.3f}, Validation accuracy: {val_acc:.3f}")
  return train_losses, train_accs, val_losses, val_accs
""",
        "",
    ),
    (
        """\
train_losses, train_accs, val_losses, val_accs = train_model(mlp_model, train_data, val_data,
                                                             loss=cross_entropy_loss, acc=accuracy,
                                                             optimizer=Adam(), epochs=10)
""",
        """\
Epoch: 0
Training loss: 0.927, Training accuracy: 0.733
Validation loss: 0.497, Validation accuracy: 0.855
Epoch: 1
Training loss: 0.334, Training accuracy: 0.900
Validation loss: 0.400, Validation accuracy: 0.876
Epoch: 2
Training loss: 0.198, Training accuracy: 0.942
Validation loss: 0.314, Validation accuracy: 0.913
Epoch: 3
Training loss: 0.116, Training accuracy: 0.971
Validation loss: 0.303, Validation accuracy: 0.911
Epoch: 4
Training loss: 0.074, Training accuracy: 0.986
Validation loss: 0.289, Validation accuracy: 0.923
Epoch: 5
Training loss: 0.056, Training accuracy: 0.991
Validation loss: 0.303, Validation accuracy: 0.919
Epoch: 6
Training loss: 0.045, Training accuracy: 0.992
Validation loss: 0.326, Validation accuracy: 0.920
Epoch: 7
Training loss: 0.041, Training accuracy: 0.991
Validation loss: 0.350, Validation accuracy: 0.912
Epoch: 8
Training loss: 0.038, Training accuracy: 0.992
Validation loss: 0.298, Validation accuracy: 0.926
Epoch: 9
Training loss: 0.023, Training accuracy: 0.996
Validation loss: 0.305, Validation accuracy: 0.921
""",
    ),
    (
        """\
class ExportModule(tf.Module):
  def __init__(self, model, preprocess, class_pred):
    # Initialize pre and postprocessing functions
    self.model = model
    self.preprocess = preprocess
    self.class_pred = class_pred

  @tf.function(input_signature=[tf.TensorSpec(shape=[None, None, None, None], dtype=tf.uint8)])
  def __call__(self, x):
    # Run the ExportModule for new data points
    x = self.preprocess(x)
    y = self.model(x)
    y = self.class_pred(y)
    return y
""",
        "",
    ),
    (
        """\
def preprocess_test(x):
  # The export module takes in unprocessed and unlabeled data
  x = tf.reshape(x, shape=[-1, 784])
  x = x/255
  return x

def class_pred_test(y):
  # Generate class predictions from MLP output
  return tf.argmax(tf.nn.softmax(y), axis=1)
""",
        "",
    ),
    (
        """\
mlp_model_export = ExportModule(model=mlp_model,
                                preprocess=preprocess_test,
                                class_pred=class_pred_test)
""",
        "",
    ),
    (
        """\
models = tempfile.mkdtemp()
save_path = os.path.join(models, 'mlp_model_export')
tf.saved_model.save(mlp_model_export, save_path)
""",
        "",
    ),
    (
        """\
mlp_loaded = tf.saved_model.load(save_path)
""",
        "",
    ),
    (
        """\
def accuracy_score(y_pred, y):
  # Generic accuracy function
  is_equal = tf.equal(y_pred, y)
  return tf.reduce_mean(tf.cast(is_equal, tf.float32))

# tfds.load("mnist", split=['test'], batch_size=-1, as_supervised=True)[0], from the local files.
x_test, y_test = tf.constant(mnist_x_test[..., None]), tf.constant(mnist_y_test.astype(np.int64))
test_classes = mlp_loaded(x_test)
test_acc = accuracy_score(test_classes, y_test)
print(f"Test Accuracy: {test_acc:.3f}")
""",
        """\
Test Accuracy: 0.933
""",
    ),
    (
        """\
print("Accuracy breakdown by digit:")
print("---------------------------")
label_accs = {}
for label in range(10):
  label_ind = (y_test == label)
  # extract predictions for specific true label
  pred_label = test_classes[label_ind]
  label_filled = tf.cast(tf.fill(pred_label.shape[0], label), tf.int64)
  # compute class-wise accuracy
  label_accs[accuracy_score(pred_label, label_filled).numpy()] = label
for key in sorted(label_accs):
  print(f"Digit {label_accs[key]}: {key:.3f}")
""",
        """\
Accuracy breakdown by digit:
---------------------------
Digit 5: 0.880
Digit 9: 0.892
Digit 2: 0.900
Digit 4: 0.926
Digit 8: 0.937
Digit 7: 0.940
Digit 3: 0.943
Digit 6: 0.957
Digit 0: 0.964
Digit 1: 0.986
""",
    ),
]
