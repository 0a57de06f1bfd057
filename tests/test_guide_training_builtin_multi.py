# ruff: noqa: E501
"""Keras's "Training & evaluation with the built-in methods" guide, third part: the two-input model
whose LogisticEndpoint layer adds its loss with add_loss (compiled without a loss), and a model with an image
and a time-series input and two outputs, compiled with loss and metric lists, dicts, loss_weights and
None losses, fitted on lists, dicts and a Dataset of dicts.

The expected texts are TensorFlow 2.21's (Keras 3), normalized as in ``guide_training_builtin_setup``.
The guide's ``keras.utils.plot_model`` cell is left out: it needs pydot and graphviz.
"""

from __future__ import annotations

import pytest

from guide_cells import cell_indices
from guide_training_builtin_setup import run_guide

CELLS = [
    (
        """\
class LogisticEndpoint(keras.layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, targets, logits, sample_weights=None):
        # Compute the training-time loss value and add it
        # to the layer using `self.add_loss()`.
        loss = self.loss_fn(targets, logits, sample_weights)
        self.add_loss(loss)

        # Return the inference-time prediction tensor (for `.predict()`).
        return ops.softmax(logits)


inputs = keras.Input(shape=(3,), name="inputs")
targets = keras.Input(shape=(10,), name="targets")
logits = keras.layers.Dense(10)(inputs)
predictions = LogisticEndpoint(name="predictions")(targets, logits)

model = keras.Model(inputs=[inputs, targets], outputs=predictions)
model.compile(optimizer="adam")  # No loss argument!

data = {
    "inputs": np.random.random((3, 3)),
    "targets": np.random.random((3, 10)),
}
model.fit(data)
""",
        """\
1/1 [bar] - loss: F
<History object>
""",
    ),
    (
        """\
image_input = keras.Input(shape=(32, 32, 3), name="img_input")
timeseries_input = keras.Input(shape=(None, 10), name="ts_input")

x1 = layers.Conv2D(3, 3)(image_input)
x1 = layers.GlobalMaxPooling2D()(x1)

x2 = layers.Conv1D(3, 3)(timeseries_input)
x2 = layers.GlobalMaxPooling1D()(x2)

x = layers.concatenate([x1, x2])

score_output = layers.Dense(1, name="score_output")(x)
class_output = layers.Dense(5, name="class_output")(x)

model = keras.Model(
    inputs=[image_input, timeseries_input], outputs=[score_output, class_output]
)
""",
        "",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=[
        keras.losses.MeanSquaredError(),
        keras.losses.CategoricalCrossentropy(),
    ],
)
""",
        "",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=[
        keras.losses.MeanSquaredError(),
        keras.losses.CategoricalCrossentropy(),
    ],
    metrics=[
        [
            keras.metrics.MeanAbsolutePercentageError(),
            keras.metrics.MeanAbsoluteError(),
        ],
        [keras.metrics.CategoricalAccuracy()],
    ],
)
""",
        "",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "score_output": keras.losses.MeanSquaredError(),
        "class_output": keras.losses.CategoricalCrossentropy(),
    },
    metrics={
        "score_output": [
            keras.metrics.MeanAbsolutePercentageError(),
            keras.metrics.MeanAbsoluteError(),
        ],
        "class_output": [keras.metrics.CategoricalAccuracy()],
    },
    loss_weights={"score_output": 2.0, "class_output": 1.0},
)
""",
        "",
    ),
    (
        """\
# List loss version
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=[None, keras.losses.CategoricalCrossentropy()],
)

# Or dict loss version
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={"class_output": keras.losses.CategoricalCrossentropy()},
)
""",
        "",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=[
        keras.losses.MeanSquaredError(),
        keras.losses.CategoricalCrossentropy(),
    ],
)

# Generate dummy NumPy data
img_data = np.random.random_sample(size=(100, 32, 32, 3))
ts_data = np.random.random_sample(size=(100, 20, 10))
score_targets = np.random.random_sample(size=(100, 1))
class_targets = np.random.random_sample(size=(100, 5))

# Fit on lists
model.fit(
    [img_data, ts_data], [score_targets, class_targets], batch_size=32, epochs=1
)

# Alternatively, fit on dicts
model.fit(
    {"img_input": img_data, "ts_input": ts_data},
    {"score_output": score_targets, "class_output": class_targets},
    batch_size=32,
    epochs=1,
)
""",
        """\
4/4 [bar] - class_output_categorical_accuracy: F - class_output_loss: F - loss: F - score_output_loss: F - score_output_mean_absolute_error: F - score_output_mean_absolute_percentage_error: F
4/4 [bar] - class_output_categorical_accuracy: F - class_output_loss: F - loss: F - score_output_loss: F - score_output_mean_absolute_error: F - score_output_mean_absolute_percentage_error: F
<History object>
""",
    ),
    (
        """\
train_dataset = tf.data.Dataset.from_tensor_slices(
    (
        {"img_input": img_data, "ts_input": ts_data},
        {"score_output": score_targets, "class_output": class_targets},
    )
)
train_dataset = train_dataset.shuffle(buffer_size=1024).batch(64)

model.fit(train_dataset, epochs=1)
""",
        """\
2/2 [bar] - class_output_categorical_accuracy: F - class_output_loss: F - loss: F - score_output_loss: F - score_output_mean_absolute_error: F - score_output_mean_absolute_percentage_error: F
<History object>
""",
    ),
]


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


# Cells that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS: dict = {}


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def test_multi_output_training(guide: tuple) -> None:
    """The last fit (a Dataset of dicts, 100 samples in batches of 64) logs both outputs' losses under
    the output names, and the total is the sum of the two output losses."""
    history = guide[1]["model"].history.history
    assert {"class_output_loss", "loss", "score_output_loss"} <= set(history)
    total = history["class_output_loss"][0] + history["score_output_loss"][0]
    assert history["loss"][0] == pytest.approx(total, rel=1e-4)
