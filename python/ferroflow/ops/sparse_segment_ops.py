"""``tf.sparse.segment_sum`` / ``segment_mean`` / ``segment_sqrt_n`` and ``tf.sparse.softmax``, composed from
graph ops (gathers, sorts, scatter-adds), so one code path runs eagerly and inside ``tf.function`` with
shapes and values known only when the graph runs. Bad inputs raise TensorFlow's ``InvalidArgumentError``
(eagerly at once, in a graph after the run); the ops drop the rows those checks reject so the run itself
does not fail first."""

from __future__ import annotations

from typing import Any, Optional

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from ._graph_checks import first_false, op_def_error, require
from ._sparse_args import _sparse
from ._sparse_compose import flat_positions, segment_max, shifted
from .array_ops import cast, concat, gather, reshape, shape, size, zeros

_FLOATS = ("bfloat16", "float16", "float32", "float64")
# in the order TensorFlow's error message lists them
_SUM_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16", "float16")
_SUM_TYPES += ("uint32", "uint64")
_TF_NAMES = {"float16": "half", "float32": "float", "float64": "double"}


def _attr_error(attr: str, dtype: Any, allowed: tuple) -> Exception:
    names = ", ".join(_TF_NAMES.get(a, a) for a in allowed)
    return op_def_error(
        f"Value for attr '{attr}' of {_TF_NAMES.get(dtype.name, dtype.name)} is not in the list of allowed values: "
        f"{names}"
    )


def _index_vector(x: Any, what: str) -> Tensor:
    t = convert_to_tensor(x)
    if t.dtype.name not in ("int32", "int64"):
        raise _attr_error("Tidx" if what == "indices" else "Tsegmentids", t.dtype, ("int32", "int64"))
    if t.shape.rank is not None and t.shape.rank != 1:
        raise op_def_error(f"{what} should be a vector.", ValueError)
    return cast(t, "int64")


def _segment(data: Any, indices: Any, segment_ids: Any, num_segments: Any, how: str) -> Tensor:
    from .math_ops import logical_and, maximum, reduce_max, rsqrt
    from .scatter_ops import boolean_mask

    data = convert_to_tensor(data)
    if data.dtype.name not in (_SUM_TYPES if how == "sum" else _FLOATS):
        raise _attr_error("T", data.dtype, _SUM_TYPES if how == "sum" else _FLOATS)
    if data.shape.rank == 0:
        raise InvalidArgumentError("Shape must be at least rank 1")
    idx, ids = _index_vector(indices, "indices"), _index_vector(segment_ids, "segment_ids")
    n_idx, n_ids = idx.shape[0], ids.shape[0]
    if n_idx is not None and n_ids is not None and n_idx != n_ids:
        raise InvalidArgumentError("segment_ids and indices should have same size.")
    require(size(idx) == size(ids), [], lambda _: "segment_ids and indices should have same size.")
    n_rows = shape(data, out_type="int64")[0]
    # ids sorted (each at least the one before it), as TensorFlow's kernels need.
    require(ids >= shifted(ids, -(2**62), False), [], lambda _: "segment ids are not increasing")
    last = reduce_max(concat([ids, convert_to_tensor([-1], dtype="int64")], 0))
    if num_segments is None:
        k = last + 1
        require(
            ids >= 0,
            [ids, k],
            lambda ok, v, n: (
                f"Segment id {v[first_false(ok)]} out of range [0, {n}), possibly because "
                "'segment_ids' input is not sorted."
            ),
        )
    else:
        k = cast(convert_to_tensor(num_segments), "int64")
        require(ids < k, [], lambda _: "segment ids must be < num_segments")
        require(ids >= 0, [], lambda _: "segment ids must be >= 0")
    require(
        logical_and(idx >= 0, idx < n_rows),
        [idx, n_rows],
        lambda ok, v, n: f"Bad: indices[{first_false(ok)}] == {v[first_false(ok)]} out of range [0, {n})",
    )
    keep = logical_and(logical_and(idx >= 0, idx < n_rows), logical_and(ids >= 0, ids < k))
    idx, ids = boolean_mask(idx, keep), boolean_mask(ids, keep)
    rows = gather(data, idx)
    out_shape = concat([reshape(k, [1]), shape(data, out_type="int64")[1:]], 0)
    total = apply("unsorted_segment_sum", [rows, ids, zeros(out_shape, dtype=data.dtype)], {"axis": 0})
    if how == "sum":
        return total
    ones = apply("fill_like", [cast(ids, data.dtype)], {"value": 1.0})
    count = maximum(apply("unsorted_segment_sum", [ones, ids, zeros(reshape(k, [1]), dtype=data.dtype)]), 1)
    scale = 1 / count if how == "mean" else rsqrt(count)
    # one scale per segment, broadcast over the rows' other dimensions
    ones_rest = apply("fill_like", [shape(data, out_type="int64")[1:]], {"value": 1.0})
    return total * reshape(scale, concat([convert_to_tensor([-1], dtype="int64"), ones_rest], 0))


def segment_sum(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: Any = None) -> Tensor:
    """``tf.sparse.segment_sum``: the sum of the rows ``data[indices]`` in each (sorted) segment."""
    return _segment(data, indices, segment_ids, num_segments, "sum")


def segment_mean(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: Any = None) -> Tensor:
    """``tf.sparse.segment_mean``: the mean of the rows ``data[indices]`` in each (sorted) segment; empty
    segments are 0."""
    return _segment(data, indices, segment_ids, num_segments, "mean")


def segment_sqrt_n(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: Any = None) -> Tensor:
    """``tf.sparse.segment_sqrt_n``: the sum of the rows ``data[indices]`` in each (sorted) segment over the
    square root of its size; empty segments are 0."""
    return _segment(data, indices, segment_ids, num_segments, "sqrt_n")


def softmax(sp_input: Any, name: Optional[str] = None) -> SparseTensor:
    """``tf.sparse.softmax``: the softmax of each innermost row over its stored values only (missing values
    stay missing, not zero). As in TensorFlow the input should be in row-major order: the values come out in
    that order, next to the input's indices."""
    from .math_ops import exp, log, maximum
    from .sorting_ops import argsort, unique

    sp = _sparse(sp_input, "tf.sparse.softmax")
    if sp.dtype.name not in ("float16", "float32", "float64"):
        raise _attr_error("T", sp.dtype, ("float16", "float32", "float64"))
    if len(sp.shape) < 2:
        dims = sp.dense_shape.numpy().tolist() if sp.shape.is_fully_defined() else sp.shape.as_list()
        raise InvalidArgumentError(f"Input should have rank >= 2, but received shape: {' '.join(map(str, dims))}")
    dense_shape = sp.dense_shape
    flat = flat_positions(sp.indices, dense_shape, len(sp.shape))
    order = argsort(flat, stable=True)
    # each element's innermost row (its position without the last index), in row-major order
    row = gather(flat, order) // maximum(dense_shape[-1], 1)
    values = gather(sp.values, order)
    # rows are sorted, so ``unique`` numbers them in order
    distinct, seg = unique(row, out_idx="int64")
    n_rows = reshape(size(distinct, out_type="int64"), [1])
    row_max = segment_max(values, seg)
    centered = values - gather(row_max, seg)
    # exp(x - max - log(sum(exp(x - max)))), the rounding TensorFlow's kernel gives.
    log_total = log(apply("unsorted_segment_sum", [exp(centered), seg, zeros(n_rows, dtype=sp.dtype)], {"axis": 0}))
    return sp.with_values(exp(centered - gather(log_total, seg)))
