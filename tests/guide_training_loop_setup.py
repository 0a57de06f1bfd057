# ruff: noqa: E501
"""The first three cells of Keras's "Writing a training loop from scratch in TensorFlow" guide (imports and
seed, the MNIST model, optimizer, loss and datasets), which both of its test modules run before their own
cells: ``test_guide_training_loop_from_scratch`` and ``test_guide_training_loop_from_scratch_function``."""

SETUP_CELLS = [
    (
        """\
import time
import os
keras = tf.keras
keras.utils.set_random_seed(1337)
""",
        "",
    ),
    (
        """\
def get_model():
    inputs = keras.Input(shape=(784,), name="digits")
    x1 = keras.layers.Dense(64, activation="relu")(inputs)
    x2 = keras.layers.Dense(64, activation="relu")(x1)
    outputs = keras.layers.Dense(10, name="predictions")(x2)
    model = keras.Model(inputs=inputs, outputs=outputs)
    return model


model = get_model()
""",
        "",
    ),
    (
        """\
# Instantiate an optimizer.
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
# Instantiate a loss function.
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

# Prepare the training dataset.
batch_size = 32
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = np.reshape(x_train[:5000], (-1, 784))
y_train = y_train[:5000]
x_test = np.reshape(x_test, (-1, 784))

# Reserve 1,000 samples for validation.
x_val = x_train[-1000:]
y_val = y_train[-1000:]
x_train = x_train[:-1000]
y_train = y_train[:-1000]

# Prepare the training dataset.
train_dataset = tf.data.Dataset.from_tensor_slices((x_train, y_train))
train_dataset = train_dataset.shuffle(buffer_size=1024).batch(batch_size)

# Prepare the validation dataset.
val_dataset = tf.data.Dataset.from_tensor_slices((x_val, y_val))
val_dataset = val_dataset.batch(batch_size)
""",
        "",
    ),
]
