"""Shared pieces of the NumPy-named array ``keras.ops`` modules: dtype resolution and operand casting."""

from __future__ import annotations

import types
from typing import Any, Sequence

import numpy as np

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops as _array
from ._dtype_promotion import result_type

__all__: list = []


def tf_module() -> Any:
    import ferroflow

    return ferroflow


def _operand(value: Any) -> Any:
    """A dtype name as an operand ``result_type`` reads (strong); Python scalars and ``float`` stay weak."""
    if isinstance(value, str):
        return types.SimpleNamespace(dtype=value)
    return value


def _numpy_result(operands: Sequence[Any]) -> str:
    """NumPy's promotion (Python scalars weak), which ``select`` follows on Keras's TensorFlow backend."""
    names = [v for v in operands if isinstance(v, str)]
    has_bf16, has_f16 = "bfloat16" in names, "float16" in names
    args = []
    for v in operands:
        if isinstance(v, str):
            args.append(np.dtype("float16" if v == "bfloat16" else v))
        elif isinstance(v, (bool, int, float, complex)):
            args.append(v)
        else:
            args.append(np.asarray(v).dtype)
    out = np.result_type(*args).name
    if out == "float16" and has_bf16:
        return "float32" if has_f16 else "bfloat16"
    return out


def result_dtype(*operands: Any, numpy_rules: bool = False) -> str:
    """Keras's result dtype for operands given as dtype names, Python scalars, ``float`` or tensors."""
    if numpy_rules:
        return _numpy_result(operands)
    return result_type(*[_operand(v) for v in operands])


def cast_common(*xs: Any) -> list:
    """The operands as tensors (Python scalars as int32/float32, as Keras's TensorFlow backend converts them),
    cast to their common Keras dtype."""
    ts = [convert_to_tensor(x) for x in xs]
    if len({t.dtype.name for t in ts}) <= 1:
        return ts
    dtype = result_dtype(*[t.dtype.name for t in ts])
    return [_array.cast(t, dtype) for t in ts]


def moveaxis(x: Tensor, source: Sequence[int], destination: Sequence[int]) -> Tensor:
    """``x`` with the ``source`` axes moved to ``destination`` (the others keep their order)."""
    rank = len(x.shape)
    source = [s % rank for s in source]
    destination = [d % rank for d in destination]
    rest = [i for i in range(rank) if i not in source]
    perm = [None] * rank
    for s, d in zip(source, destination):
        perm[d] = s
    it = iter(rest)
    perm = [next(it) if p is None else p for p in perm]
    if perm == list(range(rank)):
        return x
    return _array.transpose(x, perm)


def floatx() -> str:
    from .backend import floatx as _floatx

    return _floatx()


def broadcast_all(*ts: Tensor) -> list:
    """The tensors broadcast to their common shape (computed when the graph runs where a size is unknown)."""
    tf = tf_module()
    shape = ts[0].shape
    for t in ts[1:]:
        shape = tf.broadcast_static_shape(shape, t.shape)
    if shape.is_fully_defined():
        target = list(shape)
    else:
        # An all-True mask broadcast from every operand carries the common shape.
        mask = _array.ones_like(ts[0], dtype="bool")
        for t in ts[1:]:
            mask = tf.logical_and(mask, _array.ones_like(t, dtype="bool"))
        target = tf.shape(mask)
    return [t if t.shape == shape and shape.is_fully_defined() else _array.broadcast_to(t, target) for t in ts]
