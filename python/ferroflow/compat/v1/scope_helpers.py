"""Small TF1 helpers around scopes and conversions: ``no_regularizer``, ``op_scope``, ``variable_op_scope``
and ``register_tensor_conversion_function``."""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np


def no_regularizer(_: Any) -> None:
    """The regularizer that adds no loss (turns a scope's regularizer off for one variable)."""
    return None


def op_scope(values: Any, name: Optional[str], default_name: Optional[str] = None) -> Any:
    """TF1's old ``name_scope(name or default_name)`` taking the op inputs first."""
    from ... import name_scope

    return name_scope(name or default_name)


def variable_op_scope(
    values: Any,
    name_or_scope: Any,
    default_name: Optional[str] = None,
    initializer: Any = None,
    regularizer: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    custom_getter: Any = None,
    reuse: Any = None,
    dtype: Any = None,
    use_resource: Any = None,
    constraint: Any = None,
) -> Any:
    """TF1's old ``variable_scope`` taking the op inputs first."""
    from .variable_scope import variable_scope

    return variable_scope(
        name_or_scope,
        default_name=default_name,
        values=values,
        initializer=initializer,
        regularizer=regularizer,
        partitioner=partitioner,
        custom_getter=custom_getter,
        reuse=reuse,
        dtype=dtype,
    )


def register_tensor_conversion_function(base_type: Any, conversion_func: Callable, priority: int = 100) -> None:
    """Makes ``convert_to_tensor`` (and every op) accept instances of ``base_type``:
    ``conversion_func(value, dtype=None, name=None, as_ref=False)`` returns the tensor (or NotImplemented)."""
    from ...framework.ops import CONVERSION_FUNCTIONS

    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if any(not isinstance(t, type) for t in types):
        raise TypeError("base_type must be a type or a tuple of types.")
    if any(issubclass(t, (int, float, complex, np.generic, np.ndarray)) for t in types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy scalars and arrays.")
    if not callable(conversion_func):
        raise TypeError("conversion_func must be callable.")
    CONVERSION_FUNCTIONS.append((types, conversion_func, priority))
    CONVERSION_FUNCTIONS.sort(key=lambda entry: entry[2])
