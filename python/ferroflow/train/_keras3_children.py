"""The checkpoint children of Keras layers, models and optimizers, named as TensorFlow 2.21 with Keras 3 names
them, so that ``tf.train.Checkpoint(model=model, optimizer=opt)`` writes Keras 3's keys:

* a ``Sequential``: ``_functional/_operations/<i>``, ``i`` counting its input layer as 0;
* a functional ``Model``: ``_operations/<i>`` in Keras's operation order (input layers included);
* any other layer or model: its attributes in the order they were set: variables under the attribute name
  (Keras 3 keeps ``Dense``'s, ``Conv``'s and ``EinsumDense``'s kernel in ``_kernel`` and ``Embedding``'s
  table in ``_embeddings``), layers, and public lists and dicts of them;
* a compiled model, then: ``optimizer``;
* an optimizer: ``_iterations``, ``_learning_rate`` (a variable unless a schedule), ``_trainable_variables/<i>``
  (the variables it was built for) and ``_variables/<i>`` in Keras 3's order (``optimizers._keras_order``).

Two things TensorFlow leaves out are saved here, so that nothing a model holds is silently dropped: Keras 3 does
not checkpoint lists or dicts of layers in a model's attributes (``self.blocks = [Dense(3)]``) nor weights that
no attribute holds; ferroflow keys them ``blocks/0/...`` and ``variable-<i>``, and a layer reachable only
through its parent's layer list as ``_layers/<j>``.
"""

from __future__ import annotations

from typing import Any, Iterator, List, Tuple

from ..framework.variables import Variable
from ._graph import _is_layer, _is_optimizer, named_variables

# Keras 3's attribute for the variable ferroflow keeps under ``kernel`` / ``embeddings``, by layer class.
_PRIVATE_KERNEL = ("Dense", "EinsumDense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose")
_PRIVATE_KERNEL += ("Conv3DTranspose", "Convolution1D", "Convolution2D", "Convolution3D")


def _keras_names(layer: Any) -> dict:
    names = {c.__name__ for c in type(layer).__mro__}
    out = {}
    if names.intersection(_PRIVATE_KERNEL):
        out["kernel"] = "_kernel"
    if "Embedding" in names:
        out["embeddings"] = "_embeddings"
    return out


def _holds_layers(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_layers(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_layers(v) for v in value)
    return _is_layer(value) or isinstance(value, Variable)


def layer_children(layer: Any) -> Iterator[Tuple[str, Any]]:
    """The children of a Keras layer or model, in the order TensorFlow's breadth-first walk meets them."""
    from ..models.sequential import Sequential

    if isinstance(layer, Sequential):
        children = [("_functional", {"_operations": [None] + list(layer._layers)})]
    elif getattr(layer, "_is_graph_network", False):
        children = [("_operations", list(layer._layers))]
    else:
        children = _attribute_children(layer)
    yield from children
    reached: set = set()
    for _, child in children:
        _flatten_ids(child, reached)
    loose = named_variables(layer, list(layer._own_weights()))
    yield from [(name, var) for name, var in loose if name.startswith("variable-") and id(var) not in reached]
    optimizer = getattr(layer, "optimizer", None)
    if optimizer is not None and _is_optimizer(optimizer):
        yield "optimizer", optimizer
    unreached = [sub for sub in layer._layers if id(sub) not in reached]
    if unreached:
        yield "_layers", unreached


def _flatten_ids(value: Any, out: set) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _flatten_ids(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _flatten_ids(v, out)
    else:
        out.add(id(value))


def _attribute_children(layer: Any) -> List[Tuple[str, Any]]:
    rename = _keras_names(layer)
    out = []
    for name, value in vars(layer).items():
        if not isinstance(name, str) or _is_optimizer(value):
            continue
        if isinstance(value, Variable):
            out.append((rename.get(name, name), value))
        elif _is_layer(value) and value is not layer:
            out.append((name, value))
        elif not name.startswith("_") and isinstance(value, (list, tuple, dict)) and _holds_layers(value):
            out.append((name, value))
    return out


def optimizer_children(opt: Any) -> Iterator[Tuple[str, Any]]:
    """An optimizer's children: its step count and learning rate, the variables it updates, its own variables."""
    from ..optimizers._keras_order import keras_variables

    iterations = getattr(opt, "_iterations", None)
    if not isinstance(iterations, Variable):
        iterations = getattr(opt, "iterations", None)
    if isinstance(iterations, Variable):
        yield "_iterations", iterations
    lr = getattr(opt, "_lr_var", None)
    if isinstance(lr, Variable):
        yield "_learning_rate", lr
    trainable = list(getattr(opt, "_trainable_variables", None) or [])
    if trainable:
        yield "_trainable_variables", trainable
    ordered = keras_variables(opt)
    yield "_variables", list(opt.variables) if ordered is None else list(ordered)
