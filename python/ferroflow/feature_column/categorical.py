"""The ``categorical_column_with_*`` columns: hash buckets, vocabulary lists and files, identity.

Ids are TensorFlow's: hash buckets and out-of-vocabulary buckets are FarmHash ``Fingerprint64`` of the value
(integers as decimal text) modulo the bucket count, eagerly in Python and in graphs with ferroflow ops.
"""

from __future__ import annotations

import collections
import os
from typing import Any, List

import numpy as np

from ..errors import InvalidArgumentError, NotFoundError
from ..framework.tensor import EagerTensor
from ..layers._lookup_table import LookupTable, unique_tokens, vocabulary_lines
from ..ops import array_ops, math_ops
from ._base import CategoricalColumn, Ids, assert_string_or_int, column_dtype
from ._inputs import entries, entries_dtype, hash_buckets


class _KeyedColumn(CategoricalColumn):
    """A categorical column reading one feature ``key`` (shared pieces of the four columns here)."""

    @property
    def name(self) -> str:
        return self.key

    @property
    def parse_example_spec(self) -> dict:
        from ..ops.parsing_ops import VarLenFeature

        return {self.key: VarLenFeature(self._spec_dtype())}

    def _spec_dtype(self) -> Any:
        return self.dtype

    @property
    def parents(self) -> list:
        return [self.key]

    def _input(self, transformation_cache: Any, state_manager: Any) -> tuple:
        feature = transformation_cache.get(self.key, state_manager)
        return feature, entries_dtype(feature)

    def _check_compatible(self, dtype: Any) -> None:
        if self.dtype.is_integer != dtype.is_integer:
            raise ValueError(
                "Column dtype and SparseTensors dtype must be compatible. "
                f"key: {self.key}, column dtype: {self.dtype}, tensor dtype: {dtype}"
            )

    def get_config(self) -> dict:
        config = dict(zip(self._fields, self))
        config["dtype"] = self.dtype.name
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> Any:
        from ._base import check_config_keys, standardize_config

        check_config_keys(config, cls._fields)
        kwargs = standardize_config(config)
        kwargs["dtype"] = column_dtype(config["dtype"])
        return cls(**kwargs)


class HashedCategoricalColumn(
    _KeyedColumn, collections.namedtuple("HashedCategoricalColumn", ("key", "hash_bucket_size", "dtype"))
):
    """See ``categorical_column_with_hash_bucket``."""

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Ids:
        feature, dtype = self._input(transformation_cache, state_manager)
        assert_string_or_int(dtype, prefix=f"column_name: {self.key} input_tensor")
        self._check_compatible(dtype)
        values, present = entries(feature, self.key)
        return Ids(hash_buckets(values, self.hash_bucket_size), present)

    @property
    def num_buckets(self) -> int:
        return self.hash_bucket_size


class _VocabularyColumn(_KeyedColumn):
    """Lookups in a vocabulary: the index of the value, else ``vocabulary_size + hash % num_oov_buckets`` or
    ``default_value``."""

    def _tokens(self) -> List[Any]:
        raise NotImplementedError

    def _table(self) -> LookupTable:
        table = self.__dict__.get("_lookup_table")
        if table is None:
            table = self.__dict__["_lookup_table"] = LookupTable(self._tokens(), 0, self.dtype.name == "string")
        return table

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Ids:
        feature, dtype = self._input(transformation_cache, state_manager)
        self._check_compatible(dtype)
        assert_string_or_int(dtype, prefix=f"column_name: {self.key} input_tensor")
        values, present = entries(feature, self.key)
        if values.dtype.is_integer:
            values = array_ops.cast(values, "int64")
        table = self._table()
        if isinstance(values, EagerTensor):
            from ..framework.ops import convert_to_tensor
            from ..layers._preprocessing_util import to_numpy

            index = convert_to_tensor(table.lookup_numpy(to_numpy(values)), dtype="int64")
        else:
            index = table.lookup_graph(values)
        missing = math_ops.equal(index, np.int64(-1))
        if self.num_oov_buckets:
            fallback = math_ops.add(hash_buckets(values, self.num_oov_buckets), np.int64(len(table)))
        else:
            fallback = math_ops.add(array_ops.zeros_like(index), np.int64(self.default_value))
        return Ids(array_ops.where(missing, fallback, index), present)


class VocabularyListCategoricalColumn(
    _VocabularyColumn,
    collections.namedtuple(
        "VocabularyListCategoricalColumn", ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets")
    ),
):
    """See ``categorical_column_with_vocabulary_list``."""

    def _tokens(self) -> List[Any]:
        if self.dtype.name == "string":
            return [t if isinstance(t, bytes) else str(t).encode("utf-8") for t in self.vocabulary_list]
        return [int(t) for t in self.vocabulary_list]

    @property
    def num_buckets(self) -> int:
        return len(self.vocabulary_list) + self.num_oov_buckets


class VocabularyFileCategoricalColumn(
    _VocabularyColumn,
    collections.namedtuple(
        "VocabularyFileCategoricalColumn",
        ("key", "vocabulary_file", "vocabulary_size", "num_oov_buckets", "dtype", "default_value", "file_format"),
    ),
):
    """See ``categorical_column_with_vocabulary_file``."""

    def __new__(
        cls,
        key: str,
        vocabulary_file: str,
        vocabulary_size: int,
        num_oov_buckets: int,
        dtype: Any,
        default_value: int,
        file_format: Any = None,
    ) -> VocabularyFileCategoricalColumn:
        return super().__new__(
            cls, key, vocabulary_file, vocabulary_size, num_oov_buckets, dtype, default_value, file_format
        )

    def _tokens(self) -> List[Any]:
        return read_vocabulary(self.vocabulary_file, self.vocabulary_size, self.dtype.name == "string")

    @property
    def num_buckets(self) -> int:
        return self.vocabulary_size + self.num_oov_buckets


def read_vocabulary(path: str, size: int, is_string: bool) -> List[Any]:
    """The first ``size`` lines of a vocabulary file as TensorFlow's text-file table initializer reads them."""
    if not os.path.exists(path):
        raise NotFoundError(f"{path}; No such file or directory")
    lines = vocabulary_lines(path)
    if len(lines) < size:
        raise InvalidArgumentError(f"Invalid vocab_size in {path}: expected {size} but got {len(lines)}")
    return unique_tokens(lines[:size], is_string)


class IdentityCategoricalColumn(
    _KeyedColumn, collections.namedtuple("IdentityCategoricalColumn", ("key", "number_buckets", "default_value"))
):
    """See ``categorical_column_with_identity``."""

    def _spec_dtype(self) -> Any:
        return column_dtype("int64")

    def transform_feature(self, transformation_cache: Any, state_manager: Any) -> Ids:
        feature, dtype = self._input(transformation_cache, state_manager)
        if not dtype.is_integer:
            raise ValueError(f"Invalid input, not integer. key: {self.key} dtype: {dtype}")
        values, present = entries(feature, self.key)
        values = array_ops.cast(values, "int64")
        if self.default_value is not None:
            outside = math_ops.logical_or(
                math_ops.less(values, np.int64(0)), math_ops.greater_equal(values, np.int64(self.num_buckets))
            )
            values = array_ops.where(
                outside, math_ops.add(array_ops.zeros_like(values), np.int64(self.default_value)), values
            )
        return Ids(values, present)

    @property
    def num_buckets(self) -> int:
        return self.number_buckets

    def get_config(self) -> dict:
        return dict(zip(self._fields, self))

    @classmethod
    def from_config(cls, config: dict, custom_objects: Any = None, columns_by_name: Any = None) -> Any:
        from ._base import check_config_keys, standardize_config

        check_config_keys(config, cls._fields)
        return cls(**standardize_config(config))
