"""Keras's autocast scope: while a mixed-precision layer runs, its float variables read as the compute dtype.

A layer whose compute dtype differs from its variable dtype (``mixed_float16``: float16 math on float32
weights) enters ``AutocastScope("float16")`` around its ``call``. Inside it, reading a variable made with
``add_weight(autocast=True)`` gives a float16 cast of it (recorded on tapes, so its gradient arrives back
in float32), and the variable's ``dtype`` reports float16, as Keras 3's variables do. Plain ``tf.Variable``
objects are never cast.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

from .dtypes import DType, as_dtype


class _Local(threading.local):
    def __init__(self) -> None:
        self.scope: Optional[AutocastScope] = None


_local = _Local()


class AutocastScope:
    """Casts autocast variables read inside it to ``dtype`` (a float dtype), or stops autocasting (None)."""

    def __init__(self, dtype: Any) -> None:
        if dtype is not None:
            dtype = as_dtype(dtype)
            if not dtype.is_floating:
                raise ValueError(
                    "`AutocastScope` can only be used with a floating-point target dtype, such as 'float16'. "
                    f"Received: dtype={dtype.name}"
                )
        self.dtype: Optional[DType] = dtype
        self._outer: Optional[AutocastScope] = None

    def __enter__(self) -> AutocastScope:
        self._outer = _local.scope
        _local.scope = self
        return self

    def __exit__(self, *exc: Any) -> None:
        _local.scope = self._outer


def get_autocast_scope() -> Optional[AutocastScope]:
    return _local.scope


def target_dtype(variable_dtype: DType) -> Optional[DType]:
    """The dtype an autocast variable of ``variable_dtype`` reads as now, or None when it reads as itself."""
    scope = _local.scope
    if scope is None or scope.dtype is None or not variable_dtype.is_floating or scope.dtype == variable_dtype:
        return None
    return scope.dtype
