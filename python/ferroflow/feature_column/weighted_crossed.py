"""``weighted_categorical_column`` and ``crossed_column``."""

from __future__ import annotations

import collections
from typing import Any, Optional

from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..ops import array_ops
from ._base import CategoricalColumn, Ids, check_config_keys, column_dtype, standardize_config
from ._inputs import cross_feature, cross_hashed, entries, entries_dtype


class WeightedCategoricalColumn(
    CategoricalColumn,
    collections.namedtuple("WeightedCategoricalColumn", ("categorical_column", "weight_feature_key", "dtype")),
):
    """See ``weighted_categorical_column``."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_weighted_by_{self.weight_feature_key}"

    @property
    def parse_example_spec(self) -> dict:
        from ..ops.parsing_ops import VarLenFeature

        config = dict(self.categorical_column.parse_example_spec)
        if self.weight_feature_key in config:
            raise ValueError(
                f"Parse config {config[self.weight_feature_key]} already exists for {self.weight_feature_key}."
            )
        config[self.weight_feature_key] = VarLenFeature(self.dtype)
        return config

    @property
    def num_buckets(self) -> int:
        return self.categorical_column.num_buckets

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Ids:
        weights = transformation_cache.get(self.weight_feature_key, state_manager)
        if weights is None:
            raise ValueError(f"Missing weights {self.weight_feature_key}.")
        dtype = entries_dtype(weights)
        if self.dtype != dtype:
            raise ValueError(f"Bad dtype, expected {self.dtype}, but got {dtype}.")
        weight_values, weight_present = entries(weights, self.weight_feature_key, ignore_value=0.0)
        ids = self.categorical_column.get_ids(transformation_cache, state_manager)
        if not weight_values.dtype.is_floating:
            weight_values = array_ops.cast(weight_values, "float32")
        # Each id takes the weight at its own position; an absent weight counts as 0.
        weight_values = array_ops.where(weight_present, weight_values, array_ops.zeros_like(weight_values))
        if tuple(weight_values.shape.as_list()[1:]) != tuple(ids.values.shape.as_list()[1:]):
            raise ValueError(
                f"weighted_categorical_column {self.name}: the weights ({weights.shape}) must have the shape of the "
                f"ids of {self.categorical_column.name} ({ids.values.shape})"
            )
        return Ids(ids.values, ids.present, weight_values)

    @property
    def parents(self) -> list:
        return [self.categorical_column, self.weight_feature_key]

    def get_config(self) -> dict:
        from .serialization import serialize_feature_column

        config = dict(zip(self._fields, self))
        config["categorical_column"] = serialize_feature_column(self.categorical_column)
        config["dtype"] = self.dtype.name
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> Any:
        from .serialization import deserialize_feature_column

        check_config_keys(config, cls._fields)
        kwargs = standardize_config(config)
        kwargs["categorical_column"] = deserialize_feature_column(
            config["categorical_column"], custom_objects, columns_by_name
        )
        kwargs["dtype"] = column_dtype(config["dtype"])
        return cls(**kwargs)


def leaf_keys(cross: Any) -> list:
    """The keys of a cross with nested crosses expanded (TensorFlow's ``_collect_leaf_level_keys``)."""
    out: list = []
    for k in cross.keys:
        out.extend(leaf_keys(k) if isinstance(k, CrossedColumn) else [k])
    return out


class CrossedColumn(
    CategoricalColumn, collections.namedtuple("CrossedColumn", ("keys", "hash_bucket_size", "hash_key"))
):
    """See ``crossed_column``."""

    @property
    def name(self) -> str:
        names = [k.name if isinstance(k, CategoricalColumn) else k for k in leaf_keys(self)]
        return "_X_".join(sorted(names))

    @property
    def parse_example_spec(self) -> dict:
        from ..ops.parsing_ops import VarLenFeature

        config: dict = {}
        for key in self.keys:
            if isinstance(key, CategoricalColumn):
                config.update(key.parse_example_spec)
            else:
                config.update({key: VarLenFeature(column_dtype("string"))})
        return config

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Ids:
        sparse, dense = [], []
        for key in leaf_keys(self):
            is_sparse = True
            if isinstance(key, str):
                # A raw feature is crossed whole: every element of a dense tensor, missing values included.
                raw = transformation_cache.get(key, state_manager)
                is_sparse = isinstance(raw, (SparseTensor, RaggedTensor))
                values, present = entries(raw, key, drop=False)
            elif isinstance(key, CategoricalColumn):
                ids = key.get_ids(transformation_cache, state_manager)
                if ids.weights is not None:
                    raise ValueError(
                        "crossed_column does not support weight_tensor, but the given column populates "
                        f"weight_tensor. Given column: {key.name}"
                    )
                values, present = ids.values, ids.present
            else:
                raise ValueError(f"Unsupported column type. Given: {key}")
            if values.dtype.name != "string" and not values.dtype.is_integer:
                raise ValueError(
                    f"crossed_column {self.name}: feature {key} must hold strings or integers, "
                    f"received {values.dtype.name}"
                )
            (sparse if is_sparse else dense).append(Ids(cross_feature(values), present))
        # TensorFlow's SparseCross op takes the sparse inputs (categorical columns' ids, sparse features) first
        # and the dense features after them: that is the order their fingerprints are chained in.
        return cross_hashed(sparse + dense, self.hash_bucket_size, self.hash_key)

    @property
    def num_buckets(self) -> int:
        return self.hash_bucket_size

    @property
    def parents(self) -> list:
        return list(self.keys)

    def get_config(self) -> dict:
        from .serialization import serialize_feature_column

        config = dict(zip(self._fields, self))
        config["keys"] = tuple(serialize_feature_column(k) for k in self.keys)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> Any:
        from .serialization import deserialize_feature_column

        check_config_keys(config, cls._fields)
        kwargs = standardize_config(config)
        kwargs["keys"] = tuple(deserialize_feature_column(c, custom_objects, columns_by_name) for c in config["keys"])
        return cls(**kwargs)


def weighted_categorical_column(
    categorical_column: CategoricalColumn, weight_feature_key: str, dtype: Any = "float32"
) -> WeightedCategoricalColumn:
    """Gives each id of ``categorical_column`` the weight at the same position of feature ``weight_feature_key``."""
    dtype = None if dtype is None else column_dtype(dtype)
    if dtype is None or not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    return WeightedCategoricalColumn(
        categorical_column=categorical_column, weight_feature_key=weight_feature_key, dtype=dtype
    )


def crossed_column(keys: Any, hash_bucket_size: int, hash_key: Optional[int] = None) -> CrossedColumn:
    """Hashes every combination of the keys' values (``FingerprintCat64``) into ``hash_bucket_size`` ids; keys are
    feature names (strings) or categorical columns other than ``categorical_column_with_hash_bucket``."""
    from .categorical import HashedCategoricalColumn

    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, (str, CategoricalColumn)):
            raise ValueError(
                "Unsupported key type. All keys must be either string, or categorical column except "
                f"HashedCategoricalColumn. Given: {key}"
            )
        if isinstance(key, HashedCategoricalColumn):
            raise ValueError(
                "categorical_column_with_hash_bucket is not supported for crossing. Hashing before crossing will "
                f"increase probability of collision. Instead, use the feature name as a string. Given: {key}"
            )
    return CrossedColumn(keys=tuple(keys), hash_bucket_size=hash_bucket_size, hash_key=hash_key)
