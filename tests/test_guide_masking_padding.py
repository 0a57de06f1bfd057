# ruff: noqa: E501
"""Keras's "Understanding masking & padding" guide
(https://keras.io/guides/understanding_masking_and_padding/), its code blocks run in order with
``from ferroflow import keras``: each expected text is what TensorFlow 2.21 (Keras 3) prints for the block.

Random weights and inputs: the setup block seeds NumPy and Keras (``np.random.seed(0)``,
``keras.utils.set_random_seed(0)``), so the integer inputs and the printed masks are the same as in
TensorFlow; the one block that prints random layer outputs (``MyLayer``'s LSTM on embeddings) is compared
with its numbers masked, and its behaviour (masked timesteps skipped) is checked against the unmasked steps
run alone. Numbers in a KerasTensor's name are Keras's creation count and are compared as printed.
"""

from __future__ import annotations

import re

import pytest

import ferroflow as tf
from guide_cells import cell_indices, mask_numbers, run_cells

CELLS = [
    # [0]
    (
        """\
import numpy as np
from ferroflow import keras
from ferroflow.keras import layers
np.random.seed(0)
keras.utils.set_random_seed(0)
""",
        "",
    ),
    # [1]
    (
        """\
raw_inputs = [
    [711, 632, 71],
    [73, 8, 3215, 55, 927],
    [83, 91, 1, 645, 1253, 927],
]

# By default, this will pad using 0s; it is configurable via the
# "value" parameter.
# Note that you could "pre" padding (at the beginning) or
# "post" padding (at the end).
# We recommend using "post" padding when working with RNN layers
# (in order to be able to use the
# CuDNN implementation of the layers).
padded_inputs = tf.keras.preprocessing.sequence.pad_sequences(
    raw_inputs, padding="post"
)
print(padded_inputs)
""",
        """\
[[ 711  632   71    0    0    0]
 [  73    8 3215   55  927    0]
 [  83   91    1  645 1253  927]]
""",
    ),
    # [2]
    (
        """\
embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
masked_output = embedding(padded_inputs)

print(masked_output._keras_mask)

masking_layer = layers.Masking()
# Simulate the embedding lookup by expanding the 2D input to 3D,
# with embedding dimension of 10.
unmasked_embedding = tf.cast(
    tf.tile(tf.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), tf.float32
)

masked_embedding = masking_layer(unmasked_embedding)
print(masked_embedding._keras_mask)
""",
        """\
tf.Tensor(
[[ True  True  True False False False]
 [ True  True  True  True  True False]
 [ True  True  True  True  True  True]], shape=(3, 6), dtype=bool)
tf.Tensor(
[[ True  True  True False False False]
 [ True  True  True  True  True False]
 [ True  True  True  True  True  True]], shape=(3, 6), dtype=bool)
""",
    ),
    # [3]
    (
        """\
model = keras.Sequential(
    [layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True), layers.LSTM(32),]
)
""",
        "",
    ),
    # [4]
    (
        """\
inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
outputs = layers.LSTM(32)(x)

model = keras.Model(inputs, outputs)
""",
        "",
    ),
    # [5]
    (
        """\
class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super(MyLayer, self).__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
        self.lstm = layers.LSTM(32)

    def call(self, inputs):
        x = self.embedding(inputs)
        # Note that you could also prepare a `mask` tensor manually.
        # It only needs to be a boolean tensor
        # with the right shape, i.e. (batch_size, timesteps).
        mask = self.embedding.compute_mask(inputs)
        output = self.lstm(x, mask=mask)  # The layer will ignore the masked values
        return output


layer = MyLayer()
x = np.random.random((32, 10)) * 100
x = x.astype("int32")
layer(x)
""",
        "<tf.Tensor: shape=(N, N), dtype=floatN, numpy= array([[N, N, N, ..., N, N, N], [N, N, N, ..., N, N, N], [N, N, N, ..., N, N, N], ..., [N, N, N, ..., N, N, N], [N, N, N, ..., N, N, N], [N, N, N, ..., N, N, N]], shape=(N, N), dtype=floatN)>",
    ),
    # [6]
    (
        '''\
class TemporalSplit(keras.layers.Layer):
    """Split the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        # Expect the input to be 3D and mask to be 2D, split the input tensor into 2
        # subtensors along the time axis (axis 1).
        return tf.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        # Also split the mask into 2 if it presents.
        if mask is None:
            return None
        return tf.split(mask, 2, axis=1)


first_half, second_half = TemporalSplit()(masked_embedding)
print(first_half._keras_mask)
print(second_half._keras_mask)
''',
        """\
tf.Tensor(
[[ True  True  True]
 [ True  True  True]
 [ True  True  True]], shape=(3, 3), dtype=bool)
tf.Tensor(
[[False False False]
 [ True  True False]
 [ True  True  True]], shape=(3, 3), dtype=bool)
""",
    ),
    # [7]
    (
        """\
class CustomEmbedding(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super(CustomEmbedding, self).__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer="random_normal",
            dtype="float32",
        )

    def call(self, inputs):
        return tf.nn.embedding_lookup(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)


layer = CustomEmbedding(10, 32, mask_zero=True)
x = np.random.random((3, 10)) * 9
x = x.astype("int32")

y = layer(x)
mask = layer.compute_mask(x)

print(mask)
""",
        """\
tf.Tensor(
[[ True  True False  True  True  True  True  True  True  True]
 [ True  True False  True  True  True  True  True  True  True]
 [ True  True  True False  True False  True  True  True  True]], shape=(3, 10), dtype=bool)
""",
    ),
    # [8]
    (
        """\
class MyActivation(keras.layers.Layer):
    def __init__(self, **kwargs):
        super(MyActivation, self).__init__(**kwargs)
        # Signal that the layer is safe for mask propagation
        self.supports_masking = True

    def call(self, inputs):
        return tf.nn.relu(inputs)
""",
        "",
    ),
    # [9]
    (
        """\
inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
x = MyActivation()(x)  # Will pass the mask along
print("Mask found:", x._keras_mask)
outputs = layers.LSTM(32)(x)  # Will receive the mask

model = keras.Model(inputs, outputs)
""",
        """\
Mask found: <KerasTensor shape=(None, None), dtype=bool, sparse=False, ragged=False, name=keras_tensor_7>
""",
    ),
    # [10]
    (
        """\
class TemporalSoftmax(keras.layers.Layer):
    def call(self, inputs, mask=None):
        broadcast_float_mask = tf.expand_dims(tf.cast(mask, "float32"), -1)
        inputs_exp = tf.exp(inputs) * broadcast_float_mask
        inputs_sum = tf.reduce_sum(inputs * broadcast_float_mask, axis=1, keepdims=True)
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
x = layers.Dense(1)(x)
outputs = TemporalSoftmax()(x)

model = keras.Model(inputs, outputs)
y = model(np.random.randint(0, 10, size=(32, 100)), np.random.random((32, 100, 1)))
""",
        """\
EXC TypeError: Functional.call() got multiple values for argument 'training'
""",
    ),
]

MASKED = {5}  # random LSTM outputs: compared with numbers masked
GAPS = {
    9: "TensorFlow's mask is keras_tensor_7, ferroflow's keras_tensor_6: Keras 3 builds MyLayer (a layer with "
    "unbuilt sublayers and no build()) on its first eager call by a symbolic run on one more KerasTensor; "
    "ferroflow builds the sublayers eagerly",
}


def _form(index: int, text: str) -> str:
    return re.sub(r"\[ ", "[", mask_numbers(text)) if index in MASKED else text


def run_guide() -> tuple:
    """Each block's compared text, and the namespace the blocks ran in (``my_layer``/``my_x``: MyLayer's)."""
    tf.keras.backend.clear_session()  # layer and KerasTensor names count from zero, as in a fresh notebook
    ns: dict = {}
    outputs = run_cells(CELLS[:6], ns)
    ns["my_layer"], ns["my_x"] = ns["layer"], ns["x"]  # the later blocks reuse these names
    outputs += run_cells(CELLS[6:], ns)
    return [_form(i, text) for i, text in enumerate(outputs)], ns


@pytest.fixture(scope="module")
def guide() -> tuple:
    return run_guide()


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"
