# ruff: noqa: E501
"""Keras's guide "The Functional API" (keras-team/keras-io, guides/functional_api.py, the version with
``from tensorflow import keras``), every code block run in order with ``import ferroflow as tf`` and
``from ferroflow import keras``. Each expected text is what TensorFlow 2.21 with Keras 3 prints for the block,
normalized by ``guide_keras_core.normalized`` (training progress and losses masked: they depend on the random
initialisation).

Changes to the guide's code, the same in both runs: the setup block seeds NumPy so the dummy data are the same;
MNIST is the first 6,000 training and 1,000 test images (read from ``FERROFLOW_DATASETS`` here and by a
stand-in ``load_data`` there); CIFAR-10 is not installed, so 1,000 random uint8 images and labels of its shapes
stand in for it. The VGG19 feature-extraction blocks (run in test_guide_keras_functional_custom.py) build
``VGG19(weights=None)``: the guide's ``VGG19()`` downloads ImageNet weights, and nothing is downloaded here
(neither run prints anything for these blocks). ``plot_model`` needs Graphviz here (ferroflow writes the DOT
text itself, so no pydot), and Graphviz is not installed: both raise ``ImportError``, with different messages.

This file: the introduction, training on MNIST and saving.
Each part of the guide runs after its setup block in a process of its own, as TensorFlow ran it
(files test_guide_keras_functional*.py).
"""

from __future__ import annotations

import pytest

from guide_cells import cell_indices
from guide_keras_core import run_guide, same
from mnist_data import needs_mnist

pytestmark = needs_mnist

CELLS = [
    (
        """\
import numpy as np
from ferroflow import keras
from ferroflow.keras import layers
np.random.seed(0)  # the guide's dummy data is the same in both runs
""",
        """\
""",
    ),
    (
        """\
inputs = keras.Input(shape=(784,))
""",
        """\
""",
    ),
    (
        """\
# Just for demonstration purposes.
img_inputs = keras.Input(shape=(32, 32, 3))
""",
        """\
""",
    ),
    (
        """\
inputs.shape
""",
        """\
(None, 784)
""",
    ),
    (
        """\
inputs.dtype
""",
        """\
'float32'
""",
    ),
    (
        """\
dense = layers.Dense(64, activation="relu")
x = dense(inputs)
""",
        """\
""",
    ),
    (
        """\
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10)(x)
""",
        """\
""",
    ),
    (
        """\
model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")
""",
        """\
""",
    ),
    (
        """\
model.summary()
""",
        """\
Model: "mnist_model"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ input_layer (InputLayer)        │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 64)             │        50,240 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 64)             │         4,160 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 55,050 (F KB)
 Trainable params: 55,050 (F KB)
 Non-trainable params: 0 (F B)
""",
    ),
    (
        """\
keras.utils.plot_model(model, "my_first_model.png")
""",
        """\
EXC ImportError: You must install pydot (`pip install pydot`) for `plot_model` to work.
""",
    ),
    (
        """\
keras.utils.plot_model(model, "my_first_model_with_shape_info.png", show_shapes=True)
""",
        """\
EXC ImportError: You must install pydot (`pip install pydot`) for `plot_model` to work.
""",
    ),
    (
        """\
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
# A subset of MNIST (6,000 training and 1,000 test images), so the guide runs in seconds.
x_train, y_train, x_test, y_test = x_train[:6000], y_train[:6000], x_test[:1000], y_test[:1000]

x_train = x_train.reshape(6000, 784).astype("float32") / 255
x_test = x_test.reshape(1000, 784).astype("float32") / 255

model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(),
    metrics=["accuracy"],
)

history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2)

test_scores = model.evaluate(x_test, y_test, verbose=2)
print("Test loss:", test_scores[0])
print("Test accuracy:", test_scores[1])
""",
        """\
Epoch 1/2
75/75 [bar] - accuracy: F - loss: F - val_accuracy: F - val_loss: F
Epoch 2/2
75/75 [bar] - accuracy: F - loss: F - val_accuracy: F - val_loss: F
32/32 - 0s - T/step - accuracy: F - loss: F
Test loss: F
Test accuracy: F
""",
    ),
    (
        """\
model.save("path_to_my_model")
del model
# Recreate the exact same model purely from the file:
model = keras.models.load_model("path_to_my_model")
""",
        """\
EXC ValueError: Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras format (recommended) or a `.h5` extension. Use `model.export(filepath)` if you want to export a SavedModel for use with TFLite/TFServing/etc. Received: filepath=path_to_my_model.
""",
    ),
]

MASKED = set()

# Blocks that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS = {
    9: "without pydot Keras asks for pydot; ferroflow writes the DOT text itself, so it names what it lacks, Graphviz, with Keras's own message for a missing Graphviz",
    10: "without pydot Keras asks for pydot; ferroflow writes the DOT text itself, so it names what it lacks, Graphviz, with Keras's own message for a missing Graphviz",
    12: "message: ferroflow's save() names the formats it supports (.keras only, no .h5)",
}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert same(guide[0][index], CELLS[index][1], index in MASKED), f"cell {index}:\n{CELLS[index][0]}"


def test_mnist_model_learns(guide: tuple) -> None:
    loss, accuracy = guide[1]["test_scores"]
    assert accuracy > 0.85 and loss < 0.5
