"""Keras 3's file layout for custom layers that hold other layers as attributes.

Keras saves such a layer (keras.io's ``TransformerBlock``, ``PatchEncoder``) as its own ``vars`` group, then
one group per attribute holding a layer, in sorted attribute order: ``block/proj/vars``; a list, tuple or
dict of layers is a group holding one group per layer, named after its class (``norms/layer_normalization``,
``norms/layer_normalization_1``). A layer reached twice is saved at its first place only.
"""

from __future__ import annotations

from typing import Any, Callable, List, Tuple

import numpy as np

__all__ = ["has_sublayers", "load_sublayers", "save_sublayers", "sublayers"]


def sublayers(layer: Any) -> List[Tuple[str, Any]]:
    """``(group path below the layer's group, sub-layer)`` for each layer the attributes hold, as Keras walks
    them (public attributes, sorted by name)."""
    from ..layers.base_layer import Layer
    from .keras3_format import _keras_key

    out: List[Tuple[str, Any]] = []
    seen: set = set()
    attrs = vars(layer)
    for attr in sorted(k for k in attrs if isinstance(k, str) and not k.startswith("_")):
        value = attrs[attr]
        if isinstance(value, Layer):
            if id(value) not in seen:
                seen.add(id(value))
                out.append((attr, value))
        elif isinstance(value, (list, tuple, dict)):
            used: dict = {}
            for item in value.values() if isinstance(value, dict) else value:
                if not isinstance(item, Layer):
                    continue
                # As Keras: the name is taken before the visited check, so a shared layer still counts.
                base = _keras_key(item)
                used[base] = used.get(base, -1) + 1
                if id(item) not in seen:
                    seen.add(id(item))
                    out.append((f"{attr}/{base if used[base] == 0 else f'{base}_{used[base]}'}", item))
    return out


def has_sublayers(layer: Any) -> bool:
    """Whether ``layer`` holds weights in sub-layers that it keeps as attributes (not a model's layers)."""
    return len(layer._own_weights()) != len(layer.weights) and bool(sublayers(layer))


def _covers(layer: Any, subs: list) -> bool:
    ids = {id(v) for v in layer._own_weights()}
    for _, sub in subs:
        ids.update(id(v) for v in sub.weights)
    return ids == {id(v) for v in layer.weights}


def save_sublayers(layer: Any, group: Any, vars_group: Any, save_saveable: Callable) -> None:
    """Writes the layer's own variables into ``vars_group``, then each sub-layer's group."""
    from .keras3_export_config import NotKerasExpressible

    subs = sublayers(layer)
    if not _covers(layer, subs):
        raise NotKerasExpressible(
            f"layer '{layer.name}' ({type(layer).__name__}) holds weights in layers that its public attributes "
            "do not hold"
        )
    for i, var in enumerate(layer._own_weights()):
        vars_group.create_dataset(str(i), data=np.asarray(var.numpy()))
    for key, sub in subs:
        save_saveable(sub, group.require_group(key))


def load_sublayers(layer: Any, group: Any, path: str, source: str, load_saveable: Callable) -> None:
    """Reads the layer's own variables and each sub-layer's group, as ``save_sublayers`` writes them."""
    from . import _weight_fit
    from .keras3_format import _check_no_other, _own_arrays

    subs = sublayers(layer)
    where = f"layer '{layer.name}' ({type(layer).__name__}, {path or '/'} in the file)"
    if not _covers(layer, subs):
        raise ValueError(f"{source}: {where} holds weights in layers that its public attributes do not hold")
    _check_no_other(group, {"vars"} | {key.split("/")[0] for key, _ in subs}, path, source)
    own = _own_arrays(group, path, source)
    variables = layer._own_weights()
    _weight_fit.check_fit(variables, own, f"{source}: {where}")
    for key, sub in subs:
        sub_group = group.get(key) if hasattr(group, "get") else None
        if sub_group is None:
            if not sub.weights:
                continue
            raise ValueError(f"{source}: {where}: the file has no group {path}/{key} for layer '{sub.name}'")
        load_saveable(sub, sub_group, f"{path}/{key}", source)
    _weight_fit.assign(variables, own)
