"""``DenseFeatures``: a dict of raw features through ``tf.feature_column`` columns into one dense tensor.

TensorFlow's ``tf.keras.layers.DenseFeatures`` (the v2 layer of Keras 2; Keras 3 has none). Columns are applied
in order of name; each column's dense tensor is flattened to ``(batch, n)`` and the results are concatenated.
Embedding weights are weights of the layer (``<layer>/<column>/embedding_weights``), trained by ``fit``.
"""

from __future__ import annotations

import collections.abc
from typing import Any, Optional

from ..framework import context
from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from ..ops import array_ops
from .base_layer import Layer


def normalize_feature_columns(feature_columns: Any) -> list:
    """The columns as a list sorted by name, checked as TensorFlow checks them."""
    from ..feature_column._base import FeatureColumn

    if isinstance(feature_columns, FeatureColumn):
        feature_columns = [feature_columns]
    if isinstance(feature_columns, collections.abc.Iterator):
        feature_columns = list(feature_columns)
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    for column in feature_columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(
                f"Items of feature_columns must be a FeatureColumn. Given (type {type(column)}): {column}."
            )
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    by_name: dict = {}
    for column in feature_columns:
        if column.name in by_name:
            raise ValueError(
                f"Duplicate feature column name found for columns: {column} and {by_name[column.name]}. This usually "
                "means that these columns refer to same base feature. Either one must be discarded or a duplicated "
                "but renamed item must be inserted in features dict."
            )
        by_name[column.name] = column
    return sorted(feature_columns, key=lambda c: c.name)


class DenseFeatures(Layer):
    """Produces a dense ``(batch, n)`` float32 tensor from a dict of features and ``DenseColumn``s."""

    _keras2_weights = True  # a Keras 2 layer: tf.Variable weights named dense_features/<column>/<name>

    _allow_non_tensor_positional_args = True  # the features dict may hold Python lists, as in TF's DenseFeatures

    def __init__(
        self,
        feature_columns: Any,
        trainable: bool = True,
        name: Optional[str] = None,
        partitioner: Any = None,
        **kwargs: Any,
    ) -> None:
        from ..feature_column._base import DenseColumn, StateManager

        super().__init__(trainable=trainable, name=name, **kwargs)
        self._feature_columns = normalize_feature_columns(feature_columns)
        self._partitioner = partitioner  # accepted for the v1 layer's signature; weights are not partitioned
        for column in self._feature_columns:
            if not isinstance(column, DenseColumn):
                raise ValueError(
                    f"Items of feature_columns must be a {DenseColumn}. You can wrap a categorical column with an "
                    f"embedding_column or indicator_column. Given: {column}"
                )
        self._state_manager = StateManager(self, self.trainable)

    @property
    def _is_feature_layer(self) -> bool:
        return True

    def build(self, input_shape: Any = None) -> None:
        # Variables are named ``<layer>/<column>/<name>``, TensorFlow's names for them.
        for column in self._feature_columns:
            column.create_state(self._state_manager)
        self.built = True

    def _maybe_build(self, shapes: Any) -> None:
        if not self.built:
            with context.eager_scope():
                self.build(None)

    def call(self, features: Any, cols_to_output_tensors: Optional[dict] = None, training: Any = None) -> Any:
        from ..feature_column._base import FeatureTransformationCache, sanitize_name

        if not isinstance(features, dict):
            raise ValueError("We expected a dictionary here. Instead we got: ", features)
        cache = FeatureTransformationCache(features)
        outputs = []
        for column in self._feature_columns:
            with context.name_scope(sanitize_name(column.name)):
                tensor = column.get_dense_tensor(cache, self._state_manager)
                flat = _flatten(tensor, column.variable_shape.num_elements())
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = flat
                outputs.append(flat)
        _check_batch_sizes(outputs, self._feature_columns)
        return array_ops.concat(outputs, -1)

    def compute_output_shape(self, input_shape: Any) -> tuple:
        total = sum(c.variable_shape.num_elements() for c in self._feature_columns)
        batch = None
        if isinstance(input_shape, dict) and input_shape:
            first = next(iter(input_shape.values()))
            batch = tuple(first)[0] if first is not None and len(tuple(first)) else None
        return (batch, total)

    def get_config(self) -> dict:
        from ..feature_column.serialization import serialize_feature_column

        config = super().get_config()
        config["feature_columns"] = [serialize_feature_column(fc) for fc in self._feature_columns]
        config["partitioner"] = None
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Optional[dict] = None) -> DenseFeatures:
        from ..feature_column.serialization import deserialize_feature_columns

        config = dict(config)
        config["feature_columns"] = deserialize_feature_columns(config["feature_columns"], custom_objects)
        return cls(**config)

    def get_build_config(self) -> Optional[dict]:
        return None


def _flatten(tensor: Any, num_elements: int) -> Any:
    """A column's dense tensor as ``(batch, num_elements)`` (TensorFlow's ``_process_dense_tensor``)."""
    if isinstance(tensor, (SparseTensor, RaggedTensor)) or not isinstance(tensor, Tensor):
        raise TypeError(f"A dense column must produce a dense tensor, received {type(tensor).__name__}")
    shape = tensor.shape.as_list()
    if len(shape) == 2 and shape[1] == num_elements:
        return tensor
    return array_ops.reshape(tensor, [-1, num_elements])


def _check_batch_sizes(tensors: list, columns: list) -> None:
    expected, first = None, None
    for tensor, column in zip(tensors, columns):
        batch = tensor.shape[0]
        if batch is None:
            continue
        if expected is None:
            expected, first = batch, column
        elif batch != expected:
            raise ValueError(
                "Batch size (first dimension) of each feature must be same. "
                f"Batch size of columns ({first.name}, {column.name}): ({expected}, {batch})"
            )
