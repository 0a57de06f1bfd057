"""The Keras 2 key scheme that ferroflow's checkpoints used before they followed TensorFlow 2.21 with Keras 3
(``model/layer_with_weights-0/kernel``, ``optimizer/slot-0``), kept to restore the files written then.

* a Keras layer or model: its own weights under their attribute names without a leading underscore
  (``kernel``, ``bias``; else ``variable-<i>``), then each sublayer that has weights as ``layer_with_weights-<j>``;
* an optimizer: ``iteration``, ``learning_rate`` (unless a schedule), then ``slot-<j>`` in the order the
  variables were made (``optimizer.variables`` then; each slot list whole);
* a nested ``Checkpoint`` (anything with ``_checkpoint_children``): its children; a dict or list: its items;
* anything else with ``.variables`` or ``.weights``: ``<attribute name>`` or ``variable-<i>`` per variable.

:func:`translate` renames the values of such a file to the keys the current scheme gives the same variables.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ..framework.variables import Variable
from ._graph import ObjectGraph, _is_layer, _is_optimizer, named_variables


def collect(children: dict) -> ObjectGraph:
    """The old scheme's ``(key, variable)`` pairs of the tracked ``children``."""
    graph = ObjectGraph()
    for name, obj in children.items():
        _walk(obj, name, graph, set())
    return graph


def translate(children: dict, variables: List[Tuple[str, Any]], values: Dict[str, Any]) -> Dict[str, Any]:
    """``values`` with each value stored under a variable's old key moved to that variable's current key,
    for the variables (``(key, variable)`` pairs) whose current key the file does not hold."""
    todo = [(key, var) for key, var in variables if key not in values]
    if not todo:
        return values
    old_key = {id(var): key for key, var in collect(children).variables}
    current = {key for key, _ in variables}
    out = dict(values)
    for key, var in todo:
        old = old_key.get(id(var))
        if old is not None and old in out and old not in current:
            out[key] = out.pop(old)
    return out


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
    for name, var in named_variables(owner, variables, strip_underscore=True):
        graph.variables.append((f"{prefix}/{name}", var))


def _walk_optimizer(opt: Any, prefix: str, graph: ObjectGraph) -> None:
    graph.optimizers.append((prefix, opt))
    lr_var = getattr(opt, "_lr_var", None)
    j = 0
    # The order the variables were made in (each slot list whole), which these files followed.
    made = getattr(opt, "_variables_in_creation_order", None)
    for var in made() if made is not None else opt.variables:
        if var is getattr(opt, "_iterations", None) or var is opt.iterations:
            key = "iteration"
        elif lr_var is not None and var is lr_var:
            key = "learning_rate"
        else:
            key = f"slot-{j}"
            j += 1
        graph.variables.append((f"{prefix}/{key}", var))
