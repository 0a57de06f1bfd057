"""Keras 3's weight averaging (``use_ema=True``): one ``average`` slot per trainable variable, updated after
each step, copied onto the variables every ``ema_overwrite_frequency`` steps and at the end of ``fit``.

``average = m * average + (1 - m) * variable`` with ``m = ema_momentum``, except on the first step
(``iterations == 0``), where ``m = 0`` and the average starts at the updated variable, as Keras computes it.
With ``gradient_accumulation_steps`` the averages still move on every call, and ``iterations`` counts updates.
The overwrite test is ``(iterations + 1) % ema_overwrite_frequency == 0`` before the step is counted, and
it runs as a select, so that a graph step holds no branch.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..framework import context
from ..ops import array_ops, math_ops


def check_ema_arguments(use_ema: bool, ema_momentum: Any, ema_overwrite_frequency: Optional[Any]) -> None:
    """Keras's checks of the averaging arguments (made only when ``use_ema``)."""
    if not use_ema:
        return
    if ema_momentum > 1 or ema_momentum < 0:
        raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
    if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1):
        raise ValueError(
            "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
            f"ema_overwrite_frequency={ema_overwrite_frequency}"
        )


def update_averages(optimizer: Any) -> None:
    """Moves every average towards its variable, then (every ``ema_overwrite_frequency`` steps) copies the
    averages onto the variables; written into the step being built (eager or graph)."""
    variables = optimizer._trainable_variables
    averages = optimizer._model_variables_moving_average
    iterations = optimizer.iterations  # the number of updates when gradients are accumulated, as in Keras
    for variable, average in zip(variables, averages):
        started = array_ops.cast(math_ops.not_equal(iterations, 0), variable.dtype)
        momentum = started * float(optimizer.ema_momentum)
        average.assign(momentum * average + (1.0 - momentum) * variable)
    frequency = optimizer.ema_overwrite_frequency
    if not frequency:
        return
    due = math_ops.equal(math_ops.floormod(iterations + 1, frequency), 0)
    for variable, average in zip(variables, averages):
        variable.assign(array_ops.where(due, average.value(), variable.value()))


def overwrite_with_averages(optimizer: Any, var_list: Sequence[Any]) -> None:
    """``finalize_variable_values``: the variables take their averages (Keras's length check first)."""
    averages = optimizer._model_variables_moving_average
    if len(var_list) != len(averages):
        raise ValueError(
            f"The length of model variables ({len(var_list)}) to override does not match the length of model "
            f"variables stored in the optimizer ({len(averages)}). Please check if the optimizer was called on "
            "your model."
        )
    with context.eager_scope():
        for variable, average in zip(var_list, averages):
            variable.assign(average.numpy())
