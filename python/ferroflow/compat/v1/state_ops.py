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
