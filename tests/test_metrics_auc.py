"""tf.compat.v1.metrics.auc: streaming ROC / PR areas, checked against TensorFlow 2.21 values and NumPy."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1

RNG = np.random.RandomState(3)
LABELS = (RNG.rand(2, 50) > 0.5).astype(np.int64)
PREDS = np.clip(LABELS * 0.3 + RNG.rand(2, 50) * 0.7, 0, 1).astype(np.float32)
PREDS[0, :3] = [0.0, 1.0, 0.5]
WEIGHTS = RNG.rand(2, 50).astype(np.float32)
CASES = [
    ("ROC", "trapezoidal"),
    ("PR", "careful_interpolation"),
    ("ROC", "minoring"),
    ("PR", "majoring"),
    ("PR", "trapezoidal"),
]
# tf.compat.v1.metrics.auc in TensorFlow 2.21 after the two batches above: per case, (unweighted with 200
# thresholds, weighted with 50 thresholds).
TF_VALUES = [
    0.8635086417198181,
    0.8799549341201782,
    0.8788397908210754,
    0.8788169026374817,
    0.8619028329849243,
    0.8733234405517578,
    0.8806636333465576,
    0.8841427564620972,
    0.8788540363311768,
    0.8789568543434143,
]


def run_auc_cases():
    with tf.Graph().as_default():
        labels = v1.placeholder(tf.int64, [None])
        preds = v1.placeholder(tf.float32, [None])
        weights = v1.placeholder(tf.float32, [None])
        pairs = []
        for curve, method in CASES:
            pairs.append(v1.metrics.auc(labels, preds, curve=curve, summation_method=method))
            pairs.append(
                v1.metrics.auc(labels, preds, weights=weights, curve=curve, summation_method=method, num_thresholds=50)
            )
        local_names = sorted(v.op.name for v in v1.local_variables())
        with v1.Session() as sess:
            sess.run(v1.local_variables_initializer())
            for i in range(2):
                updates = sess.run([u for _, u in pairs], {labels: LABELS[i], preds: PREDS[i], weights: WEIGHTS[i]})
            values = sess.run([v for v, _ in pairs])
    return values, updates, local_names


def test_auc_matches_tensorflow():
    values, updates, _ = run_auc_cases()
    np.testing.assert_allclose(values, TF_VALUES, rtol=1e-6)
    np.testing.assert_allclose(updates, TF_VALUES, rtol=1e-6)


def test_auc_variables_are_local_confusion_counts():
    _, _, names = run_auc_cases()
    assert "auc/true_positives" in names and "auc/false_positives" in names
    assert "auc/true_negatives" in names and "auc/false_negatives" in names


def test_trapezoidal_roc_auc_is_the_numpy_formula():
    labels, preds = LABELS.ravel(), PREDS.ravel()
    thresholds = np.array([-1e-7] + [(i + 1) / 199 for i in range(198)] + [1 + 1e-7], np.float32)
    above = preds[:, None] > thresholds[None, :]
    tp = (above & (labels[:, None] == 1)).sum(0).astype(np.float64)
    fp = (above & (labels[:, None] == 0)).sum(0).astype(np.float64)
    fn = (~above & (labels[:, None] == 1)).sum(0).astype(np.float64)
    tn = (~above & (labels[:, None] == 0)).sum(0).astype(np.float64)
    eps = 1e-6
    rec, fpr = (tp + eps) / (tp + fn + eps), fp / (fp + tn + eps)
    expected = np.sum((fpr[:-1] - fpr[1:]) * (rec[:-1] + rec[1:]) / 2)
    with tf.Graph().as_default():
        value, update = v1.metrics.auc(tf.constant(labels), tf.constant(preds))
        with v1.Session() as sess:
            sess.run(v1.local_variables_initializer())
            sess.run(update)
            got = sess.run(value)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_auc_argument_errors():
    with tf.Graph().as_default():
        labels, preds = tf.constant([0, 1]), tf.constant([0.2, 0.8])
        with pytest.raises(ValueError, match="curve must be either ROC or PR, XYZ unknown"):
            v1.metrics.auc(labels, preds, curve="XYZ")
        with pytest.raises(ValueError, match="Invalid summation_method: middle"):
            v1.metrics.auc(labels, preds, summation_method="middle")
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        v1.metrics.auc(tf.constant([0, 1]), tf.constant([0.2, 0.8]))
