"""More of ``tf.sparse``: ``eye``, ``fill_empty_rows``, ``to_indicator``, ``minimum`` / ``maximum`` and
``split``. They are composed from graph ops (gathers, sorts, scatter-adds), so one code path runs eagerly and
inside ``tf.function`` with shapes and values known only when the graph runs, and gradients reach the
values. Bad inputs raise TensorFlow's ``InvalidArgumentError`` (in a graph, after the run)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from ._graph_checks import first_false, op_def_error, require
from ._sparse_args import _sparse
from ._sparse_compose import dims_of, flat_positions, make_sparse
from .array_ops import cast, concat, gather, reshape, size, stack, where, zeros


def eye(
    num_rows: Any, num_columns: Optional[Any] = None, dtype: Any = "float32", name: Optional[str] = None
) -> SparseTensor:
    """``tf.sparse.eye``: the identity matrix (ones on the main diagonal) as a ``SparseTensor``."""
    from .fill_range_ops import range as range_
    from .math_ops import minimum

    rows = cast(convert_to_tensor(num_rows), "int64")
    cols = rows if num_columns is None else cast(convert_to_tensor(num_columns), "int64")
    require(rows >= 0, [rows], lambda _, r: f"Requires start <= limit when delta > 0: 0/{r}")
    require(cols >= 0, [cols], lambda _, c: f"Requires start <= limit when delta > 0: 0/{c}")
    diag = range_(minimum(rows, cols), dtype="int64")
    values = cast(apply("fill_like", [cast(diag, "float32")], {"value": 1.0}), dtype)
    static = TensorShape([_static_int(num_rows), _static_int(num_rows if num_columns is None else num_columns)])
    return make_sparse(stack([diag, diag], axis=1), values, stack([rows, cols]), static)


def _static_int(x: Any) -> Optional[int]:
    from ._sparse_compose import symbolic

    return None if symbolic(x) else int(np.asarray(x.numpy() if isinstance(x, Tensor) else x))


def fill_empty_rows(sp_input: Any, default_value: Any, name: Optional[str] = None) -> tuple:
    """``tf.sparse.fill_empty_rows``: ``default_value`` at ``[row, 0, ...]`` of each row without elements,
    the elements in row order, and a bool vector telling which rows were empty."""
    from .math_ops import equal, logical_and
    from .scatter_ops import boolean_mask
    from .sorting_ops import argsort

    sp = _sparse(sp_input, "tf.sparse.fill_empty_rows")
    rank = len(sp.shape)
    nrows = sp.dense_shape[0]
    rows = sp.indices[:, 0]
    inside = logical_and(rows >= 0, rows < nrows)
    require(
        inside,
        [rows, nrows],
        lambda ok, r, n: f"indices({first_false(ok)}, 0) is invalid: {r[first_false(ok)]} >= {n}",
    )
    kept = boolean_mask(rows, inside)
    counts = apply("unsorted_segment_sum", [kept * 0 + 1, kept, zeros(reshape(nrows, [1]), dtype="int64")])
    empty = equal(counts, 0)
    new_rows = cast(where(empty)[:, 0], "int64")
    # [row, 0, ..., 0] for each empty row
    first_axis = np.zeros(rank, np.int64)
    first_axis[0] = 1
    indices = concat([sp.indices, reshape(new_rows, [-1, 1]) * first_axis], 0)
    default = reshape(convert_to_tensor(default_value, dtype=sp.dtype), [1])
    values = concat([sp.values, gather(default, new_rows * 0)], 0)
    order = argsort(indices[:, 0], stable=True)
    result = make_sparse(gather(indices, order), gather(values, order), sp.dense_shape, sp.shape)
    return result, empty


def to_indicator(sp_input: Any, vocab_size: Any, name: Optional[str] = None) -> Tensor:
    """``tf.sparse.to_indicator``: a dense bool tensor of shape ``dense_shape[:-1] + [vocab_size]``, True at
    each element's position without its last index and with its (integer) value."""
    from .math_ops import greater, logical_and, reduce_prod
    from .scatter_ops import boolean_mask

    sp = _sparse(sp_input, "tf.sparse.to_indicator")
    rank = len(sp.shape)
    values = cast(sp.values, "int64")
    vocab = cast(convert_to_tensor(vocab_size), "int64")
    out_shape = concat([sp.dense_shape[:-1], reshape(vocab, [1])], 0)
    inside = logical_and(values >= 0, values < vocab)
    require(
        inside,
        [out_shape],
        lambda _, s: f"Indices are not valid (out of bounds).  Shape: [{','.join(map(str, s))}]",
    )
    indices = boolean_mask(concat([sp.indices[:, :-1], reshape(values, [-1, 1])], 1), inside)
    flat = flat_positions(indices, out_shape, rank)
    hits = apply("unsorted_segment_sum", [flat * 0 + 1, flat, zeros(reshape(reduce_prod(out_shape), [1]), "int64")])
    return reshape(greater(hits, 0), out_shape)


def _elementwise(a: Any, b: Any, how: str) -> SparseTensor:
    """``tf.sparse.minimum`` / ``maximum``: the union of both operands' positions (a position only one of them
    stores meets the other's implicit zero), in row-major order."""
    from .math_derived_ops import reduce_all
    from .math_ops import equal, maximum, minimum
    from .sorting_ops import argsort, unique
    from .sparse_graph_combine import unravel

    what = f"SparseSparse{how.capitalize()}"
    sa, sb = _sparse(a, f"tf.sparse.{how}"), _sparse(b, f"tf.sparse.{how}")
    if sa.dtype != sb.dtype:
        raise op_def_error(
            f"cannot compute {what} as input #4(zero-based) was expected to be a {_tf_name(sa.dtype)} tensor but "
            f"is a {_tf_name(sb.dtype)} tensor"
        )
    rank = len(sa.shape)
    sa_shape, sb_shape = sa.dense_shape, sb.dense_shape
    if rank != len(sb.shape):
        raise InvalidArgumentError(
            "Operands do not have the same ranks; got shapes: "
            f"{_shown(sa.shape, sa_shape)} and {_shown(sb.shape, sb_shape)}"
        )
    require(
        reduce_all(equal(sa_shape, sb_shape)),
        [sa_shape, sb_shape],
        lambda _, x, y: (
            "Operands' shapes do not match: got "
            f"{x[first_false(x == y)]} and {y[first_false(x == y)]} for dimension {first_false(x == y)}"
        ),
    )
    both = concat([flat_positions(sa.indices, sa_shape, rank), flat_positions(sb.indices, sa_shape, rank)], 0)
    order = argsort(both, stable=True)
    positions, slot = unique(gather(both, order), out_idx="int64")
    target = zeros(reshape(size(positions, out_type="int64"), [1]), dtype=sa.dtype)
    # each operand's value at each position of the union (0 where it stores none)
    from_a = concat([sa.values, apply("fill_like", [sb.values], {"value": 0.0})], 0)
    from_b = concat([apply("fill_like", [sa.values], {"value": 0.0}), sb.values], 0)
    at_a = apply("unsorted_segment_sum", [gather(from_a, order), slot, target], {"axis": 0})
    at_b = apply("unsorted_segment_sum", [gather(from_b, order), slot, target], {"axis": 0})
    values = (minimum if how == "minimum" else maximum)(at_a, at_b)
    indices = reshape(unravel(positions, dims_of(sa_shape, rank)), [-1, rank])
    return make_sparse(indices, values, sa_shape, sa.shape.merge_with(sb.shape))


def _tf_name(dtype: Any) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _shown(static: TensorShape, dense_shape: Tensor) -> str:
    from ._sparse_compose import symbolic

    dims = static.as_list() if symbolic(dense_shape) else dense_shape.numpy().tolist()
    return " ".join("?" if d is None else str(d) for d in dims)


def minimum(sp_a: Any, sp_b: Any, name: Optional[str] = None) -> SparseTensor:
    """``tf.sparse.minimum``: the elementwise minimum of two sparse tensors of one shape."""
    return _elementwise(sp_a, sp_b, "minimum")


def maximum(sp_a: Any, sp_b: Any, name: Optional[str] = None) -> SparseTensor:
    """``tf.sparse.maximum``: the elementwise maximum of two sparse tensors of one shape."""
    return _elementwise(sp_a, sp_b, "maximum")


def split(
    sp_input: Any = None,
    num_split: Any = None,
    axis: Any = None,
    name: Optional[str] = None,
    keyword_required: Any = None,
) -> list:
    """``tf.sparse.split``: ``num_split`` sparse tensors along ``axis``, the first ``size % num_split`` of
    them one longer; each keeps its elements' order."""
    from .math_ops import logical_and, maximum, minimum
    from .sparse_ops import slice as sparse_slice

    sp = _sparse(sp_input, "tf.sparse.split")
    rank = len(sp.shape)
    axis = int(axis) % rank
    n = int(num_split)
    extent = sp.dense_shape[axis]
    require(
        logical_and(convert_to_tensor(np.int64(n)) >= 1, extent >= n),
        [extent],
        lambda _, e: f"Input num_split should be between 1 and the splitting dimension size ({e}), got {n}",
    )
    # the first ``extent % n`` parts are one longer
    base, extra = extent // n, extent % n
    onehot = np.zeros(rank, np.int64)
    onehot[axis] = 1
    parts = []
    for i in range(n):
        start = base * i + minimum(extra, i)
        length = base + cast(convert_to_tensor(np.int64(i)) < extra, "int64")
        begin = onehot * start
        part_shape = sp.dense_shape * (1 - onehot) + onehot * length
        part = sparse_slice(sp, begin, part_shape)
        known = sp.shape.as_list()
        if known[axis] is not None:
            known[axis] = known[axis] // n + (1 if i < known[axis] % n else 0)
        parts.append(make_sparse(part.indices, part.values, maximum(part_shape, 0), TensorShape(known)))
    return parts


def mask(a: Any, mask_indices: Any, name: Optional[str] = None) -> Any:
    """``tf.sparse.mask``: the IndexedSlices ``a`` without the slices whose index is in ``mask_indices``."""
    from ..compat.v1.array_v1_host import setdiff1d
    from ..framework.indexed_slices import IndexedSlices

    out_indices, to_gather = setdiff1d(a.indices, mask_indices)
    return IndexedSlices(gather(a.values, to_gather, name=name), out_indices, a.dense_shape)
