"""Nested-structure checks shared by the control-flow ops (TensorFlow's ``nest.assert_same_structure``)."""

from __future__ import annotations

from typing import Any

from ..framework import nest


def _skeleton(x: Any, check_types: bool) -> Any:
    if isinstance(x, dict):
        return ("dict", tuple((k, _skeleton(x[k], check_types)) for k in sorted(x)))
    if isinstance(x, (list, tuple)):
        kind = type(x).__name__ if check_types else "sequence"
        return (kind, tuple(_skeleton(v, check_types) for v in x))
    return "."


def assert_same_structure(first: Any, second: Any, check_types: bool = False, what: str = "") -> None:
    """ValueError unless ``first`` and ``second`` nest the same way (lists and tuples alike unless
    ``check_types``; dicts must have the same keys)."""
    if _skeleton(first, check_types) != _skeleton(second, check_types):
        raise ValueError(
            f"The two structures don't have the same nested structure{' (' + what + ')' if what else ''}.\n\n"
            f"First structure: type={type(first).__name__} str={_short(first)}\n\n"
            f"Second structure: type={type(second).__name__} str={_short(second)}"
        )


def _short(x: Any) -> str:
    text = repr(nest.map_structure(_describe, x)) if nest.is_nested(x) else _describe(x)
    return text if len(text) < 400 else text[:400] + "..."


def _describe(v: Any) -> str:
    shape, dtype = getattr(v, "shape", None), getattr(v, "dtype", None)
    if shape is not None and dtype is not None:
        return f"Tensor(shape={shape}, dtype={getattr(dtype, 'name', dtype)})"
    return repr(v)
