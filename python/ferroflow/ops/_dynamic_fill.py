"""``tf.fill`` (and ``tf.zeros``/``tf.ones``) with sizes that are graph tensors: one core ``Fill`` node taking
the sizes as a run-time int32/int64 vector and the value as a scalar (any dtype, strings too), named as
TensorFlow names it: ``Fill`` fed by ``Fill/value`` (a ``Const``) and, for a list of sizes, the vector
``Fill/dims`` of ``Fill/dims/<i>`` constants and the tensors. Fills of a known shape are constants instead
(``fill_range_ops.fill``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..framework import context
from ..framework.graph_constants import in_graph
from ..framework.graph_record import refine_shape as set_shape
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import EagerTensor, Tensor


def is_dynamic(dims: Any) -> bool:
    """Whether ``dims`` (a shape) is a graph tensor or lists one."""
    if isinstance(dims, Tensor):
        return not isinstance(dims, EagerTensor)
    return isinstance(dims, (list, tuple)) and any(
        isinstance(d, Tensor) and not isinstance(d, EagerTensor) for d in dims
    )


def _sizes_vector(dims: Any) -> Tensor:
    """``dims`` as one int32 or int64 vector: a list of sizes is joined into the vector ``dims`` (TensorFlow's
    one ``Pack`` node is a ``ConcatV2`` of ``ExpandDims`` here), its known sizes as constants ``dims/<i>`` of
    the graph tensors' dtype (int64 when any of them is)."""
    from .array_ops import cast, expand_dims

    if isinstance(dims, Tensor):
        return dims
    nodes = [d for d in dims if isinstance(d, Tensor) and not isinstance(d, EagerTensor)]
    dtype = "int64" if any(d.dtype.name == "int64" for d in nodes) else "int32"
    with context.name_scope("dims") as scope:
        rows = []
        for i, d in enumerate(dims):
            known = not any(d is n for n in nodes)
            size = in_graph(convert_to_tensor(np.asarray(d).astype(dtype)), None, str(i)) if known else cast(d, dtype)
            rows.append(expand_dims(size, 0))
    return apply("concat", rows, {"axis": 0}, op_name=scope.rstrip("/").rsplit("/", 1)[-1])


def fill(dims: Any, value: Tensor, name: str = "Fill", value_name: str = "value") -> Tensor:
    """A ``Fill`` node (named ``name``, made unique) of ``value`` over the run-time sizes ``dims``; a known
    value is the constant ``value_name`` in its scope (``tf.zeros``/``tf.ones`` call theirs ``Const``)."""
    from .array_ops import reshape
    from .reshape_dynamic import partial_value

    with context.name_scope(name) as scope:
        sizes = _sizes_vector(dims)
        if sizes.dtype.name not in ("int32", "int64"):
            raise TypeError(f"fill expects int32 or int64 dims, received a {sizes.dtype.name} tensor")
        if sizes.shape.rank is not None and sizes.shape.rank != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {sizes.shape.rank} for '{{node {name}}} = Fill'")
        value = in_graph(value, None, value_name) if isinstance(value, EagerTensor) else value
        if value.shape.rank != 0:
            value = reshape(value, [])
    out = apply("fill", [sizes, value], op_name=scope.rstrip("/").rsplit("/", 1)[-1])
    known = partial_value(dims)  # the sizes the graph gives away without running, as TensorFlow's shape
    if known is not None:
        set_shape(out.graph, out.node, known)
    return out
