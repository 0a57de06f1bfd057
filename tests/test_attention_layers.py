"""``Attention`` and ``AdditiveAttention`` against NumPy versions of Keras 3's equations: scores, masks
(value, query, causal), dropout, returned scores, gradients by finite differences, models and config."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

L = tf.keras.layers
RNG = np.random.default_rng(21)


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def reference(q, v, k=None, scores_fn=None, q_mask=None, v_mask=None, causal=False):
    """Keras's Attention.call in NumPy."""
    k = v if k is None else k
    scores = scores_fn(q, k)
    mask = None if v_mask is None else v_mask[:, None, :]
    if causal:
        tril = np.tril(np.ones((q.shape[1], k.shape[1]), bool))[None]
        mask = tril if mask is None else mask & tril
    if mask is not None:
        scores = np.where(mask, scores, scores - 1e9)
    weights = _softmax(scores)
    out = weights @ v
    if q_mask is not None:
        out = np.where(q_mask[..., None], out, 0.0)
    return out, weights


def dot(scale=1.0):
    return lambda q, k: scale * q @ np.swapaxes(k, -1, -2)


def concat(weight=1.0, scale=None):
    def scores(q, k):
        pairs = q[:, :, None, :] + k[:, None, :, :]
        return weight * np.tanh(pairs if scale is None else scale * pairs).sum(-1)

    return scores


def additive(scale):
    return lambda q, k: (scale * np.tanh(q[:, :, None, :] + k[:, None, :, :])).sum(-1)


def _qv(batch=32, tq=20, tv=16, dim=64):
    return (
        RNG.standard_normal((batch, tq, dim)).astype("float32"),
        RNG.standard_normal((batch, tv, dim)).astype("float32"),
    )


def _lengths_mask(batch, length):
    lengths = RNG.integers(1, length + 1, size=batch)
    return np.arange(length)[None, :] < lengths[:, None]


def test_dot_product_attention_matches_numpy():
    q, v = _qv()
    layer = L.Attention()
    out, weights = layer([q, v], return_attention_scores=True)
    want, want_w = reference(q, v, scores_fn=dot())
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(weights.numpy(), want_w, rtol=1e-4, atol=1e-6)
    assert layer.weights == [] and layer.compute_output_shape([(None, 20, 64), (None, 16, 64)]) == (None, 20, 64)
    k = RNG.standard_normal(v.shape).astype("float32")
    np.testing.assert_allclose(layer([q, v, k]).numpy(), reference(q, v, k, dot())[0], rtol=1e-4, atol=1e-5)


def test_scale_and_concat_scores():
    q, v = _qv(8, 5, 7, 6)
    layer = L.Attention(use_scale=True)
    layer([q, v])
    layer.scale.assign(0.37)
    np.testing.assert_allclose(layer([q, v]).numpy(), reference(q, v, scores_fn=dot(0.37))[0], rtol=1e-5, atol=1e-6)
    cat = L.Attention(score_mode="concat")
    np.testing.assert_allclose(cat([q, v]).numpy(), reference(q, v, scores_fn=concat())[0], rtol=1e-5, atol=1e-6)
    cat2 = L.Attention(score_mode="concat", use_scale=True, name="cat")
    cat2([q, v])
    cat2.scale.assign(0.5)
    cat2.concat_score_weight.assign(1.5)
    assert [w.path for w in cat2.weights] == ["cat/scale", "cat/concat_score_weight"]
    want = reference(q, v, scores_fn=concat(1.5, 0.5))[0]
    np.testing.assert_allclose(cat2([q, v]).numpy(), want, rtol=1e-5, atol=1e-6)


def test_additive_attention():
    q, v = _qv(8, 5, 7, 6)
    layer = L.AdditiveAttention()
    out = layer([q, v])
    scale = layer.scale.numpy()
    assert scale.shape == (6,)
    np.testing.assert_allclose(out.numpy(), reference(q, v, scores_fn=additive(scale))[0], rtol=1e-5, atol=1e-6)
    plain = L.AdditiveAttention(use_scale=False)
    np.testing.assert_allclose(plain([q, v]).numpy(), reference(q, v, scores_fn=additive(1.0))[0], rtol=1e-5, atol=1e-6)
    assert "score_mode" not in layer.get_config()


def test_masks_and_causal_mask():
    q, v = _qv()
    q_mask, v_mask = _lengths_mask(32, 20), _lengths_mask(32, 16)
    layer = L.Attention()
    out, weights = layer([q, v], mask=[q_mask, v_mask], return_attention_scores=True)
    want, want_w = reference(q, v, scores_fn=dot(), q_mask=q_mask, v_mask=v_mask)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(weights.numpy(), want_w, rtol=1e-4, atol=1e-6)
    assert np.all(weights.numpy()[~np.broadcast_to(v_mask[:, None, :], weights.shape)] == 0)  # masked keys
    np.testing.assert_array_equal(out._keras_mask.numpy(), q_mask)  # the query's mask is the output's
    # the masked values do not matter
    v2 = np.where(v_mask[..., None], v, 100.0).astype("float32")
    np.testing.assert_allclose(layer([q, v2], mask=[q_mask, v_mask]).numpy(), out.numpy(), rtol=1e-5, atol=1e-6)
    q2 = q[:, :16]
    causal, cw = layer([q2, v], use_causal_mask=True, return_attention_scores=True)
    np.testing.assert_allclose(causal.numpy(), reference(q2, v, scores_fn=dot(), causal=True)[0], rtol=1e-4, atol=1e-5)
    assert np.all(np.triu(cw.numpy()[0], 1) == 0)
    both = layer([q2, v], mask=[None, v_mask], use_causal_mask=True)
    want = reference(q2, v, scores_fn=dot(), v_mask=v_mask, causal=True)[0]
    np.testing.assert_allclose(both.numpy(), want, rtol=1e-4, atol=1e-5)


def test_keras_masks_on_the_inputs_are_used():
    ids = RNG.integers(1, 50, size=(32, 20))
    ids[:, 15:] = 0
    emb = L.Embedding(50, 64, mask_zero=True)
    x = emb(ids)
    out, weights = L.Attention()([x, x], return_attention_scores=True)
    assert np.all(weights.numpy()[:, :, 15:] == 0)
    np.testing.assert_array_equal(out._keras_mask.numpy(), ids != 0)


def test_dropout_only_while_training():
    q, v = _qv(4, 6, 6, 8)
    layer = L.Attention(dropout=0.5, seed=3)
    base = layer([q, v]).numpy()
    np.testing.assert_allclose(layer([q, v], training=False).numpy(), base)
    out, weights = layer([q, v], training=True, return_attention_scores=True)
    assert np.abs(out.numpy() - base).max() > 1e-3
    np.testing.assert_allclose(weights.numpy().sum(-1), 1.0, rtol=1e-5)  # the scores before dropout
    with pytest.raises(ValueError, match="dropout"):
        L.Attention(dropout=1.5)


@pytest.mark.parametrize(
    "make",
    [lambda: L.Attention(use_scale=True), lambda: L.Attention(score_mode="concat"), lambda: L.AdditiveAttention()],
)
def test_gradients_match_finite_differences(make):
    layer = make()
    q = RNG.standard_normal((2, 3, 4))
    v = RNG.standard_normal((2, 5, 4))
    v_mask = np.array([[True, True, True, False, False], [True, True, True, True, True]])
    layer64 = type(layer).from_config({**layer.get_config(), "dtype": "float64"})
    fn = lambda a, b: layer64([a, b], mask=[None, v_mask])  # noqa: E731
    check_gradient(fn, q, v, wrt=0, rtol=1e-5, atol=1e-8)
    check_gradient(fn, q, v, wrt=1, rtol=1e-5, atol=1e-8)
    weight = layer64.weights[0]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(fn(tf.constant(q), tf.constant(v)) ** 2)
    got = tape.gradient(loss, weight).numpy()
    value, eps = np.array(weight.numpy()), 1e-6  # a 0-d weight's numpy() is a NumPy scalar
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


def test_in_a_model_fit_and_tf_function():
    tf.keras.utils.set_random_seed(4)
    inputs = tf.keras.Input((20,), dtype="int32")
    x = L.Embedding(40, 32, mask_zero=True)(inputs)
    x = L.Attention(use_scale=True)([x, x])
    x = L.GlobalAveragePooling1D()(x)
    model = tf.keras.Model(inputs, L.Dense(1, activation="sigmoid")(x))
    ids = RNG.integers(1, 40, size=(128, 20))
    ids[::2, 10:] = 0
    labels = (ids[:, 0] < 20).astype("float32")
    model.compile("adam", "binary_crossentropy")
    history = model.fit(ids, labels, batch_size=32, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    layer = L.AdditiveAttention()
    q, v = _qv(4, 6, 7, 8)
    traced = tf.function(lambda a, b: layer([a, b]))
    np.testing.assert_allclose(traced(tf.constant(q), tf.constant(v)).numpy(), layer([q, v]).numpy(), rtol=1e-6)


def test_config_and_bad_input():
    layer = L.Attention(use_scale=True, score_mode="concat", dropout=0.1, seed=7, name="att")
    config = layer.get_config()
    assert {k: config[k] for k in ("use_scale", "score_mode", "dropout", "seed")} == {
        "use_scale": True,
        "score_mode": "concat",
        "dropout": 0.1,
        "seed": 7,
    }
    assert L.Attention.from_config(config).get_config() == config
    assert L.deserialize(L.serialize(L.AdditiveAttention(use_scale=False))).use_scale is False
    with pytest.raises(ValueError, match="score_mode"):
        L.Attention(score_mode="add")
    q, v = _qv(2, 3, 3, 4)
    with pytest.raises(ValueError, match="list of inputs"):
        L.Attention()(q)
    with pytest.raises(ValueError, match="length 2 or 3"):
        L.Attention()([q])
    with pytest.raises(ValueError, match="mask must be a list"):
        L.Attention()([q, v], mask=np.ones((2, 3), bool))
