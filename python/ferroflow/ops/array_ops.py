"""Constructors and shape ops with TensorFlow 2's names: ``constant``, ``zeros``, ``reshape``, ``concat`` ..."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence

import numpy as np

from ..framework import context
from ..framework.dtypes import as_dtype, float32
from ..framework.graph_constants import eager_value, in_graph
from ..framework.ops import apply, convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from ..framework.tensor_shape import TensorShape
from . import _memory
from .fill_range_ops import fill, ones, range, zeros  # noqa: F401  (tf.fill ... live there)
from .where_ops import where  # noqa: F401  (tf.where lives there)


def _shape_list(shape: Any, what: str = "shape", negative_error: Any = None) -> list:
    shape = eager_value(shape)
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    if isinstance(shape, (int, np.integer)):
        shape = [int(shape)]
    if isinstance(shape, TensorShape) and not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    try:
        dims = [int(d) for d in shape]
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a list of ints, received {shape!r}") from None
    if builtins.any(d < 0 for d in dims):
        if negative_error is not None:
            raise negative_error(dims)
        raise ValueError(f"{what} dimensions must be non-negative, received {dims}")
    return dims


def constant(value: Any, dtype: Any = None, shape: Any = None, name: Optional[str] = None) -> Tensor:
    """``tf.constant``: a tensor from a Python or NumPy value, optionally broadcast to ``shape``."""
    if isinstance(value, TensorShape):  # its dimensions (int32), then cast: tf.constant(shape, tf.float32) works
        value = convert_to_tensor(value)
    if isinstance(value, Tensor):
        t = value if dtype is None or value.dtype == as_dtype(dtype) else cast(value, dtype)
        if shape is None and name is not None and context.current_graph() is not None:
            return identity(t, name=name)
        if shape is None:
            return t
    else:
        t = convert_to_tensor(value, dtype=dtype)
    if shape is not None:
        dims = _shape_list(shape)
        n = int(np.prod(dims))
        size = int(np.prod(t.shape.as_list())) if t.shape.rank is not None else None
        if isinstance(t, EagerTensor) and size in (n, 1):
            t = convert_to_tensor(np.broadcast_to(np.reshape(t.numpy(), [] if size == 1 else dims), dims))
        elif size == n:
            return reshape(t, dims)
        elif size == 1:
            return broadcast_to(reshape(t, []), dims)
        else:
            raise TypeError(f"cannot build a constant of shape {dims} from {size} values")
    # In a graph (TF1, Graph.as_default, a tf.function's trace) the value is a Const node of the graph.
    return in_graph(t, name)


def zeros_like(input: Any, dtype: Any = None, name: Optional[str] = None) -> Tensor:
    attrs = {"value": 0.0, "dtype": None if dtype is None else as_dtype(dtype).name}
    return apply("fill_like", [input], attrs, op_name=name)


def ones_like(input: Any, dtype: Any = None, name: Optional[str] = None) -> Tensor:
    attrs = {"value": 1.0, "dtype": None if dtype is None else as_dtype(dtype).name}
    return apply("fill_like", [input], attrs, op_name=name)


def _is_sparse(x: Any) -> bool:
    from ..framework.sparse_tensor import SparseTensor

    return isinstance(x, SparseTensor)


def cast(x: Any, dtype: Any, name: Optional[str] = None) -> Tensor:
    target = as_dtype(dtype)
    if _is_sparse(x):  # a SparseTensor: its values cast, its indices kept
        return x.with_values(cast(x.values, target, name=name))
    if isinstance(x, RaggedTensor):  # a RaggedTensor: its flat values cast, its row partitions kept
        return x.with_flat_values(cast(x.flat_values, target, name=name))
    x = convert_to_tensor(x)
    if x.dtype == target:
        return x
    return apply("cast", [x], {"dtype": target.name}, op_name=name)


def reshape(tensor: Any, shape: Any, name: Optional[str] = None) -> Tensor:
    from . import reshape_dynamic

    if reshape_dynamic.is_dynamic(shape):  # known only when the graph runs
        return reshape_dynamic.reshape(tensor, shape, name=name)
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    if isinstance(shape, (int, np.integer)):
        shape = [int(shape)]
    dims = [-1 if d is None else int(d) for d in shape]
    return apply("reshape", [tensor], {"shape": dims}, op_name=name)


def transpose(
    a: Any,
    perm: Optional[Sequence[int]] = None,
    conjugate: bool = False,
    name: Optional[str] = None,
) -> Tensor:
    return apply("transpose", [a], {"perm": None if perm is None else [int(p) for p in perm]}, op_name=name)


def expand_dims(input: Any, axis: int, name: Optional[str] = None) -> Tensor:
    return apply("expand_dims", [input], {"axis": int(axis)}, op_name=name)


def squeeze(input: Any, axis: Any = None, name: Optional[str] = None) -> Tensor:
    return apply("squeeze", [input], {"axis": axis}, op_name=name)


def broadcast_to(input: Any, shape: Any, name: Optional[str] = None) -> Tensor:
    from . import _dynamic_fill

    if _dynamic_fill.is_dynamic(shape):  # sizes known when the graph runs (``keras.ops.shape`` of a batch)
        return _broadcast_dynamic(input, shape, _dynamic_fill)
    dims = _shape_list(shape)
    dtype = getattr(input, "dtype", None)
    _memory.check_allocation(dims, getattr(dtype, "as_numpy_dtype", np.uint8), "broadcast_to")
    return apply("broadcast_to", [input], {"shape": dims}, op_name=name)


def _broadcast_dynamic(input: Any, shape: Any, dynamic_fill: Any) -> Tensor:
    """``input`` broadcast against a run-time filled tensor of ``shape``: added to zeros (or-ed with False;
    strings picked by ``where`` from a tensor of empty strings)."""
    t = convert_to_tensor(input)
    if t.dtype.name == "string":
        empty = dynamic_fill.fill(shape, convert_to_tensor(""))
        return where(dynamic_fill.fill(shape, convert_to_tensor(True)), t, empty)
    zero = convert_to_tensor(np.zeros((), t.dtype.as_numpy_dtype))
    base = dynamic_fill.fill(shape, zero)
    return apply("logical_or" if t.dtype.name == "bool" else "add", [t, base])


def concat(values: Sequence[Any], axis: int, name: str = "concat") -> Tensor:
    if not isinstance(values, (list, tuple)) or len(values) == 0:
        raise ValueError("concat expects a non-empty list of tensors")
    if builtins.any(isinstance(v, RaggedTensor) for v in values):
        from .ragged_combine_ops import concat as ragged_concat

        return ragged_concat(list(values), int(axis))
    return apply("concat", list(values), {"axis": int(axis)})


def stack(values: Sequence[Any], axis: int = 0, name: str = "stack") -> Tensor:
    if not isinstance(values, (list, tuple)) or len(values) == 0:
        raise ValueError("stack expects a non-empty list of tensors")
    if builtins.any(isinstance(v, RaggedTensor) for v in values):
        from .ragged_combine_ops import stack as ragged_stack

        return ragged_stack(list(values), axis)
    # Python numbers next to tensors take the first tensor's dtype (``tf.stack([n_int64, 1, 1])``), as in TF
    tensor_dtype = next((v.dtype for v in values if isinstance(v, Tensor)), None)
    if tensor_dtype is None and builtins.all(isinstance(v, (int, float)) for v in values):
        tensor_dtype = convert_to_tensor(list(values)).dtype  # [1.0, 2] is float32, as one list
    values = [
        convert_to_tensor(v, dtype=tensor_dtype) if isinstance(v, (int, float)) else convert_to_tensor(v)
        for v in values
    ]
    shapes = {tuple(v.shape) for v in values}
    if len(shapes) > 1:
        raise ValueError(f"stack expects tensors of one shape, received shapes {sorted(shapes, key=str)}")
    rank = values[0].shape.rank or 0
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"stack axis {axis} is out of range for tensors of rank {rank}")
    return concat([expand_dims(v, axis) for v in values], axis)


def unstack(value: Any, num: Optional[int] = None, axis: int = 0, name: str = "unstack") -> list:
    value = convert_to_tensor(value)
    n = value.shape[axis] if num is None else num
    if n is None:
        raise ValueError(f"cannot unstack along axis {axis} of unknown size")
    return [gather(value, i, axis=axis) for i in builtins.range(n)]


def identity(input: Any, name: Optional[str] = None) -> Tensor:
    if _is_sparse(input):
        return input.with_values(identity(input.values, name=name))
    return apply("identity", [input], op_name=name)


def stop_gradient(input: Any, name: Optional[str] = None) -> Tensor:
    return apply("stop_gradient", [input], op_name=name)


def one_hot(
    indices: Any,
    depth: int,
    on_value: Any = None,
    off_value: Any = None,
    axis: Any = None,
    dtype: Any = None,
    name: Optional[str] = None,
) -> Tensor:
    if int(depth) < 0:
        raise ValueError(f"one_hot depth must be non-negative, received {depth}")
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        raise TypeError(f"one_hot expects int32 or int64 indices, received {indices.dtype.name}")
    if indices.dtype.name in ("uint8", "int8"):  # TensorFlow's OneHot takes these too (MNIST's uint8 labels)
        indices = cast(indices, "int32")
    if dtype is None:
        dtype = on_value.dtype if isinstance(on_value, Tensor) else float32
    attrs = {
        "depth": int(depth),
        "on_value": 1.0 if on_value is None else float(on_value),
        "off_value": 0.0 if off_value is None else float(off_value),
        "axis": -1 if axis is None else int(axis),
        "dtype": as_dtype(dtype).name,
    }
    return apply("one_hot", [indices], attrs, op_name=name)


def gather(
    params: Any,
    indices: Any,
    validate_indices: Any = None,
    axis: Any = None,
    batch_dims: int = 0,
    name: Optional[str] = None,
) -> Tensor:
    if isinstance(params, RaggedTensor) or isinstance(indices, RaggedTensor):
        from .ragged_gather_ops import gather as ragged_gather

        return ragged_gather(params, indices, axis, batch_dims)
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        raise TypeError(f"gather expects int32 or int64 indices, received {indices.dtype.name}")
    if batch_dims:
        from .gather_batched import batched_gather

        return batched_gather(convert_to_tensor(params), indices, batch_dims, axis)
    return apply("gather", [params, indices], {"axis": 0 if axis is None else int(axis)}, op_name=name)


def shape(input: Any, out_type: Any = "int32", name: Optional[str] = None) -> Tensor:
    return apply("shape", [input], {"out_type": as_dtype(out_type).name}, op_name=name)


def size(input: Any, out_type: Any = "int32", name: Optional[str] = None) -> Tensor:
    from .math_ops import reduce_prod

    return reduce_prod(shape(input, out_type=out_type))


def rank(input: Any, name: Optional[str] = None) -> Tensor:
    t = convert_to_tensor(input)
    if t.shape.rank is None:
        return shape(shape(t))[0]
    return convert_to_tensor(t.shape.rank, dtype="int32")


def group(*inputs: Any, name: Optional[str] = None) -> Any:
    """``tf.group``: one op that runs all of ``inputs`` (graph mode); a no-op eagerly."""
    from ..framework.graph import Operation

    flat = [i for x in inputs for i in (x if isinstance(x, (list, tuple)) else [x])]
    if context.current_graph() is None:
        return None
    flat = [x._tensor if isinstance(x, Operation) else x for x in flat]
    return apply("group", flat, op_name=name or "group_deps")
