"""Array ops with TensorFlow 2's names: ``newaxis``, ``strided_slice``, ``identity_n``, ``shape_n``,
``unravel_index`` and ``reverse_sequence``.

``strided_slice`` builds the same core op as ``tensor[...]``; ``reverse_sequence`` is one gather with
indices computed from the lengths, so both run in a ``tf.function`` and carry gradients.
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

import numpy as np

from .._core import InvalidArgumentError
from ..framework.dtypes import as_dtype
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ._checks import check_values, int_input, static_array, static_ints
from .array_ops import cast, expand_dims, gather, identity, reshape, shape, transpose, where
from .math_extra_ops import truncatediv, truncatemod
from .math_ops import greater_equal, less, less_equal, logical_and, maximum, minimum
from .slicing_ops import _static_shape

newaxis = None


def strided_slice(
    input_: Any,
    begin: Any,
    end: Any,
    strides: Any = None,
    begin_mask: int = 0,
    end_mask: int = 0,
    ellipsis_mask: int = 0,
    new_axis_mask: int = 0,
    shrink_axis_mask: int = 0,
    var: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    """``input_[begin:end:strides]`` per axis, with TensorFlow's bit masks (bit ``i`` is entry ``i``): begin
    or end ignored, ``...``, a new axis, or an index that drops its axis. ``begin``, ``end`` and ``strides``
    must be known while tracing."""
    b = static_ints(begin, "strided_slice begin")
    e = static_ints(end, "strided_slice end")
    s = [1] * len(b) if strides is None else static_ints(strides, "strided_slice strides")
    if not len(b) == len(e) == len(s):
        raise InvalidArgumentError(
            "Expected begin, end, and strides to be 1D equal size tensors, but got lengths "
            f"{len(b)}, {len(e)}, and {len(s)} instead."
        )
    specs = []
    for i, (start, stop, step) in enumerate(zip(b, e, s)):
        bit = 1 << i
        if ellipsis_mask & bit:
            specs.append(("ellipsis",))
        elif new_axis_mask & bit:
            specs.append(("newaxis",))
        elif shrink_axis_mask & bit:
            specs.append(("index", start))
        elif step == 0:
            raise InvalidArgumentError(f"strides[{i}] must be non-zero")
        else:
            specs.append(("range", None if begin_mask & bit else start, None if end_mask & bit else stop, step))
    return apply("strided_slice", [input_], {"specs": specs}, op_name=name)


def _tensor_list(values: Any, op: str) -> list:
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"{op} expects a list of tensors, received {type(values).__name__}")
    if not values:
        raise InvalidArgumentError(f"{op} expects at least one tensor, received an empty list")
    return list(values)


def identity_n(input: Any, name: Optional[str] = None) -> List[Tensor]:  # noqa: A002
    """``[identity(x) for x in input]``."""
    return [identity(x) for x in _tensor_list(input, "identity_n")]


def shape_n(input: Sequence[Any], out_type: Any = "int32", name: Optional[str] = None) -> List[Tensor]:  # noqa: A002
    """The shape of each tensor of ``input``, as ``out_type`` (int32 or int64) vectors."""
    out = as_dtype(out_type)
    if not out.is_integer:
        raise TypeError(f"shape_n out_type must be int32 or int64, received {out.name}")
    return [shape(x, out_type=out) for x in _tensor_list(input, "shape_n")]


def unravel_index(indices: Any, dims: Any, name: Optional[str] = None) -> Tensor:
    """The coordinates in an array of shape ``dims`` of flat ``indices`` (a scalar or a vector): shape
    ``[len(dims)]`` or ``[len(dims), len(indices)]``, in ``indices``' dtype. ``dims`` must be known while
    tracing."""
    idx = int_input(indices, "unravel_index", "indices")
    d = static_array(dims, "unravel_index dims")
    if d.ndim != 1:
        raise InvalidArgumentError(f"unravel_index: dims can only be 1-D, received shape {list(d.shape)}")
    if (d < 0).any():
        raise InvalidArgumentError(f"Input dims cannot be negative. Got dim = {int(d[d < 0][0])}")
    if (d == 0).any():
        at = int(np.argmax(d == 0))
        raise InvalidArgumentError(f"Input dims cannot contain a dim of zero, but dims contains zero at index {at}")
    rank = idx.shape.rank
    if rank is None or rank > 1:
        raise InvalidArgumentError(f"unravel_index: indices can only be scalar or vector, received shape {idx.shape}")
    if rank == 1 and idx.shape[0] == 0:
        raise InvalidArgumentError("unravel_index received empty indices")
    total = int(np.prod(d))
    check_values(less(idx, total), f"unravel_index: an index is out of bounds for dims {d.tolist()}")
    np_type = idx.dtype.as_numpy_dtype
    strides = np.append(np.cumprod(d[::-1])[::-1][1:], 1).astype(np_type)  # prod(dims[i + 1:])
    sizes = d.astype(np_type)
    if rank == 1:
        strides, sizes, idx = strides[:, None], sizes[:, None], expand_dims(idx, 0)
    # C division and remainder, as TensorFlow's kernel (a negative index gives negative coordinates).
    return truncatemod(truncatediv(idx, strides), sizes)


def _check_axis(axis: int, rank: int, what: str) -> int:
    if not 0 <= axis < rank:
        raise InvalidArgumentError(f"reverse_sequence: {what} must be in [0, {rank}) (the input rank), received {axis}")
    return axis


def reverse_sequence(
    input: Any,  # noqa: A002
    seq_lengths: Any,
    seq_axis: Optional[int] = None,
    batch_axis: Optional[int] = None,
    name: Optional[str] = None,
) -> Tensor:
    """For each ``b`` along ``batch_axis``, the first ``seq_lengths[b]`` entries along ``seq_axis`` reversed
    and the rest unchanged."""
    if seq_axis is None:
        raise TypeError("Expected int for argument 'seq_dim' not None.")
    x = convert_to_tensor(input)
    dims = _static_shape(x, "reverse_sequence")
    lengths = int_input(seq_lengths, "reverse_sequence", "seq_lengths")
    seq = _check_axis(int(seq_axis), len(dims), "seq_axis")
    batch = _check_axis(0 if batch_axis is None else int(batch_axis), len(dims), "batch_axis")
    if seq == batch:
        raise InvalidArgumentError(f"reverse_sequence: batch_axis == seq_axis == {seq}")
    n_batch, n_seq = dims[batch], dims[seq]
    if lengths.shape.as_list() != [n_batch]:
        raise InvalidArgumentError(
            f"reverse_sequence: seq_lengths must be a vector of length input.dims({batch}) = {n_batch}, "
            f"received shape {lengths.shape}"
        )
    if isinstance(lengths, EagerTensor) and lengths.numpy().size:
        values = lengths.numpy()
        bad = int(np.argmax((values < 0) | (values > n_seq)))
        if values[bad] < 0 or values[bad] > n_seq:
            raise InvalidArgumentError(f"reverse_sequence: seq_lengths[{bad}] = {values[bad]} is not in [0, {n_seq}]")
    else:
        inside = logical_and(greater_equal(lengths, 0), less_equal(lengths, n_seq))
        check_values(inside, f"reverse_sequence: seq_lengths must be in [0, {n_seq}]")
        lengths = minimum(maximum(lengths, 0), n_seq)  # so that the traced call completes and the check reports
    rest = [a for a in range(len(dims)) if a not in (batch, seq)]
    perm = [batch, seq] + rest
    inner = [dims[a] for a in rest]
    lens = expand_dims(cast(lengths, "int64"), 1)
    j = np.arange(n_seq, dtype=np.int64)[None, :]
    src = where(less(j, lens), lens - 1 - j, j + 0 * lens)  # [batch, seq]: where each entry comes from
    flat_src = reshape(src + np.arange(n_batch, dtype=np.int64)[:, None] * n_seq, [-1])
    rows = reshape(transpose(x, perm), [n_batch * n_seq] + inner)
    out = reshape(gather(rows, flat_src), [n_batch, n_seq] + inner)
    return transpose(out, list(np.argsort(perm)))
