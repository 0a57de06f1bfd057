"""``keras.optimizers.schedules.CosineDecayRestarts``: cosine decay that restarts (SGDR), with Keras's formula."""

from __future__ import annotations

import math
from typing import Any, Optional

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ._schedule_base import LearningRateSchedule, _check_positive, _const, _float_tensor


class CosineDecayRestarts(LearningRateSchedule):
    """A cosine decay over ``first_decay_steps``, then again over ``t_mul`` times as many steps from
    ``m_mul`` times the previous peak, and so on; each period ends at ``alpha`` times its peak."""

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: Any,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: Optional[str] = "SGDRDecay",
    ) -> None:
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step: Any) -> Tensor:
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        fraction = array_ops.cast(step, dtype) / _const(self.first_decay_steps, dtype)
        t_mul, m_mul = _const(self._t_mul, dtype), _const(self._m_mul, dtype)
        if self._t_mul == 1.0:
            restarts = math_ops.floor(fraction)
            fraction = fraction - restarts
        else:
            # Periods grow geometrically: period i starts at (1 - t_mul**i) / (1 - t_mul) first periods.
            restarts = math_ops.floor(math_ops.log(1.0 - fraction * (1.0 - t_mul)) / math_ops.log(t_mul))
            started = (1.0 - math_ops.pow(t_mul, restarts)) / (1.0 - t_mul)
            fraction = (fraction - started) / math_ops.pow(t_mul, restarts)
        cosine = 0.5 * math_ops.pow(m_mul, restarts) * (1.0 + math_ops.cos(math.pi * fraction))
        return initial * ((1.0 - self.alpha) * cosine + self.alpha)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }
