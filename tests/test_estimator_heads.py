"""The public ``tf.estimator`` heads: losses, predictions and Keras metrics against NumPy and TensorFlow's
documented examples (``create_estimator_spec`` through an Estimator: test_estimator_heads_model_fn.py)."""


import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1
est = tf.estimator

RNG = np.random.RandomState(3)
N = 64
FEATURES = {"x": RNG.randn(N, 4).astype(np.float32), "w": RNG.rand(N).astype(np.float32) + 0.5}
BIN_LOGITS = RNG.randn(N, 1).astype(np.float32) * 2
BIN_LABELS = (RNG.rand(N, 1) > 0.5).astype(np.int64)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_ce(labels, logits):
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def results(metrics):
    return {k: float(m.result()) for k, m in metrics.items()}


def test_binary_class_head_matches_the_documented_example():
    head = est.BinaryClassHead()
    logits = np.array([[45.0], [-41.0]], np.float32)
    labels = np.array([[1], [1]], np.int32)
    features = {"x": np.array([[42.0]], np.float32)}
    assert float(head.loss(labels, logits, features=features)) == pytest.approx(20.5)
    got = results(head.update_metrics(head.metrics(), features, logits, labels))
    assert got == pytest.approx(
        {
            "accuracy": 0.5,
            "accuracy_baseline": 1.0,
            "auc": 0.0,
            "auc_precision_recall": 1.0,
            "average_loss": 20.5,
            "label/mean": 1.0,
            "precision": 1.0,
            "prediction/mean": 0.5,
            "recall": 0.5,
        }
    )
    assert isinstance(head, est.Head) and head.logits_dimension == 1 and head.loss_reduction == "sum_over_batch_size"


def test_binary_class_head_weighted_loss_metrics_and_thresholds_against_numpy():
    head = est.BinaryClassHead(weight_column="w", thresholds=[0.3, 0.7], name="bin")
    w = FEATURES["w"][:, None]
    ce = sigmoid_ce(BIN_LABELS, BIN_LOGITS)
    np.testing.assert_allclose(float(head.loss(BIN_LABELS, BIN_LOGITS, FEATURES)), np.sum(w * ce) / N, rtol=1e-5)
    got = results(head.update_metrics(head.metrics(), FEATURES, BIN_LOGITS, BIN_LABELS))
    p = sigmoid(BIN_LOGITS)
    pred = (BIN_LOGITS > 0).astype(np.int64)
    label_mean = np.sum(w * BIN_LABELS) / np.sum(w)
    expected = {
        "average_loss/bin": np.sum(w * ce) / np.sum(w),
        "accuracy/bin": np.sum(w * (pred == BIN_LABELS)) / np.sum(w),
        "precision/bin": np.sum(w * pred * BIN_LABELS) / np.sum(w * pred),
        "recall/bin": np.sum(w * pred * BIN_LABELS) / np.sum(w * BIN_LABELS),
        "prediction/mean/bin": np.sum(w * p) / np.sum(w),
        "label/mean/bin": label_mean,
        "accuracy_baseline/bin": max(label_mean, 1 - label_mean),
    }
    for t in (0.3, 0.7):
        above = (p > t).astype(np.int64)
        expected[f"accuracy/positive_threshold_{t:g}/bin"] = np.sum(w * (above == BIN_LABELS)) / np.sum(w)
        expected[f"precision/positive_threshold_{t:g}/bin"] = np.sum(w * above * BIN_LABELS) / np.sum(w * above)
        expected[f"recall/positive_threshold_{t:g}/bin"] = np.sum(w * above * BIN_LABELS) / np.sum(w * BIN_LABELS)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-5), key
    pos, neg = p[BIN_LABELS == 1], p[BIN_LABELS == 0]
    wp, wn = w[BIN_LABELS == 1], w[BIN_LABELS == 0]
    exact_auc = np.sum(wp[:, None] * wn[None, :] * (pos[:, None] > neg[None, :])) / (wp.sum() * wn.sum())
    assert got["auc/bin"] == pytest.approx(exact_auc, abs=0.02)


def test_binary_predictions_keys_vocabulary_and_loss_fn():
    head = est.BinaryClassHead(label_vocabulary=["no", "yes"])
    preds = head.predictions(BIN_LOGITS)
    assert list(preds) == [
        "logits",
        "logistic",
        "probabilities",
        "class_ids",
        "classes",
        "all_class_ids",
        "all_classes",
    ]
    classes = preds["classes"].numpy().reshape(-1)
    assert list(classes) == [b"yes" if v > 0 else b"no" for v in BIN_LOGITS.reshape(-1)]
    assert list(head.predictions(BIN_LOGITS, keys=["logistic"])) == ["logistic"]
    with pytest.raises(ValueError, match="Prediction key must be in PredictionKeys"):
        head.predictions(BIN_LOGITS, keys=["predictions"])
    words = np.where(BIN_LABELS == 1, b"yes", b"no").astype(object)
    np.testing.assert_allclose(
        float(head.loss(words, BIN_LOGITS)), np.mean(sigmoid_ce(BIN_LABELS, BIN_LOGITS)), rtol=1e-5
    )

    def hinge(labels, logits):
        return tf.nn.relu(1.0 - (2.0 * labels - 1.0) * logits)

    custom = est.BinaryClassHead(loss_fn=hinge)
    expected = np.mean(np.maximum(0, 1 - (2 * BIN_LABELS - 1) * BIN_LOGITS))
    assert float(custom.loss(BIN_LABELS, BIN_LOGITS)) == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="loss_fn has unexpected args"):
        est.BinaryClassHead(loss_fn=lambda labels, logits, extra: logits)
    with pytest.raises(ValueError, match="thresholds not in"):
        est.BinaryClassHead(thresholds=[1.5])


def test_multi_class_head_against_numpy_and_the_documented_example():
    head = est.MultiClassHead(n_classes=3)
    logits = np.array([[10.0, 0, 0], [0, 10.0, 0]], np.float32)
    labels = np.array([[1], [1]], np.int64)
    assert float(head.loss(labels, logits)) == pytest.approx(5.0, abs=1e-3)
    assert results(head.update_metrics(head.metrics(), {}, logits, labels)) == pytest.approx(
        {"accuracy": 0.5, "average_loss": 5.0}, abs=1e-3
    )
    logits = RNG.randn(N, 3).astype(np.float32)
    labels = RNG.randint(0, 3, size=(N, 1))
    weighted = est.MultiClassHead(3, weight_column="w", label_vocabulary=["a", "b", "c"], name="mc")
    words = np.array([["a", "b", "c"][i] for i in labels[:, 0]], dtype=object)
    z = logits - logits.max(1, keepdims=True)
    ce = -(z[np.arange(N), labels[:, 0]] - np.log(np.exp(z).sum(1)))
    w = FEATURES["w"]
    assert float(weighted.loss(words, logits, FEATURES)) == pytest.approx(np.sum(w * ce) / N, rel=1e-5)
    got = results(weighted.update_metrics(weighted.metrics([tf.constant(0.25)]), FEATURES, logits, words, [0.25]))
    assert got["average_loss/mc"] == pytest.approx(np.sum(w * ce) / np.sum(w), rel=1e-5)
    assert got["accuracy/mc"] == pytest.approx(np.sum(w * (logits.argmax(1) == labels[:, 0])) / np.sum(w), rel=1e-5)
    assert got["regularization_loss/mc"] == pytest.approx(0.25)
    reg = float(weighted.loss(words, logits, FEATURES, regularization_losses=[tf.constant(0.25), 0.5]))
    assert reg == pytest.approx(np.sum(w * ce) / N + 0.75, rel=1e-5)
    with pytest.raises(ValueError, match="n_classes must be > 2"):
        est.MultiClassHead(n_classes=2)


def test_multi_label_head_dense_and_sparse_labels_and_class_metrics():
    head = est.MultiLabelHead(n_classes=3, thresholds=[0.5], classes_for_class_based_metrics=[2], name="ml")
    logits = RNG.randn(N, 3).astype(np.float32)
    multi_hot = (RNG.rand(N, 3) > 0.6).astype(np.int64)
    expected_loss = np.mean(sigmoid_ce(multi_hot, logits).mean(axis=1))
    assert float(head.loss(multi_hot, logits)) == pytest.approx(expected_loss, rel=1e-5)
    rows, cols = np.nonzero(multi_hot)
    width = max(1, np.bincount(rows, minlength=N).max())
    position = np.concatenate([np.arange(c) for c in np.bincount(rows, minlength=N)])
    sparse = tf.sparse.SparseTensor(np.stack([rows, position], 1).astype(np.int64), cols.astype(np.int64), [N, width])
    assert float(head.loss(sparse, logits)) == pytest.approx(expected_loss, rel=1e-5)
    got = results(head.update_metrics(head.metrics(), {}, logits, multi_hot))
    p = sigmoid(logits)
    above = (p > 0.5).astype(np.int64)
    assert got["average_loss/ml"] == pytest.approx(expected_loss, rel=1e-5)
    assert got["accuracy/positive_threshold_0.5/ml"] == pytest.approx(np.mean(above == multi_hot), rel=1e-5)
    assert got["precision/positive_threshold_0.5/ml"] == pytest.approx(
        np.sum(above * multi_hot) / np.sum(above), rel=1e-5
    )
    assert got["probability_mean/class2/ml"] == pytest.approx(p[:, 2].mean(), rel=1e-5)
    assert set(got) >= {"auc/ml", "auc_precision_recall/ml", "auc/class2/ml", "auc_precision_recall/class2/ml"}
    preds = head.predictions(logits)
    assert list(preds) == ["logits", "probabilities", "classes"]
    assert preds["classes"].numpy()[0].tolist() == [b"0", b"1", b"2"]
    with pytest.raises(ValueError, match="n_classes must be > 1"):
        est.MultiLabelHead(n_classes=1)


def test_regression_poisson_and_logistic_heads_against_numpy():
    head = est.RegressionHead()
    logits = np.array([[45.0], [41.0]], np.float32)
    labels = np.array([[43], [44]], np.int32)
    assert float(head.loss(labels, logits)) == pytest.approx(6.5)
    assert results(head.update_metrics(head.metrics(), {}, logits, labels)) == pytest.approx(
        {"average_loss": 6.5, "label/mean": 43.5, "prediction/mean": 43.0}
    )
    two = est.RegressionHead(label_dimension=2, weight_column="w", inverse_link_fn=tf.math.exp)
    logits2 = RNG.randn(N, 2).astype(np.float32)
    targets = RNG.randn(N, 2).astype(np.float32)
    w = FEATURES["w"][:, None]
    assert float(two.loss(targets, logits2, FEATURES)) == pytest.approx(
        np.sum(w * (logits2 - targets) ** 2) / (2 * N), rel=1e-5
    )
    preds = two.predictions(logits2)
    np.testing.assert_allclose(preds["predictions"].numpy(), np.exp(logits2), rtol=1e-6)
    assert sorted(preds) == ["logits", "predictions"]
    z = np.array([[0.0], [1.0], [3.0]], np.float32)
    c = np.array([[0.5], [-1.0], [1.2]], np.float32)
    stirling = np.where(z > 1, z * np.log(np.maximum(z, 1)) - z + 0.5 * np.log(2 * np.pi * np.maximum(z, 1)), 0)
    poisson = est.PoissonRegressionHead()
    assert float(poisson.loss(z, c)) == pytest.approx(np.mean(np.exp(c) - c * z + stirling), rel=1e-5)
    assert float(est.PoissonRegressionHead(compute_full_loss=False).loss(z, c)) == pytest.approx(
        np.mean(np.exp(c) - c * z), rel=1e-5
    )
    np.testing.assert_allclose(poisson.predictions(c)["predictions"].numpy(), np.exp(c), rtol=1e-6)
    logistic = est.LogisticRegressionHead()
    y = np.array([[0.4], [0.6]], np.float32)
    lg = np.array([[4.0], [-4.0]], np.float32)
    assert float(logistic.loss(y, lg)) == pytest.approx(np.mean(sigmoid_ce(y, lg)), rel=1e-5)
    np.testing.assert_allclose(logistic.predictions(lg)["predictions"].numpy(), sigmoid(lg), rtol=1e-6)


def test_multi_head_matches_the_documented_example_and_splits_logits():
    head1 = est.MultiLabelHead(n_classes=2, name="head1")
    head2 = est.MultiLabelHead(n_classes=3, name="head2")
    multi = est.MultiHead([head1, head2])
    logits = {
        "head1": np.array([[-10.0, 10.0], [-15.0, 10.0]], np.float32),
        "head2": np.array([[20.0, -20.0, 20.0], [-30.0, 20.0, -20.0]], np.float32),
    }
    labels = {"head1": np.array([[1, 0], [1, 1]]), "head2": np.array([[0, 1, 0], [1, 1, 0]])}
    assert float(multi.loss(labels, logits)) == pytest.approx(23.75, abs=1e-3)
    got = results(multi.update_metrics(multi.metrics(), {}, logits, labels))
    expected = {
        "auc/head1": 0.17,
        "auc/head2": 0.33,
        "auc_precision_recall/head1": 0.60,
        "auc_precision_recall/head2": 0.40,
        "average_loss/head1": 8.75,
        "average_loss/head2": 15.00,
        "loss/head1": 8.75,
        "loss/head2": 15.00,
    }
    assert {k: round(v, 2) for k, v in got.items()} == expected
    joined = np.concatenate([logits["head1"], logits["head2"]], axis=1)
    assert float(multi.loss(labels, joined)) == pytest.approx(23.75, abs=1e-3)
    weighted = est.MultiHead([head1, head2], head_weights=[2.0, 0.5])
    assert float(weighted.loss(labels, logits)) == pytest.approx(2 * 8.75 + 0.5 * 15.0, abs=1e-3)
    np.testing.assert_array_equal(multi.predictions(joined)[("head2", "logits")].numpy(), logits["head2"])
    assert multi.name == "head1_head2" and multi.logits_dimension == 5
    with pytest.raises(ValueError, match="must have name specified"):
        est.MultiHead([est.BinaryClassHead()])
    with pytest.raises(ValueError, match="labels has missing values for head"):
        multi.loss({"head1": labels["head1"]}, logits)
    with pytest.raises(ValueError, match="should equal 5 but is 4"):
        multi.loss(labels, np.zeros((2, 4), np.float32))
