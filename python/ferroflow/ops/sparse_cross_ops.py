"""``tf.sparse.cross`` / ``cross_hashed`` (per row, every combination of one element of each input) and
``tf.sparse.sampled_addmm``. Composed from graph ops, so they run eagerly and inside ``tf.function`` with
sizes known only when the graph runs. As TensorFlow's ops do, the crosses take the sparse inputs first and
the dense ones after, each in the order given."""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from ._sparse_compose import make_sparse, shifted
from .array_ops import cast, concat, gather, reshape, shape, size, stack


def _features(inputs: List[Any]) -> list:
    """Each input as ``(values, present)``, both ``(batch, n)``: sparse inputs first, then dense ones."""
    from ..feature_column._inputs import entries

    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"Inputs must be a list, received {type(inputs).__name__}")
    converted = [x if isinstance(x, SparseTensor) else convert_to_tensor(x) for x in inputs]
    ordered = [x for x in converted if isinstance(x, SparseTensor)]
    ordered += [x for x in converted if not isinstance(x, SparseTensor)]
    for x in ordered:
        if len(x.shape) != 2:
            raise InvalidArgumentError(f"Expected rank 2 inputs, received shape {x.shape}")
    return [entries(x, "input", drop=False) for x in ordered]


def _cross(features: list, combine: Any) -> tuple:
    """Per row, every combination of one present element of each feature (the first feature's element
    changing slowest): ``(values, present)`` of shape ``(batch, product of the widths)``."""
    from .fill_range_ops import range as range_
    from .math_ops import logical_and

    values, present = features[0]
    for more, more_present in features[1:]:
        width = shape(more, out_type="int64")[1]
        pairs = range_(shape(values, out_type="int64")[1] * width, dtype="int64")
        left, right = pairs // width, pairs % width
        values = combine(gather(values, left, axis=1), gather(more, right, axis=1))
        present = logical_and(gather(present, left, axis=1), gather(more_present, right, axis=1))
    return values, present


def _compact(values: Tensor, present: Tensor) -> SparseTensor:
    """The present elements of a ``(batch, m)`` tensor as a sparse tensor, each row's moved to its front."""
    from .array_ops import where
    from .fill_range_ops import range as range_
    from .math_ops import not_equal, reduce_max
    from .scatter_ops import boolean_mask
    from .sorting_ops import unique

    coords = where(present)
    rows = coords[:, 0]
    position = range_(size(rows, out_type="int64"), dtype="int64")
    starts = boolean_mask(position, not_equal(rows, shifted(rows, -1, False)))
    _, slot = unique(rows, out_idx="int64")
    column = position - gather(starts, slot)
    width = reduce_max(concat([column, convert_to_tensor([-1], dtype="int64")], 0)) + 1
    dense_shape = stack([shape(values, out_type="int64")[0], width])
    # the elements by their row-major position (gather_nd would need the sizes known)
    picked = gather(reshape(values, [-1]), rows * shape(values, out_type="int64")[1] + coords[:, 1])
    return make_sparse(stack([rows, column], axis=1), picked, dense_shape, None)


def cross(inputs: List[Any], name: Optional[str] = None, separator: Optional[str] = None) -> SparseTensor:
    """``tf.sparse.cross``: per row, the strings joining one element of each input with ``separator``
    (``"_X_"``); integers are crossed as their decimal text."""
    from .string_ops import as_string, join

    text = [(v if v.dtype.name == "string" else as_string(v), p) for v, p in _features(inputs)]
    sep = "_X_" if separator is None else separator
    values, present = _cross(text, lambda a, b: join([a, b], separator=sep))
    return _compact(values, present)


def cross_hashed(
    inputs: List[Any], num_buckets: int = 0, hash_key: Optional[int] = None, name: Optional[str] = None
) -> SparseTensor:
    """``tf.sparse.cross_hashed``: per row, each combination's ``FingerprintCat64`` hash chained from
    ``hash_key`` over the features (strings by ``Fingerprint64``, integers as they are), modulo
    ``num_buckets`` (when above 0, else the largest int64)."""
    from ..feature_column import _fingerprint_graph as graph_hash
    from ..feature_column._inputs import cross_feature
    from .math_ops import add

    hashed = [(cross_feature(v), p) for v, p in _features(inputs)]
    key = np.uint64(hash_key if hash_key else 0xDECAFCAFFE)
    first, first_present = hashed[0]
    start = graph_hash.fingerprint_cat64(add(first * np.uint64(0), key), first)
    values, present = _cross([(start, first_present)] + hashed[1:], graph_hash.fingerprint_cat64)
    # without buckets TensorFlow still takes the hash modulo the largest int64
    return _compact(graph_hash.bucket(values, num_buckets if num_buckets > 0 else 2**63 - 1), present)


def sampled_addmm(
    indices: Any,
    values: Any,
    dense_shape: Any,
    mat1: Any,
    mat2: Any,
    beta: float = 1.0,
    alpha: float = 1.0,
    output_type: Any = "float32",
) -> tuple:
    """``tf.sparse.sampled_addmm``: ``alpha * (mat1 @ mat2)`` taken at ``indices`` (pairs of a row and a
    column) plus ``beta * values``; returns
    ``(indices, values, dense_shape)``. With batch dimensions, ``indices`` is ``[*batch, N, 2]``."""
    from ..framework.tensor import EagerTensor
    from ._graph_checks import require
    from .array_ops import transpose
    from .fill_range_ops import range as range_
    from .math_derived_ops import reduce_all
    from .math_ops import equal, reduce_prod, reduce_sum

    indices = convert_to_tensor(indices)
    values = convert_to_tensor(values, dtype=output_type)
    dense_shape = convert_to_tensor(dense_shape, dtype="int32")
    mat1 = convert_to_tensor(mat1, dtype=output_type)
    mat2 = convert_to_tensor(mat2, dtype=output_type)
    rank = mat1.shape.rank
    rows, cols = mat1.shape[-2], mat2.shape[-1]
    if isinstance(dense_shape, EagerTensor) and rows is not None and cols is not None:
        if dense_shape.numpy().tolist()[-2:] != [rows, cols]:
            shown = np.array2string(dense_shape.numpy())
            raise ValueError(
                f"Dense shape: {shown} does not match output shape: {np.array2string(np.array([rows, cols]))}"
            )
    product = stack([shape(mat1, out_type="int32")[-2], shape(mat2, out_type="int32")[-1]])
    require(
        reduce_all(equal(dense_shape, product)),
        [dense_shape, product],
        lambda _, d, p: f"assertion failed: [Dense shape: ] {_listed(d)} [ does not match output shape: ] {_listed(p)}",
    )
    batch = rank - 2
    # rows of mat1 and columns of mat2 (rows of its transpose) gathered by their flat row numbers, so the
    # sizes may be known only when the graph runs
    at = cast(indices, "int64")
    dims1, dims2 = shape(mat1, out_type="int64"), shape(mat2, out_type="int64")
    # the batch of each index pair is its position in indices' leading dimensions
    lead = shape(at, out_type="int64")[:batch]
    one = convert_to_tensor([1], dtype="int64")
    flat_batch = reshape(range_(reduce_prod(lead), dtype="int64"), concat([lead, one], 0)) if batch else 0
    by_row = concat([convert_to_tensor([-1], dtype="int64"), dims1[-1:]], 0)
    mat2_t = transpose(mat2, list(range(batch)) + [rank - 1, rank - 2])
    picked_rows = gather(reshape(mat1, by_row), flat_batch * dims1[-2] + at[..., -2])
    picked_cols = gather(reshape(mat2_t, by_row), flat_batch * dims2[-1] + at[..., -1])
    dot = reduce_sum(picked_rows * picked_cols, axis=-1)
    return indices, dot * alpha + values * beta, dense_shape


def _listed(v: Any) -> str:
    return "[" + " ".join(map(str, v)) + "]"
