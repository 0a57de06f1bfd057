"""Shared pieces of the categorical and text preprocessing layers.

These layers compute in NumPy on eager tensors (dictionary lookups, Python string handling). In a graph they use
ferroflow ops where an op composition exists (``graph_fn``); otherwise the NumPy code runs through
``tf.numpy_function``: eagerly per element inside a ``tf.data`` function, and as a host-call node in traced
functions and the trainer's compiled steps (the graph around it stays compiled).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np

from ..framework import context, nest
from ..framework.ops import convert_to_tensor
from ..framework.ragged_tensor import RaggedTensor
from ..framework.tensor import EagerTensor, Tensor
from ..ops import array_ops, math_ops
from ._util import is_keras_tensor


def validate_string_arg(
    value: Any, allowed: Sequence[str], caller: str, arg: str, allow_none: bool = False, allow_callables: bool = False
) -> None:
    """Keras's check of a string option, with its message."""
    if allow_none and value is None:
        return
    if allow_callables and callable(value):
        return
    if isinstance(value, str) and value in allowed:
        return
    raise ValueError(
        f"Unknown value for `{arg}` argument of {caller}. Allowed values are: {tuple(allowed)}. Received: {arg}={value}"
    )


def to_numpy(x: Any) -> np.ndarray:
    """The value of an eager tensor, array or Python value; strings as an object array of bytes."""
    if isinstance(x, (EagerTensor, Tensor)):
        x = x.numpy()
    arr = np.asarray(x)
    if arr.dtype.kind in "US":
        arr = np.array([v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in arr.reshape(-1)], dtype=object)
        return arr.reshape(np.shape(x))
    if arr.dtype.kind == "O":
        flat = [v.encode("utf-8") if isinstance(v, str) else v for v in arr.reshape(-1)]
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(arr.shape)
    return arr


def is_symbolic(x: Any) -> bool:
    """Whether ``x`` is a graph tensor (no value until the graph runs)."""
    return isinstance(x, Tensor) and not isinstance(x, EagerTensor) and context.current_graph() is not None


def run(x: Any, numpy_fn: Callable, graph_fn: Optional[Callable], dtype: str, shape: Any, what: str) -> Any:
    """``numpy_fn`` on eager values; ``graph_fn`` (or ``tf.numpy_function`` in a ``tf.data`` function) in graphs."""
    if isinstance(x, RaggedTensor):
        return x.with_flat_values(run(x.flat_values, numpy_fn, graph_fn, dtype, None, what))
    if not is_symbolic(x):
        return convert_to_tensor(numpy_fn(to_numpy(x)), dtype=dtype)
    if graph_fn is not None:
        return graph_fn(x)
    return in_python(numpy_fn, x, dtype, shape, what)


def python_calls_allowed() -> bool:
    """Whether the current graph can call Python (a ``tf.data`` function being traced)."""
    return getattr(context.current_graph(), "python_call_stand_in", None) is not None


def in_python(numpy_fn: Callable, x: Any, dtype: str, shape: Any, what: str) -> Any:
    """``numpy_fn`` through ``tf.numpy_function``: in a ``tf.data`` function it runs per element; in a traced
    function or a compiled model step, a host-call node runs it on each batch (the rest of the graph stays
    compiled); in a TF1 graph the session calls it between two stages of the run."""
    from ..ops.py_function_ops import numpy_function

    out = numpy_function(lambda v: numpy_fn(to_numpy(v)), [x], dtype, stateful=False, name=what)
    if shape is not None:
        out.set_shape(shape)
    return out


def symbolic(layer: Any, args: tuple, kwargs: dict) -> Any:
    """A layer called on KerasTensors: the output KerasTensor from ``compute_output_shape`` and the layer's
    output dtype (no trace: the layers' Python lookups have no graph form), recorded as a Node."""
    from .keras_tensor import KerasTensor, Node

    x = args[0] if args else kwargs["inputs"]
    # a layer's KerasTensors may declare another dtype than it computes, as Keras's compute_output_spec does
    dtype = getattr(layer, "_keras_tensor_dtype", None) or layer._output_dtype()
    out = KerasTensor(layer.compute_output_shape(tuple(x.shape)), dtype)
    layer.built = True
    layer._last_output_shape = tuple(out.shape)
    Node(layer, args, kwargs, out)
    return out


def has_keras_tensor(args: tuple, kwargs: dict) -> bool:
    return any(is_keras_tensor(v) for v in nest.flatten((args, kwargs)))


def adapt_batches(data: Any, steps: Optional[int], whole: Callable) -> Iterator:
    """The batches ``adapt`` reads, as Keras does: a Dataset or an iterable batch by batch (``steps`` of them),
    anything else (list, array, tensor) as one batch passed through ``whole``."""
    if hasattr(data, "as_numpy_iterator") and hasattr(data, "take"):
        if steps is not None:
            data = data.take(steps)
        yield from data
        return
    if hasattr(data, "__iter__") and not isinstance(data, (list, tuple, np.ndarray, Tensor, str, bytes)):
        for i, batch in enumerate(data):
            if steps is not None and i >= steps:
                break
            yield batch
        return
    yield whole(data)


def encode_numpy(idx: np.ndarray, mode: str, depth: int, dtype: Any, count_weights: Any = None) -> np.ndarray:
    """Keras's ``encode_categorical_inputs`` (TensorFlow backend) in NumPy.

    ``one_hot`` encodes each value (a trailing axis of 1 is dropped); ``multi_hot``/``count`` reduce rank-1
    inputs to one vector and rank-2 inputs row by row (values >= depth are dropped, negative ones rejected as
    TensorFlow's bincount does); rank 3 and more reduce one-hot codes along axis 1, as Keras's fallback does.
    """
    idx = np.asarray(idx)
    if mode == "int":
        return idx.astype(dtype)
    if idx.ndim == 0:
        idx = idx.reshape(1)
    if idx.dtype.kind == "f":
        idx = idx.astype(np.int64)
    weights = None if count_weights is None else np.asarray(count_weights)
    out_dtype = weights.dtype if weights is not None else np.dtype(dtype)
    if mode == "one_hot":
        if idx.ndim > 1 and idx.shape[-1] == 1:
            idx = idx[..., 0]
        return (idx[..., None] == np.arange(depth)).astype(out_dtype)
    if idx.ndim > 2:
        codes = (idx[..., None] == np.arange(depth)).astype(out_dtype)
        if weights is not None:
            codes = codes * weights[..., None]
        return codes.max(axis=1) if mode == "multi_hot" else codes.sum(axis=1)
    if idx.size and idx.min() < 0:
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(f"Input arr must be non-negative! Received the values {idx[idx < 0].tolist()}")
    rows = idx.reshape(1, -1) if idx.ndim == 1 else idx
    out = np.zeros((rows.shape[0], depth), out_dtype)
    keep = rows < depth
    row_ids = np.broadcast_to(np.arange(rows.shape[0])[:, None], rows.shape)
    if mode == "multi_hot":
        out[row_ids[keep], rows[keep]] = 1
    else:
        w = np.ones(rows.shape, out_dtype) if weights is None else weights.reshape(rows.shape).astype(out_dtype)
        np.add.at(out, (row_ids[keep], rows[keep]), w[keep])
    return out[0] if idx.ndim == 1 else out


def encode_graph(x: Any, mode: str, depth: int, dtype: Any, count_weights: Any = None) -> Any:
    """``encode_numpy`` with ferroflow ops (for graphs): out-of-range and negative values give zeros."""
    x = convert_to_tensor(x)
    if mode == "int":
        return array_ops.cast(x, dtype)
    if len(x.shape) == 0:
        x = array_ops.reshape(x, [1])
    if not x.dtype.is_integer:
        x = array_ops.cast(x, "int64")
    out_dtype = dtype if count_weights is None else convert_to_tensor(count_weights).dtype
    if mode == "one_hot":
        if len(x.shape) > 1 and x.shape[-1] == 1:
            x = array_ops.squeeze(x, -1)
        return array_ops.one_hot(x, depth, dtype=out_dtype)
    codes = array_ops.one_hot(x, depth, dtype=out_dtype)
    if count_weights is not None:
        codes = math_ops.multiply(codes, array_ops.expand_dims(convert_to_tensor(count_weights), -1))
    axis = 0 if len(x.shape) == 1 else 1
    return math_ops.reduce_max(codes, axis) if mode == "multi_hot" else math_ops.reduce_sum(codes, axis)


def encoded_shape(input_shape: tuple, mode: str, depth: Any) -> tuple:
    """The output shape ``encode_numpy`` gives for ``input_shape`` (Keras's ``compute_output_shape``)."""
    shape = tuple(input_shape)
    if mode == "int":
        return shape
    if not shape:
        return (depth,)
    if mode == "one_hot":
        return (shape[:-1] if len(shape) > 1 and shape[-1] == 1 else shape) + (depth,)
    return shape[:-1] + (depth,)
