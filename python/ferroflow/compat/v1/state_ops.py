"""TF1's variable updates as functions: ``tf.compat.v1.assign``, ``assign_add``, ``assign_sub``.

In a graph each returns the tensor of the variable's new value, which ``Session.run`` fetches after the
update (as TF1's ``ref`` ops do); eagerly each updates at once and returns the variable.
"""

from __future__ import annotations

from typing import Any, Optional

from ...framework.variables import Variable


def _variable(ref: Any, what: str) -> Variable:
    if not isinstance(ref, Variable):
        raise AttributeError(
            f"tf.compat.v1.{what} needs a tf.Variable to update as `ref`, received {type(ref).__name__}: {ref!r}"
        )
    return ref


def assign(
    ref: Any,
    value: Any,
    validate_shape: Optional[bool] = None,
    use_locking: Optional[bool] = None,
    name: Optional[str] = None,
) -> Any:
    """Sets ``ref`` to ``value``; with ``validate_shape`` (the default) the shapes must be compatible."""
    var = _variable(ref, "assign")
    if validate_shape is not False:
        from ...framework.ops import convert_to_tensor

        shape = getattr(value, "shape", None)
        if shape is None:
            shape = convert_to_tensor(value, dtype=var.dtype).shape
        if not var.shape.is_compatible_with(shape):
            raise ValueError(
                f"Shapes {var.shape} and {shape} are incompatible: cannot assign a value of shape {shape} to the "
                f"variable '{var.name}' of shape {var.shape}"
            )
    return var.assign(value, name=name)


def assign_add(ref: Any, value: Any, use_locking: Optional[bool] = None, name: Optional[str] = None) -> Any:
    """Adds ``value`` to ``ref``."""
    return _variable(ref, "assign_add").assign_add(value, name=name)


def assign_sub(ref: Any, value: Any, use_locking: Optional[bool] = None, name: Optional[str] = None) -> Any:
    """Subtracts ``value`` from ``ref``."""
    return _variable(ref, "assign_sub").assign_sub(value, name=name)


from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("Variable",))


def count_up_to(ref: Any, limit: int, name: Optional[str] = None) -> Any:
    """Returns ``ref``'s value and increments it by one; once the value has reached ``limit``, raises
    ``OutOfRangeError`` ("Reached limit of ...") instead (in a graph: when a run reaches the op), as TF1's input
    producers use it to stop after a number of epochs."""
    import numpy as np

    from ...errors import OutOfRangeError
    from ...framework import context

    var = _variable(ref, "count_up_to")
    if not var.dtype.is_integer:
        raise TypeError(f"count_up_to needs an int32 or int64 variable, received {var.dtype.name}")
    if context.current_graph() is None:
        old = var.value()
        if int(old.numpy()) >= limit:
            raise OutOfRangeError(f"Reached limit of {limit}")
        var.assign_add(np.asarray(1, var.dtype.as_numpy_dtype))
        return old
    from ... import control_dependencies
    from ...ops.array_ops import identity
    from .py_func_graph import py_func

    def check(value: Any) -> Any:
        if int(value) >= limit:
            raise OutOfRangeError(f"Reached limit of {limit}")
        return value

    # A Python call (not a host call) so that OutOfRangeError reaches Session.run as it is.
    old = py_func(check, [var.value()], var.dtype, name=name or "CountUpTo")
    old.set_shape([])
    with control_dependencies([old]):
        increment = var.assign_add(np.asarray(1, var.dtype.as_numpy_dtype))
    with control_dependencies([increment]):
        return identity(old)
