"""Taking parts of a tensor by position: ``slice``, ``gather_nd``, ``split``, ``reverse``, ``roll``.

Each is built from the core's strided slice, gather and concat, so gradients come from theirs.
"""

from __future__ import annotations

import builtins
from typing import Any, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import cast, concat, gather, reshape, where
from .math_ops import equal, logical_and, reduce_min, reduce_sum


def _static_shape(x: Tensor, op: str) -> List[int]:
    dims = x.shape.as_list() if x.shape.rank is not None else None
    if dims is None or builtins.any(d is None for d in dims):
        raise ValueError(f"{op} needs a tensor of known shape, received shape {x.shape}")
    return dims


def _int_list(value: Any, what: str) -> List[int]:
    if isinstance(value, Tensor):
        if not isinstance(value, EagerTensor):
            raise ValueError(f"{what} must be known when the graph is built (a Python list or an eager tensor)")
        value = value.numpy()
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and arr.dtype.kind == "f"):
        raise TypeError(f"{what} must be integers, received {value!r}")
    return [int(v) for v in arr.reshape(-1)]


def _slice_spec(start: int, stop: Optional[int]) -> tuple:
    return ("range", start, stop, 1)


def slice(input_: Any, begin: Any, size: Any, name: Optional[str] = None) -> Tensor:  # noqa: A001
    """``tf.slice``: the block starting at ``begin`` of extent ``size`` (-1: to the end of that axis)."""
    x = convert_to_tensor(input_)
    if x.shape.rank is None:
        raise ValueError(f"slice needs a tensor of known rank, received shape {x.shape}")
    dims = x.shape.as_list()  # an unknown length is checked when the graph runs, by the strided slice
    from . import _dynamic_slice

    if _dynamic_slice.is_dynamic(begin) or _dynamic_slice.is_dynamic(size):
        return _dynamic_slice.slice_dynamic(x, begin, size, name)
    begin, size = _int_list(begin, "slice begin"), _int_list(size, "slice size")
    if len(begin) != len(dims) or len(size) != len(dims):
        raise ValueError(
            f"slice begin and size need one entry per axis of the input (rank {len(dims)}), "
            f"received begin={begin} and size={size}"
        )
    specs = []
    for axis, (b, s, d) in enumerate(zip(begin, size, dims)):
        end = d if s == -1 else b + s
        if b < 0 or s < -1 or (d is not None and end > d):
            raise InvalidArgumentError(
                f"slice of axis {axis} from {b} with size {s} does not fit its length {d} "
                "(expected 0 <= begin, begin + size <= length, size >= -1)"
            )
        specs.append(_slice_spec(b, end))
    return apply("strided_slice", [x], {"specs": specs}, op_name=name)


def reverse(tensor: Any, axis: Any, name: Optional[str] = None) -> Tensor:
    """``tf.reverse``: the tensor with the order of ``axis`` (a list of axes) reversed."""
    from ..framework.ragged_tensor import RaggedTensor

    if isinstance(tensor, RaggedTensor):
        from .ragged_gather_ops import reverse as ragged_reverse

        return ragged_reverse(tensor, axis)
    x = convert_to_tensor(tensor)
    if x.shape.rank is None:
        raise ValueError(f"reverse needs a tensor of known rank, received shape {x.shape}")
    rank = x.shape.rank
    axes = {a % rank if -rank <= a < rank else _bad_axis(a, rank, "reverse") for a in _int_list(axis, "reverse axis")}
    specs = [("range", None, None, -1) if a in axes else ("range", None, None, 1) for a in builtins.range(rank)]
    return apply("strided_slice", [x], {"specs": specs}, op_name=name)


def _bad_axis(axis: int, rank: int, op: str) -> int:
    raise InvalidArgumentError(f"{op} axis {axis} is out of range for a tensor of rank {rank}")


def _axis_range(rank: int, axis: int, start: int, stop: int) -> list:
    return [("range", start, stop, 1) if a == axis else ("range", None, None, 1) for a in builtins.range(rank)]


def roll(input: Any, shift: Any, axis: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """``tf.roll``: elements shifted by ``shift`` along ``axis``, wrapping around (both may be lists)."""
    x = convert_to_tensor(input)
    dims = _static_shape(x, "roll")
    rank = len(dims)
    shifts, axes = _int_list(shift, "roll shift"), _int_list(axis, "roll axis")
    if len(shifts) != len(axes):
        raise ValueError(f"roll needs one shift per axis, received shift={shifts} and axis={axes}")
    total = {}
    for s, a in zip(shifts, axes):
        if not -rank <= a < rank:
            _bad_axis(a, rank, "roll")
        total[a % rank] = total.get(a % rank, 0) + s
    for a, s in total.items():
        n = dims[a]
        if n == 0 or s % n == 0:
            continue
        cut = n - s % n
        head = apply("strided_slice", [x], {"specs": _axis_range(rank, a, cut, n)})
        tail = apply("strided_slice", [x], {"specs": _axis_range(rank, a, 0, cut)})
        x = concat([head, tail], a)
    return x


def split(value: Any, num_or_size_splits: Any, axis: int = 0, num: Optional[int] = None, name: str = "split") -> list:
    """``tf.split``: ``num_or_size_splits`` equal parts, or parts of the given sizes (one may be -1)."""
    x = convert_to_tensor(value)
    if x.shape.rank is None:
        raise ValueError(f"split needs a tensor of known rank, received shape {x.shape}")
    dims = x.shape.as_list()  # only the split axis needs a known length: the parts are strided slices
    rank = len(dims)
    axis = int(axis)
    if not -rank <= axis < rank:
        _bad_axis(axis, rank, "split")
    axis %= rank
    n = dims[axis]
    if n is None:
        return _split_unknown(x, num_or_size_splits, axis)
    parts, sizes = _parts_or_sizes(num_or_size_splits)
    if sizes is None:
        if parts <= 0 or n % parts:
            raise InvalidArgumentError(f"cannot split an axis of length {n} into {parts} equal parts")
        sizes = [n // parts] * parts
    else:
        unknown = [i for i, s in enumerate(sizes) if s == -1]
        if unknown:
            sizes[unknown[0]] = n - (builtins.sum(sizes) + 1)
        if builtins.sum(sizes) != n or builtins.any(s < 0 for s in sizes):
            raise InvalidArgumentError(f"split sizes {sizes} do not add up to the axis length {n}")
    out, start = [], 0
    for s in sizes:
        out.append(apply("strided_slice", [x], {"specs": _axis_range(rank, axis, start, start + s)}))
        start += s
    return out


def _split_unknown(x: Tensor, num_or_size_splits: Any, axis: int) -> list:
    """``split`` of an axis whose length is known only when the graph runs (the sizes must be static)."""
    from . import _dynamic_slice

    parts, sizes = _parts_or_sizes(num_or_size_splits)
    if sizes is None:
        if parts <= 0:
            raise ValueError(f"split needs a positive number of parts, received {parts}")
        return _dynamic_slice.split_unknown(x, None, parts, axis)
    return _dynamic_slice.split_unknown(x, sizes, len(sizes), axis)


def _parts_or_sizes(num_or_size_splits: Any) -> tuple:
    """``(parts, None)`` for a number of equal parts, or ``(None, sizes)`` for a list of part sizes, checked to
    be non-negative with at most one -1."""
    if isinstance(num_or_size_splits, (int, np.integer)) or (
        isinstance(num_or_size_splits, Tensor) and num_or_size_splits.shape.rank == 0
    ):
        return _int_list(num_or_size_splits, "split num_or_size_splits")[0], None
    sizes = _int_list(num_or_size_splits, "split num_or_size_splits")
    if len([s for s in sizes if s == -1]) > 1 or builtins.any(s < -1 for s in sizes):
        raise ValueError(f"split sizes must be non-negative with at most one -1, received {sizes}")
    return None, sizes


def gather_nd(params: Any, indices: Any, batch_dims: int = 0, name: Optional[str] = None) -> Tensor:
    """``tf.gather_nd``: slices of ``params`` at the index tuples in the last axis of ``indices``.

    The result has shape ``indices.shape[:-1] + params.shape[batch_dims + K:]`` for index tuples of
    length ``K``. An index outside its axis raises ``InvalidArgumentError`` (as TensorFlow on CPU).
    """
    params = convert_to_tensor(params)
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        raise TypeError(f"gather_nd expects int32 or int64 indices, received {indices.dtype.name}")
    from . import _gather_nd_dynamic

    if _gather_nd_dynamic.applies(params, indices, int(batch_dims)):
        return _gather_nd_dynamic.gather_nd(params, indices, name=name)
    pdims = _static_shape(params, "gather_nd")
    idims = _static_shape(indices, "gather_nd")
    if not idims:
        raise ValueError("gather_nd indices need at least one axis (the index tuples are along the last)")
    b = int(batch_dims)
    if b < 0 or b >= len(idims) or b > len(pdims) or pdims[:b] != idims[:b]:
        raise ValueError(
            f"gather_nd batch_dims={b} needs the first {b} axes of params {pdims} and indices {idims} to match"
        )
    k = idims[-1]
    if b + k > len(pdims):
        raise ValueError(
            f"gather_nd index tuples of length {k} are longer than params' rank {len(pdims) - b} after batch_dims"
        )
    index_dims = pdims[: b + k]
    if b:
        # Batch axes become leading index components: row i of batch coordinates for every tuple.
        grids = np.indices(idims[:-1], dtype=np.int64)[:b]
        batch_coords = convert_to_tensor(np.stack(grids, axis=-1).astype(indices.dtype.as_numpy_dtype))
        indices = concat([batch_coords, indices], -1)
    if isinstance(indices, EagerTensor):
        values = indices.numpy().reshape(-1, b + k)
        bad = (values < 0) | (values >= np.asarray(index_dims))
        if bad.any():
            row = int(np.argwhere(bad.any(axis=1))[0][0])
            raise InvalidArgumentError(
                f"gather_nd index {values[row].tolist()[b:]} is out of bounds for params of shape {pdims}"
            )
    strides = np.cumprod([1] + index_dims[::-1])[:-1][::-1].astype(indices.dtype.as_numpy_dtype)
    flat_index = reduce_sum(indices * strides, axis=-1)
    if not isinstance(indices, EagerTensor):
        # Traced indices are checked when the graph runs: a tuple with any component outside its axis
        # points at row -1, which gather reports, instead of at another valid row.
        limits = np.asarray(index_dims, dtype=strides.dtype)
        inside = reduce_min(cast(logical_and(indices >= 0, indices < limits), "int32"), axis=-1)
        flat_index = where(equal(inside, 1), flat_index, -1 + 0 * flat_index)
    rows = reshape(params, [int(np.prod(index_dims))] + pdims[b + k :])
    return gather(rows, flat_index, name=name)
