"""``tf.compat.v1.metrics.auc``: the area under the ROC or precision-recall curve, from streaming confusion
counts at ``num_thresholds`` thresholds (TensorFlow's Riemann sums and its careful PR interpolation).

The counts live in local variables ``auc/true_positives``, ``auc/false_negatives``, ``auc/true_negatives`` and
``auc/false_positives``, one entry per threshold; a prediction counts as positive at a threshold it exceeds.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from ...framework.dtypes import float32
from ...framework.variables import Variable
from .variable_scope import variable_scope

_KEPSILON = 1e-7  # the end thresholds reach just past 0 and 1, so predictions of exactly 0 or 1 are counted
_EPSILON = 1.0e-6  # keeps the ROC and PR rates finite when a count is zero


def auc_thresholds(num_thresholds: int, thresholds: Optional[List[float]] = None) -> List[float]:
    """``[-kepsilon, 1/(n-1), ..., (n-2)/(n-1), 1 + kepsilon]``, or the given thresholds between the two ends."""
    if thresholds is not None:
        inner = sorted(float(t) for t in thresholds)
    else:
        if num_thresholds < 2:
            raise ValueError(f"`num_thresholds` must be > 1. Received: num_thresholds={num_thresholds}")
        inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _KEPSILON] + inner + [1.0 + _KEPSILON]


def confusion_at_thresholds(
    labels: Any, predictions: Any, thresholds: List[float], weights: Any = None, includes: Any = None
) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Streaming ``tp``/``fn``/``tn``/``fp`` counts per threshold: ``(values, update_ops)``, both keyed by name."""
    from ... import cast, expand_dims, greater, logical_and, logical_not, ones_like, reduce_sum, reshape
    from .metrics import _LOCAL, _squeeze_pair, _tensor  # here: metrics imports this module at its end

    labels, predictions = _squeeze_pair(_tensor(labels), _tensor(predictions))
    # TensorFlow also asserts 0 <= predictions <= 1 here; graph asserts are not available, values outside that
    # range are counted like their nearest end.
    predictions = cast(predictions, float32)
    pred = reshape(predictions, [-1, 1])
    is_pos = reshape(cast(labels, "bool"), [-1, 1])
    above = greater(pred, expand_dims(np.asarray(thresholds, np.float32), 0))  # [n, thresholds]
    w = None
    if weights is not None:
        w = reshape(cast(_tensor(weights), float32) * ones_like(predictions), [-1, 1])
    kinds = {
        "tp": logical_and(is_pos, above),
        "fn": logical_and(is_pos, logical_not(above)),
        "tn": logical_and(logical_not(is_pos), logical_not(above)),
        "fp": logical_and(logical_not(is_pos), above),
    }
    names = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives", "fp": "false_positives"}
    values: dict = {}
    updates: dict = {}
    for key, hit in kinds.items():
        if includes is not None and key not in includes:
            continue
        counts = cast(hit, float32) if w is None else cast(hit, float32) * w
        var = Variable(
            np.zeros(len(thresholds), np.float32), trainable=False, name=names[key], dtype=float32, collections=_LOCAL
        )
        values[key] = var.value()
        updates[key] = var.assign_add(reduce_sum(counts, 0))
    return values, updates


def interpolate_pr_auc(tp: Any, fp: Any, fn: Any) -> Any:
    """Davis & Goadrich's interpolation of the precision-recall curve between thresholds, summed."""
    from ... import logical_and, maximum, ones_like, reduce_sum, where
    from ... import math as tf_math

    dtp = tp[:-1] - tp[1:]
    p = tp + fp
    prec_slope = tf_math.divide_no_nan(dtp, maximum(p[:-1] - p[1:], 0.0))
    intercept = tp[1:] - prec_slope * p[1:]
    safe_p_ratio = where(
        logical_and(p[:-1] > 0.0, p[1:] > 0.0),
        tf_math.divide_no_nan(p[:-1], maximum(p[1:], 0.0)),
        ones_like(p[1:]),
    )
    increments = tf_math.divide_no_nan(
        prec_slope * (dtp + intercept * tf_math.log(safe_p_ratio)), maximum(tp[1:] + fn[1:], 0.0)
    )
    return reduce_sum(increments)


def area(counts: Dict[str, Any], curve: str, summation_method: str, keras_rates: bool = False) -> Any:
    """The area under ``curve`` from the per-threshold counts. ``keras_rates`` computes the rates as
    ``keras.metrics.AUC`` does (``divide_no_nan`` instead of TF1's small epsilon)."""
    from ... import math as tf_math
    from ... import maximum, minimum, reduce_sum

    tp, fn, tn, fp = counts["tp"], counts["fn"], counts["tn"], counts["fp"]
    if curve == "PR" and summation_method == "careful_interpolation":
        return interpolate_pr_auc(tp, fp, fn)
    if keras_rates:
        rec = tf_math.divide_no_nan(tp, tp + fn)
        other = tf_math.divide_no_nan(fp, fp + tn) if curve == "ROC" else tf_math.divide_no_nan(tp, tp + fp)
    else:
        rec = (tp + _EPSILON) / (tp + fn + _EPSILON)
        other = fp / (fp + tn + _EPSILON) if curve == "ROC" else (tp + _EPSILON) / (tp + fp + _EPSILON)
    x, y = (other, rec) if curve == "ROC" else (rec, other)
    dx = x[:-1] - x[1:]
    if summation_method in ("trapezoidal", "careful_interpolation"):
        return reduce_sum(dx * (y[:-1] + y[1:]) / 2.0)
    if summation_method == "minoring":
        return reduce_sum(dx * minimum(y[:-1], y[1:]))
    if summation_method == "majoring":
        return reduce_sum(dx * maximum(y[:-1], y[1:]))
    raise ValueError(f"Invalid summation_method: {summation_method}")


def auc(
    labels: Any,
    predictions: Any,
    weights: Any = None,
    num_thresholds: int = 200,
    metrics_collections: Any = None,
    updates_collections: Any = None,
    curve: str = "ROC",
    name: Optional[str] = None,
    summation_method: str = "trapezoidal",
    thresholds: Optional[List[float]] = None,
) -> Tuple[Any, Any]:
    """The approximate area under the ROC (or, with ``curve="PR"``, the precision-recall) curve of
    ``predictions`` in ``[0, 1]`` against boolean ``labels``: ``(auc, update_op)``.

    ``summation_method``: ``"trapezoidal"`` (the default), ``"minoring"``, ``"majoring"``, or
    ``"careful_interpolation"`` (for PR, the Davis & Goadrich interpolation; for ROC, trapezoidal).
    """
    from .metrics import _collect, _graph

    graph = _graph("auc")
    if curve not in ("ROC", "PR"):
        raise ValueError(f"curve must be either ROC or PR, {curve} unknown")
    if summation_method not in ("trapezoidal", "careful_interpolation", "minoring", "majoring"):
        raise ValueError(f"Invalid summation_method: {summation_method}")
    with variable_scope(name, "auc", (labels, predictions, weights)):
        values, updates = confusion_at_thresholds(
            labels, predictions, auc_thresholds(num_thresholds, thresholds), weights
        )
        value = area(values, curve, summation_method)
        update = area(updates, curve, summation_method)
    _collect(graph, value, update, metrics_collections, updates_collections)
    return value, update
