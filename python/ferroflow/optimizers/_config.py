"""Argument checks and value conversions shared by the optimizers (learning rates, slot initializers, names)."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ..framework.dtypes import as_dtype


def snake_case(name: str) -> str:
    """``"Adagrad"`` -> ``"adagrad"``, the default name Keras derives from a class name."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


def check_learning_rate(value: Any) -> float:
    """A constant learning rate as a Python float: a non-negative finite number (or a scalar tensor)."""
    if hasattr(value, "numpy") and not isinstance(value, (int, float)):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(
            "Argument `learning_rate` should be float, or an instance of LearningRateSchedule, or a callable "
            "(that takes in the current iteration value and returns the corresponding learning rate value). "
            f"Received instead: learning_rate={value!r}"
        )
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"Argument `learning_rate` must be a non-negative finite number. Received: {value}")
    return value


def config_learning_rate(learning_rate: Any, current: Any) -> Any:
    """The ``learning_rate`` entry of an optimizer config: a schedule's serialized dict, else the float now
    (``current()``), read from the float32 variable as Keras does (``SGD(0.1)`` gives 0.10000000149011612)."""
    from .schedules import LearningRateSchedule, serialize

    if isinstance(learning_rate, LearningRateSchedule):
        return serialize(learning_rate)
    return current()


def check_unit_interval(name: str, value: Any) -> float:
    """A hyperparameter that must lie in [0, 1] (momentum, rho, betas)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not 0 <= value <= 1:
        raise ValueError(f"`{name}` must be a float between [0, 1]. Received: {name}={value!r}")
    return float(value)


def initial_value(initializer: Any, shape: Any, dtype: Any) -> np.ndarray:
    """The starting value of an optimizer variable from a Keras initializer spec."""
    np_dtype = as_dtype(dtype).as_numpy_dtype
    shape = tuple(int(d) for d in shape)
    if isinstance(initializer, str):
        if initializer == "zeros":
            return np.zeros(shape, np_dtype)
        if initializer == "ones":
            return np.ones(shape, np_dtype)
        from .. import initializers

        initializer = initializers.get(initializer)
    if isinstance(initializer, (int, float, np.number)) and not isinstance(initializer, bool):
        return np.full(shape, initializer, np_dtype)
    if callable(initializer):
        value = initializer(shape, dtype=as_dtype(dtype))
        return np.asarray(value, dtype=np_dtype).reshape(shape)
    raise ValueError(
        f"Could not interpret initializer: expected 'zeros', 'ones', a number or a callable, received {initializer!r}"
    )
