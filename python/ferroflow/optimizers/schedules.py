"""``keras.optimizers.schedules``: learning rates as functions of the optimizer's step.

Every schedule is built from ferroflow ops, so calling it on a Python int or an eager tensor gives a value
now, while calling it on a symbolic step (an optimizer's ``iterations`` read inside a graph) adds the
formula to the graph: the learning rate then follows the step count at run time without retracing.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from ..framework.graph_constants import convert_to_tensor
from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops
from ._schedule_base import LearningRateSchedule, _check_positive, _const, _float_tensor
from .cosine_decay_restarts import CosineDecayRestarts


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (the exponent floored if ``staircase``)."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: Any,
        decay_rate: float,
        staircase: bool = False,
        name: str = "ExponentialDecay",
    ) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step: Any) -> Tensor:
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        p = array_ops.cast(step, dtype) / _const(self.decay_steps, dtype)
        if self.staircase:
            p = math_ops.floor(p)
        return initial * math_ops.pow(_const(self.decay_rate, dtype), p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` while ``step <= boundaries[0]``, then ``values[1]`` up to ``boundaries[1]``, ...

    and ``values[-1]`` once ``step > boundaries[-1]``.
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant") -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: Any) -> Tensor:
        step = convert_to_tensor(step)
        boundaries = [array_ops.cast(convert_to_tensor(b), step.dtype) for b in self.boundaries]
        values = [convert_to_tensor(v) for v in self.values]
        dtype = values[0].dtype
        # A sum of indicator * value over the intervals: one formula, no branching on the step's value.
        result = array_ops.cast(step <= boundaries[0], dtype) * values[0]
        result = result + array_ops.cast(step > boundaries[-1], dtype) * values[-1]
        for low, high, value in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            result = result + array_ops.cast((step > low) & (step <= high), dtype) * value
        return result

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Decays from ``initial_learning_rate`` to ``end_learning_rate`` along ``(1 - step / decay_steps) ** power``."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: Any,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str = "PolynomialDecay",
    ) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step: Any) -> Tensor:
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        end = _const(self.end_learning_rate, dtype)
        power = _const(self.power, dtype)
        s = array_ops.cast(step, dtype)
        decay_steps = _const(self.decay_steps, dtype)
        if self.cycle:
            # The first multiple of decay_steps above the step (1 at step 0).
            multiplier = array_ops.where(math_ops.equal(s, 0.0), 1.0, math_ops.ceil(s / decay_steps))
            decay_steps = decay_steps * multiplier
        else:
            s = math_ops.minimum(s, decay_steps)
        p = s / decay_steps
        return (initial - end) * math_ops.pow(1.0 - p, power) + end

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (the ratio floored if ``staircase``)."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: Any,
        decay_rate: float,
        staircase: bool = False,
        name: str = "InverseTimeDecay",
    ) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def __call__(self, step: Any) -> Tensor:
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        p = array_ops.cast(step, dtype) / _const(self.decay_steps, dtype)
        if self.staircase:
            p = math_ops.floor(p)
        return initial / (1.0 + _const(self.decay_rate, dtype) * p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class CosineDecay(LearningRateSchedule):
    """Optional linear warmup to ``warmup_target``, then a cosine decay to ``alpha`` times the peak rate."""

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: Any,
        alpha: float = 0.0,
        name: str = "CosineDecay",
        warmup_target: Optional[float] = None,
        warmup_steps: Any = 0,
    ) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_positive("decay_steps", decay_steps)

    def _decay(self, step: Tensor, decay_steps: Tensor, decay_from: Tensor) -> Tensor:
        cosine = 0.5 * (1.0 + math_ops.cos(math.pi * (step / decay_steps)))
        return decay_from * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step: Any) -> Tensor:
        initial = _float_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        decay_steps = _const(self.decay_steps, dtype)
        s = array_ops.cast(step, dtype)
        if self.warmup_target is None:
            return self._decay(math_ops.minimum(s, decay_steps), decay_steps, initial)
        target = _const(self.warmup_target, dtype)
        warmup_steps = _const(self.warmup_steps, dtype)
        s = math_ops.minimum(s, decay_steps + warmup_steps)
        # Both branches are computed and one is selected, so the formula works on a symbolic step too;
        # a NaN in the unselected branch (warmup_steps == 0) is never chosen.
        warm = (target - initial) * (s / warmup_steps) + initial
        decayed = self._decay(s - warmup_steps, decay_steps, target)
        return array_ops.where(s < warmup_steps, warm, decayed)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


_SCHEDULES = {
    cls.__name__: cls
    for cls in (
        LearningRateSchedule,
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """Keras's serialized form: ``{"module", "class_name", "config", "registered_name"}``."""
    if not isinstance(learning_rate_schedule, LearningRateSchedule):
        raise TypeError(
            "serialize expects a LearningRateSchedule, received "
            f"{type(learning_rate_schedule).__name__}: {learning_rate_schedule!r}"
        )
    cls = learning_rate_schedule.__class__
    builtin = _SCHEDULES.get(cls.__name__) is cls
    return {
        "module": "keras.optimizers.schedules" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": learning_rate_schedule.get_config(),
        "registered_name": None if builtin else cls.__name__,
    }


def deserialize(config: dict, custom_objects: Optional[dict] = None) -> LearningRateSchedule:
    """Rebuilds a schedule from ``serialize``'s dict (or a ``{"class_name", "config"}`` dict)."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "deserialize expects a dict with 'class_name' and 'config' keys, received "
            f"{type(config).__name__}: {config!r}"
        )
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _SCHEDULES.get(name)
    if cls is None:
        raise ValueError(
            f"Unknown learning rate schedule: '{name}'. Expected one of {sorted(_SCHEDULES)} "
            "or a class passed in custom_objects."
        )
    return cls.from_config(dict(config.get("config", {})))

from ferroflow._api import public_dir as _public_dir  # noqa: E402

__dir__ = _public_dir(globals(), hidden=("Tensor", "convert_to_tensor"))
