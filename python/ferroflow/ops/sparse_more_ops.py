"""More of ``tf.sparse``: ``eye``, ``fill_empty_rows``, ``to_indicator``, ``minimum`` / ``maximum``, ``softmax``,
``split`` and the ``segment_*`` reductions. Coordinates are worked out with NumPy (eagerly known); values move
through gathers and segment ops so gradients reach them."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.sparse_tensor import SparseTensor
from ._sparse_args import _sparse
from .array_ops import concat, gather


def eye(
    num_rows: int, num_columns: Optional[int] = None, dtype: Any = "float32", name: Optional[str] = None
) -> SparseTensor:
    """``tf.sparse.eye``: the identity matrix (ones on the main diagonal) as a ``SparseTensor``."""
    rows = int(num_rows)
    cols = rows if num_columns is None else int(num_columns)
    n = min(rows, cols)
    diag = np.repeat(np.arange(n, dtype=np.int64)[:, None], 2, axis=1)
    return SparseTensor(diag, convert_to_tensor(np.ones(n), dtype=dtype), [rows, cols])


def fill_empty_rows(sp_input: Any, default_value: Any, name: Optional[str] = None) -> tuple:
    """``tf.sparse.fill_empty_rows``: ``default_value`` at ``[row, 0, ...]`` of each row without elements,
    the elements in row order, and a bool vector telling which rows were empty."""
    sp = _sparse(sp_input, "tf.sparse.fill_empty_rows")
    nrows = int(sp._shape[0])
    rows = sp._indices[:, 0]
    empty = np.ones(nrows, bool)
    empty[rows[(rows >= 0) & (rows < nrows)]] = False
    new = np.zeros((int(empty.sum()), len(sp._shape)), np.int64)
    new[:, 0] = np.flatnonzero(empty)
    indices = np.concatenate([sp._indices, new])
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    values = concat([sp.values, gather(convert_to_tensor([default]), np.zeros(len(new), np.int64))], 0)
    order = np.argsort(indices[:, 0], kind="stable")
    result = SparseTensor(indices[order], gather(values, order), sp._shape)
    return result, convert_to_tensor(empty)


def to_indicator(sp_input: Any, vocab_size: int, name: Optional[str] = None) -> Any:
    """``tf.sparse.to_indicator``: a dense bool tensor of shape ``dense_shape[:-1] + [vocab_size]``, True at
    each element's position without its last index and with its (integer) value."""
    sp = _sparse(sp_input, "tf.sparse.to_indicator")
    if not sp.dtype.is_integer:
        raise TypeError(f"tf.sparse.to_indicator needs integer values, received {sp.dtype.name}")
    values = sp.values.numpy().astype(np.int64)
    out = np.zeros([*sp._shape[:-1].tolist(), int(vocab_size)], bool)
    if len(values) and (values.min() < 0 or values.max() >= vocab_size):
        raise InvalidArgumentError(f"Indicator values must be in [0, {vocab_size}), received {values.tolist()}")
    out[tuple(sp._indices[:, :-1].T) + (values,)] = True
    return convert_to_tensor(out)


def _elementwise(a: Any, b: Any, fn: Any, what: str) -> SparseTensor:
    from .segment_ops import unsorted_segment_max, unsorted_segment_min

    sa, sb = _sparse(a, what), _sparse(b, what)
    if sa.dtype != sb.dtype:
        raise TypeError(f"{what} of {sa.dtype.name} and {sb.dtype.name} values: cast one of them")
    if not np.array_equal(sa._shape, sb._shape):
        raise InvalidArgumentError(
            f"Operands do not have the same ranks; got shapes: {sa._shape.tolist()} and {sb._shape.tolist()}"
        )
    flat = np.concatenate([sa.flat_index(), sb.flat_index()])
    keys, where_ = np.unique(flat, return_inverse=True)
    # A position stored in only one operand meets the other's implicit zero.
    counts = np.bincount(where_, minlength=len(keys))
    zero_at = np.flatnonzero(counts == 1)
    zeros = convert_to_tensor(np.zeros(len(zero_at)), dtype=sa.dtype)
    values = concat([sa.values, sb.values, zeros], 0)
    segments = np.concatenate([where_, zero_at]).astype(np.int64)
    reduce = unsorted_segment_min if fn == "min" else unsorted_segment_max
    indices = np.stack(np.unravel_index(keys, sa._shape.tolist()), axis=1).astype(np.int64).reshape(len(keys), -1)
    return SparseTensor(indices, reduce(values, segments, len(keys)), sa._shape)


def minimum(sp_a: Any, sp_b: Any, name: Optional[str] = None) -> SparseTensor:
    """``tf.sparse.minimum``: the elementwise minimum of two sparse tensors of one shape."""
    return _elementwise(sp_a, sp_b, "min", "tf.sparse.minimum")


def maximum(sp_a: Any, sp_b: Any, name: Optional[str] = None) -> SparseTensor:
    """``tf.sparse.maximum``: the elementwise maximum of two sparse tensors of one shape."""
    return _elementwise(sp_a, sp_b, "max", "tf.sparse.maximum")


def softmax(sp_input: Any, name: Optional[str] = None) -> SparseTensor:
    """``tf.sparse.softmax``: the softmax of each innermost row over its stored values only (missing values
    stay missing, not zero). As in TensorFlow the input should be in row-major order: the values come out in
    that order, next to the input's indices."""
    from .math_ops import exp, log
    from .segment_ops import unsorted_segment_max, unsorted_segment_sum
    from .sparse_shape_ops import reorder

    given = _sparse(sp_input, "tf.sparse.softmax")
    sp = reorder(given)
    if len(sp._shape) < 2:
        raise InvalidArgumentError(f"Input should have rank >= 2, but received shape: {sp._shape.tolist()}")
    _, rows = np.unique(sp._indices[:, :-1], axis=0, return_inverse=True)
    rows = rows.reshape(-1).astype(np.int64)
    n = int(rows.max()) + 1 if len(rows) else 0
    shifted = sp.values - gather(unsorted_segment_max(sp.values, rows, n), rows)
    # exp(x - max - log(sum(exp(x - max)))), the rounding TensorFlow's kernel gives.
    log_total = log(unsorted_segment_sum(exp(shifted), rows, n))
    return given.with_values(exp(shifted - gather(log_total, rows)))


def split(
    sp_input: Any = None,
    num_split: Any = None,
    axis: Any = None,
    name: Optional[str] = None,
    keyword_required: Any = None,
) -> list:
    """``tf.sparse.split``: ``num_split`` sparse tensors along ``axis``, the first ``size % num_split`` of
    them one longer."""
    from .sparse_ops import slice as sparse_slice

    sp = _sparse(sp_input, "tf.sparse.split")
    rank = len(sp._shape)
    axis = int(axis) % rank
    size, n = int(sp._shape[axis]), int(num_split)
    if n <= 0 or n > size:
        raise InvalidArgumentError(f"Requested more splits than the dimension size: {n} > {size}")
    lengths = [size // n + (1 if i < size % n else 0) for i in range(n)]
    parts, start = [], 0
    for length in lengths:
        begin = [0] * rank
        extent = sp._shape.tolist()
        begin[axis], extent[axis] = start, length
        part = sparse_slice(sp, begin, extent)
        parts.append(SparseTensor(part._indices, part.values, extent))
        start += length
    return parts


def _segment(data: Any, indices: Any, segment_ids: Any, num_segments: Any, how: str) -> Any:
    from .math_ops import rsqrt
    from .segment_ops import unsorted_segment_sum

    rows = gather(convert_to_tensor(data), indices)
    ids = convert_to_tensor(segment_ids)
    n = num_segments if num_segments is not None else int(np.max(ids.numpy())) + 1 if ids.shape[0] else 0
    total = unsorted_segment_sum(rows, ids, n)
    if how == "sum":
        return total
    ones = convert_to_tensor(np.ones(int(ids.shape[0])), dtype=total.dtype)
    count = unsorted_segment_sum(ones, ids, n)
    count = count + convert_to_tensor((count.numpy() == 0).astype(count.numpy().dtype))
    scale = 1 / count if how == "mean" else rsqrt(count)
    return total * _reshape_for(scale, total)


def _reshape_for(scale: Any, total: Any) -> Any:
    from .array_ops import reshape

    return reshape(scale, [-1] + [1] * (total.shape.rank - 1))


def segment_sum(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: Any = None) -> Any:
    """``tf.sparse.segment_sum``: the sum of the rows ``data[indices]`` in each segment."""
    return _segment(data, indices, segment_ids, num_segments, "sum")


def segment_mean(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: Any = None) -> Any:
    """``tf.sparse.segment_mean``: the mean of the rows ``data[indices]`` in each segment."""
    return _segment(data, indices, segment_ids, num_segments, "mean")


def segment_sqrt_n(data: Any, indices: Any, segment_ids: Any, num_segments: Any = None, name: Any = None) -> Any:
    """``tf.sparse.segment_sqrt_n``: the sum of the rows ``data[indices]`` in each segment over the square
    root of its size."""
    return _segment(data, indices, segment_ids, num_segments, "sqrt_n")
