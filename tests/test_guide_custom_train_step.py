# ruff: noqa: E501
"""Keras's "Customizing what happens in fit() with TensorFlow" guide
(https://keras.io/guides/custom_train_step_in_tensorflow/), first part: a ``train_step`` override using
``self.compute_loss`` and the compiled metrics through ``self.metrics``, one with its own ``Mean``
trackers listed by a ``metrics`` property. The ``sample_weight`` and ``test_step`` sections are in
``test_guide_custom_train_step_eval``, the GAN in ``test_guide_custom_train_step_gan``.

The cells run in order with ``import ferroflow as tf`` (``keras = tf.keras``); each expected text is
what TensorFlow 2.21 / Keras 3 prints for the same cell, normalized as in ``guide_training_builtin_setup``
(progress bars, and every decimal number, masked). The guide's losses are random (random data and weights),
so the digits are not compared: the setup cell seeds with ``keras.utils.set_random_seed(1337)`` and the
tests below check behaviour instead (log names and order, the loss decreasing, evaluate's values against
NumPy, metric resets).
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
        x, y = data

        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)  # Forward pass
            # Compute the loss value
            # (the loss function is configured in `compile()`)
            loss = self.compute_loss(y=y, y_pred=y_pred)

        # Compute gradients
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)

        # Update weights
        self.optimizer.apply(gradients, trainable_vars)

        # Update metrics (includes the metric that tracks the loss)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)

        # Return a dict mapping metric names to current value
        return {m.name: m.result() for m in self.metrics}
""",
        "",
    ),
    (
        """\
# Construct and compile an instance of CustomModel
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)
model.compile(optimizer="adam", loss="mse", metrics=["mae"])

# Just use `fit` as usual
x = np.random.random((1000, 32))
y = np.random.random((1000, 1))
model.fit(x, y, epochs=3)
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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_fn = keras.losses.MeanSquaredError()

    def train_step(self, data):
        x, y = data

        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)  # Forward pass
            # Compute our own loss
            loss = self.loss_fn(y, y_pred)

        # Compute gradients
        trainable_vars = self.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)

        # Update weights
        self.optimizer.apply(gradients, trainable_vars)

        # Compute our own metrics
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {
            "loss": self.loss_tracker.result(),
            "mae": self.mae_metric.result(),
        }

    @property
    def metrics(self):
        # We list our `Metric` objects here so that `reset_states()` can be
        # called automatically at the start of each epoch
        # or at the start of `evaluate()`.
        return [self.loss_tracker, self.mae_metric]


# Construct an instance of CustomModel
inputs = keras.Input(shape=(32,))
outputs = keras.layers.Dense(1)(inputs)
model = CustomModel(inputs, outputs)

# We don't pass a loss or metrics here.
model.compile(optimizer="adam")

# Just use `fit` as usual -- you can use callbacks, etc.
x = np.random.random((1000, 32))
y = np.random.random((1000, 1))
model.fit(x, y, epochs=5)
""",
        """\
Epoch 1/5
32/32 [bar] - loss: F - mae: F
Epoch 2/5
32/32 [bar] - loss: F - mae: F
Epoch 3/5
32/32 [bar] - loss: F - mae: F
Epoch 4/5
32/32 [bar] - loss: F - mae: F
Epoch 5/5
32/32 [bar] - loss: F - mae: F
<History object>
""",
    ),
]


@pytest.fixture(scope="module")
def guide() -> tuple:
    ns: dict = {}
    return [normalize(text) for text in run_cells(CELLS, ns)], ns


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def _run(*indices: int) -> dict:
    ns: dict = {}
    out = run_cells([CELLS[i] for i in indices], ns)
    assert not any("EXC" in text for text in out), out
    return ns


def test_compute_loss_step_learns_and_logs_compiled_metrics() -> None:
    """The first override: fit logs the compiled ``mae`` beside the loss, the loss goes down, and
    ``model.metrics_names`` is Keras 3's ``['loss', 'compile_metrics']``."""
    ns = _run(0, 1, 2)
    model = ns["model"]
    history = model.history.history
    assert list(history) == ["mae", "loss"] and len(history["loss"]) == 3
    assert history["loss"][-1] < history["loss"][0]
    assert model.metrics_names == ["loss", "compile_metrics"]
    logs = model.evaluate(ns["x"], ns["y"], verbose=0, return_dict=True)
    pred = model.predict(ns["x"], verbose=0)
    assert logs["loss"] == pytest.approx(np.mean((pred - ns["y"]) ** 2), rel=1e-4)
    assert logs["mae"] == pytest.approx(np.mean(np.abs(pred - ns["y"])), rel=1e-4)


def test_own_trackers_in_the_metrics_property() -> None:
    """The lower-level override: compile gets only the optimizer, the model's ``metrics`` property lists its
    two trackers (so ``reset_metrics`` reaches them), and the loss goes down over the five epochs."""
    ns = _run(0, 3)
    model = ns["model"]
    history = model.history.history
    assert list(history) == ["loss", "mae"] and len(history["mae"]) == 5
    assert history["loss"][-1] < history["loss"][0]
    assert model.metrics == [model.loss_tracker, model.mae_metric]
    assert float(model.mae_metric.result()) == pytest.approx(history["mae"][-1], rel=1e-5)
    model.reset_metrics()
    assert float(model.mae_metric.result()) == 0.0
