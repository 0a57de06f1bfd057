"""``tf.io.SparseFeature``: a ``SparseTensor`` parsed from an Example's index feature(s) and value feature, the
``k``-th value placed at the ``k``-th index(es); sorted by index unless ``already_sorted``."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np


class SparseFeature(NamedTuple):
    """A feature parsed to a ``SparseTensor`` of ``dtype`` and dense shape ``size``: ``index_key`` (one key,
    or one per dimension) names the int64 features holding the indices, ``value_key`` the values."""

    index_key: Any
    value_key: str
    dtype: Any
    size: Any
    already_sorted: bool = False


def parse(serialized: Any, key: str, spec: SparseFeature, single: bool) -> Any:
    """The ``SparseTensor`` of ``spec``, built from the ``VarLenFeature`` parses of its keys (with the batch
    index first when ``single`` is false)."""
    from ..framework.dtypes import int64
    from ..framework.sparse_tensor import SparseTensor
    from ..framework.tensor import EagerTensor
    from .parsing_ops import VarLenFeature, _parse_one
    from .sparse_ops import reorder

    index_keys = [spec.index_key] if isinstance(spec.index_key, str) else list(spec.index_key)
    sizes = np.asarray(spec.size, np.int64).reshape(-1)
    if len(sizes) != len(index_keys):
        raise ValueError(f"Feature {key}: SparseFeature needs one size per index_key, received {spec.size}")
    values = _parse_one(serialized, spec.value_key, VarLenFeature(spec.dtype), single)
    parts = [_parse_one(serialized, k, VarLenFeature(int64), single) for k in index_keys]
    if not isinstance(values.values, EagerTensor):
        return _graph_parse(values, parts, sizes, single, spec.already_sorted)
    columns = [] if single else [values.indices.numpy()[:, :1]]
    for part in parts:
        idx = part.values.numpy()
        if len(idx) != len(values.values.numpy()) or not np.array_equal(part.indices.numpy(), values.indices.numpy()):
            raise ValueError(f"Dimensions {len(idx)} and {len(values.values.numpy())} are not compatible")
        columns.append(idx.reshape(-1, 1))
    shape = sizes if single else np.concatenate([values.dense_shape.numpy()[:1], sizes])
    result = SparseTensor(np.concatenate(columns, axis=1).astype(np.int64), values.values, shape)
    return result if spec.already_sorted else reorder(result)


def _graph_parse(values: Any, parts: list, sizes: np.ndarray, single: bool, already_sorted: bool) -> Any:
    """``parse`` in a traced function: the same indices built with graph ops (the batch size, when there is
    one, is known when the graph runs, so the result carries a witness of its dense shape)."""
    from ..framework.graph_composites import GraphSparseTensor
    from ..framework.tensor_shape import TensorShape
    from .array_ops import cast, concat, reshape, zeros
    from .math_ops import reduce_sum
    from .sparse_ops import reorder

    columns = [] if single else [values.indices[:, :1]]
    columns += [reshape(part.values, [-1, 1]) for part in parts]
    if single:
        shape, static, witness = sizes, TensorShape(sizes.tolist()), None
    else:
        shape = concat([values.dense_shape[:1], sizes], 0)
        static = TensorShape([None] + sizes.tolist())
        # Zeros shaped [batch, *sizes, 0]: the batch from the value parse's witness ([batch, length, 0]),
        # broadcast against static zeros, as the graph has no fill of a runtime shape.
        batch = reduce_sum(cast(values._witness, "int8"), axis=[1, 2])
        witness = reshape(batch, [-1] + [1] * (len(sizes) + 1)) + zeros([1, *sizes.tolist(), 0], dtype="int8")
    result = GraphSparseTensor(concat(columns, 1), values.values, shape, static, witness)
    return result if already_sorted else reorder(result)
