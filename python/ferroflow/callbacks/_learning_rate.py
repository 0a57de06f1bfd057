"""Reading and setting the learning rate of a model's optimizer, shared by callbacks."""

from __future__ import annotations

from typing import Any


def get_learning_rate(model: Any) -> float:
    """``float(model.optimizer.learning_rate)``, with a clear error when there is none."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError('Optimizer must have a "learning_rate" attribute.')
    value = optimizer.learning_rate
    if hasattr(value, "numpy") and not isinstance(value, (int, float)):
        value = value.numpy()
    return float(value)


def set_learning_rate(model: Any, value: float) -> None:
    """Set ``model.optimizer.learning_rate = value``."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError('Optimizer must have a "learning_rate" attribute.')
    optimizer.learning_rate = value
