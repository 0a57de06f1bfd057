"""``tf.compat.v1.train``'s learning rate decays: ``exponential_decay``, ``piecewise_constant``,
``polynomial_decay``, ``natural_exp_decay``, ``inverse_time_decay``, ``cosine_decay``,
``cosine_decay_restarts``, ``linear_cosine_decay`` and ``noisy_linear_cosine_decay``.

As in TensorFlow each is a Keras schedule evaluated at ``global_step``: in a graph the result is a tensor
that follows the global step when the graph runs; eagerly it is a function of no arguments returning the
current rate (TF1 optimizers accept both).
"""

from __future__ import annotations

import functools
import math
from typing import Any, Optional

from ...framework import context
from ...ops import array_ops, math_ops
from ...optimizers import schedules as _schedules
from ...optimizers._schedule_base import LearningRateSchedule, _const, _float_tensor


def _at_step(schedule: Any, global_step: Any, what: str) -> Any:
    if context.current_graph() is None:
        return functools.partial(schedule, global_step)
    return schedule(global_step)


def exponential_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: Optional[str] = None,
) -> Any:
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (an integer exponent with ``staircase``)."""
    schedule = _schedules.ExponentialDecay(learning_rate, decay_steps, decay_rate, staircase=staircase)
    return _at_step(schedule, global_step, "exponential_decay")


def piecewise_constant(x: Any, boundaries: list, values: list, name: Optional[str] = None) -> Any:
    """``values[0]`` while ``x <= boundaries[0]``, ``values[i]`` up to ``boundaries[i]``, then ``values[-1]``."""
    from ...framework.ops import convert_to_tensor

    step_dtype = x.dtype if hasattr(x, "dtype") else convert_to_tensor(x).dtype
    for b in boundaries:
        b_dtype = b.dtype if hasattr(b, "dtype") and not isinstance(b, (int, float)) else convert_to_tensor(b).dtype
        if b_dtype != step_dtype and not (b_dtype.name == "int32" and step_dtype.name == "int64"):
            raise ValueError(f"Boundaries ({b_dtype.name}) must have the same dtype as x ({step_dtype.name}).")
    dtypes = [
        v.dtype if hasattr(v, "dtype") and not isinstance(v, (int, float)) else convert_to_tensor(v).dtype
        for v in values
    ]
    for d in dtypes[1:]:
        if d != dtypes[0]:
            raise ValueError(f"Values must have elements all with the same dtype ({dtypes[0].name} vs {d.name}).")
    schedule = _schedules.PiecewiseConstantDecay(boundaries, values)
    return _at_step(schedule, x, "piecewise_constant")


piecewise_constant_decay = piecewise_constant


def polynomial_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    end_learning_rate: float = 0.0001,
    power: float = 1.0,
    cycle: bool = False,
    name: Optional[str] = None,
) -> Any:
    schedule = _schedules.PolynomialDecay(learning_rate, decay_steps, end_learning_rate, power=power, cycle=cycle)
    return _at_step(schedule, global_step, "polynomial_decay")


def natural_exp_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: Optional[str] = None,
) -> Any:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``."""
    schedule = _schedules.ExponentialDecay(learning_rate, decay_steps, math.exp(-decay_rate), staircase=staircase)
    return _at_step(schedule, global_step, "natural_exp_decay")


def inverse_time_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    decay_rate: Any,
    staircase: bool = False,
    name: Optional[str] = None,
) -> Any:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``."""
    schedule = _schedules.InverseTimeDecay(learning_rate, decay_steps, decay_rate, staircase=staircase)
    return _at_step(schedule, global_step, "inverse_time_decay")


def cosine_decay(
    learning_rate: Any, global_step: Any, decay_steps: Any, alpha: float = 0.0, name: Optional[str] = None
) -> Any:
    schedule = _schedules.CosineDecay(learning_rate, decay_steps, alpha=alpha)
    return _at_step(schedule, global_step, "cosine_decay")


def cosine_decay_restarts(
    learning_rate: Any,
    global_step: Any,
    first_decay_steps: Any,
    t_mul: float = 2.0,
    m_mul: float = 1.0,
    alpha: float = 0.0,
    name: Optional[str] = None,
) -> Any:
    schedule = _schedules.CosineDecayRestarts(learning_rate, first_decay_steps, t_mul=t_mul, m_mul=m_mul, alpha=alpha)
    return _at_step(schedule, global_step, "cosine_decay_restarts")


class _LinearCosineDecay(LearningRateSchedule):
    """``learning_rate * ((alpha + linear) * cosine + beta)`` with ``linear = 1 - step / decay_steps`` (plus
    Gaussian noise of variance ``initial_variance / (1 + step) ** variance_decay`` when ``noisy``)."""

    def __init__(
        self,
        learning_rate: Any,
        decay_steps: Any,
        num_periods: float,
        alpha: float,
        beta: float,
        noise: Optional[tuple] = None,
    ) -> None:
        self.args = (learning_rate, decay_steps, num_periods, alpha, beta)
        self.noise = noise

    def __call__(self, step: Any) -> Any:
        learning_rate, decay_steps, num_periods, alpha, beta = self.args
        initial = _float_tensor(learning_rate)
        dtype = initial.dtype
        steps = _const(decay_steps, dtype)
        s = math_ops.minimum(array_ops.cast(step, dtype), steps)
        linear = (steps - s) / steps
        if self.noise is not None:
            from ...ops.random_ops import normal

            initial_variance, variance_decay = self.noise
            std = math_ops.sqrt(initial_variance / math_ops.pow(1.0 + s, variance_decay))
            linear = linear + normal([], stddev=1.0, dtype=dtype) * std
        fraction = 2.0 * num_periods * (s / steps)
        cosine = 0.5 * (1.0 + math_ops.cos(math.pi * fraction))
        return initial * ((alpha + linear) * cosine + beta)

    def get_config(self) -> dict:
        return {}


def linear_cosine_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    num_periods: float = 0.5,
    alpha: float = 0.0,
    beta: float = 0.001,
    name: Optional[str] = None,
) -> Any:
    schedule = _LinearCosineDecay(learning_rate, decay_steps, num_periods, alpha, beta)
    return _at_step(schedule, global_step, "linear_cosine_decay")


def noisy_linear_cosine_decay(
    learning_rate: Any,
    global_step: Any,
    decay_steps: Any,
    initial_variance: float = 1.0,
    variance_decay: float = 0.55,
    num_periods: float = 0.5,
    alpha: float = 0.0,
    beta: float = 0.001,
    name: Optional[str] = None,
) -> Any:
    schedule = _LinearCosineDecay(
        learning_rate, decay_steps, num_periods, alpha, beta, noise=(initial_variance, variance_decay)
    )
    return _at_step(schedule, global_step, "noisy_linear_cosine_decay")
