"""The base class of learning rate schedules and the tensor helpers their formulas share."""

from __future__ import annotations

from typing import Any

from ..framework.ops import convert_to_tensor
from ..framework.tensor import Tensor
from ..framework.variables import Variable
from ..ops import array_ops


class LearningRateSchedule:
    """The base class: subclasses implement ``__call__(step)`` and ``get_config()``."""

    def __call__(self, step: Any) -> Tensor:
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `get_config()` in order to be "
            "serializable."
        )

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        return cls(**config)


def _float_tensor(value: Any) -> Tensor:
    """The initial learning rate as a tensor; integers become float32 so the formulas stay in floating point."""
    t = convert_to_tensor(value)
    return t if t.dtype.is_floating else array_ops.cast(t, "float32")


def _const(value: Any, dtype: Any) -> Tensor:
    """A hyperparameter in ``dtype``: Python numbers convert directly (no float32 rounding on the way to float64)."""
    if isinstance(value, (Tensor, Variable)):
        return array_ops.cast(value, dtype)
    return convert_to_tensor(value, dtype=dtype)


def _check_positive(name: str, value: Any) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")
