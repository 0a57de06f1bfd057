"""``tf.strings.unsorted_segment_join``: the strings of each segment joined in their order of appearance."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ._string_groups import join_groups
from .array_ops import cast, reshape, where, zeros_like
from .assert_ops import _check
from .math_derived_ops import reduce_all
from .math_ops import greater_equal, less, logical_and


def unsorted_segment_join(
    inputs: Any, segment_ids: Any, num_segments: Any, separator: str = "", name: Optional[str] = None
) -> Tensor:
    """``[num_segments, *inputs.shape[segment_ids.rank:]]``: element ``s`` joins, with ``separator``, the
    entries of ``inputs`` whose segment id is ``s`` (in row-major order); empty segments give ``''``."""
    x = convert_to_tensor(inputs)
    if x.dtype.name != "string":
        raise TypeError(f"unsorted_segment_join expects string inputs, received a tensor of dtype {x.dtype.name}")
    ids = convert_to_tensor(segment_ids)
    if ids.dtype.name not in ("int32", "int64"):
        raise TypeError(f"unsorted_segment_join expects int32 or int64 segment_ids, received {ids.dtype.name}")
    n = convert_to_tensor(num_segments)
    if n.dtype.name not in ("int32", "int64") or n.shape.rank not in (None, 0):
        raise InvalidArgumentError(f"Number of segments must be a scalar integer, received {n.dtype.name} {n.shape}")
    xdims, idims = x.shape.as_list(), ids.shape.as_list()
    if None in xdims or None in idims:
        raise ValueError("unsorted_segment_join needs inputs and segment_ids of known shapes")
    if len(idims) > len(xdims):
        raise InvalidArgumentError(f"Segment_ids rank {len(idims)} exceeds the inputs' rank {len(xdims)}")
    for axis, (i, d) in enumerate(zip(idims, xdims)):
        if i != d:
            raise InvalidArgumentError(f"Segment dimension is {i} while input dimension is {d} in rank {axis}")
    bad = "segment_ids are not allowed to exceed num_segments or to have negative values."
    if isinstance(ids, EagerTensor) and isinstance(n, EagerTensor):
        values = ids.numpy()
        if values.size and (values.min() < 0 or values.max() >= int(n.numpy())):
            raise InvalidArgumentError(bad)
    else:
        # In a graph the check runs with the function (and fails it) instead of a gather out of range.
        wide = cast(ids, "int64")
        inside = logical_and(greater_equal(wide, 0), less(wide, cast(n, "int64")))
        _check(reduce_all(inside), lambda _: bad, None)
        ids = where(inside, wide, zeros_like(wide))  # so that the run reaches the check
    inner = xdims[len(idims) :]
    count = int(np.prod(idims)) if idims else 1
    pieces = reshape(x, [count] + inner)
    groups = cast(reshape(ids, [count]), "int64")
    return join_groups(pieces, groups, n, separator)
