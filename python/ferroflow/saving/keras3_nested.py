"""Keras 3's file layout for layers whose Keras counterpart keeps its weights in sub-layers.

Such a layer (``MultiHeadAttention``: one ``EinsumDense`` per projection) holds its variables itself in
ferroflow and lists Keras's grouping in ``_keras_weight_groups()``: ``(key, name, variables)`` per
sub-layer, where ``key`` is the HDF5 group Keras writes (``query_dense`` ...) and ``name`` the sub-layer's
name. Every group must be in the file with weights of the same shapes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._weight_fit import assign, check_fit

__all__ = ["has_groups", "load_groups", "save_groups"]


def has_groups(layer: Any) -> bool:
    return callable(getattr(layer, "_keras_weight_groups", None))


def save_groups(layer: Any, group: Any) -> None:
    for key, name, variables in layer._keras_weight_groups():
        vars_group = group.create_group(key).create_group("vars")
        vars_group.attrs["name"] = name
        for i, var in enumerate(variables):
            vars_group.create_dataset(str(i), data=np.asarray(var.numpy()))


def load_groups(layer: Any, group: Any, path: str, source: str) -> None:
    from .keras3_format import _check_no_other, _own_arrays

    groups = layer._keras_weight_groups()
    # A key may be a path (``forward_layer/cell``): its first part is the group directly below.
    _check_no_other(group, {"vars"} | {key.split("/")[0] for key, _, _ in groups}, path, source)
    if _own_arrays(group, path, source):
        raise ValueError(f"{source}: the file holds weights at {path}/vars that ferroflow's layer has no place for")
    pending = []
    for key, _, variables in groups:
        sub = group.get(key) if hasattr(group, "get") else None
        arrays = [] if sub is None else _own_arrays(sub, f"{path}/{key}", source)
        where = f"layer '{layer.name}' ({type(layer).__name__}, {path}/{key} in the file)"
        check_fit(variables, arrays, f"{source}: {where}")
        pending.append((variables, arrays))
    for variables, arrays in pending:  # only once every group is known to fit
        assign(variables, arrays)
