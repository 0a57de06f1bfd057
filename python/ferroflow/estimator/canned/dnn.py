"""``DNNClassifier`` and ``DNNRegressor``: fully connected ReLU layers over the feature columns' dense input.

Variables are TensorFlow's: ``dnn/hiddenlayer_<i>/kernel`` and ``/bias`` (Glorot-uniform and zeros), then
``dnn/logits/kernel`` and ``/bias``. ``tf.estimator``'s versions train with Keras's Adagrad at its own default
learning rate (0.001) and average the loss over the batch; ``tf.compat.v1.estimator``'s with TF1's
``AdagradOptimizer(0.05)`` and a summed loss.
"""

from __future__ import annotations

from typing import Any, Optional

from ...framework.dtypes import float32
from ..estimator import Estimator
from ..mode_keys import ModeKeys
from . import _head_base as hb
from ._fc_model import input_layer
from ._heads import binary_or_multi_class_head, regression_head
from ._optimizers import get_optimizer_instance, get_optimizer_instance_v2

_LEARNING_RATE = 0.05


def _validate_features(features: Any) -> None:
    if not isinstance(features, dict):
        raise ValueError(f"features should be a dictionary of `Tensor`s. Given type: {type(features)}")


def _add_hidden_layer_summary(value: Any, tag: str) -> None:
    t, v1 = hb.tf(), hb.v1()
    v1.summary.scalar(f"{tag}/fraction_of_zero_values", t.math.zero_fraction(value))
    v1.summary.histogram(f"{tag}/activation", value)


def dnn_logits(
    features: Any,
    units: int,
    hidden_units: Any,
    feature_columns: Any,
    activation_fn: Any,
    dropout: Optional[float],
    batch_norm: bool,
    mode: str,
    scope: str = "dnn",
) -> Any:
    """The DNN's logits ``[batch, units]``; dropout only while training."""
    t, v1 = hb.tf(), hb.v1()
    if not isinstance(units, int):
        raise ValueError(f"units must be an int.  Given type: {type(units)}")
    if batch_norm:
        raise NotImplementedError("batch_norm=True is not supported by ferroflow's DNN estimators yet")
    glorot = v1.glorot_uniform_initializer()
    net = input_layer(features, feature_columns, f"{scope}/input_from_feature_columns/input_layer")
    training = mode == ModeKeys.TRAIN
    summaries = []  # (tensor, tag): written outside the variable scope, so tags read "dnn/hiddenlayer_0/..."
    with v1.variable_scope(scope):
        for i, n in enumerate(hidden_units):
            with v1.variable_scope(f"hiddenlayer_{i}") as layer_scope:
                kernel = v1.get_variable("kernel", [int(net.shape[-1]), int(n)], float32, initializer=glorot)
                bias = v1.get_variable("bias", [int(n)], float32, initializer=v1.zeros_initializer())
                net = t.matmul(net, kernel) + bias
                if activation_fn is not None:
                    net = activation_fn(net)
                if dropout is not None and training:
                    net = t.nn.dropout(net, rate=dropout)
            summaries.append((net, layer_scope.name))
        with v1.variable_scope("logits") as logits_scope:
            kernel = v1.get_variable("kernel", [int(net.shape[-1]), units], float32, initializer=glorot)
            bias = v1.get_variable("bias", [units], float32, initializer=v1.zeros_initializer())
            logits = t.matmul(net, kernel) + bias
        summaries.append((logits, logits_scope.name))
    if training:
        for value, tag in summaries:
            _add_hidden_layer_summary(value, tag)
    return logits


def dnn_model_fn(
    features: Any,
    labels: Any,
    mode: str,
    head: Any,
    hidden_units: Any,
    feature_columns: Any,
    optimizer: Any,
    activation_fn: Any,
    dropout: Any,
    batch_norm: bool,
    v2: bool,
) -> Any:
    _validate_features(features)
    logits = dnn_logits(
        features, head.logits_dimension, hidden_units, feature_columns, activation_fn, dropout, batch_norm, mode
    )
    if mode != ModeKeys.TRAIN:
        return head.create_estimator_spec(features=features, mode=mode, labels=labels, logits=logits)
    opt = get_optimizer_instance_v2(optimizer) if v2 else get_optimizer_instance(optimizer, _LEARNING_RATE)
    variables = hb.v1().get_collection("trainable_variables", "dnn")
    return head.create_estimator_spec(
        features=features, mode=mode, labels=labels, logits=logits, optimizer=opt, trainable_variables=variables
    )


def _relu() -> Any:
    return hb.tf().nn.relu


class DNNClassifier(Estimator):
    """A classifier for ``n_classes`` classes (binary by default) on a feed-forward network.

    ``label_vocabulary`` maps string labels to classes; ``weight_column`` names a feature that weights each
    example's loss. Eval metrics: ``accuracy``, ``average_loss``, ``loss`` (and for two classes ``precision``,
    ``recall``, ``auc``, ``auc_precision_recall``, ``prediction/mean``, ``label/mean``, ``accuracy_baseline``).
    """

    _V2 = True

    def __init__(
        self,
        hidden_units: Any,
        feature_columns: Any,
        model_dir: Optional[str] = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Adagrad",
        activation_fn: Any = None,
        dropout: Optional[float] = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = None,
        batch_norm: bool = False,
    ) -> None:
        v2 = self._V2
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = binary_or_multi_class_head(n_classes, weight_column, label_vocabulary, reduction, keras_auc=v2)
        columns = tuple(feature_columns or [])
        activation = activation_fn or _relu()

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return dnn_model_fn(
                features, labels, mode, head, hidden_units, columns, optimizer, activation, dropout, batch_norm, v2
            )

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)


class DNNRegressor(Estimator):
    """A regressor of ``label_dimension`` values on a feed-forward network (squared-error loss). Eval metrics:
    ``average_loss``, ``loss``, ``prediction/mean``, ``label/mean``."""

    _V2 = True

    def __init__(
        self,
        hidden_units: Any,
        feature_columns: Any,
        model_dir: Optional[str] = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Adagrad",
        activation_fn: Any = None,
        dropout: Optional[float] = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = None,
        batch_norm: bool = False,
    ) -> None:
        v2 = self._V2
        reduction = loss_reduction or (hb.SUM_OVER_BATCH_SIZE if v2 else hb.SUM)
        head = regression_head(label_dimension, weight_column, reduction, v2)
        columns = tuple(feature_columns or [])
        activation = activation_fn or _relu()

        def _model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return dnn_model_fn(
                features, labels, mode, head, hidden_units, columns, optimizer, activation, dropout, batch_norm, v2
            )

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config, warm_start_from=warm_start_from)
