"""``LinearClassifier`` and ``LinearRegressor``: one weight per feature value (zeros at the start) and a bias,
``linear/linear_model/<column>/weights`` and ``linear/linear_model/bias_weights``, trained with FTRL (learning
rate 0.2 for the ``'Ftrl'`` default)."""

from __future__ import annotations

import math
from typing import Any, Optional

from ..estimator import Estimator
from ..mode_keys import ModeKeys
from . import _head_base as hb
from ._fc_model import linear_model
from ._heads import binary_or_multi_class_head, regression_head
from ._optimizers import get_optimizer_instance, get_optimizer_instance_v2

_LEARNING_RATE = 0.2


def default_optimizer(feature_columns: Any, v2: bool) -> Any:
    """FTRL at ``min(0.2, 1 / sqrt(number of columns))``: the optimizer when ``optimizer=None``."""
    learning_rate = min(_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns)))
    if v2:
        from ... import optimizers

        return optimizers.Ftrl(learning_rate=learning_rate)
    from ...compat.v1.train_optimizers import FtrlOptimizer

    return FtrlOptimizer(learning_rate=learning_rate)


def fraction_of_zero(variables: list) -> Any:
    """The fraction of zero entries over all ``variables`` together."""
    t = hb.tf()
    sizes = [float(v.shape.num_elements()) for v in variables]
    total = sum(sizes)
    zeros = t.add_n([t.math.zero_fraction(v.value()) * size for v, size in zip(variables, sizes)])
    return t.identity(zeros / total, name="zero_fraction_or_nan") if total else t.constant(float("nan"))


def linear_logits(features: Any, units: int, feature_columns: Any, sparse_combiner: str, mode: str) -> Any:
    t, v1 = hb.tf(), hb.v1()
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: {type(features)}")
    logits, bias, weights = linear_model(features, feature_columns, units, sparse_combiner, "linear/linear_model")
    if mode == ModeKeys.TRAIN:
        if units > 1:
            v1.summary.histogram("bias", bias.value())
        else:
            v1.summary.scalar("bias", t.reshape(bias.value(), []))
        v1.summary.scalar("fraction_of_zero_weights", fraction_of_zero(weights))
    return logits


def linear_model_fn(
    features: Any,
    labels: Any,
    mode: str,
    head: Any,
    feature_columns: Any,
    optimizer: Any,
    sparse_combiner: str,
    v2: bool,
) -> Any:
    logits = linear_logits(features, head.logits_dimension, feature_columns, sparse_combiner, mode)
    if mode != ModeKeys.TRAIN:
        return head.create_estimator_spec(features=features, mode=mode, labels=labels, logits=logits)
    chosen = optimizer or default_optimizer(feature_columns, v2)
    if v2:
        opt = get_optimizer_instance_v2(chosen, learning_rate=_LEARNING_RATE)
    else:
        opt = get_optimizer_instance(chosen, learning_rate=_LEARNING_RATE)
    variables = hb.v1().get_collection("trainable_variables", "linear")
    return head.create_estimator_spec(
        features=features, mode=mode, labels=labels, logits=logits, optimizer=opt, trainable_variables=variables
    )


def _check_sparse_combiner(sparse_combiner: str) -> None:
    if sparse_combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"sparse_combiner must be one of 'mean', 'sqrtn' or 'sum', given: {sparse_combiner}")


class LinearClassifier(Estimator):
    """A linear classifier for ``n_classes`` classes (logistic regression for two). Eval metrics as
    ``DNNClassifier``'s."""

    _V2 = True

    def __init__(
        self,
        feature_columns: Any,
        model_dir: Optional[str] = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = None,
        sparse_combiner: str = "sum",
    ) -> None:
        v2 = self._V2
        _check_sparse_combiner(sparse_combiner)
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = binary_or_multi_class_head(n_classes, weight_column, label_vocabulary, reduction, keras_auc=v2)
        columns = tuple(feature_columns or [])

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return linear_model_fn(features, labels, mode, head, columns, optimizer, sparse_combiner, v2)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)


class LinearRegressor(Estimator):
    """A linear regressor of ``label_dimension`` values (squared-error loss)."""

    _V2 = True

    def __init__(
        self,
        feature_columns: Any,
        model_dir: Optional[str] = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = None,
        sparse_combiner: str = "sum",
    ) -> None:
        v2 = self._V2
        _check_sparse_combiner(sparse_combiner)
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = regression_head(label_dimension, weight_column, reduction, v2)
        columns = tuple(feature_columns or [])

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return linear_model_fn(features, labels, mode, head, columns, optimizer, sparse_combiner, v2)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)
