"""The global caps on epochs and steps that ``fit``, ``evaluate`` and ``predict`` apply: ``keras.config``'s
``set_max_epochs``/``set_max_steps_per_epoch``, first read from the ``KERAS_MAX_EPOCHS`` and
``KERAS_MAX_STEPS_PER_EPOCH`` environment variables as Keras reads them. Kept apart from ``keras.config`` so
that the trainer reads them with no import on its per-call path (a one-sample ``predict`` costs microseconds)."""

from __future__ import annotations

import os
import warnings
from typing import Optional

LIMITS: dict = {
    "max_epochs": int(os.environ["KERAS_MAX_EPOCHS"]) if "KERAS_MAX_EPOCHS" in os.environ else None,
    "max_steps_per_epoch": (
        int(os.environ["KERAS_MAX_STEPS_PER_EPOCH"]) if "KERAS_MAX_STEPS_PER_EPOCH" in os.environ else None
    ),
}


def capped_epochs(epochs: int) -> int:
    """Keras's TensorFlow trainer: the cap applies only when it is below the epochs asked for."""
    cap = LIMITS["max_epochs"]
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=3)
        return cap
    return epochs


def capped_steps(steps: Optional[int]) -> Optional[int]:
    """Keras's EpochIterator: the cap replaces no steps at all, or more steps than it allows."""
    cap = LIMITS["max_steps_per_epoch"]
    if cap and (not steps or cap < steps):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
        return cap
    return steps
