"""Keras models on ``RaggedTensor`` inputs: ``Input(ragged=True)``, a first layer that reduces over the ragged
axis, and ``predict``/``fit``/``evaluate`` against the same model fed the per-row features densely."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


class RowMean(keras.layers.Layer):
    """The mean of each row of a ragged input (one feature per row)."""

    def call(self, x):
        return tf.reduce_mean(x, axis=1, keepdims=True)


def ragged_data(n=40, seed=0, inner=None):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 7, n)
    shape = lambda k: (k,) if inner is None else (k, inner)  # noqa: E731
    rows = [rng.standard_normal(shape(k)).astype("float32") for k in lengths]
    labels = np.array([r.mean() > 0 for r in rows], "float32")[:, None]
    rt = tf.RaggedTensor.from_row_lengths(np.concatenate(rows), lengths)
    return rt, rows, labels


def head(seed=1):
    return keras.layers.Dense(1, activation="sigmoid", kernel_initializer=keras.initializers.GlorotUniform(seed=seed))


def test_a_ragged_input_is_a_ragged_keras_tensor():
    x = keras.Input(shape=(None,), ragged=True)
    assert x.ragged and not x.sparse and tuple(x.shape) == (None, None)
    assert "ragged=True" in repr(x)
    y = RowMean()(x)
    assert not y.ragged and tuple(y.shape) == (None, 1)
    passthrough = keras.layers.Lambda(lambda t: t * 2.0)(x)
    assert passthrough.ragged
    with pytest.raises(ValueError, match="rank of at least 2"):
        keras.Input(shape=(), ragged=True)
    with pytest.raises(NotImplementedError, match="returns a sparse or ragged tensor"):
        keras.Model(x, passthrough).predict(tf.ragged.constant([[1.0], [2.0, 3.0]]), verbose=0)


def test_predict_and_eager_calls_on_ragged_x_match_numpy():
    rt, rows, _ = ragged_data(23)
    x = keras.Input(shape=(None,), ragged=True)
    model = keras.Model(x, head()(RowMean()(x)))
    kernel, bias = model.get_weights()
    means = np.array([[r.mean()] for r in rows], "float32")
    want = 1 / (1 + np.exp(-(means @ kernel + bias)))
    np.testing.assert_allclose(model.predict(rt, batch_size=5, verbose=0), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(rt, verbose=0), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model(rt).numpy(), want, rtol=1e-5, atol=1e-6)


def test_fit_on_ragged_x_trains_as_on_the_row_features():
    rt, rows, labels = ragged_data()
    means = np.array([[r.mean()] for r in rows], "float32")
    x = keras.Input(shape=(None,), ragged=True)
    ragged_model = keras.Model(x, head()(RowMean()(x)))
    d = keras.Input(shape=(1,))
    dense_model = keras.Model(d, head()(d))
    dense_model.set_weights(ragged_model.get_weights())
    for m in (ragged_model, dense_model):
        m.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["accuracy"])
    hr = ragged_model.fit(rt, labels, batch_size=8, epochs=5, shuffle=False, verbose=0, validation_split=0.2)
    hd = dense_model.fit(means, labels, batch_size=8, epochs=5, shuffle=False, verbose=0, validation_split=0.2)
    for key in ("loss", "accuracy", "val_loss"):
        np.testing.assert_allclose(hr.history[key], hd.history[key], rtol=1e-5)
    for a, b in zip(ragged_model.get_weights(), dense_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert hr.history["loss"][-1] < hr.history["loss"][0]
    np.testing.assert_allclose(ragged_model.evaluate(rt, labels, verbose=0), dense_model.evaluate(means, labels,
                                                                                                    verbose=0),
                               rtol=1e-5)
    np.random.seed(5)
    ragged_model.fit(rt, labels, batch_size=8, epochs=1, verbose=0)
    np.random.seed(5)
    dense_model.fit(means, labels, batch_size=8, epochs=1, verbose=0)
    for a, b in zip(ragged_model.get_weights(), dense_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_ragged_rows_with_a_feature_axis_and_padding_in_a_layer():
    rt, rows, labels = ragged_data(17, inner=3)
    x = keras.Input(shape=(None, 3), ragged=True)
    pooled = keras.layers.Lambda(lambda t: tf.reduce_max(t, axis=1))(x)
    padded_sum = keras.layers.Lambda(lambda t: tf.reduce_sum(t.to_tensor(), axis=1))(x)
    model = keras.Model(x, [pooled, padded_sum])
    got_max, got_sum = model.predict(rt, batch_size=4, verbose=0)
    np.testing.assert_allclose(got_max, np.stack([r.max(0) for r in rows]), rtol=1e-6)
    np.testing.assert_allclose(got_sum, np.stack([r.sum(0) for r in rows]), rtol=1e-5, atol=1e-6)
    trained = keras.Model(x, keras.layers.Dense(1)(pooled))
    trained.compile("sgd", "mse")
    history = trained.fit(rt, labels, batch_size=4, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_integer_token_rows():
    tokens = tf.ragged.constant([[3, 1, 2], [5], [4, 4]])
    x = keras.Input(shape=(None,), ragged=True, dtype="int32")
    counts = keras.layers.Lambda(lambda t: tf.cast(t.row_lengths()[:, None], tf.float32))(x)
    sums = keras.layers.Lambda(lambda t: tf.cast(tf.reduce_sum(t, axis=1, keepdims=True), tf.float32))(x)
    got_counts, got_sums = keras.Model(x, [counts, sums]).predict(tokens, verbose=0)
    np.testing.assert_array_equal(got_counts, [[3], [1], [2]])
    np.testing.assert_array_equal(got_sums, [[6], [5], [8]])


def test_taking_rows_of_ragged_data_keeps_each_rows_values():
    from ferroflow.models.composite_data import RaggedRows

    rt = tf.ragged.constant([[[1, 2], [3]], [], [[4], [5, 6, 7]], [[8]]])
    rows = RaggedRows.from_tensor(rt, "float32")
    part = rows.take(np.array([2, 0, 3]))
    rebuilt = tf.RaggedTensor.from_nested_row_splits(part.flat_values, part.nested_splits)
    assert rebuilt.to_list() == [[[4], [5, 6, 7]], [[1, 2], [3]], [[8]]]
    assert rows.shape == (4, None, None) and len(rows[1:]) == 3
