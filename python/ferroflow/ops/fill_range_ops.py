"""``tf.fill``, ``tf.zeros``, ``tf.ones`` and ``tf.range``: tensors made from sizes and bounds.

While a graph is built, ``tf.range`` is TensorFlow's ``Range`` node fed by its ``start``, ``limit`` and ``delta``
(``range/start`` ... ``Const`` nodes for numbers, the tensors themselves otherwise, each cast to the result's
dtype), so fed placeholders and function arguments give their values when the graph runs. With all three
known before running, the node also keeps its value (static shape, and ``constant_value`` for code that needs
sizes while building) as a constant does. ``tf.fill`` with known sizes stays one ``Const`` node; with sizes
known only when the graph runs it is TensorFlow's ``Fill`` node (``_dynamic_fill``).
"""

from __future__ import annotations

import builtins
import math
from typing import Any, Optional

import numpy as np

from .._core import InvalidArgumentError
from ..framework import context, graph_record
from ..framework.dtypes import as_dtype, float32
from ..framework.graph_constants import constant_value, eager_value, in_graph
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor
from . import _memory


def fill(dims: Any, value: Any, name: Optional[str] = None, default: str = "Fill") -> Tensor:
    """``tf.fill``: ``value`` (a scalar) repeated over the shape ``dims``."""
    from . import _dynamic_fill
    from .array_ops import _shape_list, broadcast_to, reshape

    v = eager_value(convert_to_tensor(value))
    dims = eager_value(dims)
    if _dynamic_fill.is_dynamic(dims):
        return _dynamic_fill.fill(dims, v, name or default, "value" if default == "Fill" else "Const")
    shape = _shape_list(dims, "dims", negative_error=_negative_dimension)
    _memory.check_allocation(shape, v.dtype.as_numpy_dtype, "fill")
    if not isinstance(v, EagerTensor):
        return broadcast_to(reshape(v, []), shape)
    with context.eager_scope():  # a known value: one Const node in a graph
        value = broadcast_to(reshape(v, []), shape)
    return in_graph(value, name, default)


def _negative_dimension(dims: list) -> Exception:
    """TensorFlow's error (its ``Fill`` kernel's) for a negative size."""
    bad = next(d for d in dims if d < 0)
    return InvalidArgumentError(f"Dimension {bad} must be >= 0")


def zeros(shape: Any, dtype: Any = float32, name: Optional[str] = None) -> Tensor:
    """``tf.zeros``: for ``tf.string`` the empty string, as TensorFlow gives."""
    dtype = as_dtype(dtype)
    if dtype.name == "string":
        return fill(shape, np.array(b"", dtype=object), name, "zeros")
    return fill(shape, np.zeros((), dtype.as_numpy_dtype), name, "zeros")


def ones(shape: Any, dtype: Any = float32, name: Optional[str] = None) -> Tensor:
    """``tf.ones``: refused for ``tf.string`` with TensorFlow's TypeError."""
    dtype = as_dtype(dtype)
    if dtype.name == "string":
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return fill(shape, np.ones((), dtype.as_numpy_dtype), name, "ones")


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None, name: str = "range") -> Tensor:  # noqa: A001
    """``tf.range``: the widest dtype of the arguments (Python ints are int32, floats float32); in a graph a
    ``Range`` node (see the module's text)."""
    if limit is None:
        start, limit = 0, start
    graph = context.current_graph()
    if graph is not None:
        return _range_node(graph, (start, limit, delta), dtype, name or "range")
    args = tuple(eager_value(v) for v in (start, limit, delta))
    if builtins.any(isinstance(v, Tensor) and not isinstance(v, EagerTensor) for v in args):
        dtype = range_dtype(args) if dtype is None else as_dtype(dtype).name
        return apply("range", [convert_to_tensor(v) for v in args], {"dtype": dtype}, op_name=name)
    values = [v.numpy() if isinstance(v, Tensor) else v for v in args]
    if dtype is not None:
        for v in args:
            if not isinstance(v, Tensor):
                convert_to_tensor(v, dtype=dtype)  # TensorFlow's TypeError for Python floats and an int dtype
    _check_bounds(*values, error=InvalidArgumentError)
    dtype = range_dtype(args) if dtype is None else as_dtype(dtype).name
    return convert_to_tensor(np.arange(*values), dtype=dtype)


def _range_node(graph: Any, args: tuple, dtype: Any, name: str) -> Tensor:
    """TensorFlow's ``range/start``, ``range/limit``, ``range/delta`` inputs (Casts to the result's dtype
    where they differ) and the ``Range`` node named as the scope."""
    from .array_ops import cast

    given = None if dtype is None else as_dtype(dtype)
    scope = graph.push_scope(name)
    try:
        inputs = []
        for label, v in zip(("start", "limit", "delta"), args):
            if isinstance(v, Tensor) and not isinstance(v, EagerTensor):
                inputs.append(v)  # a node of the graph (a constant too): read as it is
            elif isinstance(v, Tensor):
                inputs.append(in_graph(v, None, label))
            else:
                inputs.append(in_graph(convert_to_tensor(v, dtype=given), None, label))
        dtype = range_dtype(tuple(inputs)) if given is None else given.name
        known = [constant_value(t) for t in inputs]
        inputs = [cast(t, dtype) for t in inputs]
    finally:
        graph.pop_scope()
    value = None
    if builtins.all(k is not None for k in known):
        s, lim, d = (np.asarray(k).astype(as_dtype(dtype).as_numpy_dtype).item() for k in known)
        _check_bounds(s, lim, d, error=ValueError)
        value = _kernel_values(s, lim, d, dtype)
    out = apply("range", inputs, {"dtype": dtype}, op_name=scope.rsplit("/", 1)[-1])
    if value is not None:
        graph_record.refine_shape(graph, out.node, [len(value)])
        with context.eager_scope():
            graph.__dict__.setdefault("_const_values", {})[out.node] = convert_to_tensor(value)
    return out


def _check_bounds(start: Any, limit: Any, delta: Any, error: type) -> None:
    """TensorFlow's ``Range`` errors: a zero delta, or bounds in the wrong order for the delta's sign."""
    s, lim, d = (np.asarray(v).item() for v in (start, limit, delta))
    if d == 0:
        raise error(f"Requires delta != 0: {d}")
    if (d > 0 and s > lim) or (d < 0 and s < lim):
        order, sign = ("start <= limit", ">") if d > 0 else ("start >= limit", "<")
        raise error(f"Requires {order} when delta {sign} 0: {s}/{lim}")


def _kernel_values(s: float, lim: float, d: float, dtype: str) -> np.ndarray:
    """The values the native ``Range`` kernel gives for these bounds, computed the same way (float64 steps)."""
    if as_dtype(dtype).is_floating:
        count = math.ceil((lim - s) / d)
    else:
        s, lim, d = int(s), int(lim), int(d)
        count = -(-abs(lim - s) // abs(d))
    return (s + np.arange(count, dtype=np.float64) * d).astype(as_dtype(dtype).as_numpy_dtype)


_RANGE_DTYPES = ("int32", "int64", "float32", "float64")


def range_dtype(args: tuple) -> str:
    """TensorFlow's inferred dtype of ``tf.range``: the widest of int32 < int64 < float32 < float64."""
    widest = 0
    for v in args:
        if isinstance(v, Tensor):
            name = v.dtype.name
        elif isinstance(v, (np.generic, np.ndarray)):
            name = np.asarray(v).dtype.name
        else:
            name = "float32" if isinstance(v, float) else "int32"
        if name in _RANGE_DTYPES:
            widest = builtins.max(widest, _RANGE_DTYPES.index(name))
    return _RANGE_DTYPES[widest]
