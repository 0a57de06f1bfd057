"""``Embedding`` and ``Masking``: values against NumPy, the gradient through the gather, masks, config,
training in Sequential and functional models, and bad arguments."""

import warnings

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
RNG = np.random.default_rng(11)


def _padded_ids(batch=32, length=20, vocab=1000):
    ids = RNG.integers(1, vocab, size=(batch, length))
    lengths = RNG.integers(1, length + 1, size=batch)
    for i, n in enumerate(lengths):
        ids[i, n:] = 0
    return ids, lengths


def test_lookup_is_rows_of_the_embeddings_matrix():
    layer = L.Embedding(1000, 64, name="words")
    ids, _ = _padded_ids()
    out = layer(ids)
    table = layer.embeddings.numpy()
    assert out.shape == (32, 20, 64) and out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), table[ids])
    assert [w.path for w in layer.weights] == ["words/embeddings"]
    assert layer.embeddings.shape == (1000, 64)
    # the default "uniform" initializer is Keras's RandomUniform(-0.05, 0.05)
    assert -0.05 <= table.min() < -0.04 and 0.04 < table.max() <= 0.05
    assert layer.compute_output_shape((None, 20)) == (None, 20, 64)
    assert layer(ids.astype("float32")).numpy().tolist() == out.numpy().tolist()  # float ids are cast


def test_higher_rank_ids_and_int64():
    layer = L.Embedding(10, 3)
    ids = RNG.integers(0, 10, size=(4, 5, 6)).astype("int64")
    np.testing.assert_array_equal(layer(ids).numpy(), layer.embeddings.numpy()[ids])


def test_gradient_scatters_into_the_looked_up_rows():
    layer = L.Embedding(12, 4, dtype="float64")
    ids = np.array([[1, 2, 2, 0], [11, 2, 5, 5]])
    w = RNG.standard_normal((2, 4, 4))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(ids) * w)
    grad = np.asarray(tf.convert_to_tensor(tape.gradient(loss, layer.embeddings)))
    want = np.zeros((12, 4))
    np.add.at(want, ids, w)
    np.testing.assert_allclose(grad, want, rtol=1e-12)
    # finite differences of the loss in one repeated row
    table = layer.embeddings.numpy()
    eps = 1e-6
    for j in range(4):
        up, down = table.copy(), table.copy()
        up[2, j] += eps
        down[2, j] -= eps
        numeric = ((up[ids] * w).sum() - (down[ids] * w).sum()) / (2 * eps)
        assert grad[2, j] == pytest.approx(numeric, rel=1e-6)


def test_mask_zero_produces_the_padding_mask():
    layer = L.Embedding(1000, 16, mask_zero=True)
    ids, lengths = _padded_ids()
    out = layer(ids)
    want = np.arange(20)[None, :] < lengths[:, None]
    np.testing.assert_array_equal(out._keras_mask.numpy(), want)
    np.testing.assert_array_equal(layer.compute_mask(ids).numpy(), want)
    assert layer.supports_masking
    plain = L.Embedding(10, 2)
    assert plain.compute_mask(ids) is None and getattr(plain(ids % 10), "_keras_mask", None) is None
    assert not plain.supports_masking


def test_config_round_trip_and_keras_keys():
    layer = L.Embedding(
        50, 8, embeddings_initializer="glorot_uniform", embeddings_regularizer="l2", mask_zero=True, name="emb"
    )
    config = layer.get_config()
    for key in (
        "input_dim",
        "output_dim",
        "embeddings_initializer",
        "embeddings_regularizer",
        "embeddings_constraint",
        "activity_regularizer",
        "mask_zero",
        "name",
        "trainable",
        "dtype",
    ):
        assert key in config
    clone = L.Embedding.from_config(config)
    assert (clone.input_dim, clone.output_dim, clone.mask_zero, clone.name) == (50, 8, True, "emb")
    clone.build()
    assert len(clone.losses) == 1  # the embeddings regularizer
    again = L.deserialize(L.serialize(layer))
    assert isinstance(again, L.Embedding) and again.get_config() == config


def test_initial_weights_input_length_and_bad_arguments():
    table = RNG.standard_normal((6, 3)).astype("float32")
    layer = L.Embedding(6, 3, weights=[table])
    np.testing.assert_array_equal(layer(np.array([[5, 0]])).numpy(), table[[[5, 0]]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        L.Embedding(6, 3, input_length=10)
    assert any("input_length" in str(w.message) for w in caught)
    for bad in (0, -3, 2.5, True, None):
        with pytest.raises(ValueError, match="input_dim"):
            L.Embedding(bad, 3)
        with pytest.raises(ValueError, match="output_dim"):
            L.Embedding(3, bad)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        L.Embedding(5, 2)(np.array([[1, 5]]))


def test_embedding_trains_in_sequential_and_functional_models():
    tf.keras.utils.set_random_seed(1)
    ids, lengths = _padded_ids(256, 20, 50)
    labels = (lengths > 10).astype("int32")  # the class is the (masked) sequence length
    seq = tf.keras.Sequential(
        [
            tf.keras.Input((20,), dtype="int32"),
            L.Embedding(50, 16),
            L.Flatten(),
            L.Dense(2, activation="softmax"),
        ]
    )
    seq.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    before = seq.layers[0].embeddings.numpy().copy()
    seq.fit(ids, labels, batch_size=32, epochs=15, verbose=0)
    assert seq.evaluate(ids, labels, verbose=0)[1] > 0.9
    assert np.abs(seq.layers[0].embeddings.numpy() - before).max() > 1e-3

    inputs = tf.keras.Input((20,), dtype="int32")
    x = L.Embedding(50, 16, mask_zero=True)(inputs)
    x = L.GlobalAveragePooling1D()(x)
    model = tf.keras.Model(inputs, L.Dense(1, activation="sigmoid")(x))
    model.compile("adam", "binary_crossentropy")
    history = model.fit(ids, labels.astype("float32"), batch_size=32, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_embedding_inside_tf_function():
    layer = L.Embedding(30, 5)

    @tf.function
    def f(ids):
        return layer(ids)

    ids = RNG.integers(0, 30, size=(8, 7))
    np.testing.assert_array_equal(f(tf.constant(ids)).numpy(), layer.embeddings.numpy()[ids])


def test_masking_layer():
    x = RNG.standard_normal((32, 20, 8)).astype("float32")
    x[:, 5] = 0.0
    x[3, 7:] = -1.0
    for value in (0.0, -1.0):
        layer = L.Masking(mask_value=value)
        out = layer(x)
        keep = np.any(x != value, axis=-1)
        np.testing.assert_array_equal(out._keras_mask.numpy(), keep)
        np.testing.assert_array_equal(layer.compute_mask(x).numpy(), keep)
        np.testing.assert_allclose(out.numpy(), x * keep[..., None])
    assert L.Masking().get_config()["mask_value"] == 0.0
    assert L.Masking.from_config(L.Masking(2.5).get_config()).mask_value == 2.5
    assert L.Masking().supports_masking
