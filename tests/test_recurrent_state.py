"""Stateful recurrent layers (states carried between calls, reset_states, fixed batch size, in fit) and
dropout (only while training, one mask per sequence reused at every step, reset after each call)."""

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
RNG = np.random.default_rng(41)


@pytest.mark.parametrize("make", [lambda **kw: L.LSTM(6, **kw), lambda **kw: L.GRU(6, **kw)])
def test_stateful_layer_continues_where_the_last_call_stopped(make):
    x = RNG.standard_normal((4, 10, 3)).astype("float32")
    stateful = make(stateful=True, return_sequences=True)
    first = stateful(x[:, :6]).numpy()
    second = stateful(x[:, 6:]).numpy()
    whole = make(return_sequences=True)
    whole(x)
    whole.set_weights(stateful.get_weights())
    np.testing.assert_allclose(np.concatenate([first, second], 1), whole(x).numpy(), atol=1e-6)
    assert len(stateful.weights) == len(whole.weights)  # the states are not weights
    assert all(v.shape == (4, 6) for v in stateful.states)
    stateful.reset_states()
    np.testing.assert_array_equal(stateful.states[0].numpy(), np.zeros((4, 6)))
    np.testing.assert_allclose(stateful(x[:, :6]).numpy(), first, atol=1e-6)
    with pytest.raises(ValueError, match="Expected batch size: 4"):
        stateful(x[:2])


def test_reset_states_with_values_and_in_a_fitted_sequential_model():
    layer = L.SimpleRNN(3, stateful=True)
    x = RNG.standard_normal((2, 5, 4)).astype("float32")
    layer(x)
    values = RNG.standard_normal((2, 3)).astype("float32")
    layer.reset_states([values])
    np.testing.assert_array_equal(layer.states[0].numpy(), values)
    plain = L.SimpleRNN(3)
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(x).numpy(), plain(x, initial_state=values).numpy(), atol=1e-6)
    model = tf.keras.Sequential([tf.keras.Input((5, 4), batch_size=8), L.LSTM(8, stateful=True), L.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    data = RNG.standard_normal((32, 5, 4)).astype("float32")
    model.fit(data, RNG.standard_normal((32, 1)), batch_size=8, epochs=1, shuffle=False, verbose=0)
    h, c = model.layers[0].states
    assert np.abs(h.numpy()).sum() > 0 and np.abs(c.numpy()).sum() > 0  # the last batch left its states
    model.layers[0].reset_states()
    assert np.abs(h.numpy()).sum() == 0


def test_dropout_only_while_training_and_one_mask_per_sequence():
    x = np.repeat(RNG.standard_normal((16, 1, 8)).astype("float32"), 5, axis=1)  # the same input at every step
    layer = L.SimpleRNN(
        32, activation=None, use_bias=False, recurrent_initializer="zeros", dropout=0.5, return_sequences=True
    )
    plain = layer(x).numpy()
    np.testing.assert_array_equal(layer(x, training=False).numpy(), plain)
    dropped = layer(x, training=True).numpy()
    assert not np.allclose(dropped, plain)
    # with no recurrence each step's output is (x * mask) @ kernel: equal steps mean one mask for all steps
    for t in range(1, 5):
        np.testing.assert_allclose(dropped[:, t], dropped[:, 0], atol=1e-6)
    assert layer.cell._dropout_mask is None  # dropped after the sequence
    again = layer(x, training=True).numpy()
    assert not np.allclose(again, dropped)  # a new mask for the next sequence


@pytest.mark.parametrize("make", [L.LSTM, L.GRU, L.SimpleRNN])
def test_recurrent_dropout_changes_training_outputs_and_trains(make):
    tf.keras.utils.set_random_seed(4)
    x = RNG.standard_normal((64, 10, 4)).astype("float32")
    layer = make(8, dropout=0.3, recurrent_dropout=0.3)
    inference = layer(x).numpy()
    np.testing.assert_array_equal(layer(x).numpy(), inference)
    assert not np.allclose(layer(x, training=True).numpy(), inference)
    model = tf.keras.Sequential([tf.keras.Input((10, 4)), layer, L.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="mse")
    y = x[:, :, 0].mean(1, keepdims=True)
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
