"""Precision, Recall, the counts and AUC against NumPy versions of Keras 3's formulas, eagerly and as graph terms."""

import numpy as np
import pytest

from ferroflow import metrics
from graph_runner import run_in_graph

EPS = 1e-7
rng = np.random.default_rng(4)


def counts(y, p, w, threshold):
    pos = (y != 0).astype(np.float64)
    pred = (p > threshold).astype(np.float64)
    return {"tp": np.sum(w * pos * pred), "fp": np.sum(w * (1 - pos) * pred),
            "tn": np.sum(w * (1 - pos) * (1 - pred)), "fn": np.sum(w * pos * (1 - pred))}


def data(n=3, size=20):
    return [(rng.integers(0, 2, (size, 1)).astype(np.float32), rng.random((size, 1)).astype(np.float32),
             rng.random(size).astype(np.float32)) for _ in range(n)]


def graph_totals(metric, batches, weighted):
    totals = np.zeros(len(metric._totals))
    for y, p, w in batches:
        args = (y, p, w) if weighted else (y, p)
        totals += np.asarray(run_in_graph(lambda *t: metric._batch_terms(*t), *args), dtype=np.float64)
    return list(totals)


@pytest.mark.parametrize("threshold", [None, 0.3, [0.7]])
@pytest.mark.parametrize("weighted", [False, True])
def test_precision_recall_and_counts(threshold, weighted):
    batches = data()
    thr = 0.5 if threshold is None else np.ravel(threshold)[0]
    made = {
        "precision": metrics.Precision(thresholds=threshold),
        "recall": metrics.Recall(thresholds=threshold),
        "tp": metrics.TruePositives(thresholds=threshold),
        "fp": metrics.FalsePositives(thresholds=threshold),
        "tn": metrics.TrueNegatives(thresholds=threshold),
        "fn": metrics.FalseNegatives(thresholds=threshold),
    }
    total = {"tp": 0.0, "fp": 0.0, "tn": 0.0, "fn": 0.0}
    for y, p, w in batches:
        c = counts(y[:, 0], p[:, 0], w if weighted else 1.0, thr)
        total = {k: total[k] + c[k] for k in total}
        for m in made.values():
            m.update_state(y, p, sample_weight=w if weighted else None)
    want = {"precision": total["tp"] / (total["tp"] + total["fp"]),
            "recall": total["tp"] / (total["tp"] + total["fn"]), **total}
    for key, m in made.items():
        np.testing.assert_allclose(float(m.result()), want[key], rtol=1e-5, err_msg=key)
        np.testing.assert_allclose(m._result_from_totals(graph_totals(m, batches, weighted)), want[key], rtol=1e-5)
    assert made["precision"].name == "precision" and made["tn"].name == "true_negatives"


def test_precision_without_positive_predictions_is_zero_and_reset_clears():
    m = metrics.Precision()
    m.update_state([1, 0, 1], [0.1, 0.2, 0.3])
    assert float(m.result()) == 0.0
    m.update_state([1, 0], [0.9, 0.8])
    assert float(m.result()) == pytest.approx(0.5)
    m.reset_state()
    assert m._totals == [0.0, 0.0] and float(m.result()) == 0.0


def test_class_id_and_top_k_select_like_keras():
    y = np.array([[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32)
    p = np.array([[0.2, 0.6, 0.2], [0.5, 0.4, 0.1], [0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], np.float32)
    m = metrics.Recall(class_id=1)
    m.update_state(y, p)
    assert float(m.result()) == pytest.approx(0.5)  # class 1: found in row 0, missed in row 2
    top1 = metrics.Precision(top_k=1)
    top1.update_state(y, p)
    assert float(top1.result()) == pytest.approx(3 / 4)  # the arg-max of each row, right in rows 0, 1, 3


def test_several_thresholds_are_refused_with_a_clear_error():
    with pytest.raises(NotImplementedError, match="one threshold"):
        metrics.Precision(thresholds=[0.3, 0.6])


def keras_auc(tp, fp, tn, fn, curve, summation):
    """NumPy transcription of keras.metrics.AUC.result()."""
    def div(a, b):
        return np.divide(a, b, out=np.zeros_like(a), where=b != 0)

    if curve == "PR" and summation == "interpolation":
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = div(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = np.where((p[:-1] > 0) & (p[1:] > 0), div(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return np.sum(div(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0)))
    recall = div(tp, tp + fn)
    x, y = (div(fp, fp + tn), recall) if curve == "ROC" else (recall, div(tp, tp + fp))
    heights = {"interpolation": (y[:-1] + y[1:]) / 2, "minoring": np.minimum(y[:-1], y[1:]),
               "majoring": np.maximum(y[:-1], y[1:])}[summation]
    return np.sum((x[:-1] - x[1:]) * heights)


@pytest.mark.parametrize("curve,summation", [("ROC", "interpolation"), ("ROC", "minoring"), ("ROC", "majoring"),
                                             ("PR", "interpolation"), ("PR", "majoring")])
def test_auc_matches_the_keras_formula_over_several_batches(curve, summation):
    batches = data(n=3, size=50)
    m = metrics.AUC(num_thresholds=50, curve=curve, summation_method=summation)
    thresholds = np.array([-EPS] + [(i + 1) / 49 for i in range(48)] + [1 + EPS])
    c = {k: np.zeros(50) for k in ("tp", "fp", "tn", "fn")}
    for y, p, w in batches:
        m.update_state(y, p, sample_weight=w)
        for i, t in enumerate(thresholds):
            for k, v in counts(y[:, 0], p[:, 0], w, t).items():
                c[k][i] += v
    want = keras_auc(c["tp"], c["fp"], c["tn"], c["fn"], curve, summation)
    np.testing.assert_allclose(float(m.result()), want, rtol=1e-5)
    np.testing.assert_allclose(m._result_from_totals(graph_totals(m, batches, True)), want, rtol=1e-5)


def test_default_auc_is_close_to_the_exact_roc_area():
    y = rng.integers(0, 2, 400)
    p = np.clip(rng.normal(0.4 + 0.25 * y, 0.2), 0, 1).astype(np.float32)
    m = metrics.AUC()
    m.update_state(y[:200], p[:200])
    m.update_state(y[200:], p[200:])
    pos, neg = p[y == 1], p[y == 0]
    exact = np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :]))
    assert abs(float(m.result()) - exact) < 5e-3
    assert len(m._totals) == 800
    logits = metrics.AUC(from_logits=True)
    logits.update_state(y, np.log(p + 1e-6) - np.log1p(-p + 1e-6))
    assert abs(float(logits.result()) - exact) < 5e-3


def test_auc_with_explicit_thresholds_round_trips_and_rejects_bad_options():
    m = metrics.AUC(thresholds=[0.25, 0.5, 0.75])
    assert m.num_thresholds == 5
    again = metrics.deserialize(metrics.serialize(m))
    assert again.thresholds == m.thresholds
    with pytest.raises(ValueError, match="Invalid AUC curve"):
        metrics.AUC(curve="XY")
    with pytest.raises(NotImplementedError, match="multi_label"):
        metrics.AUC(multi_label=True)
