# ruff: noqa: E501
"""Keras's "Writing a training loop from scratch in TensorFlow" guide
(https://keras.io/guides/writing_a_custom_training_loop_in_tensorflow/), first part: an MNIST model
trained batch by batch with ``GradientTape`` and ``optimizer.apply``, then with metrics updated and reset
by hand (the ``tf.function`` steps are in ``test_guide_training_loop_from_scratch_function``).

The cells run in order with ``import ferroflow as tf`` (``keras = tf.keras``); each expected text is what
TensorFlow 2.21 / Keras 3 prints for the same cell, normalized as in ``guide_training_builtin_setup``
(every decimal number masked). The guide trains on 50,000 MNIST images; here on the first 4,000 (the next
1,000 held out for validation), which still gives the guide's "step 100" lines (125 batches of 32). The
printed losses and accuracies are random (random weights, shuffled batches), so their digits are not
compared: the setup cell seeds with ``keras.utils.set_random_seed(1337)`` and the tests below check
behaviour (the loss going down, the validation accuracy).
"""

from __future__ import annotations

import re

import pytest

from guide_cells import run_cells
from guide_training_builtin_setup import normalize
from guide_training_loop_setup import SETUP_CELLS

CELLS = [
    *SETUP_CELLS,
    (
        """\
epochs = 3
for epoch in range(epochs):
    print(f"\\nStart of epoch {epoch}")

    # Iterate over the batches of the dataset.
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        # Open a GradientTape to record the operations run
        # during the forward pass, which enables auto-differentiation.
        with tf.GradientTape() as tape:
            # Run the forward pass of the layer.
            # The operations that the layer applies
            # to its inputs are going to be recorded
            # on the GradientTape.
            logits = model(x_batch_train, training=True)  # Logits for this minibatch

            # Compute the loss value for this minibatch.
            loss_value = loss_fn(y_batch_train, logits)

        # Use the gradient tape to automatically retrieve
        # the gradients of the trainable variables with respect to the loss.
        grads = tape.gradient(loss_value, model.trainable_weights)

        # Run one step of gradient descent by updating
        # the value of the variables to minimize the loss.
        optimizer.apply(grads, model.trainable_weights)

        # Log every 100 batches.
        if step % 100 == 0:
            print(
                f"Training loss (for 1 batch) at step {step}: {float(loss_value):.4f}"
            )
            print(f"Seen so far: {(step + 1) * batch_size} samples")
""",
        """\

Start of epoch 0
Training loss (for 1 batch) at step 0: F
Seen so far: 32 samples
Training loss (for 1 batch) at step 100: F
Seen so far: 3232 samples

Start of epoch 1
Training loss (for 1 batch) at step 0: F
Seen so far: 32 samples
Training loss (for 1 batch) at step 100: F
Seen so far: 3232 samples

Start of epoch 2
Training loss (for 1 batch) at step 0: F
Seen so far: 32 samples
Training loss (for 1 batch) at step 100: F
Seen so far: 3232 samples
""",
    ),
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
epochs = 2
for epoch in range(epochs):
    print(f"\\nStart of epoch {epoch}")
    start_time = time.time()

    # Iterate over the batches of the dataset.
    for step, (x_batch_train, y_batch_train) in enumerate(train_dataset):
        with tf.GradientTape() as tape:
            logits = model(x_batch_train, training=True)
            loss_value = loss_fn(y_batch_train, logits)
        grads = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply(grads, model.trainable_weights)

        # Update training metric.
        train_acc_metric.update_state(y_batch_train, logits)

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
        val_logits = model(x_batch_val, training=False)
        # Update val metrics
        val_acc_metric.update_state(y_batch_val, val_logits)
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
]


@pytest.fixture(scope="module")
def guide() -> tuple:
    ns: dict = {}
    raw = run_cells(CELLS, ns)
    return [normalize(text) for text in raw], ns, raw


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_training_loops_learn(guide: tuple) -> None:
    """Each loop's printed batch losses: step 100's is below step 0's in every epoch's first lines; the
    second loop's validation accuracy is well above chance."""
    raw = guide[2]
    for index in (3, 5):
        losses = [float(v) for v in re.findall(r"at step \d+: ([0-9.]+)", raw[index])]
        assert losses[1] < losses[0], (index, losses)
    accuracies = [float(v) for v in re.findall(r"Validation acc: ([0-9.]+)", raw[5])]
    assert len(accuracies) == 2 and min(accuracies) > 0.7
