"""The functional graph of a ``Model(inputs, outputs)``: ordering, replaying and (de)serializing layer calls."""

from __future__ import annotations

from typing import Any, Optional

from ..framework import nest
from ..layers._keras_operation import decode_value, encode_value, is_operation_entry, operation_from_config
from ..layers._util import replaying_node
from ..layers.input_layer import InputLayer


def _is_kt(x: Any) -> bool:
    return getattr(x, "_is_keras_tensor", False)


def _node_of(t: Any) -> Any:
    if t._keras_history is None:
        raise ValueError(f"{t} was not produced by a Keras layer: use keras.Input(...) to create model inputs")
    layer, node_index, _ = t._keras_history
    return layer._inbound_nodes[node_index]


def order_nodes(inputs: Any, outputs: Any) -> list:
    """The layer calls from ``inputs`` to ``outputs`` in execution order (input nodes first)."""
    flat_inputs = nest.flatten(inputs)
    for x in flat_inputs:
        if not _is_kt(x):
            raise ValueError(
                f"All `inputs` values must be KerasTensors. Received: inputs={inputs} including invalid value "
                f"{x} of type {type(x)}"
            )
    input_nodes = {id(_node_of(x)) for x in flat_inputs}
    for x in nest.flatten(outputs):
        if not _is_kt(x):
            raise ValueError(
                f"All `outputs` values must be KerasTensors. Received: outputs={outputs} including invalid value "
                f"{x} of type {type(x)}"
            )
    ordered, state = [], {}

    def visit(node: Any) -> None:
        mark = state.get(id(node))
        if mark == "done":
            return
        if mark == "visiting":
            raise ValueError("The functional graph has a cycle")
        state[id(node)] = "visiting"
        if id(node) not in input_nodes:
            if isinstance(node.layer, InputLayer):
                raise ValueError(
                    f'Graph disconnected: cannot find parent for the input tensor of layer "{node.layer.name}". '
                    "It is not one of the model's `inputs`."
                )
            for parent in node.parent_nodes:
                visit(parent)
        state[id(node)] = "done"
        ordered.append(node)

    for x in flat_inputs:
        visit(_node_of(x))
    for x in nest.flatten(outputs):
        visit(_node_of(x))
    return ordered


def layers_of(nodes: list) -> list:
    out: list = []
    for node in nodes:
        if all(node.layer is not layer for layer in out):
            out.append(node.layer)
    return out


def input_name(t: Any) -> Optional[str]:
    """The name of the ``Input`` a model input tensor comes from (None for other tensors)."""
    history = getattr(t, "_keras_history", None)
    return history[0].name if history is not None and isinstance(history[0], InputLayer) else None


def run_nodes(nodes: list, model_inputs: Any, model_outputs: Any, values: Any, training: Optional[bool]) -> Any:
    """Replays the recorded calls on ``values`` (structured like ``model_inputs``)."""
    flat_in = nest.flatten(model_inputs)
    if isinstance(values, dict) and isinstance(model_inputs, (list, tuple)):
        names = [input_name(t) for t in flat_in]  # as Keras: a dict given to listed inputs pairs by Input names
        if all(names) and set(names) <= set(values):
            values = [values[name] for name in names]
    if isinstance(model_inputs, dict) and not isinstance(values, dict):
        flat_vals = nest.flatten(values) if isinstance(values, (list, tuple)) else [values]
    elif isinstance(model_inputs, (list, tuple)) and len(flat_in) == 1 and not isinstance(values, (list, tuple)):
        flat_vals = [values]
    else:
        flat_vals = nest.flatten(values)
    if len(flat_vals) != len(flat_in):
        raise ValueError(f"The model expects {len(flat_in)} input(s), but it received {len(flat_vals)} input tensors")
    computed = {id(kt): adjust_input_rank(v, kt.shape) for kt, v in zip(flat_in, flat_vals)}
    for node in nodes:
        if isinstance(node.layer, InputLayer):
            continue
        if all(id(kt) in computed for kt in nest.flatten(node.outputs)):
            continue  # the call that made a model input which is not an Input (Model(inputs=encoded, ...))
        args, kwargs = nest.map_structure(lambda x: computed[id(x)] if _is_kt(x) else x, (node.args, node.kwargs))
        if training is not None:
            # As in Keras 3, the model's own training flag (model(x, training=...), fit, evaluate, predict)
            # overrides one given to the layer when the model was built; with None the built-in one stays.
            kwargs["training"] = training
        with replaying_node():
            out = node.layer(*args, **kwargs)
        for kt, v in zip(nest.flatten(node.outputs), nest.flatten(out)):
            computed[id(kt)] = v
    return nest.map_structure(lambda kt: computed[id(kt)], model_outputs)


def adjust_input_rank(x: Any, ref_shape: Any) -> Any:
    """``x`` with the rank of the model input ``ref_shape``, as Keras 3's functional models do: a last axis of
    size 1 is added (strings of shape ``(batch,)`` for ``Input(shape=(1,), dtype="string")``) or removed."""
    from ..framework.tensor import Tensor
    from ..layers.masking_support import keep_mask
    from ..ops import array_ops

    shape = getattr(x, "shape", None)
    if not isinstance(x, Tensor) or shape is None or shape.rank is None or ref_shape is None:
        return x
    ref = tuple(ref_shape)
    rank = shape.rank
    if rank == len(ref) + 1 and shape[-1] == 1:
        return keep_mask(x, array_ops.squeeze(x, axis=-1))
    if rank == len(ref) - 1 and ref and ref[-1] == 1:
        return keep_mask(x, array_ops.expand_dims(x, axis=-1))
    return x


# -- config ----------------------------------------------------------------------------------


def _local_index(nodes: list) -> dict:
    counts: dict = {}
    local = {}
    for node in nodes:
        n = counts.get(id(node.layer), 0)
        counts[id(node.layer)] = n + 1
        local[id(node)] = n
    return local


def _ref(t: Any, local: dict) -> list:
    layer, node_index, tensor_index = t._keras_history
    return [layer.name, local[id(layer._inbound_nodes[node_index])], tensor_index]


def graph_config(nodes: list, inputs: Any, outputs: Any) -> dict:
    from ..layers import serialize

    local = _local_index(nodes)

    def encode(x: Any) -> Any:
        if _is_kt(x):
            return {"class_name": "__keras_tensor__", "config": {"keras_history": _ref(x, local)}}
        if x is None or isinstance(x, (bool, int, float, str)):
            return x
        encoded = encode_value(x)  # slices, Ellipsis and NumPy arrays given to operations (x[:, :2], x @ w)
        if encoded is not None:
            return encoded
        raise TypeError(f"cannot serialize the layer-call argument {x!r:.80} of a functional model")

    layers = [
        (layer.serialize() if getattr(layer, "_is_operation", False) else serialize(layer)) | {"name": layer.name}
        for layer in layers_of(nodes)
    ]
    calls = []
    for node in nodes:
        if isinstance(node.layer, InputLayer):
            continue
        args, kwargs = _map_refs(encode, _is_leaf, [list(node.args), node.kwargs])
        calls.append({"layer": node.layer.name, "args": args, "kwargs": kwargs})
    return {
        "layers": layers,
        "calls": calls,
        "input_layers": nest.map_structure(lambda t: _ref(t, local), _listify(inputs)),
        "output_layers": nest.map_structure(lambda t: _ref(t, local), _listify(outputs)),
    }


def _listify(x: Any) -> Any:
    return list(x) if isinstance(x, tuple) else x


def rebuild_graph(config: dict, custom_objects: Optional[dict]) -> tuple:
    """(inputs, outputs) KerasTensors recreated from ``graph_config``'s output, new layers included."""
    from ..layers import deserialize

    layers = {}
    for entry in config["layers"]:
        op = is_operation_entry(entry)
        layers[entry["name"]] = operation_from_config(entry) if op else deserialize(entry, custom_objects)
    produced: dict = {}  # (layer name, local node index) -> outputs
    counts: dict = {}
    for name, layer in layers.items():
        if isinstance(layer, InputLayer):
            produced[(name, 0)] = layer.output
            counts[name] = 1

    def lookup(ref: list) -> Any:
        name, node_index, tensor_index = ref
        try:
            outs = produced[(name, node_index)]
        except KeyError:
            raise ValueError(f"corrupt model config: layer call {ref} is used before it is made") from None
        return nest.flatten(outs)[tensor_index]

    def decode(x: Any) -> Any:
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            return lookup(x["config"]["keras_history"])
        return decode_value(x)

    def is_ref_leaf(x: Any) -> bool:
        return isinstance(x, dict) and x.get("class_name") in _ENCODED

    for call in config["calls"]:
        layer = layers[call["layer"]]
        args = _map_refs(decode, is_ref_leaf, call["args"])
        kwargs = _map_refs(decode, is_ref_leaf, call["kwargs"])
        out = layer(*args, **kwargs)
        n = counts.get(call["layer"], 0)
        counts[call["layer"]] = n + 1
        produced[(call["layer"], n)] = out

    def is_ref(x: Any) -> bool:
        return isinstance(x, list) and len(x) == 3 and isinstance(x[0], str) and isinstance(x[1], int)

    inputs = _map_refs(lookup, is_ref, config["input_layers"])
    outputs = _map_refs(lookup, is_ref, config["output_layers"])
    return inputs, outputs


_ENCODED = ("__keras_tensor__", "__slice__", "__ellipsis__", "__numpy__")


def _is_leaf(x: Any) -> bool:
    """A value ``graph_config`` encodes whole: anything but a list, tuple or dict (tuples become lists)."""
    return not isinstance(x, (list, tuple, dict))


def _map_refs(fn: Any, is_leaf: Any, x: Any) -> Any:
    if is_leaf(x):
        return fn(x)
    if isinstance(x, dict):
        return {k: _map_refs(fn, is_leaf, v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_map_refs(fn, is_leaf, v) for v in x]
    return x
