"""Losses and metrics inside the trainer's step graph agree with the same objects run eagerly on the predictions."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import losses, metrics
from ferroflow.framework.graph import Graph
from ferroflow.framework.ops import apply

rng = np.random.default_rng(5)


def _model(units, activation):
    tf.keras.backend.clear_session()
    return tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(units, activation=activation)])


def test_evaluate_matches_eager_losses_and_metrics_on_the_predictions():
    x = rng.standard_normal((50, 6)).astype(np.float32)
    y = rng.integers(0, 4, 50).astype(np.int32)
    w = rng.random(50).astype(np.float32)
    model = _model(4, "softmax")
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy", metrics.SparseTopKCategoricalAccuracy(k=2)],
                  weighted_metrics=["ce"])
    logs = model.evaluate(x, y, sample_weight=w, batch_size=16, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0)
    want_loss = losses.SparseCategoricalCrossentropy()(y, p, sample_weight=w)
    np.testing.assert_allclose(logs["loss"], float(want_loss), rtol=1e-4)
    np.testing.assert_allclose(logs["accuracy"], np.mean(p.argmax(-1) == y), rtol=1e-6)
    top2 = metrics.SparseTopKCategoricalAccuracy(k=2)
    top2.update_state(y, p)
    np.testing.assert_allclose(logs["sparse_top_k_categorical_accuracy"], float(top2.result()), rtol=1e-6)
    ce = metrics.SparseCategoricalCrossentropy()
    ce.update_state(y, p, sample_weight=w)
    np.testing.assert_allclose(logs["ce"], float(ce.result()), rtol=1e-4)


def test_binary_model_with_precision_recall_and_auc():
    x = rng.standard_normal((40, 6)).astype(np.float32)
    y = (x[:, :1] + 0.3 * rng.standard_normal((40, 1)) > 0).astype(np.float32)
    model = _model(1, "sigmoid")
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["acc", metrics.Precision(), metrics.Recall(), metrics.AUC(num_thresholds=50)])
    logs = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0)
    np.testing.assert_allclose(logs["loss"], float(losses.BinaryCrossentropy()(y, p)), rtol=1e-4)
    np.testing.assert_allclose(logs["acc"], np.mean((p > 0.5) == y), rtol=1e-6)
    for name, m in (("precision", metrics.Precision()), ("recall", metrics.Recall()),
                    ("auc", metrics.AUC(num_thresholds=50))):
        m.update_state(y, p)
        np.testing.assert_allclose(logs[name], float(m.result()), rtol=1e-5, atol=1e-6, err_msg=name)


def test_fit_with_a_loss_object_and_a_loss_as_metric_decreases_the_loss():
    x = rng.standard_normal((64, 6)).astype(np.float32)
    y = x @ rng.standard_normal((6, 2)).astype(np.float32)
    model = _model(2, None)
    model.compile(optimizer="adam", loss=losses.Huber(delta=0.5),
                  metrics=[losses.MeanSquaredError(), "mae", metrics.RootMeanSquaredError()])
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    p = model.predict(x, verbose=0)
    np.testing.assert_allclose(logs["mean_squared_error"], np.mean((p - y) ** 2), rtol=1e-4)
    np.testing.assert_allclose(logs["mae"], np.mean(np.abs(p - y)), rtol=1e-4)
    np.testing.assert_allclose(logs["root_mean_squared_error"], np.sqrt(np.mean((p - y) ** 2)), rtol=1e-4)


@pytest.mark.parametrize("loss", [losses.get("sparse_categorical_crossentropy"),
                                  losses.SparseCategoricalCrossentropy()])
def test_sparse_loss_on_softmax_is_one_fused_op_without_label_casts(loss):
    if not isinstance(loss, losses.Loss):
        loss = losses.LossFunctionWrapper(loss)
    graph = Graph()
    with graph.as_default():
        x = apply("placeholder", [], {"dtype": "float32", "shape": [None, 10]})
        y = apply("placeholder", [], {"dtype": "int32", "shape": [None]})
        probs = tf.nn.softmax(x)
        first = len(graph)
        loss(y, probs)
    kinds = [t.type for t in graph.get_operations()[first:]]
    assert kinds.count("SparseSoftmaxCrossEntropyWithLogits") == 1
    assert "Cast" not in kinds[: kinds.index("SparseSoftmaxCrossEntropyWithLogits")]
    assert "Log" not in kinds


def test_tf_keras_2_reduction_names_are_accepted():
    assert losses.Reduction.SUM == "sum"
    t, p = np.ones((2, 2), np.float32), np.zeros((2, 2), np.float32)
    assert float(losses.MeanSquaredError(reduction=losses.Reduction.AUTO)(t, p)) == pytest.approx(1.0)
    assert float(losses.MeanSquaredError(reduction=losses.Reduction.SUM)(t, p)) == pytest.approx(2.0)
