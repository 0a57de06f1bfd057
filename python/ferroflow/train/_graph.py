"""The object graph of a checkpoint: which variable each key (``model/layer_with_weights-0/kernel``) names.

Keys follow the structure of the tracked objects, not variable names, so that a checkpoint restores into a
freshly built copy of a model even when its layers got other unique names (``dense_2`` instead of ``dense``):

* a Keras layer or model: its own weights under their attribute names (``kernel``, ``bias``; else
  ``variable-<i>``), then each sublayer that has weights as ``layer_with_weights-<j>``;
* an optimizer: ``iteration``, ``learning_rate`` (unless a schedule), then ``slot-<j>`` in
  ``optimizer.variables`` order;
* a nested ``Checkpoint``: its tracked children; a dict or list: one entry per item;
* anything else with ``.variables`` or ``.weights``: ``<attribute name>`` or ``variable-<i>`` per variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Tuple

from ..framework.variables import Variable


@dataclass
class ObjectGraph:
    """The flattened graph: ``(key, variable)`` pairs plus the optimizers and models met on the way."""

    variables: List[Tuple[str, Variable]] = field(default_factory=list)
    optimizers: List[Tuple[str, Any]] = field(default_factory=list)
    models: List[Any] = field(default_factory=list)


def is_trackable(obj: Any) -> bool:
    """Whether a checkpoint can track ``obj`` (it holds variables, now or once built)."""
    if isinstance(obj, (Variable, dict, list, tuple)) or _is_layer(obj) or _is_optimizer(obj):
        return True
    return hasattr(obj, "_checkpoint_children") or hasattr(obj, "variables") or hasattr(obj, "weights")


def collect(children: dict) -> ObjectGraph:
    """Flattens the tracked ``children`` (name -> object) into keyed variables."""
    graph = ObjectGraph()
    for name, obj in children.items():
        _walk(obj, name, graph, set())
    return graph


def _is_layer(obj: Any) -> bool:
    return hasattr(obj, "_own_weights") and hasattr(obj, "_layers")


def _is_optimizer(obj: Any) -> bool:
    return hasattr(obj, "iterations") and hasattr(obj, "build") and hasattr(obj, "variables") and not _is_layer(obj)


def _walk(obj: Any, prefix: str, graph: ObjectGraph, stack: set) -> None:
    if isinstance(obj, Variable) or getattr(obj, "_checkpoint_value", False):  # a value (e.g. an iterator's position)
        graph.variables.append((prefix, obj))
        return
    if id(obj) in stack:  # a cycle (a checkpoint tracking itself): its variables are already listed
        return
    stack = stack | {id(obj)}
    if hasattr(obj, "_checkpoint_children"):
        for name, child in obj._checkpoint_children().items():
            _walk(child, f"{prefix}/{name}", graph, stack)
    elif _is_layer(obj):
        _walk_layer(obj, prefix, graph, stack)
    elif _is_optimizer(obj):
        _walk_optimizer(obj, prefix, graph)
    elif isinstance(obj, dict):
        for key, child in obj.items():
            _walk(child, f"{prefix}/{key}", graph, stack)
    elif isinstance(obj, (list, tuple)):
        for i, child in enumerate(obj):
            _walk(child, f"{prefix}/{i}", graph, stack)
    else:
        variables = getattr(obj, "variables", None)
        if variables is None:
            variables = getattr(obj, "weights", None)
        if callable(variables):
            variables = variables()
        _add_named(obj, list(variables or []), prefix, graph)


def _walk_layer(layer: Any, prefix: str, graph: ObjectGraph, stack: set) -> None:
    if hasattr(layer, "trainable_weights") and hasattr(layer, "optimizer"):
        graph.models.append(layer)
    _add_named(layer, list(layer._own_weights()), prefix, graph)
    j = 0
    for sub in layer._layers:
        if not sub.weights:
            continue
        _walk_layer(sub, f"{prefix}/layer_with_weights-{j}", graph, stack | {id(sub)})
        j += 1


def _add_named(owner: Any, variables: list, prefix: str, graph: ObjectGraph) -> None:
    """Keys a variable by the attribute that holds it (Keras style ``self.kernel = add_weight(...)``)."""
    attrs: dict = {}
    for name, value in getattr(owner, "__dict__", {}).items():
        if isinstance(value, Variable) and id(value) not in attrs:
            attrs[id(value)] = name.lstrip("_") or name
    used: set = set()
    for i, var in enumerate(variables):
        if not isinstance(var, Variable):
            continue
        name = attrs.get(id(var))
        if name is None or name in used:
            name = f"variable-{i}"
        used.add(name)
        graph.variables.append((f"{prefix}/{name}", var))


def _walk_optimizer(opt: Any, prefix: str, graph: ObjectGraph) -> None:
    graph.optimizers.append((prefix, opt))
    lr_var = getattr(opt, "_lr_var", None)
    j = 0
    for var in opt.variables:
        if var is getattr(opt, "_iterations", None) or var is opt.iterations:
            key = "iteration"
        elif lr_var is not None and var is lr_var:
            key = "learning_rate"
        else:
            key = f"slot-{j}"
            j += 1
        graph.variables.append((f"{prefix}/{key}", var))
