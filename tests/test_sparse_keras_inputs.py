"""Keras models on ``SparseTensor`` inputs: ``Input(sparse=True)``, ``Dense`` as a sparse-dense product, and
``fit``/``evaluate``/``predict`` on sparse ``x`` giving what the same model gives on the dense equivalent."""

import numpy as np
import pytest

import ferroflow as tf

keras = tf.keras


def bag_of_words(n=60, vocab=12, seed=0):
    rng = np.random.default_rng(seed)
    counts = (rng.random((n, vocab)) < 0.25) * rng.integers(1, 4, (n, vocab))
    labels = (counts[:, : vocab // 2].sum(1) > counts[:, vocab // 2 :].sum(1)).astype("float32")[:, None]
    return counts.astype("float32"), labels


def bow_model(sparse, vocab=12):
    x = keras.Input(shape=(vocab,), sparse=sparse)
    h = keras.layers.Dense(8, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed=1))(x)
    out = keras.layers.Dense(1, activation="sigmoid", kernel_initializer=keras.initializers.GlorotUniform(seed=2))(h)
    model = keras.Model(x, out)
    model.compile(keras.optimizers.Adam(0.01), "binary_crossentropy", metrics=["accuracy"])
    return model


def twin_models():
    sparse_model, dense_model = bow_model(True), bow_model(False)
    dense_model.set_weights(sparse_model.get_weights())
    return sparse_model, dense_model


def assert_same_weights(a, b, tol=1e-5):
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=tol, atol=tol)


def test_a_sparse_input_is_a_sparse_keras_tensor():
    x = keras.Input(shape=(6,), sparse=True)
    assert x.sparse and not x.ragged and tuple(x.shape) == (None, 6)
    assert "sparse=True" in repr(x)
    y = keras.layers.Dense(3)(x)
    assert not y.sparse and tuple(y.shape) == (None, 3)
    assert keras.Model(x, y).layers[0].get_config()["sparse"] is True
    with pytest.raises(ValueError, match="both `sparse=True` and `ragged=True`"):
        keras.Input(shape=(6,), sparse=True, ragged=True)


def test_dense_on_a_sparse_tensor_is_the_dense_product():
    counts, _ = bag_of_words(9)
    layer = keras.layers.Dense(4, activation="tanh")
    st = tf.sparse.from_dense(counts)
    got = layer(st).numpy()
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(got, np.tanh(counts @ kernel + bias), rtol=1e-5, atol=1e-6)
    float64 = tf.sparse.from_dense(counts.astype("float64"))  # values cast to the layer's dtype, as Keras does
    np.testing.assert_allclose(layer(float64).numpy(), got, rtol=1e-6)


def test_fit_on_sparse_x_trains_as_on_the_dense_equivalent():
    counts, labels = bag_of_words()
    sparse_model, dense_model = twin_models()
    st = tf.sparse.from_dense(counts)
    hs = sparse_model.fit(st, labels, batch_size=16, epochs=4, shuffle=False, verbose=0)
    hd = dense_model.fit(counts, labels, batch_size=16, epochs=4, shuffle=False, verbose=0)
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(hs.history[key], hd.history[key], rtol=1e-5)
    assert_same_weights(sparse_model, dense_model)
    assert hs.history["loss"][-1] < hs.history["loss"][0]
    np.testing.assert_allclose(
        sparse_model.predict(st, batch_size=7, verbose=0), dense_model.predict(counts, batch_size=7, verbose=0),
        rtol=1e-5, atol=1e-6,
    )
    np.testing.assert_allclose(
        sparse_model.evaluate(st, labels, verbose=0), dense_model.evaluate(counts, labels, verbose=0), rtol=1e-5
    )


def test_validation_sample_weights_and_batch_callbacks_with_sparse_x():
    counts, labels = bag_of_words()
    sparse_model, dense_model = twin_models()
    st = tf.sparse.from_dense(counts)
    weights = np.linspace(0.5, 1.5, len(labels)).astype("float32")
    seen = []
    cb = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    kwargs = dict(batch_size=10, epochs=2, shuffle=False, verbose=0, validation_split=0.25, sample_weight=weights)
    hs = sparse_model.fit(st, labels, callbacks=[cb], **kwargs)
    hd = dense_model.fit(counts, labels, **kwargs)
    np.testing.assert_allclose(hs.history["val_loss"], hd.history["val_loss"], rtol=1e-5)
    assert seen == list(range(5)) * 2  # 45 training rows in batches of 10
    assert_same_weights(sparse_model, dense_model)
    val = (tf.sparse.from_dense(counts[:20]), labels[:20])
    h = sparse_model.fit(st, labels, validation_data=val, epochs=1, verbose=0)
    assert "val_loss" in h.history


def test_shuffled_batches_take_the_right_rows():
    counts, labels = bag_of_words(40)
    sparse_model, dense_model = twin_models()
    st = tf.sparse.from_dense(counts)
    np.testing.assert_allclose(sparse_model.predict(st, verbose=0), dense_model.predict(counts, verbose=0),
                               rtol=1e-5, atol=1e-6)
    np.random.seed(3)  # fit shuffles with NumPy's generator: the same permutations for both
    sparse_model.fit(st, labels, batch_size=8, epochs=2, shuffle=True, verbose=0)
    np.random.seed(3)
    dense_model.fit(counts, labels, batch_size=8, epochs=2, shuffle=True, verbose=0)
    assert_same_weights(sparse_model, dense_model)


def test_taking_rows_of_sparse_data_keeps_each_rows_elements():
    from ferroflow.models.composite_data import SparseRows

    counts, _ = bag_of_words(15)
    rows = SparseRows.from_tensor(tf.sparse.from_dense(counts), "float32")
    order = np.random.default_rng(1).permutation(15)[:6]
    part = rows.take(order)
    dense = np.zeros(part.shape, "float32")
    dense[tuple(part.indices.T)] = part.values
    np.testing.assert_array_equal(dense, counts[order])
    assert len(rows[:4]) == 4 and rows[10:].shape == (5, 12)


def test_sparse_ops_inside_layers():
    counts, labels = bag_of_words(30)
    st = tf.sparse.from_dense(counts)
    x = keras.Input(shape=(12,), sparse=True)
    dense = keras.layers.Lambda(lambda t: tf.sparse.to_dense(t))(x)
    total = keras.layers.Lambda(lambda t: tf.sparse.reduce_sum(t, axis=1, keepdims=True))(x)
    model = keras.Model(x, [dense, total])
    got_dense, got_total = model.predict(st, verbose=0)
    np.testing.assert_array_equal(got_dense, counts)
    np.testing.assert_allclose(got_total, counts.sum(1, keepdims=True))
    seq = keras.Sequential([keras.Input(shape=(12,), sparse=True), keras.layers.Dense(1)])
    seq.compile("sgd", "mse")
    seq.fit(st, labels, epochs=1, verbose=0)
    np.testing.assert_allclose(seq.predict(st, verbose=0), counts @ seq.get_weights()[0] + seq.get_weights()[1],
                               rtol=1e-5, atol=1e-5)


def test_a_sparse_and_a_dense_input_together():
    counts, labels = bag_of_words(24)
    extra = np.arange(24, dtype="float32")[:, None] / 24
    words = keras.Input(shape=(12,), sparse=True)
    scalar = keras.Input(shape=(1,))
    joined = keras.layers.Lambda(lambda ts: tf.concat([tf.sparse.to_dense(ts[0]), ts[1]], axis=1))([words, scalar])
    model = keras.Model([words, scalar], keras.layers.Dense(1)(joined))
    model.compile("sgd", "mse")
    model.fit([tf.sparse.from_dense(counts), extra], labels, batch_size=5, epochs=1, verbose=0)
    kernel, bias = model.get_weights()
    got = model.predict([tf.sparse.from_dense(counts), extra], verbose=0)
    np.testing.assert_allclose(got, np.concatenate([counts, extra], 1) @ kernel + bias, rtol=1e-5, atol=1e-5)


def test_sparse_targets_are_refused():
    counts, labels = bag_of_words(10)
    model = bow_model(True)
    with pytest.raises(TypeError, match="only the model inputs `x` may be sparse or ragged"):
        model.fit(tf.sparse.from_dense(counts), tf.sparse.from_dense(labels), verbose=0)
