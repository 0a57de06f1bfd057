"""The premade estimators of ``tf.compat.v1.estimator``: TensorFlow 1's signatures and defaults (TF1
optimizers, ``AdagradOptimizer(0.05)`` for DNNs and ``FtrlOptimizer(0.2)`` for linear models, summed losses, AUC
as ``tf.compat.v1.metrics.auc`` computes it)."""

from __future__ import annotations

from typing import Any, Optional

from .canned import baseline, dnn, dnn_linear_combined, linear
from .canned._head_base import SUM


class DNNClassifier(dnn.DNNClassifier):
    __doc__ = dnn.DNNClassifier.__doc__
    _V2 = False

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
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = SUM,
        batch_norm: bool = False,
    ) -> None:
        super().__init__(
            hidden_units,
            feature_columns,
            model_dir,
            n_classes,
            weight_column,
            label_vocabulary,
            optimizer,
            activation_fn,
            dropout,
            config,
            warm_start_from,
            loss_reduction,
            batch_norm,
        )


class DNNRegressor(dnn.DNNRegressor):
    __doc__ = dnn.DNNRegressor.__doc__
    _V2 = False

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
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = SUM,
        batch_norm: bool = False,
    ) -> None:
        super().__init__(
            hidden_units,
            feature_columns,
            model_dir,
            label_dimension,
            weight_column,
            optimizer,
            activation_fn,
            dropout,
            config,
            warm_start_from,
            loss_reduction,
            batch_norm,
        )


class LinearClassifier(linear.LinearClassifier):
    __doc__ = linear.LinearClassifier.__doc__
    _V2 = False

    def __init__(
        self,
        feature_columns: Any,
        model_dir: Optional[str] = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        partitioner: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = SUM,
        sparse_combiner: str = "sum",
    ) -> None:
        super().__init__(
            feature_columns,
            model_dir,
            n_classes,
            weight_column,
            label_vocabulary,
            optimizer,
            config,
            warm_start_from,
            loss_reduction,
            sparse_combiner,
        )


class LinearRegressor(linear.LinearRegressor):
    __doc__ = linear.LinearRegressor.__doc__
    _V2 = False

    def __init__(
        self,
        feature_columns: Any,
        model_dir: Optional[str] = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        partitioner: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = SUM,
        sparse_combiner: str = "sum",
    ) -> None:
        super().__init__(
            feature_columns,
            model_dir,
            label_dimension,
            weight_column,
            optimizer,
            config,
            warm_start_from,
            loss_reduction,
            sparse_combiner,
        )


class DNNLinearCombinedClassifier(dnn_linear_combined.DNNLinearCombinedClassifier):
    __doc__ = dnn_linear_combined.DNNLinearCombinedClassifier.__doc__
    _V2 = False

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
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = SUM,
        batch_norm: bool = False,
        linear_sparse_combiner: str = "sum",
    ) -> None:
        super().__init__(
            model_dir,
            linear_feature_columns,
            linear_optimizer,
            dnn_feature_columns,
            dnn_optimizer,
            dnn_hidden_units,
            dnn_activation_fn,
            dnn_dropout,
            n_classes,
            weight_column,
            label_vocabulary,
            config,
            warm_start_from,
            loss_reduction,
            batch_norm,
            linear_sparse_combiner,
        )


class DNNLinearCombinedRegressor(dnn_linear_combined.DNNLinearCombinedRegressor):
    __doc__ = dnn_linear_combined.DNNLinearCombinedRegressor.__doc__
    _V2 = False

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
        input_layer_partitioner: Any = None,
        config: Any = None,
        warm_start_from: Any = None,
        loss_reduction: Any = SUM,
        batch_norm: bool = False,
        linear_sparse_combiner: str = "sum",
    ) -> None:
        super().__init__(
            model_dir,
            linear_feature_columns,
            linear_optimizer,
            dnn_feature_columns,
            dnn_optimizer,
            dnn_hidden_units,
            dnn_activation_fn,
            dnn_dropout,
            label_dimension,
            weight_column,
            config,
            warm_start_from,
            loss_reduction,
            batch_norm,
            linear_sparse_combiner,
        )


class BaselineClassifier(baseline.BaselineClassifier):
    __doc__ = baseline.BaselineClassifier.__doc__
    _V2 = False

    def __init__(
        self,
        model_dir: Optional[str] = None,
        n_classes: int = 2,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        loss_reduction: Any = SUM,
    ) -> None:
        super().__init__(model_dir, n_classes, weight_column, label_vocabulary, optimizer, config, loss_reduction)


class BaselineRegressor(baseline.BaselineRegressor):
    __doc__ = baseline.BaselineRegressor.__doc__
    _V2 = False

    def __init__(
        self,
        model_dir: Optional[str] = None,
        label_dimension: int = 1,
        weight_column: Any = None,
        optimizer: Any = "Ftrl",
        config: Any = None,
        loss_reduction: Any = SUM,
    ) -> None:
        super().__init__(model_dir, label_dimension, weight_column, optimizer, config, loss_reduction)
