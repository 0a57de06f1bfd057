"""Recurrent layers in models: Embedding -> LSTM -> Dense trains with fit, stacked and bidirectional models,
.keras save/load keeping outputs, and user-written cells (Keras's "Working with RNNs" guide) in RNN."""

import numpy as np
import pytest

import ferroflow as tf
from recurrent_refs import run

L = tf.keras.layers
RNG = np.random.default_rng(31)


def _token_task(n=512, length=20, vocab=50):
    """Padded id sequences; the label says whether token 7 occurs in the unpadded part."""
    ids = RNG.integers(1, vocab, size=(n, length))
    lengths = RNG.integers(5, length + 1, size=n)
    for i, k in enumerate(lengths):
        ids[i, k:] = 0
    labels = np.array([7 in row[row > 0] for row in ids], "float32")
    return ids, labels


def test_embedding_lstm_dense_trains_with_fit_and_its_loss_falls():
    tf.keras.utils.set_random_seed(0)
    ids, labels = _token_task()
    model = tf.keras.Sequential(
        [
            tf.keras.Input((20,), dtype="int32"),
            L.Embedding(50, 16, mask_zero=True),
            L.LSTM(32, dropout=0.1),
            L.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(ids, labels, epochs=6, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.6 * losses[0]
    assert history.history["accuracy"][-1] > 0.85
    np.testing.assert_allclose(model.predict(ids[:64], verbose=0), model(ids[:64]).numpy(), atol=1e-5)


@pytest.mark.parametrize("kind", ["stacked", "bidirectional"])
def test_stacked_and_bidirectional_lstm_models_train(kind):
    tf.keras.utils.set_random_seed(1)
    x = RNG.standard_normal((256, 20, 16)).astype("float32")
    y = (x[:, :, 0].sum(1) > 0).astype("float32")  # a sum over time: needs the whole sequence
    if kind == "stacked":
        body = [L.LSTM(32, return_sequences=True), L.LSTM(16)]
    else:
        body = [L.Bidirectional(L.LSTM(16, return_sequences=True)), L.Bidirectional(L.GRU(8), merge_mode="sum")]
    model = tf.keras.Sequential([tf.keras.Input((20, 16)), *body, L.Dense(1, activation="sigmoid")])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]


def test_models_save_and_load_keep_outputs(tmp_path):
    inp = tf.keras.Input((12,), dtype="int32")
    h = L.Embedding(30, 8, mask_zero=True)(inp)
    h = L.Bidirectional(L.LSTM(6, return_sequences=True))(h)
    h = L.TimeDistributed(L.Dense(5, activation="tanh"))(h)
    h = L.RNN([L.GRUCell(4, reset_after=False), L.SimpleRNNCell(3)], return_sequences=True)(h)
    h = L.GRU(4, go_backwards=True)(h)
    model = tf.keras.Model(inp, L.Dense(2)(h))
    ids = RNG.integers(0, 30, size=(10, 12))
    ids[:, 9:] = 0
    want = model(ids).numpy()
    path = str(tmp_path / "rnn.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded(ids).numpy(), want, atol=1e-6)
    assert [type(layer).__name__ for layer in loaded.layers][2:5] == ["Bidirectional", "TimeDistributed", "RNN"]
    weights_path = str(tmp_path / "rnn.weights.npz")
    model.save_weights(weights_path)
    clone = tf.keras.models.clone_model(model)
    clone.load_weights(weights_path)
    np.testing.assert_allclose(clone(ids).numpy(), want, atol=1e-6)


class MinimalRNNCell(L.Layer):
    """The cell of Keras's "Working with RNNs" guide."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="uniform", name="kernel")
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units), initializer="uniform", name="recurrent_kernel"
        )

    def call(self, inputs, states):
        prev_output = states[0]
        h = tf.keras.ops.matmul(inputs, self.kernel)
        output = h + tf.keras.ops.matmul(prev_output, self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _minimal_reference(cell, x, mask=None):
    k, r = cell.kernel.numpy(), cell.recurrent_kernel.numpy()

    def step(xt, states):
        h = xt @ k + states[0] @ r
        return h, [h]

    return run(step, x, [np.zeros((x.shape[0], cell.units))], mask=mask)


def test_user_written_cell_in_rnn_eager_functional_masked_and_stacked(tmp_path):
    x = RNG.standard_normal((4, 7, 5)).astype("float32")
    cell = MinimalRNNCell(6)
    layer = L.RNN(cell, return_sequences=True)
    out = layer(x)
    _, seq, _ = _minimal_reference(cell, x.astype("float64"))
    np.testing.assert_allclose(out.numpy(), seq, atol=1e-5)
    mask = np.arange(7)[None] < np.array([7, 3, 5, 1])[:, None]
    _, seq_masked, _ = _minimal_reference(cell, x.astype("float64"), mask)
    np.testing.assert_allclose(layer(x, mask=tf.constant(mask)).numpy(), seq_masked, atol=1e-5)
    # functional (unknown batch size, zero initial state broadcast), stacked with a built-in cell, saved
    inp = tf.keras.Input((7, 5))
    stacked = L.RNN([MinimalRNNCell(8), L.LSTMCell(3)], return_state=True)
    model = tf.keras.Model(inp, stacked(inp))
    outputs = model(x)
    assert [tuple(t.shape) for t in tf.nest.flatten(outputs)] == [(4, 3), (4, 8), (4, 3), (4, 3)]
    assert stacked.state_size == [8, [3, 3]]
    single = tf.keras.Model(inp, L.RNN(MinimalRNNCell(6))(inp))
    path = str(tmp_path / "custom.keras")
    single.save(path)
    loaded = tf.keras.models.load_model(path, custom_objects={"MinimalRNNCell": MinimalRNNCell})
    np.testing.assert_allclose(loaded(x).numpy(), single(x).numpy(), atol=1e-6)
    bidi = L.Bidirectional(L.RNN(MinimalRNNCell(2), return_sequences=True))
    assert bidi(x).shape == (4, 7, 4)


@pytest.mark.parametrize("layer", ["LSTM", "GRU", "SimpleRNN", "Bidirectional"])
def test_bool_and_int_steps_are_promoted_to_the_weights_dtype(layer):
    """As Keras's matmul promotes them: one-hot bool characters (Keras's addition RNN) give the float outputs."""
    tf.keras.utils.set_random_seed(3)
    x = np.eye(12, dtype=bool)[RNG.integers(0, 12, size=(32, 7))]
    rnn = L.Bidirectional(L.LSTM(8)) if layer == "Bidirectional" else getattr(L, layer)(8)
    want = rnn(x.astype("float32")).numpy()
    for steps in (x, x.astype("int32")):
        got = rnn(steps)
        assert got.dtype == tf.float32
        np.testing.assert_allclose(got.numpy(), want, atol=1e-6)
    cell = L.LSTMCell(8)
    out, _ = cell(x[:, 0], [np.zeros((32, 8), "float32")] * 2)
    np.testing.assert_allclose(out.numpy(), cell(x[:, 0].astype("float32"), [np.zeros((32, 8), "float32")] * 2)[0])
    model = tf.keras.Sequential([tf.keras.Input((7, 12)), L.LSTM(8), L.Dense(12, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(x, RNG.integers(0, 12, size=32), epochs=1, batch_size=16, verbose=0)
    assert np.isfinite(history.history["loss"][0])
