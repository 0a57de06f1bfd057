# ruff: noqa: E501
"""Keras's "Working with RNNs" guide (https://keras.io/guides/working_with_rnns/), first part: built-in RNN
layers, outputs and states, cross-batch statefulness, state reuse and Bidirectional, its code blocks run in
order with ``from ferroflow import keras`` (the guide's ``import keras``). Each expected text is what
TensorFlow 2.21 (Keras 3) prints, normalized as ``guide_training_builtin_setup.normalize`` does (memory
sizes in the summaries are masked). The second part (cuDNN notes, MNIST, nested inputs) is in
test_guide_keras_rnn_training.py.

Random weights and inputs: the setup block seeds NumPy and Keras. None of these blocks prints a random
value; the stateful LSTM and the state reuse are checked by behaviour instead: chunks fed to a stateful
layer give what one pass over the whole sequence gives, ``reset_states`` zeroes the states, and the reused
``layer.states`` are the final states of that pass.
"""

from __future__ import annotations

import numpy as np
import pytest

import ferroflow as tf
from guide_cells import run_cells
from guide_training_builtin_setup import normalize

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
model = keras.Sequential()
# Add an Embedding layer expecting input vocab of size 1000, and
# output embedding dimension of size 64.
model.add(layers.Embedding(input_dim=1000, output_dim=64))

# Add a LSTM layer with 128 internal units.
model.add(layers.LSTM(128))

# Add a Dense layer with 10 units.
model.add(layers.Dense(10))

model.summary()
""",
        """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ embedding (Embedding)           │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ lstm (LSTM)                     │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (F B)
 Trainable params: 0 (F B)
 Non-trainable params: 0 (F B)
""",
    ),
    # [2]
    (
        """\
model = keras.Sequential()
model.add(layers.Embedding(input_dim=1000, output_dim=64))

# The output of GRU will be a 3D tensor of shape (batch_size, timesteps, 256)
model.add(layers.GRU(256, return_sequences=True))

# The output of SimpleRNN will be a 2D tensor of shape (batch_size, 128)
model.add(layers.SimpleRNN(128))

model.add(layers.Dense(10))

model.summary()
""",
        """\
Model: "sequential_1"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ embedding_1 (Embedding)         │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ gru (GRU)                       │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ simple_rnn (SimpleRNN)          │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (F B)
 Trainable params: 0 (F B)
 Non-trainable params: 0 (F B)
""",
    ),
    # [3]
    (
        """\
encoder_vocab = 1000
decoder_vocab = 2000

encoder_input = layers.Input(shape=(None,))
encoder_embedded = layers.Embedding(input_dim=encoder_vocab, output_dim=64)(
    encoder_input
)

# Return states in addition to output
output, state_h, state_c = layers.LSTM(64, return_state=True, name="encoder")(
    encoder_embedded
)
encoder_state = [state_h, state_c]

decoder_input = layers.Input(shape=(None,))
decoder_embedded = layers.Embedding(input_dim=decoder_vocab, output_dim=64)(
    decoder_input
)

# Pass the 2 states to a new LSTM layer, as initial state
decoder_output = layers.LSTM(64, name="decoder")(
    decoder_embedded, initial_state=encoder_state
)
output = layers.Dense(10)(decoder_output)

model = keras.Model([encoder_input, decoder_input], output)
model.summary()
""",
        """\
Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_layer         │ (None, None)      │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ input_layer_1       │ (None, None)      │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ embedding_2         │ (None, None, 64)  │     64,000 │ input_layer[0][0] │
│ (Embedding)         │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ embedding_3         │ (None, None, 64)  │    128,000 │ input_layer_1[0]… │
│ (Embedding)         │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ encoder (LSTM)      │ [(None, 64),      │     33,024 │ embedding_2[0][0] │
│                     │ (None, 64),       │            │                   │
│                     │ (None, 64)]       │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ decoder (LSTM)      │ (None, 64)        │     33,024 │ embedding_3[0][0… │
│                     │                   │            │ encoder[0][1],    │
│                     │                   │            │ encoder[0][2]     │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_2 (Dense)     │ (None, 10)        │        650 │ decoder[0][0]     │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 258,698 (F KB)
 Trainable params: 258,698 (F KB)
 Non-trainable params: 0 (F B)
""",
    ),
    # [4]
    (
        """\
paragraph1 = np.random.random((20, 10, 50)).astype(np.float32)
paragraph2 = np.random.random((20, 10, 50)).astype(np.float32)
paragraph3 = np.random.random((20, 10, 50)).astype(np.float32)

lstm_layer = layers.LSTM(64, stateful=True)
output = lstm_layer(paragraph1)
output = lstm_layer(paragraph2)
output = lstm_layer(paragraph3)

# reset_states() will reset the cached state to the original initial_state.
# If no initial_state was provided, zero-states will be used by default.
lstm_layer.reset_states()
""",
        "",
    ),
    # [5]
    (
        """\
paragraph1 = np.random.random((20, 10, 50)).astype(np.float32)
paragraph2 = np.random.random((20, 10, 50)).astype(np.float32)
paragraph3 = np.random.random((20, 10, 50)).astype(np.float32)

lstm_layer = layers.LSTM(64, stateful=True)
output = lstm_layer(paragraph1)
output = lstm_layer(paragraph2)

existing_state = lstm_layer.states

new_lstm_layer = layers.LSTM(64)
new_output = new_lstm_layer(paragraph3, initial_state=existing_state)
""",
        "",
    ),
    # [6]
    (
        """\
model = keras.Sequential()

model.add(
    layers.Bidirectional(layers.LSTM(64, return_sequences=True), input_shape=(5, 10))
)
model.add(layers.Bidirectional(layers.LSTM(32)))
model.add(layers.Dense(10))

model.summary()
""",
        """\
Model: "sequential_2"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ bidirectional (Bidirectional)   │ (None, 5, 128)         │        38,400 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ bidirectional_1 (Bidirectional) │ (None, 64)             │        41,216 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ (None, 10)             │           650 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 80,266 (F KB)
 Trainable params: 80,266 (F KB)
 Non-trainable params: 0 (F B)
""",
    ),
]


@pytest.fixture(scope="module")
def guide() -> tuple:
    tf.keras.backend.clear_session()  # layer and KerasTensor names count from zero, as in a fresh notebook
    ns: dict = {}
    outputs = run_cells(CELLS[:5], ns)
    ns["stateful_layer"] = ns["lstm_layer"]  # the next block makes a new one under the same name
    ns["stateful_paragraphs"] = [ns[f"paragraph{i}"] for i in (1, 2, 3)]
    outputs += run_cells(CELLS[5:], ns)
    return [normalize(text) for text in outputs], ns


@pytest.mark.parametrize("index", range(len(CELLS)))
def test_cell(guide: tuple, index: int) -> None:
    assert guide[0][index] == CELLS[index][1], f"cell {index}:\n{CELLS[index][0]}"


def _whole_pass(ns: dict, layer, paragraphs: list):
    """A non-stateful LSTM with ``layer``'s weights over the paragraphs joined in time: (output, h, c)."""
    full = ns["layers"].LSTM(64, return_state=True)
    joined = np.concatenate(paragraphs, axis=1)
    full(joined[:, :1])
    full.set_weights(layer.get_weights())
    return [t.numpy() for t in full(joined)]


def test_stateful_chunks_continue_one_sequence(guide: tuple) -> None:
    ns = guide[1]
    layer, paragraphs = ns["stateful_layer"], ns["stateful_paragraphs"]
    assert all(np.all(s.numpy() == 0) for s in layer.states), "reset_states() zeroes the cached states"
    for p in paragraphs:
        out = layer(p).numpy()
    whole, h, c = _whole_pass(ns, layer, paragraphs)
    np.testing.assert_allclose(out, whole, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.states[0].numpy(), h, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.states[1].numpy(), c, rtol=1e-4, atol=1e-5)
    layer.reset_states()
    assert all(np.all(s.numpy() == 0) for s in layer.states)


def test_reused_states_are_the_final_states(guide: tuple) -> None:
    ns = guide[1]
    layer = ns["lstm_layer"]
    _, h, c = _whole_pass(ns, layer, [ns["paragraph1"], ns["paragraph2"]])
    state_h, state_c = (s.numpy() for s in ns["existing_state"])
    np.testing.assert_allclose(state_h, h, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state_c, c, rtol=1e-4, atol=1e-5)
    new = ns["new_lstm_layer"]
    again = new(ns["paragraph3"], initial_state=[ns["tf"].constant(h), ns["tf"].constant(c)]).numpy()
    np.testing.assert_allclose(ns["new_output"].numpy(), again, rtol=1e-5, atol=1e-6)
    assert ns["new_output"].shape == (20, 64)
