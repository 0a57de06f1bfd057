"""SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision, and the correlation
metrics against NumPy versions of Keras 3's formulas (and numbers Keras 3.15 computed on the same inputs):
streaming, configs, lookups, and compiled fit/evaluate."""

import numpy as np
import pytest

import ferroflow as tf

M = tf.keras.metrics
EPS = 1e-7

rng = np.random.default_rng(3)
Y_TRUE = (rng.random(200) > 0.6).astype("float32")
Y_PRED = np.clip(Y_TRUE * 0.3 + rng.random(200) * 0.7, 0, 1).astype("float32")
WEIGHTS = rng.random(200).astype("float32")
Y = rng.random((5, 7)).astype("float32")
P = (Y + rng.random((5, 7)) * 0.5).astype("float32")


def close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), want, rtol=tol, atol=tol)


def np_counts(y_true, y_pred, n, weights=None):
    """Counts at thresholds [0, 1/(n-1), ..., 1]: a prediction is positive at a threshold it exceeds."""
    thresholds = np.linspace(0, 1, n)
    w = np.ones_like(y_pred, dtype=np.float64) if weights is None else weights.astype(np.float64)
    pos = np.clip(y_pred, 0, 1)[:, None] > thresholds[None, :]
    label = (y_true != 0)[:, None]
    tp = np.sum(w[:, None] * (pos & label), 0)
    fp = np.sum(w[:, None] * (pos & ~label), 0)
    tn = np.sum(w[:, None] * (~pos & ~label), 0)
    fn = np.sum(w[:, None] * (~pos & label), 0)
    return tp, fp, tn, fn


def ratio(a, b):
    return np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)


def np_at(kind, value, y_true, y_pred, n=200, weights=None):
    tp, fp, tn, fn = np_counts(y_true, y_pred, n, weights)
    sens, spec, prec = ratio(tp, tp + fn), ratio(tn, tn + fp), ratio(tp, tp + fp)
    constrained, dependent = {
        "SensitivityAtSpecificity": (spec, sens),
        "SpecificityAtSensitivity": (sens, spec),
        "PrecisionAtRecall": (sens, prec),
        "RecallAtPrecision": (prec, sens),
    }[kind]
    return np.max(np.where(constrained >= value, dependent, 0.0), initial=0.0)


KERAS = [  # class, target, Keras 3.15 with 200 thresholds, and with 13 thresholds and sample weights
    ("SensitivityAtSpecificity", 0.7, 0.6582278609275818, 0.6087498664855957),
    ("SpecificityAtSensitivity", 0.8, 0.5619834661483765, 0.5355309844017029),
    ("PrecisionAtRecall", 0.6, 0.6575342416763306, 0.6661942005157471),
    ("RecallAtPrecision", 0.75, 0.4810126721858978, 0.4298812747001648),
]


@pytest.mark.parametrize("kind,value,keras_plain,keras_weighted", KERAS)
def test_rate_at_rate_metrics(kind, value, keras_plain, keras_weighted):
    cls = getattr(M, kind)
    m = cls(value)
    m.update_state(Y_TRUE, Y_PRED)
    close(m.result(), np_at(kind, value, Y_TRUE, Y_PRED))
    close(m.result(), keras_plain)
    m = cls(value, num_thresholds=13)
    for i in range(0, 200, 50):  # streamed in four batches
        m.update_state(Y_TRUE[i : i + 50], Y_PRED[i : i + 50], sample_weight=WEIGHTS[i : i + 50])
    close(m.result(), np_at(kind, value, Y_TRUE, Y_PRED, 13, WEIGHTS))
    close(m.result(), keras_weighted)
    m.reset_state()
    close(m.result(), 0.0)


def test_class_id_and_single_threshold():
    scores = rng.random((100, 3)).astype("float32")
    labels = (rng.random((100, 3)) > 0.5).astype("float32")
    m = M.PrecisionAtRecall(0.5, class_id=2)
    m.update_state(labels, scores)
    close(m.result(), np_at("PrecisionAtRecall", 0.5, labels[:, 2], scores[:, 2]))
    m = M.RecallAtPrecision(0.3, num_thresholds=1)  # one threshold: 0.5
    m.update_state([0, 1, 1, 0], [0.2, 0.6, 0.4, 0.7])
    close(m.result(), 0.5)
    with pytest.raises(ValueError, match="class_id"):
        M.PrecisionAtRecall(0.5, class_id=0).update_state([0, 1], [0.2, 0.7])


def test_argument_errors():
    with pytest.raises(ValueError, match="recall"):
        M.PrecisionAtRecall(1.5)
    with pytest.raises(ValueError, match="specificity"):
        M.SensitivityAtSpecificity(-0.1)
    with pytest.raises(ValueError, match="num_thresholds"):
        M.SpecificityAtSensitivity(0.5, num_thresholds=0)


@pytest.mark.parametrize("kind,value,_a,_b", KERAS)
def test_configs(kind, value, _a, _b):
    cls = getattr(M, kind)
    m = cls(value, num_thresholds=50, class_id=1, name="renamed")
    target = {
        "SensitivityAtSpecificity": "specificity",
        "SpecificityAtSensitivity": "sensitivity",
        "PrecisionAtRecall": "recall",
        "RecallAtPrecision": "precision",
    }[kind]
    assert m.get_config() == {"name": "renamed", "dtype": "float32", "class_id": 1, "num_thresholds": 50, target: value}
    again = M.deserialize(M.serialize(m))
    assert type(again) is cls and again.get_config() == m.get_config()


def np_pearson(t, p):
    tn = t - t.mean(-1, keepdims=True)
    pn = p - p.mean(-1, keepdims=True)
    return np.mean(tn / tn.std(-1, keepdims=True) * pn / pn.std(-1, keepdims=True), -1)


def np_concordance(t, p):
    tm, pm = t.mean(-1, keepdims=True), p.mean(-1, keepdims=True)
    norm = t.var(-1, keepdims=True) + p.var(-1, keepdims=True) + (tm - pm) ** 2
    return np.mean(2 * (t - pm) * (p - pm) / (norm + EPS), -1)  # Keras centres y_true on mean(y_pred)


def test_correlation_functions_and_metrics():
    close(M.pearson_correlation(Y, P), np_pearson(Y.astype(np.float64), P))
    close(
        M.pearson_correlation(Y, P),
        [0.831567645072937, 0.7161111235618591, 0.6191126704216003, 0.6174960732460022, 0.9221440553665161],
    )  # Keras 3.15
    close(M.concordance_correlation(Y, P), np_concordance(Y.astype(np.float64), P))
    close(
        M.concordance_correlation(Y, P),
        [0.5079482197761536, 0.4761355221271515, 0.377412348985672, 0.3685590922832489, 0.6961233019828796],
    )  # Keras 3.15
    close(M.pearson_correlation(Y.T, P.T, axis=0), np_pearson(Y.astype(np.float64), P))
    m = M.PearsonCorrelation()
    m.update_state(Y[:2], P[:2])
    m.update_state(Y[2:], P[2:], sample_weight=np.array([1.0, 2.0, 0.5]))
    w = np.array([1, 1, 1, 2, 0.5])
    close(m.result(), np.sum(np_pearson(Y, P) * w) / w.sum())
    m = M.ConcordanceCorrelation(axis=-1, name="ccc")
    m.update_state(Y, P)
    close(m.result(), np_concordance(Y, P).mean())
    assert m.get_config() == {"name": "ccc", "dtype": "float32", "axis": -1}
    assert M.PearsonCorrelation().get_config() == {"name": "pearson_correlation", "dtype": "float32", "axis": -1}
    again = M.deserialize(M.serialize(M.PearsonCorrelation(axis=0)))
    assert isinstance(again, M.PearsonCorrelation) and again.axis == 0


def test_metrics_also_export_loss_functions():
    assert M.binary_focal_crossentropy is tf.keras.losses.binary_focal_crossentropy
    assert M.categorical_focal_crossentropy is tf.keras.losses.categorical_focal_crossentropy
    assert M.huber is tf.keras.losses.huber
    assert M.kld is M.KLD is M.kullback_leibler_divergence is M.kl_divergence
    assert M.logcosh is M.log_cosh
    assert M.get("huber") is M.huber and M.get("logcosh") is M.log_cosh
    assert M.ALL_OBJECTS_DICT["precision_at_recall"] is M.PrecisionAtRecall


def test_compiled_fit_and_evaluate():
    data = np.random.default_rng(8)
    x = data.normal(size=(128, 5)).astype("float32")
    y = (x[:, :1] + 0.3 * data.normal(size=(128, 1)) > 0).astype("float32")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((5,)), tf.keras.layers.Dense(1, activation="sigmoid")])
    metrics = [
        M.SensitivityAtSpecificity(0.8),
        M.PrecisionAtRecall(0.7, num_thresholds=50),
        "binary_focal_crossentropy",
    ]
    model.compile(tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=metrics)
    history = model.fit(x, y, epochs=6, batch_size=32, verbose=0).history
    assert history["loss"][-1] < history["loss"][0]
    assert history["sensitivity_at_specificity"][-1] > 0.5
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    preds = model.predict(x, verbose=0)[:, 0]
    close(logs["sensitivity_at_specificity"], np_at("SensitivityAtSpecificity", 0.8, y[:, 0], preds), tol=1e-4)
    close(logs["precision_at_recall"], np_at("PrecisionAtRecall", 0.7, y[:, 0], preds, 50), tol=1e-4)


def test_compiled_fit_with_correlation_metrics():
    data = np.random.default_rng(9)
    x = data.normal(size=(96, 4)).astype("float32")
    y = (x @ data.normal(size=(4, 6))).astype("float32")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(6)])
    model.compile(
        tf.keras.optimizers.Adam(0.05), loss="mse", metrics=["pearson_correlation", M.ConcordanceCorrelation()]
    )
    history = model.fit(x, y, epochs=6, batch_size=32, verbose=0).history
    assert history["pearson_correlation"][-1] > history["pearson_correlation"][0]
    logs = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    preds = model.predict(x, verbose=0).astype(np.float64)
    close(logs["pearson_correlation"], np_pearson(y.astype(np.float64), preds).mean(), tol=1e-4)
    close(logs["concordance_correlation"], np_concordance(y.astype(np.float64), preds).mean(), tol=1e-4)
