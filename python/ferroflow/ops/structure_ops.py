"""Small structural ops: ``is_tensor``, ``get_static_value``, ``ensure_shape``, broadcast shapes,
``sequence_mask``, ``tensordot``, ``no_op``, ``tuple``."""

from __future__ import annotations

import builtins
from typing import Any, List, Optional

import numpy as np

from ..framework import context
from ..framework.control_flow_deps import control_dependencies
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape, as_shape
from .array_ops import cast, expand_dims, identity, range, reshape, transpose


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is a tensor, ragged or sparse tensor, or variable (not a NumPy array or a number)."""
    from ..framework.ragged_tensor import RaggedTensor
    from ..framework.sparse_tensor import SparseTensor
    from ..framework.variables import Variable

    return isinstance(x, (Tensor, RaggedTensor, SparseTensor, Variable))


def get_static_value(tensor: Any, partial: bool = False) -> Optional[np.ndarray]:
    """The value of ``tensor`` as a NumPy array when it is known without running a graph, else None."""
    if isinstance(tensor, EagerTensor):
        return tensor.numpy()
    if isinstance(tensor, Tensor):
        return None
    return np.asarray(tensor)


def ensure_shape(x: Any, shape: Any, name: Optional[str] = None) -> Tensor:
    """``x`` unchanged after checking that its shape is compatible with ``shape`` (None dims match any). In a
    graph the result carries the merged static shape and the check runs with each value."""
    from .._core import InvalidArgumentError

    t = convert_to_tensor(x)
    want = as_shape(shape)
    if not t.shape.is_compatible_with(want):
        expected = want if want.rank is None else "[" + ",".join("?" if d is None else str(d) for d in want) + "]"
        raise InvalidArgumentError(f"Shape of tensor {t.shape} is not compatible with expected shape {expected}.")
    if isinstance(t, EagerTensor) or want.rank is None:
        return identity(t) if name is not None else t
    return apply("ensure_shape", [t], {"shape": want.as_list()}, op_name=name)


def broadcast_static_shape(shape_x: Any, shape_y: Any) -> TensorShape:
    """The shape two shapes broadcast to (None where unknown); ValueError if they cannot broadcast."""
    a, b = list(as_shape(shape_x)), list(as_shape(shape_y))
    out = []
    for i in builtins.range(1, builtins.max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(y if x is None else x)  # an unknown size broadcasts to the known one
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting: {as_shape(shape_x)} and {as_shape(shape_y)}")
    return TensorShape(out[::-1])


def broadcast_dynamic_shape(shape_x: Any, shape_y: Any) -> Tensor:
    """The broadcast of two shapes given as int tensors (or lists), as an int tensor."""
    a = np.asarray(shape_x.numpy() if isinstance(shape_x, Tensor) else shape_x)
    b = np.asarray(shape_y.numpy() if isinstance(shape_y, Tensor) else shape_y)
    try:
        out = np.broadcast_shapes(builtins.tuple(int(v) for v in a), builtins.tuple(int(v) for v in b))
    except ValueError:
        from .._core import InvalidArgumentError

        raise InvalidArgumentError(f"Incompatible shapes: {a.tolist()} vs. {b.tolist()}") from None
    return convert_to_tensor(np.asarray(out, dtype=a.dtype if a.dtype.kind in "iu" else np.int32))


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = "bool", name: Optional[str] = None) -> Tensor:
    """``mask[..., j] = j < lengths[...]``, with ``maxlen`` columns (default: the largest length)."""
    lens = convert_to_tensor(lengths)
    if not lens.dtype.is_integer:
        raise TypeError(f"sequence_mask expects integer lengths, received {lens.dtype.name}")
    if maxlen is None:
        if not isinstance(lens, EagerTensor):
            raise ValueError("sequence_mask needs maxlen when the lengths are not known eagerly")
        values = lens.numpy()
        maxlen = int(values.max()) if values.size else 0
    if isinstance(maxlen, Tensor) and not isinstance(maxlen, EagerTensor):
        # Known only when the graph runs (``tf.shape(x)[1]``, say): the columns are a range of that length.
        limit: Any = cast(maxlen, lens.dtype)
    else:
        limit = int(maxlen.numpy() if isinstance(maxlen, Tensor) else maxlen)
    columns = range(limit, dtype=lens.dtype)
    mask = columns < expand_dims(lens, -1)
    return mask if str(getattr(dtype, "name", dtype)) == "bool" else cast(mask, dtype)


def tensordot(a: Any, b: Any, axes: Any, name: Optional[str] = None) -> Tensor:
    """``tf.tensordot``: sums over ``axes`` of ``a`` and ``b`` (an int N: a's last N with b's first N; or two
    lists), as one matrix product after transposing and reshaping."""
    from .math_ops import matmul

    a, b = convert_to_tensor(a), convert_to_tensor(b)
    ad, bd = a.shape.as_list(), b.shape.as_list()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > len(ad) or n > len(bd):
            raise ValueError(f"tensordot axes={n} does not fit shapes {ad} and {bd}")
        a_axes, b_axes = list(builtins.range(len(ad) - n, len(ad))), list(builtins.range(n))
    else:
        pair = list(axes)
        if len(pair) != 2:
            raise ValueError(f"tensordot axes must be an int or a pair of axis lists, received {axes!r}")
        a_axes = [int(v) % len(ad) for v in np.atleast_1d(pair[0])]
        b_axes = [int(v) % len(bd) for v in np.atleast_1d(pair[1])]
    if any(
        x is not None and y is not None and x != y for x, y in zip([ad[i] for i in a_axes], [bd[i] for i in b_axes])
    ):
        raise ValueError(
            f"tensordot: dimensions {[ad[i] for i in a_axes]} of a and {[bd[i] for i in b_axes]} of b differ"
        )
    a_free = [i for i in builtins.range(len(ad)) if i not in a_axes]
    b_free = [i for i in builtins.range(len(bd)) if i not in b_axes]
    if None in ad or None in bd:  # a batch of unknown size: the reshapes take the sizes the graph computes
        return _tensordot_dynamic(a, b, a_axes, a_free, b_axes, b_free)
    k = int(np.prod([ad[i] for i in a_axes])) if a_axes else 1
    a2 = reshape(transpose(a, a_free + a_axes), [int(np.prod([ad[i] for i in a_free])) if a_free else 1, k])
    b2 = reshape(transpose(b, b_axes + b_free), [k, int(np.prod([bd[i] for i in b_free])) if b_free else 1])
    return reshape(matmul(a2, b2), [ad[i] for i in a_free] + [bd[i] for i in b_free])


def _tensordot_dynamic(a: Tensor, b: Tensor, a_axes: list, a_free: list, b_axes: list, b_free: list) -> Tensor:
    from .array_ops import concat, gather, shape, stack
    from .math_ops import matmul, reduce_prod

    sa, sb = shape(a), shape(b)

    def size(s: Tensor, idx: list) -> Any:
        return reduce_prod(gather(s, idx)) if idx else convert_to_tensor(1, dtype=s.dtype)

    a2 = reshape(transpose(a, a_free + a_axes), stack([size(sa, a_free), size(sa, a_axes)]))
    b2 = reshape(transpose(b, b_axes + b_free), stack([size(sb, b_axes), size(sb, b_free)]))
    pieces = [gather(s, idx) for s, idx in ((sa, a_free), (sb, b_free)) if idx]
    if not pieces:
        return reshape(matmul(a2, b2), [])
    out = reshape(matmul(a2, b2), concat(pieces, 0) if len(pieces) > 1 else pieces[0])
    out.set_shape([a.shape[i] for i in a_free] + [b.shape[i] for i in b_free])  # the sizes known statically
    return out


def no_op(name: Optional[str] = None) -> Any:
    """Does nothing (``tf.no_op``): an operation with no inputs in a graph, None eagerly."""
    if context.current_graph() is None:
        return None
    return apply("group", [], op_name=name or "NoOp").op


def tuple(tensors: List[Any], name: Optional[str] = None, control_inputs: Any = None) -> list:  # noqa: A001
    """``tf.tuple``: the tensors, each available only once all of them (and ``control_inputs``) are computed."""
    present = [t for t in tensors if t is not None]
    with control_dependencies(present + list(control_inputs or [])):
        return [None if t is None else identity(t) for t in tensors]
