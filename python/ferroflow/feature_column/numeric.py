"""``numeric_column`` and ``bucketized_column`` (TensorFlow 2.21's arguments, checks and outputs)."""

from __future__ import annotations

import collections
from typing import Any, Callable, Optional

import numpy as np

from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor_shape import TensorShape
from ..ops import array_ops, math_ops
from ._base import (
    CategoricalColumn,
    DenseColumn,
    Ids,
    assert_key_is_string,
    check_config_keys,
    column_dtype,
    standardize_config,
)


class NumericColumn(
    DenseColumn, collections.namedtuple("NumericColumn", ("key", "shape", "default_value", "dtype", "normalizer_fn"))
):
    """See ``numeric_column``."""

    @property
    def name(self) -> str:
        return self.key

    @property
    def parse_example_spec(self) -> dict:
        from ..ops.parsing_ops import FixedLenFeature

        return {self.key: FixedLenFeature(self.shape, self.dtype, self.default_value)}

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Any:
        tensor = transformation_cache.get(self.key, state_manager)
        if isinstance(tensor, (SparseTensor, RaggedTensor)):
            raise ValueError(
                "The corresponding Tensor of numerical column must be a Tensor. "
                f"{type(tensor).__name__} is not supported. key: {self.key}"
            )
        if tensor.dtype.name == "string":
            raise TypeError(
                f"numeric_column '{self.key}' expects numbers; received a string tensor (cast string to float is "
                "not supported: parse it with tf.strings.to_number first)"
            )
        if self.normalizer_fn is not None:
            tensor = self.normalizer_fn(tensor)
        return array_ops.cast(tensor, "float32")

    @property
    def variable_shape(self) -> TensorShape:
        return TensorShape(self.shape)

    def get_dense_tensor(self, transformation_cache: Any, state_manager: Any) -> Any:
        return transformation_cache.get(self, state_manager)

    @property
    def parents(self) -> list:
        return [self.key]

    def get_config(self) -> dict:
        from .serialization import serialize_function

        config = dict(zip(self._fields, self))
        config["normalizer_fn"] = serialize_function(self.normalizer_fn)
        config["dtype"] = self.dtype.name
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> NumericColumn:
        from .serialization import deserialize_function

        check_config_keys(config, cls._fields)
        kwargs = standardize_config(config)
        kwargs["normalizer_fn"] = deserialize_function(config["normalizer_fn"], custom_objects)
        kwargs["dtype"] = column_dtype(config["dtype"])
        return cls(**kwargs)


class BucketizedColumn(
    DenseColumn, CategoricalColumn, collections.namedtuple("BucketizedColumn", ("source_column", "boundaries"))
):
    """See ``bucketized_column``."""

    @property
    def name(self) -> str:
        return f"{self.source_column.name}_bucketized"

    @property
    def parse_example_spec(self) -> dict:
        return self.source_column.parse_example_spec

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Any:
        source = transformation_cache.get(self.source_column, state_manager)
        # TensorFlow's Bucketize holds float32 boundaries: a value's bucket is how many of them are <= it.
        bounds = np.asarray(self.boundaries, dtype=np.float32)
        above = math_ops.greater_equal(array_ops.expand_dims(source, -1), bounds)
        return math_ops.reduce_sum(array_ops.cast(above, "int32"), -1)

    @property
    def variable_shape(self) -> TensorShape:
        return TensorShape(tuple(self.source_column.shape) + (len(self.boundaries) + 1,))

    def get_dense_tensor(self, transformation_cache: Any, state_manager: Any) -> Any:
        buckets = transformation_cache.get(self, state_manager)
        return array_ops.one_hot(array_ops.cast(buckets, "int64"), len(self.boundaries) + 1, 1.0, 0.0)

    @property
    def num_buckets(self) -> int:
        return (len(self.boundaries) + 1) * self.source_column.shape[0]

    def get_ids(self, transformation_cache: Any, state_manager: Any) -> Ids:
        buckets = array_ops.cast(transformation_cache.get(self, state_manager), "int64")
        buckets = array_ops.reshape(buckets, [-1, self.source_column.shape[0]])
        # Element i of the source gets its own range of ids: bucket + (len(boundaries) + 1) * i.
        offsets = np.arange(self.source_column.shape[0], dtype=np.int64) * (len(self.boundaries) + 1)
        ids = math_ops.add(buckets, offsets)
        return Ids(ids, math_ops.equal(ids, ids))

    @property
    def parents(self) -> list:
        return [self.source_column]

    def get_config(self) -> dict:
        from .serialization import serialize_feature_column

        config = dict(zip(self._fields, self))
        config["source_column"] = serialize_feature_column(self.source_column)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> BucketizedColumn:
        from .serialization import deserialize_feature_column

        check_config_keys(config, cls._fields)
        kwargs = standardize_config(config)
        kwargs["source_column"] = deserialize_feature_column(config["source_column"], custom_objects, columns_by_name)
        return cls(**kwargs)


def _check_shape(shape: Any, key: str) -> tuple:
    if not isinstance(shape, (list, tuple, TensorShape)):
        shape = [shape]
    shape = tuple(shape)
    for dimension in shape:
        if not isinstance(dimension, (int, np.integer)) or isinstance(dimension, bool):
            raise TypeError(f"shape dimensions must be integer. shape: {shape}, key: {key}")
        if dimension < 1:
            raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    return tuple(int(d) for d in shape)


def _filled(shape: tuple, value: Any) -> Any:
    return tuple(_filled(shape[1:], value) for _ in range(shape[0])) if shape else value


def _fits(value: Any, shape: tuple) -> bool:
    nested = isinstance(value, (list, tuple))
    if nested != bool(shape):
        return False
    if not shape:
        return True
    return len(value) == shape[0] and all(_fits(v, shape[1:]) for v in value)


def _flat(value: Any) -> list:
    return [x for v in value for x in _flat(v)] if isinstance(value, (list, tuple)) else [value]


def _as_tuple(value: Any) -> Any:
    return tuple(_as_tuple(v) for v in value) if isinstance(value, (list, tuple)) else value


def _check_default_value(shape: tuple, default_value: Any, dtype: Any, key: str) -> Any:
    """TensorFlow's ``check_default_value``: a scalar is repeated to ``shape``, a nested value must match it."""
    if default_value is None:
        return None
    if isinstance(default_value, int) and not isinstance(default_value, bool):
        return _filled(shape, default_value)
    if isinstance(default_value, float) and dtype.is_floating:
        return _filled(shape, default_value)
    if callable(getattr(default_value, "tolist", None)):
        default_value = default_value.tolist()
    if isinstance(default_value, (list, tuple)):
        if not _fits(default_value, shape):
            raise ValueError(
                "The shape of default_value must be equal to given shape. "
                f"default_value: {default_value}, shape: {shape}, key: {key}"
            )
        flat = _flat(default_value)
        if all(isinstance(v, int) for v in flat) or (any(isinstance(v, float) for v in flat) and dtype.is_floating):
            return _as_tuple(default_value)
    raise TypeError(
        f"default_value must be compatible with dtype. default_value: {default_value}, dtype: {dtype}, key: {key}"
    )


def numeric_column(
    key: str,
    shape: Any = (1,),
    default_value: Any = None,
    dtype: Any = "float32",
    normalizer_fn: Optional[Callable] = None,
) -> NumericColumn:
    """A real-valued feature of ``shape`` per example, cast to float32 after ``normalizer_fn``."""
    shape = _check_shape(shape, key)
    dtype = column_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    default_value = _check_default_value(shape, default_value, dtype, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    assert_key_is_string(key)
    return NumericColumn(key, shape=shape, default_value=default_value, dtype=dtype, normalizer_fn=normalizer_fn)


def bucketized_column(source_column: NumericColumn, boundaries: Any) -> BucketizedColumn:
    """A numeric column's values as bucket indices: ``boundaries=[0., 1.]`` makes (-inf, 0), [0, 1), [1, +inf)."""
    if not isinstance(source_column, NumericColumn):
        raise ValueError(f"source_column must be a column generated with numeric_column(). Given: {source_column}")
    if len(source_column.shape) > 1:
        raise ValueError(f"source_column must be one-dimensional column. Given: {source_column}")
    if not isinstance(boundaries, (list, tuple)):
        if isinstance(boundaries, np.ndarray) and boundaries.size > 1:
            raise ValueError("boundaries must be a sorted list or tuple; received a NumPy array")
        raise ValueError("boundaries must be a sorted list.")
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    for i in range(len(boundaries) - 1):
        if boundaries[i] >= boundaries[i + 1]:
            raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(boundaries))
