"""``MultiHeadAttention`` against a NumPy version of Keras 3's equations: weight layout and names, values
with every kind of mask, multi-axis attention, gradients by finite differences in float64, dropout,
models trained with fit, config and errors."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

L = tf.keras.layers
RNG = np.random.default_rng(31)


def _softmax(x, axes=(-1,)):
    e = np.exp(x - x.max(axis=axes, keepdims=True))
    return e / e.sum(axis=axes, keepdims=True)


def reference(layer, query, value, key=None, mask=None, use_gate=False):
    """Keras's MultiHeadAttention on (batch, T, dim) inputs, from the layer's weights (``mask``: (B, T, S))."""
    key = value if key is None else key
    w = [x.numpy() for x in layer.weights]
    if not layer.use_bias:
        w = [m for pair in zip(w, [0.0] * len(w)) for m in pair]
    names = ["query", "key"] + (["gate"] if use_gate else []) + ["value", "output"]
    p = dict(zip(names, zip(w[0::2], w[1::2])))
    q = np.einsum("btd,dnk->btnk", query, p["query"][0]) + p["query"][1]
    k = np.einsum("bsd,dnk->bsnk", key, p["key"][0]) + p["key"][1]
    v = np.einsum("bsd,dnk->bsnk", value, p["value"][0]) + p["value"][1]
    scores = np.einsum("bsnk,btnk->bnts", k, q / np.sqrt(layer.key_dim))
    if mask is not None:
        scores = np.where(mask[:, None], scores, -1e9)
    weights = _softmax(scores)
    out = np.einsum("bnts,bsnv->btnv", weights, v)
    if use_gate:
        gate = np.einsum("btd,dnk->btnk", query, p["gate"][0]) + p["gate"][1]
        out = out / (1 + np.exp(-gate))  # times sigmoid(gate)
    return np.einsum("btnv,nvo->bto", out, p["output"][0]) + p["output"][1], weights


def _lengths_mask(batch, length):
    lengths = RNG.integers(1, length + 1, size=batch)
    return np.arange(length)[None, :] < lengths[:, None]


def test_weights_have_keras_names_shapes_and_order():
    layer = L.MultiHeadAttention(num_heads=4, key_dim=16, value_dim=8, name="mha")
    layer(np.zeros((2, 5, 64), "float32"), np.zeros((2, 7, 32), "float32"))
    assert [w.name for w in layer.weights] == ["kernel", "bias"] * 4  # Keras 3: the name without the path
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("mha/query/kernel", (64, 4, 16)),
        ("mha/query/bias", (4, 16)),
        ("mha/key/kernel", (32, 4, 16)),
        ("mha/key/bias", (4, 16)),
        ("mha/value/kernel", (32, 4, 8)),
        ("mha/value/bias", (4, 8)),
        ("mha/attention_output/kernel", (4, 8, 64)),
        ("mha/attention_output/bias", (64,)),
    ]
    assert all(np.all(b.numpy() == 0) for b in layer.weights[1::2])
    kernel = layer.weights[0].numpy()
    # glorot_uniform over the (64, 4 * 16) matrix the kernel flattens to, as Keras's EinsumDense
    assert np.abs(kernel).max() <= np.sqrt(6 / (64 + 64)) and np.abs(kernel).max() > 0.9 * np.sqrt(6 / 128)
    no_bias = L.MultiHeadAttention(2, 3, use_bias=False, output_shape=(5,))
    no_bias(np.zeros((1, 4, 6), "float32"), np.zeros((1, 4, 6), "float32"))
    assert [tuple(w.shape) for w in no_bias.weights] == [(6, 2, 3), (6, 2, 3), (6, 2, 3), (2, 3, 5)]
    gated = L.MultiHeadAttention(2, 3, use_gate=True, name="g")
    gated(np.zeros((1, 4, 6), "float32"), np.zeros((1, 4, 6), "float32"))
    assert [w.path for w in gated.weights][4:6] == ["g/gate/kernel", "g/gate/bias"]


def test_self_attention_values_at_realistic_shapes():
    x = RNG.standard_normal((32, 20, 64)).astype("float32")
    layer = L.MultiHeadAttention(num_heads=4, key_dim=16)
    out, scores = layer(x, x, return_attention_scores=True)
    assert out.shape == (32, 20, 64) and scores.shape == (32, 4, 20, 20)
    for w in layer.weights[1::2]:  # non-zero biases, so that they are checked too
        w.assign(RNG.standard_normal(w.shape).astype("float32") * 0.1)
    out, scores = layer(x, x, return_attention_scores=True)
    want, want_scores = reference(layer, x, x)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=2e-5)
    np.testing.assert_allclose(scores.numpy(), want_scores, rtol=1e-4, atol=1e-6)


def test_cross_attention_with_key_value_dim_output_shape_and_gate():
    q = RNG.standard_normal((8, 6, 10)).astype("float32")
    v = RNG.standard_normal((8, 9, 12)).astype("float32")
    k = RNG.standard_normal((8, 9, 7)).astype("float32")
    layer = L.MultiHeadAttention(3, 4, value_dim=5, output_shape=11, use_gate=True)
    out = layer(q, v, key=k)
    assert out.shape == (8, 6, 11)
    np.testing.assert_allclose(out.numpy(), reference(layer, q, v, k, use_gate=True)[0], rtol=1e-4, atol=2e-5)
    assert layer.compute_output_shape((None, 6, 10), (None, 9, 12)) == (None, 6, 11)


def test_masks_keep_masked_keys_out():
    x = RNG.standard_normal((32, 20, 64)).astype("float32")
    q_mask, v_mask = _lengths_mask(32, 20), _lengths_mask(32, 20)
    layer = L.MultiHeadAttention(4, 16)
    out, scores = layer(x, x, query_mask=q_mask, value_mask=v_mask, return_attention_scores=True)
    mask = q_mask[:, :, None] & v_mask[:, None, :]
    want, want_scores = reference(layer, x, x, mask=mask)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=2e-5)
    np.testing.assert_allclose(scores.numpy(), want_scores, rtol=1e-4, atol=1e-6)
    keys_out = np.broadcast_to(~v_mask[:, None, None, :], scores.shape)
    assert np.all(scores.numpy()[keys_out & np.broadcast_to(q_mask[:, None, :, None], scores.shape)] == 0)
    # explicit attention_mask, key_mask and causal mask combine by AND
    att = RNG.random((32, 20, 20)) > 0.3
    att[:, :, 0] = True
    k_mask = _lengths_mask(32, 20)
    out = layer(x, x, key=x, attention_mask=att, key_mask=k_mask, use_causal_mask=True)
    causal = np.tril(np.ones((20, 20), bool))[None]
    want = reference(layer, x, x, mask=att & k_mask[:, None, :] & causal)[0]
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=2e-5)


def test_keras_masks_from_embedding_are_used_and_passed_on():
    ids = RNG.integers(1, 100, size=(32, 20))
    lengths = RNG.integers(1, 21, size=32)
    for i, n in enumerate(lengths):
        ids[i, n:] = 0
    x = L.Embedding(100, 64, mask_zero=True)(ids)
    layer = L.MultiHeadAttention(4, 16)
    out, scores = layer(x, x, return_attention_scores=True)
    keep = ids != 0
    want = reference(layer, x.numpy(), x.numpy(), mask=keep[:, :, None] & keep[:, None, :])[0]
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=2e-5)
    np.testing.assert_array_equal(out._keras_mask.numpy(), keep)
    changed = np.where(keep[..., None], x.numpy(), 50.0).astype("float32")  # padded steps' values do not matter
    changed = tf.constant(changed)
    changed._keras_mask = tf.constant(keep)
    np.testing.assert_allclose(
        np.where(keep[..., None], layer(changed, changed).numpy(), 0),
        np.where(keep[..., None], out.numpy(), 0),
        rtol=1e-4,
        atol=1e-5,
    )


def test_attention_over_two_axes_uses_keras_equations():
    x = RNG.standard_normal((2, 3, 4, 6)).astype("float32")
    layer = L.MultiHeadAttention(2, 3, attention_axes=(1, 2))
    out, scores = layer(x, x, return_attention_scores=True)
    assert out.shape == (2, 3, 4, 6) and scores.shape == (2, 2, 3, 4, 3, 4)
    w = [t.numpy() for t in layer.weights]
    q = np.einsum("abcd,dnk->abcnk", x, w[0]) + w[1]
    k = np.einsum("abcd,dnk->abcnk", x, w[2]) + w[3]
    v = np.einsum("abcd,dnk->abcnk", x, w[4]) + w[5]
    s = np.einsum("afgnk,abcnk->anbcfg", k, q / np.sqrt(3))
    p = _softmax(s, axes=(-2, -1))
    o = np.einsum("anbcfg,afgnk->abcnk", p, v)
    want = np.einsum("abcnk,nko->abco", o, w[6]) + w[7]
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=2e-5)
    np.testing.assert_allclose(scores.numpy(), p, rtol=1e-4, atol=1e-6)
    assert layer.get_config()["attention_axes"] == [1, 2]


def test_gradients_match_finite_differences_in_float64():
    layer = L.MultiHeadAttention(2, 3, dtype="float64")
    q, v = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 5, 4))
    v_mask = np.array([[True] * 3 + [False] * 2, [True] * 5])

    def fn(a, b):
        return layer(a, b, value_mask=v_mask, use_causal_mask=True)

    check_gradient(fn, q, v, wrt=0, rtol=1e-5, atol=1e-8)
    check_gradient(fn, q, v, wrt=1, rtol=1e-5, atol=1e-8)
    for weight in (layer.weights[0], layer.weights[2], layer.weights[5], layer.weights[6]):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(fn(tf.constant(q), tf.constant(v)) ** 2)
        got = tape.gradient(loss, weight).numpy()
        value, eps = weight.numpy(), 1e-6
        numeric = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            sums = []
            for sign in (1, -1):
                shifted = value.copy()
                shifted[i] += sign * eps
                weight.assign(shifted)
                sums.append(float(tf.reduce_sum(fn(tf.constant(q), tf.constant(v)) ** 2)))
            numeric[i] = (sums[0] - sums[1]) / (2 * eps)
        weight.assign(value)
        np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-8)


def test_dropout_only_while_training():
    x = RNG.standard_normal((4, 6, 8)).astype("float32")
    layer = L.MultiHeadAttention(2, 4, dropout=0.5, seed=1)
    base = layer(x, x).numpy()
    np.testing.assert_allclose(layer(x, x, training=False).numpy(), base)
    out, scores = layer(x, x, training=True, return_attention_scores=True)
    assert np.abs(out.numpy() - base).max() > 1e-3
    np.testing.assert_allclose(scores.numpy().sum(-1), 1.0, rtol=1e-5)


def test_transformer_block_trains_with_fit_and_unknown_lengths():
    tf.keras.utils.set_random_seed(6)
    ids = RNG.integers(1, 60, size=(256, 20))
    lengths = RNG.integers(4, 21, size=256)
    for i, n in enumerate(lengths):
        ids[i, n:] = 0
    labels = (ids[:, :3] < 30).sum(1).astype("int32")  # 0 ... 3 small ids among the first three
    inputs = tf.keras.Input((None,), dtype="int32")  # any length
    x = L.Embedding(60, 64, mask_zero=True)(inputs)
    att = L.MultiHeadAttention(num_heads=4, key_dim=16)(x, x)
    x = L.LayerNormalization()(L.Add()([x, att]))
    x = L.GlobalAveragePooling1D()(x)
    model = tf.keras.Model(inputs, L.Dense(4, activation="softmax")(x))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(ids, labels, batch_size=32, epochs=8, verbose=0)
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.5
    short = model.predict(ids[:8, :12], verbose=0)  # another length through the same model
    assert short.shape == (8, 4)

    layer = L.MultiHeadAttention(2, 4)
    x = RNG.standard_normal((3, 5, 8)).astype("float32")
    traced = tf.function(lambda a: layer(a, a, use_causal_mask=True))
    np.testing.assert_allclose(traced(tf.constant(x)).numpy(), layer(x, x, use_causal_mask=True).numpy(), rtol=1e-6)


def test_config_round_trip_and_build_config():
    layer = L.MultiHeadAttention(
        4, 8, value_dim=6, dropout=0.1, use_bias=False, output_shape=(12,), kernel_regularizer="l2", name="m"
    )
    config = layer.get_config()
    for key in (
        "num_heads",
        "key_dim",
        "value_dim",
        "dropout",
        "use_bias",
        "use_gate",
        "output_shape",
        "attention_axes",
        "sliding_window",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "seed",
    ):
        assert key in config
    clone = L.MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    layer(np.zeros((1, 3, 5), "float32"), np.zeros((1, 4, 7), "float32"))
    assert len(layer.losses) == 4  # one l2 penalty per kernel
    build = layer.get_build_config()
    assert build == {"shapes_dict": {"query_shape": [1, 3, 5], "value_shape": [1, 4, 7]}}
    rebuilt = L.MultiHeadAttention.from_config(layer.get_config())
    rebuilt.build_from_config(build)
    assert [tuple(w.shape) for w in rebuilt.weights] == [tuple(w.shape) for w in layer.weights]
    assert L.deserialize(L.serialize(layer)).num_heads == 4


def test_bad_arguments():
    for bad in (0, -1, 2.5, None):
        with pytest.raises(ValueError, match="num_heads"):
            L.MultiHeadAttention(bad, 4)
        with pytest.raises(ValueError, match="key_dim"):
            L.MultiHeadAttention(2, bad)
    with pytest.raises(ValueError, match="value_dim"):
        L.MultiHeadAttention(2, 4, value_dim=0)
    with pytest.raises(ValueError, match="attention_axes"):
        L.MultiHeadAttention(2, 4, attention_axes="time")
    with pytest.raises(ValueError, match="except the last one"):
        L.MultiHeadAttention(2, 4)(np.zeros((1, 3, 4), "float32"), np.zeros((1, 5, 4)), key=np.zeros((1, 6, 4)))
