"""Constants made while a graph is being built are ``Const`` nodes of that graph, as in TensorFlow.

``tf.constant(1.0)`` under ``with tf.Graph().as_default():``, in a ``tf.compat.v1`` graph or while a
``tf.function`` traces is ``Tensor("Const:0", shape=(), dtype=float32)``: it belongs to the graph (``.graph``,
``.op.type == "Const"``, names ``Const``, ``Const_1`` ...), ``Session.run`` evaluates it, ``feed_dict`` can
replace it and it has no ``.numpy()``. The node keeps its value, so code that needs a value known before the
graph runs (a shape, a range's bounds) still finds it through :func:`constant_value`.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import _core
from . import context
from .tensor import EagerTensor, Tensor


def in_graph(value: Tensor, name: Optional[str], default: str = "Const") -> Tensor:
    """``value`` (an eager tensor) as a ``Const`` node named ``name`` (or ``default``) of the graph being built;
    ``value`` itself when running eagerly, or when it is already a graph tensor."""
    graph = context.current_graph()
    if graph is None or not isinstance(value, EagerTensor):
        return value
    node = graph.add_node(_core.Op("const", {"value": value._t}), [], name or default)
    graph.__dict__.setdefault("_const_values", {})[node] = value
    return graph.tensor(node)


def constant_value(x: Any) -> Optional[np.ndarray]:
    """The value of ``x`` when known before running a graph: an eager tensor's, or a graph constant's;
    None for other graph tensors."""
    if isinstance(x, EagerTensor):
        return np.asarray(x.numpy())
    graph = getattr(x, "graph", None)
    values = getattr(graph, "_const_values", None) if graph is not None else None
    if values is not None:
        hit = values.get(getattr(x, "node", None))
        if hit is not None:
            return np.asarray(hit.numpy())
    return None


def eager_value(x: Any) -> Any:
    """``x`` as an eager tensor when it is a graph constant (its value), else ``x`` itself."""
    if isinstance(x, Tensor) and not isinstance(x, EagerTensor):
        graph = getattr(x, "graph", None)
        values = getattr(graph, "_const_values", None)
        if values is not None and x.node in values:
            return values[x.node]
    return x


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None, name: Optional[str] = None) -> Tensor:
    """``tf.convert_to_tensor``: tensors pass through (dtype checked), other values become constants: eager
    tensors when running eagerly, ``Const`` nodes of the graph being built otherwise."""
    from .ops import convert_to_tensor as convert
    from .variables import Variable

    t = convert(value, dtype=dtype, dtype_hint=dtype_hint, name=name)
    if isinstance(value, (Tensor, Variable)) or t is value:
        return t
    return in_graph(t, name)


def holds_graph_tensor(value: Any) -> bool:
    """Whether a (nested) list or tuple holds a graph tensor (or, while a graph is built, a variable, whose
    read is one), which TensorFlow packs into one tensor."""
    from .graph import SymbolicTensor
    from .variables import Variable

    def graph_valued(v: Any) -> bool:
        if isinstance(v, (list, tuple)):
            return holds_graph_tensor(v)
        return isinstance(v, SymbolicTensor) or (isinstance(v, Variable) and context.current_graph() is not None)

    return any(graph_valued(v) for v in value)


def pack(value: Any, dtype: Any = None) -> Tensor:
    """``[[x, 1.0], [y, z]]`` with graph tensors in it as one tensor (TensorFlow's auto-packing, a ``Pack``
    node per list): Python numbers take the dtype of the tensors."""
    from ..ops.array_ops import stack
    from .ops import convert_to_tensor as convert

    if dtype is None:
        stack_ = list(value)
        while stack_ and dtype is None:
            v = stack_.pop(0)
            if isinstance(v, Tensor) or hasattr(v, "_graph_read"):  # a tensor or a variable
                dtype = v.dtype
            elif isinstance(v, (list, tuple)):
                stack_ = list(v) + stack_
    items = [pack(v, dtype) if isinstance(v, (list, tuple)) else convert(v, dtype=dtype) for v in value]
    return stack(items)


def static_numpy(x: Any) -> Any:
    """``x``'s value as NumPy when known before a graph runs (an eager tensor or a graph constant), for
    arguments that must be static (sizes, shapes, lengths); other values are returned as they are."""
    x = eager_value(x)
    return x.numpy() if hasattr(x, "numpy") else x
