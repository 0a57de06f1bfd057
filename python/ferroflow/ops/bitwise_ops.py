"""``tf.bitwise``: AND, OR, XOR, NOT and shifts of integer tensors, exact for every integer dtype.

The core has no bitwise kernels, so they are composed from integer ops, which wrap as C++'s do. AND, OR
and XOR split both operands into bytes (``x // 256**k % 256`` of the unsigned view) and look each byte
pair up in a 256x256 table: eight planes for 64-bit integers instead of 64 bit planes. NOT is
``all_ones - x``; shifts multiply or floor-divide by a power of two, with the shift amount clamped to
``[0, bits - 1]`` as TensorFlow's kernels clamp it. Everything works eagerly and inside ``tf.function``;
like TensorFlow's, these ops have no gradient (their operands are integers).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from ..errors import InvalidArgumentError
from ..framework import context
from ..framework.ops import binary_operands, convert_to_tensor
from ..framework.tensor import Tensor
from .array_ops import cast, expand_dims, gather, identity
from .math_ops import add, floordiv, floormod, maximum, minimum, multiply, reduce_sum, subtract

_ALLOWED = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
_TABLES: dict = {}


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


def _named(build: Callable[[], Tensor], name: Optional[str], default: str) -> Tensor:
    """Runs ``build``; in a graph its nodes go under the scope ``name`` (or the op's TensorFlow name) and the
    result is the node of that name (``BitwiseAnd:0``, ``and/BitwiseAnd:0``), as TensorFlow's one node is."""
    if context.current_graph() is None:
        return build()
    with context.name_scope(name or default) as scope:
        out = build()
    return identity(out, name=scope.rstrip("/").rsplit("/", 1)[-1])


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


def _unsigned(dtype: Any) -> str:
    return "uint" + str(dtype.size * 8)


def _table(kind: str) -> np.ndarray:
    """The 65536 results of ``kind`` on byte pairs, indexed by ``256 * a + b``."""
    if kind not in _TABLES:
        a, b = np.divmod(np.arange(65536, dtype=np.int32), 256)
        fn: Callable = {"and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor}[kind]
        _TABLES[kind] = fn(a, b).astype(np.uint8)
    return _TABLES[kind]


def _bytewise(x: Any, y: Any, kind: str, op: str) -> Tensor:
    x, y = _operands(x, y, op)
    dtype, nbytes = x.dtype, x.dtype.size
    udt = _unsigned(dtype)
    table = convert_to_tensor(_table(kind))
    if nbytes == 1:
        index = add(multiply(cast(cast(x, udt), "int32"), 256), cast(cast(y, udt), "int32"))
        return cast(gather(table, index), dtype)
    # One trailing axis of ``nbytes`` byte planes, least significant first.
    scales = convert_to_tensor(np.array([256**k for k in range(nbytes)], dtype=udt))
    radix = convert_to_tensor(np.array(256, dtype=udt))

    def planes(t: Tensor) -> Tensor:
        return cast(floormod(floordiv(expand_dims(cast(t, udt), -1), scales), radix), "int32")

    index = add(multiply(planes(x), 256), planes(y))
    bytes_out = cast(gather(table, index), udt)
    return cast(reduce_sum(multiply(bytes_out, scales), -1), dtype)


def bitwise_and(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x & y`` (same integer dtype, broadcast)."""
    return _named(lambda: _bytewise(x, y, "and", "BitwiseAnd"), name, "BitwiseAnd")


def bitwise_or(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x | y`` (same integer dtype, broadcast)."""
    return _named(lambda: _bytewise(x, y, "or", "BitwiseOr"), name, "BitwiseOr")


def bitwise_xor(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x ^ y`` (same integer dtype, broadcast)."""
    return _named(lambda: _bytewise(x, y, "xor", "BitwiseXor"), name, "BitwiseXor")


def invert(x: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``~x``: every bit flipped (``-x - 1`` for signed integers)."""
    x = convert_to_tensor(x)
    _check(x, "Invert")
    ones = np.array(-1, dtype=x.dtype.name) if x.dtype.name.startswith("int") else np.iinfo(x.dtype.name).max
    return _named(lambda: subtract(convert_to_tensor(np.array(ones, dtype=x.dtype.name)), x), name, "Invert")


def _shift_amount(x: Tensor, y: Tensor) -> Tensor:
    bits = x.dtype.size * 8
    low = convert_to_tensor(np.array(0, dtype=y.dtype.name))
    high = convert_to_tensor(np.array(bits - 1, dtype=y.dtype.name))
    return cast(minimum(maximum(y, low), high), "int32")


def _powers(dtype: str, count: int) -> Tensor:
    return convert_to_tensor(np.array([1 << k for k in range(count)], dtype=np.uint64).astype(dtype))


def left_shift(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x << y``; bits shifted out are lost, ``y`` is clamped to ``[0, bits - 1]``."""
    return _named(lambda: _left_shift(x, y), name, "LeftShift")


def _left_shift(x: Any, y: Any) -> Tensor:
    x, y = _operands(x, y, "LeftShift")
    bits, udt = x.dtype.size * 8, _unsigned(x.dtype)
    power = gather(_powers(udt, bits), _shift_amount(x, y))
    return cast(multiply(cast(x, udt), power), x.dtype)


def right_shift(x: Any, y: Any, name: Optional[str] = None) -> Tensor:
    """Elementwise ``x >> y``: arithmetic (sign-filling) for signed integers, ``y`` clamped to ``[0, bits - 1]``."""
    return _named(lambda: _right_shift(x, y), name, "RightShift")


def _right_shift(x: Any, y: Any) -> Tensor:
    x, y = _operands(x, y, "RightShift")
    bits = x.dtype.size * 8
    amount = _shift_amount(x, y)
    if x.dtype.name.startswith("uint"):
        return floordiv(x, gather(_powers(x.dtype.name, bits), amount))
    # Floor division is the arithmetic shift; 2**(bits-1) does not fit the signed dtype, so the shift is
    # done in two halves, each at most 2**(bits/2).
    powers = _powers(x.dtype.name, bits // 2 + 1)
    first = floordiv(amount, 2)
    return floordiv(floordiv(x, gather(powers, first)), gather(powers, subtract(amount, first)))
