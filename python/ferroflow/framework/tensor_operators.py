"""Tensor operators that take more than one op: ``/`` (integers divided as floats) and ``[]`` (a strided
slice, a boolean mask, or gathers for indices only known when the graph runs)."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .dtypes import as_dtype
from .operand_conversion import binary_operands
from .ops import apply
from .tensor import EagerTensor, Tensor
from .tensor_conversion import convert_to_tensor


def truediv(a: Any, b: Any, op_name: Optional[str] = None) -> Tensor:
    """``a / b``: integers are divided as floats, as ``tf.math.truediv`` does: 8- and 16-bit ones as float32
    (so ``uint8_images / 255`` is float32), 32- and 64-bit ones as float64. Two integer tensors of different
    dtypes are a TypeError, as in TensorFlow."""
    a, b = binary_operands(a, b)
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if a.dtype.is_integer and b.dtype.is_integer:
        if a.dtype != b.dtype:
            raise TypeError(f"`x` and `y` must have the same dtype, got {a.dtype!r} != {b.dtype!r}.")
        wide = "float32" if a.dtype.name in ("int8", "uint8", "int16", "uint16") else "float64"
        a = apply("cast", [a], {"dtype": wide})
        b = apply("cast", [b], {"dtype": wide})
    return apply("div", [a, b], op_name=op_name)


def getitem(x: Any, key: Any) -> Tensor:
    """NumPy basic indexing (ints, slices, ``...``, ``None``) as a strided slice; a bool tensor or array as the
    whole key selects with ``tf.boolean_mask``, as TensorFlow's ``x[x > 0]`` does."""
    if (isinstance(key, Tensor) and key.dtype == as_dtype("bool")) or (
        isinstance(key, np.ndarray) and key.dtype == np.bool_
    ):
        from ..ops.scatter_ops import boolean_mask

        return boolean_mask(x, key)
    if not isinstance(key, tuple):
        key = (key,)
    if any(_is_graph_index(k) for k in key):
        return _getitem_graph_index(x, key)
    specs = []
    for k in key:
        if k is Ellipsis:
            specs.append(("ellipsis",))
        elif k is None:
            specs.append(("newaxis",))
        elif isinstance(k, slice):
            specs.append(("range", _index(k.start), _index(k.stop), 1 if k.step is None else _index(k.step)))
        else:
            try:
                specs.append(("index", _index(k)))
            except TypeError:
                raise TypeError(
                    "only integers, slices (`:`), ellipsis (`...`) and None are valid indices, "
                    f"received {type(k).__name__}"
                ) from None
    return apply("strided_slice", [x], {"specs": specs}, op_name="strided_slice")


def _is_graph_index(k: Any) -> bool:
    """A scalar integer tensor whose value is only known when the graph runs (``x[i]`` in a ``tf.range`` loop),
    or a slice with such a bound or step (``x[i:i + n]``, ``x[::k]``)."""
    if isinstance(k, slice):
        return _is_graph_index(k.start) or _is_graph_index(k.stop) or _is_graph_index(k.step)
    return isinstance(k, Tensor) and not isinstance(k, EagerTensor) and k.dtype.is_integer and k.shape.rank == 0


def _getitem_graph_index(x: Any, key: tuple) -> Tensor:
    """``x[..., i, ...]`` with graph-valued scalar indices or slice bounds: the static part of the key slices
    first (a graph index or slice keeps its axis as ``:``), then each gathers on its axis, last first so the
    earlier axes keep their positions (TensorFlow builds one strided slice with dynamic begin; the values are
    the same)."""
    if any(k is Ellipsis or k is None for k in key):
        raise TypeError(
            "indices that are tensors only known when the graph runs can be combined with ints and "
            "slices only, not with `...` or None"
        )
    static = tuple(slice(None) if _is_graph_index(k) else k for k in key)
    out = getitem(x, static)
    axes = []
    axis = 0
    for k in key:
        if _is_graph_index(k):
            axes.append((axis, k))
        if isinstance(k, slice) or _is_graph_index(k):
            axis += 1
    from ..ops._dynamic_slice import axis_slice
    from ..ops.array_ops import gather

    for axis, k in reversed(axes):
        if isinstance(k, slice):
            step = k.step if _is_graph_index(k.step) else 1 if k.step is None else _index(k.step)
            out = axis_slice(out, axis, k.start, k.stop, step)
        else:
            out = gather(out, k, axis=axis)
    return out


def _index(v: Any) -> Optional[int]:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        raise TypeError("a bool is not a valid index")
    if isinstance(v, EagerTensor):
        return int(v)
    return int(v.__index__())
