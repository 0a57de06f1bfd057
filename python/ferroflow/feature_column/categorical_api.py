"""The ``tf.feature_column.categorical_column_with_*`` constructors, with TensorFlow 2.21's checks and messages."""

from __future__ import annotations

import os
from typing import Any, Optional

import numpy as np

from ._base import assert_key_is_string, assert_string_or_int, column_dtype
from .categorical import (
    HashedCategoricalColumn,
    IdentityCategoricalColumn,
    VocabularyFileCategoricalColumn,
    VocabularyListCategoricalColumn,
)


def categorical_column_with_hash_bucket(
    key: str, hash_bucket_size: int, dtype: Any = "string"
) -> HashedCategoricalColumn:
    """Ids by hashing: ``Fingerprint64(value) % hash_bucket_size`` (integers hashed as their decimal text).

    Dense inputs drop ``''`` (strings) and ``-1`` (integers) as missing.
    """
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}")
    assert_key_is_string(key)
    dtype = column_dtype(dtype)
    assert_string_or_int(dtype, prefix=f"column_name: {key}")
    return HashedCategoricalColumn(key, int(hash_bucket_size), dtype)


def _check_oov(key: str, num_oov_buckets: Any, default_value: Any, unset_default: Any) -> None:
    if num_oov_buckets:
        if default_value != unset_default:
            raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")


def categorical_column_with_vocabulary_list(
    key: str,
    vocabulary_list: Any,
    dtype: Any = None,
    default_value: int = -1,
    num_oov_buckets: int = 0,
) -> VocabularyListCategoricalColumn:
    """Ids by position in ``vocabulary_list``; other values get ``default_value`` (-1: dropped), or with
    ``num_oov_buckets`` one of the ids after the vocabulary by hashing."""
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    kind = np.array(vocabulary_list).dtype.kind
    vocabulary_dtype = column_dtype("string" if kind in "USO" else np.array(vocabulary_list).dtype.name)
    _check_oov(key, num_oov_buckets, default_value, -1)
    assert_string_or_int(vocabulary_dtype, prefix=f"column_name: {key} vocabulary")
    if dtype is None:
        dtype = vocabulary_dtype
    else:
        dtype = column_dtype(dtype)
        if dtype.is_integer != vocabulary_dtype.is_integer:
            raise ValueError(f"dtype {dtype} and vocabulary dtype {vocabulary_dtype} do not match, column_name: {key}")
    assert_string_or_int(dtype, prefix=f"column_name: {key}")
    assert_key_is_string(key)
    return VocabularyListCategoricalColumn(
        key=key,
        vocabulary_list=tuple(vocabulary_list),
        dtype=dtype,
        default_value=default_value,
        num_oov_buckets=num_oov_buckets,
    )


def categorical_column_with_vocabulary_file(
    key: str,
    vocabulary_file: str,
    vocabulary_size: Optional[int] = None,
    dtype: Any = "string",
    default_value: Optional[int] = None,
    num_oov_buckets: int = 0,
    file_format: Optional[str] = None,
) -> VocabularyFileCategoricalColumn:
    """Ids by line number in ``vocabulary_file`` (its first ``vocabulary_size`` lines); out-of-vocabulary values
    as in ``categorical_column_with_vocabulary_list``."""
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if file_format is None and vocabulary_file.endswith("tfrecord.gz"):
        file_format = "tfrecord_gzip"
    if file_format not in (None, "text"):
        raise NotImplementedError(f"vocabulary files of format {file_format!r}: only text files are read")
    if vocabulary_size is None:
        if not os.path.exists(vocabulary_file):
            raise ValueError(f"vocabulary_file in {key} does not exist.")
        with open(vocabulary_file, "rb") as f:
            vocabulary_size = sum(1 for _ in f)
    if vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    _check_oov(key, num_oov_buckets, default_value, None)
    dtype = column_dtype(dtype)
    assert_string_or_int(dtype, prefix=f"column_name: {key}")
    assert_key_is_string(key)
    return VocabularyFileCategoricalColumn(
        key=key,
        vocabulary_file=vocabulary_file,
        vocabulary_size=int(vocabulary_size),
        num_oov_buckets=0 if num_oov_buckets is None else num_oov_buckets,
        default_value=-1 if default_value is None else default_value,
        dtype=dtype,
        file_format=file_format,
    )


def categorical_column_with_identity(
    key: str, num_buckets: int, default_value: Optional[int] = None
) -> IdentityCategoricalColumn:
    """Integer inputs in ``[0, num_buckets)`` as their own ids; others become ``default_value`` if set
    (otherwise negative values are dropped and values >= num_buckets fail in an embedding lookup)."""
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and (default_value < 0 or default_value >= num_buckets):
        raise ValueError(f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}")
    assert_key_is_string(key)
    return IdentityCategoricalColumn(key=key, number_buckets=num_buckets, default_value=default_value)
