"""Models with several outputs: their targets, sample weights, losses and metrics, as Keras 3 resolves them.

A functional model whose outputs are a list of two or more tensors, or a dict, trains on one loss per
output; so does a subclassed model whose ``call`` returns them (``multi_output_call``). Targets and sample
weights are carried as a list in the flat output order (a dict of outputs flattens by sorted key), so the
compiled step feeds ``x..., y_0..y_k, [sw_0..sw_k]`` and computes the weighted sum of the per-output losses in
its graph. Single-output models never reach this module.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ..framework import nest
from . import data_adapter


def output_names(model: Any) -> Optional[list]:
    """The names of a functional model's outputs in flat order (the output layers' names, or the keys of a
    dict of outputs); None for a model with one output or whose outputs are only known once it is called."""
    struct = getattr(model, "_outputs_struct", None)
    if struct is None or not getattr(model, "_is_graph_network", False):
        return None
    if isinstance(struct, dict):
        return sorted(struct)
    flat = nest.flatten(struct)
    if len(flat) < 2:
        return None
    return [t._keras_history[0].name for t in flat]


def per_output(
    value: Any, names: list, what: str, single_for_all: bool, require_all: bool = True, keyed: bool = True
) -> list:
    """``value`` as one entry per output: from a list/tuple in output order, a dict keyed by output name (not
    when the outputs have no names: ``keyed`` False), or (when ``single_for_all``) one value for every output."""
    if isinstance(value, dict) and not keyed:
        raise TypeError(
            f"The model's {len(names)} outputs are a list or tuple without names (its `call` returns no dict): "
            f"`{what}` must be a list or tuple with one entry per output, in output order. Received a dict: "
            f"{what}.keys()={list(value)}"
        )
    if isinstance(value, dict):
        unknown = [k for k in value if k not in names]
        missing = [k for k in names if k not in value]
        if unknown or (require_all and missing):
            raise ValueError(
                f"Expected keys {names} in {what} dict (the model's output names), but found "
                f"{what}.keys()={list(value)}" + (f": unknown {unknown}" if unknown else "")
            )
        return [value.get(k) for k in names]
    if isinstance(value, (list, tuple)):
        if len(value) != len(names):
            raise ValueError(
                f"`{what}` must have one entry per model output: the model has {len(names)} outputs {names}, "
                f"but received {len(value)} entries: {what}={value!r}"
            )
        return list(value)
    if single_for_all:
        return [value] * len(names)
    raise ValueError(
        f"The model has {len(names)} outputs {names}: `{what}` must be a list or tuple of {len(names)} entries "
        f"in output order, or a dict keyed by output name. Received: {what} of type {type(value).__name__}"
    )


def single_target(y: Any, losses: list) -> Any:
    """``y`` as one entry per output when it is one target and only one output has a loss (as Keras 3 pairs
    ``loss=[fn, None]`` with a single ``y``); the outputs without a loss get None. Else ``y`` unchanged."""
    with_loss = [i for i, fn in enumerate(losses) if fn is not None]
    if isinstance(y, (list, tuple, dict)) or y is None or len(with_loss) != 1:
        return y
    return [y if i == with_loss[0] else None for i in range(len(losses))]


def targets(
    model: Any,
    names: list,
    y: Any,
    sample_weight: Any,
    class_weight: Any,
    float_dtype: str,
    keyed: bool = True,
    losses: Optional[list] = None,
) -> tuple:
    """``(ys, sample_weights)`` of a multi-output model's batch: one array per output, and None or one
    array per output (an output without weights gets ones, which weighs it as no weights do). An output
    without a loss and without a target (``losses`` None there) is fed zeros, which nothing reads."""
    if y is None:
        raise ValueError("`y` (the targets) is required to train or evaluate a model; received y=None")
    if losses is not None:
        y = single_target(y, losses)
    if not isinstance(y, (list, tuple, dict)):
        raise ValueError(
            "y_true and y_pred have different structures: the model has "
            f"{len(names)} outputs {names}, so `y` must be a list, tuple or dict of {len(names)} targets. "
            f"Received: y of type {type(y).__name__}"
        )
    if class_weight is not None:
        raise ValueError(
            "`class_weight` is only supported for models with a single output; use "
            "`sample_weight` (one array per output) for models with several outputs"
        )
    labels = [f"y[{k!r}]" for k in names] if keyed else [f"y[{i}]" for i in range(len(names))]
    given = per_output(y, names, "y", False, keyed=keyed)
    ys = [None if v is None else data_adapter.to_array(v, k, float_dtype) for v, k in zip(given, labels)]
    n = data_adapter.num_samples([a for a in ys if a is not None], [k for a, k in zip(ys, labels) if a is not None])
    ys = [np.zeros((n,), float_dtype) if a is None else a for a in ys]
    sws = None
    if sample_weight is not None:
        parts = per_output(sample_weight, names, "sample_weight", True, require_all=False, keyed=keyed)
        arrays = [data_adapter.sample_weight_array(p, n) for p in parts]
        if any(a is not None for a in arrays):
            sws = [np.ones((n,), "float32") if a is None else a for a in arrays]
    return ys, sws


def rows(ya: Any, xs: Any = None) -> int:
    """The number of samples of the targets (one array, or a list of one per output); of the inputs ``xs``
    for a model trained without targets (``ya`` None: its loss comes from ``add_loss``)."""
    if ya is None:
        return len(xs[0])
    return len(ya[0]) if type(ya) is list else len(ya)


def step_arrays(xs: list, ya: Any, sw: Any) -> list:
    """What a compiled train/test step is fed: the inputs, the targets, then the sample weights if any."""
    if type(ya) is list:
        return xs + ya + (sw or [])
    if ya is None:  # no targets: a model whose loss comes from add_loss
        return list(xs)
    return xs + [ya] + ([sw] if sw is not None else [])


def flat_targets(ya: Any, sw: Any) -> list:
    """The targets and weights as one list of arrays (None where absent), for slicing all rows alike."""
    if type(ya) is list:
        return ya + (sw if sw is not None else [None] * len(ya))
    return [ya, sw]


def unflat_targets(flat: list, like: Any) -> tuple:
    """``flat_targets`` undone, for targets shaped like ``like``; arrays made C-contiguous."""

    def c(a: Any) -> Any:
        return None if a is None else np.ascontiguousarray(a)

    if type(like) is list:
        k = len(like)
        sw = flat[k:]
        return [c(a) for a in flat[:k]], (None if all(a is None for a in sw) else [c(a) for a in sw])
    return c(flat[0]), c(flat[1])


def signature_parts(ya: Any, sw: Any) -> list:
    """The targets and weights as ``step_graph.signature`` takes them."""
    return flat_targets(ya, sw) if type(ya) is list else [ya, sw]
