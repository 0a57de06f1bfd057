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

This file: models with several inputs and outputs, and a toy ResNet.
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
num_tags = 12  # Number of unique issue tags
num_words = 10000  # Size of vocabulary obtained when preprocessing text data
num_departments = 4  # Number of departments for predictions

title_input = keras.Input(
    shape=(None,), name="title"
)  # Variable-length sequence of ints
body_input = keras.Input(shape=(None,), name="body")  # Variable-length sequence of ints
tags_input = keras.Input(
    shape=(num_tags,), name="tags"
)  # Binary vectors of size `num_tags`

# Embed each word in the title into a 64-dimensional vector
title_features = layers.Embedding(num_words, 64)(title_input)
# Embed each word in the text into a 64-dimensional vector
body_features = layers.Embedding(num_words, 64)(body_input)

# Reduce sequence of embedded words in the title into a single 128-dimensional vector
title_features = layers.LSTM(128)(title_features)
# Reduce sequence of embedded words in the body into a single 32-dimensional vector
body_features = layers.LSTM(32)(body_features)

# Merge all available features into a single large vector via concatenation
x = layers.concatenate([title_features, body_features, tags_input])

# Stick a logistic regression for priority prediction on top of the features
priority_pred = layers.Dense(1, name="priority")(x)
# Stick a department classifier on top of the features
department_pred = layers.Dense(num_departments, name="department")(x)

# Instantiate an end-to-end model predicting both priority and department
model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs=[priority_pred, department_pred],
)
""",
        """\
""",
    ),
    (
        """\
keras.utils.plot_model(model, "multi_input_and_output_model.png", show_shapes=True)
""",
        """\
EXC ImportError: You must install pydot (`pip install pydot`) for `plot_model` to work.
""",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=[
        keras.losses.BinaryCrossentropy(from_logits=True),
        keras.losses.CategoricalCrossentropy(from_logits=True),
    ],
    loss_weights=[1.0, 0.2],
)
""",
        """\
""",
    ),
    (
        """\
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "priority": keras.losses.BinaryCrossentropy(from_logits=True),
        "department": keras.losses.CategoricalCrossentropy(from_logits=True),
    },
    loss_weights={"priority": 1.0, "department": 0.2},
)
""",
        """\
""",
    ),
    (
        """\
# Dummy input data
title_data = np.random.randint(num_words, size=(1280, 10))
body_data = np.random.randint(num_words, size=(1280, 100))
tags_data = np.random.randint(2, size=(1280, num_tags)).astype("float32")

# Dummy target data
priority_targets = np.random.random(size=(1280, 1))
dept_targets = np.random.randint(2, size=(1280, num_departments))

model.fit(
    {"title": title_data, "body": body_data, "tags": tags_data},
    {"priority": priority_targets, "department": dept_targets},
    epochs=2,
    batch_size=32,
)
""",
        """\
Epoch 1/2
40/40 [bar] - department_loss: F - loss: F - priority_loss: F
Epoch 2/2
40/40 [bar] - department_loss: F - loss: F - priority_loss: F
<History object>
""",
    ),
    (
        """\
inputs = keras.Input(shape=(32, 32, 3), name="img")
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.Conv2D(64, 3, activation="relu")(x)
block_1_output = layers.MaxPooling2D(3)(x)

x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
block_2_output = layers.add([x, block_1_output])

x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
block_3_output = layers.add([x, block_2_output])

x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(256, activation="relu")(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(10)(x)

model = keras.Model(inputs, outputs, name="toy_resnet")
model.summary()
""",
        """\
Model: "toy_resnet"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ img (InputLayer)    │ (None, 32, 32, 3) │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d (Conv2D)     │ (None, 30, 30,    │        896 │ img[0][0]         │
│                     │ 32)               │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_1 (Conv2D)   │ (None, 28, 28,    │     18,496 │ conv2d[0][0]      │
│                     │ 64)               │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ max_pooling2d       │ (None, 9, 9, 64)  │          0 │ conv2d_1[0][0]    │
│ (MaxPooling2D)      │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_2 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ max_pooling2d[0]… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_3 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ conv2d_2[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 9, 9, 64)  │          0 │ conv2d_3[0][0],   │
│                     │                   │            │ max_pooling2d[0]… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_4 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ add[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_5 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ conv2d_4[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add_1 (Add)         │ (None, 9, 9, 64)  │          0 │ conv2d_5[0][0],   │
│                     │                   │            │ add[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_6 (Conv2D)   │ (None, 7, 7, 64)  │     36,928 │ add_1[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ global_average_poo… │ (None, 64)        │          0 │ conv2d_6[0][0]    │
│ (GlobalAveragePool… │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 256)       │     16,640 │ global_average_p… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dropout (Dropout)   │ (None, 256)       │          0 │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_1 (Dense)     │ (None, 10)        │      2,570 │ dropout[0][0]     │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 223,242 (F KB)
 Trainable params: 223,242 (F KB)
 Non-trainable params: 0 (F B)
""",
    ),
    (
        """\
keras.utils.plot_model(model, "mini_resnet.png", show_shapes=True)
""",
        """\
EXC ImportError: You must install pydot (`pip install pydot`) for `plot_model` to work.
""",
    ),
    (
        """\
# CIFAR-10 is not installed here: 1,000 random images and labels of CIFAR-10's shapes and dtypes stand in.
x_train = np.random.randint(0, 256, size=(1000, 32, 32, 3)).astype("uint8")
y_train = np.random.randint(0, 10, size=(1000, 1)).astype("uint8")

x_train = x_train.astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train, 10)

model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["acc"],
)
# We restrict the data to the first 1000 samples so as to limit execution time
# on Colab. Try to train on the entire dataset until convergence!
model.fit(x_train[:1000], y_train[:1000], batch_size=64, epochs=1, validation_split=0.2)
""",
        """\
13/13 [bar] - acc: F - loss: F - val_acc: F - val_loss: F
<History object>
""",
    ),
]

MASKED = set()

# Blocks that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS = {
    2: "without pydot Keras asks for pydot; ferroflow writes the DOT text itself, so it names what it lacks, Graphviz, with Keras's own message for a missing Graphviz",
    7: "without pydot Keras asks for pydot; ferroflow writes the DOT text itself, so it names what it lacks, Graphviz, with Keras's own message for a missing Graphviz",
}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert same(guide[0][index], CELLS[index][1], index in MASKED), f"cell {index}:\n{CELLS[index][0]}"


def test_dict_inputs_pair_with_input_names(guide: tuple) -> None:
    ns = guide[1]
    keras = ns["keras"]
    model = keras.Model(
        [ns["title_input"], ns["body_input"], ns["tags_input"]], [ns["priority_pred"], ns["department_pred"]]
    )
    rows = slice(0, 4)
    listed = model([ns["title_data"][rows], ns["body_data"][rows], ns["tags_data"][rows]])
    by_name = model({"tags": ns["tags_data"][rows], "title": ns["title_data"][rows], "body": ns["body_data"][rows]})
    for a, b in zip(listed, by_name):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_resnet_residual_blocks_and_training(guide: tuple) -> None:
    model = guide[1]["model"]
    assert model.name == "toy_resnet" and model.count_params() == 223242
    assert model(np.zeros((2, 32, 32, 3), np.float32)).shape == (2, 10)
