"""Raw features as ``Ids`` (dense values + presence mask), and the string hashes of TensorFlow's columns.

TensorFlow turns a dense categorical feature into a ``SparseTensor`` that leaves out the "missing" value
(``''`` for strings, ``-1`` for integers); a ``SparseTensor`` feature keeps exactly its elements. Here both
become a dense ``(batch, n)`` tensor with a ``present`` mask. Sparse and ragged features are densified through
an index (the position of each element, gathered back), which works for strings and in graphs alike.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework.ragged_tensor import RaggedTensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import EagerTensor
from ..layers._string_hash import fingerprint64 as _fingerprint_bytes
from ..layers._string_hash import hash_buckets as _hash_buckets_numpy
from ..ops import array_ops, math_ops, string_ops
from ..ops.sparse_ops import to_dense as _sparse_to_dense
from . import _fingerprint_graph as graph_hash
from ._base import Ids


def default_ignore_value(dtype: Any) -> Any:
    """TensorFlow's "missing" value of a dense feature: ``''`` for strings, -1 for integers, else 0."""
    if dtype.name == "string":
        return b""
    return -1 if dtype.is_integer else 0


def _flatten2d(x: Any, what: str) -> Any:
    """``x`` as ``(batch, n)``: the dimensions after the batch are flattened (they must be static)."""
    if x.shape.rank == 2:
        return x
    inner = x.shape.as_list()[1:]
    if any(d is None for d in inner):
        raise ValueError(f"Feature {what}: dimensions after the batch must be known to flatten it, shape {x.shape}")
    return array_ops.reshape(x, [-1, int(np.prod(inner))])


def _densify(values: Any, positions_dense: Any) -> tuple:
    """Gathers ``values`` at a dense tensor of 1-based positions (0 = no element): (dense values, present)."""
    filler = array_ops.zeros([1], dtype=values.dtype) if values.dtype.name != "string" else np.array([b""], object)
    table = array_ops.concat([filler, values], 0)
    return array_ops.gather(table, positions_dense), math_ops.greater(positions_dense, np.int64(0))


def _positions(n: Any) -> Any:
    return math_ops.add(array_ops.range(array_ops.size(n), dtype="int64"), np.int64(1))


def entries(feature: Any, what: str, drop: bool = True, ignore_value: Any = None) -> tuple:
    """A raw feature (tensor, ``SparseTensor`` or ``RaggedTensor``) as ``(values, present)``, both ``(batch, n)``.

    Dense elements equal to ``ignore_value`` (default: TensorFlow's missing value) are absent when ``drop``.
    """
    if isinstance(feature, SparseTensor):
        dense_positions = _sparse_to_dense(feature.with_values(_positions(feature.values)))
        values, present = _densify(feature.values, dense_positions)
    elif isinstance(feature, RaggedTensor):
        flat = feature.flat_values
        dense_positions = feature.with_flat_values(_positions(flat)).to_tensor(np.int64(0))
        values, present = _densify(flat, dense_positions)
    else:
        values = feature
        if drop:
            ignore = default_ignore_value(values.dtype) if ignore_value is None else ignore_value
            present = math_ops.not_equal(values, _as_dtype_of(ignore, values))
        else:
            present = math_ops.not_equal(array_ops.zeros_like(values, dtype="int32"), np.int32(1))
    return _flatten2d(values, what), _flatten2d(present, what)


def _as_dtype_of(value: Any, x: Any) -> Any:
    if x.dtype.name == "string":
        return value
    return np.asarray(value).astype(x.dtype.as_numpy_dtype)


def entries_dtype(feature: Any) -> Any:
    return (
        feature.values.dtype
        if isinstance(feature, SparseTensor)
        else (feature.flat_values.dtype if isinstance(feature, RaggedTensor) else feature.dtype)
    )


# -- hashing
def _hash_text(values: Any) -> Any:
    """What TensorFlow hashes: strings as they are, integers as their decimal text (``as_string``)."""
    return values if values.dtype.name == "string" else string_ops.as_string(values)


def hash_buckets(values: Any, num_buckets: int) -> Any:
    """``tf.strings.to_hash_bucket_fast`` of strings (integers as decimal text): int64 buckets."""
    if isinstance(values, EagerTensor):
        arr = values.numpy()
        if values.dtype.name != "string":
            text = np.empty(arr.shape, dtype=object)
            text.reshape(-1)[:] = [str(int(v)).encode() for v in arr.reshape(-1)]
            arr = text
        from ..framework.ops import convert_to_tensor

        return convert_to_tensor(_hash_buckets_numpy(arr, num_buckets), dtype="int64")
    return graph_hash.bucket(graph_hash.fingerprint64(_hash_text(values)), num_buckets)


def cross_feature(values: Any) -> Any:
    """A feature as ``sparse_cross`` combines it: ``Fingerprint64`` of strings, integers as they are (uint64)."""
    if values.dtype.name != "string":
        return array_ops.cast(array_ops.cast(values, "int64"), "uint64")
    if isinstance(values, EagerTensor):
        arr = values.numpy()
        out = np.asarray([_fingerprint_bytes(v) for v in arr.reshape(-1)], dtype=np.uint64).reshape(arr.shape)
        from ..framework.ops import convert_to_tensor

        return convert_to_tensor(out)
    return graph_hash.fingerprint64(values)


def cross_hashed(features: list, num_buckets: int, hash_key: Optional[int]) -> Ids:
    """``tf.sparse.cross_hashed``: per row, every combination of one present element of each feature, hashed by
    ``FingerprintCat64`` chained from ``hash_key`` and taken modulo ``num_buckets``."""
    key = np.uint64(hash_key if hash_key else 0xDECAFCAFFE)
    first = features[0]
    hashed = graph_hash.fingerprint_cat64(math_ops.add(array_ops.zeros_like(first.values), key), first.values)
    present = first.present
    for f in features[1:]:
        n_acc, n_f = int(hashed.shape[1]), int(f.values.shape[1])
        left = array_ops.expand_dims(hashed, 2) + array_ops.zeros_like(array_ops.expand_dims(f.values, 1))
        right = array_ops.zeros_like(array_ops.expand_dims(hashed, 2)) + array_ops.expand_dims(f.values, 1)
        hashed = array_ops.reshape(graph_hash.fingerprint_cat64(left, right), [-1, n_acc * n_f])
        both = math_ops.logical_and(array_ops.expand_dims(present, 2), array_ops.expand_dims(f.present, 1))
        present = array_ops.reshape(both, [-1, n_acc * n_f])
    return Ids(graph_hash.bucket(hashed, num_buckets), present)
