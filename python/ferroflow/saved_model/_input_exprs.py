"""``--input_exprs`` of the SavedModel CLI: NumPy expressions read through ``ast``, never ``eval``.

Accepted: numbers, strings, booleans, None, lists and tuples of them, unary minus, ``+ - * /`` between
values, NumPy dtypes (``np.float32``) and calls of a fixed set of NumPy constructors with such arguments
(``np.ones((2, 3), dtype=np.float32)``, ``np.random.rand(1, 4)``). Anything else (names, other attributes,
subscripts, lambdas, comprehensions ...) is refused, and so is an array of more than ``MAX_ELEMENTS`` values.
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Any

import numpy as np

MAX_ELEMENTS = 1 << 26

_FUNCTIONS = {
    "array": np.array,
    "asarray": np.asarray,
    "ones": np.ones,
    "zeros": np.zeros,
    "full": np.full,
    "eye": np.eye,
    "identity": np.identity,
    "arange": np.arange,
    "linspace": np.linspace,
    "ones_like": np.ones_like,
    "zeros_like": np.zeros_like,
    "full_like": np.full_like,
    "random.rand": np.random.rand,
    "random.randn": np.random.randn,
    "random.uniform": np.random.uniform,
    "random.normal": np.random.normal,
    "random.randint": np.random.randint,
}
_DTYPES = {
    name: getattr(np, name)
    for name in (
        "float16 float32 float64 half single double int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool_"
    ).split()
}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class UnsafeExpression(ValueError):
    """An ``--input_exprs`` expression outside the accepted subset."""


def _dotted(node: ast.AST) -> str:
    """``np.random.rand`` -> ``random.rand`` (the part after ``np``/``numpy``); raises for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in ("np", "numpy") or not parts:
        raise UnsafeExpression("only NumPy constructors and dtypes (np.ones, np.float32 ...) may be named")
    return ".".join(reversed(parts))


def _count(value: Any) -> int:
    if isinstance(value, (list, tuple)):
        return math.prod(_count(v) for v in value) if value and all(isinstance(v, int) for v in value) else 1
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def _elements(name: str, args: list, kwargs: dict) -> float:
    """How many values the call would make, before making them."""
    if name in ("ones", "zeros", "full"):
        return _count(args[0] if args else kwargs.get("shape", 1))
    if name in ("random.rand", "random.randn"):
        return math.prod(_count(a) for a in args)
    if name in ("random.uniform", "random.normal", "random.randint"):
        return _count(args[2] if len(args) > 2 else kwargs.get("size", 1))
    if name in ("eye", "identity"):
        n = _count(args[0] if args else kwargs.get("N", 1))
        return n * _count(args[1] if len(args) > 1 and args[1] is not None else kwargs.get("M") or n)
    if name == "linspace":
        return _count(args[2] if len(args) > 2 else kwargs.get("num", 50))
    if name == "arange":
        nums = [a for a in args if isinstance(a, (int, float))]
        start, stop, step = (0, nums[0], 1) if len(nums) == 1 else (nums + [1])[:3] if nums else (0, 0, 1)
        return abs((stop - start) / step) if step else math.inf
    return 1


def _value(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, (bool, int, float, str))):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_value(e) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _value(node.operand)
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        # Numbers and arrays only: "[0] * 10**9" or "'a' * n" would build huge Python objects.
        if not all(isinstance(v, (int, float, np.ndarray, np.generic)) for v in (left, right)):
            raise UnsafeExpression("+ - * / apply to numbers and arrays only")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Attribute):
        name = _dotted(node)
        if name not in _DTYPES:
            raise UnsafeExpression(f"np.{name} is not one of the accepted dtypes ({', '.join(sorted(_DTYPES))})")
        return _DTYPES[name]
    if isinstance(node, ast.Call):
        name = _dotted(node.func)
        if name not in _FUNCTIONS:
            raise UnsafeExpression(f"np.{name} is not one of the accepted functions ({', '.join(sorted(_FUNCTIONS))})")
        if any(k.arg is None for k in node.keywords):
            raise UnsafeExpression("** arguments are not accepted")
        args = [_value(a) for a in node.args]
        kwargs = {k.arg: _value(k.value) for k in node.keywords}
        if _elements(name, args, kwargs) > MAX_ELEMENTS:
            raise UnsafeExpression(f"np.{name}(...) would make more than {MAX_ELEMENTS} values")
        return _FUNCTIONS[name](*args, **kwargs)
    raise UnsafeExpression(f"'{ast.unparse(node)}' is not accepted ({type(node).__name__})")


def evaluate(expr: str) -> np.ndarray:
    """The array an ``--input_exprs`` expression describes; UnsafeExpression (a ValueError) otherwise."""
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as e:
        raise UnsafeExpression(f"cannot parse {expr!r}: {e.msg}") from None
    try:
        value = _value(tree.body)
    except UnsafeExpression as e:
        raise UnsafeExpression(f"in {expr!r}: {e}") from None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError) as e:
        raise UnsafeExpression(f"cannot evaluate {expr!r}: {e}") from None
    array = np.asarray(value)
    if array.size > MAX_ELEMENTS or array.dtype.hasobject:
        raise UnsafeExpression(f"{expr!r} does not give a numeric array of at most {MAX_ELEMENTS} values")
    return array
