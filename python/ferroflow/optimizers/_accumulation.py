"""Keras 3's gradient accumulation (``gradient_accumulation_steps=N``): the variables move once every N calls,
by the mean of the N gradients.

Each call adds its gradients into one ``gradient_accumulator`` slot per trainable variable (created in
``build`` right after ``use_ema``'s averages, before the optimizer's own slots, as Keras creates them). On the
call where ``(iterations + 1) % N == 0`` (the raw count, before it is incremented) the step runs instead on
``(gradient + accumulator) / N`` (clipping and weight decay included), and the accumulators go back to zero.
The raw step count grows on every call, while ``optimizer.iterations`` reports ``raw // N``: the number of
updates, which update rules (Adam's bias correction) and ``use_ema`` use as their step. A learning-rate
schedule is evaluated at the raw count, as in Keras.

The choice is a ``tf.cond``: eagerly only the chosen branch runs; in a graph (a ``tf.function``, ``fit``'s
compiled train step) both branches are traced and a native conditional node runs one per call.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Optional

from ..framework.tensor import Tensor
from ..ops import array_ops, math_ops


def check_steps(steps: Optional[Any]) -> None:
    """Keras's check: when set, ``gradient_accumulation_steps`` must be an integer >= 2."""
    if not steps:
        return
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 2:
        raise ValueError(
            f"`gradient_accumulation_steps` must be an integer >= 2. Received: gradient_accumulation_steps={steps}"
        )


def update_count(optimizer: Any) -> Any:
    """``iterations // gradient_accumulation_steps`` (a tensor), or the step-count variable itself."""
    steps = optimizer.gradient_accumulation_steps
    if not steps:
        return optimizer._iterations
    return math_ops.floordiv(optimizer._iterations.value(), steps)


def write_step(
    optimizer: Any, grads: list, variables: list, learning_rate: Tensor, update: Callable[[list, list, Tensor], None]
) -> None:
    """Writes one call: ``update(mean_grads, variables, learning_rate)`` and a reset of the accumulators on
    every N-th call, the accumulation of ``grads`` on the others."""
    from ..ops.cond_ops import cond

    steps = optimizer.gradient_accumulation_steps
    accumulators = [optimizer._accumulated_gradients[optimizer._get_variable_index(v)] for v in variables]
    due = math_ops.equal(math_ops.floormod(optimizer._iterations.value() + 1, steps), 0)

    def apply_mean() -> None:
        # A graph traces this branch more than once: tensors cached by an earlier trace must not leak in.
        optimizer._step_cache = {}
        mean = [(g + a.value()) / steps for g, a in zip(grads, accumulators)]
        update(mean, variables, learning_rate)
        for a in optimizer._accumulated_gradients:
            a.assign(array_ops.zeros_like(a.value()))
        optimizer._step_cache = {}

    def accumulate() -> None:
        for g, a in zip(grads, accumulators):
            a.assign(g + a.value())

    cond(due, apply_mean, accumulate)
