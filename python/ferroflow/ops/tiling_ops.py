"""Growing a tensor by copies of itself: ``tile``, ``repeat``, ``pad``.

Built from the core's broadcast, reshape, gather, strided slice and concat, so gradients come from theirs
(a broadcast's gradient sums over the copies, which is ``tile``'s and ``repeat``'s).
"""

from __future__ import annotations

import builtins
from typing import Any, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import Tensor
from .array_ops import broadcast_to, concat, fill, gather, reshape
from .slicing_ops import _int_list, _static_shape


def tile(input: Any, multiples: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """``tf.tile``: ``input`` repeated ``multiples[i]`` times along axis ``i``."""
    if isinstance(input, RaggedTensor):
        from .ragged_combine_ops import tile as ragged_tile

        return ragged_tile(input, multiples)
    x = convert_to_tensor(input)
    dims = _static_shape(x, "tile")
    reps = _int_list(multiples, "tile multiples")
    if len(reps) != len(dims):
        raise ValueError(f"tile needs one multiple per axis of the input (rank {len(dims)}), received {reps}")
    if builtins.any(m < 0 for m in reps):
        raise ValueError(f"tile multiples must be non-negative, received {reps}")
    # [d0, d1] -> [1, d0, 1, d1] -> [m0, d0, m1, d1] -> [m0*d0, m1*d1]: copies are whole blocks.
    interleaved = [v for d in dims for v in (1, d)]
    spread = [v for m, d in zip(reps, dims) for v in (m, d)]
    out = broadcast_to(reshape(x, interleaved), spread)
    return reshape(out, [m * d for m, d in zip(reps, dims)], name=name)


def repeat(input: Any, repeats: Any, axis: Optional[int] = None, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """``tf.repeat``: each element (``axis=None``: of the flattened input) repeated ``repeats`` times.

    ``repeats`` is one count for all, or one per element along ``axis``.
    """
    x = convert_to_tensor(input)
    if axis is None:
        x = reshape(x, [-1])
        axis = 0
    dims = _static_shape(x, "repeat")
    rank = len(dims)
    if not -rank <= axis < rank:
        raise InvalidArgumentError(f"repeat axis {axis} is out of range for a tensor of rank {rank}")
    axis %= rank
    counts = _int_list(repeats, "repeat repeats")
    if builtins.any(c < 0 for c in counts):
        raise ValueError(f"repeat counts must be non-negative, received {counts}")
    if len(counts) == 1:
        # Every element the same number of times: a broadcast over a new axis right after `axis`.
        c = counts[0]
        expanded = reshape(x, dims[: axis + 1] + [1] + dims[axis + 1 :])
        spread = broadcast_to(expanded, dims[: axis + 1] + [c] + dims[axis + 1 :])
        return reshape(spread, dims[:axis] + [dims[axis] * c] + dims[axis + 1 :], name=name)
    if len(counts) != dims[axis]:
        raise ValueError(
            f"repeat needs one count per element of axis {axis} (length {dims[axis]}), received {len(counts)}"
        )
    index = np.repeat(np.arange(dims[axis], dtype=np.int64), counts)
    return gather(x, index, axis=axis, name=name)


def pad(
    tensor: Any, paddings: Any, mode: str = "CONSTANT", constant_values: Any = 0, name: Optional[str] = None
) -> Tensor:
    """``tf.pad``: ``paddings[i] = [before, after]`` elements added around axis ``i``.

    ``mode`` is ``"CONSTANT"`` (filled with ``constant_values``), ``"REFLECT"`` (mirrored, edge not repeated)
    or ``"SYMMETRIC"`` (mirrored, edge repeated), as in TensorFlow.
    """
    x = convert_to_tensor(tensor)
    if mode.upper() == "CONSTANT" and x.shape.rank is not None and None in x.shape.as_list():
        return _pad_constant_dynamic(x, paddings, constant_values, name)
    dims = _static_shape(x, "pad")
    pairs = np.asarray(_int_list(paddings, "pad paddings"))
    if pairs.size != 2 * len(dims):
        raise ValueError(
            f"pad needs paddings of shape [{len(dims)}, 2] for a tensor of rank {len(dims)}, received {paddings!r}"
        )
    pairs = pairs.reshape(len(dims), 2)
    if (pairs < 0).any():
        raise ValueError(f"pad paddings must be non-negative, received {pairs.tolist()}")
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"pad mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', received {mode!r}")
    value = convert_to_tensor(constant_values, dtype=x.dtype) if mode == "CONSTANT" else None
    rank = len(dims)
    shape: List[int] = list(dims)
    for axis, (before, after) in enumerate(pairs.tolist()):
        if before == 0 and after == 0:
            continue
        n = shape[axis]
        if mode == "CONSTANT":
            pieces = [
                fill(shape[:axis] + [before] + shape[axis + 1 :], value) if before else None,
                x,
                fill(shape[:axis] + [after] + shape[axis + 1 :], value) if after else None,
            ]
        else:
            edge = 1 if mode == "REFLECT" else 0
            if before > n - edge or after > n - edge:
                raise InvalidArgumentError(
                    f"{mode} padding of axis {axis} by {[before, after]} needs at most {n - edge} "
                    f"on each side for its length {n}"
                )
            pieces = [
                _mirror(x, rank, axis, edge, edge + before),
                x,
                _mirror(x, rank, axis, n - edge - after, n - edge),
            ]
        x = concat([p for p in pieces if p is not None], axis)
        shape[axis] = n + before + after
    return x if name is None else apply("identity", [x], op_name=name)


def _pad_constant_dynamic(x: Tensor, paddings: Any, constant_values: Any, name: Optional[str]) -> Tensor:
    """Constant padding of a tensor with dimensions known only when the graph runs (a model's batch): each
    padded side is a one-wide slice of ``x`` filled with the value, repeated; unknown axes must not be padded."""
    rank = x.shape.rank
    pairs = np.asarray(_int_list(paddings, "pad paddings")).reshape(rank, 2)
    if (pairs < 0).any():
        raise ValueError(f"pad paddings must be non-negative, received {pairs.tolist()}")
    for axis, (before, after) in enumerate(pairs.tolist()):
        if before == 0 and after == 0:
            continue
        if x.shape[axis] is None or x.shape[axis] == 0:
            raise ValueError(f"pad cannot pad axis {axis}, whose length is unknown until the graph runs")
        specs = [("range", None, None, 1)] * rank
        specs[axis] = ("range", 0, 1, 1)
        one_wide = apply("strided_slice", [x], {"specs": specs})
        edge = apply("fill_like", [one_wide], {"value": float(np.asarray(constant_values)), "dtype": None})
        x = concat([edge] * before + [x] + [edge] * after, axis)
    return x if name is None else apply("identity", [x], op_name=name)


def _mirror(x: Tensor, rank: int, axis: int, start: int, stop: int) -> Optional[Tensor]:
    """Elements ``start:stop`` of ``axis`` in reverse order (None when empty)."""
    if stop <= start:
        return None
    specs = [("range", None, None, 1)] * rank
    specs[axis] = ("range", stop - 1, start - 1 if start > 0 else None, -1)
    return apply("strided_slice", [x], {"specs": specs})
