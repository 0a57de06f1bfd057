"""Keras 3's variable order for optimizers that list their slots per variable (see ``_keras_order``)."""

from __future__ import annotations

from typing import Any, List, Optional, Sequence


def per_variable_order(
    optimizer: Any, slot_lists: Sequence[Sequence[Optional[Any]]], trailing: Sequence[Any] = ()
) -> List[Any]:
    """The step count, the learning rate (absent for a schedule), ``use_ema``'s averages, the gradient
    accumulators (``gradient_accumulation_steps``), then for each trainable
    variable its slot from each list in turn (None: that variable has no such slot), then ``trailing``."""
    head = [v for v in (optimizer._iterations, optimizer._lr_var) if v is not None]
    if not optimizer.built:
        return head
    averages = list(getattr(optimizer, "_model_variables_moving_average", None) or []) if optimizer.use_ema else []
    accumulators = list(getattr(optimizer, "_accumulated_gradients", None) or [])
    if not optimizer.gradient_accumulation_steps:
        accumulators = []
    count = len(optimizer._trainable_variables)
    slots = [lst[j] for j in range(count) for lst in slot_lists if lst[j] is not None]
    return head + averages + accumulators + slots + list(trailing)
