"""Python's ``&``, ``|``, ``^`` and ``~`` on tensors: logical ops on bool tensors, bitwise ops on integer ones.

As TensorFlow's operators, the first operand's dtype decides (the other is converted to it): bool gives
``logical_and``/``logical_or``/``logical_xor``/``logical_not``, anything else ``tf.bitwise``'s op, which
rejects non-integer dtypes with TensorFlow's InvalidArgumentError. In a graph the nodes are named as
TensorFlow names them: ``and``, ``or``, ``xor`` for bools, ``and/BitwiseAnd``, ``xor/BitwiseXor`` and
``Invert`` for integers.
"""

from __future__ import annotations

from typing import Any

from ..framework import context
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor import Tensor
from . import bitwise_ops

_BITWISE = {"and": bitwise_ops.bitwise_and, "or": bitwise_ops.bitwise_or, "xor": bitwise_ops.bitwise_xor}


def binary(kind: str, x: Any, y: Any) -> Tensor:
    """``x & y`` (``kind`` "and"), ``x | y`` ("or") or ``x ^ y`` ("xor") of two converted operands."""
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if not x.dtype.is_bool:
        if context.current_graph() is None:
            return _BITWISE[kind](x, y)
        with context.name_scope(kind):
            return _BITWISE[kind](x, y)
    if kind != "xor":
        return apply(f"logical_{kind}", [x, y], op_name=kind)
    # TensorFlow's logical_xor: (x or y) and not (x and y), its inner nodes under the scope "xor".
    if context.current_graph() is None:
        return apply("logical_and", [apply("logical_or", [x, y]), apply("logical_not", [apply("logical_and", [x, y])])])
    with context.name_scope("xor") as scope:
        either = apply("logical_or", [x, y])
        not_both = apply("logical_not", [apply("logical_and", [x, y])])
    return apply("logical_and", [either, not_both], op_name=scope.rstrip("/").rsplit("/", 1)[-1])


def invert(x: Any) -> Tensor:
    """``~x``: ``logical_not`` of a bool tensor, ``tf.bitwise.invert`` of an integer one."""
    x = convert_to_tensor(x)
    if x.dtype.is_bool:
        return apply("logical_not", [x])
    return bitwise_ops.invert(x)
