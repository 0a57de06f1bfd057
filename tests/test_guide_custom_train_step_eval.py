# ruff: noqa: E501
"""Keras's "Customizing what happens in fit() with TensorFlow" guide
(https://keras.io/guides/custom_train_step_in_tensorflow/), second part: a ``train_step`` that supports
``sample_weight`` and a ``test_step`` override, both using ``self.compute_loss`` and the compiled metrics.

The cells run in order with ``import ferroflow as tf`` (``keras = tf.keras``); each expected text is what
TensorFlow 2.21 / Keras 3 prints for the same cell, normalized as in ``guide_training_builtin_setup``
(progress bars, and every decimal number, masked). The losses are random (random data and weights), so
the digits are not compared: the setup cell seeds with ``keras.utils.set_random_seed(1337)`` and the tests
check log names and order, that the loss goes down, and evaluate's values against NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_cells import run_cells
from guide_training_builtin_setup import normalize

CELLS = [
    (
        """\
import os
keras = tf.keras
layers = keras.layers
keras.utils.set_random_seed(1337)
""",
        "",
    ),
    (
        """\
class CustomModel(keras.Model):
    def train_step(self, data):
        # Unpack the data. Its structure depends on your model and
        # on what you pass to `fit()`.
        if len(data) == 3:
            x, y, sample_weight = data
        else:
            sample_weight = None
            x, y = data

        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)  # Forward pass
            # Compute the loss value.
            # The loss function is configured in `compile()`.
            loss = self.compute_loss(
                y=y,
                y_pred=y_pred,
                sample_weight=sample_weight,
            )

        # Compute gradients
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)

        # Update weights
        self.optimizer.apply(gradients, trainable_vars)

        # Update the metrics.
        # Metrics are configured in `compile()`.
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)

        # Return a dict mapping metric names to current value.
        # Note that it will include the loss (tracked in self.metrics).
        return {m.name: m.result() for m in self.metrics}


# Construct and compile an instance of CustomModel
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])

# You can now use sample_weight argument
x = np.random.random((1000, 32))
y = np.random.random((1000, 1))
sw = np.random.random((1000, 1))
model.fit(x, y, sample_weight=sw, epochs=3)
""",
        """\
Epoch 1/3
32/32 [bar] - mae: F - loss: F
Epoch 2/3
32/32 [bar] - mae: F - loss: F
Epoch 3/3
32/32 [bar] - mae: F - loss: F
<History object>
""",
    ),
    (
        """\
class CustomModel(keras.Model):
    def test_step(self, data):
        # Unpack the data
        x, y = data
        # Compute predictions
        y_pred = self(x, training=False)
        # Updates the metrics tracking the loss
        loss = self.compute_loss(y=y, y_pred=y_pred)
        # Update the metrics.
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        # Return a dict mapping metric names to current value.
        # Note that it will include the loss (tracked in self.metrics).
        return {m.name: m.result() for m in self.metrics}


# Construct an instance of CustomModel
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
model.compile(loss="mse", metrics=["mae"])

# Evaluate with our custom test_step
x = np.random.random((1000, 32))
y = np.random.random((1000, 1))
model.evaluate(x, y)
""",
        """\
32/32 [bar] - mae: F - loss: F
[F, F]
""",
    ),
]


@pytest.fixture(scope="module")
def guide() -> tuple:
    ns: dict = {}
    return [normalize(text) for text in run_cells(CELLS, ns)], ns


def _run(*indices: int) -> dict:
    ns: dict = {}
    out = run_cells([CELLS[i] for i in indices], ns)
    assert not any("EXC" in text for text in out), out
    return ns


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_sample_weight_step() -> None:
    """The ``sample_weight`` override receives ``(x, y, sample_weight)`` and trains."""
    ns = _run(0, 1)
    history = ns["model"].history.history
    assert list(history) == ["mae", "loss"] and history["loss"][-1] < history["loss"][0]


def test_custom_test_step_values(guide: tuple) -> None:
    """The ``test_step`` override's evaluate returns ``[loss, mae]`` (Keras 3's order) of the model's
    predictions, computed here with NumPy: the loss tracker gets one unweighted value per batch of 32 (the
    last batch has 8 rows), so the loss is the mean of the batches' losses; MAE is over all rows."""
    ns = guide[1]
    model, x, y = ns["model"], ns["x"], ns["y"]
    loss, mae = model.evaluate(x, y, verbose=0)
    pred = model.predict(x, verbose=0)
    batch_losses = [np.mean((pred[i : i + 32] - y[i : i + 32]) ** 2) for i in range(0, len(y), 32)]
    assert loss == pytest.approx(np.mean(batch_losses), rel=1e-4)
    assert mae == pytest.approx(np.mean(np.abs(pred - y)), rel=1e-4)
