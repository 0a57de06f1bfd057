# ruff: noqa: E501
"""Keras's guide "The Sequential model" (keras-team/keras-io, guides/sequential_model.py), every code block
run in order with ``import ferroflow as tf`` and ``from ferroflow import keras`` (the guide's ``import keras``).
Each expected text is what TensorFlow 2.21 with Keras 3 prints for the block, normalized by
``guide_keras_core.normalized``. This file holds the guide's last part (the ``add()`` + ``summary()`` workflow and feature extraction),
run after the setup block in a process of its own as TensorFlow ran it; the first part is in
test_guide_keras_sequential.py.
The two feature-extraction blocks print the shapes of the features they compute, so that they show something.
"""

from __future__ import annotations

import numpy as np
import pytest

from guide_cells import cell_indices
from guide_keras_core import run_guide, same

CELLS = [
    (
        """\
from ferroflow import keras
from ferroflow.keras import layers
""",
        """\
""",
    ),
    (
        """\
model = keras.Sequential()
model.add(keras.Input(shape=(250, 250, 3)))  # 250x250 RGB images
model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))

# Can you guess what the current output shape is at this point? Probably not.
# Let's just print it:
model.summary()

# The answer was: (40, 40, 32), so we can keep downsampling...

model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(3))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.Conv2D(32, 3, activation="relu"))
model.add(layers.MaxPooling2D(2))

# And now?
model.summary()

# Now that we have 4x4 feature maps, time to apply global max pooling.
model.add(layers.GlobalMaxPooling2D())

# Finally, we add a classification layer.
model.add(layers.Dense(10))
""",
        """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 123, 123, 32)   │         2,432 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (None, 121, 121, 32)   │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d (MaxPooling2D)    │ (None, 40, 40, 32)     │             0 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 11,680 (F KB)
 Trainable params: 11,680 (F KB)
 Non-trainable params: 0 (F B)
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                 │ (None, 123, 123, 32)   │         2,432 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_1 (Conv2D)               │ (None, 121, 121, 32)   │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d (MaxPooling2D)    │ (None, 40, 40, 32)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_2 (Conv2D)               │ (None, 38, 38, 32)     │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_3 (Conv2D)               │ (None, 36, 36, 32)     │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d_1 (MaxPooling2D)  │ (None, 12, 12, 32)     │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_4 (Conv2D)               │ (None, 10, 10, 32)     │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d_5 (Conv2D)               │ (None, 8, 8, 32)       │         9,248 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d_2 (MaxPooling2D)  │ (None, 4, 4, 32)       │             0 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 48,672 (F KB)
 Trainable params: 48,672 (F KB)
 Non-trainable params: 0 (F B)
""",
    ),
    (
        """\
initial_model = keras.Sequential(
    [
        keras.Input(shape=(250, 250, 3)),
        layers.Conv2D(32, 5, strides=2, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(32, 3, activation="relu"),
    ]
)
feature_extractor = keras.Model(
    inputs=initial_model.inputs,
    outputs=[layer.output for layer in initial_model.layers],
)

# Call feature extractor on test input.
x = tf.ones((1, 250, 250, 3))
features = feature_extractor(x)
print([tuple(f.shape) for f in features])
""",
        """\
[(1, 123, 123, 32), (1, 121, 121, 32), (1, 119, 119, 32)]
""",
    ),
    (
        """\
initial_model = keras.Sequential(
    [
        keras.Input(shape=(250, 250, 3)),
        layers.Conv2D(32, 5, strides=2, activation="relu"),
        layers.Conv2D(32, 3, activation="relu", name="my_intermediate_layer"),
        layers.Conv2D(32, 3, activation="relu"),
    ]
)
feature_extractor = keras.Model(
    inputs=initial_model.inputs,
    outputs=initial_model.get_layer(name="my_intermediate_layer").output,
)
# Call feature extractor on test input.
x = tf.ones((1, 250, 250, 3))
features = feature_extractor(x)
print(features.shape)
""",
        """\
(1, 121, 121, 32)
""",
    ),
]

MASKED = set()

# Blocks that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS = {}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert same(guide[0][index], CELLS[index][1], index in MASKED), f"cell {index}:\n{CELLS[index][0]}"


def test_incremental_model_ends_with_the_classifier(guide: tuple) -> None:
    model = guide[1]["model"]
    assert [type(layer).__name__ for layer in model.layers[-2:]] == ["GlobalMaxPooling2D", "Dense"]
    assert tuple(model.outputs[0].shape) == (None, 10)


def test_feature_extractor_outputs_are_the_layers_outputs(guide: tuple) -> None:
    ns = guide[1]
    model, x = ns["initial_model"], np.random.default_rng(0).random((1, 250, 250, 3), np.float32)
    first = model.layers[0](x)
    np.testing.assert_allclose(ns["feature_extractor"](x).numpy(), model.layers[1](first).numpy(), rtol=1e-5, atol=1e-6)
