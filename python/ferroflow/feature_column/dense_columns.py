"""``indicator_column`` and ``embedding_column``: categorical ids as multi-hot counts or combined embeddings.

The embedding lookup is TensorFlow's ``safe_embedding_lookup_sparse``: ids < 0 (and, unless ``combiner='sum'``,
weights <= 0) are left out, rows left empty give zeros, and ``max_norm`` clips each embedding's L2 norm before
combining. It is a gather of the weights, so gradients reach only the rows looked up.
"""

from __future__ import annotations

import collections
import math
from typing import Any, Optional

import numpy as np

from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, math_ops
from ._base import CategoricalColumn, DenseColumn, Ids, check_config_keys, standardize_config

_COMBINERS = ("mean", "sqrtn", "sum")


class IndicatorColumn(DenseColumn, collections.namedtuple("IndicatorColumn", ("categorical_column",))):
    """See ``indicator_column``."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_indicator"

    @property
    def parse_example_spec(self) -> dict:
        return self.categorical_column.parse_example_spec

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Any:
        ids = self.categorical_column.get_ids(transformation_cache, state_manager)
        values = array_ops.where(ids.present, array_ops.cast(ids.values, "int64"), np.int64(-1))
        # one_hot gives a row of zeros for ids outside [0, num_buckets), as TensorFlow's does.
        dtype = "float32" if ids.weights is None else ids.weights.dtype  # TensorFlow sums the weights as they are
        hot = array_ops.one_hot(values, self.categorical_column.num_buckets, 1.0, 0.0, dtype=dtype)
        if ids.weights is not None:
            hot = math_ops.multiply(hot, array_ops.expand_dims(ids.weights, -1))
        return math_ops.reduce_sum(hot, -2)

    @property
    def variable_shape(self) -> TensorShape:
        return TensorShape([1, self.categorical_column.num_buckets])

    def get_dense_tensor(self, transformation_cache: Any, state_manager: Any) -> Any:
        return transformation_cache.get(self, state_manager)

    @property
    def parents(self) -> list:
        return [self.categorical_column]

    def get_config(self) -> dict:
        from .serialization import serialize_feature_column

        return {"categorical_column": serialize_feature_column(self.categorical_column)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> Any:
        from .serialization import deserialize_feature_column

        check_config_keys(config, cls._fields)
        return cls(deserialize_feature_column(config["categorical_column"], custom_objects, columns_by_name))


def clip_by_norm(t: Any, clip_norm: float) -> Any:
    """``tf.clip_by_norm`` over the last axis (the zero vector keeps a finite gradient)."""
    l2sum = math_ops.reduce_sum(math_ops.multiply(t, t), -1, keepdims=True)
    positive = math_ops.greater(l2sum, 0)
    l2norm = array_ops.where(
        positive, math_ops.sqrt(array_ops.where(positive, l2sum, array_ops.ones_like(l2sum))), l2sum
    )
    return math_ops.divide(math_ops.multiply(t, clip_norm), math_ops.maximum(l2norm, clip_norm))


def safe_embedding_lookup(params: Any, ids: Ids, combiner: str, max_norm: Optional[float]) -> Any:
    """TensorFlow's ``safe_embedding_lookup_sparse`` of ``Ids`` (per row of ``(batch, n)`` ids): ``(batch, dim)``."""
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    values = array_ops.cast(ids.values, "int64")
    valid = math_ops.logical_and(ids.present, math_ops.greater_equal(values, np.int64(0)))
    if ids.weights is None:
        weights = array_ops.ones_like(values, dtype=params.dtype)
    else:
        weights = array_ops.cast(ids.weights, params.dtype)
        if combiner != "sum":
            valid = math_ops.logical_and(valid, math_ops.greater(weights, 0))
    weights = array_ops.where(valid, weights, array_ops.zeros_like(weights))
    embedded = array_ops.gather(params, array_ops.where(valid, values, np.int64(0)))
    if max_norm is not None:
        embedded = clip_by_norm(embedded, max_norm)
    total = math_ops.reduce_sum(math_ops.multiply(embedded, array_ops.expand_dims(weights, -1)), 1)
    if combiner == "sum":
        return total
    if combiner == "mean":
        denominator = math_ops.reduce_sum(weights, 1)
    else:
        denominator = math_ops.sqrt(math_ops.reduce_sum(math_ops.multiply(weights, weights), 1))
    safe = array_ops.where(math_ops.greater(denominator, 0), denominator, array_ops.ones_like(denominator))
    return math_ops.divide(total, array_ops.expand_dims(safe, -1))


class EmbeddingColumn(
    DenseColumn,
    collections.namedtuple(
        "EmbeddingColumn",
        (
            "categorical_column",
            "dimension",
            "combiner",
            "initializer",
            "ckpt_to_load_from",
            "tensor_name_in_ckpt",
            "max_norm",
            "trainable",
            "use_safe_embedding_lookup",
        ),
    ),
):
    """See ``embedding_column``."""

    def __new__(
        cls,
        categorical_column: Any,
        dimension: int,
        combiner: str,
        initializer: Any,
        ckpt_to_load_from: Any,
        tensor_name_in_ckpt: Any,
        max_norm: Any,
        trainable: bool,
        use_safe_embedding_lookup: bool = True,
    ) -> EmbeddingColumn:
        return super().__new__(
            cls,
            categorical_column,
            dimension,
            combiner,
            initializer,
            ckpt_to_load_from,
            tensor_name_in_ckpt,
            max_norm,
            trainable,
            use_safe_embedding_lookup,
        )

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_embedding"

    @property
    def parse_example_spec(self) -> dict:
        return self.categorical_column.parse_example_spec

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Ids:
        return self.categorical_column.get_ids(transformation_cache, state_manager)

    @property
    def variable_shape(self) -> TensorShape:
        return TensorShape([self.dimension])

    def create_state(self, state_manager: Any) -> None:
        initializer = self.initializer
        if self.ckpt_to_load_from is not None:
            from ..train import load_variable

            value = np.asarray(load_variable(self.ckpt_to_load_from, self.tensor_name_in_ckpt), np.float32)
            initializer = _constant(value)
        state_manager.create_variable(
            self,
            name="embedding_weights",
            shape=(self.categorical_column.num_buckets, self.dimension),
            dtype="float32",
            trainable=self.trainable,
            initializer=initializer,
        )

    def get_dense_tensor(self, transformation_cache: Any, state_manager: Any) -> Any:
        ids = transformation_cache.get(self, state_manager)
        weights = state_manager.get_variable(self, "embedding_weights")
        return safe_embedding_lookup(weights, ids, self.combiner, self.max_norm)

    @property
    def parents(self) -> list:
        return [self.categorical_column]

    def get_config(self) -> dict:
        from .serialization import serialize_feature_column, serialize_initializer

        config = dict(zip(self._fields, self))
        config["categorical_column"] = serialize_feature_column(self.categorical_column)
        config["initializer"] = serialize_initializer(self.initializer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> Any:
        from .serialization import deserialize_feature_column, deserialize_initializer

        config = dict(config)
        config.setdefault("use_safe_embedding_lookup", True)
        check_config_keys(config, cls._fields)
        kwargs = standardize_config(config)
        kwargs["categorical_column"] = deserialize_feature_column(
            config["categorical_column"], custom_objects, columns_by_name
        )
        kwargs["initializer"] = deserialize_initializer(config["initializer"], custom_objects)
        return cls(**kwargs)


def _constant(value: np.ndarray) -> Any:
    def init(shape: Any, dtype: Any = None, **kwargs: Any) -> np.ndarray:
        if tuple(shape) != value.shape:
            raise ValueError(f"The checkpoint's embedding has shape {value.shape}, the column needs {tuple(shape)}")
        return value

    return init


def default_initializer(dimension: int) -> Any:
    """TensorFlow's default: a truncated normal of mean 0 and standard deviation ``1 / sqrt(dimension)``."""
    from ..compat.v1.initializers import TruncatedNormal

    return TruncatedNormal(mean=0.0, stddev=1 / math.sqrt(dimension))


def check_embedding_args(
    dimension: Any, ckpt_to_load_from: Any, tensor_name_in_ckpt: Any, initializer: Any, column_name: Optional[str]
) -> None:
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them.")
    if initializer is not None and not callable(initializer):
        where = "" if column_name is None else f" Embedding of column_name: {column_name}"
        raise ValueError(f"initializer must be callable if specified.{where}")


def indicator_column(categorical_column: CategoricalColumn) -> IndicatorColumn:
    """A categorical column as a multi-hot vector of ``num_buckets`` counts (weights, for a weighted column)."""
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(f"Unsupported input type. Input must be a CategoricalColumn. Given: {categorical_column}")
    return IndicatorColumn(categorical_column)


def embedding_column(
    categorical_column: CategoricalColumn,
    dimension: int,
    combiner: str = "mean",
    initializer: Any = None,
    ckpt_to_load_from: Optional[str] = None,
    tensor_name_in_ckpt: Optional[str] = None,
    max_norm: Optional[float] = None,
    trainable: bool = True,
    use_safe_embedding_lookup: bool = True,
) -> EmbeddingColumn:
    """A categorical column as a learned ``dimension``-wide embedding, the ids of a row combined by ``combiner``."""
    check_embedding_args(dimension, ckpt_to_load_from, tensor_name_in_ckpt, initializer, categorical_column.name)
    if initializer is None:
        initializer = default_initializer(dimension)
    return EmbeddingColumn(
        categorical_column=categorical_column,
        dimension=dimension,
        combiner=combiner,
        initializer=initializer,
        ckpt_to_load_from=ckpt_to_load_from,
        tensor_name_in_ckpt=tensor_name_in_ckpt,
        max_norm=max_norm,
        trainable=trainable,
        use_safe_embedding_lookup=use_safe_embedding_lookup,
    )
