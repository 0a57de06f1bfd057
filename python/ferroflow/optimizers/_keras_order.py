"""An optimizer's variables in Keras 3's order: the order of ``optimizer.variables`` (Keras's and ferroflow's),
``set_weights`` and the ``optimizer/vars`` group of ``.keras`` and ``.weights.h5`` files.

Both libraries start with the step count and the learning rate (absent when it is a schedule) and create the
slots in ``build``, one list of one slot per trainable variable at a time, ``use_ema``'s averages first, then
the accumulators of ``gradient_accumulation_steps``.
ferroflow makes each list whole (every momentum, then every velocity ...), in ``_variables``, the order of its
older checkpoints. Keras does that too, except for the lists it creates in one ``add_optimizer_variables`` call
with several names, which it interleaves per variable: Adam's (momentum, velocity) and Ftrl's (accumulator,
linear). An optimizer class names how many of its first slot lists Keras interleaves in ``_keras_interleaved``.
"""

from __future__ import annotations

from typing import Any, List, Optional


def keras_variables(optimizer: Any) -> Optional[List[Any]]:
    """``optimizer.variables`` in Keras 3's order, or None when they do not split into the step count, the
    learning rate and whole slot lists (a custom optimizer with other variables). An optimizer whose slots do
    not fit that pattern (Nadam's trailing product, Muon's per-variable choice) orders them itself in
    ``_keras_ordered_variables()``."""
    own_order = getattr(optimizer, "_keras_ordered_variables", None)
    if own_order is not None:
        return own_order()
    variables = list(getattr(optimizer, "_variables", None) or [])
    head = [v for v in (getattr(optimizer, "_iterations", None), getattr(optimizer, "_lr_var", None)) if v is not None]
    if len(variables) < len(head) or any(a is not b for a, b in zip(variables, head)):
        return None
    rest = variables[len(head) :]
    n = len(getattr(optimizer, "_trainable_variables", None) or [])
    if n == 0 or len(rest) % n:
        return None if rest else head
    lists = [rest[i : i + n] for i in range(0, len(rest), n)]
    # use_ema's averages, then the gradient accumulators: whole lists created by the base class's build.
    base = (1 if getattr(optimizer, "use_ema", False) else 0) + (
        1 if getattr(optimizer, "gradient_accumulation_steps", None) else 0
    )
    woven = max(1, int(getattr(optimizer, "_keras_interleaved", 1)))
    groups = [[k] for k in range(base)]
    groups.append(list(range(base, min(base + woven, len(lists)))))
    groups += [[k] for k in range(base + woven, len(lists))]
    order = head + [lists[k][j] for group in groups if group for j in range(n) for k in group]
    if len(order) != len(variables) or len({id(v) for v in order}) != len(variables):
        return None
    return order
