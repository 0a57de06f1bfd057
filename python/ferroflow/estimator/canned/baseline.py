"""``BaselineClassifier`` and ``BaselineRegressor``: models that ignore the feature values and learn one bias
per output (``baseline/bias``), so they predict the label distribution (or mean) seen in training. FTRL at
0.3 by default."""

from __future__ import annotations

from typing import Any, Optional

from ..estimator import Estimator
from ..mode_keys import ModeKeys
from . import _head_base as hb
from ._heads import binary_or_multi_class_head, regression_head
from ._optimizers import get_optimizer_instance, get_optimizer_instance_v2

_LEARNING_RATE = 0.3


def _batch_size(features: Any, weight_column: Any) -> Any:
    t = hb.tf()
    weight_key = hb.weight_column_key(weight_column)
    if not isinstance(features, dict):
        return t.shape(t.convert_to_tensor(features))[0]
    for key, feature in features.items():
        if key != weight_key:
            return t.shape(feature.dense_shape if hasattr(feature, "dense_shape") else feature)[0]
    raise ValueError(f"features must hold at least one feature besides the weight column; given {sorted(features)}")


def baseline_model_fn(
    features: Any, labels: Any, mode: str, head: Any, optimizer: Any, weight_column: Any, v2: bool
) -> Any:
    t, v1 = hb.tf(), hb.v1()
    n = head.logits_dimension
    batch_size = _batch_size(features, weight_column)
    with v1.variable_scope("baseline"):
        bias = v1.get_variable("bias", [n], initializer=v1.zeros_initializer())
    ones = t.expand_dims(t.ones_like(t.cast(t.range(batch_size), "float32")), -1)  # [batch, 1]
    logits = ones * bias

    def train_op_fn(loss: Any) -> Any:
        from ._optimizers import minimize

        opt = (get_optimizer_instance_v2 if v2 else get_optimizer_instance)(optimizer, learning_rate=_LEARNING_RATE)
        return minimize(opt, loss, [bias], v1.train.get_global_step())

    return head.create_estimator_spec(
        features=features,
        mode=mode,
        labels=labels,
        logits=logits,
        train_op_fn=train_op_fn if mode == ModeKeys.TRAIN else None,
    )


class BaselineClassifier(Estimator):
    """Predicts the class distribution of the training labels, whatever the features."""

    _V2 = True

    def __init__(
        self,
        model_dir: Optional[str] = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        loss_reduction: Any = None,
    ) -> None:
        v2 = self._V2
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = binary_or_multi_class_head(n_classes, weight_column, label_vocabulary, reduction, keras_auc=v2)

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return baseline_model_fn(features, labels, mode, head, optimizer, weight_column, v2)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)


class BaselineRegressor(Estimator):
    """Predicts the mean of the training labels, whatever the features."""

    _V2 = True

    def __init__(
        self,
        model_dir: Optional[str] = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        loss_reduction: Any = None,
    ) -> None:
        v2 = self._V2
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = regression_head(label_dimension, weight_column, reduction, v2)

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return baseline_model_fn(features, labels, mode, head, optimizer, weight_column, v2)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)
