# ruff: noqa: E501
"""Keras's "Working with RNNs" guide (https://keras.io/guides/working_with_rnns/), second part: the cuDNN
notes with MNIST training, and RNNs with nested inputs. The blocks run in order after the guide's setup,
with ``from ferroflow import keras``; expected texts are what TensorFlow 2.21 (Keras 3, CPU: no cuDNN, as
here) prints, normalized by ``guide_training_builtin_setup.normalize`` (progress bars, losses, accuracies).

Changed for speed: MNIST is read from $FERROFLOW_DATASETS/mnist (the ``tests/mnist_data`` copy) and cut to
its first 1,280 training and 256 test images, so an epoch is 20 steps of 64 (the guide: all 60,000, 938
steps); the nested-input block uses 2 batches of 10 timesteps (the guide: 10 of 50). The guide's
``plt.imshow`` line is left out (matplotlib is not installed for either library). The predicted digit
depends on random weights and training, so it is masked; that the cuDNN-style ``LSTM`` and the
``RNN(LSTMCell)`` model compute the same function is checked with shared weights instead.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from guide_cells import cell_indices, run_cells
from guide_training_builtin_setup import normalize
from mnist_data import SHARED, needs_mnist

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
    # [7]
    (
        """\
batch_size = 64
# Each MNIST image batch is a tensor of shape (batch_size, 28, 28).
# Each input sequence will be of size (28, 28) (height is treated like time).
input_dim = 28

units = 64
output_size = 10  # labels are from 0 to 9


# Build the RNN model
def build_model(allow_cudnn_kernel=True):
    # CuDNN is only available at the layer level, and not at the cell level.
    # This means `LSTM(units)` will use the CuDNN kernel,
    # while RNN(LSTMCell(units)) will run on non-CuDNN kernel.
    if allow_cudnn_kernel:
        # The LSTM layer with default options uses CuDNN.
        lstm_layer = keras.layers.LSTM(units, input_shape=(None, input_dim))
    else:
        # Wrapping a LSTMCell in a RNN layer will not use CuDNN.
        lstm_layer = keras.layers.RNN(
            keras.layers.LSTMCell(units), input_shape=(None, input_dim)
        )
    model = keras.models.Sequential(
        [
            lstm_layer,
            keras.layers.BatchNormalization(),
            keras.layers.Dense(output_size),
        ]
    )
    return model
""",
        "",
    ),
    # [8]
    (
        """\
mnist = keras.datasets.mnist

(x_train, y_train), (x_test, y_test) = mnist.load_data()
# A subset of MNIST, so the guide runs in seconds.
x_train, y_train, x_test, y_test = x_train[:1280], y_train[:1280], x_test[:256], y_test[:256]
x_train, x_test = x_train / 255.0, x_test / 255.0
sample, sample_label = x_train[0], y_train[0]
""",
        "",
    ),
    # [9]
    (
        """\
model = build_model(allow_cudnn_kernel=True)

model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer="sgd",
    metrics=["accuracy"],
)


model.fit(
    x_train, y_train, validation_data=(x_test, y_test), batch_size=batch_size, epochs=1
)
""",
        """\
20/20 [bar] - accuracy: F - loss: F - val_accuracy: F - val_loss: F
<History object>
""",
    ),
    # [10]
    (
        """\
noncudnn_model = build_model(allow_cudnn_kernel=False)
noncudnn_model.set_weights(model.get_weights())
noncudnn_model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer="sgd",
    metrics=["accuracy"],
)
noncudnn_model.fit(
    x_train, y_train, validation_data=(x_test, y_test), batch_size=batch_size, epochs=1
)
""",
        """\
20/20 [bar] - accuracy: F - loss: F - val_accuracy: F - val_loss: F
<History object>
""",
    ),
    # [11]
    (
        """\
with tf.device("CPU:0"):
    cpu_model = build_model(allow_cudnn_kernel=True)
    cpu_model.set_weights(model.get_weights())
    result = tf.argmax(cpu_model.predict_on_batch(tf.expand_dims(sample, 0)), axis=1)
    print(
        "Predicted result is: %s, target result is: %s" % (result.numpy(), sample_label)
    )
""",
        """\
Predicted result is: [D], target result is: 5
""",
    ),
    # [12]
    (
        """\
@keras.saving.register_keras_serializable()
class NestedCell(keras.layers.Layer):
    def __init__(self, unit_1, unit_2, unit_3, **kwargs):
        self.unit_1 = unit_1
        self.unit_2 = unit_2
        self.unit_3 = unit_3
        self.state_size = [tf.TensorShape([unit_1]), tf.TensorShape([unit_2, unit_3])]
        self.output_size = [tf.TensorShape([unit_1]), tf.TensorShape([unit_2, unit_3])]
        super().__init__(**kwargs)

    def build(self, input_shapes):
        # expect input_shape to contain 2 items, [(batch, i1), (batch, i2, i3)]
        i1 = input_shapes[0][1]
        i2 = input_shapes[1][1]
        i3 = input_shapes[1][2]

        self.kernel_1 = self.add_weight(
            shape=(i1, self.unit_1), initializer="uniform", name="kernel_1"
        )
        self.kernel_2_3 = self.add_weight(
            shape=(i2, i3, self.unit_2, self.unit_3),
            initializer="uniform",
            name="kernel_2_3",
        )

    def call(self, inputs, states):
        # inputs should be in [(batch, input_1), (batch, input_2, input_3)]
        # state should be in shape [(batch, unit_1), (batch, unit_2, unit_3)]
        input_1, input_2 = tf.nest.flatten(inputs)
        s1, s2 = states

        output_1 = tf.matmul(input_1, self.kernel_1)
        output_2_3 = tf.einsum("bij,ijkl->bkl", input_2, self.kernel_2_3)
        state_1 = s1 + output_1
        state_2_3 = s2 + output_2_3

        output = (output_1, output_2_3)
        new_states = (state_1, state_2_3)

        return output, new_states

    def get_config(self):
        return {"unit_1": self.unit_1, "unit_2": unit_2, "unit_3": self.unit_3}
""",
        "",
    ),
    # [13]
    (
        """\
unit_1 = 10
unit_2 = 20
unit_3 = 30

i1 = 32
i2 = 64
i3 = 32
batch_size = 64
num_batches = 2  # the guide uses 10 batches of 50 timesteps
timestep = 10

cell = NestedCell(unit_1, unit_2, unit_3)
rnn = keras.layers.RNN(cell)

input_1 = keras.Input((None, i1))
input_2 = keras.Input((None, i2, i3))

outputs = rnn((input_1, input_2))

model = keras.models.Model([input_1, input_2], outputs)

model.compile(optimizer="adam", loss="mse", metrics=["accuracy"])
""",
        """\
EXC IndexError: tuple index out of range
""",
    ),
    # [14]
    (
        """\
input_1_data = np.random.random((batch_size * num_batches, timestep, i1))
input_2_data = np.random.random((batch_size * num_batches, timestep, i2, i3))
target_1_data = np.random.random((batch_size * num_batches, unit_1))
target_2_data = np.random.random((batch_size * num_batches, unit_2, unit_3))
input_data = [input_1_data, input_2_data]
target_data = [target_1_data, target_2_data]

model.fit(input_data, target_data, batch_size=batch_size)
""",
        """\
EXC ValueError: Exception encountered when calling LSTMCell.call().

Dimensions must be equal, but are 32 and 28 for '{{node sequential_3_1/lstm_6_1/lstm_cell_1/MatMul}} = MatMul[T=DT_FLOAT, grad_a=false, grad_b=false, transpose_a=false, transpose_b=false](sequential_3_1/lstm_6_1/strided_slice_1, sequential_3_1
""",
    ),
]

GAPS = {
    7: "Keras 3's RNN has no nested inputs: TensorFlow fails inside the guide's NestedCell.build (IndexError, "
    "RNN.build passes the cell ((None, None, 32),) for the two inputs); ferroflow's RNN refuses the tuple "
    "earlier with an InputSpec ValueError (rnn.py, under change elsewhere)",
    8: "follows the block before: both fit the MNIST model on the nested data and fail, TensorFlow in the "
    "LSTM cell's MatMul (a graph error naming its nodes), ferroflow when converting the list of targets",
}


def _form(text: str) -> str:
    return re.sub(r"Predicted result is: \[\d\]", "Predicted result is: [D]", normalize(text))


@pytest.fixture(scope="module")
def guide() -> tuple:
    ns: dict = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FERROFLOW_DATASETS", str(SHARED))
        outputs = run_cells(CELLS, ns)
    return [_form(text) for text in outputs], ns


@needs_mnist
@pytest.mark.parametrize("index", cell_indices(CELLS, GAPS))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


@needs_mnist
def test_lstm_and_rnn_of_lstm_cell_compute_the_same(guide: tuple) -> None:
    ns = guide[1]
    lstm_model, cell_model = ns["build_model"](True), ns["build_model"](False)
    cell_model.set_weights(lstm_model.get_weights())
    x = ns["x_test"][:16].astype("float32")
    np.testing.assert_allclose(cell_model.predict(x, verbose=0), lstm_model.predict(x, verbose=0), rtol=1e-4, atol=1e-5)


@needs_mnist
def test_prediction_is_the_argmax_of_the_trained_model(guide: tuple) -> None:
    ns = guide[1]
    logits = ns["model"].predict(ns["sample"][None].astype("float32"), verbose=0)
    assert ns["result"].numpy().tolist() == [int(np.argmax(logits))]
    assert ns["sample_label"] == 5
