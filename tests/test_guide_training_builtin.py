# ruff: noqa: E501
"""Keras's "Training & evaluation with the built-in methods" guide, first part: the end-to-end
example, compile(), custom losses and metrics, a layer's add_loss().

CELLS = [(code, expected normalized output)]. The expected texts are what TensorFlow 2.21 (Keras 3)
prints for each cell, with numbers in progress bars masked by ``guide_training_builtin_setup.normalize``
(values and timings depend on the random initialisation; the structure does not).
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_training_builtin_setup import run_guide

CELLS = [
    (
        """\
inputs = keras.Input(shape=(784,), name="digits")
x = layers.Dense(64, activation="relu", name="dense_1")(inputs)
x = layers.Dense(64, activation="relu", name="dense_2")(x)
outputs = layers.Dense(10, activation="softmax", name="predictions")(x)

model = keras.Model(inputs=inputs, outputs=outputs)
""",
        "",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(),  # Optimizer
    # Loss function to minimize
    loss=keras.losses.SparseCategoricalCrossentropy(),
    # List of metrics to monitor
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
""",
        "",
    ),
    (
        """\
print("Fit model on training data")
history = model.fit(
    x_train,
    y_train,
    batch_size=64,
    epochs=2,
    # We pass some validation for
    # monitoring validation loss and metrics
    # at the end of each epoch
    validation_data=(x_val, y_val),
)
""",
        """\
Fit model on training data
Epoch 1/2
79/79 [bar] - loss: F - sparse_categorical_accuracy: F - val_loss: F - val_sparse_categorical_accuracy: F
Epoch 2/2
79/79 [bar] - loss: F - sparse_categorical_accuracy: F - val_loss: F - val_sparse_categorical_accuracy: F
""",
    ),
    (
        """\
history.history
""",
        """\
{'loss': [F, F], 'sparse_categorical_accuracy': [F, F], 'val_loss': [F, F], 'val_sparse_categorical_accuracy': [F, F]}
""",
    ),
    (
        """\
# Evaluate the model on the test data using `evaluate`
print("Evaluate on test data")
results = model.evaluate(x_test, y_test, batch_size=128)
print("test loss, test acc:", results)

# Generate predictions (probabilities -- the output of the last layer)
# on new data using `predict`
print("Generate predictions for 3 samples")
predictions = model.predict(x_test[:3])
print("predictions shape:", predictions.shape)
""",
        """\
Evaluate on test data
8/8 [bar] - loss: F - sparse_categorical_accuracy: F
test loss, test acc: [F, F]
Generate predictions for 3 samples
1/1 [bar]
predictions shape: (3, 10)
""",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
model.compile(
    optimizer="rmsprop",
    loss="sparse_categorical_crossentropy",
    metrics=["sparse_categorical_accuracy"],
)
""",
        "",
    ),
    (
        """\
def custom_mean_squared_error(y_true, y_pred):
    return ops.mean(ops.square(y_true - y_pred), axis=-1)


model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.Adam(), loss=custom_mean_squared_error)

# We need to one-hot encode the labels to use MSE
y_train_one_hot = ops.one_hot(y_train, num_classes=10)
model.fit(x_train, y_train_one_hot, batch_size=64, epochs=1)
""",
        """\
79/79 [bar] - loss: F
<History object>
""",
    ),
    (
        """\
class CustomMSE(keras.losses.Loss):
    def __init__(self, regularization_factor=0.1, name="custom_mse"):
        super().__init__(name=name)
        self.regularization_factor = regularization_factor

    def call(self, y_true, y_pred):
        mse = ops.mean(ops.square(y_true - y_pred), axis=-1)
        reg = ops.mean(ops.square(0.5 - y_pred), axis=-1)
        return mse + reg * self.regularization_factor


model = get_uncompiled_model()
model.compile(optimizer=keras.optimizers.Adam(), loss=CustomMSE())

y_train_one_hot = ops.one_hot(y_train, num_classes=10)
model.fit(x_train, y_train_one_hot, batch_size=64, epochs=1)
""",
        """\
79/79 [bar] - loss: F
<History object>
""",
    ),
    (
        """\
class CategoricalTruePositives(keras.metrics.Metric):
    def __init__(self, name="categorical_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(
            shape=(), name="ctp", initializer="zeros"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.reshape(ops.argmax(y_pred, axis=1), (-1, 1))
        values = ops.cast(y_true, "int32") == ops.cast(y_pred, "int32")
        values = ops.cast(values, "float32")
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, "float32")
            values = ops.multiply(values, sample_weight)
        self.true_positives.assign_add(ops.sum(values))

    def result(self):
        return self.true_positives

    def reset_state(self):
        # The state of the metric will be reset at the start of each epoch.
        self.true_positives.assign(0.0)


model = get_uncompiled_model()
model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(),
    metrics=[CategoricalTruePositives()],
)
model.fit(x_train, y_train, batch_size=64, epochs=3)
""",
        """\
Epoch 1/3
79/79 [bar] - categorical_true_positives: F - loss: F
Epoch 2/3
79/79 [bar] - categorical_true_positives: F - loss: F
Epoch 3/3
79/79 [bar] - categorical_true_positives: F - loss: F
<History object>
""",
    ),
    (
        """\
class ActivityRegularizationLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(ops.sum(inputs) * 0.1)
        return inputs  # Pass-through layer.


inputs = keras.Input(shape=(784,), name="digits")
x = layers.Dense(64, activation="relu", name="dense_1")(inputs)

# Insert activity regularization as a layer
x = ActivityRegularizationLayer()(x)

x = layers.Dense(64, activation="relu", name="dense_2")(x)
outputs = layers.Dense(10, name="predictions")(x)

model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)

# The displayed loss will be much higher than before
# due to the regularization component.
model.fit(x_train, y_train, batch_size=64, epochs=1)
""",
        """\
79/79 [bar] - loss: F
<History object>
""",
    ),
]


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_end_to_end_example_learns(guide: tuple) -> None:
    """Values are masked in the cells' texts; what they must show is that the model learned."""
    ns = guide[1]
    history = ns["history"].history
    assert history["loss"][1] < history["loss"][0]
    assert history["val_sparse_categorical_accuracy"][1] > 0.8
    loss, acc = ns["results"]
    assert 0.0 < loss < 1.0 and acc > 0.8


def test_custom_metric_counts_broadcast_matches(guide: tuple) -> None:
    """The guide's CategoricalTruePositives compares y_true of shape (batch,) with argmax of shape
    (batch, 1): that broadcasts to (batch, batch), so its count exceeds the sample count, as in Keras."""
    metric = guide[1]["CategoricalTruePositives"]()
    y_true = np.array([0.0, 1.0, 1.0])
    y_pred = np.eye(3, dtype="float32")[[0, 1, 2]]
    metric.update_state(y_true, y_pred)
    # pairs (i, j) with y_true[j] == argmax(y_pred[i]): i=0 -> j=0; i=1 -> j=1, 2; i=2 -> none
    assert float(metric.result()) == 3.0
    metric.reset_state()
    assert float(metric.result()) == 0.0
