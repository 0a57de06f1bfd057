"""CTC loss with a label width known only when the graph runs: ``tf.nn.ctc_loss``, ``keras.ops.ctc_loss``,
``tf.keras.backend.ctc_batch_cost`` and ``tf.compat.v1.nn.ctc_loss`` traced with labels of shape
``[None, None]``, checked against TensorFlow 2.21's values, finite differences and a Keras ``fit``."""

import numpy as np
import pytest

import ferroflow as tf

# TensorFlow 2.21 on the inputs below.
TF_LOSS = [9.79178524017334, 7.4805402755737305, 8.759993553161621]
TF_LOSS_BLANK_LAST = [10.394432067871094, 6.80069637298584, 8.86331844329834]
TF_LOSS_WIDTH2 = [11.553872108459473, 7.4805402755737305, 8.666984558105469]
TF_BATCH_COST = [10.394430160522461, 6.80069637298584, float("inf")]

LABELS = np.array([[1, 2, 2, 5], [3, 1, 0, 0], [4, 4, 2, 0]], np.int32)
LABELS_B = np.array([[1, 2, 2, 4], [3, 1, 0, 0], [4, 4, 2, 0]], np.int32)
LABEL_LENGTH = np.array([4, 2, 3], np.int32)
LOGIT_LENGTH = np.array([8, 6, 7], np.int32)

DYNAMIC = [
    tf.TensorSpec([None, None], tf.int32),
    tf.TensorSpec([8, None, 6], tf.float32),
    tf.TensorSpec([None], tf.int32),
    tf.TensorSpec([None], tf.int32),
]


def _logits(dtype=np.float32) -> np.ndarray:
    return np.random.default_rng(7).normal(size=(8, 3, 6)).round(3).astype(dtype)


@tf.function(input_signature=DYNAMIC)
def _loss(labels, logits, label_length, logit_length):
    return tf.nn.ctc_loss(labels, logits, label_length, logit_length)


def test_unknown_label_width_matches_tensorflow():
    out = _loss(LABELS, _logits(), LABEL_LENGTH, LOGIT_LENGTH)
    np.testing.assert_allclose(out.numpy(), TF_LOSS, rtol=1e-5)


def test_one_trace_serves_different_label_widths():
    wide = _loss(LABELS, _logits(), LABEL_LENGTH, LOGIT_LENGTH)
    narrow = _loss(LABELS[:, :2], _logits(), np.array([2, 2, 2], np.int32), LOGIT_LENGTH)
    padded = np.concatenate([LABELS, np.zeros((3, 5), np.int32)], axis=1)
    longer = _loss(padded, _logits(), LABEL_LENGTH, LOGIT_LENGTH)
    np.testing.assert_allclose(narrow.numpy(), TF_LOSS_WIDTH2, rtol=1e-5)
    np.testing.assert_allclose(wide.numpy(), TF_LOSS, rtol=1e-5)
    np.testing.assert_allclose(longer.numpy(), TF_LOSS, rtol=1e-5)
    assert _loss.experimental_get_tracing_count() == 1


def test_unknown_label_width_blank_last_class():
    @tf.function(input_signature=DYNAMIC)
    def loss(labels, logits, label_length, logit_length):
        return tf.nn.ctc_loss(labels, logits, label_length, logit_length, blank_index=-1)

    out = loss(LABELS_B, _logits(), LABEL_LENGTH, LOGIT_LENGTH)
    np.testing.assert_allclose(out.numpy(), TF_LOSS_BLANK_LAST, rtol=1e-5)


def test_unknown_label_width_gradient_matches_static_and_finite_differences():
    spec = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([8, 3, 6], tf.float64)]

    @tf.function(input_signature=spec)
    def loss_and_grad(labels, logits):
        with tf.GradientTape() as tape:
            tape.watch(logits)
            loss = tf.reduce_sum(tf.nn.ctc_loss(labels, logits, LABEL_LENGTH, LOGIT_LENGTH) * [1.0, -0.5, 2.0])
        return loss, tape.gradient(loss, logits)

    x = _logits(np.float64)
    _, grad = loss_and_grad(LABELS, x)
    grad = grad.numpy()
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        static = tf.reduce_sum(tf.nn.ctc_loss(LABELS, xt, LABEL_LENGTH, LOGIT_LENGTH) * [1.0, -0.5, 2.0])
    np.testing.assert_allclose(grad, tape.gradient(static, xt).numpy(), atol=1e-10)
    assert np.all(grad[6:, 1] == 0) and np.all(grad[7:, 2] == 0)  # frames past each sequence's end
    eps = 1e-6
    for index in [(0, 0, 0), (0, 0, 1), (2, 1, 3), (3, 2, 4), (5, 0, 5), (6, 2, 2), (7, 0, 0), (4, 1, 1)]:
        up, down = x.copy(), x.copy()
        up[index] += eps
        down[index] -= eps
        numeric = (loss_and_grad(LABELS, up)[0].numpy() - loss_and_grad(LABELS, down)[0].numpy()) / (2 * eps)
        np.testing.assert_allclose(grad[index], numeric, atol=1e-6)


def test_keras_ops_ctc_loss_unknown_label_width():
    spec = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, 8, 6], tf.float32)]

    @tf.function(input_signature=spec)
    def loss(labels, logits):
        return tf.keras.ops.ctc_loss(labels, logits, LABEL_LENGTH, LOGIT_LENGTH, mask_index=0)

    out = loss(LABELS, np.transpose(_logits(), (1, 0, 2)))
    np.testing.assert_allclose(out.numpy(), TF_LOSS, rtol=1e-5)


def test_ctc_batch_cost_unknown_label_width():
    logits = np.transpose(_logits(), (1, 0, 2)).astype(np.float64)
    probs = (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype(np.float32)
    labels = np.array([[1, 2, 2, 4], [3, 1, 0, 0], [1, 1, 0, 0]], np.float32)
    input_length = np.array([[8], [6], [2]])
    label_length = np.array([[4], [2], [2]])
    spec = [
        tf.TensorSpec([None, None], tf.float32),
        tf.TensorSpec([None, 8, 6], tf.float32),
        tf.TensorSpec([None, 1], tf.int64),
        tf.TensorSpec([None, 1], tf.int64),
    ]
    traced = tf.function(tf.keras.backend.ctc_batch_cost, input_signature=spec)
    for out in (
        traced(labels, probs, input_length, label_length),
        tf.keras.backend.ctc_batch_cost(labels, probs, input_length, label_length),
    ):
        assert out.shape == (3, 1)
        np.testing.assert_allclose(out.numpy()[:, 0], TF_BATCH_COST, rtol=1e-5)


def test_ctc_batch_cost_refuses_label_longer_than_input_eagerly():
    probs = np.full((1, 2, 4), 0.25, np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Not enough time"):
        tf.keras.backend.ctc_batch_cost(np.array([[1, 2, 3]]), probs, np.array([[2]]), np.array([[3]]))


def test_ctc_batch_cost_is_public():
    assert "ctc_batch_cost" in dir(tf.keras.backend)


def test_compat_v1_sparse_labels_of_unknown_dense_shape():
    spec = [tf.SparseTensorSpec([None, None], tf.int32), tf.TensorSpec([8, None, 6], tf.float32)]

    @tf.function(input_signature=spec)
    def loss(labels, logits):
        return tf.compat.v1.nn.ctc_loss(labels, logits, LOGIT_LENGTH)

    # TensorFlow's tf.compat.v1.nn.ctc_loss(tf.sparse.from_dense(LABELS_B), logits, LOGIT_LENGTH)
    expected = [10.394431114196777, 6.800696849822998, 8.86331844329834]
    np.testing.assert_allclose(loss(tf.sparse.from_dense(LABELS_B), _logits()).numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(
        loss(tf.sparse.from_dense(LABELS_B[:, :2]), _logits()).numpy()[1], expected[1], rtol=1e-5
    )
