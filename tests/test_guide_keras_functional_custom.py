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

This file: shared layers, custom layers and mixing API styles.
Each part of the guide runs after its setup block in a process of its own, as TensorFlow ran it
(files test_guide_keras_functional*.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_cells import cell_indices
from guide_keras_core import run_guide, same

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
# Embedding for 1000 unique words mapped to 128-dimensional vectors
shared_embedding = layers.Embedding(1000, 128)

# Variable-length sequence of integers
text_input_a = keras.Input(shape=(None,), dtype="int32")

# Variable-length sequence of integers
text_input_b = keras.Input(shape=(None,), dtype="int32")

# Reuse the same layer to encode both inputs
encoded_input_a = shared_embedding(text_input_a)
encoded_input_b = shared_embedding(text_input_b)
""",
        """\
""",
    ),
    (
        """\
vgg19 = tf.keras.applications.VGG19(weights=None)  # the guide's VGG19() downloads ImageNet weights: random ones here
""",
        """\
""",
    ),
    (
        """\
features_list = [layer.output for layer in vgg19.layers]
""",
        """\
""",
    ),
    (
        """\
feat_extraction_model = keras.Model(inputs=vgg19.input, outputs=features_list)

img = np.random.random((1, 224, 224, 3)).astype("float32")
extracted_features = feat_extraction_model(img)
""",
        """\
""",
    ),
    (
        """\
class CustomDense(layers.Layer):
    def __init__(self, units=32):
        super(CustomDense, self).__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(
            shape=(self.units,), initializer="random_normal", trainable=True
        )

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b


inputs = keras.Input((4,))
outputs = CustomDense(10)(inputs)

model = keras.Model(inputs, outputs)
""",
        """\
""",
    ),
    (
        """\
class CustomDense(layers.Layer):
    def __init__(self, units=32):
        super(CustomDense, self).__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(
            shape=(self.units,), initializer="random_normal", trainable=True
        )

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {"units": self.units}


inputs = keras.Input((4,))
outputs = CustomDense(10)(inputs)

model = keras.Model(inputs, outputs)
config = model.get_config()

new_model = keras.Model.from_config(config, custom_objects={"CustomDense": CustomDense})
""",
        """\
""",
    ),
    (
        """\
units = 32
timesteps = 10
input_dim = 5

# Define a Functional model
inputs = keras.Input((None, units))
x = layers.GlobalAveragePooling1D()(inputs)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)


class CustomRNN(layers.Layer):
    def __init__(self):
        super(CustomRNN, self).__init__()
        self.units = units
        self.projection_1 = layers.Dense(units=units, activation="tanh")
        self.projection_2 = layers.Dense(units=units, activation="tanh")
        # Our previously-defined Functional model
        self.classifier = model

    def call(self, inputs):
        outputs = []
        state = tf.zeros(shape=(inputs.shape[0], self.units))
        for t in range(inputs.shape[1]):
            x = inputs[:, t, :]
            h = self.projection_1(x)
            y = h + self.projection_2(state)
            state = y
            outputs.append(y)
        features = tf.stack(outputs, axis=1)
        print(features.shape)
        return self.classifier(features)


rnn_model = CustomRNN()
_ = rnn_model(tf.zeros((1, timesteps, input_dim)))
""",
        """\
(1, 10, 32)
(1, 10, 32)
""",
    ),
    (
        """\
units = 32
timesteps = 10
input_dim = 5
batch_size = 16


class CustomRNN(layers.Layer):
    def __init__(self):
        super(CustomRNN, self).__init__()
        self.units = units
        self.projection_1 = layers.Dense(units=units, activation="tanh")
        self.projection_2 = layers.Dense(units=units, activation="tanh")
        self.classifier = layers.Dense(1)

    def call(self, inputs):
        outputs = []
        state = tf.zeros(shape=(inputs.shape[0], self.units))
        for t in range(inputs.shape[1]):
            x = inputs[:, t, :]
            h = self.projection_1(x)
            y = h + self.projection_2(state)
            state = y
            outputs.append(y)
        features = tf.stack(outputs, axis=1)
        return self.classifier(features)


# Note that you specify a static batch size for the inputs with the `batch_shape`
# arg, because the inner computation of `CustomRNN` requires a static batch size
# (when you create the `state` zeros tensor).
inputs = keras.Input(batch_shape=(batch_size, timesteps, input_dim))
x = layers.Conv1D(32, 3)(inputs)
outputs = CustomRNN()(x)

model = keras.Model(inputs, outputs)

rnn_model = CustomRNN()
_ = rnn_model(tf.zeros((1, 10, 5)))
""",
        """\
""",
    ),
]

MASKED = set()

# Blocks that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS = {
    7: "Keras 3 builds a layer without its own build() by running call() once symbolically (one more print); ferroflow builds the sublayers in the first real call",
}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert same(guide[0][index], CELLS[index][1], index in MASKED), f"cell {index}:\n{CELLS[index][0]}"


def test_shared_embedding_is_one_layer_twice(guide: tuple) -> None:
    ns = guide[1]
    assert ns["encoded_input_a"]._keras_history[0] is ns["encoded_input_b"]._keras_history[0]
    assert tuple(ns["encoded_input_a"].shape) == (None, None, 128)


def test_vgg19_features_of_every_layer(guide: tuple) -> None:
    ns = guide[1]
    features = ns["extracted_features"]
    assert len(features) == 26 == len(ns["vgg19"].layers)  # Keras 3: 26 layers, the input's own output first
    assert [tuple(f.shape) for f in features[:3]] == [(1, 224, 224, 3), (1, 224, 224, 64), (1, 224, 224, 64)]
    np.testing.assert_array_equal(np.asarray(features[0]), ns["img"])
    assert tuple(features[-1].shape) == (1, 1000)
    np.testing.assert_allclose(np.asarray(features[-1]).sum(), 1.0, rtol=1e-5)


def test_custom_layer_model_recreated_from_config(guide: tuple) -> None:
    ns = guide[1]
    assert type(ns["new_model"].layers[-1]).__name__ == "CustomDense"
    assert ns["new_model"].layers[-1].units == 10 and ns["new_model"].count_params() == 50


def test_custom_rnn_in_functional_model(guide: tuple) -> None:
    model = guide[1]["model"]
    assert tuple(model.outputs[0].shape) == (16, 8, 1)  # Conv1D(32, 3) leaves 8 of the 10 steps
    assert model(np.zeros((16, 10, 5), np.float32)).shape == (16, 8, 1)
