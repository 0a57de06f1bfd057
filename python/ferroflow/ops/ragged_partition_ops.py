"""Row-partition arithmetic on tensors, for ragged tensors whose row splits are graph tensors.

Eagerly a ``RaggedTensor`` keeps its row splits as NumPy arrays; in a trace they are known only when the graph
runs, so the quantities derived from them (row lengths, each value's row, the padded width, the value indices
of a selection of rows) are computed here with graph ops. Lengths of unknown size need a running sum, done as a
Hillis-Steele scan inside a ``while_loop`` (ceil(log2(n)) steps of one gather and one add).
"""

from __future__ import annotations

from typing import Any, Tuple

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, expand_dims, gather, range, reshape, shape, zeros_like


def _i64(x: Any) -> Tensor:
    x = convert_to_tensor(x)
    return x if x.dtype.name == "int64" else cast(x, "int64")


def running_sum(x: Any) -> Tensor:
    """The inclusive running sum of a 1-D integer tensor of any (unknown) length."""
    from .control_flow_ops import while_loop

    x = _i64(x)
    if x.shape[0] is not None and x.shape[0] <= 1:
        return x
    n = shape(x, out_type="int64")[0]
    indices = range(n, dtype="int64")

    def body(step: Tensor, out: Tensor) -> tuple:
        # out[i] + out[i - step] (nothing before the start): the padded copy has a zero at index 0.
        padded = concat([zeros_like(reshape(step, [1])), out], 0)
        before = apply("maximum", [indices - step + 1, zeros_like(indices)])
        return step * 2, out + gather(padded, before)

    _, out = while_loop(lambda step, out: step < n, body, [convert_to_tensor(1, dtype="int64"), x])
    return out


def splits_from_lengths(lengths: Any) -> Tensor:
    """Row splits ``[0, l0, l0 + l1, ...]`` from row lengths."""
    lengths = _i64(lengths)
    return concat([convert_to_tensor([0], dtype="int64"), running_sum(lengths)], 0)


def row_lengths(splits: Any) -> Tensor:
    splits = _i64(splits)
    return splits[1:] - splits[:-1]


def nrows(splits: Any) -> Tensor:
    """The row count (int64 scalar) of row splits."""
    return shape(splits, out_type="int64")[0] - 1


def rowids_from_splits(splits: Any) -> Tensor:
    """Each value's row: value ``j`` is in row ``r`` when ``splits[r] <= j < splits[r + 1]``, that is ``r``
    is the number of row limits at or before ``j`` (empty rows share a limit)."""
    splits = _i64(splits)
    limits = splits[1:]
    # How many rows end at each position 0..nvals, summed up to each position.
    target = zeros_like(range(splits[-1] + 1, dtype="int64"))
    ends = apply("unsorted_segment_sum", [zeros_like(limits) + 1, limits, target], {"axis": 0})
    return running_sum(ends)[:-1]


def width(splits: Any) -> Tensor:
    """The longest row's length (0 when there are no rows), an int64 scalar."""
    from .math_ops import reduce_max

    return reduce_max(concat([row_lengths(splits), convert_to_tensor([0], dtype="int64")], 0))


def splits_from_rowids(rowids: Any, count: Any) -> Tensor:
    """Row splits of ``count`` rows from sorted value row ids."""
    rowids = _i64(rowids)
    target = zeros_like(range(_i64(count), dtype="int64"))
    lengths = apply("unsorted_segment_sum", [zeros_like(rowids) + 1, rowids, target], {"axis": 0})
    return splits_from_lengths(lengths)


def ranges(starts: Any, lengths: Any) -> Tuple[Tensor, Tensor]:
    """``(splits, indices)``: the concatenation of ``range(starts[i], starts[i] + lengths[i])`` over the rows,
    and its row splits. Selecting rows of a ragged tensor gathers its values at ``indices``."""
    starts, lengths = _i64(starts), _i64(lengths)
    splits = splits_from_lengths(lengths)
    ids = rowids_from_splits(splits)
    within = range(splits[-1], dtype="int64") - gather(splits[:-1], ids)
    return splits, gather(starts, ids) + within


def grid(rows: Any, cols: Any) -> Tuple[Tensor, Tensor]:
    """Row and column indices (int64, shaped ``[rows, cols]``) of a ``rows x cols`` grid."""
    r = expand_dims(range(_i64(rows), dtype="int64"), 1)
    c = expand_dims(range(_i64(cols), dtype="int64"), 0)
    return r + zeros_like(c), c + zeros_like(r)
