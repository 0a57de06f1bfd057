"""``DNNLinearCombinedClassifier`` / ``Regressor`` ("wide and deep"): the sum of a linear model's and a DNN's
logits, each part trained by its own optimizer (FTRL at ``min(0.005, 1/sqrt(#linear columns))`` and Adagrad
at 0.001 by default); the global step advances once per step."""

from __future__ import annotations

import math
from typing import Any, Optional

from ..estimator import Estimator
from ..mode_keys import ModeKeys
from . import _head_base as hb
from ._heads import binary_or_multi_class_head, regression_head
from ._optimizers import get_optimizer_instance, get_optimizer_instance_v2, minimize
from .dnn import _add_hidden_layer_summary, _relu, dnn_logits
from .linear import linear_logits

_DNN_LEARNING_RATE = 0.001
_LINEAR_LEARNING_RATE = 0.005


def _linear_learning_rate(num_linear_feature_columns: int) -> float:
    return min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(num_linear_feature_columns))


def combined_model_fn(
    features: Any,
    labels: Any,
    mode: str,
    head: Any,
    linear_feature_columns: Any,
    linear_optimizer: Any,
    dnn_feature_columns: Any,
    dnn_optimizer: Any,
    dnn_hidden_units: Any,
    dnn_activation_fn: Any,
    dnn_dropout: Any,
    batch_norm: bool,
    linear_sparse_combiner: str,
    v2: bool,
) -> Any:
    t, v1 = hb.tf(), hb.v1()
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: {type(features)}")
    if not linear_feature_columns and not dnn_feature_columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    get = get_optimizer_instance_v2 if v2 else get_optimizer_instance
    parts = []
    if dnn_feature_columns:
        if not dnn_hidden_units:
            raise ValueError("dnn_hidden_units must be defined when dnn_feature_columns is specified.")
        parts.append(
            (
                "dnn",
                dnn_logits(
                    features,
                    head.logits_dimension,
                    dnn_hidden_units,
                    dnn_feature_columns,
                    dnn_activation_fn,
                    dnn_dropout,
                    batch_norm,
                    mode,
                ),
                dnn_optimizer,
                _DNN_LEARNING_RATE,
            )
        )
    if linear_feature_columns:
        logits = linear_logits(features, head.logits_dimension, linear_feature_columns, linear_sparse_combiner, mode)
        if mode == ModeKeys.TRAIN:
            _add_hidden_layer_summary(logits, "linear")
        parts.append(("linear", logits, linear_optimizer, _linear_learning_rate(len(linear_feature_columns))))
    logits = parts[0][1] if len(parts) == 1 else parts[0][1] + parts[1][1]

    def train_op_fn(loss: Any) -> Any:
        # Each part's optimizer updates its own variables; the first one also increments the global step.
        step = v1.train.get_global_step()
        ops = []
        for i, (scope, _, optimizer, learning_rate) in enumerate(parts):
            opt = get(optimizer, learning_rate=learning_rate)
            variables = v1.get_collection("trainable_variables", scope)
            ops.append(minimize(opt, loss, variables, step if i == 0 else None))
        return t.group(*ops)

    return head.create_estimator_spec(
        features=features,
        mode=mode,
        labels=labels,
        logits=logits,
        train_op_fn=train_op_fn if mode == ModeKeys.TRAIN else None,
    )


def _check(linear_feature_columns: Any, dnn_feature_columns: Any) -> None:
    if not (list(linear_feature_columns or []) + list(dnn_feature_columns or [])):
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")


def _bound_model_fn(
    head: Any,
    linear_feature_columns: Any,
    linear_optimizer: Any,
    dnn_feature_columns: Any,
    dnn_optimizer: Any,
    dnn_hidden_units: Any,
    dnn_activation_fn: Any,
    dnn_dropout: Any,
    batch_norm: bool,
    linear_sparse_combiner: str,
    v2: bool,
) -> Any:
    """The Estimator ``model_fn`` of both wide-and-deep estimators: ``combined_model_fn`` with their settings."""
    linear_columns, dnn_columns = tuple(linear_feature_columns or []), tuple(dnn_feature_columns or [])
    activation = dnn_activation_fn or _relu()

    def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
        return combined_model_fn(
            features,
            labels,
            mode,
            head,
            linear_columns,
            linear_optimizer,
            dnn_columns,
            dnn_optimizer,
            dnn_hidden_units,
            activation,
            dnn_dropout,
            batch_norm,
            linear_sparse_combiner,
            v2,
        )

    return _model_fn


class DNNLinearCombinedClassifier(Estimator):
    """A classifier on the sum of a linear model and a DNN (wide and deep)."""

    _V2 = True

    def __init__(
        self,
        model_dir: Optional[str] = None,
        linear_feature_columns: Any = None,
        linear_optimizer: Any = "Ftrl",
        dnn_feature_columns: Any = None,
        dnn_optimizer: Any = "Adagrad",
        dnn_hidden_units: Any = None,
        dnn_activation_fn: Any = None,
        dnn_dropout: Optional[float] = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = None,
        batch_norm: bool = False,
        linear_sparse_combiner: str = "sum",
    ) -> None:
        v2 = self._V2
        _check(linear_feature_columns, dnn_feature_columns)
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = binary_or_multi_class_head(n_classes, weight_column, label_vocabulary, reduction, keras_auc=v2)
        model_fn = _bound_model_fn(
            head,
            linear_feature_columns,
            linear_optimizer,
            dnn_feature_columns,
            dnn_optimizer,
            dnn_hidden_units,
            dnn_activation_fn,
            dnn_dropout,
            batch_norm,
            linear_sparse_combiner,
            v2,
        )
        super().__init__(model_fn=model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)


class DNNLinearCombinedRegressor(Estimator):
    """A regressor on the sum of a linear model and a DNN (wide and deep)."""

    _V2 = True

    def __init__(
        self,
        model_dir: Optional[str] = None,
        linear_feature_columns: Any = None,
        linear_optimizer: Any = "Ftrl",
        dnn_feature_columns: Any = None,
        dnn_optimizer: Any = "Adagrad",
        dnn_hidden_units: Any = None,
        dnn_activation_fn: Any = None,
        dnn_dropout: Optional[float] = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = None,
        batch_norm: bool = False,
        linear_sparse_combiner: str = "sum",
    ) -> None:
        v2 = self._V2
        _check(linear_feature_columns, dnn_feature_columns)
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = regression_head(label_dimension, weight_column, reduction, v2)
        model_fn = _bound_model_fn(
            head,
            linear_feature_columns,
            linear_optimizer,
            dnn_feature_columns,
            dnn_optimizer,
            dnn_hidden_units,
            dnn_activation_fn,
            dnn_dropout,
            batch_norm,
            linear_sparse_combiner,
            v2,
        )
        super().__init__(model_fn=model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)
