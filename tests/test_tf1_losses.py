"""tf.compat.v1.losses cross-entropies, huber, log and hinge losses: values against TensorFlow 2.21's on the
same inputs (weights, label smoothing, reductions), the LOSSES collection, and float64 gradients."""

import numpy as np
import pytest

import ferroflow as tf
from gradcheck import check_gradient

v1 = tf.compat.v1
L = v1.losses

RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(6, 4)).astype(np.float32)
LABELS = np.array([0, 3, 1, 2, 2, 0])
WEIGHTS = np.array([1, 0, 2, 1, 0.5, 1], np.float32)
ONEHOT = np.eye(4, dtype=np.float32)[LABELS]
BINARY = (RNG.uniform(size=(6, 4)) > 0.5).astype(np.float32)
PROBS = RNG.uniform(0.05, 0.95, size=(6, 4)).astype(np.float32)

# tf.compat.v1.losses in TensorFlow 2.21 (graph mode) on the inputs above.
CASES = [
    (lambda: L.sparse_softmax_cross_entropy(LABELS, LOGITS, weights=WEIGHTS), 2.0373008251190186),
    (lambda: L.softmax_cross_entropy(ONEHOT, LOGITS, label_smoothing=0.1), 1.640824317932129),
    (lambda: L.sigmoid_cross_entropy(BINARY, LOGITS, label_smoothing=0.2, weights=2.0), 1.447587490081787),
    (lambda: L.huber_loss(BINARY, LOGITS, delta=0.7), 0.4348572790622711),
    (lambda: L.log_loss(BINARY, PROBS), 1.0687083005905151),
    (lambda: L.hinge_loss(BINARY, LOGITS, reduction=L.Reduction.MEAN), 0.9495967030525208),
]


def test_values_equal_tensorflows_and_join_losses():
    with tf.Graph().as_default():
        ops = [make() for make, _ in CASES]
        assert v1.get_collection(v1.GraphKeys.LOSSES) == ops
        with v1.Session() as sess:
            got = sess.run(ops)
    np.testing.assert_allclose(got, [want for _, want in CASES], rtol=2e-6)


def test_formulas_against_numpy_eagerly():
    e = LOGITS - BINARY
    quad = np.minimum(np.abs(e), 0.7)
    np.testing.assert_allclose(
        L.huber_loss(BINARY, LOGITS, delta=0.7).numpy(), np.mean(0.5 * quad**2 + 0.7 * (np.abs(e) - quad)), rtol=1e-6
    )
    smooth = ONEHOT * 0.9 + 0.1 / 4
    logp = LOGITS - np.log(np.exp(LOGITS).sum(-1, keepdims=True))
    np.testing.assert_allclose(
        L.softmax_cross_entropy(ONEHOT, LOGITS, label_smoothing=0.1).numpy(),
        np.mean(-(smooth * logp).sum(-1)),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        L.hinge_loss(BINARY, LOGITS, reduction=L.Reduction.SUM).numpy(),
        np.sum(np.maximum(0, 1 - (2 * BINARY - 1) * LOGITS)),
        rtol=1e-6,
    )


@pytest.mark.parametrize(
    "loss",
    [
        lambda x: L.sparse_softmax_cross_entropy(LABELS, x, weights=WEIGHTS.astype(np.float64)),
        lambda x: L.sigmoid_cross_entropy(BINARY.astype(np.float64), x, label_smoothing=0.2),
        lambda x: L.huber_loss(BINARY.astype(np.float64), x, delta=0.7),
    ],
)
def test_gradients_match_finite_differences(loss):
    check_gradient(loss, LOGITS * 1.3)
