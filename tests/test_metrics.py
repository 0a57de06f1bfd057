"""Metrics over several batches (with sample weights) against NumPy; graph batch terms; get; compile strings."""

import numpy as np
import pytest

import ferroflow as tf
from ferroflow import metrics
from graph_runner import run_in_graph

EPS = 1e-7
rng = np.random.default_rng(3)


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def l2n(x):
    return x * np.minimum(1.0 / np.sqrt(np.sum(x * x, -1, keepdims=True)), 1.0 / EPS)


def in_top_k(labels, p, k):
    target = p[np.arange(len(labels)), labels]
    return (np.sum(p > target[:, None], -1) < k).astype(np.float64)


def batches(kind, n=3, size=7, classes=5):
    """``n`` batches of (y_true, y_pred, per-sample reference values, sample_weight)."""
    out = []
    for _ in range(n):
        w = rng.random(size).astype(np.float32)
        if kind in ("sparse", "sparse_column", "sparse_float"):
            labels = rng.integers(0, classes, size)
            p = softmax(rng.standard_normal((size, classes))).astype(np.float32)
            y = {"sparse": labels.astype(np.int32), "sparse_column": labels.astype(np.int32)[:, None],
                 "sparse_float": labels.astype(np.float32)}[kind]
            out.append((y, p, labels, w))
        elif kind == "onehot":
            labels = rng.integers(0, classes, size)
            p = softmax(rng.standard_normal((size, classes))).astype(np.float32)
            out.append((np.eye(classes, dtype=np.float32)[labels], p, labels, w))
        elif kind == "binary":
            out.append((rng.integers(0, 2, (size, 1)).astype(np.float32), rng.random((size, 1)).astype(np.float32),
                        None, w))
        else:
            out.append((rng.standard_normal((size, 3)).astype(np.float32),
                        rng.standard_normal((size, 3)).astype(np.float32), None, w))
    return out


CASES = {
    "sparse_categorical_accuracy": (metrics.SparseCategoricalAccuracy, "sparse",
                                    lambda y, p, lab: (p.argmax(-1) == lab).astype(float)),
    "sparse_column": (metrics.SparseCategoricalAccuracy, "sparse_column",
                      lambda y, p, lab: (p.argmax(-1) == lab).astype(float)),
    "sparse_float": (metrics.SparseCategoricalAccuracy, "sparse_float",
                     lambda y, p, lab: (p.argmax(-1) == lab).astype(float)),
    "categorical_accuracy": (metrics.CategoricalAccuracy, "onehot",
                             lambda y, p, lab: (p.argmax(-1) == lab).astype(float)),
    "top_k": (lambda: metrics.TopKCategoricalAccuracy(k=2), "onehot", lambda y, p, lab: in_top_k(lab, p, 2)),
    "sparse_top_k": (lambda: metrics.SparseTopKCategoricalAccuracy(k=3), "sparse",
                     lambda y, p, lab: in_top_k(lab, p, 3)),
    "binary_accuracy": (lambda: metrics.BinaryAccuracy(threshold=0.3), "binary",
                        lambda y, p, lab: ((p > 0.3) == y).astype(float)[:, 0]),
    "mse": (metrics.MeanSquaredError, "regression", lambda y, p, lab: np.mean((y - p) ** 2, -1)),
    "mae": (metrics.MeanAbsoluteError, "regression", lambda y, p, lab: np.mean(np.abs(y - p), -1)),
    "mape": (metrics.MeanAbsolutePercentageError, "regression",
             lambda y, p, lab: 100 * np.mean(np.abs((y - p) / np.maximum(np.abs(y), EPS)), -1)),
    "cosine": (metrics.CosineSimilarity, "regression", lambda y, p, lab: np.sum(l2n(y) * l2n(p), -1)),
    "logcosh": (metrics.LogCoshError, "regression", lambda y, p, lab: np.mean(np.log(np.cosh(p - y)), -1)),
    "sparse_ce": (metrics.SparseCategoricalCrossentropy, "sparse",
                  lambda y, p, lab: -np.log(np.clip(p, EPS, 1 - EPS)[np.arange(len(lab)), lab])),
    "categorical_ce": (metrics.CategoricalCrossentropy, "onehot",
                       lambda y, p, lab: -np.sum(y * np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)), -1)),
    "binary_ce": (metrics.BinaryCrossentropy, "binary",
                  lambda y, p, lab: -np.mean(y * np.log(np.clip(p, EPS, 1 - EPS))
                                             + (1 - y) * np.log(1 - np.clip(p, EPS, 1 - EPS)), -1)),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("weighted", [False, True])
def test_mean_metrics_over_several_batches_match_numpy(case, weighted):
    make, kind, ref = CASES[case]
    data = batches(kind)
    metric = make()
    num = den = 0.0
    for y, p, lab, w in data:
        values = ref(y.astype(np.float64), p.astype(np.float64), lab)
        weights = w if weighted else np.ones(len(values))
        num, den = num + np.sum(values * weights), den + np.sum(weights)
        metric.update_state(y, p, sample_weight=w if weighted else None)
    np.testing.assert_allclose(float(metric.result()), num / den, rtol=1e-5, atol=1e-6)
    assert metric.result().dtype == tf.float32 and metric.result().shape == []
    # The same totals from the batch terms computed in a graph with an unknown batch size.
    totals = np.zeros(len(metric._totals))
    for y, p, _, w in data:
        args = (y, p, w) if weighted else (y, p)
        terms = run_in_graph(lambda *t: metric._batch_terms(*t), *args)
        assert all(np.asarray(v).shape == () for v in terms)
        totals += np.asarray(terms, dtype=np.float64)
    np.testing.assert_allclose(metric._result_from_totals(list(totals)), num / den, rtol=1e-5, atol=1e-6)
    metric.reset_state()
    assert float(metric.result()) == 0.0 and all(v == 0.0 for v in metric._totals)


def test_root_mean_squared_error_is_the_root_of_the_weighted_mean():
    metric = metrics.RootMeanSquaredError()
    num = den = 0.0
    for y, p, _, w in batches("regression"):
        metric.update_state(y, p, sample_weight=w)
        num += np.sum(np.mean((y.astype(np.float64) - p) ** 2, -1) * w)
        den += np.sum(w)
    np.testing.assert_allclose(float(metric.result()), np.sqrt(num / den), rtol=1e-5)
    assert metric.name == "root_mean_squared_error"


def test_categorical_accuracies_take_bool_one_hot_targets():
    """Keras's addition RNN fits on bool one-hot characters: (batch, steps, classes) bool targets."""
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 12, size=(32, 4))
    y_true = np.eye(12, dtype=bool)[labels]
    y_pred = rng.random((32, 4, 12)).astype(np.float32)
    want = (y_pred.argmax(-1) == labels).astype(np.float32)
    np.testing.assert_array_equal(metrics.categorical_accuracy(y_true, y_pred).numpy(), want)
    top2 = (np.argsort(-y_pred, -1)[..., :2] == labels[..., None]).any(-1).astype(np.float32)
    np.testing.assert_array_equal(metrics.top_k_categorical_accuracy(y_true, y_pred, k=2).numpy(), top2)
    acc = metrics.CategoricalAccuracy()
    acc.update_state(y_true, y_pred)
    assert float(acc.result()) == pytest.approx(want.mean())


def test_mean_and_sum_weight_values_like_keras():
    mean, total = metrics.Mean(), metrics.Sum()
    values = np.array([[1.0, 2.0], [3.0, 5.0]], np.float32)
    w = np.array([0.5, 2.0], np.float32)
    mean.update_state(values, sample_weight=w)
    total.update_state(values, sample_weight=w)
    mean.update_state([4.0])
    # Per-sample means [1.5, 4.0] weighted by [0.5, 2.0], then 4.0 with weight 1.
    np.testing.assert_allclose(float(mean.result()), (0.75 + 8.0 + 4.0) / 3.5, rtol=1e-6)
    np.testing.assert_allclose(float(total.result()), 0.5 * 3 + 2.0 * 8, rtol=1e-6)
    assert float(metrics.Mean()(np.zeros(0, np.float32))) == 0.0  # nothing seen: 0, not NaN


def test_call_updates_then_returns_the_running_result():
    acc = metrics.Accuracy()
    assert float(acc([1, 2, 3], [1, 2, 0])) == pytest.approx(2 / 3)
    assert float(acc([1], [1])) == pytest.approx(3 / 4)


def test_update_state_in_a_traced_function_accumulates_per_call():
    # Inside tf.function the update is part of the graph (tests/test_metrics_in_function.py covers every metric);
    # in a TF1 session graph update_state returns the update op instead (tests/test_estimator_keras_metrics.py).
    acc = metrics.Accuracy()

    @tf.function
    def fn(y, p):
        assert acc.update_state(y, p) is None
        return acc.result()

    assert float(fn(np.zeros(2, np.float32), np.zeros(2, np.float32))) == 1.0
    assert float(fn(np.zeros(2, np.float32), np.ones(2, np.float32))) == 0.5
    assert float(acc.result()) == 0.5


def test_get_and_serialize_round_trips():
    assert metrics.get("mse") is metrics.mean_squared_error
    assert metrics.get("binary_accuracy") is metrics.binary_accuracy
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    m = metrics.TopKCategoricalAccuracy(k=3, name="top3")
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is metrics.TopKCategoricalAccuracy and again.k == 3 and again.name == "top3"
    wrapper = metrics.MeanMetricWrapper(metrics.binary_accuracy, name="acc_02", threshold=0.2)
    again = metrics.deserialize(metrics.serialize(wrapper))
    assert again._fn is metrics.binary_accuracy and again._fn_kwargs == {"threshold": 0.2} and again.name == "acc_02"
    assert metrics.serialize(metrics.mae)["config"] == "mean_absolute_error"
    assert metrics.get({"class_name": "Precision", "config": {"thresholds": 0.7}}).thresholds == 0.7


# The metric classes whose constructors need arguments.
REQUIRED_ARGS = {
    "IoU": {"num_classes": 3, "target_class_ids": [0, 2]},
    "MeanIoU": {"num_classes": 3},
    "OneHotIoU": {"num_classes": 3, "target_class_ids": [1]},
    "OneHotMeanIoU": {"num_classes": 3},
    "PrecisionAtRecall": {"recall": 0.5},
    "RecallAtPrecision": {"precision": 0.5},
    "SensitivityAtSpecificity": {"specificity": 0.5},
    "SpecificityAtSensitivity": {"sensitivity": 0.5},
}


@pytest.mark.parametrize("cls", [c for c in metrics.ALL_OBJECTS if isinstance(c, type)
                                 and c.__name__ not in ("Metric", "MeanMetricWrapper")])
def test_every_metric_class_round_trips_its_config(cls):
    m = cls(name="renamed", **REQUIRED_ARGS.get(cls.__name__, {}))
    again = metrics.deserialize(metrics.serialize(m))
    assert type(again) is cls and again.get_config() == m.get_config() and again.name == "renamed"


def test_unknown_metric_name_lists_the_valid_names():
    with pytest.raises(ValueError, match="interpret metric identifier: 'acuracy'.*sparse_categorical_accuracy"):
        metrics.get("acuracy")


@pytest.mark.parametrize("written", ["accuracy", "acc"])
@pytest.mark.parametrize("y_true,y_pred,expected", [
    ((None,), (None, 10), "sparse_categorical_accuracy"),
    ((None, 1), (None, 10), "sparse_categorical_accuracy"),
    ((None, 10), (None, 10), "categorical_accuracy"),
    ((None, 1), (None, 1), "binary_accuracy"),
    ((None,), (None, 1), "binary_accuracy"),
    ((None,), (None,), "binary_accuracy"),
])
def test_resolve_accuracy_from_shapes(written, y_true, y_pred, expected):
    m = metrics.resolve_for_loss(written, "mse", y_true, y_pred)
    assert m._fn.__name__ == expected and m.name == written


def test_resolve_crossentropy_and_other_identifiers():
    ce = metrics.resolve_for_loss("ce", None, (None,), (None, 3))
    assert ce._fn is metrics.sparse_categorical_crossentropy and ce.name == "ce"
    assert metrics.resolve_for_loss("crossentropy", None, (None, 1), (None, 1))._fn is metrics.binary_crossentropy
    assert metrics.resolve_for_loss("crossentropy", None, (None, 3), (None, 3))._fn is metrics.categorical_crossentropy
    # Without shapes, the loss decides.
    m = metrics.resolve_for_loss("accuracy", tf.keras.losses.SparseCategoricalCrossentropy(), None, None)
    assert m._fn is metrics.sparse_categorical_accuracy
    assert metrics.resolve_for_loss("acc", "binary_crossentropy", None, None)._fn is metrics.binary_accuracy
    mse = metrics.resolve_for_loss("mse", None, (None, 1), (None, 1))
    assert isinstance(mse, metrics.MeanMetricWrapper) and mse.name == "mse" and mse._fn is metrics.mean_squared_error
    auc = metrics.AUC()
    assert metrics.resolve_for_loss(auc, None, (None, 1), (None, 1)) is auc
    assert isinstance(metrics.resolve_for_loss("Precision", None, (None, 1), (None, 1)), metrics.Precision)
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.resolve_for_loss("nope", None, (None, 1), (None, 1))
