# ruff: noqa: E501
"""Keras's guide "Making new layers and models via subclassing" (keras-team/keras-io,
guides/making_new_layers_and_models_via_subclassing.py, the version with ``from tensorflow import keras``
and ``add_weight``), every code block run in order with ``import ferroflow as tf`` and
``from ferroflow import keras``. Each expected text is what TensorFlow 2.21 with Keras 3 prints for the block,
normalized by ``guide_keras_core.normalized``.

Random values: the blocks that print weights drawn by ``random_normal`` (``print(y)`` of the first ``Linear``,
the kernel regularization loss) and the VAE's losses differ from run to run in TensorFlow too, so those blocks
are compared with every number masked (``MASKED``), and what the values must be is checked by the tests at the
end (``x @ w + b``, ``1e-3 * sum(kernel ** 2)``, a VAE that learns).

This file: layers, weights and nesting; ``add_loss``, serialization and the ``training`` argument are in
test_guide_keras_subclassing_losses.py, the VAE in test_guide_keras_subclassing_vae.py, each part run after
the setup block in a process of its own, as TensorFlow ran it.
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
""",
        """\
""",
    ),
    (
        """\
class Linear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(
            shape=(input_dim, units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b
""",
        """\
""",
    ),
    (
        """\
x = tf.ones((2, 2))
linear_layer = Linear(4, 2)
y = linear_layer(x)
print(y)
""",
        """\
tf.Tensor(
[[ F F  F F]
 [ F F  F F]], shape=(2, 4), dtype=float32)
""",
    ),
    (
        """\
assert linear_layer.weights == [linear_layer.w, linear_layer.b]
""",
        """\
""",
    ),
    (
        """\
class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(
            initializer="zeros", shape=(input_dim,), trainable=False
        )

    def call(self, inputs):
        self.total.assign_add(tf.reduce_sum(inputs, axis=0))
        return self.total


x = tf.ones((2, 2))
my_sum = ComputeSum(2)
y = my_sum(x)
print(y.numpy())
y = my_sum(x)
print(y.numpy())
""",
        """\
[2. 2.]
[4. 4.]
""",
    ),
    (
        """\
print("weights:", len(my_sum.weights))
print("non-trainable weights:", len(my_sum.non_trainable_weights))

# It's not included in the trainable weights:
print("trainable_weights:", my_sum.trainable_weights)
""",
        """\
weights: 1
non-trainable weights: 1
trainable_weights: []
""",
    ),
    (
        """\
class Linear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(
            shape=(input_dim, units), initializer="random_normal", trainable=True
        )
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b
""",
        """\
""",
    ),
    (
        """\
class Linear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
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
""",
        """\
""",
    ),
    (
        """\
# At instantiation, we don't know on what inputs this is going to get called
linear_layer = Linear(32)

# The layer's weights are created dynamically the first time the layer is called
y = linear_layer(x)
""",
        """\
""",
    ),
    (
        """\
class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = tf.nn.relu(x)
        x = self.linear_2(x)
        x = tf.nn.relu(x)
        return self.linear_3(x)


mlp = MLPBlock()
y = mlp(tf.ones(shape=(3, 64)))  # The first call to the `mlp` will create the weights
print("weights:", len(mlp.weights))
print("trainable weights:", len(mlp.trainable_weights))
""",
        """\
weights: 6
trainable weights: 6
""",
    ),
]

MASKED = {2}

# Blocks that still print differently from TensorFlow, and why (strict: they fail once they match).
GAPS = {}


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> tuple:
    return run_guide(CELLS, tmp_path_factory.mktemp("guide"))


@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert same(guide[0][index], CELLS[index][1], index in MASKED), f"cell {index}:\n{CELLS[index][0]}"


def test_linear_layer_computes_x_w_plus_b(guide: tuple) -> None:
    ns = guide[1]
    layer = ns["Linear"](4)
    x = np.random.default_rng(3).random((2, 3), np.float32)
    y = layer(x).numpy()
    np.testing.assert_allclose(y, x @ layer.w.numpy() + layer.b.numpy(), rtol=1e-5, atol=1e-6)
    assert layer.w.shape == (3, 4) and np.std(layer.w.numpy()) < 0.2  # random_normal: stddev 0.05
