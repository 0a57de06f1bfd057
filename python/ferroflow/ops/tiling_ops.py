"""Growing a tensor by copies of itself: ``tile``, ``repeat``, ``pad``.

Built from the core's broadcast, reshape, gather, strided slice and concat, so gradients come from theirs
(a broadcast's gradient sums over the copies, which is ``tile``'s and ``repeat``'s).
"""

from __future__ import annotations

import builtins
from typing import Any, List, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework import context
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from .array_ops import broadcast_to, concat, fill, gather, reshape
from .slicing_ops import _int_list, _static_shape


def tile(input: Any, multiples: Any, name: Optional[str] = None) -> Tensor:  # noqa: A002
    """``tf.tile``: ``input`` repeated ``multiples[i]`` times along axis ``i``."""
    if isinstance(input, RaggedTensor):
        from .ragged_combine_ops import tile as ragged_tile

        return ragged_tile(input, multiples)
    x = convert_to_tensor(input)
    if isinstance(multiples, (list, tuple)) and builtins.any(_is_graph_tensor(m) for m in multiples):
        from .array_ops import cast, stack

        multiples = stack([cast(m, "int32") if isinstance(m, Tensor) else m for m in multiples])
    graph_multiples = _is_graph_tensor(multiples)
    if x.shape.rank is not None and (None in x.shape.as_list() or graph_multiples):
        return _tile_dynamic(x, multiples, name)
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


def _is_graph_tensor(x: Any) -> bool:
    return isinstance(x, Tensor) and not isinstance(x, EagerTensor)


def _tile_dynamic(x: Tensor, multiples: Any, name: Optional[str]) -> Tensor:
    """``tile`` of a tensor whose sizes, or multiples, are known only when the graph runs (a batch of unknown
    size, ``tf.shape(x)[0]`` as a multiple): along each axis, a gather of ``range(m * d) % d``."""
    from .array_ops import cast, identity, shape
    from .array_ops import range as _range
    from .math_ops import floormod
    from .reshape_dynamic import partial_value

    rank = x.shape.rank
    static_reps = None
    if not isinstance(multiples, Tensor) or isinstance(multiples, EagerTensor):
        static_reps = _int_list(multiples, "tile multiples")
        if len(static_reps) != rank:
            raise ValueError(f"tile needs one multiple per axis of the input (rank {rank}), received {static_reps}")
        if builtins.any(m < 0 for m in static_reps):
            raise ValueError(f"tile multiples must be non-negative, received {static_reps}")
    reps = cast(convert_to_tensor(multiples), "int32")
    if reps.shape.rank != 1 or reps.shape[0] not in (None, rank):
        raise ValueError(f"tile needs one multiple per axis of the input (rank {rank}), received shape {reps.shape}")
    # the multiples known while building (``tf.stack([b, 1, 1])``: the 1s) give those axes' sizes, as TensorFlow
    known = static_reps if static_reps is not None else partial_value(multiples)
    if known is None or len(known) != rank:
        known = [None] * rank
    dims = shape(x)
    out = x
    for axis in builtins.range(rank):
        if known[axis] == 1:
            continue
        index = floormod(_range(reps[axis] * dims[axis]), dims[axis])
        out = gather(out, index, axis=axis)
    static = [None if d is None or known[i] is None else known[i] * d for i, d in enumerate(x.shape.as_list())]
    out = identity(out, name=name) if name else out
    out.set_shape(static)
    return out


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
    if isinstance(repeats, Tensor) and not isinstance(repeats, EagerTensor) and repeats.shape.rank == 0:
        # One count known only when the graph runs (a batch size): element i of the result is element i // c.
        from .array_ops import cast
        from .array_ops import range as _range
        from .math_ops import floordiv, multiply

        c = cast(repeats, "int32")
        return gather(x, floordiv(_range(multiply(c, dims[axis])), c), axis=axis, name=name)
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
    or ``"SYMMETRIC"`` (mirrored, edge repeated), as in TensorFlow. Axes whose length is unknown until a graph
    runs (a ``None`` of a placeholder or of an ``input_signature``) are padded too: the mirrored pieces are
    slices counted from the ends, and a length too short for the padding fails when the graph runs.
    """
    x = convert_to_tensor(tensor)
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"pad mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', received {mode!r}")
    if x.shape.rank is None:
        raise ValueError("pad needs a tensor of known rank")
    dims: List[Optional[int]] = x.shape.as_list()
    rank = len(dims)
    pairs = np.asarray(_int_list(paddings, "pad paddings"))
    if pairs.size != 2 * rank:
        raise ValueError(f"pad needs paddings of shape [{rank}, 2] for a tensor of rank {rank}, received {paddings!r}")
    pairs = pairs.reshape(rank, 2)
    if (pairs < 0).any():
        raise ValueError(f"pad paddings must be non-negative, received {pairs.tolist()}")
    if mode == "CONSTANT" and not isinstance(constant_values, Tensor) and np.ndim(constant_values) == 0:
        # As TensorFlow: a zero pads with the tensor's own zero (False for bools, b"" for strings) without
        # converting the Python 0 to its dtype.
        if constant_values == 0:
            constant_values = np.zeros((), x.dtype.as_numpy_dtype) if x.dtype.name != "string" else b""
    value = convert_to_tensor(constant_values, dtype=x.dtype) if mode == "CONSTANT" else None
    for axis, (before, after) in enumerate(pairs.tolist()):
        if before == 0 and after == 0:
            continue
        n = dims[axis]
        if mode == "CONSTANT":
            pieces = [_constant_block(x, dims, axis, before, value), x, _constant_block(x, dims, axis, after, value)]
        else:
            edge = 1 if mode == "REFLECT" else 0
            if n is not None and (before > n - edge or after > n - edge):
                raise InvalidArgumentError(
                    f"{mode} padding of axis {axis} by {[before, after]} needs at most {n - edge} "
                    f"on each side for its length {n}"
                )
            if n is None:
                x = _check_length(x, axis, max(before, after) + edge, mode, [before, after])
            pieces = [
                _mirror(x, rank, axis, edge + before - 1, edge - 1 if edge else None, before),
                x,
                _mirror(x, rank, axis, -1 - edge, -1 - edge - after, after),
            ]
        x = concat([p for p in pieces if p is not None], axis)
        dims[axis] = None if n is None else n + before + after
    return x if name is None else apply("identity", [x], op_name=name)


def _constant_block(x: Tensor, dims: list, axis: int, width: int, value: Tensor) -> Optional[Tensor]:
    """``width`` elements of ``value`` along ``axis``, the other axes as ``x``'s (None when ``width`` is 0)."""
    if width == 0:
        return None
    if None not in dims:
        return fill(dims[:axis] + [width] + dims[axis + 1 :], value)
    # Lengths known only at run time: a one-wide slice of `x` (summed so that an empty axis still gives one
    # element) refilled with the value, then repeated `width` times.
    rank = len(dims)
    specs = [("range", None, None, 1)] * rank
    specs[axis] = ("range", 0, 1, 1)
    one = apply("strided_slice", [x], {"specs": specs})
    if x.dtype.is_numeric:
        one = apply("reduce_sum", [one], {"axis": [axis], "keepdims": True})
    one = apply("fill_like", [one], {"value": 0.0, "dtype": None})
    from .math_ops import add
    from .structure_ops import get_static_value

    static = get_static_value(value)
    if static is not None:
        one = apply("fill_like", [one], {"value": float(static), "dtype": None})
    else:
        one = add(one, value)
    return one if width == 1 else gather(one, np.zeros(width, np.int64), axis=axis)


def _check_length(x: Tensor, axis: int, least: int, mode: str, sides: list) -> Tensor:
    """``x``, failing when the graph runs if ``axis`` is shorter than ``least`` (TensorFlow's run-time error)."""
    from .array_ops import shape
    from .math_ops import greater_equal

    ok = greater_equal(shape(x)[axis], least)
    relation = "less than" if mode == "REFLECT" else "no greater than"
    message = (
        f"paddings must be {relation} the dimension size: {sides[0]}, {sides[1]} not {relation} "
        f"the length of axis {axis}"
    )
    graph = context.current_graph()
    if graph is not None and not getattr(graph, "is_function", False):
        from ..compat.v1.asserts_v1 import Assert
        from ..framework.control_flow_deps import control_dependencies

        with control_dependencies([Assert(ok, [message])]):
            return apply("identity", [x])
    from .assert_ops import _check

    _check(ok, lambda _: message, None)
    return x


def _mirror(x: Tensor, rank: int, axis: int, start: int, stop: Optional[int], count: int) -> Optional[Tensor]:
    """``count`` elements of ``axis`` from ``start`` down to ``stop`` (exclusive; negative: from the end)."""
    if count == 0:
        return None
    specs = [("range", None, None, 1)] * rank
    specs[axis] = ("range", start, stop, -1)
    return apply("strided_slice", [x], {"specs": specs})
