# ruff: noqa: E501
"""Keras's "Writing a training loop from scratch in TensorFlow" guide
(https://keras.io/guides/writing_a_custom_training_loop_in_tensorflow/), ``tf.function`` part: the
training and evaluation steps compiled with ``tf.function`` (the guide's setup, model, data and metrics
cells first), and a step adding the losses a layer's ``add_loss`` created.

The cells run in order with ``import ferroflow as tf`` (``keras = tf.keras``); each expected text is what
TensorFlow 2.21 / Keras 3 prints for the same cell, normalized as in ``guide_training_builtin_setup``
(every decimal number masked). The guide trains on 50,000 MNIST images; here on the first 4,000 (the next
1,000 held out for validation), which still gives the guide's "step 100" lines (125 batches of 32). The
printed losses and accuracies are random (random weights, shuffled batches), so their digits are not
compared: the setup cell seeds with ``keras.utils.set_random_seed(1337)`` and the tests below check
behaviour (the loss going down, the validation accuracy, the add_loss step's value).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from guide_cells import run_cells
from guide_training_builtin_setup import normalize
from guide_training_loop_setup import SETUP_CELLS

CELLS = [
    *SETUP_CELLS,
    (
        """\
# Get a fresh model
model = get_model()

# Instantiate an optimizer to train the model.
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
# Instantiate a loss function.
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

# Prepare the metrics.
train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
val_acc_metric = keras.metrics.SparseCategoricalAccuracy()
""",
        "",
    ),
    (
        """\
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)
    train_acc_metric.update_state(y, logits)
    return loss_value
""",
        "",
    ),
    (
        """\
@tf.function
def test_step(x, y):
    val_logits = model(x, training=False)
    val_acc_metric.update_state(y, val_logits)
""",
        "",
    ),
    (
        """\
epochs = 2
for epoch in range(epochs):
    print(f"\\nStart of epoch {epoch}")
    start_time = time.time()

    # Iterate over the batches of the dataset.
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        loss_value = train_step(x_batch_train, y_batch_train)

        # Log every 100 batches.
        if step % 100 == 0:
            print(
                f"Training loss (for 1 batch) at step {step}: {float(loss_value):.4f}"
            )
            print(f"Seen so far: {(step + 1) * batch_size} samples")

    # Display metrics at the end of each epoch.
    train_acc = train_acc_metric.result()
    print(f"Training acc over epoch: {float(train_acc):.4f}")

    # Reset training metrics at the end of each epoch
    train_acc_metric.reset_state()

    # Run a validation loop at the end of each epoch.
    for x_batch_val, y_batch_val in val_dataset:
        test_step(x_batch_val, y_batch_val)

    val_acc = val_acc_metric.result()
    val_acc_metric.reset_state()
    print(f"Validation acc: {float(val_acc):.4f}")
    print(f"Time taken: {time.time() - start_time:.2f}s")
""",
        """\

Start of epoch 0
Training loss (for 1 batch) at step 0: F
Seen so far: 32 samples
Training loss (for 1 batch) at step 100: F
Seen so far: 3232 samples
Training acc over epoch: F
Validation acc: F
Time taken: Fs

Start of epoch 1
Training loss (for 1 batch) at step 0: F
Seen so far: 32 samples
Training loss (for 1 batch) at step 100: F
Seen so far: 3232 samples
Training acc over epoch: F
Validation acc: F
Time taken: Fs
""",
    ),
    (
        """\
class ActivityRegularizationLayer(keras.layers.Layer):
    def call(self, inputs):
        self.add_loss(1e-2 * tf.reduce_sum(inputs))
        return inputs
""",
        "",
    ),
    (
        """\
inputs = keras.Input(shape=(784,), name="digits")
x = keras.layers.Dense(64, activation="relu")(inputs)
# Insert activity regularization as a layer
x = ActivityRegularizationLayer()(x)
x = keras.layers.Dense(64, activation="relu")(x)
outputs = keras.layers.Dense(10, name="predictions")(x)

model = keras.Model(inputs=inputs, outputs=outputs)
""",
        "",
    ),
    (
        """\
@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss_value = loss_fn(y, logits)
        # Add any extra losses created during the forward pass.
        loss_value += sum(model.losses)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply(grads, model.trainable_weights)
    train_acc_metric.update_state(y, logits)
    return loss_value
""",
        "",
    ),
]


@pytest.fixture(scope="module")
def guide() -> tuple:
    ns: dict = {}
    raw = run_cells(CELLS, ns)
    return [normalize(text) for text in raw], ns, raw


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_compiled_loop_learns(guide: tuple) -> None:
    """The tf.function loop's printed batch losses go down from step 0 to step 100, and its validation
    accuracy is well above chance and is what ``val_acc`` holds."""
    raw, ns = guide[2], guide[1]
    losses = [float(v) for v in re.findall(r"at step \d+: ([0-9.]+)", raw[6])]
    assert losses[1] < losses[0], losses
    accuracies = [float(v) for v in re.findall(r"Validation acc: ([0-9.]+)", raw[6])]
    assert len(accuracies) == 2 and min(accuracies) > 0.7
    assert float(ns["val_acc"]) == pytest.approx(accuracies[-1], abs=1e-4)


def test_add_loss_step_value(guide: tuple) -> None:
    """The last train_step returns the batch's crossentropy plus the activity regularization loss
    (1e-2 times the sum of the first layer's activations), computed here with the same weights first. The
    guide defines this step without running it; it gets a new optimizer here, since the guide's was built for
    the earlier model's variables (Keras's optimizer refuses others too)."""
    ns = guide[1]
    ns["optimizer"] = ns["keras"].optimizers.Adam(learning_rate=1e-3)
    model, loss_fn = ns["model"], ns["loss_fn"]
    x, y = ns["x_val"][:32].astype("float32"), ns["y_val"][:32]
    hidden = np.maximum(x @ model.layers[1].kernel.numpy() + model.layers[1].bias.numpy(), 0.0)
    expected = float(loss_fn(y, model(x))) + 1e-2 * hidden.sum()
    assert float(ns["train_step"](x, y)) == pytest.approx(expected, rel=1e-4)
