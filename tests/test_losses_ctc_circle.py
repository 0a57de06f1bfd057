"""``CTC`` and ``Circle`` losses against NumPy versions of their definitions (and numbers Keras 3.15 computed on
the same inputs); configs, lookups, gradients, tf.function and training."""

import numpy as np
import pytest

import ferroflow as tf

L = tf.keras.losses
rng = np.random.default_rng(1)
LABELS = np.array([[1, 2, 2, 0], [3, 1, 0, 0], [2, 0, 0, 0]], dtype="int32")
LOGITS = rng.normal(size=(3, 6, 4)).astype("float32")
EMB = rng.normal(size=(6, 5)).astype("float32")
EMB /= np.linalg.norm(EMB, axis=1, keepdims=True)
IDS = np.array([0, 1, 0, 2, 1, 3])


def np_ctc(labels, logits):
    """-log p(labels | logits) by the CTC forward recursion over the blank-extended labels (blank 0)."""
    out = []
    for seq, frames in zip(labels, logits):
        seq = [int(c) for c in seq if c != 0]
        ext = [0]
        for c in seq:
            ext += [c, 0]
        logp = frames - np.log(np.sum(np.exp(frames), -1, keepdims=True))
        alpha = np.full(len(ext), -np.inf)
        alpha[0] = logp[0, ext[0]]
        if len(ext) > 1:
            alpha[1] = logp[0, ext[1]]
        for t in range(1, len(frames)):
            new = np.full(len(ext), -np.inf)
            for s in range(len(ext)):
                terms = [alpha[s]] + ([alpha[s - 1]] if s > 0 else [])
                if s > 1 and ext[s] != 0 and ext[s] != ext[s - 2]:
                    terms.append(alpha[s - 2])
                new[s] = np.logaddexp.reduce(terms) + logp[t, ext[s]]
            alpha = new
        out.append(-np.logaddexp(alpha[-1], alpha[-2]) if len(ext) > 1 else -alpha[-1])
    return np.array(out)


def lse_rows(x):
    """log(sum(exp(x), axis=1)), stable, and -inf for a row of only -inf."""
    m = np.max(x, 1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return (np.log(np.sum(np.exp(x - m), 1, keepdims=True)) + m)[:, 0]


def np_circle(ids, emb, gamma=80.0, margin=0.4, remove_diagonal=True):
    emb = emb.astype(np.float64)
    dist = np.maximum(1 - emb @ emb.T, 0)
    pos = ids[:, None] == ids[None, :]
    neg = ~pos
    if remove_diagonal:
        pos &= ~np.eye(len(ids), dtype=bool)
    pos_w = np.maximum((margin + dist) * pos, 0)
    neg_w = np.maximum((1 + margin - dist) * neg, 0)
    pos_term = np.where(pos, -gamma * pos_w * (margin - dist), -np.inf)
    neg_term = np.where(neg, gamma * neg_w * (1 - margin - dist), -np.inf)
    return np.logaddexp(0, lse_rows(pos_term) + lse_rows(neg_term))


def close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), want, rtol=tol, atol=tol)


def test_ctc_matches_the_forward_recursion():
    want = np_ctc(LABELS, LOGITS)
    close(L.ctc(LABELS, LOGITS), want)
    close(want, [4.801914, 6.465449, 4.7510266])  # Keras 3.15
    close(L.CTC()(LABELS, LOGITS), want.mean())
    close(L.CTC(reduction="sum")(LABELS.astype("float32"), LOGITS), want.sum())  # float labels are cast
    # A realistic batch: 32 sequences of 20 frames over 11 classes, labels up to 6 long.
    logits = rng.normal(size=(32, 20, 11)).astype("float32")
    labels = rng.integers(1, 11, size=(32, 6))
    labels[np.arange(6)[None, :] >= rng.integers(1, 7, size=(32, 1))] = 0
    close(L.CTC(reduction=None)(labels, logits), np_ctc(labels, logits), tol=1e-4)


def test_ctc_bad_shapes():
    with pytest.raises(ValueError, match="max_length"):
        L.ctc(LABELS[:, :, None], LOGITS)
    with pytest.raises(ValueError, match="num_classes"):
        L.ctc(LABELS, LOGITS[:, :, 0])


def test_ctc_gradient_and_tf_function():
    logits = tf.constant(LOGITS.astype(np.float64))
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.reduce_sum(L.ctc(LABELS, logits))
    grad = tape.gradient(loss, logits).numpy()
    numeric = np.zeros_like(grad)
    base = LOGITS.astype(np.float64)
    for i in np.ndindex(base.shape):
        up, down = base.copy(), base.copy()
        up[i] += 1e-6
        down[i] -= 1e-6
        numeric[i] = (np_ctc(LABELS, up).sum() - np_ctc(LABELS, down).sum()) / 2e-6
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6)
    traced = tf.function(lambda y, z: L.CTC()(y, z))
    close(traced(tf.constant(LABELS), tf.constant(LOGITS)), np_ctc(LABELS, LOGITS).mean())


def test_circle_matches_its_definition():
    want = np_circle(IDS, EMB)
    close(L.circle(IDS, EMB), want, tol=1e-4)
    close(want, [40.1435, 180.17172, 31.718456, 0.0, 164.73659, 0.0], tol=1e-4)  # Keras 3.15
    # Samples without any positive pair have loss 0 and are left out of the mean.
    close(L.Circle()(IDS, EMB), want[want > 0].mean(), tol=1e-4)
    close(L.Circle()(IDS, EMB), 104.19256591796875, tol=1e-4)
    loss = L.Circle(gamma=10, margin=0.2, remove_diagonal=False)
    close(loss(IDS, EMB), 11.541186332702637, tol=1e-5)
    close(loss(IDS[:, None], EMB), np_circle(IDS, EMB, 10, 0.2, False).mean(), tol=1e-5)


def test_circle_with_reference_embeddings():
    ref = rng.normal(size=(4, 5)).astype("float32")
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    ref_ids = np.array([0, 1, 2, 2])
    got = L.circle(IDS, EMB, ref_labels=ref_ids, ref_embeddings=ref, remove_diagonal=False, gamma=20)
    dist = np.maximum(1 - EMB @ ref.T, 0)
    pos = IDS[:, None] == ref_ids[None, :]
    pos_t = np.where(pos, -20 * np.maximum((0.4 + dist) * pos, 0) * (0.4 - dist), -np.inf)
    neg_t = np.where(~pos, 20 * np.maximum((1.4 - dist) * ~pos, 0) * (0.6 - dist), -np.inf)
    want = np.logaddexp(0, lse_rows(pos_t) + lse_rows(neg_t))
    close(got, want, tol=1e-4)


def test_circle_gradient_is_finite_with_lonely_samples():
    emb = tf.Variable(EMB)
    with tf.GradientTape() as tape:
        loss = L.Circle(gamma=5)(IDS, emb)
    grad = tape.gradient(loss, emb).numpy()
    assert np.all(np.isfinite(grad)) and np.any(grad != 0)
    traced = tf.function(lambda y, e: L.Circle()(y, e))
    close(traced(tf.constant(IDS), tf.constant(EMB)), 104.19256591796875, tol=1e-4)


def test_configs_and_lookup():
    assert L.CTC().get_config() == {"name": "ctc", "reduction": "sum_over_batch_size"}
    assert L.Circle().get_config() == {
        "name": "circle",
        "reduction": "sum_over_batch_size",
        "gamma": 80.0,
        "margin": 0.4,
        "remove_diagonal": True,
    }
    circle = L.Circle(gamma=32.0, margin=0.25, remove_diagonal=False, reduction="sum", name="c")
    assert L.Circle.from_config(circle.get_config()).get_config() == circle.get_config()
    assert isinstance(L.deserialize(L.serialize(L.CTC())), L.CTC)
    assert isinstance(L.get("Circle"), L.Circle) and L.get("ctc") is L.ctc


def test_circle_training_pulls_classes_together():
    data = np.random.default_rng(5)
    centers = data.normal(size=(4, 8)) * 3
    ids = np.repeat(np.arange(4), 16)
    x = (centers[ids] + data.normal(size=(64, 8))).astype("float32")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(6), tf.keras.layers.UnitNormalization()])
    model.compile(tf.keras.optimizers.Adam(0.02), loss=L.Circle(gamma=16))
    history = model.fit(x, ids.astype("float32"), epochs=10, batch_size=64, shuffle=False, verbose=0).history["loss"]
    assert history[-1] < 0.5 * history[0]


def test_ctc_training_reduces_the_loss():
    data = np.random.default_rng(2)
    x = data.normal(size=(32, 8, 5)).astype("float32")
    labels = np.zeros((32, 3), dtype="float32")
    labels[:, 0] = 1 + (x[:, 0, 0] > 0)
    labels[:, 1] = 3
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((8, 5)), tf.keras.layers.Dense(4)])
    model.compile(tf.keras.optimizers.Adam(0.05), loss="ctc")
    history = model.fit(x, labels, epochs=10, batch_size=16, verbose=0).history["loss"]
    assert history[-1] < 0.7 * history[0]
