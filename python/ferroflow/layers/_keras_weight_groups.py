"""Where Keras 3's files keep the weights of layers that hold other layers (see saving/keras3_nested.py).

Keras saves a held layer's variables below the holder's group, under the attribute that holds it:
``lstm/cell/vars``, ``bidirectional/forward_layer/cell/vars``, ``time_distributed/layer/vars``, and the
cells of a ``StackedRNNCells`` under ``cells/<snake_case class name, made unique>``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ._util import to_snake_case

Group = Tuple[str, str, list]


def weight_groups(layer: Any, prefix: str) -> List[Group]:
    """``(path below the holder, layer name, variables)`` for ``layer`` held at ``prefix``."""
    own = getattr(layer, "_keras_weight_groups", None)
    if callable(own):
        return [(f"{prefix}/{key}", name, variables) for key, name, variables in own()]
    variables = layer._own_weights() if hasattr(layer, "_own_weights") else []
    if hasattr(layer, "weights") and len(variables) != len(layer.weights):
        raise ValueError(
            f"layer '{layer.name}' ({type(layer).__name__}) holds nested layers whose weights Keras's file layout "
            "cannot place here"
        )
    return [(prefix, layer.name, variables)]


def container_groups(layers: list, prefix: str) -> List[Group]:
    """The groups of a list of layers Keras saves as a container (``StackedRNNCells.cells``)."""
    used: Dict[str, int] = {}
    groups: List[Group] = []
    for sub in layers:
        base = to_snake_case(type(sub).__name__)
        count = used.get(base, -1) + 1
        used[base] = count
        groups.extend(weight_groups(sub, f"{prefix}/{base if count == 0 else f'{base}_{count}'}"))
    return groups
