"""Per-timestep classification: ``sparse_categorical_crossentropy`` and accuracy metrics on
``(batch, time, classes)`` predictions with ``(batch, time)`` labels, ``(batch, time)`` sample weights
and Keras masks, in ``fit``/``evaluate`` and eagerly, against NumPy (Keras 3's reductions)."""

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.layers
M = tf.keras.metrics
RNG = np.random.default_rng(41)
B, T, C = 64, 20, 10


def _tagger(mask_zero=False):
    tf.keras.utils.set_random_seed(0)
    return tf.keras.Sequential(
        [
            tf.keras.Input((T,), dtype="int32"),
            L.Embedding(50, 32, mask_zero=mask_zero),
            L.Dense(C, activation="softmax"),
        ]
    )


def _data():
    ids = RNG.integers(1, 50, size=(B, T))
    lengths = RNG.integers(3, T + 1, size=B)
    for i, n in enumerate(lengths):
        ids[i, n:] = 0
    labels = RNG.integers(0, C, size=(B, T))
    weights = RNG.random((B, T)).astype("float32") * (np.arange(T)[None, :] < lengths[:, None])
    return ids, labels, weights


def _nll(probs, labels):
    return -np.log(np.clip(np.take_along_axis(probs, labels[..., None], -1)[..., 0], 1e-7, 1))


def _top_k(probs, labels, k):
    rank = (probs > np.take_along_axis(probs, labels[..., None], -1)).sum(-1)
    return rank < k


def test_timestep_weights_in_evaluate_and_fit():
    ids, labels, weights = _data()
    model = _tagger()
    model.compile(
        "adam",
        "sparse_categorical_crossentropy",
        metrics=["accuracy", M.SparseTopKCategoricalAccuracy(k=3)],
        weighted_metrics=["accuracy", M.SparseTopKCategoricalAccuracy(k=3, name="w_top3")],
    )
    logs = model.evaluate(ids, labels, sample_weight=weights, batch_size=B, verbose=0, return_dict=True)
    probs = model.predict(ids, verbose=0)
    nll, hit = _nll(probs, labels), probs.argmax(-1) == labels
    assert logs["loss"] == pytest.approx((nll * weights).sum() / (B * T), rel=1e-5)  # sum_over_batch_size
    assert logs["accuracy"] == pytest.approx(hit.mean(), rel=1e-6)  # plain metrics see no weights (Keras 3)
    assert logs["sparse_top_k_categorical_accuracy"] == pytest.approx(_top_k(probs, labels, 3).mean(), rel=1e-6)
    assert logs["weighted_accuracy"] == pytest.approx((hit * weights).sum() / weights.sum(), rel=1e-5)
    want = (_top_k(probs, labels, 3) * weights).sum() / weights.sum()
    assert logs["w_top3"] == pytest.approx(want, rel=1e-5)
    eager = tf.keras.losses.sparse_categorical_crossentropy(labels, probs)
    assert eager.shape == (B, T)
    np.testing.assert_allclose(eager.numpy(), nll, rtol=1e-5)
    history = model.fit(ids, labels, sample_weight=weights, batch_size=16, epochs=3, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    # zero-weight steps are not learned from: their labels can be anything
    scrambled = np.where(weights > 0, labels, RNG.integers(0, C, size=labels.shape))
    again = model.evaluate(ids, scrambled, sample_weight=weights, batch_size=B, verbose=0, return_dict=True)
    now = model.evaluate(ids, labels, sample_weight=weights, batch_size=B, verbose=0, return_dict=True)
    assert again["loss"] == pytest.approx(now["loss"], rel=1e-6)


def test_keras_mask_and_weights_together():
    ids, labels, weights = _data()
    model = _tagger(mask_zero=True)
    model.compile("adam", "sparse_categorical_crossentropy", weighted_metrics=["accuracy"])
    logs = model.evaluate(ids, labels, sample_weight=weights, batch_size=B, verbose=0, return_dict=True)
    probs = model.predict(ids, verbose=0)
    mask = ids != 0
    # Keras's apply_mask: masked steps get weight 0, the others total/valid, so the mean is over valid steps
    want = (_nll(probs, labels) * weights * mask).sum() / mask.sum()
    assert logs["loss"] == pytest.approx(want, rel=1e-5)
    hit = probs.argmax(-1) == labels
    assert logs["accuracy"] == pytest.approx((hit * weights * mask).sum() / (weights * mask).sum(), rel=1e-5)


def test_top_k_metrics_defaults_and_values():
    assert M.TopKCategoricalAccuracy().k == 5 and M.SparseTopKCategoricalAccuracy().k == 5
    assert M.SparseTopKCategoricalAccuracy().name == "sparse_top_k_categorical_accuracy"
    assert M.TopKCategoricalAccuracy(k=2).get_config()["k"] == 2
    probs = RNG.random((B, T, C)).astype("float32")
    labels = RNG.integers(0, C, size=(B, T))
    sparse = M.SparseTopKCategoricalAccuracy(k=4)
    sparse.update_state(labels, probs)
    assert float(sparse.result()) == pytest.approx(_top_k(probs, labels, 4).mean(), rel=1e-6)
    dense = M.TopKCategoricalAccuracy()
    dense.update_state(np.eye(C)[labels], probs)
    assert float(dense.result()) == pytest.approx(_top_k(probs, labels, 5).mean(), rel=1e-6)
    weights = RNG.random((B, T))
    weighted = M.SparseTopKCategoricalAccuracy(k=4)
    weighted.update_state(labels, probs, sample_weight=weights)
    want = (_top_k(probs, labels, 4) * weights).sum() / weights.sum()
    assert float(weighted.result()) == pytest.approx(want, rel=1e-5)
