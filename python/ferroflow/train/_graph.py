"""The object graph of a checkpoint: which variable each key (``model/l1/_kernel``) names.

Keys are TensorFlow's: the graph of tracked objects is walked breadth first from the ``Checkpoint``, and each
variable is keyed by the first path that reaches it (the shortest; among equal ones, the first in child
order), so a variable held in two places is saved once. Keys follow the structure of the objects, not the
variables' names, so a checkpoint restores into a freshly built copy of a model. An object's children (see
``_keras3_children`` for Keras layers and optimizers, named as TensorFlow 2.21 with Keras 3 names them):

* a ``Checkpoint``: its keyword arguments sorted by name, then attributes in the order they were set;
* a ``tf.Module`` or anything with ``_checkpoint_children``: what that returns;
* a dict: its items; a list or tuple: ``0``, ``1`` ...;
* anything else with ``.variables`` or ``.weights``: its variables under the attribute holding them (else
  ``variable-<i>``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Tuple

from ..framework.variables import Variable


@dataclass
class ObjectGraph:
    """The flattened graph: ``(key, variable)`` pairs plus the optimizers and models met on the way, and the
    other paths that reach an object already met (``{path: the object's first path}``): TensorFlow's object
    graph records them, so that ``Checkpoint(mapped={'two': v})`` restores the value saved as ``listed/1``
    when both paths held ``v``."""

    variables: List[Tuple[str, Variable]] = field(default_factory=list)
    aliases: Dict[str, str] = field(default_factory=dict)
    optimizers: List[Tuple[str, Any]] = field(default_factory=list)
    models: List[Any] = field(default_factory=list)


def is_trackable(obj: Any) -> bool:
    """Whether a checkpoint can track ``obj`` (it holds variables, now or once built)."""
    if isinstance(obj, (Variable, dict, list, tuple)) or _is_layer(obj) or _is_optimizer(obj):
        return True
    return hasattr(obj, "_checkpoint_children") or hasattr(obj, "variables") or hasattr(obj, "weights")


def _is_layer(obj: Any) -> bool:
    return hasattr(obj, "_own_weights") and hasattr(obj, "_layers")


def _is_optimizer(obj: Any) -> bool:
    return hasattr(obj, "iterations") and hasattr(obj, "build") and hasattr(obj, "variables") and not _is_layer(obj)


def _is_value(obj: Any) -> bool:
    """A saved value: a variable, or an object saved as one (an iterator's position)."""
    return isinstance(obj, Variable) or bool(getattr(obj, "_checkpoint_value", False))


def collect(children: dict) -> ObjectGraph:
    """Flattens the tracked ``children`` (name -> object, in the root's child order) into keyed variables."""
    graph = ObjectGraph()
    seen: dict = {}  # id -> (object, first path): holding the objects keeps the ids of temporaries unique
    queue = deque((str(name), obj) for name, obj in children.items())
    while queue:
        path, obj = queue.popleft()
        if obj is None:
            continue
        if id(obj) in seen:
            graph.aliases[path] = seen[id(obj)][1]
            continue
        seen[id(obj)] = (obj, path)
        if _is_value(obj):
            graph.variables.append((path, obj))
            continue
        if _is_layer(obj) and hasattr(obj, "trainable_weights") and hasattr(obj, "optimizer"):
            graph.models.append(obj)
        if _is_optimizer(obj) and not hasattr(obj, "_checkpoint_children"):
            graph.optimizers.append((path, obj))
        for name, child in _children(obj):
            queue.append((f"{path}/{name}", child))
    return graph


def children_of(obj: Any) -> List[Tuple[str, Any]]:
    """The named children of ``obj`` in the order the walk visits them."""
    return list(_children(obj))


def _children(obj: Any) -> Iterator[Tuple[str, Any]]:
    from . import _keras3_children

    if hasattr(obj, "_checkpoint_children"):
        yield from obj._checkpoint_children().items()
    elif _is_layer(obj):
        yield from _keras3_children.layer_children(obj)
    elif _is_optimizer(obj):
        yield from _keras3_children.optimizer_children(obj)
    elif isinstance(obj, dict):
        yield from ((str(key), child) for key, child in obj.items())
    elif isinstance(obj, (list, tuple)):
        yield from ((str(i), child) for i, child in enumerate(obj))
    else:
        variables = getattr(obj, "variables", None)
        if variables is None:
            variables = getattr(obj, "weights", None)
        if callable(variables):
            variables = variables()
        yield from named_variables(obj, list(variables or []))


def named_variables(owner: Any, variables: list, strip_underscore: bool = False) -> List[Tuple[str, Any]]:
    """``variables`` under the attribute of ``owner`` that holds each (``self.w = ...``), else ``variable-<i>``.

    ``strip_underscore`` names ``self._kernel`` as ``kernel``, as the Keras 2 key scheme did."""
    attrs: dict = {}
    for name, value in getattr(owner, "__dict__", {}).items():
        if isinstance(value, Variable) and id(value) not in attrs:
            attrs[id(value)] = (name.lstrip("_") or name) if strip_underscore else name
    used: set = set()
    out = []
    for i, var in enumerate(variables):
        if not isinstance(var, Variable):
            continue
        name = attrs.get(id(var))
        if name is None or name in used:
            name = f"variable-{i}"
        used.add(name)
        out.append((name, var))
    return out
