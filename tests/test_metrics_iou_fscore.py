"""IoU metrics, FBetaScore/F1Score and R2Score against NumPy versions of Keras 3's formulas (and numbers Keras
3.15 computed on the same inputs): streaming over batches, reset, configs, lookups, and compiled fit/evaluate."""

import numpy as np
import pytest

import ferroflow as tf

M = tf.keras.metrics
EPS = 1e-7
rng = np.random.default_rng(11)


def close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), want, rtol=tol, atol=tol)


def np_iou(y_true, y_pred, n, targets, weights=None, ignore_class=None):
    y_true, y_pred = np.ravel(y_true).astype(np.int64), np.ravel(y_pred).astype(np.int64)
    w = np.ones(len(y_true)) if weights is None else np.ravel(weights).astype(np.int64)  # int64 state: truncated
    keep = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
    if ignore_class is not None:
        keep &= y_true != ignore_class
    cm = np.zeros((n, n))
    np.add.at(cm, (y_true[keep], y_pred[keep]), w[keep])
    tp = np.diag(cm)
    denom = (cm.sum(0) + cm.sum(1) - tp)[targets]
    iou = np.where(denom > 1e-9, tp[targets] / (denom + EPS), 0.0)
    return iou.sum() / ((denom > 1e-9).sum() + EPS)


def np_fbeta(y_true, y_pred, beta=1.0, average=None, threshold=None, weights=None):
    if threshold is None:
        pred = (y_pred >= y_pred.max(-1, keepdims=True)) & (np.abs(y_pred) > 1e-9)
    else:
        pred = y_pred > threshold
    pred = pred.astype(np.float64)
    w = np.ones((len(y_true), 1)) if weights is None else np.asarray(weights, np.float64)[:, None]
    axis = None if average == "micro" else 0
    tp, fp = np.sum(pred * y_true * w, axis), np.sum(pred * (1 - y_true) * w, axis)
    fn, support = np.sum((1 - pred) * y_true * w, axis), np.sum(y_true * w, axis)
    precision, recall = tp / (tp + fp + EPS), tp / (tp + fn + EPS)
    score = (1 + beta**2) * precision * recall / (beta**2 * precision + recall + EPS)
    if average == "weighted":
        return np.sum(score * support / (support.sum() + EPS))
    return score if average is None else np.mean(score)


def np_r2(y_true, y_pred, aggregation="uniform_average", regressors=0):
    ss_res = np.sum((y_true - y_pred) ** 2, 0)
    ss_tot = np.sum((y_true - y_true.mean(0)) ** 2, 0)
    raw = 1 - ss_res / ss_tot
    score = {"uniform_average": np.mean(raw), "variance_weighted_average": np.sum(ss_tot * raw) / ss_tot.sum()}.get(
        aggregation, raw
    )
    if regressors:
        n = y_true.size
        score = 1 - (1 - score) * (n - 1) / (n - regressors - 1)
    return score


def test_iou_metrics_against_numpy_and_keras():
    m = M.IoU(3, [0, 2])
    m.update_state([0, 1, 2, 2, 1], [0, 2, 2, 1, 1])
    close(m.result(), np_iou([0, 1, 2, 2, 1], [0, 2, 2, 1, 1], 3, [0, 2]))
    close(m.result(), 0.6666666)  # Keras 3.15
    m = M.MeanIoU(3)
    with pytest.warns(UserWarning, match="weight as `float`"):
        m.update_state([0, 1, 2, 2, 1], [0, 2, 2, 1, 1], sample_weight=np.array([1, 2, 3, 1.7, 1]))
    close(m.result(), 0.5833333)  # Keras 3.15: the float weight 1.7 counts as 1
    m = M.BinaryIoU()
    m.update_state([0, 1, 1, 0], [0.2, 0.5, 0.7, 0.9])
    close(m.result(), 0.5833334)  # Keras 3.15 (0.5 is at the threshold: class 1)


def test_iou_streaming_over_segmentation_batches():
    labels = rng.integers(0, 5, size=(4, 16, 16))
    scores = rng.random((4, 16, 16, 5)).astype("float32")
    scores[..., 0] += (labels == 0) * 0.5  # some signal so that the classes differ
    weights = rng.integers(0, 3, size=(4, 16, 16))
    preds = scores.argmax(-1)
    m = M.MeanIoU(5, ignore_class=3)
    for i in range(4):
        m.update_state(labels[i : i + 1], preds[i : i + 1], sample_weight=weights[i : i + 1])
    close(m.result(), np_iou(labels, preds, 5, list(range(5)), weights, ignore_class=3))
    one_hot = np.eye(5, dtype="float32")[labels]
    m = M.OneHotIoU(5, [0, 4])
    m.update_state(one_hot, scores)
    close(m.result(), np_iou(labels, preds, 5, [0, 4]))
    m = M.OneHotMeanIoU(5)
    m.update_state(one_hot, scores)
    close(m.result(), np_iou(labels, preds, 5, list(range(5))))
    m.reset_state()
    close(m.result(), 0.0)


def test_iou_out_of_range_ids_are_left_out():
    m = M.IoU(2, [0, 1])
    m.update_state([0, 1, 5, -1, 1], [0, 1, 1, 0, 7])
    close(m.result(), 1.0, tol=1e-6)
    with pytest.raises(ValueError, match="out of range"):
        M.IoU(3, [0, 3])


def test_fbeta_and_f1_against_numpy_and_keras():
    y_true = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1.0]])
    y_pred = np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.1, 0.1, 0.8]])
    m = M.F1Score()
    m.update_state(y_true, y_pred)
    close(m.result(), np_fbeta(y_true, y_pred))
    close(m.result(), [0.9999998, 0.0, 0.66666657])  # Keras 3.15
    multi = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1.0]])
    scores = np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.1, 0.4, 0.8]])
    sw = np.array([1, 2, 0.5])
    for average, keras_value in [("micro", 0.3125), ("macro", 0.33613443), ("weighted", 0.302521)]:
        m = M.FBetaScore(average=average, beta=2.0, threshold=0.3)
        m.update_state(multi, scores, sample_weight=sw)
        close(m.result(), np_fbeta(multi, scores, 2.0, average, 0.3, sw))
        close(m.result(), keras_value)


def test_fbeta_streams_over_batches():
    y_true = (rng.random((64, 6)) > 0.6).astype("float32")
    y_pred = rng.random((64, 6)).astype("float32")
    m = M.FBetaScore(average="weighted", beta=0.5)
    for i in range(0, 64, 16):
        m.update_state(y_true[i : i + 16], y_pred[i : i + 16])
    close(m.result(), np_fbeta(y_true, y_pred, 0.5, "weighted"))


def test_fbeta_argument_and_shape_errors():
    with pytest.raises(ValueError, match="average"):
        M.FBetaScore(average="samples")
    with pytest.raises(ValueError, match="beta"):
        M.FBetaScore(beta=2)
    with pytest.raises(ValueError, match="threshold"):
        M.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="2D inputs"):
        M.F1Score().update_state(np.ones(3), np.ones(3))


def test_r2_score_against_numpy_and_keras():
    m = M.R2Score()
    m.update_state(np.array([[1.0], [4], [3]]), np.array([[2.0], [4], [4]]))
    close(m.result(), 0.57142854)  # Keras 3.15
    y_true = np.array([[1.0, 2], [4, 1], [3, 3], [1, 1]])
    y_pred = np.array([[2.0, 2], [4, 0], [4, 3], [0, 1]])
    m = M.R2Score(class_aggregation=None, num_regressors=1)
    m.update_state(y_true, y_pred)
    close(m.result(), np_r2(y_true, y_pred, None, 1))
    close(m.result(), [0.4814815, 0.5757576])  # Keras 3.15
    y_true = rng.normal(size=(64, 3))
    y_pred = y_true + rng.normal(size=(64, 3)) * [0.1, 0.5, 1.0]
    m = M.R2Score(class_aggregation="variance_weighted_average")
    for i in range(0, 64, 8):
        m.update_state(y_true[i : i + 8], y_pred[i : i + 8])
    close(m.result(), np_r2(y_true, y_pred, "variance_weighted_average"), tol=1e-4)
    with pytest.raises(ValueError, match="class_aggregation"):
        M.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="num_regressors"):
        M.R2Score(num_regressors=-1)


CONFIGS = [
    (M.IoU, {"num_classes": 4, "target_class_ids": [1, 3], "ignore_class": 0, "sparse_y_pred": False}),
    (M.MeanIoU, {"num_classes": 4, "axis": 1}),
    (M.BinaryIoU, {"target_class_ids": [1], "threshold": 0.3}),
    (M.OneHotIoU, {"num_classes": 3, "target_class_ids": [2], "sparse_y_pred": True}),
    (M.OneHotMeanIoU, {"num_classes": 3, "ignore_class": 1}),
    (M.FBetaScore, {"average": "macro", "beta": 2.0, "threshold": 0.4}),
    (M.F1Score, {"average": "weighted"}),
    (M.R2Score, {"class_aggregation": None, "num_regressors": 2}),
]


@pytest.mark.parametrize("cls,kwargs", CONFIGS, ids=lambda c: getattr(c, "__name__", ""))
def test_config_round_trip(cls, kwargs):
    m = cls(name="renamed", **kwargs)
    config = m.get_config()
    for key, value in kwargs.items():
        assert config[key] == value
    again = M.deserialize(M.serialize(m))
    assert type(again) is cls and again.get_config() == config


def test_keras_config_keys_and_names():
    assert M.IoU(3, [0]).get_config() == {
        "name": "io_u",
        "dtype": "int64",
        "num_classes": 3,
        "target_class_ids": [0],
        "ignore_class": None,
        "sparse_y_true": True,
        "sparse_y_pred": True,
        "axis": -1,
    }
    assert M.BinaryIoU().get_config() == {
        "target_class_ids": [0, 1],
        "threshold": 0.5,
        "name": "binary_io_u",
        "dtype": "int64",
    }
    assert M.F1Score().get_config() == {"name": "f1_score", "dtype": "float32", "average": None, "threshold": None}
    assert M.R2Score().get_config() == {
        "name": "r2_score",
        "dtype": "float32",
        "class_aggregation": "uniform_average",
        "num_regressors": 0,
    }
    assert (M.MeanIoU(2).name, M.OneHotMeanIoU(2).name, M.FBetaScore().name) == (
        "mean_io_u",
        "one_hot_mean_io_u",
        "fbeta_score",
    )
    assert isinstance(M.get("f1_score"), M.F1Score) and isinstance(M.get("r2_score"), M.R2Score)
    assert isinstance(M.get("auc"), M.AUC)


def test_compiled_fit_and_evaluate_stream_the_metrics():
    data = np.random.default_rng(4)
    x = data.normal(size=(96, 6)).astype("float32")
    labels = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")
    y = np.eye(3, dtype="float32")[labels]
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(3, activation="softmax")])
    metrics = [M.F1Score(), M.FBetaScore(average="macro", beta=2.0, name="f2"), M.OneHotMeanIoU(3)]
    model.compile(tf.keras.optimizers.Adam(0.05), loss="categorical_crossentropy", metrics=metrics)
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0).history
    assert history["loss"][-1] < history["loss"][0]
    assert np.shape(history["f1_score"][-1]) == (3,) and len(history["f2"]) == 5
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    preds = model.predict(x, verbose=0)
    close(logs["f1_score"], np_fbeta(y, preds), tol=1e-4)
    close(logs["f2"], np_fbeta(y, preds, 2.0, "macro"), tol=1e-4)
    close(logs["one_hot_mean_io_u"], np_iou(labels, preds.argmax(-1), 3, [0, 1, 2]), tol=1e-4)
    close(model.metrics[-1].metrics[-1].result(), logs["one_hot_mean_io_u"])  # the metric holds the evaluation's totals


def test_compiled_regression_with_r2_score():
    data = np.random.default_rng(6)
    x = data.normal(size=(128, 4)).astype("float32")
    y = (x @ data.normal(size=(4, 2))).astype("float32")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
    model.compile(tf.keras.optimizers.Adam(0.1), loss="mse", metrics=["r2_score"])
    history = model.fit(x, y, epochs=10, batch_size=32, verbose=0).history
    assert history["r2_score"][-1] > history["r2_score"][0]
    logs = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    close(logs["r2_score"], np_r2(y.astype(np.float64), model.predict(x, verbose=0).astype(np.float64)), tol=1e-4)


def test_compiled_loss_and_metric_objects_survive_a_keras_file(tmp_path):
    data = np.random.default_rng(7)
    x = data.normal(size=(48, 4)).astype("float32")
    y = np.eye(3, dtype="float32")[np.arange(48) % 3]
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3, activation="softmax")])
    model.compile(
        tf.keras.optimizers.Nadam(0.01),
        loss=tf.keras.losses.CategoricalFocalCrossentropy(gamma=1.0),
        metrics=[M.F1Score(average="macro"), M.OneHotMeanIoU(3), "accuracy"],
    )
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    again = tf.keras.models.load_model(tmp_path / "m.keras")
    assert again.loss.get_config() == model.loss.get_config()
    want = model.evaluate(x, y, verbose=0, return_dict=True)
    assert again.evaluate(x, y, verbose=0, return_dict=True) == want
    assert set(want) == {"loss", "f1_score", "one_hot_mean_io_u", "accuracy"}
