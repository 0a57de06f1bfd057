"""Keras metrics as an Estimator's ``eval_metric_ops`` (TF 2 estimators accept ``tf.keras.metrics.Metric``
objects after ``update_state``), and Keras metrics updated in a TF1 session graph."""

import numpy as np
import pytest

import ferroflow as tf

v1 = tf.compat.v1

RNG = np.random.RandomState(7)
N = 100
LABELS = (RNG.rand(N) > 0.4).astype(np.int64)
SCORES = np.clip(0.35 * LABELS + 0.65 * RNG.rand(N), 0, 1).astype(np.float32)
PREDS = (SCORES > 0.5).astype(np.int64)
WEIGHTS = RNG.rand(N).astype(np.float32)
TARGETS = RNG.randn(N).astype(np.float32)


def _model_fn(features, labels, mode):
    """Predictions come from the features, so the metrics have closed forms; one variable makes a loss."""
    bias = tf.Variable(0.0, name="bias")
    scores = features["scores"] + 0.0 * bias
    preds = tf.cast(scores > 0.5, tf.int64)
    loss = tf.reduce_mean(tf.square(scores - tf.cast(labels, tf.float32)))
    w = features["w"]
    keras = {
        "acc": tf.keras.metrics.Accuracy(),
        "precision": tf.keras.metrics.Precision(),
        "recall": tf.keras.metrics.Recall(),
        "mean": tf.keras.metrics.Mean(),
        "mse": tf.keras.metrics.MeanSquaredError(),
        "auc": tf.keras.metrics.AUC(),
    }
    keras["acc"].update_state(labels, preds, sample_weight=w)
    keras["precision"].update_state(labels, preds)
    keras["recall"].update_state(labels, preds)
    keras["mean"].update_state(scores)
    keras["mse"].update_state(features["t"][:, None], scores[:, None])  # Keras averages over the last axis first
    keras["auc"].update_state(labels, scores)
    m = v1.metrics
    tuples = {
        "acc": m.accuracy(labels, preds, weights=w),
        "precision": m.precision(labels, preds),
        "recall": m.recall(labels, preds),
        "mean": m.mean(scores),
        "mse": m.mean_squared_error(features["t"][:, None], scores[:, None]),
        "auc": m.auc(labels, scores),
    }
    ops = {f"keras/{k}": v for k, v in keras.items()}
    ops.update({f"v1/{k}": v for k, v in tuples.items()})
    return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=ops)


def _input(batch_size):
    return v1.estimator.inputs.numpy_input_fn(
        {"scores": SCORES, "w": WEIGHTS, "t": TARGETS}, LABELS, batch_size=batch_size, num_epochs=1, shuffle=False
    )


@pytest.mark.parametrize("batch_size", [32, 7])
def test_keras_metrics_match_the_v1_tuples_and_numpy(tmp_path, batch_size):
    est = tf.estimator.Estimator(_model_fn, model_dir=str(tmp_path))
    results = est.evaluate(_input(batch_size))
    tp = np.sum((PREDS == 1) & (LABELS == 1))
    expected = {
        "acc": np.sum(WEIGHTS * (PREDS == LABELS)) / np.sum(WEIGHTS),
        "precision": tp / np.sum(PREDS == 1),
        "recall": tp / np.sum(LABELS == 1),
        "mean": SCORES.mean(),
        "mse": np.mean((TARGETS - SCORES) ** 2),
    }
    for key, value in expected.items():
        np.testing.assert_allclose(results[f"keras/{key}"], value, rtol=1e-5, err_msg=key)
        np.testing.assert_allclose(results[f"keras/{key}"], results[f"v1/{key}"], rtol=1e-5, err_msg=key)
    # AUC: Keras's interpolation over 200 thresholds; close to the exact rank statistic.
    np.testing.assert_allclose(results["keras/auc"], results["v1/auc"], atol=2e-3)
    pos, neg = SCORES[LABELS == 1], SCORES[LABELS == 0]
    exact = np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :]))
    assert abs(results["keras/auc"] - exact) < 0.01
    assert all(isinstance(v, np.float32) for k, v in results.items() if k.startswith("keras/"))
    # A second evaluation starts the totals from zero again.
    again = est.evaluate(_input(batch_size))
    for key in expected:
        assert again[f"keras/{key}"] == results[f"keras/{key}"]


def test_keras_metric_in_a_session_graph_accumulates_per_run():
    with tf.Graph().as_default():
        labels = v1.placeholder(tf.int64, [None])
        preds = v1.placeholder(tf.int64, [None])
        metric = tf.keras.metrics.Accuracy()
        update = metric.update_state(labels, preds)
        value = metric.result()
        assert update.type == "MetricUpdate" and value.dtype == tf.float32
        with v1.Session() as sess:
            assert sess.run(update, {labels: [1, 2, 3], preds: [1, 2, 0]}) is None
            sess.run(update, {labels: [4], preds: [4]})
            assert sess.run(value) == np.float32(0.75)
            assert sess.run([update, value], {labels: [0], preds: [1]})[1] == np.float32(0.6)
    eager = tf.keras.metrics.Accuracy()
    eager.update_state([1, 2, 3, 4, 0], [1, 2, 0, 4, 1])
    assert float(eager.result()) == pytest.approx(0.6)


def test_keras_metrics_update_in_tf_function_as_well_as_in_a_session_graph():
    metric = tf.keras.metrics.Mean()

    @tf.function
    def step(x):
        metric.update_state(x)
        return metric.result()

    assert float(step(tf.constant([1.0]))) == 1.0
    assert float(step(tf.constant([3.0, 5.0]))) == 3.0
    assert float(metric.result()) == 3.0


def test_a_keras_metric_that_was_not_updated_is_an_error(tmp_path):
    def model_fn(features, labels, mode):
        loss = tf.reduce_mean(features["scores"]) + 0.0 * tf.Variable(0.0)
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops={"acc": tf.keras.metrics.Accuracy()})

    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="has not been updated in this graph"):
        est.evaluate(_input(32))
