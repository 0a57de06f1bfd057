"""``keras.constraints``: projections applied to a weight after each optimizer update, and lookup by name.

The norm constraints divide by ``epsilon + norm`` with Keras's ``backend.epsilon()`` (1e-7 by default).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from .framework.ops import convert_to_tensor
from .framework.tensor import Tensor
from .ops import array_ops, math_ops
from .saving.object_table import ObjectTable

Axis = Union[int, Sequence[int]]


def _epsilon() -> float:
    from .keras.backend import epsilon

    return epsilon()


def _norms(w: Tensor, axis: Axis) -> Tensor:
    return math_ops.sqrt(math_ops.reduce_sum(math_ops.square(w), axis=axis, keepdims=True))


def _rescale(w: Tensor, desired: Tensor, norms: Tensor) -> Tensor:
    return math_ops.multiply(w, math_ops.divide(desired, math_ops.add(norms, _epsilon())))


def _config_axis(axis: Axis) -> Any:
    return list(axis) if isinstance(axis, tuple) else axis


class Constraint:
    """Base class: ``constraint(w)`` returns the projected weight (the identity here)."""

    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Constraint:
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales slices along ``axis`` whose L2 norm exceeds ``max_value``."""

    def __init__(self, max_value: float = 2, axis: Axis = 0) -> None:
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = math_ops.clip_by_value(norms, 0.0, float(self.max_value))
        return _rescale(w, desired, norms)

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": _config_axis(self.axis)}


class NonNeg(Constraint):
    """Zeroes the negative entries."""

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        return math_ops.multiply(w, array_ops.cast(math_ops.greater_equal(w, 0.0), w.dtype))


class UnitNorm(Constraint):
    """Scales slices along ``axis`` to unit L2 norm."""

    def __init__(self, axis: Axis = 0) -> None:
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        return math_ops.divide(w, math_ops.add(_norms(w, self.axis), _epsilon()))

    def get_config(self) -> dict:
        return {"axis": _config_axis(self.axis)}


class MinMaxNorm(Constraint):
    """Moves slice norms into ``[min_value, max_value]``, a fraction ``rate`` of the way per call."""

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Axis = 0) -> None:
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = math_ops.clip_by_value(norms, float(self.min_value), float(self.max_value))
        desired = math_ops.add(math_ops.multiply(clipped, float(self.rate)), math_ops.multiply(norms, 1.0 - self.rate))
        return _rescale(w, desired, norms)

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": _config_axis(self.axis),
        }


# Keras exports the classes under snake_case names too: ``keras.constraints.max_norm is MaxNorm``.
max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

ALL_OBJECTS_DICT = {cls.__name__: cls for cls in (Constraint, MaxNorm, NonNeg, UnitNorm, MinMaxNorm)}
ALL_OBJECTS_DICT.update(
    constraint=Constraint, max_norm=MaxNorm, non_neg=NonNeg, unit_norm=UnitNorm, min_max_norm=MinMaxNorm
)


_TABLE = ObjectTable("constraint", "Constraint", "keras.constraints", ALL_OBJECTS_DICT)


def serialize(constraint: Any) -> Any:
    """Keras's config dict: ``{"module", "class_name", "config", "registered_name"}``."""
    return _TABLE.serialize(constraint)


def deserialize(config: Any, custom_objects: Optional[dict] = None) -> Any:
    """A constraint from a name (default arguments) or a config dict made by ``serialize``."""
    return _TABLE.deserialize(config, custom_objects)


def get(identifier: Any) -> Optional[Any]:
    """Resolves None, a name, a config dict, a class or a callable to a constraint."""
    return _TABLE.get(identifier, deserialize, "None, a name, a config dict, a Constraint class or a callable")

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("ALL_OBJECTS_DICT", "ObjectTable", "Tensor", "convert_to_tensor"))
