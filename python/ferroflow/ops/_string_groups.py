"""Joining groups of strings of different sizes with whole-tensor ops (eager and in graphs).

The core joins strings only along an axis of a rectangular tensor (``reduce_join``). A group join lays the
pieces out as a ``[groups, longest group]`` table, each row a group's pieces in order and ``''`` after
them; every piece but a group's first carries the separator in front, so joining each row with no
separator gives ``sep.join(group)`` and the ``''`` filling adds nothing.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, concat, expand_dims, gather, range, size, where, zeros_like
from .math_ops import add, equal, less, logical_not, multiply, reduce_max
from .string_ops import join, reduce_join


def _argsort(x: Tensor) -> Tensor:
    return apply("argsort", [x], {"descending": False})


def _segment_sum(data: Tensor, ids: Tensor, like: Tensor) -> Tensor:
    return apply("unsorted_segment_sum", [data, ids, zeros_like(like, dtype=data.dtype)], {"axis": 0})


def _previous(x: Tensor) -> Tensor:
    """``x`` moved one place later, -1 in front: each element's predecessor."""
    return concat([convert_to_tensor(np.array([-1], np.int64)), x], 0)[:-1]


def join_groups(pieces: Tensor, groups: Tensor, num_groups: Any, separator: Any) -> Tensor:
    """``[num_groups, *inner]``: group ``g`` is the pieces (``[P, *inner]``) whose ``groups`` entry (int64
    ``[P]``, in ``[0, num_groups)``) is ``g``, joined with ``separator`` in their order."""
    order = _argsort(groups)  # stable: a group's pieces keep their order
    sorted_groups = gather(groups, order)
    sorted_pieces = gather(pieces, order)
    begins = logical_not(equal(sorted_groups, _previous(sorted_groups)))
    slots = range(cast(num_groups, "int64"), dtype="int64")
    position = range(size(groups, out_type="int64"), dtype="int64")
    counts = _segment_sum(zeros_like(sorted_groups) + 1, sorted_groups, slots)
    first = _segment_sum(multiply(position, cast(begins, "int64")), sorted_groups, slots)
    longest = reduce_max(concat([counts, convert_to_tensor(np.array([0], np.int64))], 0))
    column = expand_dims(range(longest, dtype="int64"), 0)
    filler = size(groups, out_type="int64")  # the index of the '' row appended below
    table = where(less(column, expand_dims(counts, 1)), add(expand_dims(first, 1), column), zeros_like(column) + filler)
    mark = begins
    for _ in builtins.range(len(pieces.shape) - 1):
        mark = expand_dims(mark, -1)
    prefixed = where(mark, sorted_pieces, join([convert_to_tensor(separator, dtype="string"), sorted_pieces]))
    blank = reduce_join(prefixed[:0], axis=0, keepdims=True)  # one row of '' shaped like a piece
    return reduce_join(gather(concat([prefixed, blank], 0), table), axis=1)
