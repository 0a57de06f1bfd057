"""The code cells of TensorFlow's tutorial "Load NumPy data" (tensorflow/docs
``site/en/tutorials/load_data/numpy.ipynb``, stored version 945a448), with ``import ferroflow as tf``.

Change from the notebook, made identically for both libraries: ``tf.keras.utils.get_file('mnist.npz', ...)``
is the path of a ``mnist.npz`` with the same four arrays (``x_train``, ``y_train``, ``x_test``, ``y_test``)
built from ``$FERROFLOW_DATASETS/mnist`` in the working directory."""

CELLS = [
    """\

import numpy as np
import ferroflow as tf
""",
    """\
DATA_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz'

path = 'mnist.npz'  # tf.keras.utils.get_file('mnist.npz', DATA_URL)
with np.load(path) as data:
  train_examples = data['x_train']
  train_labels = data['y_train']
  test_examples = data['x_test']
  test_labels = data['y_test']
""",
    """\
train_dataset = tf.data.Dataset.from_tensor_slices((train_examples, train_labels))
test_dataset = tf.data.Dataset.from_tensor_slices((test_examples, test_labels))
""",
    """\
BATCH_SIZE = 64
SHUFFLE_BUFFER_SIZE = 100

train_dataset = train_dataset.shuffle(SHUFFLE_BUFFER_SIZE).batch(BATCH_SIZE)
test_dataset = test_dataset.batch(BATCH_SIZE)
""",
    """\
model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10)
])

model.compile(optimizer=tf.keras.optimizers.RMSprop(),
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['sparse_categorical_accuracy'])
""",
    """\
model.fit(train_dataset, epochs=10)
""",
    """\
model.evaluate(test_dataset)
""",
]
