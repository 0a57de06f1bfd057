"""``tf.bitwise``: AND, OR, XOR, NOT and shifts of integer tensors, each one core op (``BitwiseAnd`` ...).

The core's kernels compute them for every integer dtype with broadcasting; shifts clamp the amount to
``[0, bits - 1]`` as TensorFlow's kernels do (a left shift wraps, a right shift of a signed integer copies
the sign bit). This module checks dtypes first so that errors carry TensorFlow's op-definition messages.
Like TensorFlow's, these ops have no gradient (their operands are integers).
"""

from __future__ import annotations

from typing import Any, Optional

from ..errors import InvalidArgumentError
from ..framework.ops import apply, binary_operands, convert_to_tensor
from ..framework.tensor import Tensor

_ALLOWED = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


# TensorFlow's names of dtypes in op-definition errors (DataTypeString), where they differ from ``dtype.name``.
_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _check(x: Tensor, op: str) -> None:
    if x.dtype.name not in _ALLOWED:
        allowed = ", ".join(f"DT_{a.upper()}" for a in _ALLOWED)
        signature = "x:T -> y:T" if op == "Invert" else "x:T, y:T -> z:T"
        commutative = "; is_commutative=true" if op.startswith("Bitwise") else ""
        raise InvalidArgumentError(
            f"Value for attr 'T' of {_TF_TYPE_NAMES.get(x.dtype.name, x.dtype.name)} is not in the list of "
            f"allowed values: {', '.join(_ALLOWED)}\n\t; NodeDef: {{{{node {op}}}}}; Op<name={op}; "
            f"signature={signature}; attr=T:type,allowed=[{allowed}]{commutative}> [Op:{op}] name: "
        )


def _operands(x: Any, y: Any, op: str) -> tuple:
    x, y = binary_operands(x, y)
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    _check(x, op)
    if y.dtype != x.dtype:
        raise InvalidArgumentError(
            f"cannot compute {op} as input #1(zero-based) was expected to be a {x.dtype.name} tensor "
            f"but is a {y.dtype.name} tensor [Op:{op}] name: "
        )
    return x, y


def _binary(op: str, kind: str, x: Any, y: Any, name: Optional[str]) -> Tensor:
    x, y = _operands(x, y, op)
    return apply(kind, [x, y], op_name=name or op)


def bitwise_and(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x & y`` (same integer dtype, broadcast)."""
    return _binary("BitwiseAnd", "bitwise_and", x, y, name)


def bitwise_or(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x | y`` (same integer dtype, broadcast)."""
    return _binary("BitwiseOr", "bitwise_or", x, y, name)


def bitwise_xor(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x ^ y`` (same integer dtype, broadcast)."""
    return _binary("BitwiseXor", "bitwise_xor", x, y, name)


def invert(x: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``~x``: every bit flipped (``-x - 1`` for signed integers)."""
    x = convert_to_tensor(x)
    _check(x, "Invert")
    return apply("invert", [x], op_name=name or "Invert")


def left_shift(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x << y``; bits shifted out are lost, ``y`` is clamped to ``[0, bits - 1]``."""
    return _binary("LeftShift", "left_shift", x, y, name)


def right_shift(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x >> y``: arithmetic (sign-filling) for signed integers, ``y`` clamped to ``[0, bits - 1]``."""
    return _binary("RightShift", "right_shift", x, y, name)
