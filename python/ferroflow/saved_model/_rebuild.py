"""A graph document of a SavedModel, rebuilt as a ``tf.function`` over the restored variables.

Each node is applied again through ``ops.apply`` with its saved attributes, in the saved (topological)
order, inside the function's trace; a weight that names a variable reads the restored variable, so that
assigning to it changes what the function computes. The trace happens at load time, so a graph that does
not rebuild (an attribute the op refuses, a shape the file misstates) fails ``load``, not the first call.
"""

from __future__ import annotations

from typing import Any

from ..errors import DataLossError
from ..framework.function import Function
from ..framework.ops import apply, convert_to_tensor
from ..framework.tensor_shape import TensorShape
from ..framework.tensor_spec import TensorSpec
from . import _format as F


def _node_spec(node: dict, name: str) -> TensorSpec:
    return TensorSpec(node["shape"], node["dtype"], name=name)


def _attrs(node: dict, variables: dict) -> dict:
    attrs = dict(node["attrs"])
    if node["op"] in F.WRITE_OPS:
        return {"var": variables[attrs["weight"]]._v}
    key = F.TUPLE_LIST_ATTRS.get(node["op"])
    if key is not None and isinstance(attrs.get(key), list):
        attrs[key] = [tuple(item) if isinstance(item, list) else item for item in attrs[key]]
    return attrs


def _check_built(value: Any, node: dict, where: str) -> None:
    declared = TensorShape(node["shape"])
    if value.dtype.name != node["dtype"] or not declared.is_compatible_with(value.shape):
        raise DataLossError(
            f"{where}: the file declares {node['dtype']} {declared}, but the op gives {value.dtype.name} {value.shape}"
        )


def rebuild(doc: dict, where: str, saved: Any, variables: dict, name: str) -> tuple:
    """``(function, input specs, output specs)``: the function takes the graph's inputs in order and returns
    the list of its outputs."""
    nodes = doc["nodes"]
    specs = [_node_spec(nodes[e["node"]], e["name"]) for e in doc["inputs"]]
    position = {e["node"]: i for i, e in enumerate(doc["inputs"])}
    constants: dict = {}
    for i, node in enumerate(nodes):
        at = f"{where}: node {i} '{node['name']}' ({node['op']})"
        key = node["attrs"].get("weight")
        if node["op"] == "placeholder" and i not in position:
            raise DataLossError(f"{at}: a placeholder that is not one of the graph's inputs")
        if node["op"] in F.WRITE_OPS and key not in variables:
            raise DataLossError(f"{at}: writes weight '{key}', which is not one of the SavedModel's variables")
        if node["op"] == "const":
            var = variables.get(key)
            if var is None:
                constants[i] = saved.read_weight(key, node["dtype"], node["shape"])
            else:
                _check_built(var, node, at)

    def body(*args: Any) -> list:
        values: list = [None] * len(nodes)
        for i, node in enumerate(nodes):
            op = node["op"]
            if op == "placeholder":
                values[i] = args[position[i]]
                continue
            at = f"{where}: node {i} '{node['name']}' ({op})"
            if op == "const":
                var = variables.get(node["attrs"]["weight"])
                values[i] = convert_to_tensor(constants[i]) if var is None else var.value()
                continue
            try:
                values[i] = apply(
                    op, [values[j] for j in node["inputs"]], _attrs(node, variables), op_name=node["name"]
                )
            except (ValueError, TypeError, KeyError) as e:
                raise DataLossError(f"{at}: cannot rebuild the node: {e}") from None
            _check_built(values[i], node, at)
        return [values[e["node"]] for e in doc["outputs"]]

    fn = Function(body, name=name, input_signature=specs)
    fn.get_concrete_function()
    outputs = [_node_spec(nodes[e["node"]], e["name"]) for e in doc["outputs"]]
    return fn, specs, outputs
