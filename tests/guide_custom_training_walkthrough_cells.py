# ruff: noqa: E501
"""The code cells of TensorFlow's "Custom training: walkthrough" tutorial
(https://www.tensorflow.org/tutorials/customization/custom_training_walkthrough, the Iris version stored from
tensorflow/docs) and what TensorFlow 2.21 printed for each, run in order by
``test_guide_custom_training_walkthrough``.

Changed from the tutorial: ``tf.keras.utils.get_file`` downloads of iris_training.csv and iris_test.csv are
replaced by files of the same structure written by a cell (header line, four one-decimal measurements per
row, species index 0-2, drawn around the three species' means with a seeded NumPy generator); ``!head -n5`` is
a Python read; matplotlib is not installed, so the scatter plot and the training-metrics figure print the
values they plot. Paths print as ROOT (the test's temporary directory).
"""

CELLS = [
    (
        """\
import os
""",
        """\
""",
    ),
    (
        """\
print("TensorFlow version: {}".format(tf.__version__))
print("Eager execution: {}".format(tf.executing_eagerly()))
""",
        """\
TensorFlow version: 2.21.0
Eager execution: True
""",
    ),
    (
        '# The tutorial downloads iris_training.csv with tf.keras.utils.get_file; offline, a file of the same\n# structure: a header line (120 rows, 4 features, the 3 species\' names), then four measurements in cm with\n# one decimal and the species\' index, drawn around the three species\' real means.\nrng = np.random.default_rng(0)\nspecies_means = np.array([[5.0, 3.4, 1.5, 0.25], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.5, 2.0]])\nspecies_stds = np.array([[0.35, 0.38, 0.17, 0.1], [0.5, 0.3, 0.47, 0.2], [0.63, 0.32, 0.55, 0.27]])\n\ndef write_iris(path, n):\n  species = rng.integers(0, 3, n)\n  x = np.clip(np.round(species_means[species] + species_stds[species] * rng.normal(size=(n, 4)), 1), 0.1, None)\n  with open(path, "w") as f:\n    f.write("{},4,setosa,versicolor,virginica\\n".format(n))\n    for row, y in zip(x, species):\n      f.write(",".join("{:.1f}".format(v) for v in row) + ",{}\\n".format(y))\n  return os.path.abspath(path)\n\ntrain_dataset_fp = write_iris("iris_training.csv", 120)\n\nprint("Local copy of the dataset file: {}".format(train_dataset_fp))\n',
        """\
Local copy of the dataset file: ROOT/iris_training.csv
""",
    ),
    (
        """\
# !head -n5 {train_dataset_fp}
with open(train_dataset_fp) as f:
  print("".join(f.readlines()[:5]), end="")
""",
        """\
120,4,setosa,versicolor,virginica
6.3,2.6,6.5,1.9,2
6.1,2.7,5.0,1.6,1
6.2,2.1,4.3,1.4,1
5.4,3.2,1.8,0.1,0
""",
    ),
    (
        """\
# column order in CSV file
column_names = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']

feature_names = column_names[:-1]
label_name = column_names[-1]

print("Features: {}".format(feature_names))
print("Label: {}".format(label_name))
""",
        """\
Features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']
Label: species
""",
    ),
    (
        """\
class_names = ['Iris setosa', 'Iris versicolor', 'Iris virginica']
""",
        """\
""",
    ),
    (
        """\
batch_size = 32

train_dataset = tf.data.experimental.make_csv_dataset(
    train_dataset_fp,
    batch_size,
    column_names=column_names,
    label_name=label_name,
    num_epochs=1)
""",
        """\
""",
    ),
    (
        """\
features, labels = next(iter(train_dataset))

print(features)
""",
        """\
OrderedDict([('sepal_length', <tf.Tensor: shape=(32,), dtype=float32, numpy=
array([5.4, 5.2, 6.8, 6.1, 7.9, 7.1, 7.1, 6.5, 5.9, 6.8, 7.3, 7.5, 6.7,
       7. , 4.8, 6.6, 5.7, 6.2, 4.9, 4.9, 4.8, 5.7, 6.9, 4.6, 5.4, 6.3,
       6.1, 6.3, 6.3, 4.6, 4.8, 4.9], dtype=float32)>), ('sepal_width', <tf.Tensor: shape=(32,), dtype=float32, numpy=
array([3.5, 3.4, 2.8, 3.2, 2.9, 2.8, 2.8, 2.7, 2.5, 3. , 3. , 3.4, 2.8,
       3.2, 3.1, 3.1, 2.5, 3.2, 3.2, 3.3, 3. , 3. , 2.9, 3.5, 2.9, 3.2,
       3.3, 2.6, 3.1, 3.2, 2.9, 4. ], dtype=float32)>), ('petal_length', <tf.Tensor: shape=(32,), dtype=float32, numpy=
array([1.5, 1.6, 4.3, 4.3, 4.9, 6.5, 5.3, 5.8, 5. , 5.4, 5.3, 4.2, 4.8,
       5. , 1.5, 5.4, 5. , 4.9, 1.6, 1.1, 1.4, 3.6, 5.4, 1.6, 5. , 3.8,
       5.3, 6.5, 4.7, 1.4, 4. , 1.5], dtype=float32)>), ('petal_width', <tf.Tensor: shape=(32,), dtype=float32, numpy=
array([0.3, 0.3, 1. , 1.5, 2. , 2.1, 2. , 1.9, 2. , 1.8, 2.4, 2.3, 1.6,
       2.2, 0.4, 1.9, 1.3, 1.6, 0.3, 0.2, 0.1, 1.7, 1.9, 0.2, 1.4, 1.2,
       2. , 1.9, 1.7, 0.3, 1.3, 0.4], dtype=float32)>)])
""",
    ),
    (
        """\
# plt.scatter(features['petal_length'], features['sepal_length'], c=labels): the values it plots
print(features['petal_length'])
print(features['sepal_length'])
print(labels)
""",
        """\
tf.Tensor(
[1.5 1.6 4.3 4.3 4.9 6.5 5.3 5.8 5.  5.4 5.3 4.2 4.8 5.  1.5 5.4 5.  4.9
 1.6 1.1 1.4 3.6 5.4 1.6 5.  3.8 5.3 6.5 4.7 1.4 4.  1.5], shape=(32,), dtype=float32)
tf.Tensor(
[5.4 5.2 6.8 6.1 7.9 7.1 7.1 6.5 5.9 6.8 7.3 7.5 6.7 7.  4.8 6.6 5.7 6.2
 4.9 4.9 4.8 5.7 6.9 4.6 5.4 6.3 6.1 6.3 6.3 4.6 4.8 4.9], shape=(32,), dtype=float32)
tf.Tensor([0 0 1 1 2 2 2 2 2 2 2 2 2 2 0 2 1 2 0 0 0 1 2 0 1 1 2 2 1 0 1 0], shape=(32,), dtype=int32)
""",
    ),
    (
        'def pack_features_vector(features, labels):\n  """Pack the features into a single array."""\n  features = tf.stack(list(features.values()), axis=1)\n  return features, labels\n',
        """\
""",
    ),
    (
        """\
train_dataset = train_dataset.map(pack_features_vector)
""",
        """\
""",
    ),
    (
        """\
features, labels = next(iter(train_dataset))

print(features[:5])
""",
        """\
tf.Tensor(
[[5.6 2.6 3.5 1.4]
 [6.9 3.6 5.2 2. ]
 [6.7 3.  3.6 1.7]
 [5.9 2.9 4.6 1.1]
 [7.  2.9 5.7 1.9]], shape=(5, 4), dtype=float32)
""",
    ),
    (
        """\
model = tf.keras.Sequential([
  tf.keras.layers.Dense(10, activation=tf.nn.relu, input_shape=(4,)),  # input shape required
  tf.keras.layers.Dense(10, activation=tf.nn.relu),
  tf.keras.layers.Dense(3)
])
""",
        """\
""",
    ),
    (
        """\
predictions = model(features)
predictions[:5]
""",
        """\
<tf.Tensor: shape=(5, 3), dtype=float32, numpy=
array([[ 1.5364966 ,  0.71506816, -0.11736758],
       [ 1.8884788 ,  0.740389  , -0.2262706 ],
       [ 1.8553334 ,  0.9557601 , -0.1427635 ],
       [ 1.4785609 ,  0.54507434, -0.1980788 ],
       [ 1.9772389 ,  0.7913347 , -0.2281172 ]], dtype=float32)>
""",
    ),
    (
        """\
tf.nn.softmax(predictions[:5])
""",
        """\
<tf.Tensor: shape=(5, 3), dtype=float32, numpy=
array([[0.61307865, 0.26963377, 0.1172876 ],
       [0.69545585, 0.22062795, 0.08391615],
       [0.64836705, 0.26371884, 0.08791408],
       [0.63283855, 0.24881975, 0.11834164],
       [0.70637375, 0.21577586, 0.07785034]], dtype=float32)>
""",
    ),
    (
        """\
print("Prediction: {}".format(tf.argmax(predictions, axis=1)))
print("    Labels: {}".format(labels))
""",
        """\
Prediction: [0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0]
    Labels: [1 2 1 1 2 0 0 0 2 2 2 0 2 0 2 0 1 1 1 2 0 1 1 2 1 1 2 2 0 0 1 1]
""",
    ),
    (
        """\
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
""",
        """\
""",
    ),
    (
        """\
def loss(model, x, y, training):
  # training=training is needed only if there are layers with different
  # behavior during training versus inference (e.g. Dropout).
  y_ = model(x, training=training)

  return loss_object(y_true=y, y_pred=y_)


l = loss(model, features, labels, training=False)
print("Loss test: {}".format(l))
""",
        """\
Loss test: 1.5791008472442627
""",
    ),
    (
        """\
def grad(model, inputs, targets):
  with tf.GradientTape() as tape:
    loss_value = loss(model, inputs, targets, training=True)
  return loss_value, tape.gradient(loss_value, model.trainable_variables)
""",
        """\
""",
    ),
    (
        """\
optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)
""",
        """\
""",
    ),
    (
        """\
loss_value, grads = grad(model, features, labels)

print("Step: {}, Initial Loss: {}".format(optimizer.iterations.numpy(),
                                          loss_value.numpy()))

optimizer.apply_gradients(zip(grads, model.trainable_variables))

print("Step: {},         Loss: {}".format(optimizer.iterations.numpy(),
                                          loss(model, features, labels, training=True).numpy()))
""",
        """\
Step: 0, Initial Loss: 1.5791008472442627
Step: 1,         Loss: 1.5174164772033691
""",
    ),
    (
        """\
## Note: Rerunning this cell uses the same model variables

# Keep results for plotting
train_loss_results = []
train_accuracy_results = []

num_epochs = 201

for epoch in range(num_epochs):
  epoch_loss_avg = tf.keras.metrics.Mean()
  epoch_accuracy = tf.keras.metrics.SparseCategoricalAccuracy()

  # Training loop - using batches of 32
  for x, y in train_dataset:
    # Optimize the model
    loss_value, grads = grad(model, x, y)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))

    # Track progress
    epoch_loss_avg.update_state(loss_value)  # Add current batch loss
    # Compare predicted label to actual label
    # training=True is needed only if there are layers with different
    # behavior during training versus inference (e.g. Dropout).
    epoch_accuracy.update_state(y, model(x, training=True))

  # End epoch
  train_loss_results.append(epoch_loss_avg.result())
  train_accuracy_results.append(epoch_accuracy.result())

  if epoch % 50 == 0:
    print("Epoch {:03d}: Loss: {:.3f}, Accuracy: {:.3%}".format(epoch,
                                                                epoch_loss_avg.result(),
                                                                epoch_accuracy.result()))
""",
        """\
Epoch 000: Loss: 1.487, Accuracy: 26.667%
Epoch 050: Loss: 1.027, Accuracy: 66.667%
Epoch 100: Loss: 0.785, Accuracy: 64.167%
Epoch 150: Loss: 0.633, Accuracy: 69.167%
Epoch 200: Loss: 0.536, Accuracy: 76.667%
""",
    ),
    (
        """\
# The "Training Metrics" figure (matplotlib): the values of its two curves
print(len(train_loss_results), train_loss_results[0], train_loss_results[-1])
print(len(train_accuracy_results), train_accuracy_results[0], train_accuracy_results[-1])
""",
        """\
201 tf.Tensor(1.4870646, shape=(), dtype=float32) tf.Tensor(0.5355302, shape=(), dtype=float32)
201 tf.Tensor(0.26666668, shape=(), dtype=float32) tf.Tensor(0.76666665, shape=(), dtype=float32)
""",
    ),
    (
        """\
# iris_test.csv, downloaded in the tutorial: 30 rows of the same structure
test_fp = write_iris("iris_test.csv", 30)
""",
        """\
""",
    ),
    (
        """\
test_dataset = tf.data.experimental.make_csv_dataset(
    test_fp,
    batch_size,
    column_names=column_names,
    label_name='species',
    num_epochs=1,
    shuffle=False)

test_dataset = test_dataset.map(pack_features_vector)
""",
        """\
""",
    ),
    (
        """\
test_accuracy = tf.keras.metrics.Accuracy()

for (x, y) in test_dataset:
  # training=False is needed only if there are layers with different
  # behavior during training versus inference (e.g. Dropout).
  logits = model(x, training=False)
  prediction = tf.argmax(logits, axis=1, output_type=tf.int32)
  test_accuracy(prediction, y)

print("Test set accuracy: {:.3%}".format(test_accuracy.result()))
""",
        """\
Test set accuracy: 83.333%
""",
    ),
    (
        """\
tf.stack([y,prediction],axis=1)
""",
        """\
<tf.Tensor: shape=(30, 2), dtype=int32, numpy=
array([[0, 0],
       [1, 2],
       [1, 2],
       [0, 0],
       [0, 0],
       [2, 2],
       [0, 0],
       [0, 0],
       [1, 2],
       [2, 2],
       [1, 1],
       [1, 1],
       [2, 2],
       [1, 2],
       [1, 1],
       [2, 2],
       [2, 2],
       [0, 0],
       [2, 2],
       [0, 0],
       [2, 2],
       [0, 0],
       [2, 2],
       [0, 0],
       [2, 2],
       [1, 1],
       [1, 2],
       [0, 0],
       [0, 0],
       [2, 2]], dtype=int32)>
""",
    ),
    (
        """\
predict_dataset = tf.convert_to_tensor([
    [5.1, 3.3, 1.7, 0.5,],
    [5.9, 3.0, 4.2, 1.5,],
    [6.9, 3.1, 5.4, 2.1]
])

# training=False is needed only if there are layers with different
# behavior during training versus inference (e.g. Dropout).
predictions = model(predict_dataset, training=False)

for i, logits in enumerate(predictions):
  class_idx = tf.argmax(logits).numpy()
  p = tf.nn.softmax(logits)[class_idx]
  name = class_names[class_idx]
  print("Example {} prediction: {} ({:4.1f}%)".format(i, name, 100*p))
""",
        """\
Example 0 prediction: Iris setosa (92.8%)
Example 1 prediction: Iris virginica (45.1%)
Example 2 prediction: Iris virginica (61.3%)
""",
    ),
]
