"""Feature columns inside the premade estimators' graphs: the DNN's input layer (``DenseFeatures``' output)
and the linear model (a weighted sum per column plus a bias), with TF1 variables named as TensorFlow names
them (``dnn/input_from_feature_columns/input_layer/<column>/...``, ``linear/linear_model/<column>/weights``)."""

from __future__ import annotations

import collections
from typing import Any, Dict, List, Tuple

from ...feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    FeatureColumn,
    FeatureTransformationCache,
    sanitize_name,
)
from . import _head_base as hb


class GetVariableStateManager:
    """Column state (embedding tables ...) as ``get_variable``s under a variable scope, so graphs name them."""

    def __init__(self, scope: str, trainable: bool = True) -> None:
        self._scope = scope
        self._trainable = trainable
        self._vars: Dict[Any, Dict[str, Any]] = collections.defaultdict(dict)

    def create_variable(
        self,
        feature_column: Any,
        name: str,
        shape: Any,
        dtype: Any = None,
        trainable: bool = True,
        use_resource: bool = True,
        initializer: Any = None,
    ) -> Any:
        v1 = hb.v1()
        if name in self._vars[feature_column]:
            raise ValueError("Variable already exists.")
        with v1.variable_scope(self._scope):
            with v1.variable_scope(sanitize_name(feature_column.name)):
                var = v1.get_variable(
                    name,
                    shape=list(shape),
                    dtype=dtype or "float32",
                    initializer=initializer,
                    trainable=self._trainable and trainable,
                )
        self._vars[feature_column][name] = var
        return var

    def add_variable(self, feature_column: Any, var: Any) -> None:
        self._vars[feature_column][var.name] = var

    def get_variable(self, feature_column: Any, name: str) -> Any:
        if name not in self._vars[feature_column]:
            raise ValueError(f"Variable {name} does not exist for column {feature_column.name}.")
        return self._vars[feature_column][name]


def sorted_columns(feature_columns: Any) -> List[Any]:
    """The columns sorted by name, checked as TensorFlow checks them (v2 feature columns, unique names)."""
    from ...layers.dense_features import normalize_feature_columns

    if feature_columns is None or (isinstance(feature_columns, (list, tuple)) and not feature_columns):
        raise ValueError("feature_columns must not be empty.")
    columns = normalize_feature_columns(feature_columns)
    for column in columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(f"Items of feature_columns must be a FeatureColumn. Given: {column}")
    return columns


def _flatten(tensor: Any, column: Any) -> Any:
    t = hb.tf()
    n = column.variable_shape.num_elements()
    return tensor if tensor.shape.rank == 2 and tensor.shape[1] == n else t.reshape(tensor, [-1, n])


def input_layer(features: Dict[str, Any], feature_columns: Any, scope: str) -> Any:
    """The dense ``[batch, n]`` concatenation of the columns' dense tensors (columns sorted by name)."""
    t = hb.tf()
    columns = sorted_columns(feature_columns)
    for column in columns:
        if not isinstance(column, DenseColumn):
            raise ValueError(
                f"Items of feature_columns must be a {DenseColumn}. You can wrap a categorical column with an "
                f"embedding_column or indicator_column. Given: {column}"
            )
    state = GetVariableStateManager(scope)
    for column in columns:
        column.create_state(state)
    cache = FeatureTransformationCache(features)
    outputs = []
    with t.name_scope(scope):
        for column in columns:
            with t.name_scope(sanitize_name(column.name)):
                outputs.append(_flatten(t.cast(column.get_dense_tensor(cache, state), "float32"), column))
    return outputs[0] if len(outputs) == 1 else t.concat(outputs, -1)


def linear_model(
    features: Dict[str, Any], feature_columns: Any, units: int, sparse_combiner: str, scope: str
) -> Tuple[Any, Any, List[Any]]:
    """``(logits, bias, weights)``: the sum over columns of ``dense @ weights`` (dense columns) or of the
    combined rows of ``weights`` their ids select (categorical columns), plus ``bias_weights``. All start at 0."""
    from ...feature_column.dense_columns import safe_embedding_lookup

    t, v1 = hb.tf(), hb.v1()
    if sparse_combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"sparse_combiner must be one of 'mean', 'sqrtn' or 'sum', given: {sparse_combiner}")
    columns = sorted_columns(feature_columns)
    state = GetVariableStateManager(scope)
    for column in columns:
        if not isinstance(column, (DenseColumn, CategoricalColumn)):
            raise ValueError(
                f"Items of feature_columns must be either a DenseColumn or CategoricalColumn. Given: {column}"
            )
        column.create_state(state)
    cache = FeatureTransformationCache(features)
    parts, weights = [], []
    zeros = v1.zeros_initializer()
    for column in columns:
        with v1.variable_scope(scope), v1.variable_scope(sanitize_name(column.name)):
            if isinstance(column, CategoricalColumn):
                w = v1.get_variable("weights", [column.num_buckets, units], initializer=zeros)
                parts.append(safe_embedding_lookup(w, column.get_ids(cache, state), sparse_combiner, None))
            else:
                w = v1.get_variable("weights", [column.variable_shape.num_elements(), units], initializer=zeros)
                dense = _flatten(t.cast(column.get_dense_tensor(cache, state), "float32"), column)
                parts.append(t.matmul(dense, w))
        weights.append(w)
    with v1.variable_scope(scope):
        bias = v1.get_variable("bias_weights", [units], initializer=zeros)
    logits = parts[0] if len(parts) == 1 else t.add_n(parts)
    return logits + bias, bias, weights
