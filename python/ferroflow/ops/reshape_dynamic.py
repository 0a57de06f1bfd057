"""``tf.reshape`` to a shape known only when the graph runs (``tf.stack([tf.shape(x)[0], -1])``, a placeholder).

The static shape of the result is inferred as TensorFlow infers it: what the shape tensor's graph gives away
without running (constants, ``tf.shape`` of tensors with known dimensions, their elements, slices, stacks and
scalar arithmetic), then a ``-1`` (or one unknown size) resolved when the input's size is known. When every
size is found the ordinary static reshape is used. Otherwise, with the shape's length known, the input is
reshaped like a tensor of the wanted shape built at run time (differentiable); with its length unknown too the
reshape is a host call and the result has unknown rank.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np

from ..framework.graph_constants import static_numpy
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape

_BINARY = {
    "Mul": lambda a, b: a * b,
    "AddV2": lambda a, b: a + b,
    "Add": lambda a, b: a + b,
    "Sub": lambda a, b: a - b,
    "FloorDiv": lambda a, b: a // b if b else None,
}


def is_dynamic(shape: Any) -> bool:
    """Whether ``shape`` is a graph tensor or lists one."""
    if isinstance(shape, Tensor):
        return not isinstance(shape, EagerTensor)
    return isinstance(shape, (list, tuple)) and any(
        isinstance(d, Tensor) and not isinstance(d, EagerTensor) for d in shape
    )


def _node_value(graph: Any, node: int) -> Optional[list]:
    """The partly known value of a rank-0 or rank-1 integer node: a list (None for unknown entries, a scalar as a
    one-element list), or None when not even its length is known."""
    name, kind, dims, _, inputs = graph._g.node(node)
    record = getattr(graph, "_records", {}).get(node) or (None, None)
    attrs = record[1] or {}
    if kind == "Const":
        value = graph._g.const_value(node)
        return None if value is None else [int(v) for v in np.asarray(value.numpy()).reshape(-1)]
    if kind == "Shape":
        shape = graph._g.node(inputs[0])[2]
        return None if shape is None else list(shape)
    if kind in ("Identity", "Cast") and inputs:
        return _node_value(graph, inputs[0])
    if kind == "StridedSlice" and len(attrs.get("specs") or []) == 1:
        source = _node_value(graph, inputs[0])
        spec = attrs["specs"][0]
        if source is not None and spec[0] == "index" and -len(source) <= spec[1] < len(source):
            return [source[spec[1]]]
        if source is not None and spec[0] == "range":
            return source[slice(*spec[1:])]
    if kind == "ExpandDims" and dims == [1]:
        return _node_value(graph, inputs[0])
    if kind == "ConcatV2" and attrs.get("axis") == 0:
        parts = [_node_value(graph, i) for i in inputs]
        return None if any(p is None for p in parts) else [v for p in parts for v in p]  # type: ignore[union-attr]
    if kind in _BINARY and dims == []:
        a, b = (_node_value(graph, i) for i in inputs)
        if a and b and a[0] is not None and b[0] is not None:
            return [_BINARY[kind](a[0], b[0])]
    if dims is not None and len(dims) <= 1 and None not in dims:
        return [None] * (dims[0] if dims else 1)
    return None


def partial_value(shape: Any) -> Optional[List[Optional[int]]]:
    """The sizes of ``shape`` (a tensor or a list of sizes) known without running the graph: a list with None
    for unknown sizes, or None when the number of sizes is unknown."""
    if isinstance(shape, (list, tuple, TensorShape)):
        out: List[Optional[int]] = []
        for d in shape:
            if isinstance(d, Tensor) and not isinstance(d, EagerTensor):
                found = _node_value(d.graph, d.node)
                out.append(found[0] if found and len(found) == 1 else None)
            else:
                out.append(None if d is None else int(np.asarray(static_numpy(d))))
        return out
    if isinstance(shape, EagerTensor):
        return [int(v) for v in shape.numpy().reshape(-1)]
    if shape.shape.rank == 0:
        found = _node_value(shape.graph, shape.node)
        return [found[0] if found else None]
    return _node_value(shape.graph, shape.node)


def static_result(input_shape: TensorShape, sizes: Optional[List[Optional[int]]]) -> TensorShape:
    """TensorFlow's static shape of ``reshape(x, sizes)``: the -1 (or a single unknown size) resolved when the
    size of ``x`` and the other sizes are known."""
    if sizes is None:
        return TensorShape(None)
    n = input_shape.num_elements() if input_shape.is_fully_defined() else None
    unknown = [i for i, d in enumerate(sizes) if d is None or d < 0]
    known = int(np.prod([d for d in sizes if d is not None and d >= 0]))
    out = [None if d is None or d < 0 else d for d in sizes]
    if len(unknown) == 1 and n is not None and known > 0:
        if n % known:
            raise ValueError(
                f"Cannot reshape a tensor with {n} elements to shape {sizes} ({known} elements times an unknown size)"
            )
        out[unknown[0]] = n // known
    return TensorShape(out)


def reshape(tensor: Any, shape: Any, name: Optional[str] = None) -> Tensor:
    """``tf.reshape`` where ``shape`` is (or holds) a graph tensor."""
    from ..framework.ops import apply, convert_to_tensor
    from . import array_ops

    tensor = convert_to_tensor(tensor)
    sizes = partial_value(shape)
    if sizes is not None and None not in sizes:
        return array_ops.reshape(tensor, sizes, name=name)
    result = static_result(tensor.shape, sizes)
    if sizes is None:
        out = _host_reshape(tensor, shape, name)
    else:
        target = _target(tensor, shape, len(sizes))
        out = apply("reshape_like", [tensor, target], op_name=name)
    if result.rank is not None:
        out.set_shape(result)
    return out


def _wanted_sizes(tensor: Tensor, shape: Any, rank: int) -> Tensor:
    """The int64 sizes of ``shape`` with its -1 replaced by what the size of ``tensor`` leaves for it."""
    from . import array_ops, math_ops

    if isinstance(shape, (list, tuple, TensorShape)):
        sizes = array_ops.stack([array_ops.cast(array_ops.reshape(d, []), "int64") for d in shape])
    else:
        sizes = array_ops.reshape(array_ops.cast(shape, "int64"), [rank])
    missing = math_ops.less(sizes, 0)
    ones = array_ops.ones_like(sizes)
    product = math_ops.reduce_prod(array_ops.where(missing, ones, sizes))
    rest = math_ops.floordiv(array_ops.size(tensor, out_type="int64"), math_ops.maximum(product, 1))
    return array_ops.where(missing, rest * ones, sizes)


def _target(tensor: Tensor, shape: Any, rank: int) -> Tensor:
    """A bool tensor of the wanted shape, whose shape ``reshape_like`` takes at run time."""
    from ..framework.ops import convert_to_tensor
    from . import _dynamic_fill

    sizes = _wanted_sizes(tensor, shape, rank)
    return _dynamic_fill.fill(sizes, convert_to_tensor(False))


def _host_reshape(tensor: Tensor, shape: Any, name: Optional[str]) -> Tensor:
    """A host call reshaping to a shape whose length is known only at run time (not differentiable)."""
    from ..errors import InvalidArgumentError
    from .py_function_ops import numpy_function

    def run(value: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        try:
            return np.reshape(value, [int(s) for s in np.asarray(sizes).reshape(-1)])
        except ValueError as e:
            raise InvalidArgumentError(
                f"Input to reshape is a tensor with {value.size} values, but the requested shape is "
                f"{np.asarray(sizes).tolist()}"
            ) from e

    return numpy_function(run, [tensor, shape], tensor.dtype, name=name or "Reshape")
