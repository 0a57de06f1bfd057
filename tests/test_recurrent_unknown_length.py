"""Recurrent layers on sequences whose length is unknown while a graph is traced: a native while loop runs the
steps, and gives the unrolled loop's outputs and gradients (finite differences in float64), with masks,
go_backwards, states and Bidirectional; a functional model on Input(shape=(None, 8)) trains and saves."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import numeric_gradient

L = tf.keras.layers
RNG = np.random.default_rng(23)
MASK = np.array([[True, True, False, True, True], [True, False, False, False, False]])

LAYERS = {
    "simple_rnn": lambda **kw: L.SimpleRNN(3, return_sequences=True, dtype="float64", **kw),
    "lstm": lambda **kw: L.LSTM(3, return_sequences=True, return_state=True, dtype="float64", **kw),
    "lstm_last": lambda **kw: L.LSTM(3, dtype="float64", **kw),
    "gru_reset_after": lambda **kw: L.GRU(3, return_sequences=True, return_state=True, dtype="float64", **kw),
    "gru_reset_before": lambda **kw: L.GRU(3, reset_after=False, return_sequences=True, dtype="float64", **kw),
    "stacked_cells": lambda **kw: L.RNN(
        [L.LSTMCell(3, dtype="float64"), L.GRUCell(2, dtype="float64")], return_state=True, dtype="float64", **kw
    ),
    "bidirectional": lambda **kw: L.Bidirectional(
        L.GRU(2, return_sequences=True, dtype="float64", **kw), dtype="float64"
    ),
    "bidirectional_states": lambda **kw: L.Bidirectional(
        L.LSTM(2, return_state=True, dtype="float64", **kw), merge_mode="sum", dtype="float64"
    ),
}


def _flat(outputs):
    return tf.concat([tf.reshape(o, [-1]) for o in tf.nest.flatten(outputs)], 0)


def _built(name, x, **kw):
    layer = LAYERS[name](**kw)
    layer(x)
    # weights of a moderate size, so that every gate works away from saturation
    layer.set_weights([RNG.uniform(-0.6, 0.6, w.shape) for w in layer.get_weights()])
    return layer


def _traced(layer, shape, masked, w):
    """``(outputs, d(sum(outputs * w))/d(inputs), d/d(weights))`` in a tf.function taking inputs of ``shape``."""
    mask_shape = [None if d is None else d for d in shape[:2]]
    spec = [tf.TensorSpec(shape, "float64"), tf.TensorSpec(mask_shape, "bool")]

    @tf.function(input_signature=spec)
    def run(x, mask):
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = _flat(layer(x, mask=mask if masked else None))
            loss = tf.reduce_sum(out * w)
        grads = tape.gradient(loss, [x] + layer.trainable_weights)
        return [out] + grads

    return run


# Bidirectional runs one layer backwards already.
CASES = [(n, b, m) for n in sorted(LAYERS) for b in (False, True) for m in (False, True) if not (b and "bidi" in n)]


@pytest.mark.parametrize("name,go_backwards,masked", CASES)
def test_while_loop_matches_the_unrolled_loop(name, go_backwards, masked):
    x = RNG.standard_normal((2, 5, 3))
    kw = {"go_backwards": True} if go_backwards else {}
    layer = _built(name, x, **kw)
    mask = tf.constant(MASK)
    w = RNG.standard_normal(_flat(layer(x, mask=mask if masked else None)).shape)
    unrolled = _traced(layer, [2, 5, 3], masked, w)(tf.constant(x), mask)
    looped = _traced(layer, [None, None, 3], masked, w)(tf.constant(x), mask)
    assert len(looped) == len(unrolled) == 1 + 1 + len(layer.trainable_weights)
    for got, want in zip(looped, unrolled):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-10, atol=1e-12)
    eager = _flat(layer(tf.constant(x), mask=mask if masked else None))
    np.testing.assert_allclose(looped[0].numpy(), eager.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["lstm", "gru_reset_before", "bidirectional_states"])
def test_while_loop_gradients_match_finite_differences(name):
    x = RNG.standard_normal((2, 4, 3))
    layer = _built(name, x)
    mask = tf.constant(MASK[:, :4])
    w = RNG.standard_normal(_flat(layer(x, mask=mask)).shape)
    run = _traced(layer, [None, None, 3], True, w)
    got = run(tf.constant(x), mask)

    def loss_of_input(v):
        return np.sum(run(tf.constant(v), mask)[0].numpy() * w)

    np.testing.assert_allclose(got[1].numpy(), numeric_gradient(loss_of_input, x), rtol=1e-6, atol=1e-9)
    for k, var in enumerate(layer.trainable_weights):
        start = var.numpy().copy()

        def loss_of_weight(v, var=var):
            var.assign(v)
            return np.sum(run(tf.constant(x), mask)[0].numpy() * w)

        want = numeric_gradient(loss_of_weight, start)
        var.assign(start)
        np.testing.assert_allclose(got[2 + k].numpy(), want, rtol=1e-6, atol=1e-9, err_msg=var.name)


def test_zero_output_for_mask_and_initial_state_in_the_while_loop():
    x = RNG.standard_normal((2, 5, 3))
    layer = L.RNN(
        L.SimpleRNNCell(4, dtype="float64"), return_sequences=True, zero_output_for_mask=True, dtype="float64"
    )
    layer(x)
    h0 = RNG.standard_normal((2, 4))
    spec = [tf.TensorSpec([None, None, 3], "float64"), tf.TensorSpec([None, None], "bool")]
    looped = tf.function(lambda t, m: layer(t, initial_state=tf.constant(h0), mask=m), input_signature=spec)
    got = looped(tf.constant(x), tf.constant(MASK)).numpy()
    want = layer(x, initial_state=tf.constant(h0), mask=tf.constant(MASK)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert np.all(got[~MASK] == 0.0)


def test_lengths_change_between_calls_of_one_trace():
    layer = L.LSTM(6, return_sequences=True)
    run = tf.function(lambda t: layer(t), input_signature=[tf.TensorSpec([None, None, 8], "float32")])
    for steps in (1, 9, 30):
        x = RNG.standard_normal((4, steps, 8)).astype("float32")
        got = run(tf.constant(x))
        assert got.shape == (4, steps, 6)
        np.testing.assert_allclose(got.numpy(), layer(x).numpy(), atol=1e-5)
    assert run.experimental_get_tracing_count() == 1


def test_a_user_cell_and_dropout_in_the_while_loop():
    class MinimalCell(L.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent = self.add_weight(shape=(self.units, self.units), name="recurrent")

        def call(self, inputs, states):
            h = tf.matmul(inputs, self.kernel) + tf.matmul(states[0], self.recurrent)
            return h, [h]

    layer = L.RNN(MinimalCell(5), return_sequences=True)
    x = RNG.standard_normal((3, 6, 4)).astype("float32")
    run = tf.function(lambda t: layer(t), input_signature=[tf.TensorSpec([None, None, 4], "float32")])
    np.testing.assert_allclose(run(tf.constant(x)).numpy(), layer(x).numpy(), atol=1e-5)

    dropped = L.GRU(5, dropout=0.5, recurrent_dropout=0.5, return_sequences=True)
    train = tf.function(lambda t: dropped(t, training=True), input_signature=[tf.TensorSpec([None, None, 4])])
    out = train(tf.constant(x)).numpy()
    assert out.shape == (3, 6, 5) and np.all(np.isfinite(out))
    infer = tf.function(lambda t: dropped(t, training=False), input_signature=[tf.TensorSpec([None, None, 4])])
    np.testing.assert_allclose(infer(tf.constant(x)).numpy(), dropped(x).numpy(), atol=1e-5)


def test_stateful_layer_of_unknown_length_carries_its_states():
    x = RNG.standard_normal((4, 10, 3)).astype("float32")
    whole = L.LSTM(5, stateful=True)
    whole(tf.keras.Input((None, 3), batch_size=4))
    want = whole(x).numpy()
    whole.reset_state()
    run = tf.function(lambda t: whole(t), input_signature=[tf.TensorSpec([4, None, 3], "float32")])
    run(tf.constant(x[:, :6]))
    np.testing.assert_allclose(run(tf.constant(x[:, 6:])).numpy(), want, atol=1e-5)


def _sequence_model():
    inputs = tf.keras.Input(shape=(None, 8))
    outputs = L.Dense(1)(L.LSTM(16)(inputs))
    return tf.keras.Model(inputs, outputs)


def _task(steps, batch=64):
    x = RNG.standard_normal((batch, steps, 8)).astype("float32")
    return x, np.tanh(x[:, :, :2].sum(axis=(1, 2)) / np.sqrt(steps))[:, None].astype("float32")


def test_functional_model_of_unknown_length_trains_and_saves(tmp_path):
    tf.keras.utils.set_random_seed(3)
    model = _sequence_model()
    assert model.output_shape == (None, 1)
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    (x1, y1), (x2, y2) = _task(12), _task(7)
    before = [model.evaluate(x, y, verbose=0) for x, y in ((x1, y1), (x2, y2))]
    for _ in range(4):
        model.fit(x1, y1, batch_size=16, epochs=1, verbose=0)
        model.fit(x2, y2, batch_size=16, epochs=1, verbose=0)
    after = [model.evaluate(x, y, verbose=0) for x, y in ((x1, y1), (x2, y2))]
    assert after[0] < 0.7 * before[0] and after[1] < 0.7 * before[1], (before, after)

    path = str(tmp_path / "sequence.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    for x in (x1[:5], x2[:5], x2[:3, :2]):
        np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    run = tf.function(lambda t: loaded(t), input_signature=[tf.TensorSpec([None, None, 8], "float32")])
    np.testing.assert_allclose(run(tf.constant(x1[:5])).numpy(), model(x1[:5]).numpy(), atol=1e-5)


def test_a_train_step_traced_once_for_every_length_lowers_the_loss():
    tf.keras.utils.set_random_seed(4)
    model = _sequence_model()
    optimizer = tf.keras.optimizers.Adam(0.01)

    @tf.function(input_signature=[tf.TensorSpec([None, None, 8]), tf.TensorSpec([None, 1])])
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss

    data = [_task(steps, batch=32) for steps in (5, 13, 9)]
    first = [float(train_step(x, y)) for x, y in data]
    for _ in range(15):
        last = [float(train_step(x, y)) for x, y in data]
    assert train_step.experimental_get_tracing_count() == 1
    assert sum(last) < 0.6 * sum(first), (first, last)


def test_masked_sequence_model_of_unknown_batch_and_length():
    tokens = tf.keras.Input(shape=(None,), dtype="int32")
    h = L.Embedding(20, 8, mask_zero=True)(tokens)
    h = L.Bidirectional(L.LSTM(6, return_sequences=True))(h)
    h = L.TimeDistributed(L.Dense(3))(h)  # batch and time both unknown here
    model = tf.keras.Model(tokens, L.GRU(4)(h))
    assert model.output_shape == (None, 4)
    x = np.array([[1, 2, 3, 0, 0, 0], [4, 5, 0, 0, 0, 0], [7, 1, 1, 2, 9, 3]], "int32")

    @tf.function(input_signature=[tf.TensorSpec([None, None], "int32")])
    def run(t):
        with tf.GradientTape() as tape:
            out = model(t)
            loss = tf.reduce_sum(out * out)
        return [out] + tape.gradient(loss, model.trainable_weights)

    with tf.GradientTape() as tape:
        out = model(x)
        loss = tf.reduce_sum(out * out)
    want = [out] + tape.gradient(loss, model.trainable_weights)
    for got, ref in zip(run(tf.constant(x)), want):
        np.testing.assert_allclose(tf.convert_to_tensor(got).numpy(), tf.convert_to_tensor(ref).numpy(), atol=1e-6)
    # the padding is masked: a shorter row gives its unpadded result
    np.testing.assert_allclose(run(tf.constant(x[1:2, :2]))[0].numpy(), out.numpy()[1:2], atol=1e-6)


def test_unroll_needs_a_static_length():
    with pytest.raises(ValueError, match="Cannot unroll a RNN if the time dimension is undefined"):
        L.LSTM(4, unroll=True)(tf.keras.Input((None, 3)))
    assert tuple(L.LSTM(4, unroll=True)(tf.keras.Input((6, 3))).shape) == (None, 4)
