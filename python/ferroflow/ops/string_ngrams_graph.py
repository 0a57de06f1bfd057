"""``tf.strings.ngrams`` of a ``RaggedTensor`` whose row splits are graph tensors (``tf.function``,
``Dataset.map`` after ``batch``).

Each width gives a ragged tensor of n-grams: the windows of every row (``max(0, L + 2 * pad - width + 1)``
of them) are laid out by ``ragged_partition_ops.ranges``, their tokens gathered from the values extended by
the left and right pads, and joined with ``reduce_join``. The widths' n-grams are concatenated within rows in
the order given; ``preserve_short_sequences`` adds the whole padded row where no width gave an n-gram.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ._string_groups import join_groups
from .array_ops import cast, concat, expand_dims, gather, range, shape, where, zeros_like
from .math_ops import greater, less, logical_and, maximum
from .ragged_partition_ops import ranges, row_lengths, rowids_from_splits
from .string_ngrams_ops import _pad_of
from .string_ops import reduce_join


def _tokens(within: Any, rows: Any, pad: Any, lengths: Any, starts: Any, nvals: Any) -> Any:
    """Indices into the values extended by ``[left, right]`` of padded positions ``within`` of rows ``rows``."""
    inside = within - pad
    length, start = gather(lengths, rows), gather(starts, rows)
    if inside.shape.rank == 2:
        length, start = expand_dims(length, 1), expand_dims(start, 1)
    right = where(less(inside, length), start + inside, zeros_like(inside) + nvals + 1)
    return where(less(inside, 0), zeros_like(inside) + nvals, right)


def graph_rows(
    data: RaggedTensor, widths: Sequence[int], sep: Any, left: Any, right: Any, attr: int, preserve: bool
) -> RaggedTensor:
    splits = cast(data.row_splits, "int64")
    lengths, starts = row_lengths(splits), splits[:-1]
    values = convert_to_tensor(data.values)
    nvals = shape(values, out_type="int64")[0]
    extended = concat([values, convert_to_tensor([left, right], dtype="string")], 0)
    parts, total = [], zeros_like(lengths)
    for width in widths:
        pad = _pad_of(width, attr)
        count = maximum(lengths + (2 * pad - width + 1), 0)
        total = total + count
        out_splits, k = ranges(zeros_like(lengths), count)
        rows = rowids_from_splits(out_splits)
        within = expand_dims(k, 1) + expand_dims(range(width, dtype="int64"), 0)
        index = _tokens(within, rows, pad, lengths, starts, nvals)
        grams = reduce_join(gather(extended, index), axis=1, separator=sep)
        parts.append(RaggedTensor.from_row_splits(grams, out_splits, validate=False))
    if preserve:
        # One n-gram of the whole padded row (L + 2 * attr tokens) where no width gave any.
        short = logical_and(less(total, 1), greater(lengths, 0))
        size = where(short, lengths + 2 * attr, zeros_like(lengths))
        token_splits, q = ranges(zeros_like(lengths), maximum(size, 0))
        owner = rowids_from_splits(token_splits)
        pieces = gather(extended, _tokens(q, owner, attr, lengths, starts, nvals))
        whole = join_groups(pieces, owner, shape(lengths, out_type="int64")[0], sep)
        out_splits, _ = ranges(zeros_like(lengths), cast(short, "int64"))
        parts.append(
            RaggedTensor.from_row_splits(gather(whole, rowids_from_splits(out_splits)), out_splits, validate=False)
        )
    if len(parts) == 1:
        return parts[0]
    from .ragged_graph_combine import concat as concat_rows

    return concat_rows(parts, 1)
